"""Practice mode on the page: the learner computes each step's number; wrong answers keep it
hidden and give hints, right ones (or Show me) reveal it; reused nodes, collapsed boxes,
the forward pass, the keyboard, and the link. Expected numbers come from chainrule on
CPython."""

import json

from playwright.sync_api import expect

from chainrule import backward_steps, parse
from chainrule.core.ids import node_ids
from chainrule.state.presets import PRESETS
from chainrule.state.share import SharedState, encode
from harness import wait_for_state
from pages import (
    LECTURE, TIMEOUT_MS, Expected, blur, by_testid, enter_text, expect_counter, open_app,
    read_canvas, run_python,
)
from micrograd_examples import BOXED_NEURON  # tests/, on the path once pages is imported


def lecture_ids():
    root = parse(LECTURE).output
    ids = node_ids(root.topological_order())
    return {v.label: ids[v] for v in root.topological_order()}, list(backward_steps(root))


def grad_of(page, node_id):
    return page.locator(f'[data-testid="value-node"][data-id="{node_id}"]').get_attribute(
        "data-grad")


def expect_grad(page, node_id, grad):
    expect(page.locator(f'[data-testid="value-node"][data-id="{node_id}"]')).to_have_attribute(
        "data-grad", grad, timeout=TIMEOUT_MS)


def answer(page, text):
    field = by_testid(page, "practice-answer")
    field.fill(text)
    field.press("Enter")


def practice_on(page):
    by_testid(page, "practice").click()
    expect(by_testid(page, "practice")).to_have_attribute("aria-pressed", "true")
    expect(by_testid(page, "practice-panel")).to_be_visible()


def test_practice_on_the_lecture_example_end_to_end(page, app_url):
    open_app(page, app_url)
    ids, steps = lecture_ids()
    practice_on(page)
    expect(by_testid(page, "practice-prompt")).to_contain_text("press Step")
    expect(by_testid(page, "practice-score")).to_have_text("Score: nothing answered yet.")

    by_testid(page, "step").click()
    expect_counter(page, 1, 7)
    field = by_testid(page, "practice-answer")
    expect(field).to_be_focused()  # the answer field takes focus on Step
    expect(by_testid(page, "practice-prompt")).to_contain_text("what is ∂L/∂L")
    assert by_testid(page, "explain-formula").count() == 0  # nothing gives the number away
    answer(page, "2*3")
    expect(by_testid(page, "practice-feedback")).to_contain_text("is a calculation")
    expect(field).to_have_attribute("aria-invalid", "true")
    answer(page, "5")
    feedback = by_testid(page, "practice-feedback")
    expect(feedback).to_contain_text("Not quite: 5 is not ∂L/∂L. Hint 1 of 3:")
    expect(feedback).to_contain_text("how much L changes when L itself is nudged")
    assert grad_of(page, ids["L"]) == ""  # still hidden after a wrong answer
    answer(page, "1")
    expect(feedback).to_contain_text("Right (try 2): ∂L/∂L = 1.")
    expect_grad(page, ids["L"], "1.0")
    expect(by_testid(page, "explain-formula")).to_have_text(steps[0].formula)
    expect(by_testid(page, "practice-score")).to_have_text(
        "Score: 0 / 1 right on the first try · hardest rule so far: the seed: ∂L/∂L = 1")

    by_testid(page, "step").click()  # ∂L/∂d: shown
    expect(by_testid(page, "practice-prompt")).to_contain_text("d's gradient ∂L/∂d")
    expect_grad(page, ids["d"], "")
    answer(page, "7")
    answer(page, "8")
    expect(feedback).to_contain_text("Hint 2 of 3:")
    expect(feedback).to_contain_text("The local derivative: ∂(d·f)/∂d = f = -2")
    by_testid(page, "practice-reveal").click()
    expect(feedback).to_contain_text("Shown: ∂L/∂d = -2.")
    expect_grad(page, ids["d"], "-2.0")

    expect(by_testid(page, "step")).to_be_focused()  # shown: the keyboard steps on
    for step in steps[2:]:  # the rest right on the first try, from the keyboard
        page.keyboard.press("ArrowRight")
        expect(field).to_be_focused()
        expect_grad(page, step.operand_id, "")
        answer(page, repr(step.after))
        expect(feedback).to_contain_text("Right (first try)")
        expect_grad(page, step.operand_id, repr(step.after))
    expect_counter(page, 7, 7)
    expect(by_testid(page, "practice-score")).to_have_text(
        "Score: 5 / 7 right on the first try · hardest rule so far: ∂(d·f)/∂f = d")


# Counts the canvas updates the page sends (each one a bridge call and a render).
COUNT_UPDATES = """
from chainrule.page import app
canvas = app.page.canvas_view
canvas.sent = []
def counting(patches, send=canvas.update):
    if patches:
        canvas.sent.append(sorted(patches))
    send(patches)
canvas.update = counting
"""


def test_a_step_in_practice_sends_its_cells_in_one_update(page, app_url):
    open_app(page, app_url)
    ids, _ = lecture_ids()
    practice_on(page)
    run_python(page, COUNT_UPDATES)
    for step in range(1, 3):
        by_testid(page, "step").click()
        expect_counter(page, step, 7)
        expect(by_testid(page, "practice-answer")).to_be_focused()
    sent = run_python(page, "import json; json.dumps(canvas.sent)")
    # One update a step, holding the session's cells and practice's hidden number.
    first, second = json.loads(sent)
    assert ids["L"] in first and ids["d"] in second
    expect_grad(page, ids["d"], "")


