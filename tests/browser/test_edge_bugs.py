"""The bugs found at the edges (issue 20), each as a user meets it, and the one guard:
no Python exception reaches the page as a traceback.

A failure injected into a handler of each kind (a click, a scheduled training chunk, the
debounced redraw, a renderer callback, the renderer itself) must show one line at the
place of the action, log the traceback with console.error (which the test expects and
every other test treats as a failure), leave no PyScript error box and a usable page.
"""

import re

from playwright.sync_api import expect

from chainrule import parse
from pages import (
    LECTURE, TIMEOUT_MS, Expected, by_testid, check_position, enter_text, eventually,
    expect_counter, open_app, read_canvas, run_python, run_timers_for, same_number,
)
from test_canvas_editing import rename, value_node

ERROR_BOX = ".py-error"  # what PyScript paints over the page for an uncaught error
INJECT = """
from chainrule.page import app
def injected(*args, **kwargs):
    raise RuntimeError("injected failure")
{target} = injected
"""
GUARD_SAYS = "Something went wrong: injected failure. The page is still usable."


def no_error_box(page):
    assert page.locator(ERROR_BOX).count() == 0, "PyScript painted its error box"


def open_panel(page):
    by_testid(page, "train-panel").locator("summary").click()
    expect(by_testid(page, "train")).to_be_enabled()


# ---------------------------------------------------------------------------------------
# 1. A diverging training run


def test_training_that_diverges_stops_and_says_so(page, app_url):
    open_app(page, app_url)
    open_panel(page)
    by_testid(page, "train-loss-kind").select_option("mse")
    rate = by_testid(page, "train-rate-input")
    rate.fill("10")
    rate.press("Enter")
    by_testid(page, "train").click()
    error = by_testid(page, "train-error")
    expect(error).to_contain_text(re.compile(r"^The loss diverged at step \d+: try a smaller "
                                             r"learning rate"), timeout=TIMEOUT_MS)
    button = by_testid(page, "train")
    expect(button).to_have_attribute("data-training", "false")
    expect(button).to_have_text("▶ Train")
    steps = int(by_testid(page, "train-step-count").text_content())
    assert f"step {steps}:" in error.text_content()
    points = by_testid(page, "loss-plot").locator('polyline[data-series="loss"]')
    drawn = points.get_attribute("points")
    assert "nan" not in drawn and "inf" not in drawn  # the last finite points only
    by_testid(page, "train").click()  # refused again, with the reason
    expect(button).to_have_attribute("data-training", "false")
    expect(by_testid(page, "train-step-count")).to_have_text(str(steps))
    no_error_box(page)

    by_testid(page, "train-reset").click()
    expect(error).to_be_hidden()
    expect(by_testid(page, "train-step-count")).to_have_text("0")
    rate.fill("0.05")
    rate.press("Enter")
    by_testid(page, "train-step").click()
    expect(by_testid(page, "train-step-count")).to_have_text("1")
    assert float(by_testid(page, "train-loss").text_content()) < 1e6
    no_error_box(page)


# ---------------------------------------------------------------------------------------
# 2. and 3. Settings the panel refuses


def test_a_superscript_digit_in_the_shape_is_refused_at_the_field(page, app_url):
    open_app(page, app_url)
    open_panel(page)
    shape = by_testid(page, "train-shape")
    shape.fill("2-²-1")
    shape.press("Enter")
    error = by_testid(page, "train-error")
    expect(error).to_contain_text("Sizes are whole numbers")
    expect(shape).to_have_attribute("aria-invalid", "true")
    no_error_box(page)


