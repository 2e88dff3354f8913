"""What the step controls do and what the step bar and the explanation then show.

The glue runs these for a click or a key; the build runs the same ones on the default
example and records what they send (first_steps.py), which the page replays until Python
is up. One recipe for both, so a replayed step is exactly a live one.
"""

from html import escape

from ..core.step_text import step_blocks
from ..view.wire import dumps

MOVES = ("step", "back", "reset", "finish")
PLAY_SPEEDS_MS = {"1": 900, "2": 450, "3": 200, "4": 80}  # the speed slider's value -> ms
PLAY_LABELS = {"play": "▶ Play", "pause": "⏸ Pause"}


def move(session, name):
    """Step, Back, Reset or Finish (`name`, one of MOVES) on `session`; returns the renderer
    calls that show it, [(method, *args)]: the cell patches as JSON, and after Reset the
    view following the step again."""
    patches = getattr(session, name)()
    calls = [("update", dumps(patches))] if patches else []
    if name == "reset":
        calls.append(("followAgain",))
    return calls


def start_playing(session):
    """Play pressed: from the end, playing starts over (the view keeps where it is);
    returns the renderer calls."""
    if not session.at_end:
        return []
    patches = session.reset()
    return [("update", dumps(patches))] if patches else []


def explanation_html(session):
    """The explanation panel's paragraphs for where stepping stands."""
    blocks = step_blocks(session)
    if session.step_group:
        blocks.append(("explain-group", f"In {session.step_group} (collapsed): G expands it."))
    return "".join(f'<p data-testid="{testid}">{escape(text)}</p>' for testid, text in blocks)


def disabled_controls(session, playing=False):
    """{step control's testid: disabled?}: nothing to step past the end or back from the
    start; Play has nothing to play without steps, or at the end unless it is playing."""
    s = session
    return {"step": s.at_end, "finish": s.at_end, "back": s.at_start, "reset": s.at_start,
            "play": s.total == 0 or (s.at_end and not playing),
            "expand-current": s.step_group is None}


def sweep_counts(session):
    """The line under the explanation comparing forward mode's sweeps with backprop's."""
    forward, backward = session.sweeps
    if not session.inputs:
        return ""
    return (f"Every derivative of the output: forward mode {forward} "
            f"sweep{'s' if forward != 1 else ''} (one per input), backprop {backward} "
            f"(one per output).")