def test_escape_leaves_the_answer_and_the_shortcuts_work_again(page, app_url):
    open_app(page, app_url)
    practice_on(page)
    blur(page)
    page.keyboard.press("ArrowRight")
    field = by_testid(page, "practice-answer")
    expect(field).to_be_focused()
    page.keyboard.type("3")
    page.keyboard.press("ArrowLeft")  # in the field: moves the caret, never steps back
    expect_counter(page, 1, 7)
    page.keyboard.press("Escape")
    expect(by_testid(page, "step")).to_be_focused()
    expect(field).to_have_value("3")
    page.keyboard.press("ArrowRight")  # past the question: counted as missed
    expect_counter(page, 2, 7)
    expect(by_testid(page, "practice-score")).to_have_text("Score: 0 / 1 right on the first try")
    expect(field).to_be_focused()  # the next question
    page.keyboard.press("Escape")
    page.keyboard.press("p")  # P turns practice off, from outside the field
    expect(by_testid(page, "practice")).to_have_attribute("aria-pressed", "false")


def test_back_reset_and_practice_off_show_the_numbers_as_usual(page, app_url):
    open_app(page, app_url)
    ids, _ = lecture_ids()
    practice_on(page)
    by_testid(page, "step").click()
    answer(page, "1")
    by_testid(page, "step").click()
    expect_grad(page, ids["d"], "")
    by_testid(page, "back").click()
    expect_counter(page, 1, 7)
    expect(by_testid(page, "practice-row")).to_be_hidden()
    by_testid(page, "step").click()  # asked again: it was never answered
    expect(by_testid(page, "practice-row")).to_be_visible()
    expect_grad(page, ids["d"], "")
    by_testid(page, "practice").click()  # off: the number it hid is shown
    expect(by_testid(page, "practice-panel")).to_be_hidden()
    expect_grad(page, ids["d"], "-2.0")
    expect(by_testid(page, "explain-formula")).to_be_visible()


def test_practice_with_a_reused_node_asks_for_its_running_total(page, app_url):
    open_app(page, app_url)
    text = PRESETS["reuse"][1]  # b = a + a; c = b * b
    by_testid(page, "preset").select_option("reuse")
    expected = Expected.of(text)
    root = parse(text).output
    ids = node_ids(root.topological_order())
    b = next(ids[v] for v in root.topological_order() if v.label == "b")
    practice_on(page)
    by_testid(page, "step").click()
    answer(page, "1")
    by_testid(page, "step").click()
    expect(by_testid(page, "practice-prompt")).to_contain_text(
        "b is used 2 times: this step brings the first of its contributions")
    answer(page, "6")
    expect_grad(page, b, "6.0")
    by_testid(page, "step").click()
    expect(by_testid(page, "practice-prompt")).to_contain_text(
        "already holds 6 from another use: what is its gradient ∂c/∂b now, the running total?")
    answer(page, "6")  # the contribution, not the total
    expect(by_testid(page, "practice-feedback")).to_contain_text("Not quite")
    expect_grad(page, b, "6.0")  # the running total so far stays, the new one is hidden
    answer(page, "12")
    expect_grad(page, b, "12.0")
    expect_counter(page, 3, expected.total)


def test_practice_with_a_collapsed_group_asks_what_the_box_shows(page, app_url):
    open_app(page, app_url)
    enter_text(page, BOXED_NEURON, exact=False)
    by_testid(page, "collapse-all").click()
    row = page.locator('[data-testid="group-output"][data-label="o"]')
    expect(row).to_be_visible()
    practice_on(page)
    by_testid(page, "step").click()
    expect(by_testid(page, "practice-prompt")).to_contain_text(
        "o leaves the collapsed box neuron")
    expect(row).to_have_attribute("data-grad", "")
    answer(page, "1")
    expect(row).to_have_attribute("data-grad", "1.0", timeout=TIMEOUT_MS)
    by_testid(page, "step").click()  # into tanh's input, inside the box
    expect(by_testid(page, "practice-prompt")).to_contain_text(
        "inside the collapsed box neuron, where its number is not on screen")
    expect(by_testid(page, "practice-row")).to_be_hidden()
    blur(page)
    page.keyboard.press("g")  # open it: the step can be practised now
    expect(page.locator('[data-group="neuron"]').first).to_have_attribute(
        "data-collapsed", "false", timeout=TIMEOUT_MS)
    expect(by_testid(page, "practice-row")).to_be_visible()
    answer(page, "0.5")
    expect(by_testid(page, "practice-feedback")).to_contain_text("Right (first try)")


def test_practice_asks_for_values_in_the_forward_pass(page, app_url):
    open_app(page, app_url)
    ids, _ = lecture_ids()
    practice_on(page)
    by_testid(page, "forward-pass").click()
    by_testid(page, "step").click()
    expect(by_testid(page, "practice-prompt")).to_have_text(
        "The forward pass: what is the value of e?")
    node = page.locator(f'[data-testid="value-node"][data-id="{ids["e"]}"]')
    expect(node).to_have_attribute("data-value", "")
    answer(page, "-6")
    expect(node).to_have_attribute("data-value", "-6.0", timeout=TIMEOUT_MS)


def test_practice_is_in_the_link_and_survives_a_reload(page, app_url):
    open_app(page, app_url)
    practice_on(page)
    page.wait_for_function("(hash) => location.hash === hash",
                           arg=encode(SharedState(LECTURE, example="lecture", practice=True)))
    page.reload()
    wait_for_state(page, "ready")
    expect(by_testid(page, "practice")).to_have_attribute("aria-pressed", "true")
    expect(by_testid(page, "practice-panel")).to_be_visible()
    assert read_canvas(page).values
