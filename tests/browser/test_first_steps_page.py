"""Before Python is up: the default example steps from the build's recording, the controls
that need no Python work, and Python takes over where the replay stands."""

import json

import pytest
from playwright.sync_api import expect

from chainrule.state.share import SharedState, encode

from harness import wait_for_state
from pages import (LECTURE, STEP_BUTTONS, TIMEOUT_MS, Expected, blur, by_testid,
                   check_position, dom_step_state, eventually, assert_that, read_canvas)
from test_first_visit import WASM, held_until_released

# Marks every node and edge element on the canvas, so a test can tell a redraw (new
# elements) from the same picture kept.
MARK_CANVAS = """() => {
    for (const el of document.querySelectorAll('[data-testid="canvas"] [data-id], path[data-edge-id]')) {
        el.chainruleMark = true;
    }
}"""
UNMARKED = """() => [...document.querySelectorAll(
    '[data-testid="canvas"] [data-id], path[data-edge-id]')].filter((el) => !el.chainruleMark)
    .map((el) => el.dataset.id ?? el.dataset.edgeId)"""
VIEWPORT = """() => document.querySelector('[data-testid="canvas"] .react-flow__viewport')
    .style.transform"""


def python_held(context, app_url, link=None):
    """A first visit with Python's wasm held back, over `link` (CDP network conditions)
    if given; returns (page, release). The page's step controls are the replay's once
    Step is enabled."""
    release = held_until_released(context, WASM)
    page = context.new_page()
    if link:
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", link)
    page.goto(app_url, wait_until="commit")
    return page, release


def replaying(page):
    expect(by_testid(page, "step")).to_be_enabled(timeout=TIMEOUT_MS)
    assert page.evaluate("document.documentElement.dataset.state") == "loading"


def test_the_default_example_steps_before_python_as_python_steps_it(context, app_url):
    page, release = python_held(context, app_url)
    expected = Expected.of(LECTURE)
    replaying(page)
    assert by_testid(page, "step").get_attribute("title") == "Step (→)"
    assert by_testid(page, "back").get_attribute("title") == "Back (←)"
    replayed = {0: dom_step_state(page)}
    check_position(page, expected, 0)
    for k in range(1, expected.total + 1):
        by_testid(page, "step").click()
        check_position(page, expected, k)
        replayed[k] = dom_step_state(page)
    by_testid(page, "back").click()
    check_position(page, expected, expected.total - 1)
    by_testid(page, "reset").click()
    check_position(page, expected, 0)
    blur(page)
    page.keyboard.press("ArrowRight")
    check_position(page, expected, 1)
    page.keyboard.press("End")
    check_position(page, expected, expected.total)
    page.keyboard.press("Home")
    check_position(page, expected, 0)
    # Keys typed into the editor are the editor's.
    by_testid(page, "expression").press("ArrowRight")
    check_position(page, expected, 0)

    release(page)
    wait_for_state(page, "ready")
    for k in range(1, expected.total + 1):
        by_testid(page, "step").click()
        check_position(page, expected, k)
        assert dom_step_state(page) == replayed[k], f"Python's step {k} is not the replay's"


# The laptop at which the graph is drawn left to right; a 4:3 screen and a phone, where
# it fits the canvas better top to bottom, which the first paint must draw too.
SCREENS = {
    "1280x720": {},
    "1024x768": {"viewport": {"width": 1024, "height": 768}},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
              "is_mobile": True, "has_touch": True},
}
DRAWN = {"1280x720": "LR", "1024x768": "TB", "phone": "TB"}


