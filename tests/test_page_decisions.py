"""The decisions the page's glue takes from plain Python: what opens, what the step bar and
the explanation show, the theme and panel, who owns undo, what a training task does."""

import json

import pytest

from chainrule.state.canvas_edit import CanvasEditor
from chainrule.state.history import History
from chainrule.state.keys import undo_is_the_pages
from chainrule.state.look import (THEMES, known_theme, next_theme, panel_button, theme_button,
                                  toggled_panel)
from chainrule.state.opening import (link_notices, link_origin, link_to_open, read_collapsed,
                                     saved_choices, typed_while_starting)
from chainrule.state.presets import DEFAULT, PRESETS
from chainrule.state.session import Session
from chainrule.state.share import SharedState, encode
from chainrule.state.step_controls import (disabled_controls, explanation_blocks,
                                           explanation_html, sweep_counts_text,
                                           tangent_options_html)
from chainrule.train.runs import PLOT_EVERY_MS, TrainingRun
from chainrule.view.layered import layered_layout

LECTURE = PRESETS[DEFAULT][1]


# what opens ----------------------------------------------------------------------------

def test_a_link_opens_unless_the_page_wrote_it_itself():
    link = encode(SharedState("a = 2\nL = a*a", step=1))
    state, notice = link_to_open(link, hash_shown=None)
    assert (state.text, state.step, notice) == ("a = 2\nL = a*a", 1, None)
    assert link_to_open(link, hash_shown=link) == (None, None)
    assert link_to_open("", None) == (None, None)
    assert link_to_open("#section-2", None) == (None, None)


def test_a_damaged_link_says_why_and_opens_nothing():
    link = encode(SharedState("a = 2"))
    state, notice = link_to_open(link[:-6] + "%%%%%%", None)
    assert state is None
    assert notice.startswith("This link could not be opened: ")


def test_a_links_origin_is_its_example_or_the_example_its_text_is():
    assert link_origin(SharedState(LECTURE, example="nope")) == DEFAULT
    assert link_origin(SharedState("z = 1", example=DEFAULT)) == DEFAULT
    assert link_origin(SharedState("z = 1")) is None


def test_link_notices():
    state = SharedState("a = 1", step=9, tangent="q")
    assert link_notices(state, total=3, tangent_known=True) == [
        "This link's step 9 is past the last step (3); showing the last one."]
    assert link_notices(state, total=9, tangent_known=False) == [
        "This link's forward mode is for q, which is not an input of its program; "
        "showing backprop."]
    assert link_notices(SharedState("a = 1", step=2), 3, True) == []


def test_the_saved_text_then_the_default():
    choices = saved_choices("x = 1", "", json.dumps(["g"]))
    assert choices == [("x = 1", None, ["g"]), (LECTURE, DEFAULT, None)]
    assert saved_choices("", DEFAULT, None)[0] == ("", DEFAULT, None)  # empty is a program
    assert saved_choices(None, None, None) == [(LECTURE, DEFAULT, None)]


@pytest.mark.parametrize("stored, read", [
    (None, None), ("", None), ("null", None), ("[1, 2]", None), ("{", None),
    ('{"a": 1}', None), ('["n1", "n2"]', ["n1", "n2"]), ("[]", []),
])
def test_saved_collapsed_groups_are_read_or_ignored(stored, read):
    assert read_collapsed(stored) == read


def test_what_was_typed_while_starting():
    assert typed_while_starting(LECTURE, LECTURE) is None
    assert typed_while_starting(LECTURE + "\ng = L*3", LECTURE) == LECTURE + "\ng = L*3"
    assert typed_while_starting("", LECTURE) == ""


# the step bar and the explanation -------------------------------------------------------

def session_of(text):
    session = Session(layered_layout)
    session.load(text)
    return session


def test_the_step_bar_at_the_start_and_the_end():
    s = session_of(LECTURE)
    assert disabled_controls(s, playing=False) == {
        "step": False, "finish": False, "back": True, "reset": True, "play": False,
        "expand-current": True}
    s.finish()
    at_end = disabled_controls(s, playing=False)
    assert at_end["step"] and at_end["finish"] and at_end["play"]
    assert not at_end["back"] and not at_end["reset"]
    assert not disabled_controls(s, playing=True)["play"]  # Pause stays pressable


def test_an_empty_program_cannot_play():
    assert disabled_controls(session_of(""), playing=False)["play"]


