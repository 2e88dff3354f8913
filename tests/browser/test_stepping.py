"""Stepping through backprop: one `next()` of chainrule's backward_steps per Step.

After every move the page is compared with the steps chainrule computes on CPython
(pages.Expected): the counter, every grad, which nodes are complete, the highlight, the
explanation and the buttons. Finish is compared with PyTorch too.
"""

import pytest
from playwright.sync_api import expect

from chainrule.core.numbers import fmt
from chainrule.state.presets import PRESETS
from pages import (
    LECTURE, SETTLE_MS, TIMEOUT_MS, Expected, blur, by_testid, check_buttons, check_position,
    choose_preset, dom_step_state, enter_text, eventually, expect_counter, expect_playing,
    explanation, frozen_clock, open_app, read_canvas, same_number, step_texts,
)

# The page's counter and play state, every value they take, in order.
RECORD_PLAY = """() => {
    window.seen = {counter: [], playing: []};
    const counter = document.querySelector('[data-testid="step-counter"]');
    const play = document.querySelector('[data-testid="play"]');
    new MutationObserver(() => {
        const text = counter.textContent;
        if (seen.counter.at(-1) !== text) seen.counter.push(text);
    }).observe(counter, {childList: true, characterData: true, subtree: true});
    new MutationObserver(() => {
        const state = play.dataset.playing;
        if (seen.playing.at(-1) !== state) seen.playing.push(state);
    }).observe(play, {attributes: true, attributeFilter: ['data-playing']});
}"""


def _same(got, want, message):
    assert got == want, message


def step_number(page):
    return int(by_testid(page, "step-counter").text_content().split()[1])


def test_each_step_applies_the_next_chainrule_contribution(page, app_url):
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    assert expected.total == 7
    check_position(page, expected, 0)
    for k in range(1, expected.total + 1):
        by_testid(page, "step").click()
        canvas = check_position(page, expected, k)
        step = expected.steps[k - 1]
        assert canvas.values[step.operand_id]["grad"] == repr(step.after), f"step {k}"


def test_the_lecture_steps_read_as_in_the_lecture(page, app_url):
    """Spot checks in plain numbers, independent of chainrule's own texts."""
    open_app(page, app_url)
    step = by_testid(page, "step")
    step.click()
    expect_counter(page, 1, 7)
    grads = {v["label"]: v["grad"] for v in read_canvas(page).values.values()}
    assert grads == {"a": "", "b": "", "c": "", "e": "", "d": "", "f": "", "L": "1.0"}
    step.click()  # dL/dd = f = -2
    expect_counter(page, 2, 7)
    assert {v["label"]: v["grad"] for v in read_canvas(page).values.values()}["d"] == "-2.0"
    for _ in range(5):
        step.click()
    expect_counter(page, 7, 7)
    grads = {v["label"]: v["grad"] for v in read_canvas(page).values.values()}
    assert grads == {"a": "6.0", "b": "-4.0", "c": "-2.0", "e": "-2.0", "d": "-2.0",
                     "f": "4.0", "L": "1.0"}
    # The last step: dL/db = a · dL/de
    assert explanation(page)["explain-arithmetic"] == "2 × -2 = -4"


def test_stepping_a_tanh_neuron_explains_the_local_rule(page, app_url):
    open_app(page, app_url)
    expected, _ = choose_preset(page, "neuron")
    for k in range(1, expected.total + 1):
        by_testid(page, "step").click()
        check_position(page, expected, k, exact=False)
        step = expected.steps[k - 1]
        if step.kind == "chain" and step.result.op == "tanh":
            rule = explanation(page)["explain-rule"]
            assert "= 1 - tanh(" in rule and ")**2 = 1 - 0.7071**2 = 0.5" in rule, rule


def test_finish_equals_pytorch_for_every_preset(page, app_url):
    open_app(page, app_url)
    for key in PRESETS:
        expected, _ = choose_preset(page, key)
        by_testid(page, "finish").click()
        expect_counter(page, expected.total, expected.total)
        canvas = read_canvas(page)
        torch_grads = expected.torch_grads()
        ours = expected.grads_after(expected.total)
        wrong = {vid: (v["grad"], torch_grads[vid], ours[vid]) for vid, v in canvas.values.items()
                 if not (same_number(v["grad"], torch_grads[vid], exact=False)
                         and same_number(v["grad"], ours[vid], exact=key in ("lecture", "reuse")))}
        assert not wrong, f"{key}: data-grad vs (torch, chainrule): {wrong}"
        assert canvas.done() == set(canvas.values), f"{key}: not every node is complete"
        check_position(page, expected, expected.total, exact=False)