def test_invalid_settings_disable_training_until_they_are_fixed(page, app_url):
    open_app(page, app_url)
    open_panel(page)
    error = by_testid(page, "train-error")
    buttons = [by_testid(page, "train"), by_testid(page, "train-step")]
    for field, bad, good in (("train-shape", "2-0-1", "2-8-8-1"), ("train-shape", "abc", "2-8-8-1"),
                             ("train-rate-input", "0", "0.5"), ("train-rate-input", "-1", "0.5"),
                             ("train-rate-input", "1e9", "0.5")):
        box = by_testid(page, field)
        box.fill(bad)
        expect(error).to_be_visible()
        reason = error.text_content()
        for button in buttons:
            expect(button).to_be_disabled()
            expect(button).to_have_attribute("title", reason)
        box.fill(good)
        expect(error).to_be_hidden()
        for button in buttons:
            expect(button).to_be_enabled()
            expect(button).not_to_have_attribute("title", reason)
    by_testid(page, "train-step").click()
    expect(by_testid(page, "train-step-count")).to_have_text("1")
    no_error_box(page)


def test_a_bad_setting_typed_while_training_pauses_it(page, app_url):
    open_app(page, app_url)
    page.clock.install()
    open_panel(page)
    by_testid(page, "train").click()
    expect(by_testid(page, "train")).to_have_attribute("data-training", "true")
    by_testid(page, "train-rate-input").fill("0")
    expect(by_testid(page, "train")).to_have_attribute("data-training", "false")
    expect(by_testid(page, "train")).to_be_disabled()
    steps = by_testid(page, "train-step-count").text_content()
    run_timers_for(page)  # every chunk a running trainer would have set off
    expect(by_testid(page, "train-step-count")).to_have_text(steps)


# ---------------------------------------------------------------------------------------
# 4. `b = a`


def test_an_alias_is_drawn_with_its_own_name_and_step(page, app_url):
    open_app(page, app_url)
    for text in ("a = 2\nb = a", "a = 3\nb = a\nc = b * 2"):
        expected = Expected.of(text)
        canvas = enter_text(page, text, expected)
        labels = {v["label"] for v in canvas.values.values()}
        assert {"a", "b"} <= labels
        assert "=" in {o["op"] for o in canvas.operators.values()}
        by_testid(page, "finish").click()
        check_position(page, expected, expected.total)
        torch_grads = expected.torch_grads()
        canvas = read_canvas(page)
        for vid, node in canvas.values.items():
            assert same_number(node["grad"], torch_grads[vid], exact=False), node
    steps = [s.formula for s in Expected.of("a = 2\nb = a").steps]
    assert steps[0].startswith("∂b/∂b") and "∂b/∂a" in steps[1]


# ---------------------------------------------------------------------------------------
# 5. One rule for names


def test_the_canvas_takes_the_names_the_editor_takes(page, app_url):
    open_app(page, app_url)
    enter_text(page, "α = 2\nβ = α * α")
    by_testid(page, "edit-mode").click()
    rename(page, "α", "γ")
    expect(by_testid(page, "expression")).to_have_value("γ = 2\nβ = γ * γ", timeout=TIMEOUT_MS)
    expect(by_testid(page, "edit-message")).to_be_hidden()
    by_testid(page, "label-β").dblclick()
    field = by_testid(page, "rename-β")
    field.fill("for")
    field.press("Enter")
    expect(by_testid(page, "edit-message")).to_have_text("'for' is a Python keyword.")
    no_error_box(page)


# ---------------------------------------------------------------------------------------
# The guard


def inject(page, target):
    run_python(page, INJECT.format(target=target))


def restore(page, owner, name):
    run_python(page, f"from chainrule.page import app\ndel {owner}.{name}")


def guarded_context(new_context):
    context, problems = new_context()
    problems.expect(r"injected failure")  # the guard's console.error, on purpose
    return context.new_page()


def test_a_failing_click_handler_says_so_and_the_page_goes_on(new_context, app_url):
    page = guarded_context(new_context)
    open_app(page, app_url)
    inject(page, "app.page.session.step")
    by_testid(page, "step").click()
    expect(by_testid(page, "toast")).to_have_text(GUARD_SAYS)
    no_error_box(page)
    restore(page, "app.page.session", "step")
    by_testid(page, "step").click()
    expected = Expected.of(LECTURE)
    check_position(page, expected, 1)


