"""The graph view: editor text -> Python parse -> dagre layout -> React Flow on the canvas.

Every expected node, value and edge comes from `chainrule` on CPython (pages.Expected).
"""

import pytest
from playwright.sync_api import expect

from chainrule.core.nn import MLP
from chainrule.state.presets import PRESETS
from harness import wait_for_state
from pages import (
    LECTURE, TIMEOUT_MS, Expected, assert_that, by_testid, check_graph, check_layout,
    choose_preset, enter_text, eventually, expr_error, frozen_clock, open_app, read_canvas,
    wait_for_graph,
)

WASM = "**/pyodide/pyodide.asm.wasm*"  # or its .xz twin, as the link decides
QUADRATIC = "x = 3\ny = x**2 + 2*x\n"  # y = 15: five values (a constant 2, an exponent **2)
BAD_TEXTS = {
    "syntax error on line 2": "a = 2\nL = a *",
    "unknown function": "a = 2\nb = 3\nL = foo(a) * b",
    "unclosed bracket": "a = 2\nL = (a + 1\n",
}


def test_default_example_shows_seven_values_and_three_operators(page, app_url):
    expected = Expected.of(LECTURE)
    canvas = open_app(page, app_url)
    assert by_testid(page, "expression").input_value() == LECTURE
    assert len(canvas.values) == 7 and len(canvas.operators) == 3
    by_label = {v["label"]: v["value"] for v in canvas.values.values()}
    assert by_label == {"a": "2.0", "b": "-3.0", "c": "10.0", "e": "-6.0", "d": "4.0",
                        "f": "-2.0", "L": "-8.0"}
    output = canvas.values[expected.root_id]
    assert output["label"] == "L" and output["role"] == "output"
    assert sorted(o["op"] for o in canvas.operators.values()) == ["*", "*", "+"]
    # Ids are the topological order: v0.. for values, opK for the operator making vK.
    assert set(canvas.values) == {f"v{i}" for i in range(7)}
    assert all(o.startswith("op") and f"v{o[2:]}" in canvas.values for o in canvas.operators)
    # No gradient is known before stepping.
    assert all(v["grad"] == "" for v in canvas.values.values())


def test_typing_a_new_expression_redraws_it(page, app_url):
    open_app(page, app_url)
    editor = by_testid(page, "expression")
    editor.fill("")
    editor.press_sequentially(QUADRATIC, delay=20)  # one input event per key, as a user types
    canvas = wait_for_graph(page, Expected.of(QUADRATIC))
    assert canvas.nodes == "8"  # x, x**2, 2, 2*x, y and three operators
    assert {v["label"]: v["value"] for v in canvas.values.values()}["y"] == "15.0"
    assert "**2" in {o["op"] for o in canvas.operators.values()}
    assert by_testid(page, "expression-error").is_hidden()


def test_a_second_edit_redraws_again_with_new_ids(page, app_url):
    open_app(page, app_url)
    enter_text(page, QUADRATIC)
    canvas = enter_text(page, "p = 0.5\nq = tanh(p) * p - p / 4\n", exact=False)
    assert canvas.nodes == str(len(canvas.values) + len(canvas.operators))


@pytest.mark.parametrize("bad", BAD_TEXTS.values(), ids=BAD_TEXTS.keys())
def test_a_bad_expression_keeps_the_graph_and_shows_where(page, app_url, bad):
    open_app(page, app_url)
    before = read_canvas(page).graph()
    error = expr_error(bad)

    by_testid(page, "expression").fill(bad)
    message = by_testid(page, "expression-error")
    expect(message).to_be_visible(timeout=TIMEOUT_MS)
    expect(message).to_have_text(f"Line {error.line}, column {error.col}: {error.message}")
    assert message.get_attribute("data-line") == str(error.line)
    assert message.get_attribute("data-col") == str(error.col)
    assert read_canvas(page).graph() == before, "a bad expression changed the graph"

    enter_text(page, QUADRATIC)
    expect(message).to_be_hidden(timeout=TIMEOUT_MS)


