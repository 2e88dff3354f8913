"""Live tuning: inputs changed from the Inputs panel or on the canvas redraw in place.

Every expectation comes from chainrule on CPython and PyTorch for the text with the new
number (pages.Expected), never from numbers copied into the tests.
"""

from playwright.sync_api import expect

from chainrule.view.cells import cell_text
from harness import wait_for_state
from pages import (
    LECTURE, TIMEOUT_MS, Expected, assert_that, by_testid, check_graph, eventually, expect_counter,
    explanation, open_app, read_canvas, same_number, step_texts, wait_for_graph,
)

LECTURE_A3 = LECTURE.replace("a = 2", "a = 3")


def node_of(canvas, label):
    (node,) = [n for n in canvas.values.values() if n["label"] == label]
    return node


def wait_for_value(page, label, number):
    def check():
        canvas = read_canvas(page)
        assert node_of(canvas, label)["value"] == repr(float(number))
        return canvas

    return eventually(page, check)


def set_in_panel(page, name, text):
    field = by_testid(page, f"input-{name}")
    field.fill(text)
    field.press("Enter")


def check_values_and_grads(canvas, text):
    expected = Expected.of(text)
    check_graph(canvas, expected, exact=True)
    torch_grads = expected.torch_grads()
    for vid, node in canvas.values.items():
        assert same_number(node["grad"], torch_grads[vid], exact=False), (
            f"{vid} ({node['label']}): data-grad {node['grad']!r} != torch {torch_grads[vid]!r}")


def test_setting_a_in_the_panel_matches_torch_and_moves_no_node(page, app_url):
    before = open_app(page, app_url)
    expect(by_testid(page, "inputs")).to_have_attribute("open", "")
    expect(by_testid(page, "input-a")).to_have_value("2")
    by_testid(page, "finish").click()
    expect_counter(page, 7, 7)
    set_in_panel(page, "a", "3")
    canvas = wait_for_value(page, "a", 3)
    check_values_and_grads(canvas, LECTURE_A3)  # grads stayed live after Finish
    assert canvas.boxes() == before.boxes()
    expect_counter(page, 7, 7)
    expect(by_testid(page, "expression")).to_have_value(LECTURE_A3)
    expect(by_testid(page, "input-a")).to_have_value("3")
    expect(by_testid(page, "slider-a")).to_have_value("3")


def test_tuning_part_way_through_starts_stepping_over(page, app_url):
    open_app(page, app_url)
    by_testid(page, "step").click()
    by_testid(page, "step").click()
    expect_counter(page, 2, 7)
    set_in_panel(page, "f", "-4")
    canvas = wait_for_value(page, "f", -4)
    expect_counter(page, 0, 7)
    assert all(node["grad"] == "" for node in canvas.values.values())
    assert node_of(canvas, "L")["value"] == repr(-16.0)
    assert not canvas.highlights()


def test_invalid_entries_are_refused_and_the_old_value_kept(page, app_url):
    open_app(page, app_url)
    field = by_testid(page, "input-a")
    error = by_testid(page, "input-error-a")
    for text, says in (("", "type a number"), ("abc", "'abc' is not a number"),
                       ("1e999", "too large")):
        set_in_panel(page, "a", text)
        expect(error).to_be_visible()
        expect(error).to_contain_text(says)
        expect(error).to_contain_text("a stays 2")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_value("2")
        assert node_of(read_canvas(page), "a")["value"] == repr(2.0)
    expect(by_testid(page, "expression")).to_have_value(LECTURE)
    set_in_panel(page, "a", "-1.5")
    wait_for_value(page, "a", -1.5)
    expect(error).to_be_hidden()
    expect(field).not_to_have_attribute("aria-invalid", "true")


def test_the_slider_tunes_too(page, app_url):
    open_app(page, app_url)
    by_testid(page, "slider-c").fill("4.5")
    canvas = wait_for_value(page, "c", 4.5)
    check_graph(canvas, Expected.of(LECTURE.replace("c = 10", "c = 4.5")), exact=True)
    expect(by_testid(page, "input-c")).to_have_value("4.5")
    expect(by_testid(page, "expression")).to_have_value(LECTURE.replace("c = 10", "c = 4.5"))


def test_sliding_at_the_end_keeps_grads_live_and_the_explanation_catches_up(page, app_url):
    open_app(page, app_url)
    by_testid(page, "finish").click()
    slider = by_testid(page, "slider-a")
    for value in ("2.5", "3", "3.5"):  # a drag: input events, no change until release
        slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', "
                        "{bubbles: true})); }", value)
    text = LECTURE.replace("a = 2", "a = 3.5")
    canvas = wait_for_value(page, "a", 3.5)
    check_values_and_grads(canvas, text)
    expected = Expected.of(text)
    expect_counter(page, expected.total, expected.total)
    last = step_texts(expected.steps[-1])
    assert last != step_texts(Expected.of(LECTURE).steps[-1])  # its numbers depend on a

    def explained():
        assert explanation(page) == last

    eventually(page, explained)


