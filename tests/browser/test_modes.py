"""The seams between modes (issue 21): edit mode and groups, links that keep collapsed groups,
the canvas number editor's focus, the gradient check at domain edges, make output, Inspect's
inputs, and the Examples select.

Expectations come from chainrule on CPython (the same package the page runs).
"""

import re

import pytest
from playwright.sync_api import expect

from chainrule.state.presets import PRESETS
from chainrule.train.trainer import Trainer
from harness import wait_for_state
from pages import TIMEOUT_MS, by_testid, eventually, expect_counter, open_app
from test_groups_page import groups, toggle

SMALL_MLP = PRESETS["small-mlp"][1]
NEURON = PRESETS["neuron"][1]


def editor(page):
    return by_testid(page, "expression")


def collapsed_state(page):
    """{group: collapsed?} of the groups on the canvas (boxes and frames)."""
    return {name: g["collapsed"] for name, g in groups(page).items()}


def wait_for_groups(page, want):
    def same():
        assert collapsed_state(page) == want

    eventually(page, same)


def open_preset(page, key):
    by_testid(page, "preset").select_option(key)
    expect(editor(page)).to_have_value(PRESETS[key][1], timeout=TIMEOUT_MS)


def edit_mode(page, on):
    by_testid(page, "edit-mode").click()
    expect(by_testid(page, "edit-mode")).to_have_attribute("aria-pressed",
                                                            "true" if on else "false")


# (1) Edit graph on and off ---------------------------------------------------------------

@pytest.mark.parametrize("key, toggled", [("mlp", "L1.N5"), ("small-mlp", "L2.N1")])
def test_edit_graph_on_then_off_brings_back_the_groups_as_they_were(page, app_url, key, toggled):
    open_app(page, app_url)
    open_preset(page, key)
    # the MLP opens by neuron (33 boxes), the small one expanded (9 frames)
    opened = eventually(page, lambda: _opened(page, key))
    toggle(page, toggled)  # a state of the user's own
    before = {**opened, toggled: not opened[toggled]}
    wait_for_groups(page, before)
    edit_mode(page, True)
    expect(page.locator('[data-testid="group"]')).to_have_count(0, timeout=TIMEOUT_MS)
    expect(by_testid(page, "group-controls")).to_be_hidden()
    edit_mode(page, False)
    wait_for_groups(page, before)
    expect(by_testid(page, "group-controls")).to_be_visible()
    expect(by_testid(page, "collapse-all")).to_be_enabled()
    # a program drawn outside edit mode keeps its groups: an edited number, Ctrl+Enter
    text = editor(page).input_value()
    edited = text.replace("x1 = 0.5", "x1 = 0.25", 1)
    assert edited != text
    editor(page).fill(edited)
    editor(page).press("Control+Enter")
    expect(page.locator('[data-testid="input-x1"]')).to_have_value("0.25", timeout=TIMEOUT_MS)
    wait_for_groups(page, before)


def _opened(page, key):
    state = collapsed_state(page)
    assert len(state) == (33 if key == "mlp" else 9)
    assert all(state.values()) if key == "mlp" else not any(state.values())
    return state


def test_an_edit_on_the_canvas_keeps_the_groups(page, app_url):
    open_app(page, app_url)
    open_preset(page, "small-mlp")
    eventually(page, lambda: _opened(page, "small-mlp"))
    edit_mode(page, True)
    by_testid(page, "add-input").click()  # an edit: the text is written from the canvas
    expect(editor(page)).not_to_have_value(SMALL_MLP, timeout=TIMEOUT_MS)
    assert "# group: L2.N3" in editor(page).input_value()
    edit_mode(page, False)
    wait_for_groups(page, {name: False for name in _opened_names()})


def _opened_names():
    return [f"L1.N{j}" for j in range(4)] + [f"L2.N{j}" for j in range(4)] + ["L3.N0"]


def test_inspect_sample_after_new_graph_opens_collapsed_out_of_edit_mode(page, app_url):
    open_app(page, app_url)
    by_testid(page, "new-graph").click()
    expect(by_testid(page, "edit-mode")).to_have_attribute("aria-pressed", "true")
    by_testid(page, "train-panel").locator("summary").click()
    by_testid(page, "train-inspect").click()
    expect(editor(page)).to_have_value(Trainer().sample_source(0), timeout=TIMEOUT_MS)
    expect(by_testid(page, "edit-mode")).to_have_attribute("aria-pressed", "false")
    expect(by_testid(page, "edit-tools")).to_be_hidden()
    neurons = [f"L1.N{j}" for j in range(8)] + [f"L2.N{j}" for j in range(8)] + ["L3.N0"]
    wait_for_groups(page, dict.fromkeys(neurons, True))  # over 300 nodes: by neuron
    expect(by_testid(page, "group-controls")).to_be_visible()


