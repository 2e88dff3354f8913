"""Tuning inputs: typed numbers, scrubbing, literal rewriting, and the session's live update."""

import math

import pytest
from hypothesis import given, strategies as st

from chainrule import parse
from chainrule.state.session import Session
from chainrule.core.numbers import InputError, literal_text, read_number
from chainrule.state.input_edits import LiteralText, Scrub, slider_range
from dagre_node import run_dagre
from test_session import apply
from torch_oracle import mirror, same

LECTURE = "a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f"


# reading what was typed ----------------------------------------------------------


@pytest.mark.parametrize("text, number", [("3", 3.0), (" -2.5 ", -2.5), ("1e-3", 0.001),
                                          ("+4", 4.0), ("−1.5", -1.5), ("0", 0.0)])
def test_read_number_accepts_what_people_type(text, number):
    assert read_number(text) == number


@pytest.mark.parametrize("text, says", [("", "type a number"), ("   ", "type a number"),
                                        ("abc", "'abc' is not a number"),
                                        ("1e999", "'1e999' is too large"),
                                        ("inf", "too large"), ("nan", "too large"),
                                        ("2*3", "is not a number")])
def test_read_number_refuses_with_a_reason(text, says):
    with pytest.raises(InputError, match=says.replace("*", r"\*")):
        read_number(text)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_literal_text_reads_back_exactly_through_the_parser(x):
    text = literal_text(x)
    program = parse(f"a = {text}\na*1")
    got = program.inputs["a"].data
    assert got == x and math.copysign(1, got) == math.copysign(1, x)


def test_literal_text_is_short():
    assert [literal_text(x) for x in (3.0, -2.0, 0.5, 1e-7, 1e20)] == \
        ["3", "-2", "0.5", "1e-07", "1e+20"]


# scrubbing and sliders --------------------------------------------------------------


def test_scrub_moves_a_hundredth_per_pixel_and_shift_a_tenth_of_that():
    s = Scrub(2.0)
    assert s.move(0) == 2.0
    assert s.move(30) == 2.3
    assert s.move(-130) == 1.0
    assert s.move(5, fine=True) == 1.005
    big = Scrub(250.0)
    assert big.move(7) == 257.0


def test_scrub_rounds_to_its_grid_and_keeps_its_scale_across_magnitudes():
    s = Scrub(0.6888)
    assert s.move(1) == 0.7
    assert s.move(1000) == 10.7  # still 0.01 per pixel after passing 10
    s = Scrub(2.0)
    for _ in range(7):
        value = s.move(0.5)
    assert value == 2.04  # sub-pixel movements add up


def test_slider_range_centres_on_the_value():
    assert slider_range(2.0) == (-3.0, 7.0, 0.01)
    low, high, step = slider_range(-250.0)
    assert (low, high, step) == (-750.0, 250.0, 1.0)


# rewriting literals in the text ------------------------------------------------------


def test_literal_text_rewrites_in_place_and_keeps_later_spans_right():
    source = "a = 2; b = -3\r\nc = (\n  10)\ny = a*b + c"
    program = parse(source)
    text = LiteralText(source, program.literals)
    text.set("a", "2.125")
    text.set("b", "4")
    text.set("c", "-0.5")
    assert text.source == "a = 2.125; b = 4\r\nc = (\n  -0.5)\ny = a*b + c"
    text.set("a", "1")
    assert text.source == "a = 1; b = 4\r\nc = (\n  -0.5)\ny = a*b + c"
    reread = parse(text.source)
    assert {n: v.data for n, v in reread.inputs.items()} == {"a": 1.0, "b": 4.0, "c": -0.5}


def test_a_name_without_a_literal_gets_one_on_top():
    source = "w = 3\ny = x*w"
    program = parse(source)
    text = LiteralText(source, program.literals)
    text.set("x", "0.25")
    text.set("w", "5")
    text.set("x", "-1")
    assert text.source == "x = -1\nw = 5\ny = x*w"


# the session: a forward pass over the same graph ---------------------------------------


