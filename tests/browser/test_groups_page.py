"""Groups on the page: the MLP preset opens one box per neuron; boxes expand in place.

Expected numbers come from chainrule on CPython (the same package the page runs).
"""

from playwright.sync_api import expect

from chainrule import parse
from chainrule.state.presets import PRESETS
from pages import (
    SETTLED, TIMEOUT_MS, blur, by_testid, eventually, fit_view, open_app, overlaps, read_canvas,
    same_number,
)

MLP_TEXT = PRESETS["mlp"][1]
NEURONS = [f"L1.N{j}" for j in range(16)] + [f"L2.N{j}" for j in range(16)] + ["L3.N0"]
TYPED = """\
x = 2
# group: attention
w = 3
s = tanh(w*x + 1)

o = s*s + x
"""

# Every group on the canvas: name, collapsed?, its box, and its rows (label, value, grad).
READ_GROUPS = """() => [...document.querySelectorAll('[data-testid="group"]')].map((el) => {
    const r = el.getBoundingClientRect();
    return {
        name: el.dataset.group, collapsed: el.dataset.collapsed === 'true',
        classes: [...el.classList], box: [r.left, r.top, r.right, r.bottom],
        rows: [...el.querySelectorAll('[data-testid="group-output"]')].map((row) => ({
            label: row.dataset.label, value: row.dataset.value, grad: row.dataset.grad})),
    };
})"""


def groups(page):
    return {g["name"]: g for g in page.evaluate(READ_GROUPS)}


def values(page):
    return list(read_canvas(page).values.values())


def open_mlp(page, app_url):
    open_app(page, app_url)
    by_testid(page, "preset").select_option("mlp")
    return eventually(page, lambda: check_collapsed(page))


def check_collapsed(page):
    shown = groups(page)
    assert sorted(shown) == sorted(NEURONS)
    assert all(g["collapsed"] for g in shown.values())
    return shown


def check_expanded(page, name):
    assert not groups(page)[name]["collapsed"], name


def toggle(page, name):
    """Clicks group `name`'s toggle once the boxes have slid into place; one out of sight
    is pressed from the keyboard instead (the flow never scrolls to it: it is clipped)."""
    button = page.locator(f'[data-group="{name}"] [data-testid="group-toggle"]').first
    if inside(settled_box(page, button), by_testid(page, "canvas").bounding_box()):
        button.click()
    else:
        button.press("Enter")


def settled_box(page, locator):
    """The bounding box of `locator` once the boxes have stopped sliding after a regroup."""
    page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
    return locator.bounding_box()