# (4) Links and reloads keep the collapsed groups ----------------------------------------

def test_a_link_and_a_reload_keep_the_collapsed_groups(page, app_url, new_context):
    open_app(page, app_url)
    open_preset(page, "small-mlp")
    eventually(page, lambda: _opened(page, "small-mlp"))
    by_testid(page, "collapse-all").click()
    wait_for_groups(page, dict.fromkeys(_opened_names(), True))
    toggle(page, "L2.N1")
    prepared = {**dict.fromkeys(_opened_names(), True), "L2.N1": False}
    wait_for_groups(page, prepared)
    for _ in range(7):
        by_testid(page, "step").click()
    expect(by_testid(page, "step-counter")).to_contain_text(" 7 / ")
    total = by_testid(page, "step-counter").text_content().split("/")[1].strip()
    by_testid(page, "share").click()  # writes the link now (the clipboard may refuse)
    link = page.evaluate("location.href")

    other, _ = new_context()  # someone else's browser: no saved state
    shared = other.new_page()
    shared.goto(link)
    wait_for_state(shared, "ready")
    expect_counter(shared, 7, int(total))
    wait_for_groups(shared, prepared)

    page.reload()  # the same tab: the link in the address bar
    wait_for_state(page, "ready")
    expect_counter(page, 7, int(total))
    wait_for_groups(page, prepared)
    page.goto(app_url)  # a new visit without the link: the saved state
    wait_for_state(page, "ready")
    expect(editor(page)).to_have_value(SMALL_MLP)
    wait_for_groups(page, prepared)


# (3) The canvas number editor gives the focus back ----------------------------------------

def test_the_canvas_number_editor_gives_the_focus_back_to_its_value(page, app_url):
    open_app(page, app_url)
    value = page.locator('span[data-testid="value-a"]')
    value.focus()
    page.keyboard.press("Enter")
    field = page.locator('input[data-testid="value-a"]')
    expect(field).to_be_focused()
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expect(page.locator('[data-testid="value-node"][data-label="a"]')).to_have_attribute(
        "data-value", repr(4.0), timeout=TIMEOUT_MS)
    expect(value).to_be_focused()
    page.keyboard.press("Enter")  # the next Enter opens it again
    expect(field).to_be_focused()
    page.keyboard.type("7")
    page.keyboard.press("Escape")
    expect(value).to_be_focused()
    expect(page.locator('[data-testid="value-node"][data-label="a"]')).to_have_attribute(
        "data-value", repr(4.0))
    page.keyboard.press(" ")  # Space presses it as Enter does (no Play)
    expect(field).to_be_focused()
    expect(by_testid(page, "play")).to_have_attribute("data-playing", "false")
    page.keyboard.press("Escape")
    expect(value).to_be_focused()


# (5) The gradient check at a domain's edge and with nothing checked ----------------------

@pytest.mark.parametrize("text, headline, row", [
    ("x = 0\ny = sqrt(x)", "Nothing checked: x is at the edge of the domain.",
     "edge of the domain: f is undefined on one side"),
    ("x = 0\ny = relu(x)", "Nothing checked: x is at a kink.", "not differentiable here"),
])
def test_the_gradient_check_names_what_it_could_not_check(page, app_url, text, headline, row):
    open_app(page, app_url)
    editor(page).fill(text)
    expect(page.locator('[data-testid="value-node"][data-label="y"]')).to_have_count(
        1, timeout=TIMEOUT_MS)
    by_testid(page, "grad-check-panel").locator("summary").click()
    by_testid(page, "grad-check").click()
    worst = by_testid(page, "grad-check-worst")
    expect(worst).to_have_text(headline)
    expect(worst).to_have_attribute("data-verdict", "none")
    expect(by_testid(page, "grad-check-results").locator('tr[data-name="x"] td').last) \
        .to_have_text(row)


# (6) Make output: the right name, and only where it can succeed --------------------------

