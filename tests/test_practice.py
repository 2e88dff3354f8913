"""Practice mode on CPython: reading answers, when one is right, the hints, the score, and
what the page hides and asks at each step (reused nodes, collapsed boxes, both sweeps)."""

import math

import pytest
from hypothesis import given, strategies as st

from chainrule.state.answers import AnswerError, agrees, read_answer
from chainrule.state.practice import Practice
from chainrule.state.presets import PRESETS
from chainrule.state.session import Session
from dagre_node import run_dagre
from micrograd_examples import BOXED_NEURON

LECTURE = PRESETS["lecture"][1]
REUSE = PRESETS["reuse"][1]


@pytest.mark.parametrize("typed, number", [
    ("-2", -2.0), ("-2.0", -2.0), ("−2", -2.0), ("  6 ", 6.0), ("+4", 4.0), ("1e-3", 0.001),
    ("1E3", 1000.0), (".5", 0.5), ("2.", 2.0), ("1/2", 0.5), ("-3/4", -0.75), ("1 / 4", 0.25),
    ("0", 0.0), ("-0", 0.0),
])
def test_the_forms_a_learner_writes_are_read(typed, number):
    assert read_answer(typed) == number


@pytest.mark.parametrize("typed, number", [
    ("inf", math.inf), ("-inf", -math.inf), ("Infinity", math.inf), ("∞", math.inf),
    ("−inf", -math.inf), ("nan", math.nan), ("NaN", math.nan),
])
def test_inf_and_nan_are_answers(typed, number):
    read = read_answer(typed)
    assert read == number or (math.isnan(read) and math.isnan(number))


@pytest.mark.parametrize("typed, says", [
    ("", "Type your answer first"), ("   ", "Type your answer first"),
    ("two", "'two' is not a number"), ("2*3", "is a calculation"), ("-3 × -2", "calculation"),
    ("1+1", "calculation"), ("(1)", "calculation"), ("1/2/3", "calculation"),
    ("0,5", "decimal point as a dot"), ("1/0", "other than 0 below the line"),
    ("1e999", "too large"), ("1" * 50, "too long"), ("0x10", "not a number"),
    ("1_000", "not a number"), ("<b>1</b>", "not a number"), (None, "Type your answer first"),
])
def test_anything_else_is_refused_with_a_message(typed, says):
    with pytest.raises(AnswerError, match=says):
        read_answer(typed)


@given(st.text(max_size=60))
def test_any_text_is_a_number_or_an_answer_error(text):
    try:
        assert isinstance(read_answer(text), float)
    except AnswerError as refusal:
        assert str(refusal)


@pytest.mark.parametrize("answer, true, right", [
    (6, 6.0, True), (-2, -2.0, True), (0.7071, math.sqrt(0.5), True),
    (0.70711, math.sqrt(0.5), True), (0.707, math.sqrt(0.5), False),  # 3 digits only
    (0.7072, math.sqrt(0.5), True), (0.7073, math.sqrt(0.5), False),
    (12346, 12345.6, True), (12350, 12345.6, True), (12360, 12345.6, False), (1.5e-7, 1.5e-7, True),
    (1.6e-7, 1.5e-7, False), (-6, 6.0, False),
    (0, 0.0, True), (0, -0.0, True), (1e-10, 0.0, True), (2e-9, 0.0, False),
    (0, 1e-17, True),  # a float's noise around a true zero
    (math.inf, math.inf, True), (-math.inf, math.inf, False), (1e308, math.inf, False),
    (math.nan, math.nan, True), (0, math.nan, False), (math.nan, 1.0, False),
])
def test_right_means_four_significant_digits_or_1e_9_for_zeros(answer, true, right):
    assert agrees(float(answer), true) is right


@pytest.fixture
def session():
    return Session(run_dagre)


def open_program(session, text):
    session.load(text)
    practice = Practice()
    practice.set_on(True, session)
    return practice


def step(session, practice, move="step"):
    patches = session.step()
    return {**patches, **practice.moved(session, move)} if patches is not None else None


