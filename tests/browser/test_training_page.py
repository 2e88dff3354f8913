"""The Train panel in the page: training in chunks, the plots, Inspect, the form's errors.

Expected weights come from chainrule's Trainer on CPython with the same defaults.
"""

import re
import time

from playwright.sync_api import expect

from pages import TIMEOUT_MS, by_testid, eventually, open_app, read_canvas, run_timers_for
from test_conventions import PHONE, axe_violations

from chainrule.train.plots import GRID
from chainrule.train.trainer import Trainer

LOSS_POINTS = """() => document.querySelector(
    '[data-testid="loss-plot"] polyline[data-series="loss"]').getAttribute('points')
    .trim().split(/\\s+/).map((p) => p.split(',').map(Number))"""


def open_panel(page):
    by_testid(page, "train-panel").locator("summary").click()
    expect(by_testid(page, "train")).to_be_enabled()


def step_count(page):
    return int(by_testid(page, "train-step-count").text_content())


def train_until(page, steps):
    by_testid(page, "train").click()
    expect(by_testid(page, "train")).to_have_attribute("data-training", "true")

    def enough():
        assert step_count(page) >= steps

    eventually(page, enough)


def pause(page):
    by_testid(page, "train").click()
    expect(by_testid(page, "train")).to_have_attribute("data-training", "false")
    expect(by_testid(page, "train")).to_have_text("▶ Train")


def test_train_then_pause_leaves_a_falling_loss_curve_and_a_boundary(page, app_url):
    open_app(page, app_url)
    page.clock.install()  # the chunks' timers on a clock the test can run at once
    open_panel(page)
    train_until(page, 60)
    pause(page)
    steps = step_count(page)
    run_timers_for(page)
    assert step_count(page) == steps  # paused means paused

    points = page.evaluate(LOSS_POINTS)
    assert len(points) == steps  # drawn at the pause: every step is on it
    ys = [y for _, y in points]
    early, late = sum(ys[:5]) / 5, sum(ys[-10:]) / 10
    assert late > early  # SVG's y grows downwards: the loss fell
    assert float(by_testid(page, "train-loss").text_content()) > 0
    assert by_testid(page, "train-accuracy").text_content().endswith("%")
    assert "ms/step" in by_testid(page, "train-rate").text_content()

    boundary = by_testid(page, "boundary-plot")
    expect(boundary).to_be_visible()
    expect(boundary.locator(".plot__cells rect")).to_have_count(GRID * GRID)
    expect(boundary.locator("circle")).to_have_count(len(Trainer().data))
    assert boundary.locator("circle.plot__neg").count() and boundary.locator(
        "circle.plot__pos").count()
    expect(by_testid(page, "fit-plot")).to_be_hidden()

    by_testid(page, "train-reset").click()
    expect(by_testid(page, "train-step-count")).to_have_text("0")
    expect(by_testid(page, "train-loss")).to_have_text("–")
    expect(by_testid(page, "loss-plot").locator("polyline")).to_have_count(0)


def expect_text(page, part):
    """The editor's text comes to hold `part`."""
    expect(by_testid(page, "expression")).to_have_value(re.compile(re.escape(part)),
                                                        timeout=TIMEOUT_MS)


def weight_on_canvas(page, label):
    nodes = [n for n in read_canvas(page).values.values() if n["label"] == label]
    assert len(nodes) == 1, label
    return nodes[0]["value"]


def inspect(page, expected_w, opened=False):
    by_testid(page, "train-inspect").click()
    expect_text(page, f"w1_0_0 = {expected_w!r}")
    if opened:  # a sample of the same network keeps what the user expanded
        expect(page.locator('[data-group="L1.N0"][data-collapsed="false"]')).to_have_count(1)
    else:  # a 2-8-8-1 graph is big: it opens with its neurons collapsed; open the first
        # (the first view shows the output end, readable: Fit brings the first layer in)
        by_testid(page, "fit-view").click()
        page.locator('[data-group="L1.N0"][data-collapsed="true"] [data-testid="group-toggle"]') \
            .click(timeout=TIMEOUT_MS)

    def drawn():
        assert weight_on_canvas(page, "w1_0_0") == repr(expected_w)

    eventually(page, drawn)


