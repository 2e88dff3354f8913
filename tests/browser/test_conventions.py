"""Exports, theme, keyboard help, phone, accessibility, gradient check: the conventions."""

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import expect

from harness import wait_for_state
from pages import LECTURE, Expected, by_testid, expect_counter, open_app, read_canvas

SVG = "{http://www.w3.org/2000/svg}"


def downloaded(page, testid):
    with page.expect_download() as info:
        by_testid(page, testid).click()
    download = info.value
    with open(download.path(), "rb") as file:
        return download.suggested_filename, file.read()


def test_svg_and_png_downloads_show_the_graph_at_the_right_size(page, app_url):
    open_app(page, app_url)
    by_testid(page, "step").click()
    by_testid(page, "step").click()
    expect_counter(page, 2, 7)

    name, data = downloaded(page, "export-svg")
    assert name == "chainrule.svg"
    svg = ET.fromstring(data)
    width, height = float(svg.get("width")), float(svg.get("height"))
    assert width > 400 and height > 100
    texts = {t.text for t in svg.iter(f"{SVG}text")}
    expected = Expected.of(LECTURE)
    labels = {label for label, _, _ in expected.values.values() if label}
    assert labels <= texts
    assert f"{expected.values[expected.root_id][2]:.4f}" in texts  # L's value
    step = expected.steps[1]
    assert f"{step.after:.4f}" in texts  # the grad the second step set

    name, png = downloaded(page, "export-png")
    assert name == "chainrule.png"
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    png_width, png_height = struct.unpack(">II", png[16:24])
    assert (png_width, png_height) == (round(2 * width), round(2 * height))
    # Not a blank picture: rasterise it again in the page and count the inked pixels.
    inked = page.evaluate("""async (bytes) => {
        const blob = new Blob([new Uint8Array(bytes)], {type: 'image/png'});
        const bitmap = await createImageBitmap(blob);
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        context.drawImage(bitmap, 0, 0);
        const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
        let dark = 0;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128) dark++;
        return dark;
    }""", list(png))
    assert inked > 2000


def test_the_theme_cycles_and_persists(page, app_url):
    open_app(page, app_url)
    root = page.locator("html")
    theme = by_testid(page, "theme")
    expect(root).to_have_attribute("data-theme", "system")
    theme.click()
    expect(root).to_have_attribute("data-theme", "light")
    theme.click()
    expect(root).to_have_attribute("data-theme", "dark")
    expect(theme).to_have_text("◐ Theme: dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.reload()
    expect(root).to_have_attribute("data-theme", "dark")  # before Python, from storage
    wait_for_state(page, "ready")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
    node = page.locator('[data-testid="value-node"]').first
    assert node.evaluate("el => getComputedStyle(el).backgroundColor") != "rgb(255, 255, 255)"
    theme.click()
    expect(root).to_have_attribute("data-theme", "system")


def test_question_mark_opens_the_keyboard_help(page, app_url):
    open_app(page, app_url)
    help_panel = by_testid(page, "shortcuts")
    expect(help_panel).to_be_hidden()
    page.keyboard.press("?")
    expect(help_panel).to_be_visible()
    expect(help_panel).to_contain_text("Step: the next chain-rule contribution")
    page.keyboard.press("Escape")
    expect(help_panel).to_be_hidden()
    by_testid(page, "shortcuts-button").click()
    expect(help_panel).to_be_visible()
    by_testid(page, "shortcuts-close").click()
    expect(help_panel).to_be_hidden()


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}
CONTROLS = """() => [...document.querySelectorAll(
    'button, select, textarea, input, summary, [data-testid="canvas"]')]
  .filter((el) => el.getClientRects().length && !el.closest('dialog:not([open])'))
  .map((el) => {
    const r = el.getBoundingClientRect();
    return {what: el.dataset.testid || el.className || el.tagName,
            left: r.left + scrollX, right: r.right + scrollX, width: r.width};
  })"""


