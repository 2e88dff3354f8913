"""The page before Python is up, recorded at build time with the same Python.

The build draws the default example from HTML; this records what Python's step controls
send for it from every place along its steps (the renderer calls, the counter, the
explanation, which controls are disabled), and what the buttons that need no Python show.
The page's shell replays these until Python is ready (web/shell/first-steps.js); Python
then takes over at the step the replay reached (`takeover_step`).
"""

from . import keys, look
from .share import PREFIX
from .step_controls import (MOVES, PLAY_LABELS, PLAY_SPEEDS_MS, disabled_controls,
                            explanation_html, follows_again, move, start_playing,
                            sweep_counts_text)
from .storage import STORAGE
from ..view.wire import dumps


def place(session):
    """What the step bar and the explanation show at the session's step."""
    return {"counter": session.counter, "phase": session.phase,
            "explanation": explanation_html(session), "atEnd": session.at_end,
            "disabled": disabled_controls(session, playing=False)}


def renderer_calls(patches, follow_again=False):
    """What the page sends the renderer for a move: the patches (as the canvas sends
    them, JSON), then for Reset the view following again. [[method, *args]]"""
    calls = [["update", dumps(patches)]] if patches else []
    return calls + ([["followAgain"]] if follow_again else [])


def moves_from(position, restart):
    """{control: {to, calls}}: what each step control does from `position`, Play too
    (what it sends when it starts). `restart()` gives a session at step 0."""
    recorded = {}
    for name in (*MOVES, "play"):
        session = restart()
        session.go_to(position)
        if name == "play":
            calls = renderer_calls(start_playing(session))
        else:
            calls = renderer_calls(move(session, name), follows_again(name))
        recorded[name] = {"to": session.position, "calls": calls}
    return recorded


def record(restart):
    """The recording for the program `restart()` loads afresh (the default example), as
    JSON-ready data."""
    session = restart()
    places, moves = [], []
    for position in range(session.total + 1):
        session.go_to(position)
        places.append(place(session))
        moves.append(moves_from(position, restart))
    return {
        "text": session.text,
        "sweeps": sweep_counts_text(session),
        "places": places,
        "moves": moves,
        "play": {"speeds": PLAY_SPEEDS_MS, "labels": PLAY_LABELS},
        "storage": STORAGE,
        "themes": {theme: {"next": look.next_theme(theme), "attributes": look.theme_button(theme)}
                   for theme in look.THEMES},
        "panel": {state: {"next": look.toggled_panel(state), "attributes": look.panel_button(state)}
                  for state in ("open", "collapsed")},
        "keys": {"shortcuts": keys.SHORTCUTS, "press": list(keys.PRESS_KEYS),
                 "fields": list(keys.FIELD_TAGS), "controls": list(keys.CONTROL_TAGS),
                 "roles": list(keys.CONTROL_ROLES)},
        "sharePrefix": PREFIX,
    }


def takeover_step(handed, text):
    """The step Python takes over at when the page opened program `text`: the replay's,
    if the user stepped the same program before Python was up (`handed`: what the shell
    said when it handed over); else None (Python starts as it would have)."""
    if not handed or not handed.get("used") or handed.get("text") != text:
        return None
    return handed.get("step")