def test_going_back_to_the_drawn_text_clears_the_error(page, app_url):
    open_app(page, app_url)
    editor = by_testid(page, "expression")
    editor.fill("a = 2\nL = a *")
    message = by_testid(page, "expression-error")
    expect(message).to_be_visible(timeout=TIMEOUT_MS)
    # The text of the graph on screen is valid again: no error may stay up.
    editor.fill(LECTURE)
    expect(message).to_be_hidden(timeout=TIMEOUT_MS)
    editor.fill("a = 2\nL = a *")
    expect(message).to_be_visible(timeout=TIMEOUT_MS)
    editor.press("Control+Enter")
    editor.fill(LECTURE)
    editor.press("Control+Enter")
    expect(message).to_be_hidden(timeout=TIMEOUT_MS)


def big_mlp_text():
    """~500 flow nodes: past the size where the layout changes strategy (300)."""
    return MLP(2, [8, 8, 1], nonlin="tanh", seed=3).source([0.5, -1.5], 1.0, groups=False)


@pytest.mark.parametrize("key", ["lecture", "sanity", "small-mlp", "big"])
def test_nodes_never_overlap_and_edges_follow_the_direction(page, app_url, key):
    page.set_viewport_size({"width": 1600, "height": 1000})
    open_app(page, app_url)
    if key == "lecture":
        expected = Expected.of(LECTURE)
    elif key == "big":
        expected = Expected.of(big_mlp_text())
        assert expected.flow_node_count > 300
        enter_text(page, expected.text, expected, exact=False)
    else:
        expected, _ = choose_preset(page, key)
    direction = by_testid(page, "direction")
    eventually(page, lambda: check_layout(read_canvas(page), expected, "LR"))

    direction.click()
    expect(direction).to_have_attribute("data-direction", "TB", timeout=TIMEOUT_MS)
    eventually(page, lambda: check_layout(read_canvas(page), expected, "TB"))
    check_graph(read_canvas(page), expected, exact=False)

    direction.click()
    expect(direction).to_have_attribute("data-direction", "LR", timeout=TIMEOUT_MS)
    eventually(page, lambda: check_layout(read_canvas(page), expected, "LR"))


FAR_NODES = """() => [...document.querySelectorAll(
    '[data-testid="value-node"], [data-testid="operator-node"]')].map((el) => ({
      far: el.classList.contains('is-far'), parts: el.childElementCount,
      cells: el.querySelectorAll('.vnode__cell').length, value: el.dataset.testid === 'value-node' }))"""


def test_nodes_too_small_to_read_are_drawn_as_boxes_until_zoomed_in(page, app_url):
    open_app(page, app_url)
    assert not any(n["far"] for n in page.evaluate(FAR_NODES)), "the lecture graph is readable"
    expected = Expected.of(big_mlp_text())
    enter_text(page, expected.text, expected, exact=False)
    far = page.evaluate(FAR_NODES)
    assert far and all(n["far"] and n["parts"] == 0 for n in far), "fitted, a box is all it is"
    check_layout(read_canvas(page), expected, "LR")  # same boxes, values and edges

    flow = by_testid(page, "canvas")
    box = flow.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(6):  # zoom in, a wheel turn at a time: past 0.5, text is drawn again
        before = page.evaluate(ZOOM)
        page.mouse.wheel(0, -300)
        eventually(page, lambda: assert_that(page.evaluate(ZOOM) > before, "no zoom"))
    eventually(page, lambda: assert_that(
        not any(n["far"] for n in page.evaluate(FAR_NODES)), "still boxes after zooming in"))
    near = page.evaluate(FAR_NODES)
    assert all(n["parts"] > 0 for n in near), "a node drawn in full has its text"
    assert all(n["cells"] == 2 for n in near if n["value"]), "a value shows its data and grad"
    check_graph(read_canvas(page), expected, exact=False)


ZOOM = ("() => Number(document.querySelector('.react-flow__viewport').style.transform"
        ".match(/scale\\(([^)]+)\\)/)[1])")


