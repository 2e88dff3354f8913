"""What the page opens: a link, else the text saved in this browser, else the default
example; and what the user typed while Python was starting wins over both.

A damaged link is reported and the saved text opens instead. A link whose program does
not parse keeps its text in the editor with the error at its place; while booting the
canvas then shows the saved text (or the default), so the page never starts empty.
"""

import json

from .presets import DEFAULT, PRESETS, example_of
from .share import ShareError, decode, is_shared


def link_to_open(url_hash, hash_shown):
    """(state, notice) for the URL's hash: (None, None) when there is no link to open (or
    it is the one the page wrote itself), (None, why) for a damaged one."""
    if not is_shared(url_hash) or url_hash == hash_shown:
        return None, None
    try:
        return decode(url_hash), None
    except ShareError as error:
        return None, f"This link could not be opened: {error}."


def link_origin(state):
    """The example a link's text came from, if any."""
    return state.example if state.example in PRESETS else example_of(state.text)


def link_notices(state, total, tangent_known):
    """What the page says about a link it opened as well as it could."""
    notices = []
    if not tangent_known:
        notices.append(f"This link's forward mode is for {state.tangent}, which is not an "
                       "input of its program; showing backprop.")
    if state.step > total:
        notices.append(f"This link's step {state.step} is past the last step ({total}); "
                       "showing the last one.")
    return notices


def read_collapsed(stored):
    """The collapsed groups saved with the text (JSON), or None (the program's default)."""
    try:
        names = json.loads(stored or "null")
    except ValueError:
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    return names


def saved_choices(text, example, collapsed):
    """[(text, origin, collapsed groups)] to try in order: the saved text ("" too: an
    empty program is a normal state), then the default example."""
    choices = []
    if isinstance(text, str):
        origin = example if example in PRESETS else example_of(text)
        choices.append((text, origin, read_collapsed(collapsed)))
    choices.append((PRESETS[DEFAULT][1], DEFAULT, None))
    return choices


def typed_while_starting(value, default):
    """What the user typed in the editor before Python was up, or None."""
    return None if value == default else value
