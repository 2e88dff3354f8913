"""Readable on the screens people have: a graph the page fits is never too small to read,
the output end is in view, and the view follows the step until the user moves it.

Each window opens the lecture's neuron, the default example and a 25-value program, with
no zooming by hand, and reads every number the canvas shows from the DOM.
"""

import pytest
from pages import (LECTURE, LECTURE_NEURON, TIMEOUT_MS, Expected, by_testid, enter_text,
                   eventually, expect_counter, fit_view, open_app)
from playwright.sync_api import expect

# 25 values: two tanh neurons on three inputs and a squared error.
WIDE = """x1 = 0.5
x2 = -1.5
x3 = 2.0
h1 = tanh(0.3*x1 - 0.8*x2 + 0.1*x3)
h2 = tanh(-0.6*x1 + 0.2*x2 + 0.9*x3)
y = 0.7*h1 - 0.4*h2
L = (y - 1)**2"""
PROGRAMS = {"neuron": LECTURE_NEURON, "default": LECTURE, "25 values": WIDE}
WINDOWS = {
    "laptop 1366x768": ({"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1}, 11),
    "full HD 1920x1080": ({"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 1}, 11),
    "phone 390x844": ({"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
                       "is_mobile": True, "has_touch": True}, 10),
}

# Every value node at least partly inside the canvas, with the rendered heights of its
# data and grad numbers; the canvas's box; the viewport's transform.
READ_VIEW = """() => {
    const canvas = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
    const box = (el) => { const r = el.getBoundingClientRect();
                          return [r.left, r.top, r.right, r.bottom]; };
    const seen = (b) => b[2] > canvas.left && b[0] < canvas.right
                        && b[3] > canvas.top && b[1] < canvas.bottom;
    const values = [...document.querySelectorAll('[data-testid="value-node"]')].map((el) => ({
        id: el.dataset.id, role: el.dataset.role, box: box(el), classes: [...el.classList],
        numbers: [...el.querySelectorAll('.vnode__number')].map((n) => ({
            text: n.textContent, height: n.getBoundingClientRect().height,
            visible: getComputedStyle(n).visibility !== 'hidden'})),
    }));
    return {canvas: [canvas.left, canvas.top, canvas.right, canvas.bottom],
            values: values.filter((v) => seen(v.box)), all: values.length,
            transform: document.querySelector('.react-flow__viewport').style.transform};
}"""


def inside(box, canvas, slack=1.0):
    return (box[0] >= canvas[0] - slack and box[1] >= canvas[1] - slack
            and box[2] <= canvas[2] + slack and box[3] <= canvas[3] + slack)


def check_readable(view, smallest_px):
    assert view["values"], "no value node in view"
    for value in view["values"]:
        numbers = value["numbers"]
        assert len(numbers) == 2, (value["id"], "data and grad not both drawn")
        for number in numbers:
            assert number["text"] and number["visible"], (value["id"], number)
            assert number["height"] >= smallest_px, (value["id"], number["height"])


def check_output_in_view(view):
    outputs = [v for v in view["values"] if v["role"] == "output"]
    assert outputs and inside(outputs[0]["box"], view["canvas"]), "the output is not in view"


def lit_in_view(page):
    """The highlighted value nodes, all inside the canvas (once the follow pan is over)."""
    view = page.evaluate(READ_VIEW)
    lit = [v for v in view["values"] if {"is-result", "is-operand"} & set(v["classes"])]
    assert lit, "no highlighted value node in view"
    for value in lit:
        assert inside(value["box"], view["canvas"]), (value["id"], value["box"], view["canvas"])
    return view


def settled_transform(page):
    """The viewport's transform once it stops moving (the follow pan lasts 200 ms)."""
    seen = []

    def check():
        now = page.evaluate(READ_VIEW)["transform"]
        seen.append(now)
        assert len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3], seen[-3:]
        return now

    return eventually(page, check)


def step(page, k, total):
    by_testid(page, "step").click()
    expect_counter(page, k, total)


@pytest.mark.parametrize("window", WINDOWS)
def test_every_number_in_view_is_readable_and_the_view_follows_the_step(new_context, app_url,
                                                                         window):
    options, smallest_px = WINDOWS[window]
    context, _ = new_context(**options)
    page = context.new_page()
    open_app(page, app_url)
    for name, text in PROGRAMS.items():
        expected = Expected.of(text)
        if text == LECTURE:  # the page opened on it: draw it anew, as submitted
            enter_text(page, "a = 1", exact=False)
        enter_text(page, text, expected, exact=False)
        eventually(page, lambda: check_readable(page.evaluate(READ_VIEW), smallest_px))
        view = page.evaluate(READ_VIEW)
        check_output_in_view(view)
        for k in range(1, min(10, expected.total) + 1):
            step(page, k, expected.total)
            settled_transform(page)
            eventually(page, lambda: lit_in_view(page))
            check_readable(page.evaluate(READ_VIEW), smallest_px)


def wheel_out(page):
    canvas = by_testid(page, "canvas").bounding_box()
    page.mouse.move(canvas["x"] + 40, canvas["y"] + 40)
    for _ in range(3):
        page.mouse.wheel(0, 300)


@pytest.mark.parametrize("window", ["laptop 1366x768", "full HD 1920x1080"])
def test_a_zoom_by_hand_stops_the_following_until_reset(new_context, app_url, window):
    context, _ = new_context(**WINDOWS[window][0])
    page = context.new_page()
    expected = Expected.of(LECTURE_NEURON)
    open_app(page, app_url)
    enter_text(page, LECTURE_NEURON, expected, exact=False)
    step(page, 1, expected.total)
    wheel_out(page)
    # Dragged far off: nothing highlighted is left in view.
    canvas = by_testid(page, "canvas").bounding_box()
    page.mouse.move(canvas["x"] + 60, canvas["y"] + canvas["height"] / 2)
    page.mouse.down()
    page.mouse.move(canvas["x"] + canvas["width"] - 40, canvas["y"] + 60, steps=8)
    page.mouse.up()
    moved = settled_transform(page)
    for k in (2, 3, 4, 5):
        step(page, k, expected.total)
        assert settled_transform(page) == moved
    by_testid(page, "reset").click()
    expect_counter(page, 0, expected.total)
    for k in range(1, 8):
        step(page, k, expected.total)
        settled_transform(page)
        eventually(page, lambda: lit_in_view(page))
    # Fit shows all of it, and following is on again after it too.
    wheel_out(page)
    fit_view(page)
    fitted = settled_transform(page)
    view = page.evaluate(READ_VIEW)
    assert len(view["values"]) == view["all"] == len(expected.values)
    assert all(inside(v["box"], view["canvas"]) for v in view["values"])
    step(page, 8, expected.total)
    assert settled_transform(page) == fitted  # all in view: nothing to follow


def test_on_a_phone_the_graph_comes_first_and_a_tap_types_a_value(new_context, app_url):
    options, _ = WINDOWS["phone 390x844"]
    context, _ = new_context(**options)
    page = context.new_page()
    open_app(page, app_url)
    width, height = 390, 844
    canvas = by_testid(page, "canvas").bounding_box()
    assert canvas["width"] >= 0.95 * width
    assert canvas["height"] >= 0.55 * height
    assert canvas["y"] + canvas["height"] <= height  # the whole canvas on the first screen
    # The step controls sit at the bottom of the screen, and stay there on scrolling.
    bar = by_testid(page, "controls").bounding_box()
    assert bar["y"] + bar["height"] == pytest.approx(height, abs=1)
    page.mouse.wheel(0, 400)
    eventually(page, lambda: (b := by_testid(page, "controls").bounding_box())
               and abs(b["y"] + b["height"] - height) <= 1)
    page.evaluate("window.scrollTo(0, 0)")
    # No double-tap zoom on the controls.
    actions = page.evaluate("""() => [...document.querySelectorAll('.controls button')]
        .map((b) => getComputedStyle(b).touchAction)""")
    assert set(actions) == {"manipulation"}
    # A tap on an input's number opens its field.
    by_testid(page, "value-a").tap()
    field = page.locator('input[data-testid="value-a"]')
    expect(field).to_be_focused(timeout=TIMEOUT_MS)
    field.fill("3")
    field.press("Enter")
    eventually(page, lambda: page.locator('[data-testid="value-node"][data-label="a"]')
               .get_attribute("data-value") == "3.0")


def test_the_panel_collapses_and_stays_collapsed_with_the_explanation_in_view(page, app_url):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, app_url)
    canvas = by_testid(page, "canvas").bounding_box()
    toggle = by_testid(page, "panel-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(by_testid(page, "expression")).to_be_hidden()
    eventually(page, lambda: by_testid(page, "canvas").bounding_box()["width"]
               > canvas["width"] + 250)
    by_testid(page, "step").click()
    formula = by_testid(page, "explain-formula")
    expect(formula).to_be_visible()
    wide = by_testid(page, "canvas").bounding_box()
    box = formula.bounding_box()
    assert wide["x"] <= box["x"] and box["x"] + box["width"] <= wide["x"] + wide["width"]
    open_app(page, app_url)
    expect(by_testid(page, "panel-toggle")).to_have_attribute("aria-expanded", "false")
    expect(by_testid(page, "expression")).to_be_hidden()
    page.keyboard.press("[")
    expect(by_testid(page, "panel-toggle")).to_have_attribute("aria-expanded", "true")
    expect(by_testid(page, "expression")).to_be_visible()


def test_a_long_name_is_cut_in_its_node_and_the_inputs_panel_and_named_in_full(page, app_url):
    long = "learning_rate_" + "x" * 106  # 120 characters
    text = f"{long} = 0.5\nw = 2\nL = tanh(w*{long})"
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, app_url)
    enter_text(page, text, exact=False)
    label = page.locator(f'[data-testid="value-node"][data-label="{long}"] .vnode__label')
    assert label.get_attribute("title") == long
    cut = label.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert cut[0] > cut[1], "the name is not cut"
    node = page.locator(f'[data-testid="value-node"][data-label="{long}"]').bounding_box()
    other = page.locator('[data-testid="value-node"][data-label="w"]').bounding_box()
    assert node["width"] <= 1.6 * other["width"]
    assert node["height"] == pytest.approx(other["height"], abs=0.5)
    # Every number on screen stays readable: the long name took no zoom away.
    check_readable(page.evaluate(READ_VIEW), 11)
    # The Inputs panel: the name is cut, the slider stays inside the panel.
    panel = by_testid(page, "inputs").bounding_box()
    row = page.locator(f'.inputs__row[data-name="{long}"]')
    name = row.locator(".inputs__name")
    assert name.get_attribute("title") == long
    slider = row.locator(".inputs__slider").bounding_box()
    assert slider["width"] >= 40
    assert slider["x"] + slider["width"] <= panel["x"] + panel["width"]
    # The explanation names it in full.
    total = Expected.of(text).total
    for k in range(1, total + 1):
        step(page, k, total)
    expect(by_testid(page, "step-explanation")).to_contain_text(long)


@pytest.mark.parametrize("width", [1366, 1920])
def test_the_step_bar_is_one_row_on_a_laptop_and_the_shortcuts_are_in_the_header(page, app_url,
                                                                                  width):
    page.set_viewport_size({"width": width, "height": 768})
    open_app(page, app_url)
    controls = by_testid(page, "controls")
    tops = controls.evaluate("""(bar) => [...bar.querySelectorAll('button, select')]
        .map((control) => Math.round(control.getBoundingClientRect().top))""")
    heights = controls.evaluate("""(bar) => [...bar.querySelectorAll('button, select')]
        .map((control) => control.getBoundingClientRect().height)""")
    assert max(tops) - min(tops) < max(heights), tops  # side by side, not wrapped
    shortcuts = by_testid(page, "shortcuts-button")
    expect(shortcuts).to_be_visible()
    shortcuts.click()
    expect(by_testid(page, "shortcuts")).to_be_visible()