# Each drawn value node's two cells as shown: [data text, grad text].
SHOWN = """() => Object.fromEntries([...document.querySelectorAll('[data-testid="value-node"]')]
    .map((el) => [el.dataset.id, [...el.querySelectorAll('.vnode__cell')]
        .map((cell) => cell.lastElementChild.textContent)]))"""


def in_view(canvas):
    """The ids of the value nodes at least partly inside the canvas."""
    left, top, right, bottom = canvas.box
    return {vid for vid, node in canvas.values.items()
            if node["box"][2] >= left and node["box"][0] <= right
            and node["box"][3] >= top and node["box"][1] <= bottom}


def check_numbers_shown(page, canvas, ids=None):
    """Each value in `ids` (all by default) shows its data-value and data-grad, formatted
    for its cells."""
    shown = page.evaluate(SHOWN)
    assert set(shown) == set(canvas.values)
    for vid in canvas.values if ids is None else ids:
        node = canvas.values[vid]
        grad = cell_text(float(node["grad"])) if node["grad"] else "?"
        assert shown[vid] == [cell_text(float(node["value"])), grad], (vid, shown[vid], node)


def test_nodes_out_of_view_show_the_new_numbers_once_back_in_view(page, app_url):
    """Zoomed in, a tuning writes the numbers of the nodes in view; the rest get theirs
    as they come into view."""
    open_app(page, app_url)
    by_testid(page, "finish").click()
    expect_counter(page, 7, 7)
    check_numbers_shown(page, read_canvas(page))
    by_testid(page, "canvas").hover()
    for _ in range(3):
        page.mouse.wheel(0, -400)
    eventually(page, lambda: assert_that(len(in_view(read_canvas(page))) < 7,
                                         "all still in view"))

    set_in_panel(page, "a", "3")
    expect(by_testid(page, "expression")).to_have_value(LECTURE_A3)
    canvas = read_canvas(page)
    check_values_and_grads(canvas, LECTURE_A3)  # every node's data, in view or not
    check_numbers_shown(page, canvas, in_view(canvas))
    by_testid(page, "fit-view").click()

    def all_in_view():
        canvas = read_canvas(page)
        assert len(in_view(canvas)) == 7
        check_numbers_shown(page, canvas)

    eventually(page, all_in_view)
    by_testid(page, "back").click()  # a few nodes change their look (React) and grads
    expect_counter(page, 6, 7)
    check_numbers_shown(page, read_canvas(page))



def test_click_a_value_on_the_canvas_to_type_it(page, app_url):
    open_app(page, app_url)
    by_testid(page, "value-b").click()
    editor = page.locator('input[data-testid="value-b"]')
    expect(editor).to_be_focused()
    editor.fill("0.5")
    editor.press("Enter")
    canvas = wait_for_value(page, "b", 0.5)
    check_graph(canvas, Expected.of(LECTURE.replace("b = -3", "b = 0.5")), exact=True)
    expect(editor).to_have_count(0)
    expect(by_testid(page, "input-b")).to_have_value("0.5")

    by_testid(page, "value-b").click()
    editor.fill("9")
    editor.press("Escape")  # cancels
    expect(editor).to_have_count(0)
    assert node_of(read_canvas(page), "b")["value"] == repr(0.5)

    by_testid(page, "value-b").click()
    editor.fill("two")
    editor.press("Enter")
    expect(by_testid(page, "value-error-b")).to_contain_text("'two' is not a number")
    expect(editor).to_have_attribute("aria-invalid", "true")
    assert node_of(read_canvas(page), "b")["value"] == repr(0.5)
    editor.press("Escape")
    expect(by_testid(page, "value-error-b")).to_have_count(0)


def drag(page, locator, dx, shift=False):
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    if shift:
        page.keyboard.down("Shift")
    page.mouse.move(x + dx, y, steps=10)
    page.mouse.up()
    if shift:
        page.keyboard.up("Shift")


def test_dragging_a_value_scrubs_it_by_a_sensible_amount(page, app_url):
    open_app(page, app_url)
    value_a = by_testid(page, "value-a")
    drag(page, value_a, 50)  # a = 2 moves 0.01 per pixel
    wait_for_value(page, "a", 2.5)
    drag(page, value_a, -40, shift=True)  # a tenth of that with Shift
    canvas = wait_for_value(page, "a", 2.46)
    check_graph(canvas, Expected.of(LECTURE.replace("a = 2", "a = 2.46")), exact=False)
    expect(by_testid(page, "expression")).to_have_value(LECTURE.replace("a = 2", "a = 2.46"))
    expect(page.locator('input[data-testid="value-a"]')).to_have_count(0)  # a drag is no click


