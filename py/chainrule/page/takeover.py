"""Python taking the page over from its shell, which worked it while Python started
(web/shell/first-steps.js): the shell's listeners stop before Python's start, the build's
graph on screen is kept as it is (the user may have zoomed it), and the default example
the shell stepped stays at its step, playing if it was."""

import json

import js
from pyscript import document

from ..state.first_steps import takeover_step
from .dom import as_json, by_testid


class Takeover:
    def __init__(self, page):
        self.page = page
        shell = getattr(js, "chainruleFirstSteps", None)
        self.handed = json.loads(shell.handOver()) if shell else {}
        first = document.getElementById("first-graph")
        built = None
        if first is not None:  # one view per direction; the page drew the one it chose
            direction = by_testid("canvas").dataset.firstDirection or "LR"
            built = json.loads(first.textContent).get(direction)
        # The build's graph, as the canvas shows it until Python draws its own.
        self.on_screen = as_json([built["nodes"], built["edges"]]) if built else None

    def keeps_view(self, view):
        """For the first graph Python draws: True if `view` is the build's graph that the
        canvas shows, which is then kept in place rather than fitted again (refitted only
        if the canvas changed size, as after a panel toggle)."""
        on_screen, self.on_screen = self.on_screen, None
        return on_screen is not None and as_json([view["nodes"], view["edges"]]) == on_screen

    def finish(self):
        """After the page opened its program: the replay's step, if it stepped that one."""
        page = self.page
        step = takeover_step(self.handed, page.session.text)
        if step is None:
            return
        page.refresh("step", patches=page.session.restore(step))
        if self.handed.get("playing"):
            page.stepping.on_play()
