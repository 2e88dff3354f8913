"""The page before Python is up, recorded at build time with the same Python.

The build draws the default example from HTML; this records what Python's step controls
send for it from every place along its steps (the renderer calls, the counter, the
explanation, which controls are disabled), and the words of the buttons that need no
Python. The page's shell replays these until Python is ready, and Python then takes over
at the step the replay reached (web/shell/first-steps.js).
"""

from . import chrome, keys
from .share import PREFIX
from .step_panel import (MOVES, PLAY_LABELS, PLAY_SPEEDS_MS, disabled_controls,
                         explanation_html, move, start_playing, sweep_counts)


def place(session):
    """What the step bar and the explanation show at the session's step."""
    return {"counter": session.counter, "phase": session.phase,
            "explanation": explanation_html(session), "atEnd": session.at_end,
            "disabled": disabled_controls(session)}


def moves_from(session, position, restart):
    """{control: {to, calls}}: what each step control does from `position`, Play too
    (its renderer calls when it starts). `restart()` gives a session at step 0."""
    recorded = {}
    for name in (*MOVES, "play"):
        s = restart()
        s.go_to(position)
        calls = start_playing(s) if name == "play" else move(s, name)
        recorded[name] = {"to": s.position, "calls": [list(call) for call in calls]}
    return recorded


def record(restart):
    """The recording for the program `restart()` loads afresh (the default example),
    as JSON-ready data."""
    session = restart()
    places, moves = [], []
    for position in range(session.total + 1):
        session.go_to(position)
        places.append(place(session))
        moves.append(moves_from(session, position, restart))
    return {
        "text": session.text,
        "direction": session.direction,
        "sweeps": sweep_counts(session),
        "places": places,
        "moves": moves,
        "play": {"speeds": PLAY_SPEEDS_MS, "labels": PLAY_LABELS},
        "storage": {"text": chrome.TEXT_KEY, "direction": chrome.DIRECTION_KEY,
                    "collapsed": chrome.COLLAPSED_KEY, "theme": chrome.THEME_KEY,
                    "panel": chrome.PANEL_KEY},
        "themes": {theme: {"next": chrome.next_theme(theme), **chrome.theme_button(theme)}
                   for theme in chrome.THEMES},
        "panel": {state: {"next": chrome.other_panel(state), **chrome.panel_button(state)}
                  for state in chrome.PANEL_STATES},
        "keys": {"shortcuts": keys.SHORTCUTS, "press": list(keys.PRESS_KEYS),
                 "fields": list(keys.FIELD_TAGS), "controls": list(keys.CONTROL_TAGS),
                 "roles": list(keys.CONTROL_ROLES)},
        "sharePrefix": PREFIX,
    }