@pytest.mark.parametrize("screen", SCREENS)
def test_python_takes_over_at_the_replayed_step_with_nothing_redrawn(new_context, app_url, screen):
    context, _ = new_context(**SCREENS[screen])
    page, release = python_held(context, app_url)
    expected = Expected.of(LECTURE)
    replaying(page)
    expect(by_testid(page, "direction")).to_have_attribute("data-direction", DRAWN[screen])
    for _ in range(3):
        by_testid(page, "step").click()
    check_position(page, expected, 3)
    before = dom_step_state(page)
    boxes = read_canvas(page).boxes()
    viewport = page.evaluate(VIEWPORT)
    page.evaluate(MARK_CANVAS)

    release(page)
    wait_for_state(page, "ready")
    check_position(page, expected, 3)
    assert dom_step_state(page) == before
    assert read_canvas(page).boxes() == boxes
    assert page.evaluate(VIEWPORT) == viewport
    assert page.evaluate(UNMARKED) == [], "Python drew the graph again"
    by_testid(page, "step").click()
    check_position(page, expected, 4)
    page.wait_for_function("location.hash.length > 3")  # Python's link holds the step
    by_testid(page, "back").click()
    check_position(page, expected, 3)


def test_the_direction_the_user_picked_is_the_one_drawn_first(new_context, app_url):
    context, _ = new_context(**SCREENS["phone"])
    context.add_init_script("try { localStorage.setItem('chainrule:direction', 'LR'); } catch {}")
    page, release = python_held(context, app_url)
    replaying(page)
    expect(by_testid(page, "direction")).to_have_attribute("data-direction", "LR")
    by_testid(page, "step").click()
    boxes = read_canvas(page).boxes()
    page.evaluate(MARK_CANVAS)
    release(page)
    wait_for_state(page, "ready")
    assert read_canvas(page).boxes() == boxes
    assert page.evaluate(UNMARKED) == [], "Python drew the graph again"
    check_position(page, Expected.of(LECTURE), 1)


def test_playing_before_python_never_starts_over_when_python_takes_over(context, app_url):
    page, release = python_held(context, app_url)
    expected = Expected.of(LECTURE)
    replaying(page)
    page.evaluate("""() => {
        window.counts = [];
        const counter = document.querySelector('[data-testid="step-counter"]');
        new MutationObserver(() => window.counts.push(counter.textContent))
            .observe(counter, {childList: true, characterData: true, subtree: true});
    }""")
    by_testid(page, "speed").fill("1")
    by_testid(page, "play").click()
    expect(by_testid(page, "play")).to_have_attribute("data-playing", "true")
    expect(by_testid(page, "play")).to_have_text("⏸ Pause")
    eventually(page, lambda: assert_that(
        by_testid(page, "step-counter").text_content() != f"backward 0 / {expected.total}",
        "Play did not step"))
    release(page)
    wait_for_state(page, "ready")
    expect(by_testid(page, "play")).to_have_attribute("data-playing", "false", timeout=TIMEOUT_MS)
    check_position(page, expected, expected.total)
    counts = page.evaluate("window.counts")
    steps = [int(text.split()[1]) for text in counts]
    assert steps == sorted(steps), f"playing went back: {counts}"


def test_controls_that_need_no_python_work_while_it_starts(context, app_url):
    page, release = python_held(context, app_url)
    replaying(page)
    root = "document.documentElement.dataset"
    theme = by_testid(page, "theme")
    theme.click()
    assert page.evaluate(f"{root}.theme") == "light"
    expect(theme).to_have_text("◐ Theme: light")
    assert page.evaluate("localStorage.getItem('chainrule:theme')") == "light"

    toggle = by_testid(page, "panel-toggle")
    width = by_testid(page, "canvas").bounding_box()["width"]
    toggle.click()
    assert page.evaluate(f"{root}.panel") == "collapsed"
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert by_testid(page, "canvas").bounding_box()["width"] > width
    blur(page)
    page.keyboard.press("[")
    assert page.evaluate(f"{root}.panel") == "open"

    page.keyboard.press("?")
    expect(by_testid(page, "shortcuts")).to_be_visible()
    by_testid(page, "shortcuts-close").click()
    expect(by_testid(page, "shortcuts")).to_be_hidden()

    fitted = page.evaluate(VIEWPORT)
    page.locator(".react-flow__controls-zoomin").click()
    eventually(page, lambda: assert_that(page.evaluate(VIEWPORT) != fitted, "zoom did nothing"))
    zoomed_in = page.evaluate(VIEWPORT)
    by_testid(page, "fit-view").click()
    eventually(page, lambda: assert_that(page.evaluate(VIEWPORT) != zoomed_in, "Fit did nothing"))

    # Tuning waits for Python, and says so at the value typed.
    by_testid(page, "value-a").click()
    field = page.locator('input[data-testid="value-a"]')
    field.fill("5")
    field.press("Enter")
    expect(by_testid(page, "value-error-a")).to_have_text("Python is starting…")
    for name in ("direction", "share", "preset", "edit-mode", "forward-pass", "copy-pytorch"):
        control = by_testid(page, name)
        assert control.is_disabled(), name
        assert control.get_attribute("title") == "Python is starting…", name

    release(page)
    wait_for_state(page, "ready")
    # Python keeps what was chosen, and its own buttons answer once each.
    assert page.evaluate(f"{root}.theme") == "light"
    expect(theme).to_have_text("◐ Theme: light")
    theme.click()
    assert page.evaluate(f"{root}.theme") == "dark"
    toggle.click()
    assert page.evaluate(f"{root}.panel") == "collapsed"