def test_a_tuned_value_survives_a_reload(page, app_url):
    open_app(page, app_url)
    set_in_panel(page, "c", "7")
    wait_for_value(page, "c", 7)
    page.reload()
    wait_for_state(page, "ready")
    expected_text = LECTURE.replace("c = 10", "c = 7")
    canvas = wait_for_graph(page, Expected.of(expected_text))
    expect(by_testid(page, "expression")).to_have_value(expected_text)
    expect(by_testid(page, "input-c")).to_have_value("7")
    assert node_of(canvas, "c")["value"] == repr(7.0)


def test_constants_are_not_editable(page, app_url):
    open_app(page, app_url)
    text = "x = 2\ny = x*3 + 1"
    by_testid(page, "expression").fill(text)
    wait_for_graph(page, Expected.of(text))
    constants = page.locator('[data-testid="value-node"][data-role="constant"]')
    expect(constants).to_have_count(2)
    assert constants.first.locator(".vnode__tunable").count() == 0
    constants.first.locator(".vnode__cell").first.click(force=True)  # the pane takes it
    expect(page.locator("input.vnode__input")).to_have_count(0)
    rows = page.locator(".inputs__row")
    expect(rows).to_have_count(1)
    expect(by_testid(page, "input-x")).to_have_value("2")


def test_the_inputs_panel_starts_closed_on_a_narrow_window(page, app_url):
    page.set_viewport_size({"width": 600, "height": 900})
    open_app(page, app_url)
    panel = by_testid(page, "inputs")
    expect(panel).not_to_have_attribute("open", "")
    expect(by_testid(page, "input-a")).to_be_hidden()
    panel.locator("summary").click()
    expect(by_testid(page, "input-a")).to_be_visible()
    expect(by_testid(page, "input-a")).to_have_value("2")


def test_an_mlp_panel_shows_some_rows_and_a_filter_finds_any_input(page, app_url):
    from chainrule import parse
    from chainrule.state.inputs_panel import SHOWN_ROWS
    from chainrule.state.presets import PRESETS

    open_app(page, app_url)
    filter_box = by_testid(page, "inputs-filter")
    expect(filter_box).to_be_hidden()  # the lecture example has five inputs
    text = PRESETS["mlp"][1]
    by_testid(page, "preset").select_option("mlp")
    expect(by_testid(page, "expression")).to_have_value(text)
    rows = by_testid(page, "inputs-list").locator(".inputs__row")
    expect(rows).to_have_count(SHOWN_ROWS)
    total = len(parse(text).inputs)
    expect(by_testid(page, "inputs-more")).to_contain_text(f"{SHOWN_ROWS} of {total} shown")

    filter_box.fill("B2_15")
    expect(rows).to_have_count(1)
    expect(by_testid(page, "inputs-more")).to_have_count(0)
    set_in_panel(page, "b2_15", "0.5")
    expect(by_testid(page, "expression")).to_have_value(text.replace("b2_15 = 0.0", "b2_15 = 0.5"))
    expect(by_testid(page, "input-b2_15")).to_have_value("0.5")

    filter_box.fill("no such input")
    expect(rows).to_have_count(0)
    expect(by_testid(page, "inputs-list")).to_contain_text("No input name contains")


def check_gradients(page):
    by_testid(page, "grad-check-panel").locator("summary").click()
    by_testid(page, "grad-check").click()
    expect(by_testid(page, "grad-check-worst")).to_have_count(1)


def expect_gradient_check_stale(page):
    results = by_testid(page, "grad-check-results")
    expect(results.locator(".gradcheck__stale")).to_have_text(
        "The numbers changed: check again.", timeout=TIMEOUT_MS)
    expect(by_testid(page, "grad-check-worst")).to_have_count(0)


def test_a_slider_drag_marks_the_gradient_check_stale(page, app_url):
    """The check's numbers were of the old inputs; a drag ends with a change event."""
    open_app(page, app_url)
    check_gradients(page)
    slider = by_testid(page, "slider-a")
    for value in ("2.5", "3"):
        slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', "
                        "{bubbles: true})); }", value)
    slider.evaluate("(el) => el.dispatchEvent(new Event('change', {bubbles: true}))")
    wait_for_value(page, "a", 3)
    expect_gradient_check_stale(page)


def test_a_scrub_on_the_canvas_marks_the_gradient_check_stale(page, app_url):
    open_app(page, app_url)
    check_gradients(page)
    drag(page, by_testid(page, "value-a"), 50)
    wait_for_value(page, "a", 2.5)
    expect_gradient_check_stale(page)
