"""The package's layers: imports run one way (page -> state -> view -> core; train -> core),
and only the glue talks to the browser."""

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "py" / "chainrule"

# What each subpackage may import from chainrule, besides itself.
ALLOWED = {
    "core": set(),
    "view": {"core"},
    "state": {"view", "core"},
    "train": {"core"},
    "page": {"state", "view", "core", "train", "__init__"},
    "notebook": {"state", "view", "core"},
    "__init__": {"core", "view", "notebook"},
}
BROWSER = {"js", "pyscript", "pyodide"}


def modules():
    return sorted(PACKAGE.rglob("*.py"))


def layer_of(path):
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else "__init__"


def imported(path):
    """(layer imported, top-level module name or None, line) for every import in `path`."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(absolute(alias.name.split("."), node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[:len(package) - node.level + 1])
                names = base + (node.module.split(".") if node.module else [])
                if not node.module:  # `from . import x`: x is a module of `base`
                    found.extend(absolute(names + [a.name], node.lineno) for a in node.names)
                    continue
            else:
                names = node.module.split(".")
            found.append(absolute(names, node.lineno))
    return found


def absolute(names, line):
    if names[0] != "chainrule":
        return None, names[0], line
    return (names[1] if len(names) > 1 else "__init__"), None, line


def against_the_direction(path):
    layer = layer_of(path)
    wrong = []
    for target, outside, line in imported(path):
        if target is not None and target != layer and target not in ALLOWED[layer]:
            if not (PACKAGE / target).is_dir() and target != "__init__":
                target = "__init__"  # a flat module of chainrule: only __init__ is flat
            if target != layer and target not in ALLOWED[layer]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports chainrule.{target}")
        if outside in BROWSER and layer != "page":
            wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {outside} outside the glue")
    return wrong


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path):
    assert against_the_direction(path) == []


def test_the_package_is_layered():
    flat = [p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    assert flat == [], "modules belong in a layer: core, view, state, train, page"
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} \
        == set(ALLOWED) - {"__init__"}


def test_an_import_against_the_direction_is_found(tmp_path, monkeypatch):
    """The checker itself: a core module importing the view, and a view module importing js."""
    fake = tmp_path / "chainrule"
    (fake / "core").mkdir(parents=True)
    (fake / "view").mkdir()
    (fake / "core" / "engine.py").write_text("from ..view.graph import flow_graph\n")
    (fake / "view" / "graph.py").write_text("import js\nfrom ..core import engine\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert against_the_direction(fake / "core" / "engine.py") == [
        "core/engine.py:1 imports chainrule.view"]
    assert against_the_direction(fake / "view" / "graph.py") == [
        "view/graph.py:1 imports js outside the glue"]


def test_the_public_names_still_import():
    from chainrule import MLP, ExprError, Layer, Neuron, Value, backward_steps, parse  # noqa: F401


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path):
    """A module does one job: 450 lines at most, 300 in the glue."""
    limit = 300 if layer_of(path) == "page" else 450
    lines = len(path.read_text().splitlines())
    assert lines <= limit, f"{path.name} has {lines} lines"
