"""The site's standard library holds only what the page can import, and all of it."""

import json
import subprocess
import zipfile
from pathlib import Path

from harness import REPO, SITE

IMPORTS = Path(__file__).with_name("stdlib_imports.mjs")
FULL_STDLIB = REPO / "web" / "node_modules" / "pyodide" / "python_stdlib.zip"


def stdlib_modules(zip_path):
    """The modules in a standard-library zip, as source (.py) or bytecode (.pyc)."""
    return {
        name.rpartition(".")[0].removesuffix("/__init__").replace("/", ".")
        for name in zipfile.ZipFile(zip_path).namelist() if name.endswith((".py", ".pyc"))
    }


def test_every_standard_module_the_page_names_imports_from_the_sites_zip():
    # Every import statement of our package and PyScript's, at any depth (in functions,
    # under try), that names a module of Pyodide's standard library: imported for real
    # from the site's zip, so what those modules import when imported is checked too.
    result = subprocess.run(
        ["node", str(IMPORTS), str(SITE), str(FULL_STDLIB)],
        capture_output=True, text=True, check=True, timeout=180,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["failed"] == {}
    assert {"json", "random", "dataclasses", "ast", "asyncio", "inspect"} <= set(seen["tried"])
    # ... from the bytecode the build compiled, never from source compiled at boot; and
    # so is our package, from the same zip.
    assert {"chainrule.core.engine", "chainrule.state.session", "chainrule.view.layout"} \
        <= set(seen["package"])
    assert seen["from_source"] == []
    assert seen["json_file"].endswith("json/__init__.pyc")
    assert seen["package_file"].endswith(".zip/chainrule/__init__.pyc")


def test_the_sites_zip_holds_bytecode_of_the_sites_python_and_no_source():
    names = zipfile.ZipFile(SITE / "pyodide" / "python_stdlib.zip").namelist()
    assert not [name for name in names if name.endswith(".py")]
    assert sum(name.endswith(".pyc") for name in names) > 200
    served = {path.relative_to(SITE / "py").with_suffix(".pyc").as_posix()
              for path in (SITE / "py" / "chainrule").rglob("*.py")}
    assert served <= set(names), "a module of our package is missing from the zip"
    # The notebook widget is for notebooks: neither served nor in the zip.
    assert not [name for name in names if name.startswith("chainrule/notebook")]
    assert {"pyscript/__init__.pyc", "pyscript/web.pyc"} <= set(names)


def test_the_sites_zip_leaves_out_what_no_page_imports():
    kept = {name for name in stdlib_modules(SITE / "pyodide" / "python_stdlib.zip")
            if name.split(".")[0] not in ("chainrule", "pyscript")}
    full = stdlib_modules(FULL_STDLIB)
    assert kept < full
    assert not {"unittest", "pdb", "doctest", "email", "http.server", "tkinter"} & kept
    # The site's zip is stored (not deflated) so that its .xz twin, what a slow link
    # downloads, compresses across files: that twin is what must be small.
    assert (SITE / "pyodide" / "python_stdlib.zip.xz").stat().st_size \
        < FULL_STDLIB.stat().st_size / 1.8