def test_a_step_hides_the_new_gradient_until_the_answer_is_right(session):
    practice = open_program(session, LECTURE)
    shown = session.cells()
    patches = step(session, practice)
    question = practice.question
    assert question.true == 1.0 and "∂L/∂L" in question.prompt
    root = question.node_id
    assert patches[root]["g"] == "" and patches[root]["gt"] == ""  # as before the step
    assert shown[root]["g"] == ""
    assert practice.blocks([("explain-formula", "∂L/∂L = 1"), ("explain-group", "In box")]) \
        == [("explain-group", "In box")]
    assert practice.answer("2", session) is None and practice.feedback.kind == "wrong"
    assert practice.answer("two", session) is None and practice.feedback.kind == "refused"
    assert practice.misses == 1  # a refusal is not a miss
    revealed = practice.answer("1", session)
    assert revealed[root]["g"] == "1.0" and revealed[root]["done"] is True
    assert practice.feedback.kind == "right" and not practice.asking
    assert practice.score.text() == "Score: 0 / 1 right on the first try · hardest rule so " \
                                    "far: the seed: ∂L/∂L = 1"


def test_the_lecture_example_answered_step_by_step(session):
    practice = open_program(session, LECTURE)
    truths = []
    while not session.at_end:
        step(session, practice)
        truths.append(practice.question.true)
        assert practice.answer(repr(practice.question.true), session) is not None
    assert truths == [1.0, -2.0, 4.0, -2.0, -2.0, 6.0, -4.0]
    assert practice.score.first_try == practice.score.answered == 7
    assert practice.score.hardest == "∂(d·f)/∂d = f"  # the first product: harder than a sum


def test_hints_come_in_three_stages_and_never_give_the_number(session):
    practice = open_program(session, LECTURE)
    for _ in range(5):
        step(session, practice)
        practice.reveal(session)
    step(session, practice)  # ∂L/∂a = ∂e/∂a · ∂L/∂e
    hints = []
    for wrong in ("1", "2", "3", "4"):
        practice.answer(wrong, session)
        hints.append(practice.feedback.hint)
    assert hints[0] == "The chain rule: ∂L/∂a = ∂e/∂a · ∂L/∂e."
    assert hints[1] == "The local derivative: ∂e/∂a = b = -3; and ∂L/∂e = -2 (on e)."
    assert hints[2] == hints[3] == "Compute -3 × -2."
    assert practice.feedback.text.endswith("Hint 3 of 3:")
    assert not any("6" in hint for hint in hints)
    shown = practice.reveal(session)
    assert shown[practice.current.node_id]["g"] == "6.0"
    assert practice.feedback.kind == "shown"
    assert practice.score.answered == 6 and practice.score.first_try == 0


def test_a_reused_node_asks_for_its_running_total(session):
    practice = open_program(session, REUSE)  # b = a + a; c = b * b
    asked = []
    while not session.at_end:
        patches = step(session, practice)
        question = practice.question
        asked.append((question.prompt, question.true, patches[question.node_id].get("g")))
        practice.answer(repr(question.true), session)
    (_, seed, _), (first, b1, hidden1), (total, b2, kept), (a_first, a1, _), (a_total, a2, a_kept) \
        = asked
    assert "b is used 2 times: this step brings the first" in first and hidden1 == ""
    assert "already holds 6 from another use" in total and "running total" in total
    assert (b1, b2, kept) == (6.0, 12.0, "6.0")  # b's cell keeps 6 until the total is right
    assert "a is used 2 times" in a_first and "running total" in a_total
    assert (a1, a2, a_kept) == (12.0, 24.0, "12.0")
    hint = practice.current.hints[0]
    assert hint == "The chain rule: ∂c/∂a += ∂b/∂a · ∂c/∂b (added to what it holds already)."


