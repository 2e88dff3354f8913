"""Runs the real dagre (from web/node_modules, installed by `make test`) under Node."""

import json
import pathlib
import subprocess

RUNNER = pathlib.Path(__file__).resolve().parent.parent / "web" / "tools" / "dagre-layout.mjs"


def run_dagre(request):
    done = subprocess.run(["node", str(RUNNER)], input=json.dumps(request),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)
