"""The docs stay true: the README's example runs, its links and the docs' links lead
somewhere, and bench/README.md names every benchmark with options the script takes."""

import ast
import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = [README, REPO / "bench" / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BENCH = sorted((REPO / "bench").glob("*.py"))
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")


def test_the_readme_is_short():
    assert len(README.read_text().split()) <= 1200


def test_the_readmes_python_example_runs():
    (example,) = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    exec(compile(example, "README.md", "exec"), {})


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: str(doc.relative_to(REPO)))
def test_every_relative_link_leads_to_a_file(doc):
    targets = [t for t in LINK.findall(doc.read_text()) if "://" not in t]
    missing = [t for t in targets if not (doc.parent / t).exists()]
    assert not missing


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: str(doc.relative_to(REPO)))
def test_every_path_a_doc_names_is_in_the_repository(doc):
    named = re.findall(r"`((?:py|web|tests|bench|docs|examples|\.github|\.ci)/[^`\s*…]+)`",
                       doc.read_text())
    assert not [path for path in named if not (REPO / path).exists()]


def test_the_layout_the_readme_draws_is_the_repositorys():
    block = README.read_text().split("## The repository", 1)[1].split("```")[1]
    for line in filter(str.strip, block.splitlines()):
        base = REPO / "py" / "chainrule" if line.startswith("  ") else REPO
        assert (base / line.split()[0]).exists(), line


@pytest.mark.parametrize("script", BENCH, ids=lambda script: script.name)
def test_bench_readme_says_how_to_run_each_benchmark_with_options_it_takes(script):
    rows = [line for line in (REPO / "bench" / "README.md").read_text().splitlines()
            if line.startswith(f"| `{script.name}` |")]
    assert len(rows) == 1, f"bench/README.md has no row for {script.name}"
    command = rows[0].rsplit("|", 2)[1]
    assert f"bench/{script.name}" in command
    source = script.read_text()
    helpers = {REPO / "bench" / f"{node.module}.py" for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.ImportFrom) and node.module}
    source += "".join(helper.read_text() for helper in helpers if helper.exists())
    for option in re.findall(r"--[a-z][a-z-]*", command):
        assert f'"{option}"' in source, f"{script.name} takes no {option}"


@pytest.mark.parametrize("script", BENCH, ids=lambda script: script.name)
def test_what_each_benchmark_imports_from_chainrule_is_there(script):
    """A benchmark is not run by the tests; this catches a module it imports that moved."""
    for node in ast.walk(ast.parse(script.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("chainrule"):
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(module, alias.name), f"{node.module}.{alias.name}"
