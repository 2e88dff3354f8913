"""The page's keyboard: a focused control answers Space and Enter itself; Play's Space
only from the canvas or the page; fields keep their keys; the Examples select browses."""

import pytest

from chainrule.state.keys import SHORTCUTS, browses_select, focus_kind, shortcut


@pytest.mark.parametrize("tag, role, editable, in_canvas, kind", [
    ("BODY", None, False, False, "body"),
    ("HTML", None, False, False, "body"),
    ("DIV", None, False, True, "canvas"),  # the flow's pane, a node's wrapper
    ("BUTTON", None, False, False, "control"),
    ("BUTTON", None, False, True, "control"),  # a group's toggle on the canvas
    ("SPAN", "button", False, True, "control"),  # an input's number on the canvas
    ("SUMMARY", None, False, False, "control"),
    ("A", None, False, False, "control"),
    ("BUTTON", "menuitem", False, True, "control"),
    ("INPUT", None, False, False, "field"),
    ("INPUT", None, False, True, "field"),  # the number editor on the canvas
    ("TEXTAREA", None, False, False, "field"),
    ("SELECT", None, False, False, "field"),
    ("DIV", None, True, False, "field"),
])
def test_focus_kinds(tag, role, editable, in_canvas, kind):
    assert focus_kind(tag, role, editable, in_canvas) == kind


@pytest.mark.parametrize("focus", ["body", "canvas"])
def test_space_plays_from_the_canvas_and_the_page(focus):
    assert shortcut(" ", focus) == "play"
    assert shortcut("Enter", focus) is None


@pytest.mark.parametrize("key", [" ", "Enter"])
def test_a_focused_control_is_pressed_by_space_and_enter(key):
    assert shortcut(key, "control") is None


def test_other_shortcuts_still_work_from_a_control_pressed_a_moment_ago():
    for key in ("ArrowRight", "ArrowLeft", "Home", "End", "f", "F", "g", "G", "p", "P", "?"):
        assert shortcut(key, "control") == SHORTCUTS[key]


def test_a_field_keeps_every_key_but_undo():
    for key in [*SHORTCUTS, "Enter"]:
        assert shortcut(key, "field") is None
    assert shortcut("z", "field", ctrl=True) == "undo"  # the page decides (field's own undo)


def test_modifiers():
    assert shortcut("z", "body", ctrl=True) == "undo"
    assert shortcut("Z", "body", meta=True, shift=True) == "redo"
    assert shortcut("z", "body", ctrl=True, alt=True) is None
    assert shortcut("ArrowRight", "body", alt=True) is None  # the browser's Back
    assert shortcut(" ", "body", ctrl=True) is None


@pytest.mark.parametrize("key, alt, browses", [
    ("ArrowDown", False, True), ("ArrowUp", False, True), ("End", False, True),
    ("Home", False, True), ("PageDown", False, True), ("d", False, True),
    ("ArrowDown", True, False),  # opens the list
    (" ", False, False), ("Enter", False, False), ("Tab", False, False),
    ("Escape", False, False), ("Shift", False, False),
])
def test_which_keys_browse_a_closed_select(key, alt, browses):
    assert browses_select(key, alt) is browses
