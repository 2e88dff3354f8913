"""Runs in Pyodide under Node just before the memory snapshot is taken.

Whatever is imported or compiled here is already in memory when the browser
restores the snapshot, so the page's boot does not pay for it again.
"""


def prepare():
    import importlib
    import os
    import pkgutil

    # The stdlib modules that PyScript's own start-up code and package import.
    for name in (
        "asyncio", "base64", "collections", "functools", "html", "inspect", "io", "json",
        "pathlib", "pyodide.code", "pyodide.ffi",
    ):
        importlib.import_module(name)

    import chainrule

    # app.py talks to the page (js, pyscript), which does not exist under Node.
    for module in pkgutil.iter_modules(chainrule.__path__):
        if module.name != "app":
            importlib.import_module(f"chainrule.{module.name}")

    precompile_sources(os.environ.pop("CHAINRULE_PRECOMPILE").split(os.pathsep))

    # The snapshot carries the environment it was made in: keep only the
    # variables a browser boot sets itself, never the build machine's.
    browser_environment = {
        "HOME", "LANG", "LD_LIBRARY_PATH", "LOGNAME", "PATH", "PWD", "PYTHONINSPECT", "USER",
    }
    for key in list(os.environ):
        if key not in browser_environment:
            del os.environ[key]
    # Node tells Python it runs as the build script; in the page it runs as nothing.
    import sys
    sys.executable = sys._base_executable = ""


def precompile_sources(paths):
    """Compile modules that can only be imported in the page (PyScript's package
    and our app.py need the browser) and hand out the code when the page imports
    them, as long as the file holds exactly the source compiled here."""
    import os
    from importlib.machinery import SourceFileLoader

    compiled = {}
    for path in paths:
        with open(path, "rb") as file:
            source = file.read()
        compiled[path] = (source, compile(source, path, "exec", dont_inherit=True))

    compile_source = SourceFileLoader.source_to_code

    def source_to_code(self, data, path, *args, **kwargs):
        source, code = compiled.get(path, (None, None))
        if source == data:
            return code
        return compile_source(self, data, path, *args, **kwargs)

    SourceFileLoader.source_to_code = source_to_code


prepare()
del prepare, precompile_sources
