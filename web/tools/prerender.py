"""Writes the default example's views (the ones Python draws at boot) as JSON.

The page draws one at once, before Python is up: left to right or top to bottom, the one
that fits its canvas better, by the rule Python picks by (view/layout.py pick_direction).
When Python is ready it sends the same nodes with the same ids and positions, so nothing
moves. Also writes the dagre requests those views were laid out from and dagre's answers:
Python's first boot makes the same requests and takes the answers instead of cold dagre
calls (chainrule.page.app.main). And records what the step controls do on the example
(chainrule.state.first_steps), which the page replays until Python is up: the same in
either direction.
Usage: prerender.py VIEWS.json LAYOUTS.json STEPS.json
"""

import json
import pathlib
import subprocess
import sys

from chainrule.state.first_steps import record
from chainrule.state.presets import DEFAULT, PRESETS
from chainrule.state.session import Session
from chainrule.view.layout import DIRECTIONS
from chainrule.view.wire import dumps

DAGRE = pathlib.Path(__file__).resolve().parent / "dagre-layout.mjs"


def run_dagre(request):
    done = subprocess.run(["node", str(DAGRE)], input=json.dumps(request), capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def main(views_out, layouts_out, steps_out):
    text = PRESETS[DEFAULT][1]
    layouts = {}

    def recorded_dagre(request):
        key = json.dumps(request, sort_keys=True)
        if key not in layouts:
            layouts[key] = {"request": request, "layout": run_dagre(request)}
        return layouts[key]["layout"]

    def restart(direction="LR"):
        session = Session(recorded_dagre, direction)
        session.load(text)
        return session

    views = {}
    for direction in DIRECTIONS:
        session = restart(direction)
        views[direction] = {"text": text, "direction": direction, "total": session.total,
                            **session.whole_view()}
    pathlib.Path(views_out).write_text(dumps(views))  # as the page sends them (wire.py)
    pathlib.Path(layouts_out).write_text(dumps(list(layouts.values())))
    pathlib.Path(steps_out).write_text(dumps(record(restart)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
