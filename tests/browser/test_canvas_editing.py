"""Building a graph by hand on the canvas, with the editor's text following every edit.

Expectations come from chainrule on CPython for the lecture example's text, never from
numbers copied into the tests.
"""

from playwright.sync_api import expect

from chainrule import parse
from harness import wait_for_state
from pages import (
    LECTURE, TIMEOUT_MS, blur, by_testid, eventually, expect_counter, fit_view, open_app,
    read_canvas,
)

BUILT = "a = 2\nb = -3\nc = 10\nf = -2\ne = a * b\nd = e + c\nL = d * f"


def value_node(page, label):
    return page.locator(f'[data-testid="value-node"][data-label="{label}"]')


def handle(node, handle_id):
    return node.locator(f'.react-flow__handle[data-handleid="{handle_id}"]')


def incomplete_operator(page):
    return page.locator('[data-testid="operator-node"][data-incomplete="true"]')


def centre(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag(page, source, target):
    """A mouse drag from one handle to another, in small moves as a hand would."""
    x0, y0 = centre(source)
    x1, y1 = centre(target)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=5)
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()


def connect(page, source_label, operator, slot):
    fit_view(page)
    drag(page, handle(value_node(page, source_label), "out"), handle(operator, f"in{slot}"))


def rename(page, old, new):
    by_testid(page, f"label-{old}").dblclick()
    field = by_testid(page, f"rename-{old}")
    field.fill(new)
    field.press("Enter")
    expect(value_node(page, new)).to_have_count(1, timeout=TIMEOUT_MS)


def set_value(page, name, text):
    by_testid(page, f"value-{name}").click()
    field = page.locator(f'input[data-testid="value-{name}"]')
    field.fill(text)
    field.press("Enter")
    expect(value_node(page, name)).to_have_attribute("data-value", repr(float(text)),
                                                     timeout=TIMEOUT_MS)


def editor(page):
    return by_testid(page, "expression")


def add_operator(page, symbol, slots, result):
    """Adds an operator from the palette and connects `slots` into it; its result gets
    the name `result`."""
    by_testid(page, f"add-op-{symbol}").click()
    operator = incomplete_operator(page)
    expect(operator).to_have_count(1, timeout=TIMEOUT_MS)
    edges = page.locator(".react-flow__edge")
    for k, name in enumerate(slots[:-1]):
        before = edges.count()
        connect(page, name, operator, k)
        expect(edges).to_have_count(before + 1)  # connected, still waiting for an operand
        expect(operator).to_have_count(1)
    connect(page, slots[-1], operator, len(slots) - 1)
    expect(incomplete_operator(page)).to_have_count(0, timeout=TIMEOUT_MS)
    rename(page, "t1", result)