@pytest.mark.parametrize("ratio", [1, 2])
def test_text_is_drawn_from_the_zoom_where_it_is_readable(new_context, app_url, ratio):
    """13 px text is drawn once it is 6.5 device pixels high: from zoom 0.5 on a common
    screen, 0.25 on a double-density one (and never under 0.2)."""
    context, _ = new_context(device_scale_factor=ratio)
    page = context.new_page()
    open_app(page, app_url)
    expected = Expected.of(big_mlp_text())
    enter_text(page, expected.text, expected, exact=False)
    zooms = [page.evaluate(ZOOM)]
    while any(n["far"] for n in page.evaluate(FAR_NODES)):
        assert len(zooms) < 30, f"still boxes at zoom {zooms[-1]}"
        by_testid(page, "canvas").locator(".react-flow__controls-zoomin").click()
        eventually(page, lambda: assert_that(page.evaluate(ZOOM) > zooms[-1], "no zoom"))
        zooms.append(page.evaluate(ZOOM))
    threshold = max(0.2, 0.5 / ratio)
    assert len(zooms) > 1 and zooms[-2] < threshold <= zooms[-1], zooms


def test_edges_carry_arrowheads(page, app_url):
    open_app(page, app_url)
    ends = page.evaluate("""() => [...document.querySelectorAll('path[data-edge-id]')]
        .map((p) => p.getAttribute('marker-end'))""")
    assert len(ends) == len(Expected.of(LECTURE).edges)
    assert all(end and end.startswith("url(") for end in ends), ends


def test_a_big_graph_is_composited_as_one_layer(page, app_url):
    """Every node and edge merges into the flow's own layer. Once Chromium gave each node
    of a big graph its own layer (they overlapped the editor's composited scroller) and
    re-layerized them all on every step, for ~1 s a step."""
    open_app(page, app_url)
    expected = Expected.of(big_mlp_text())
    enter_text(page, expected.text, expected, exact=False)
    cdp = page.context.new_cdp_session(page)
    trees = []
    cdp.on("LayerTree.layerTreeDidChange", lambda event: trees.append(event.get("layers")))
    cdp.send("LayerTree.enable")
    by_testid(page, "step").click()  # a new frame, so a layer tree is reported

    def layers():
        assert trees and trees[-1], "no layer tree reported yet"
        return trees[-1]

    # The page has a handful (root scrollers, the editor, the flow, its buttons).
    assert len(eventually(page, layers)) < 30


def test_every_preset_renders(page, app_url):
    open_app(page, app_url)
    select = by_testid(page, "preset")
    offered = select.locator("option").evaluate_all(
        "(options) => options.filter((o) => o.value).map((o) => [o.value, o.textContent])")
    assert [key for key, _ in offered] == list(PRESETS)
    for key, text in offered:
        assert PRESETS[key][0] in text, (key, text)

    # The lecture example last: choosing the example already on screen must work too.
    for key in [*list(PRESETS)[1:], "lecture", "lecture"]:
        expected, canvas = choose_preset(page, key)
        assert len(canvas.values) == len(expected.values), key
        assert all(v["grad"] == "" for v in canvas.values.values()), key
        assert by_testid(page, "expression-error").is_hidden(), key


def test_reset_example_brings_back_the_lecture_example(page, app_url):
    open_app(page, app_url)
    enter_text(page, QUADRATIC)
    by_testid(page, "reset-example").click()
    wait_for_graph(page, Expected.of(LECTURE))
    # Whatever exact text it writes, it is the lecture example's program.
    text = by_testid(page, "expression").input_value()
    assert Expected.of(text).values == Expected.of(LECTURE).values


def test_fit_view_brings_every_node_into_the_canvas(page, app_url):
    open_app(page, app_url)
    expected, _ = choose_preset(page, "sanity")

    def all_inside(canvas):
        left, top, right, bottom = canvas.box
        return all(b[0] >= left - 1 and b[1] >= top - 1 and b[2] <= right + 1
                   and b[3] <= bottom + 1 for b in canvas.boxes().values())

    eventually(page, lambda: check_layout(read_canvas(page), expected, "LR"))
    flow = by_testid(page, "canvas")
    flow.hover()
    for _ in range(8):  # zoom well in, so most nodes leave the canvas
        page.mouse.wheel(0, -400)
    eventually(page, lambda: assert_that(not all_inside(read_canvas(page)),
                                         "zoom did nothing"))

    by_testid(page, "fit-view").click()
    eventually(page, lambda: assert_that(all_inside(read_canvas(page)), "nodes left outside"))
    check_graph(read_canvas(page), expected, exact=False)