def test_one_step_changes_the_weights_an_inspected_graph_shows(page, app_url):
    trainer = Trainer()  # the panel's defaults
    w = trainer.model.layers[0].neurons[0].w[0]
    before = w.data
    trainer.step()
    after = w.data
    assert after != before

    open_app(page, app_url)
    open_panel(page)
    inspect(page, before)
    text = by_testid(page, "expression").input_value()
    assert text.rstrip().endswith("L = relu(1 - y*h3_0)")
    expect(by_testid(page, "step-counter")).to_contain_text("backward 0 /")  # ready to step

    by_testid(page, "train-step").click()
    expect(by_testid(page, "train-step-count")).to_have_text("1")
    inspect(page, after, opened=True)
    by_testid(page, "step").click()
    expect(by_testid(page, "step-counter")).to_contain_text("backward 1 /")


def test_the_page_answers_clicks_while_training(page, app_url):
    open_app(page, app_url)
    open_panel(page)
    train_until(page, 5)
    root = page.locator("html")
    for theme in ("light", "dark"):
        started = time.monotonic()
        by_testid(page, "theme").click()
        expect(root).to_have_attribute("data-theme", theme, timeout=3000)
        # Generous for a busy machine; a page stuck in training would take many seconds.
        assert time.monotonic() - started < 2.0
    running = step_count(page)
    by_testid(page, "shortcuts-button").click()
    expect(by_testid(page, "shortcuts")).to_be_visible(timeout=2000)
    by_testid(page, "shortcuts-close").click()
    expect(by_testid(page, "shortcuts")).to_be_hidden()
    page.clock.install()  # the next chunks' timers on a clock the test can run at once

    def still_training():
        assert step_count(page) > running

    eventually(page, still_training)
    pause(page)
    stopped = step_count(page)
    run_timers_for(page)
    assert step_count(page) == stopped


def test_a_bad_shape_is_explained_and_training_keeps_its_state(page, app_url):
    open_app(page, app_url)
    open_panel(page)
    for k in range(1, 4):
        by_testid(page, "train-step").click()
        expect(by_testid(page, "train-step-count")).to_have_text(str(k))
    loss = by_testid(page, "train-loss").text_content()
    shape = by_testid(page, "train-shape")
    shape.fill("3-8-1")
    shape.press("Enter")
    error = by_testid(page, "train-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("start with 2")
    expect(shape).to_have_attribute("aria-invalid", "true")
    expect(by_testid(page, "train-step-count")).to_have_text("3")
    assert by_testid(page, "train-loss").text_content() == loss
    for testid in ("train", "train-step"):  # nothing trains on settings that are refused
        expect(by_testid(page, testid)).to_be_disabled()
        expect(by_testid(page, testid)).to_have_attribute("title", error.text_content())

    shape.fill("2-4-1")
    shape.press("Enter")
    expect(error).to_be_hidden()
    expect(shape).not_to_have_attribute("aria-invalid", "true")
    expect(by_testid(page, "train-step-count")).to_have_text("0")  # a new network


def test_sine_is_fitted_instead_of_split(page, app_url):
    open_app(page, app_url)
    open_panel(page)
    by_testid(page, "train-dataset").select_option("sine")
    expect(by_testid(page, "train-shape")).to_have_value("1-8-8-1")
    expect(by_testid(page, "train-loss-kind")).to_have_value("mse")
    by_testid(page, "train-step").click()
    expect(by_testid(page, "train-step-count")).to_have_text("1")
    expect(by_testid(page, "boundary-plot")).to_be_hidden()
    fit = by_testid(page, "fit-plot")
    expect(fit).to_be_visible()
    expect(fit.locator("polyline")).to_have_count(1)
    expect(by_testid(page, "train-accuracy-label")).to_have_text("within 0.1")
    sample = by_testid(page, "train-sample")
    sample.fill("999")
    sample.press("Enter")
    expect(by_testid(page, "train-error")).to_have_text("Pick a sample from 0 to 99.")
    sample.fill("3")
    sample.press("Enter")
    expect_text(page, "L = (h3_0 - y)**2")
    expect(by_testid(page, "train-error")).to_be_hidden()


def test_the_open_panel_is_accessible_and_fits_a_phone(new_context, app_url):
    context, _ = new_context(**PHONE)
    page = context.new_page()
    open_app(page, app_url)
    open_panel(page)
    by_testid(page, "train-step").click()
    expect(by_testid(page, "loss-plot").locator("polyline")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for testid in ("train", "train-step", "train-reset", "train-inspect", "train-shape",
                   "loss-plot", "boundary-plot"):
        box = by_testid(page, testid).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, testid
    assert axe_violations(page) == []
    page.locator("html").evaluate("el => el.dataset.theme = 'dark'")
    assert axe_violations(page) == []