def test_make_output_is_disabled_with_its_reason_where_it_cannot_succeed(page, app_url):
    open_app(page, app_url)
    by_testid(page, "new-graph").click()
    editor(page).fill("x1 = 1\nx2 = 1\nt1 = x1*x2\nt2 = tanh(t1)\nt3 = t2 + x1")
    node = page.locator('[data-testid="value-node"][data-label="t1"]')
    expect(node).to_have_count(1, timeout=TIMEOUT_MS)
    menu_item = by_testid(page, "make-output")
    for name, reason in [("t1", "t2 uses t1: the output must be a value nothing else uses."),
                         ("t3", "t3 is the output already.")]:
        page.locator(f'[data-testid="value-node"][data-label="{name}"] .vnode__label').click(
            button="right")
        expect(menu_item).to_have_text(f"Make {name} the output")
        expect(menu_item).to_be_disabled()
        expect(by_testid(page, "make-output-reason")).to_have_text(reason)
    editor(page).fill("x1 = 1\nx2 = 1\nt1 = x1*x2\nt2 = tanh(t1)\nt3 = t2 + x1\nt4 = sin(x2)")
    expect(page.locator('[data-testid="value-node"][data-label="t4"]')).to_have_attribute(
        "data-role", "output", timeout=TIMEOUT_MS)
    page.locator('[data-testid="value-node"][data-label="t3"] .vnode__label').click(
        button="right")
    expect(menu_item).to_be_enabled()
    expect(by_testid(page, "make-output-reason")).to_have_count(0)
    menu_item.click()
    expect(page.locator('[data-testid="value-node"][data-label="t3"]')).to_have_attribute(
        "data-role", "output", timeout=TIMEOUT_MS)
    assert editor(page).input_value().splitlines()[-1] == "t3 = t2 + x1"
    expect(by_testid(page, "edit-message")).to_be_hidden()


# (7) Inspect sample: the sample's own inputs ---------------------------------------------

def test_inspect_sample_uses_the_samples_inputs_in_full(page, app_url):
    (x1, x2), y = Trainer().data[3]  # the panel's defaults: two moons
    open_app(page, app_url)
    by_testid(page, "train-panel").locator("summary").click()
    by_testid(page, "train-sample").fill("3")
    by_testid(page, "train-inspect").click()
    expect(editor(page)).to_have_value(re.compile(re.escape(f"x1 = {x1!r}\nx2 = {x2!r}\n")),
                                       timeout=TIMEOUT_MS)
    expect(page.locator('[data-testid="input-x1"]')).to_have_value(repr(x1))


# (8) The Examples select and Reset text --------------------------------------------------

def examples_shown(page):
    return page.evaluate("""() => {
        const select = document.querySelector('[data-testid="preset"]');
        return [select.value, select.options[select.selectedIndex].textContent];
    }""")


def test_the_examples_select_shows_the_loaded_example_and_reset_returns_to_it(page, app_url):
    open_app(page, app_url)
    assert examples_shown(page) == ["lecture", "Lecture example"]
    open_preset(page, "neuron")
    assert examples_shown(page) == ["neuron", "tanh neuron"]
    editor(page).press("End")
    editor(page).type("\n# mine")
    eventually(page, lambda: _shows(page, ["", "tanh neuron (edited)"]))
    by_testid(page, "reset-example").click()
    expect(editor(page)).to_have_value(NEURON, timeout=TIMEOUT_MS)
    assert examples_shown(page) == ["neuron", "tanh neuron"]
    # a tuning is an edit too
    page.locator('[data-testid="input-x1"]').fill("3")
    page.locator('[data-testid="input-x1"]').press("Enter")
    eventually(page, lambda: _shows(page, ["", "tanh neuron (edited)"]))
    page.reload()
    wait_for_state(page, "ready")
    assert examples_shown(page) == ["", "tanh neuron (edited)"]
    by_testid(page, "reset-example").click()
    expect(editor(page)).to_have_value(NEURON, timeout=TIMEOUT_MS)


def _shows(page, want):
    assert examples_shown(page) == want


def test_the_keyboard_chooses_an_example_before_it_loads(page, app_url):
    last = list(PRESETS)[-1]
    shown = [last, PRESETS[last][0]]
    open_app(page, app_url)
    select = by_testid(page, "preset")
    select.focus()
    for key in ("ArrowDown", "ArrowDown", "End"):
        page.keyboard.press(key)
        assert editor(page).input_value() == PRESETS["lecture"][1]  # nothing loaded yet
    assert examples_shown(page) == shown
    page.keyboard.press("Enter")
    expect(editor(page)).to_have_value(PRESETS[last][1], timeout=TIMEOUT_MS)
    assert examples_shown(page) == shown
    page.keyboard.press("Home")  # browse away, then leave: the loaded example shows again
    assert examples_shown(page)[0] == ""
    page.keyboard.press("Escape")
    assert examples_shown(page) == shown
    page.keyboard.press("ArrowUp")
    by_testid(page, "reset-example").focus()
    assert examples_shown(page) == shown
    assert editor(page).input_value() == PRESETS[last][1]
