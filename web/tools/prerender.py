"""Writes the default example's view (the same one Python draws at boot) as JSON.

The page draws it at once, before Python is up; when Python is ready it sends the same
nodes with the same ids and positions, so nothing moves. Also writes the dagre request
that view was laid out from and dagre's answer: Python's first boot makes that same
request and takes the answer instead of a cold dagre call (chainrule.page.app.main).
And records what the step controls do on it (chainrule.state.first_steps), which the page
replays until Python is up.
Usage: prerender.py VIEW.json LAYOUT.json STEPS.json
"""

import json
import pathlib
import subprocess
import sys

from chainrule.state.first_steps import record
from chainrule.state.presets import DEFAULT, PRESETS
from chainrule.state.session import Session
from chainrule.view.wire import dumps

DAGRE = pathlib.Path(__file__).resolve().parent / "dagre-layout.mjs"


def run_dagre(request):
    done = subprocess.run(["node", str(DAGRE)], input=json.dumps(request), capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def main(view_out, layout_out, steps_out):
    text = PRESETS[DEFAULT][1]
    layouts = {}

    def recorded_dagre(request):
        key = json.dumps(request, sort_keys=True)
        if key not in layouts:
            layouts[key] = {"request": request, "layout": run_dagre(request)}
        return layouts[key]["layout"]

    def restart():
        session = Session(recorded_dagre)
        session.load(text)
        return session

    session = restart()
    view = session.whole_view()
    payload = {"text": text, "direction": session.direction, "total": session.total, **view}
    pathlib.Path(view_out).write_text(dumps(payload))  # as the page sends it (wire.py)
    (first_layout,) = layouts.values()
    pathlib.Path(layout_out).write_text(dumps(first_layout))
    pathlib.Path(steps_out).write_text(dumps(record(restart)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
