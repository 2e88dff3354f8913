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

    # Imported from the site's zip, as bytecode. The glue (chainrule.page) talks to the
    # page (js, pyscript), which does not exist under Node: its bytecode is read when
    # the page imports it.
    for module in pkgutil.walk_packages(chainrule.__path__, "chainrule."):
        if not module.name.startswith("chainrule.page."):
            importlib.import_module(module.name)

    precompile_run_code(
        os.environ.pop("CHAINRULE_RUN_CODE").split(os.pathsep),
        os.environ.pop("CHAINRULE_PYSCRIPT_STARTUP").split(os.pathsep),
    )

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


def precompile_run_code(paths, pyscript_startup_paths):
    """Compile the code Pyodide and PyScript run at every boot through
    eval_code() / eval_code_async() (runPython() / runPythonAsync() in JS), most
    of all PyScript's start-up code: it carries PyScript's whole package as
    string literals, and parsing it to an AST at boot costs more than running
    it. A boot that runs exactly this source gets the code compiled here; any
    other source compiles as usual.

    PyScript's start-up code writes its `pyscript` package into Python's home,
    file by file through pathlib, then imports it. The package is bytecode in the
    site's zip, which the page puts first on sys.path (pyodide-boot.mjs bytecodeFirst), so
    the files it writes would never be read: that start-up code only imports the package,
    leaving __main__ as the original would."""
    import ast
    import importlib.util
    import pyodide.code
    from _pyodide import _base

    pyscript = importlib.util.find_spec("pyscript")
    if pyscript is None or ".zip/" not in (pyscript.origin or ""):
        raise RuntimeError(f"PyScript's package is not in the site's zip: {pyscript}")

    def read(path):
        with open(path, encoding="utf-8") as file:
            return file.read()

    sources = [
        # What Pyodide itself runs through eval_code() at every start (finalizeBootstrap).
        "{}",
        "import importlib; importlib",
        "import __main__; __main__.__dict__",
        "import builtins; builtins.__dict__",
    ]
    sources += [read(path) for path in paths]
    pyscript_startup = {read(path) for path in pyscript_startup_paths}
    import_pyscript = "import pyscript as _pyscript\ndel _pyscript\n"

    def precompiled_runner(compiled, source, options):
        code = None if options else compiled.get(source)
        if code is None:
            missed.append(source[:80])
            return None
        if source in pyscript_startup:
            code = compiled[import_pyscript]
        # A CodeRunner past its compile step: Pyodide's own run() and run_async().
        runner = object.__new__(_base.CodeRunner)
        runner._source = source
        runner._compiled = True
        runner.code = code
        return runner

    # Exactly what eval_code(source, globals) and eval_code_async(source, globals)
    # compile: default options, top-level await allowed in the latter.
    sources.append(import_pyscript)
    compiled = {source: _base.CodeRunner(source).compile().code for source in sources}
    compiled_async = {
        source: _base.CodeRunner(source, flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT).compile().code
        for source in sources
    }
    # For tests: the start of every source that was not precompiled.
    missed = []
    eval_code = _base.eval_code
    eval_code_async = _base.eval_code_async

    def eval_precompiled(source, globals=None, locals=None, **options):
        runner = precompiled_runner(compiled, source, options)
        if runner is None:
            return eval_code(source, globals, locals, **options)
        return runner.run(globals, locals)

    async def eval_precompiled_async(source, globals=None, locals=None, **options):
        runner = precompiled_runner(compiled_async, source, options)
        if runner is None:
            return await eval_code_async(source, globals, locals, **options)
        return await runner.run_async(globals, locals)

    for patched, original in ((eval_precompiled, eval_code), (eval_precompiled_async, eval_code_async)):
        patched.__doc__ = original.__doc__
        patched.__wrapped__ = original
        patched.missed = missed
    _base.eval_code = pyodide.code.eval_code = eval_precompiled
    _base.eval_code_async = pyodide.code.eval_code_async = eval_precompiled_async


prepare()
del prepare, precompile_run_code