def test_back_restores_every_previous_state_exactly(page, app_url):
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    states = [dom_step_state(page)]
    for k in range(1, expected.total + 1):
        by_testid(page, "step").click()
        check_position(page, expected, k)
        states.append(dom_step_state(page))

    for k in range(expected.total - 1, -1, -1):
        by_testid(page, "back").click()
        expect_counter(page, k, expected.total)
        eventually(page, lambda: _same(dom_step_state(page), states[k], f"back to step {k}"),
                   timeout_ms=SETTLE_MS)
    check_position(page, expected, 0)

    # Stepping again after going back gives the same states (the generator never reruns).
    for k in range(1, expected.total + 1):
        by_testid(page, "step").click()
        expect_counter(page, k, expected.total)
        eventually(page, lambda: _same(dom_step_state(page), states[k], f"redo of step {k}"),
                   timeout_ms=SETTLE_MS)


@pytest.mark.parametrize("button, taken", [
    ("finish", 1), ("finish", 4), ("reset", 1), ("reset", 4), ("reset", 7),
])
def test_finish_or_reset_from_the_middle_shows_only_where_it_lands(page, app_url, button,
                                                                    taken):
    """Finish shows only the last step; Reset clears every grad and the highlight."""
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    for _ in range(taken):
        by_testid(page, "step").click()
    check_position(page, expected, taken)
    by_testid(page, button).click()
    check_position(page, expected, expected.total if button == "finish" else 0)


def test_back_in_the_middle_then_step_again(page, app_url):
    open_app(page, app_url)
    expected, _ = choose_preset(page, "sanity")
    for k in range(1, 6):
        by_testid(page, "step").click()
    check_position(page, expected, 5, exact=False)
    by_testid(page, "back").click()
    by_testid(page, "back").click()
    check_position(page, expected, 3, exact=False)
    by_testid(page, "step").click()
    check_position(page, expected, 4, exact=False)


def test_play_runs_every_step_in_order_and_stops_at_the_end(page, app_url):
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    by_testid(page, "speed").fill("4")
    page.evaluate(RECORD_PLAY)
    by_testid(page, "play").click()
    expect_counter(page, expected.total, expected.total)
    expect(by_testid(page, "play")).not_to_have_attribute("data-playing", "true",
                                                         timeout=TIMEOUT_MS)
    seen = page.evaluate("window.seen")
    shown = [text for text in seen["counter"] if text != f"backward 0 / {expected.total}"]
    assert shown == [f"backward {k} / {expected.total}" for k in range(1, expected.total + 1)], seen
    assert seen["playing"][0] == "true" and seen["playing"][-1] != "true", seen
    check_position(page, expected, expected.total)


def test_pause_stops_play_where_it_is(page, app_url):
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    frozen_clock(page)
    by_testid(page, "speed").fill("1")  # the slowest: a few fake milliseconds at a time
    play = by_testid(page, "play")
    play.click()
    expect_playing(page, True)
    for _ in range(2_000):  # until two steps have been played, at most 200 fake seconds
        if step_number(page) >= 2:
            break
        page.clock.run_for(100)
    k = step_number(page)
    assert 2 <= k < expected.total, f"play at the slowest speed went to step {k}"
    expect_playing(page, True)
    play.click()
    expect_playing(page, False)
    page.clock.run_for(60_000)
    check_position(page, expected, k)
    expect_playing(page, False)


def test_pause_before_the_first_tick_keeps_the_start(page, app_url):
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    frozen_clock(page)
    play = by_testid(page, "play")
    play.click()
    expect_playing(page, True)
    state = dom_step_state(page)
    play.click()
    expect_playing(page, False)
    page.clock.run_for(60_000)
    after = dom_step_state(page)
    # Whether play steps at once on the click or on its first tick, pausing stops it there.
    assert after["counter"] == state["counter"] and after["grads"] == state["grads"]
    assert after["counter"] in (f"backward 0 / {expected.total}", f"backward 1 / {expected.total}")


def test_keyboard_shortcuts(page, app_url):
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    frozen_clock(page)
    blur(page)
    keyboard = page.keyboard
    keyboard.press("ArrowRight")
    check_position(page, expected, 1)
    keyboard.press("ArrowRight")
    check_position(page, expected, 2)
    keyboard.press("ArrowLeft")
    check_position(page, expected, 1)
    keyboard.press("End")
    check_position(page, expected, expected.total)
    keyboard.press("Home")
    check_position(page, expected, 0)

    keyboard.press("Space")
    expect_playing(page, True)
    keyboard.press("Space")
    expect_playing(page, False)
    keyboard.press("Space")
    expect_playing(page, True)
    page.clock.run_for(120_000)
    check_position(page, expected, expected.total)
    expect_playing(page, False)


def test_keys_work_after_clicking_the_graph(page, app_url):
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    canvas = by_testid(page, "canvas")
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + 4, box["y"] + 4)  # the empty pane, away from the nodes
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    check_position(page, expected, 2)
    page.keyboard.press("ArrowLeft")
    check_position(page, expected, 1)


def test_tooltips_name_the_keys(page, app_url):
    open_app(page, app_url)
    keys = {"step": "→", "back": "←", "play": "Space", "reset": "Home", "finish": "End"}
    for name, key in keys.items():
        assert key in (by_testid(page, name).get_attribute("title") or ""), name
    speed = by_testid(page, "speed")
    assert (speed.get_attribute("type"), speed.get_attribute("min"),
            speed.get_attribute("max")) == ("range", "1", "4")