def test_the_explanation_is_escaped_text():
    s = session_of("x = 2\ny = x*x")
    s.step()
    html = explanation_html(s)
    assert html.startswith('<p data-testid="explain-formula">')
    assert all(f'data-testid="{testid}"' in html for testid, _ in explanation_blocks(s))
    assert "<script" not in explanation_html(session_of("x = 2\ny = x*x"))


def test_a_step_in_a_collapsed_group_says_so():
    s = session_of("# group: inner\nx = 2\nt = x*x\n# group: end\ny = t + 1")
    s.set_collapsed(["inner"])
    while s.step_group is None and not s.at_end:
        s.step()
    assert s.step_group == "inner"
    assert explanation_blocks(s)[-1] == ("explain-group", "In inner (collapsed): G expands it.")
    assert not disabled_controls(s, playing=False)["expand-current"]


def test_forward_modes_options_and_the_sweep_counts():
    s = session_of("a = 1\nb = 2\nc = a*b")
    assert tangent_options_html(["a", "b"]) == (
        '<option value="">off</option><option value="a">∂/∂a</option>'
        '<option value="b">∂/∂b</option>')
    assert sweep_counts_text(s) == ("Every derivative of the output: forward mode 2 sweeps "
                                    "(one per input), backprop 1 (one per output).")
    assert sweep_counts_text(session_of("c = 2*3")) == ""
    assert tangent_options_html([]) == '<option value="">off</option>'


# the look -------------------------------------------------------------------------------

def test_the_theme_cycles_and_unknown_themes_start_it():
    assert [next_theme(t) for t in THEMES] == ["light", "dark", "system"]
    assert next_theme("purple") == "system" and known_theme("purple") == "system"
    assert known_theme("dark") == "dark"
    assert theme_button("dark")["textContent"] == "◐ Theme: dark"


def test_the_panel_toggles_and_its_button_says_what_a_press_does():
    assert toggled_panel("open") == "collapsed" and toggled_panel("collapsed") == "open"
    assert toggled_panel(None) == "collapsed"
    assert panel_button("collapsed")["aria-expanded"] == "false"
    assert panel_button("collapsed")["aria-label"] == "Show the panel"
    assert panel_button("open")["textContent"] == "«"


# undo -----------------------------------------------------------------------------------

@pytest.mark.parametrize("tag, editing, undrawn, pages", [
    ("INPUT", True, False, False), ("SELECT", True, False, False),
    ("TEXTAREA", False, False, False),  # outside edit mode the editor undoes its typing
    ("TEXTAREA", True, True, False),  # typing not drawn yet: the editor's own undo
    ("TEXTAREA", True, False, True), ("DIV", False, False, True), ("BODY", True, True, True),
])
def test_who_undoes(tag, editing, undrawn, pages):
    assert undo_is_the_pages(tag, editing, undrawn) is pages


def test_undo_says_whether_the_canvas_drew_the_entry():
    s = session_of("a = 2\nb = a*3")
    editor = CanvasEditor()
    editor.text_loaded(s)  # typed: no model
    editor.ensure_model(s)
    editor.record("a = 2\nb = a*4")  # a canvas edit: the model's snapshot
    assert editor.undo() == ("a = 2\nb = a*3", False)
    assert editor.redo() == ("a = 2\nb = a*4", True)
    assert editor.redo() is None


def test_history_put_back():
    h = History()
    for entry in "abc":
        h.record(entry)
    kept = h.kept()
    h.undo()
    h.record("d")
    h.put_back(kept)
    assert (h.entries, h.index, h.can_undo, h.can_redo) == (["a", "b", "c"], 2, True, False)


# training tasks -------------------------------------------------------------------------

class FakeTrainer:
    history, diverged_at = [], None


def test_a_run_draws_a_due_plot_else_steps():
    now = [0.0]
    run = TrainingRun(FakeTrainer(), lambda: now[0])
    assert run.next_task(plots_seen=True) == "boundary"  # never drawn: due
    assert run.next_task(plots_seen=True) == "loss"
    assert run.next_task(plots_seen=True) == "steps"
    now[0] += PLOT_EVERY_MS["loss"]
    assert run.next_task(plots_seen=True) == "loss"
    now[0] += PLOT_EVERY_MS["boundary"]
    assert run.next_task(plots_seen=False) == "steps"  # a closed panel draws nothing
    assert run.next_task(plots_seen=True) == "boundary"