def release(page, held, what):
    """Lets the first request held in `held` go on, once the page has made it."""
    eventually(page, lambda: assert_that(held, f"the page never asked for {what}"))
    held[0].continue_()


def jumped(before, after):
    """{id: (before, after)} of the boxes (or points) that moved more than a pixel."""
    assert set(before) == set(after)
    return {i: (box, after[i]) for i, box in before.items()
            if max(abs(a - b) for a, b in zip(box, after[i])) > 1}


def test_first_paint_shows_the_graph_before_python(new_context, app_url):
    context, _ = new_context()  # a cold load: no cache, no service worker, no storage
    page = context.new_page()
    held = []
    page.route(WASM, lambda route: held.append(route))  # Python cannot start until released
    page.goto(app_url, wait_until="commit")
    page.wait_for_selector('[data-testid="value-node"]', timeout=TIMEOUT_MS)
    assert page.evaluate("document.documentElement.dataset.state") == "loading"

    expected = Expected.of(LECTURE)
    first = wait_for_graph(page, expected)  # the whole default graph, from static data
    assert first.state == "loading", "the graph came only with Python"
    assert all(v["grad"] == "" for v in first.values.values())
    eventually(page, lambda: check_layout(read_canvas(page), expected, "LR"))
    first = read_canvas(page)
    assert first.state == "loading"

    release(page, held, "the wasm")
    wait_for_state(page, "ready")

    # Python takes over the same ids, values and places: nothing jumps.
    ready = wait_for_graph(page, expected)
    assert set(ready.boxes()) == set(first.boxes())
    moved = jumped(first.boxes(), ready.boxes())
    assert not moved, f"nodes jumped when Python took over: {moved}"


def test_the_default_graph_is_in_the_html_and_the_flow_takes_it_over_in_place(
        new_context, app_url):
    # The build renders the flow's own markup into the page: with the renderer's module
    # held back, the page still paints the whole default graph, fitted to the canvas.
    context, _ = new_context()
    page = context.new_page()
    held, python = [], []
    page.route("**/renderer/renderer.js", lambda route: held.append(route))
    page.route(WASM, lambda route: python.append(route))  # Python's page changes come later
    page.goto(app_url, wait_until="commit")
    page.wait_for_selector('[data-testid="value-node"]', state="visible", timeout=TIMEOUT_MS)
    expected = Expected.of(LECTURE)
    static = read_canvas(page)
    assert by_testid(page, "canvas").get_attribute("data-mounted") is None
    check_graph(static, expected)
    check_layout(static, expected, "LR")
    left, top, right, bottom = static.box
    inside = [i for i, (l, t, r, b) in static.boxes().items()
              if not (left <= l and r <= right and top <= t and b <= bottom)]
    assert not inside, f"nodes outside the canvas: {inside}"

    release(page, held, "the renderer")
    expect(by_testid(page, "canvas")).to_have_attribute("data-mounted", "true", timeout=TIMEOUT_MS)
    live = read_canvas(page)
    moved = jumped(static.boxes(), live.boxes())
    assert not moved, f"nodes jumped when the flow took over: {moved}"
    bent = jumped({i: sum(e["ends"], []) for i, e in static.edges.items()},
                  {i: sum(e["ends"], []) for i, e in live.edges.items()})
    assert not bent, f"edges moved when the flow took over: {bent}"
    release(page, python, "the wasm")
    wait_for_state(page, "ready")


def test_the_text_survives_a_reload(page, app_url):
    open_app(page, app_url)
    enter_text(page, QUADRATIC)
    page.reload()
    wait_for_state(page, "ready")
    expect(by_testid(page, "expression")).to_have_value(QUADRATIC, timeout=TIMEOUT_MS)
    wait_for_graph(page, Expected.of(QUADRATIC))