def test_keys_act_once_when_a_control_button_has_focus(page, app_url):
    """After a click focus stays on the button: an arrow key is the page's shortcut, Space
    presses the button (and only that: no Play, nothing twice)."""
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    frozen_clock(page)
    by_testid(page, "step").click()
    by_testid(page, "step").click()
    by_testid(page, "back").click()
    check_position(page, expected, 1)
    page.keyboard.press("ArrowRight")  # focus is on Back
    check_position(page, expected, 2)
    page.keyboard.press("Space")  # presses Back
    check_position(page, expected, 1)
    expect_playing(page, False)
    by_testid(page, "play").click()
    expect_playing(page, True)
    page.keyboard.press("Space")  # focus is on Play: pressed once, so paused
    expect_playing(page, False)
    page.keyboard.press("Space")
    expect_playing(page, True)
    page.keyboard.press("Enter")
    expect_playing(page, False)


def test_shortcuts_are_off_while_typing_in_the_editor(page, app_url):
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    frozen_clock(page)
    by_testid(page, "step").click()
    by_testid(page, "step").click()
    check_position(page, expected, 2)

    editor = by_testid(page, "expression")
    editor.focus()
    for key in ("Home", "End", "ArrowLeft", "ArrowRight", "Control+Enter"):
        editor.press(key)
    expect_playing(page, False)
    check_position(page, expected, 2)
    page.clock.run_for(1_000)  # past any debounce: the text did not change, nothing resets
    assert editor.input_value() == LECTURE
    check_position(page, expected, 2)

    blur(page)
    page.keyboard.press("ArrowRight")
    check_position(page, expected, 3)


def test_reused_node_shows_accumulation_with_before_and_after(page, app_url):
    open_app(page, app_url)
    expected, _ = choose_preset(page, "reuse", exact=True)
    accumulated = 0
    for k in range(1, expected.total + 1):
        step = expected.steps[k - 1]
        if step.accumulating:
            before = read_canvas(page).values[step.operand_id]["grad"]
            assert before == repr(step.before), f"step {k}: the grad before accumulating"
        by_testid(page, "step").click()
        check_position(page, expected, k)
        if step.accumulating:
            accumulated += 1
            arithmetic = explanation(page)["explain-arithmetic"]
            assert arithmetic == step_texts(step)["explain-arithmetic"]
            assert arithmetic.startswith("+=")
            assert f"{fmt(step.before)} + {fmt(step.contribution)} = {fmt(step.after)}" \
                in arithmetic
            assert read_canvas(page).values[step.operand_id]["grad"] == repr(step.after)
    assert accumulated == 2  # b in b*b, a in a+a
    # c = (a + a)², a = 3: dc/db = 2b = 12, dc/da = 24
    grads = {v["label"]: v["grad"] for v in read_canvas(page).values.values()}
    assert grads == {"a": "24.0", "b": "12.0", "c": "1.0"}


def test_buttons_are_disabled_where_they_do_nothing(page, app_url):
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    check_buttons(page, at_start=True, at_end=False)
    by_testid(page, "step").click()
    check_position(page, expected, 1)
    check_buttons(page, at_start=False, at_end=False)
    by_testid(page, "finish").click()
    check_position(page, expected, expected.total)
    check_buttons(page, at_start=False, at_end=True)
    # The keys obey the same limits: → at the end does nothing, so ← goes back one.
    blur(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    check_position(page, expected, expected.total - 1)
    by_testid(page, "reset").click()
    check_position(page, expected, 0)
    check_buttons(page, at_start=True, at_end=False)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    check_position(page, expected, 1)


@pytest.mark.parametrize("how", ["typing", "preset", "reset-example"])
def test_changing_the_program_resets_the_steps(page, app_url, how):
    open_app(page, app_url)
    if how == "reset-example":
        enter_text(page, PRESETS["reuse"][1])
    before = Expected.of(by_testid(page, "expression").input_value())
    for _ in range(3):
        by_testid(page, "step").click()
    check_position(page, before, 3)

    if how == "typing":
        text = LECTURE.replace("c = 10", "c = 11")
        enter_text(page, text)
    elif how == "preset":
        text = PRESETS["neuron"][1]
        choose_preset(page, "neuron")
    else:
        by_testid(page, "reset-example").click()
        text = LECTURE
    expected = Expected.of(text)
    check_position(page, expected, 0, exact=how != "preset")
    by_testid(page, "step").click()
    check_position(page, expected, 1, exact=how != "preset")


def test_a_bad_edit_while_stepping_leaves_everything_as_it_was(page, app_url):
    expected = Expected.of(LECTURE)
    open_app(page, app_url)
    for _ in range(3):
        by_testid(page, "step").click()
    check_position(page, expected, 3)
    graph, state = read_canvas(page).graph(), dom_step_state(page)
    by_testid(page, "expression").fill("a = 2\nL = a *")
    expect(by_testid(page, "expression-error")).to_be_visible(timeout=TIMEOUT_MS)
    assert read_canvas(page).graph() == graph
    assert dom_step_state(page) == state
