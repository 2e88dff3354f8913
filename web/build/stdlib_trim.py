"""Runs in Pyodide under Node at build time (web/build/stdlib.mjs): writes a copy
of Pyodide's standard-library zip that holds only the modules the page can
import, found by following every import statement (at any depth, in any
function, optional or not) from the page's Python code through the standard
library itself, plus what Python imports while starting; each as the bytecode
of the Python that will import it, compiled here.

Our package and PyScript's go into the same zip, as bytecode too (they are imported
from there, in the page and when the build takes the snapshot): a boot compiles none of
them, and the zip's .xz twin packs them with the standard library.

CHAINRULE_STDLIB_IN / _OUT: the zip to read and the one to write.
CHAINRULE_STDLIB_SOURCES: a JSON file {file name: source} of the code the page runs;
the packages' modules are the names under chainrule/ and pyscript/.
"""

PACKAGES = ("chainrule/", "pyscript/")


def trim():
    import ast
    import copy
    import json
    import os
    import sys
    import zipfile

    full = zipfile.ZipFile(os.environ.pop("CHAINRULE_STDLIB_IN"))
    modules = {}
    for info in full.infolist():
        name = info.filename
        if name.endswith("/__init__.py"):
            modules[name[: -len("/__init__.py")].replace("/", ".")] = (name, True)
        elif name.endswith(".py"):
            modules[name[:-3].replace("/", ".")] = (name, False)

    def is_main_block(node):
        return isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)

    def at_import(tree):
        """The nodes that run when a module is imported: not function bodies."""
        stack = [tree]
        while stack:
            node = stack.pop()
            yield node
            for child in ast.iter_child_nodes(node):
                if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) \
                        and not is_main_block(child):
                    stack.append(child)

    def imported(source, module, is_package, anywhere):
        """Every module name `source` may import (those not in the zip are dropped later):
        anywhere in it, or only what runs when it is imported."""
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return
        package = module if is_package else module.rpartition(".")[0]
        for node in ast.walk(tree) if anywhere else at_import(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield alias.name
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package
                    for _ in range(node.level - 1):
                        base = base.rpartition(".")[0]
                    base = f"{base}.{node.module}" if node.module else base
                else:
                    base = node.module
                yield base
                for alias in node.names:
                    yield f"{base}.{alias.name}"
            elif (
                isinstance(node, ast.Call) and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and getattr(node.func, "attr", getattr(node.func, "id", None))
                in ("import_module", "__import__")
            ):
                yield node.args[0].value

    needed = set()
    queue = []

    def need(name):
        parts = name.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            if prefix in modules and prefix not in needed:
                needed.add(prefix)
                queue.append(prefix)

    with open(os.environ.pop("CHAINRULE_STDLIB_SOURCES"), encoding="utf-8") as file:
        sources = json.load(file)
    for path, source in sources.items():
        module = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        for name in imported(source, module, path.endswith("__init__.py"), anywhere=True):
            need(name)
    # What Python and Pyodide import while starting, and what no import statement names:
    # codecs are looked up by name (encodings.*), sysconfig reads its data module by name.
    for name in list(sys.modules):
        need(name)
    for name in modules:
        if name.startswith(("encodings.", "_sysconfigdata_")):
            need(name)
    need("traceback")
    while queue:
        name = queue.pop()
        member, is_package = modules[name]
        for child in imported(full.read(member).decode("utf-8"), name, is_package, anywhere=False):
            need(child)

    keep = {modules[name][0] for name in needed}
    folders = {member.rpartition("/")[0] + "/" for member in keep if "/" in member}
    with zipfile.ZipFile(os.environ.pop("CHAINRULE_STDLIB_OUT"), "w") as out:
        for info in full.infolist():
            name = info.filename
            data_file = not name.endswith((".py", "/")) and name.rpartition("/")[0] + "/" in folders
            if name in keep or name in folders or data_file or (not name.endswith(".py") and "/" not in name):
                # Stored, not deflated: the site's .xz of the whole zip packs the modules
                # together far smaller than the zip can one by one (web/build/xz.mjs).
                stored = copy.copy(info)
                stored.compress_type = zipfile.ZIP_STORED
                data = full.read(info)
                if name in keep:
                    stored.filename, data = bytecode(name, data)
                out.writestr(stored, data)
        for name, source in sorted(sources.items()):
            if name.startswith(PACKAGES):
                entry, data = bytecode(name, source.encode("utf-8"))
                out.writestr(zipfile.ZipInfo(entry, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return sorted(needed)


def bytecode(name, source):
    """A module's source (bytes) as the bytecode this Python would compile it to: (its
    name in the zip, the .pyc's bytes). Pyodide ships the standard library as source, so
    every boot without the snapshot compiled each module it imported, most of its start-up
    (docs/performance.md). Unchecked: nothing in the zip could make it stale, and the
    source is left out, so only the bytecode can be imported."""
    import importlib._bootstrap_external as external
    import importlib.util

    code = compile(source, name, "exec", dont_inherit=True)
    pyc = external._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)
    return name + "c", bytes(pyc)


json_needed = __import__("json").dumps(trim())
