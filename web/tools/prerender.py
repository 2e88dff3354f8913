"""Writes the default example's view (the same one Python draws at boot) as JSON.

The page draws it at once, before Python is up; when Python is ready it sends the same
nodes with the same ids and positions, so nothing moves. Usage: prerender.py OUT.json
"""

import json
import pathlib
import subprocess
import sys

from chainrule.presets import DEFAULT, PRESETS
from chainrule.session import Session

DAGRE = pathlib.Path(__file__).resolve().parent / "dagre-layout.mjs"


def run_dagre(request):
    done = subprocess.run(["node", str(DAGRE)], input=json.dumps(request), capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def main(out):
    text = PRESETS[DEFAULT][1]
    session = Session(run_dagre)
    view = session.load(text)
    payload = {"text": text, "direction": session.direction, "total": session.total, **view}
    pathlib.Path(out).write_text(json.dumps(payload, separators=(",", ":")))


if __name__ == "__main__":
    main(sys.argv[1])
