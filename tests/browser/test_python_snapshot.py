"""The Python snapshot the build ships, restored in Node (no browser needed)."""

import json
import subprocess
from pathlib import Path

from harness import SITE

RESTORE = Path(__file__).with_name("restore_snapshot.mjs")


def in_snapshot(code):
    result = subprocess.run(
        ["node", str(RESTORE), str(SITE), code],
        capture_output=True, text=True, check=True, timeout=120,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_snapshot_has_the_package_imported_but_not_the_page_glue():
    modules = in_snapshot(
        "import sys, json; json.dumps(sorted(m for m in sys.modules if m.startswith('chainrule')))"
    )
    assert "chainrule" in modules and "chainrule.core.engine" in modules
    assert "chainrule.page.app" not in modules


def test_snapshot_carries_nothing_of_the_build_machine():
    seen = in_snapshot(
        "import os, sys, json; json.dumps({'env': dict(os.environ), 'executable': sys.executable})"
    )
    assert set(seen["env"]) <= {
        "HOME", "LANG", "LD_LIBRARY_PATH", "LOGNAME", "PATH", "PWD", "PYTHONINSPECT", "USER",
    }
    assert seen["env"]["HOME"] == "/home/pyodide"
    assert seen["executable"] == ""
    assert str(Path.cwd()) not in json.dumps(seen)