def torch_values_and_grads(program):
    tensors = mirror(program.output)
    for t in tensors.values():
        if not t.is_leaf:
            t.retain_grad()
    out = tensors[id(program.output)]
    out.backward()
    return {id(v): (t.item(), t.grad.item() if t.grad is not None else 0.0)
            for v in program.output.topological_order() for t in [tensors[id(v)]]}


def test_tune_matches_torch_and_keeps_ids_and_positions():
    s2 = Session(run_dagre)
    view = s2.load(LECTURE)
    screen = {k: dict(v) for k, v in view["cells"].items()}
    apply(screen, s2.finish())
    apply(screen, s2.tune("a", 3.0))
    assert s2.text == LECTURE.replace("a = 2", "a = 3")
    assert s2.whole_view()["nodes"] == view["nodes"]  # same ids and positions
    expected = parse(s2.text)
    oracle = torch_values_and_grads(expected)
    for v_new, v_old in zip(expected.output.topological_order(), s2.order):
        value, grad = oracle[id(v_new)]
        cell = screen[s2.ids[v_old]]
        assert same(float(cell["v"]), value) and same(float(cell["g"]), grad), v_old.label
    assert s2.at_end  # gradients stayed live


def steps_of(session):
    """Every step's numbers, and the grads after each, as exact text."""
    return [(step.index, step.operand_id, repr(step.local), repr(step.upstream),
             repr(step.before), repr(step.after)) for step in session.taken]


def grads_of(session):
    return [repr(v.grad) for v in session.order]


@pytest.mark.parametrize("text", [LECTURE, "a = 2\nb = a*a\nc = b + a\nd = tanh(c*b)"])
def test_tune_at_the_end_replays_its_steps_only_when_one_is_asked_for(text):
    """The grads a tuning at the end shows are the ones stepping there gives, bit for bit;
    the steps behind them, replayed later, are those of a fresh session, and Back from
    there restores the grads before the last step exactly."""
    s = Session(run_dagre)
    s.load(text)
    s.finish()
    shown = dict(s.highlighted)
    patches = s.tune("a", 3.0)
    assert s.replay_pending and s.at_end and s.highlighted == shown
    assert not any("hl" in cell for cell in patches.values())  # the same last step
    fresh = Session(run_dagre)
    fresh.load(s.text)
    fresh.finish()
    assert grads_of(s) == grads_of(fresh)
    assert all(cell["done"] for cell in s.cells().values() if "done" in cell)
    assert steps_of(s) == steps_of(fresh) and not s.replay_pending
    assert grads_of(s) == grads_of(fresh)  # the replay set the same bits again
    assert s.current.arithmetic == fresh.current.arithmetic
    s.back()
    fresh.back()
    assert grads_of(s) == grads_of(fresh) and s.position == fresh.position
    assert s.reset() == fresh.reset() and grads_of(s) == grads_of(fresh) and s.at_start


def test_tune_before_the_end_starts_stepping_over():
    s = Session(run_dagre)
    view = s.load(LECTURE)
    screen = {k: dict(v) for k, v in view["cells"].items()}
    apply(screen, s.step())
    apply(screen, s.step())
    apply(screen, s.tune("f", -4.0))
    assert s.at_start and s.position == 0
    assert not any(cell.get("hl") for cell in screen.values())
    values = {s.ids[v]: v for v in s.order}
    assert all(screen[i]["g"] == "" for i in values)
    assert screen[s.ids[s.program.values["L"]]]["v"] == repr(-16.0)


def test_tune_sends_only_cells_that_changed():
    s = Session(run_dagre)
    s.load("a = 2\nb = 3\nc = a*2\nd = c + b")
    patches = s.tune("b", 5.0)
    changed = {s.order[int(i[1:])].label or s.order[int(i[1:])].op for i in patches}
    assert changed == {"b", "d"}  # a, the constant and c did not move
    assert s.tune("b", 5.0) == {}


def test_tune_keeps_nan_from_a_math_domain_error_visible():
    s = Session(run_dagre)
    s.load("a = 2\ny = log(a)")
    patches = s.tune("a", -1.0)
    y = s.program.values["y"]
    assert patches[s.ids[y]]["vt"] == "nan"


