"""The embed view for teachers (?embed): only the canvas, the step controls and the
explanation, at 480×320 too, with every interaction; Copy embed code; offline."""

from playwright.sync_api import expect

from chainrule.state.share import SharedState, encode
from harness import SERVICE_WORKER_ACTIVE, wait_for_state
from pages import LECTURE, TIMEOUT_MS, Expected, by_testid, expect_counter, open_app, wait_for_graph
from test_share_links import clipboard, with_clipboard

SMALL = {"width": 480, "height": 320}


def inside_window(page, testid):
    box = by_testid(page, testid).bounding_box()
    size = page.viewport_size
    assert box and box["x"] >= 0 and box["y"] >= 0, testid
    assert box["x"] + box["width"] <= size["width"] + 0.5, testid
    assert box["y"] + box["height"] <= size["height"] + 0.5, testid


def test_the_embed_view_at_480_by_320_keeps_step_tune_and_practice(new_context, app_url):
    context, _ = new_context(viewport=SMALL)
    page = context.new_page()
    link = encode(SharedState(LECTURE, step=2, example="lecture"))
    page.goto(app_url + "?embed" + link)
    wait_for_state(page, "ready")
    expected = Expected.of(LECTURE)
    wait_for_graph(page, expected)
    expect_counter(page, 2, 7)
    for hidden in ("expression", "inputs", "theme", "lesson", "share", "train-panel",
                   "python-version"):
        expect(by_testid(page, hidden)).to_be_hidden()
    for shown in ("canvas", "step", "back", "practice", "step-explanation", "open-full"):
        expect(by_testid(page, shown)).to_be_visible()
        inside_window(page, shown)
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight + 1")

    by_testid(page, "step").click()
    expect_counter(page, 3, 7)
    page.locator('[data-testid="value-f"]').focus()  # tune: type a number on the canvas
    page.keyboard.press("Enter")
    typed = page.locator('input[data-testid="value-f"]')
    typed.fill("-3")
    typed.press("Enter")
    output = page.locator('[data-testid="value-node"][data-label="L"]')
    expect(output).to_have_attribute("data-value", "-12.0", timeout=TIMEOUT_MS)

    expect_counter(page, 0, 7)  # a tuning starts stepping over
    by_testid(page, "practice").click()
    by_testid(page, "step").click()
    inside_window(page, "practice-answer")
    by_testid(page, "practice-answer").fill("1")
    by_testid(page, "practice-answer").press("Enter")
    expect(by_testid(page, "practice-feedback")).to_contain_text("Right (first try)")

    full = by_testid(page, "open-full")
    expect(full).to_have_attribute("target", "_blank")
    with context.expect_page() as opened:
        full.click()
    tab = opened.value
    wait_for_state(tab, "ready")
    assert "embed" not in tab.url and "#s=" in tab.url
    expect(by_testid(tab, "expression")).to_be_visible()
    expect(by_testid(tab, "practice")).to_have_attribute("aria-pressed", "true")


def test_copy_embed_code_gives_an_iframe_that_works_offline(new_context, server, app_url):
    context, _ = new_context()
    with_clipboard(context, server)
    page = context.new_page()
    open_app(page, app_url)
    assert page.evaluate(SERVICE_WORKER_ACTIVE)
    by_testid(page, "step").click()
    by_testid(page, "step").click()
    by_testid(page, "copy-embed").click()
    expect(by_testid(page, "toast")).to_have_text("Embed code copied to the clipboard")
    code = clipboard(page)
    assert code.startswith(f'<iframe src="{app_url}?embed#s=')
    assert 'title="chainrule: the compute graph of L, stepping through backprop"' in code
    assert 'width="720" height="480"' in code
    # Course notes on the same site embed it (outside the page's folder, so the page's
    # service worker has nothing to do with them).
    notes = f"{server.origin}/notes/backprop.html"
    context.route(notes, lambda route: route.fulfill(
        body=f"<!doctype html><title>notes</title><h1>Backprop</h1>{code}",
        content_type="text/html"))
    frame = embedded_in(context.new_page(), notes, step=2)
    frame.locator('[data-testid="step"]').click()
    expect(frame.locator('[data-testid="step-counter"]')).to_have_text("backward 3 / 7")
    context.set_offline(True)  # the embed view works offline, like the page
    embedded_in(context.new_page(), notes, step=2)


def embedded_in(host, notes, step):
    """The embed view's frame in the notes at `notes`, showing backprop's `step`."""
    host.goto(notes)
    frame = host.frame_locator("iframe")
    expect(frame.locator('[data-testid="step-counter"]')).to_have_text(
        f"backward {step} / 7", timeout=60_000)
    for hidden in ('[data-testid="expression"]', ".masthead"):
        expect(frame.locator(hidden)).to_be_hidden()
    return frame

def test_a_lesson_in_the_embed_view(new_context, app_url):
    context, _ = new_context(viewport={"width": 720, "height": 480})
    page = context.new_page()
    page.goto(app_url + "?embed" + encode(SharedState(LECTURE, lesson="micrograd",
                                                      lesson_step=2)))
    wait_for_state(page, "ready")
    expect(by_testid(page, "lesson-progress")).to_have_text("3 / 11", timeout=TIMEOUT_MS)
    for shown in ("lesson-next", "step", "step-explanation"):
        inside_window(page, shown)
    by_testid(page, "lesson-next").click()
    expect(by_testid(page, "lesson-progress")).to_have_text("4 / 11")
    expect_counter(page, 3, 7)