def test_a_phone_screen_shows_every_control_and_a_tap_steps(new_context, app_url):
    context, _ = new_context(**PHONE)
    page = context.new_page()
    open_app(page, app_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    controls = page.evaluate(CONTROLS)
    assert len(controls) > 15
    off = [c for c in controls if c["left"] < 0 or c["right"] > 390 or c["width"] == 0]
    assert not off, off
    canvas = by_testid(page, "canvas").bounding_box()
    assert canvas["height"] > 300
    step = by_testid(page, "step")
    step.scroll_into_view_if_needed()
    step.tap()
    expect_counter(page, 1, 7)
    step.tap()
    expect_counter(page, 2, 7)


AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
# Every WCAG 2.1 A and AA rule axe-core has, whatever its impact.
RUN_AXE = """async () => {
    const result = await axe.run(document, {
        resultTypes: ['violations'],
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
    return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' '))}));
}"""


def axe_violations(page):
    """axe-core's WCAG 2.1 AA violations on the page (axe from npm, pinned in
    web/package.json, injected inline: nothing leaves the origin)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("window", ["desktop", "phone"])
def test_no_wcag_2_1_aa_violations_in_light_and_dark(new_context, app_url, window):
    options = PHONE if window == "phone" else {"viewport": {"width": 1366, "height": 768}}
    context, _ = new_context(**options)
    page = context.new_page()
    open_app(page, app_url)
    by_testid(page, "step").click()
    by_testid(page, "step").click()
    for theme in ("light", "dark"):
        page.locator("html").evaluate("(el, theme) => el.dataset.theme = theme", theme)
        assert axe_violations(page) == [], theme
    if window == "desktop":  # the panel collapsed: the rail and the floating explanation
        by_testid(page, "panel-toggle").click()
        expect(by_testid(page, "panel-toggle")).to_have_attribute("aria-expanded", "false")
        assert axe_violations(page) == []


def test_the_footer_shows_the_version_and_links_to_the_source(page, app_url):
    open_app(page, app_url)
    expect(by_testid(page, "python-version")).to_contain_text("chainrule 0.1.0")
    link = by_testid(page, "source-link")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    if href.startswith("https://"):  # the repository the build was made from
        return
    # Otherwise the Python sources the site ships, which the page must serve.
    status = page.evaluate("(href) => fetch(href).then((r) => r.status)", href)
    assert status == 200


VIEWPORT_TRANSFORM = "document.querySelector('.react-flow__viewport').style.transform"


def touch(cdp, kind, points):
    cdp.send("Input.dispatchTouchEvent", {
        "type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in
                                      enumerate(points)]})


def test_on_a_phone_the_canvas_pans_and_pinches_by_touch(new_context, app_url):
    context, _ = new_context(**PHONE)
    page = context.new_page()
    open_app(page, app_url)
    by_testid(page, "canvas").scroll_into_view_if_needed()
    box = by_testid(page, "canvas").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] - 40  # an empty stretch
    cdp = context.new_cdp_session(page)
    before = page.evaluate(VIEWPORT_TRANSFORM)
    touch(cdp, "touchStart", [(cx, cy)])
    for k in range(1, 9):
        touch(cdp, "touchMove", [(cx - 10 * k, cy - 5 * k)])
    touch(cdp, "touchEnd", [])
    panned = page.evaluate(VIEWPORT_TRANSFORM)
    assert panned != before and "scale(" in panned
    scale = float(panned.split("scale(")[1].rstrip(")"))

    touch(cdp, "touchStart", [(cx - 20, cy), (cx + 20, cy)])
    for k in range(1, 9):
        touch(cdp, "touchMove", [(cx - 20 - 8 * k, cy), (cx + 20 + 8 * k, cy)])
    touch(cdp, "touchEnd", [])
    zoomed = float(page.evaluate(VIEWPORT_TRANSFORM).split("scale(")[1].rstrip(")"))
    assert zoomed > scale * 1.2


def test_the_gradient_check_lists_every_input_with_both_numbers(page, app_url):
    from chainrule import parse
    from chainrule.core.gradcheck import gradient_check

    open_app(page, app_url)
    by_testid(page, "step").click()
    by_testid(page, "grad-check-panel").locator("summary").click()
    by_testid(page, "grad-check").click()
    results = by_testid(page, "grad-check-results")
    rows = results.locator("tbody tr")
    expect(rows).to_have_count(4)
    program = parse(LECTURE)
    expected = {c.name: c for c in gradient_check(program.output, list(program.inputs.items()))}
    for row in rows.all():
        name = row.get_attribute("data-name")
        cells = row.locator("td").all_text_contents()
        assert float(cells[0]) == pytest.approx(expected[name].backprop, rel=1e-9)
        assert float(cells[1]) == pytest.approx(expected[name].numeric, rel=1e-6)
        assert row.get_attribute("class") == "is-ok"
    worst = float(by_testid(page, "grad-check-worst").get_attribute("data-error"))
    assert worst < 1e-6
    expect_counter(page, 1, 7)  # the check did not disturb the stepping
    assert read_canvas(page).values["v0"]["grad"] == ""  # grads not reached stay unknown