def test_scrub_updates_through_the_session_and_rewrites_the_text():
    s = Session(run_dagre)
    s.load(LECTURE)
    s.start_scrub("c")
    patches = s.scrub_by(40)  # c = 10 moves 0.1 per pixel
    assert s.program.inputs["c"].data == 14.0 and "c = 14\n" in s.text
    assert patches
    assert s.scrub_by(0.2) == {}  # under a pixel's worth: nothing to redraw
    s.end_scrub()
    assert s.scrub_by(10) == {}


def test_inputs_lists_only_what_is_in_the_graph_in_text_order():
    s = Session(run_dagre)
    s.load("z = 1\nb = 2\nunused = 5\ny = b*z + x")
    assert s.inputs == [("z", 1.0), ("b", 2.0), ("x", 1.0)]


def test_tuned_implicit_input_survives_a_reparse():
    s = Session(run_dagre)
    s.load("y = x*x")
    s.tune("x", 3.0)
    assert s.text == "x = 3\ny = x*x"
    assert parse(s.text).output.data == 9.0


def test_input_cells_carry_their_literal_for_editing():
    s = Session(run_dagre)
    view = s.load("a = 0.1\ny = a*2")
    labelled = {n["data"]["label"]: view["cells"][n["id"]] for n in view["nodes"]
                if n["type"] == "value"}
    assert labelled["a"]["e"] == "0.1"
    assert "e" not in labelled["y"]


# the Inputs panel's markup ------------------------------------------------------------


def test_panel_rows_carry_the_testids_values_and_slider_range():
    from chainrule.state.inputs_panel import panel_html

    html = panel_html([("a", 2.0), ("w1_0", -0.25)])
    assert html.count('class="inputs__row"') == 2
    assert 'data-testid="input-a"' in html and 'value="2"' in html
    assert 'data-testid="slider-a"' in html and 'min="-3" max="7" step="0.01"' in html
    assert 'data-testid="input-w1_0"' in html and 'value="-0.25"' in html


def test_panel_without_inputs_says_how_to_get_one():
    from chainrule.state.inputs_panel import panel_html

    assert "a = 2" in panel_html([])


def test_panel_markup_escapes_names():
    from chainrule.state.inputs_panel import row_html

    assert "<b>" not in row_html("<b>", 1.0)  # names are identifiers, but never trust that


def test_a_big_panel_shows_the_first_rows_and_says_a_filter_finds_the_rest():
    from chainrule.state.inputs_panel import SHOWN_ROWS, needs_filter, panel_html

    inputs = [(f"w{i}", i / 10) for i in range(SHOWN_ROWS + 7)]
    html = panel_html(inputs)
    assert needs_filter(inputs) and not needs_filter(inputs[:SHOWN_ROWS])
    assert html.count('class="inputs__row"') == SHOWN_ROWS
    assert f'data-testid="input-w{SHOWN_ROWS - 1}"' in html
    assert f'data-testid="input-w{SHOWN_ROWS}"' not in html
    assert f"{SHOWN_ROWS} of {SHOWN_ROWS + 7} shown" in html


def test_the_filter_matches_part_of_a_name_in_any_case():
    from chainrule.state.inputs_panel import panel_html

    inputs = [("w1_0", 1.0), ("W2_0", 2.0), ("b2_0", 3.0), ("x", 4.0)]
    html = panel_html(inputs, " w2 ")
    assert 'data-testid="input-W2_0"' in html and html.count('class="inputs__row"') == 1
    assert panel_html(inputs, "_0").count('class="inputs__row"') == 3
    assert "inputs-more" not in panel_html(inputs, "")


def test_a_filter_that_matches_nothing_says_so_in_escaped_text():
    from chainrule.state.inputs_panel import panel_html

    html = panel_html([("a", 1.0)], "<b>zz")
    assert "No input name contains" in html and "&lt;b&gt;zz" in html and "<b>" not in html
