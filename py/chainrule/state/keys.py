"""The page's keyboard: which key does what, given where the focus is.

A focused control answers Space and Enter itself (a button is pressed, a details opens),
and a field keeps every key it types or moves with. The page's shortcuts get the rest;
Play's Space only when nothing that takes Space has the focus: the canvas or the page.
"""

SHORTCUTS = {"ArrowRight": "step", "ArrowLeft": "back", " ": "play", "Home": "reset",
             "End": "finish", "f": "forward-pass", "F": "forward-pass", "g": "expand-current",
             "G": "expand-current", "p": "practice", "P": "practice", "[": "panel",
             "?": "shortcuts"}
PRESS_KEYS = (" ", "Enter")  # what a focused button, link or summary answers itself
FIELD_TAGS = ("INPUT", "TEXTAREA", "SELECT")
CONTROL_TAGS = ("BUTTON", "A", "SUMMARY")
CONTROL_ROLES = ("button", "link", "menuitem", "checkbox", "switch", "tab", "option")
# Keys that move a closed <select>'s choice (Chromium then fires `change` at once).
SELECT_BROWSE_KEYS = ("ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End",
                      "PageUp", "PageDown")


def focus_kind(tag, role=None, editable=False, in_canvas=False):
    """"field", "control", "canvas" or "body": what kind of thing has the focus."""
    if tag in FIELD_TAGS or editable:
        return "field"
    if tag in CONTROL_TAGS or role in CONTROL_ROLES:
        return "control"
    return "canvas" if in_canvas else "body"


def shortcut(key, focus, ctrl=False, meta=False, alt=False, shift=False):
    """The action a key press asks of the page (a key of SHORTCUTS' values, "undo" or
    "redo"), or None when the key belongs to the focused element or to nobody."""
    if (ctrl or meta) and not alt and key in ("z", "Z"):
        return "redo" if shift else "undo"
    if focus == "field" or ctrl or meta or alt:
        return None
    if focus == "control" and key in PRESS_KEYS:
        return None
    return SHORTCUTS.get(key)


def browses_select(key, alt=False):
    """True if `key` on a closed <select> moves its choice without choosing: arrows,
    Home/End, PageUp/Down and type-ahead letters. Alt+arrows and Space open its list,
    whose own commit (Enter, a click) chooses; Enter chooses what was browsed to."""
    if alt:
        return False
    return key in SELECT_BROWSE_KEYS or (len(key) == 1 and key != " ")


def undo_is_the_pages(tag, editing, editor_undrawn):
    """Ctrl+Z and Ctrl+Shift+Z: the page's undo (of drawn programs and canvas edits), or
    the focused field's own (False): a field or a select always, and the editor outside
    edit mode or while it holds text not drawn yet."""
    if tag in ("INPUT", "SELECT"):
        return False
    return not (tag == "TEXTAREA" and (not editing or editor_undrawn))