def inside(box, frame):
    return (frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
            and frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"])


def test_the_mlp_preset_opens_with_one_box_per_neuron(page, app_url):
    shown = open_mlp(page, app_url)
    reference = parse(MLP_TEXT)
    assert sorted(v["label"] for v in values(page)) == ["", "L", "x1", "x2", "y"]
    for name, group in shown.items():
        (row,) = group["rows"]
        layer, neuron = name[1:].split(".N")
        assert row["label"] == f"h{layer}_{neuron}"
        # exact=False: Pyodide's libm rounds tanh differently in the last digit
        assert same_number(row["value"], reference.values[row["label"]].data, exact=False)
        assert row["grad"] == ""
    expect(by_testid(page, "group-controls")).to_be_visible()


def test_expanding_a_neuron_shows_its_members_with_their_values(page, app_url):
    open_mlp(page, app_url)
    toggle(page, "L1.N5")
    reference = parse(MLP_TEXT)

    def expanded():
        shown = groups(page)
        assert not shown["L1.N5"]["collapsed"] and len(shown) == 33
        return {v["label"]: v for v in values(page)}

    shown = eventually(page, expanded)
    for name in ["w1_5_0", "w1_5_1", "b1_5", "h1_5"]:
        assert same_number(shown[name]["value"], reference.values[name].data, exact=False)
    # two products, two sums and the tanh: five operator nodes inside the frame
    frame = groups(page)["L1.N5"]["box"]
    ops = read_canvas(page).operators.values()
    inside = sorted(o["op"] for o in ops if frame[0] <= o["box"][0] and o["box"][2] <= frame[2]
                    and frame[1] <= o["box"][1] and o["box"][3] <= frame[3])
    assert inside == ["*", "*", "+", "+", "tanh"]
    toggle(page, "L1.N5")
    eventually(page, lambda: check_collapsed(page))


def test_finish_gives_the_same_gradients_collapsed_or_expanded(page, app_url):
    open_mlp(page, app_url)
    by_testid(page, "finish").click()
    reference = parse(MLP_TEXT)
    reference.output.backward()

    def rows_done():
        rows = {r["label"]: r["grad"] for g in groups(page).values() for r in g["rows"]}
        assert len(rows) == 33 and all(rows.values())
        return rows

    rows = eventually(page, rows_done)
    by_testid(page, "expand-all").click()

    def all_nodes():
        shown = {v["label"]: v["grad"] for v in values(page) if v["label"]}
        assert len(shown) > 300
        assert not [g for g in groups(page).values() if g["collapsed"]]
        return shown

    expanded = eventually(page, all_nodes)
    for label, grad in rows.items():
        assert grad == expanded[label]
        assert same_number(grad, reference.values[label].grad, exact=False)
    for name in ["w1_0_0", "w2_15_15", "b3_0", "x1"]:
        assert same_number(expanded[name], reference.values[name].grad, exact=False)


def test_no_overlaps_with_some_neurons_expanded(page, app_url):
    page.set_viewport_size({"width": 1400, "height": 900})
    open_mlp(page, app_url)
    for name in ["L1.N2", "L2.N9", "L3.N0"]:
        toggle(page, name)
        eventually(page, lambda: check_expanded(page, name))
    fit_view(page)
    shown = groups(page)
    boxes = [v["box"] for v in values(page)] + [g["box"] for g in shown.values() if g["collapsed"]]
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if overlaps(a, b)]
    assert not clashes
    frames = [g for g in shown.values() if not g["collapsed"]]
    assert sorted(g["name"] for g in frames) == ["L1.N2", "L2.N9", "L3.N0"]
    for box in (g["box"] for g in shown.values() if g["collapsed"]):
        for frame in frames:
            assert not overlaps(box, frame["box"]), frame["name"]


def test_a_step_inside_a_collapsed_neuron_shows_on_its_box_and_expand_current_opens_it(
        page, app_url):
    open_mlp(page, app_url)
    blur(page)
    for k in range(1, 8):  # L's seed, then back through the loss into L3.N0
        page.keyboard.press("ArrowRight")
        expect(by_testid(page, "step-counter")).to_contain_text(f"backward {k} /")
        if by_testid(page, "explain-group").count():
            break
    expect(by_testid(page, "explain-group")).to_contain_text("L3.N0", timeout=TIMEOUT_MS)
    box = groups(page)["L3.N0"]
    assert {"is-operand", "is-result", "is-operator"} & set(box["classes"])
    expect(by_testid(page, "expand-current")).to_be_enabled()
    page.keyboard.press("g")
    eventually(page, lambda: check_expanded(page, "L3.N0"))
    expect(by_testid(page, "explain-group")).to_have_count(0)
    highlighted = page.locator('[data-testid="value-node"].is-result, '
                               '[data-testid="value-node"].is-operand')
    expect(highlighted.first).to_be_visible()


def test_a_typed_group_block_collapses_and_expands(page, app_url):
    open_app(page, app_url)
    by_testid(page, "expression").fill(TYPED)

    def framed():
        shown = groups(page)
        assert list(shown) == ["attention"] and not shown["attention"]["collapsed"]
        assert {"w", "s", "x", "o"} <= {v["label"] for v in values(page)}

    eventually(page, framed)
    toggle(page, "attention")

    def boxed():
        shown = groups(page)
        assert shown["attention"]["collapsed"]
        assert [r["label"] for r in shown["attention"]["rows"]] == ["s"]
        labels = {v["label"] for v in values(page)}
        assert "w" not in labels and {"x", "o"} <= labels

    eventually(page, boxed)
    page.locator('[data-group="attention"]').click()  # the whole box expands it
    eventually(page, framed)