def test_a_collapsed_box_asks_for_what_it_shows_and_explains_the_rest(session):
    session.load(BOXED_NEURON, collapsed=["neuron"])
    practice = Practice()
    practice.set_on(True, session)
    asked = []
    while not session.at_end:
        step(session, practice)
        current = practice.current
        asked.append((current.askable, session.ids[current.value]))
        if practice.asking:
            practice.reveal(session)
    askable = [node for ok, node in asked if ok]
    labels = {session.ids[v]: v.label for v in session.order}
    assert [labels[node] for node in askable] == ["o", "x2", "x1"]
    inside = [a for a in asked if not a[0]]
    assert inside and all(session.hidden.get(node) == "g:neuron" for _, node in inside)
    session.reset()
    practice.moved(session, "reset")
    step(session, practice)
    assert "o leaves the collapsed box neuron" in practice.question.prompt
    practice.reveal(session)
    step(session, practice)
    assert not practice.asking and "inside the collapsed box neuron" in practice.panel()["prompt"]
    session.expand_current()
    practice.regrouped(session)
    assert practice.asking  # opened: the step can be practised now


def test_the_forward_pass_asks_for_values_and_forward_mode_for_tangents(session):
    practice = open_program(session, LECTURE)
    patches = session.start_forward_pass()
    practice.moved(session, "restore")
    patches = step(session, practice)
    question = practice.question
    assert question.phase == "forward" and question.prompt == \
        "The forward pass: what is the value of e?"
    assert patches[question.node_id]["vt"] == "?" and question.true == -6.0
    assert question.hints[2] == "Compute 2 × -3."
    assert practice.answer("-6", session)[question.node_id]["v"] == "-6.0"
    session.set_tangent_input("a")
    session.reset()
    practice.moved(session, "reset")
    patches = step(session, practice)
    question = practice.question
    assert question.phase == "tangent" and question.true == -3.0
    assert question.prompt == "Forward mode for a: what is ė, the tangent ∂e/∂a?"
    assert patches[question.node_id]["tt"] == "?"
    assert question.hints[2] == "Compute 1 × -3 + 0 × 2."


def test_moves_other_than_step_show_every_number_and_do_not_count(session):
    practice = open_program(session, LECTURE)
    step(session, practice)
    practice.answer("1", session)
    step(session, practice)
    assert practice.asking
    asked = practice.question
    session.back()
    assert practice.moved(session, "back") == {asked.node_id: session.cell(asked.value)}
    assert not practice.asking and session.cell(asked.value)["g"] == ""  # unknown again
    assert practice.score.answered == 1
    step(session, practice)  # the same step again: asked again, it was never answered
    assert practice.asking
    skipped = practice.question
    patches = step(session, practice)  # past it unanswered: counted as missed, and shown
    assert patches[skipped.node_id]["g"] == repr(skipped.true)
    assert practice.score.answered == 2 and practice.score.first_try == 1
    for _ in range(2):
        session.back()
        practice.moved(session, "back")
    step(session, practice)  # missed before: not asked again before a Reset
    assert not practice.asking
    session.finish()
    practice.moved(session, "finish")
    assert not practice.asking
    patches = practice.set_on(False, session)
    assert patches == {} and practice.panel() is None


def test_turning_practice_off_shows_the_number_it_hid(session):
    practice = open_program(session, LECTURE)
    step(session, practice)
    node = practice.question.node_id
    assert practice.set_on(False, session)[node]["g"] == "1.0"


def test_what_each_kind_of_page_change_does_to_the_question(session):
    practice = open_program(session, LECTURE)
    step(session, practice)
    node = practice.question.node_id
    assert practice.follow(session, "redraw") == {node: practice.question.concealed}
    assert practice.follow(session, None) == {} and practice.asking
    assert practice.follow(session, "regroup") == {node: practice.question.concealed}
    assert practice.follow(session, "tune")[node]["g"] == "1.0" and not practice.asking
    practice.set_on(False, session)
    assert practice.follow(session, "step") == {}


def test_conceal_keeps_a_whole_view_hiding_the_number(session):
    practice = open_program(session, LECTURE)
    step(session, practice)
    step(session, practice)
    cells = practice.conceal(session.whole_view()["cells"])
    assert cells[practice.question.node_id]["g"] == ""


def test_a_score_with_nothing_answered_says_so():
    assert Practice().score.text() == "Score: nothing answered yet."