OTHER_PROGRAM = "x = 3\ny = x*x"


@pytest.mark.parametrize("opened_with", ["a link", "a saved program", "a saved lesson"])
def test_a_link_or_a_saved_program_waits_for_python_to_step(new_context, app_url, opened_with):
    context, _ = new_context()
    saved = {"a saved program": ("chainrule:text", OTHER_PROGRAM),
             "a saved lesson": ("chainrule:lesson", json.dumps({"key": "micrograd", "step": 1,
                                                                 "open": True}))}
    if opened_with == "a link":
        app_url += encode(SharedState(OTHER_PROGRAM))
    else:
        key, value = saved[opened_with]
        context.add_init_script(  # on the site's pages (not the new tab's about:blank)
            f"if (location.protocol === 'http:') localStorage.setItem({json.dumps(key)}, "
            f"{json.dumps(value)})")
    page, release = python_held(context, app_url)
    expect(by_testid(page, "fit-view")).to_be_enabled(timeout=TIMEOUT_MS)  # the renderer is up
    for name in STEP_BUTTONS:
        control = by_testid(page, name)
        assert control.is_disabled(), name
        assert control.get_attribute("title") == "Python is starting…", name
    blur(page)
    page.keyboard.press("ArrowRight")
    assert by_testid(page, "step-counter").text_content() == "backward 0 / 7"
    release(page)
    wait_for_state(page, "ready")
    if opened_with == "a saved lesson":
        expect(by_testid(page, "lesson-panel")).to_be_visible()
        return
    eventually(page, lambda: assert_that(
        {v["label"] for v in read_canvas(page).values.values()} == {"x", "y"}, "not drawn"))
    expect(by_testid(page, "step-counter")).to_have_text("backward 0 / 3")


# Checked at every mutation of the page, so at every state that could be painted: the
# graph is never on screen unfitted (at the flow's default viewport) or without its edges.
WATCH_FIRST_PAINT = """
window.unfitted = [];
const check = () => {
    const viewport = document.querySelector('[data-testid="canvas"] .react-flow__viewport');
    if (!viewport || !viewport.querySelector('[data-testid="value-node"]')) return;
    if (getComputedStyle(viewport).visibility === 'hidden') return;
    const edges = document.querySelectorAll('[data-testid="canvas"] path[data-edge-id]').length;
    const transform = viewport.style.transform.replaceAll(' ', '');
    if (transform === 'translate(0px,0px)scale(1)' || !edges) {
        window.unfitted.push(`${Math.round(performance.now())} ms: ${transform}, ${edges} edges`);
    }
};
new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
"""


def test_the_first_graph_is_never_shown_unfitted(context, app_url):
    context.add_init_script(WATCH_FIRST_PAINT)
    # 3 Mbps, 100 ms: the renderer arrives well after the HTML has painted the graph.
    page, release = python_held(context, app_url, link={
        "offline": False, "latency": 100, "downloadThroughput": 3e6 / 8, "uploadThroughput": 3e6 / 8,
    })
    replaying(page)
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.evaluate("window.unfitted") == []
    release(page)
    wait_for_state(page, "ready", timeout=180_000)
    assert page.evaluate("window.unfitted") == []
