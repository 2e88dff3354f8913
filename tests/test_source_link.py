"""The footer's Source link: which repository URL the build puts in the page."""

import json
import subprocess
from pathlib import Path

import pytest

PAGE_BUILD = Path(__file__).resolve().parents[1] / "web" / "build" / "page.mjs"


def source_url(env):
    script = (f"import {{ sourceUrl }} from {json.dumps(PAGE_BUILD.as_uri())};"
              f"console.log(JSON.stringify(sourceUrl({json.dumps(env)})));")
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True,
                         text=True, check=True, timeout=60, cwd="/")
    return json.loads(out.stdout)


@pytest.mark.parametrize("env, url", [
    ({"CHAINRULE_SOURCE_URL": "https://example.org/x"}, "https://example.org/x"),
    ({"GITHUB_REPOSITORY": "o/r"}, "https://github.com/o/r"),
    ({"GITHUB_REPOSITORY": "o/r", "GITHUB_SERVER_URL": "https://ghe.example"},
     "https://ghe.example/o/r"),
    ({}, None),  # run outside any git checkout: the page keeps its link to the shipped sources
])
def test_the_source_link_comes_from_the_build_environment(env, url):
    assert source_url(env) == url