def build_lecture(page, app_url):
    open_app(page, app_url)
    by_testid(page, "new-graph").click()
    expect(editor(page)).to_have_value("")
    expect(by_testid(page, "canvas-hint")).to_be_visible()
    expect(by_testid(page, "edit-mode")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".react-flow.is-editing")).to_have_count(1)
    for k in range(1, 5):
        by_testid(page, "add-input").click()
        expect(value_node(page, f"x{k}")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(by_testid(page, "canvas-hint")).to_be_hidden()
    expect(editor(page)).to_have_value("x1 = 1\nx2 = 1\nx3 = 1\nx4 = 1")
    for old, new, number in (("x1", "a", "2"), ("x2", "b", "-3"), ("x3", "c", "10"),
                             ("x4", "f", "-2")):
        rename(page, old, new)
        set_value(page, new, number)
    add_operator(page, "*", ["a", "b"], "e")
    add_operator(page, "+", ["e", "c"], "d")
    add_operator(page, "*", ["d", "f"], "L")
    expect(editor(page)).to_have_value(BUILT, timeout=TIMEOUT_MS)


def test_building_the_lecture_example_by_hand_gives_its_values_and_grads(page, app_url):
    build_lecture(page, app_url)
    built, lecture = parse(editor(page).input_value()), parse(LECTURE)
    assert built.output.data == lecture.output.data
    assert {n: v.data for n, v in built.inputs.items()} == \
        {n: v.data for n, v in lecture.inputs.items()}
    lecture.output.backward()
    want = {name: repr(v.grad) for name, v in lecture.values.items()}

    def grads_shown():
        shown = {v["label"]: v["grad"] for v in read_canvas(page).values.values()}
        assert shown == want

    expect_counter(page, 7, 7)  # the gradients are computed as soon as the graph is built
    eventually(page, grads_shown)
    # and the built graph steps as a typed one does
    blur(page)
    by_testid(page, "reset").click()
    expect_counter(page, 0, 7)
    assert all(v["grad"] == "" for v in read_canvas(page).values.values())
    by_testid(page, "step").click()
    expect_counter(page, 1, 7)
    by_testid(page, "finish").click()
    expect_counter(page, 7, 7)
    eventually(page, grads_shown)
    # the result's operator shows the operand names of a non-commutative op too
    by_testid(page, "add-op-/").click()
    ports = incomplete_operator(page).locator(".onode__port")
    expect(ports).to_have_text(["numerator", "denominator"])


def test_refused_connections_say_why_and_delete_and_undo_come_back(page, app_url):
    build_lecture(page, app_url)
    text = editor(page).input_value()
    edges = sorted(read_canvas(page).edges)
    # a name that is taken is refused where it was typed
    by_testid(page, "label-a").dblclick()
    field = by_testid(page, "rename-a")
    field.fill("b")
    field.press("Enter")
    expect(by_testid(page, "edit-message")).to_contain_text("already the name")
    expect(field).to_be_visible()
    field.press("Escape")
    expect(field).to_have_count(0)
    # a second edge into an operand that is taken
    e_id = value_node(page, "e").get_attribute("data-id")
    e_op = page.locator(f'[data-testid="operator-node"][data-id="op{e_id[1:]}"]')
    connect(page, "L", e_op, 0)
    message = by_testid(page, "edit-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("already takes a")
    assert editor(page).input_value() == text and sorted(read_canvas(page).edges) == edges

    # deleting c: d and L lose an operand, and their statements leave the text
    by_testid(page, "label-c").click()
    page.keyboard.press("Delete")
    expect(value_node(page, "c")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(editor(page)).to_have_value("a = 2\nb = -3\nf = -2\ne = a * b")
    for label in ("d", "L"):
        expect(value_node(page, label)).to_have_attribute("data-role", "incomplete")
    expect(incomplete_operator(page)).to_have_count(2)

    # a cycle: L depends on d, so L cannot feed d's operator
    d_op = incomplete_operator(page).filter(has=page.locator(".onode__symbol", has_text="+"))
    after_delete = editor(page).input_value()
    connect(page, "L", d_op, 1)
    expect(message).to_contain_text("cycle")
    assert editor(page).input_value() == after_delete
    expect(incomplete_operator(page)).to_have_count(2)

    # undo brings c back, the text included; redo deletes it again
    blur(page)
    page.keyboard.press("Control+z")
    expect(editor(page)).to_have_value(text, timeout=TIMEOUT_MS)
    expect(value_node(page, "c")).to_have_count(1)
    expect(incomplete_operator(page)).to_have_count(0)
    expect(value_node(page, "L")).to_have_attribute("data-role", "output")
    page.keyboard.press("Control+Shift+z")
    expect(editor(page)).to_have_value(after_delete, timeout=TIMEOUT_MS)


def flow_positions(page):
    return page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('.react-flow__node')].map((el) => {
            const node = el.querySelector('[data-testid="value-node"]');
            const label = node?.getAttribute('data-label');
            return [label ?? el.dataset.id, el.style.transform];
        }))""")


def test_typed_text_keeps_the_positions_of_nodes_whose_names_survived(page, app_url):
    build_lecture(page, app_url)
    fit_view(page)
    # the user moves a by hand
    x, y = centre(by_testid(page, "label-a"))
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y + 40, steps=6)
    page.mouse.up()
    before = flow_positions(page)
    editor(page).fill("a = 2\nb = -3\nq = a*b + 1")
    expect(value_node(page, "q")).to_have_count(1, timeout=TIMEOUT_MS)
    after = flow_positions(page)
    assert after["a"] == before["a"] and after["b"] == before["b"]
    assert "c" not in after
    # tidy lays everything out again
    by_testid(page, "tidy").click()
    eventually(page, lambda: _moved(flow_positions(page), after))


def _moved(now, then):
    assert now["a"] != then["a"]


def test_an_empty_program_is_normal_and_undo_returns_to_the_typed_text(page, app_url):
    open_app(page, app_url)
    by_testid(page, "new-graph").click()
    expect(by_testid(page, "canvas-hint")).to_be_visible()
    expect(by_testid(page, "expression-error")).to_be_hidden()
    expect_counter(page, 0, 0)
    expect(by_testid(page, "redo")).to_be_disabled()
    by_testid(page, "undo").click()
    expect(editor(page)).to_have_value(LECTURE, timeout=TIMEOUT_MS)
    expect(by_testid(page, "canvas-hint")).to_be_hidden()
    by_testid(page, "redo").click()
    expect(editor(page)).to_have_value("", timeout=TIMEOUT_MS)
    blur(page)
    page.keyboard.press("Control+z")
    expect(editor(page)).to_have_value(LECTURE, timeout=TIMEOUT_MS)
    # double-click on empty canvas adds an input where it was clicked
    by_testid(page, "new-graph").click()
    box = by_testid(page, "canvas").bounding_box()
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(value_node(page, "x1")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(editor(page)).to_have_value("x1 = 1")
    # an empty program is what a reload brings back too
    by_testid(page, "new-graph").click()
    expect(editor(page)).to_have_value("")
    page.reload()
    wait_for_state(page, "ready")
    expect(editor(page)).to_have_value("")
    expect(by_testid(page, "canvas-hint")).to_be_visible()
    expect(page.locator('[data-testid="value-node"]')).to_have_count(0)


def test_make_output_reorders_the_text_and_the_built_graph_exports_and_reloads(page, app_url):
    build_lecture(page, app_url)
    by_testid(page, "add-op-tanh").click()
    connect(page, "e", incomplete_operator(page), 0)
    expect(editor(page)).to_have_value(BUILT + "\nt1 = tanh(e)", timeout=TIMEOUT_MS)
    expect(value_node(page, "t1")).to_have_attribute("data-role", "output")
    # e is used by d and t1: it cannot be last, and the menu says so
    value_node(page, "e").locator(".vnode__label").click(button="right")
    expect(by_testid(page, "make-output")).to_be_disabled()
    expect(by_testid(page, "make-output-reason")).to_have_text(
        "d, t1 use e: the output must be a value nothing else uses.")
    value_node(page, "L").locator(".vnode__label").click(button="right")
    by_testid(page, "make-output").click()
    text = editor(page).input_value()
    assert text.splitlines()[-1] == "L = d * f"
    expect(value_node(page, "L")).to_have_attribute("data-role", "output")
    expect_counter(page, 7, 7)  # stepping runs over what L uses
    with page.expect_download() as download:
        by_testid(page, "export-svg").click()
    svg = open(download.value.path(), encoding="utf-8").read()
    assert ">L<" in svg and ">t1<" in svg
    # the link holds the built program
    page.reload()
    expect(editor(page)).to_have_value(text, timeout=TIMEOUT_MS)


def test_edit_mode_has_no_serious_accessibility_violations(page, app_url):
    from test_conventions import axe_violations

    build_lecture(page, app_url)
    by_testid(page, "label-c").click()
    page.keyboard.press("Delete")  # incomplete nodes and their warnings on screen
    expect(incomplete_operator(page)).to_have_count(2, timeout=TIMEOUT_MS)
    by_testid(page, "add-op-**").click()  # port labels
    assert axe_violations(page) == []


def test_deleting_an_edge_frees_its_operand_until_it_is_connected_again(page, app_url):
    build_lecture(page, app_url)
    fit_view(page)
    f_id = value_node(page, "f").get_attribute("data-id")
    l_id = value_node(page, "L").get_attribute("data-id")
    edge = page.locator(f'[data-testid="rf__edge-e{f_id[1:]}-{l_id[1:]}.1"] '
                        '.react-flow__edge-interaction')
    edge.click()
    page.keyboard.press("Delete")
    expect(value_node(page, "L")).to_have_attribute("data-role", "incomplete",
                                                    timeout=TIMEOUT_MS)
    expect(editor(page)).to_have_value(BUILT.rsplit("\n", 1)[0])
    connect(page, "f", incomplete_operator(page), 1)
    expect(editor(page)).to_have_value(BUILT, timeout=TIMEOUT_MS)


def test_forward_modes_inputs_follow_a_canvas_edit(page, app_url):
    """Renaming an input on the canvas is a new program: forward mode's select lists its
    inputs, not the old program's."""
    open_app(page, app_url)
    by_testid(page, "edit-mode").click()
    expect(by_testid(page, "edit-mode")).to_have_attribute("aria-pressed", "true")
    rename(page, "a", "q")
    options = by_testid(page, "tangent-input").locator("option")
    expect(options.filter(has_text="∂/∂q")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(options.filter(has_text="∂/∂a")).to_have_count(0)
    values = options.evaluate_all("(os) => os.map((o) => o.value)")
    assert sorted(values) == ["", *sorted(parse(editor(page).input_value()).inputs)]