def test_a_failing_training_chunk_stops_training_and_says_so(new_context, app_url):
    page = guarded_context(new_context)
    open_app(page, app_url)
    open_panel(page)
    inject(page, "app.page.training.run.chunk")
    by_testid(page, "train").click()
    expect(by_testid(page, "train-error")).to_have_text(GUARD_SAYS)
    expect(by_testid(page, "train")).to_have_attribute("data-training", "false")
    expect(by_testid(page, "train")).to_have_text("▶ Train")
    no_error_box(page)
    restore(page, "app.page.training.run", "chunk")
    by_testid(page, "train-step").click()
    expect(by_testid(page, "train-step-count")).to_have_text("1")


def test_a_failing_redraw_keeps_the_graph_and_says_it_could_not_be_drawn(new_context, app_url):
    page = guarded_context(new_context)
    before = open_app(page, app_url).graph()
    inject(page, "app.page.session.load")
    by_testid(page, "expression").fill("a = 5\nL = a * a")  # the debounced redraw
    error = by_testid(page, "expression-error")
    expect(error).to_have_text("This graph could not be drawn: injected failure")
    assert read_canvas(page).graph() == before
    no_error_box(page)
    restore(page, "app.page.session", "load")
    by_testid(page, "step").click()  # the state is the graph on screen's
    check_position(page, Expected.of(LECTURE), 1)
    enter_text(page, "a = 5\nL = a * a")
    expect(error).to_be_hidden()


def test_a_renderer_that_throws_keeps_the_previous_graph(new_context, app_url):
    page = guarded_context(new_context)
    before = open_app(page, app_url).graph()
    page.evaluate("""async () => {
        const renderer = await import(new URL('renderer/renderer.js', document.baseURI).href);
        const view = renderer.mount(document.querySelector('[data-testid="canvas"]'));
        window.realSetGraph = view.setGraph;
        view.setGraph = () => { throw new Error('injected failure'); };
    }""")
    by_testid(page, "expression").fill("x = -1\nL = log(x)")
    error = by_testid(page, "expression-error")
    expect(error).to_contain_text("This graph could not be drawn: ")
    expect(error).to_contain_text("injected failure")
    assert read_canvas(page).graph() == before
    no_error_box(page)
    page.evaluate("""async () => {
        const renderer = await import(new URL('renderer/renderer.js', document.baseURI).href);
        renderer.mount(document.querySelector('[data-testid="canvas"]')).setGraph = window.realSetGraph;
    }""")
    by_testid(page, "step").click()
    check_position(page, Expected.of(LECTURE), 1)
    enter_text(page, "x = -1\nL = log(x)", exact=False)


def test_a_failing_renderer_callback_says_so(new_context, app_url):
    page = guarded_context(new_context)
    open_app(page, app_url)
    grouped = "x = 2\n# group: g\ny = x * 3\n\nL = y + 1"
    enter_text(page, grouped)
    inject(page, "app.page.session.toggle_group")
    page.locator('[data-group="g"] [data-testid="group-toggle"]').first.click()
    expect(by_testid(page, "toast")).to_have_text(GUARD_SAYS)
    no_error_box(page)
    restore(page, "app.page.session", "toggle_group")
    page.locator('[data-group="g"] [data-testid="group-toggle"]').first.click()
    expect(page.locator('[data-group="g"][data-collapsed="true"]')).to_have_count(1)


def test_a_failing_step_of_play_stops_playing_and_says_so(new_context, app_url):
    page = guarded_context(new_context)
    open_app(page, app_url)
    inject(page, "app.page.session.step")
    by_testid(page, "play").click()  # the steps come from a timer
    expect(by_testid(page, "toast")).to_have_text(GUARD_SAYS)
    expect(by_testid(page, "play")).to_have_attribute("data-playing", "false")
    no_error_box(page)
    restore(page, "app.page.session", "step")
    by_testid(page, "step").click()
    check_position(page, Expected.of(LECTURE), 1)