def test_ctrl_enter_parses_at_once_and_typing_within_300_ms(page, app_url):
    open_app(page, app_url)
    before = read_canvas(page).graph()
    frozen_clock(page)  # no timer fires until the test says so
    editor = by_testid(page, "expression")

    editor.fill(QUADRATIC)
    assert read_canvas(page).graph() == before, "parsed without waiting for the debounce"
    editor.press("Control+Enter")
    wait_for_graph(page, Expected.of(QUADRATIC))
    assert editor.input_value() == QUADRATIC, "Ctrl+Enter changed the text"

    editor.fill(LECTURE)
    page.clock.run_for(300)  # the issue: re-parse at most 300 ms after typing stops
    wait_for_graph(page, Expected.of(LECTURE))


# Before the page's scripts: every element any ResizeObserver is asked to watch that is a
# React Flow node. graph-view.jsx's swap (declaredSizeObserver) subclasses this one.
COUNT_NODE_OBSERVES = """
if (window.ResizeObserver) {
    window.nodesObserved = 0;
    window.CountingResizeObserver = class extends window.ResizeObserver {
        observe(target, options) {
            if (target.classList?.contains('react-flow__node')) window.nodesObserved += 1;
            return super.observe(target, options);
        }
    };
    window.ResizeObserver = window.CountingResizeObserver;
}
"""


def test_react_flow_never_measures_nodes_whose_size_python_declared(page, app_url):
    """graph-view.jsx lends React Flow a ResizeObserver during the flow's first render,
    the one render in which React Flow makes its node observer: outside edit mode it skips
    nodes, whose sizes Python declared (measuring them cost a 2,000-node graph a quarter of
    a second). Should an upgrade make that observer elsewhere, nodes would be observed."""
    page.add_init_script(COUNT_NODE_OBSERVES)
    open_app(page, app_url)  # the build's first paint, then Python's graph
    expected = Expected.of(big_mlp_text())
    enter_text(page, expected.text, expected, exact=False)
    assert page.evaluate("nodesObserved") == 0
    assert page.evaluate("window.ResizeObserver === CountingResizeObserver"), "swap not undone"

    by_testid(page, "new-graph").click()  # edit mode: a node made there is measured
    expect(by_testid(page, "edit-mode")).to_have_attribute("aria-pressed", "true",
                                                           timeout=TIMEOUT_MS)
    by_testid(page, "add-input").click()
    expect(page.locator('[data-testid="value-node"]')).to_have_count(1, timeout=TIMEOUT_MS)
    eventually(page, lambda: assert_that(page.evaluate("nodesObserved") > 0,
                                         "the count never sees React Flow's observer"))


# Before the page's scripts: where each XPath search of the page starts, in or out of the
# canvas. PyScript searches every element added to the document for `py-*` attributes.
COUNT_XPATH_SEARCHES = """
window.xpathSearches = {canvas: 0, elsewhere: 0};
const evaluate = XPathExpression.prototype.evaluate;
XPathExpression.prototype.evaluate = function (root, ...rest) {
    const inCanvas = root?.closest?.('[data-testid="canvas"]');
    xpathSearches[inCanvas ? 'canvas' : 'elsewhere'] += 1;
    return evaluate.call(this, root, ...rest);
};
"""


def test_pyscripts_document_observer_never_searches_the_canvas(page, app_url):
    """boot.js hides the canvas from PyScript's MutationObserver (found by PyScript's
    module in the stack that makes it), which ran an XPath search per element a graph
    added (0.35 s at 2,000 nodes). Should PyScript make its observer another way, the
    canvas is searched again and this fails."""
    page.add_init_script(COUNT_XPATH_SEARCHES)
    open_app(page, app_url)
    before = page.evaluate("({...xpathSearches})")
    expected = Expected.of(big_mlp_text())
    enter_text(page, expected.text, expected, exact=False)
    after = page.evaluate("({...xpathSearches})")
    assert after["canvas"] == before["canvas"] == 0
    # the count does see PyScript's searches: the Inputs panel's new rows are searched
    assert after["elsewhere"] > before["elsewhere"]
