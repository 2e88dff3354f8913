"""Both directions on the page: the forward pass stepped before backprop, and forward mode's
tangents beside the grads. Expectations come from chainrule on CPython and from PyTorch's
forward-mode AD, never copied in as numbers."""

from playwright.sync_api import expect

from chainrule import forward_steps, parse, tangents
from chainrule.core.ids import node_ids
from chainrule.core.nn import MLP
from chainrule.view.cells import cell_text
from chainrule.state.share import SharedState, encode
from harness import wait_for_state
from pages import (
    LECTURE, TIMEOUT_MS, Expected, assert_that, by_testid, check_position, enter_text,
    eventually, explanation, open_app, read_canvas, same_number,
)
from torch_oracle import torch_tangents

# x is used twice: its tangent and grad each gather two contributions.
REUSED = "x = 0.5\nw = -1.5\nb = 2\nn = x*w + b\no = tanh(n)\np = o**2 / (1 + exp(-x))"


def expect_counter_text(page, text):
    expect(by_testid(page, "step-counter")).to_have_text(text, timeout=TIMEOUT_MS)


def values_by_label(page):
    return {v["label"] or v["id"]: v for v in read_canvas(page).values.values()}


def test_the_forward_pass_steps_from_question_marks_into_backprop_and_back(page, app_url):
    open_app(page, app_url)
    program = parse(LECTURE)
    root = program.output
    ids = node_ids(root.topological_order())
    steps = list(forward_steps(root))
    by_testid(page, "forward-pass").click()
    expect_counter_text(page, f"forward 0 / {len(steps)}")
    leaves = {ids[v] for v in root.topological_order() if v.is_leaf}

    def shown(k):
        canvas = read_canvas(page)
        known = leaves | {s.result_id for s in steps[:k]}
        for vid, node in canvas.values.items():
            if vid in known:
                assert node["value"] and node["value"] != "", f"{vid} unknown after {k} steps"
            else:
                assert node["value"] == "", f"{vid} shows {node['value']} after {k} steps"
            assert node["grad"] == "", "no grad during the forward pass"
        return canvas

    eventually(page, lambda: shown(0))
    assert "?" in by_testid(page, "value-node").filter(has_text="L").text_content()
    for k, step in enumerate(steps, start=1):
        by_testid(page, "step").click()
        expect_counter_text(page, f"forward {k} / {len(steps)}")
        canvas = eventually(page, lambda: shown(k))
        assert same_number(canvas.values[step.result_id]["value"], step.value, exact=True)
        assert "is-result" in canvas.values[step.result_id]["classes"]
        assert all("is-operand" in canvas.values[o]["classes"] for o in step.operand_ids)
        assert "is-operator" in canvas.operators[step.operator_id]["classes"]
        assert explanation(page)["explain-formula"] == f"{step.formula} = {step.arithmetic}"
    assert explanation(page)["explain-formula"] == "L = d·f = 4 × -2 = -8"
    expect(by_testid(page, "explain-next")).to_contain_text("starts backprop")

    expected = Expected.of(LECTURE)
    by_testid(page, "step").click()  # into backprop: the output's grad becomes 1
    check_position(page, expected, 1)
    by_testid(page, "step").click()
    check_position(page, expected, 2)
    by_testid(page, "back").click()
    by_testid(page, "back").click()  # back across the boundary
    expect_counter_text(page, f"forward {len(steps)} / {len(steps)}")
    eventually(page, lambda: shown(len(steps)))
    by_testid(page, "back").click()
    expect_counter_text(page, f"forward {len(steps) - 1} / {len(steps)}")
    eventually(page, lambda: shown(len(steps) - 1))
    by_testid(page, "reset").click()
    expect_counter_text(page, f"forward 0 / {len(steps)}")
    expect(by_testid(page, "back")).to_be_disabled()
    by_testid(page, "finish").click()
    check_position(page, expected, expected.total)


HIGHLIGHTED = """() => document.querySelectorAll(
    '[data-testid="canvas"] :is(.is-result, .is-operand, .is-operator, .is-constant)').length"""


def test_the_forward_pass_takes_the_highlight_of_the_step_before_away(page, app_url):
    open_app(page, app_url)
    for k in range(1, 4):
        by_testid(page, "step").click()
        expect_counter_text(page, f"backward {k} / 7")
    eventually(page, lambda: assert_that(page.evaluate(HIGHLIGHTED) > 0, "a step is lit"))
    by_testid(page, "forward-pass").click()
    expect_counter_text(page, "forward 0 / 3")
    eventually(page, lambda: assert_that(page.evaluate(HIGHLIGHTED) == 0,
                                         "before the first operator, nothing is lit"))


def test_the_page_still_opens_with_every_value_and_backprop_at_zero(page, app_url):
    canvas = open_app(page, app_url)
    expect_counter_text(page, "backward 0 / 7")
    assert all(v["value"] for v in canvas.values.values())
    assert all(v["tangent"] == "" for v in canvas.values.values())
    expect(by_testid(page, "tangent-input")).to_have_value("")


def test_tuning_in_the_forward_pass_restarts_it_from_the_input(page, app_url):
    open_app(page, app_url)
    by_testid(page, "forward-pass").click()
    for _ in range(3):
        by_testid(page, "step").click()
    expect_counter_text(page, "forward 3 / 3")
    field = by_testid(page, "input-c")  # c is first used by d = e + c, the second operator
    field.fill("4")
    field.press("Enter")
    expect_counter_text(page, "forward 1 / 3")
    values = eventually(page, lambda: _assert_unknown(values_by_label(page), {"d", "L"}))
    assert values["e"]["value"] == "-6.0" and values["c"]["value"] == "4.0"
    by_testid(page, "step").click()
    expect(page.locator('[data-testid="value-node"][data-label="d"]')).to_have_attribute(
        "data-value", "-2.0")


def _assert_unknown(values, labels):
    for label, node in values.items():
        assert (node["value"] == "") == (label in labels), (label, node["value"])
    return values


def test_forward_mode_tangents_equal_pytorch_and_step_with_the_tangent_rule(page, app_url):
    open_app(page, app_url)
    enter_text(page, REUSED, exact=False)
    program = parse(REUSED)
    root = program.output
    order = root.topological_order()
    ids = node_ids(order)
    select = by_testid(page, "tangent-input")
    expect(select.locator("option")).to_have_count(1 + len(program.inputs))
    expect(by_testid(page, "sweep-counts")).to_contain_text("forward mode 3 sweeps")
    expect(by_testid(page, "sweep-counts")).to_contain_text("backprop 1")
    for name, x in program.inputs.items():
        select.select_option(name)
        theirs = torch_tangents(root, x)

        def all_tangents():
            canvas = read_canvas(page)
            for v in order:
                shown = canvas.values[ids[v]]["tangent"]
                assert shown and same_number(shown, theirs[id(v)], exact=False), \
                    (name, ids[v], shown, theirs[id(v)])
            return canvas

        canvas = eventually(page, all_tangents)
        root.backward()
        assert same_number(canvas.values[ids[root]]["tangent"], x.grad, exact=False)
        assert same_number(canvas.values[ids[x]]["grad"], x.grad, exact=False), \
            "backprop's grads are shown beside the tangents"
        expect(by_testid(page, "explain-sweep")).to_contain_text(f"{name}'s grad")

    select.select_option("x")
    by_testid(page, "reset").click()
    total = sum(1 for v in order if v.parents)
    expect_counter_text(page, f"forward mode 0 / {total}")
    canvas = read_canvas(page)
    assert canvas.values[ids[program.inputs["x"]]]["tangent"] == "1.0"
    assert canvas.values[ids[program.inputs["w"]]]["tangent"] == "0.0"
    assert all(canvas.values[ids[v]]["tangent"] == "" for v in order if v.parents)
    by_testid(page, "step").click()  # x·w first
    expect(by_testid(page, "explain-formula")).to_have_text("(x·w)˙ = ẋ·w + ẇ·x = 1 × -1.5 + 0 × 0.5 = -1.5")
    by_testid(page, "back").click()
    expect_counter_text(page, f"forward mode 0 / {total}")

    select.select_option("")
    backprop = Expected.of(REUSED).total
    expect_counter_text(page, f"backward {backprop} / {backprop}")
    eventually(page, lambda: [
        _no_tangent(v) for v in read_canvas(page).values.values()])
    expect(page.locator('[data-testid="tangent-cell"]')).to_have_count(0)


def _no_tangent(node):
    assert node["tangent"] == "", node


def test_tuning_keeps_tangents_live(page, app_url):
    open_app(page, app_url)
    by_testid(page, "tangent-input").select_option("a")
    eventually(page, lambda: _assert_tangent(page, "L", "6.0"))
    field = by_testid(page, "input-b")
    field.fill("5")
    field.press("Enter")
    tuned = parse(LECTURE.replace("b = -3", "b = 5"))
    expected = tangents(tuned.output, tuned.inputs["a"])
    ids = node_ids(tuned.output.topological_order())

    def live():
        canvas = read_canvas(page)
        for v, dot in expected.items():
            assert canvas.values[ids[v]]["tangent"] == repr(dot), (ids[v], dot)

    eventually(page, live)
    expect_counter_text(page, "forward mode 3 / 3")


# Each value node's tangent cell text, or None for a node drawn without one.
TANGENT_CELLS = """() => Object.fromEntries([...document.querySelectorAll(
    '[data-testid="canvas"] [data-testid="value-node"]')].map((el) => [el.dataset.id,
      el.querySelector('[data-testid="tangent-cell"] > span')?.textContent ?? null]))"""
FAR = "document.querySelectorAll('[data-testid=\"canvas\"] .is-far').length"


def zoom_in_until_near(page):
    canvas = by_testid(page, "canvas")
    for _ in range(30):
        if page.evaluate(FAR) == 0:
            return
        canvas.locator(".react-flow__controls-zoomin").click()
    raise AssertionError("the nodes are still drawn as boxes")


def test_forward_mode_chosen_on_boxes_shows_its_tangents_once_zoomed_in(page, app_url):
    """A graph too big to read is drawn as boxes; forward mode turned on (or off) there
    draws (or takes away) every tangent cell once the nodes are near enough to read."""
    open_app(page, app_url)
    text = MLP(2, [8, 8, 1], nonlin="tanh", seed=3).source([0.5, -1.5], 1.0, groups=False)
    enter_text(page, text, exact=False)
    program = parse(text)
    order = program.output.topological_order()
    ids = node_ids(order)
    name, x = next(iter(program.inputs.items()))
    expected = {ids[v]: dot for v, dot in tangents(program.output, x, order).items()}
    assert page.evaluate(FAR) > 0, "fitted, the graph is drawn as boxes"
    by_testid(page, "tangent-input").select_option(name)

    def shown():
        values = read_canvas(page).values
        for vid, node in values.items():
            assert node["tangent"] and same_number(node["tangent"], expected[vid], exact=False), \
                (vid, node["tangent"], expected[vid])
        return {vid: float(node["tangent"]) for vid, node in values.items()}

    dots = eventually(page, shown)
    assert set(page.evaluate(TANGENT_CELLS).values()) == {None}, "a box has no cells"

    zoom_in_until_near(page)
    eventually(page, lambda: assert_that(
        page.evaluate(TANGENT_CELLS) == {vid: cell_text(dot) for vid, dot in dots.items()},
        "every value drawn in full shows its tangent"))

    by_testid(page, "fit-view").click()
    eventually(page, lambda: assert_that(page.evaluate(FAR) > 0, "fitted: boxes again"))
    by_testid(page, "tangent-input").select_option("")
    eventually(page, lambda: [_no_tangent(v) for v in read_canvas(page).values.values()])
    zoom_in_until_near(page)
    eventually(page, lambda: assert_that(
        set(page.evaluate(TANGENT_CELLS).values()) == {None}, "forward mode off: no tangents"))


def test_the_tangent_select_follows_the_mode_and_the_inputs(page, app_url):
    open_app(page, app_url)
    enter_text(page, REUSED, exact=False)
    select = by_testid(page, "tangent-input")
    select.select_option("w")
    enter_text(page, REUSED.replace("b = 2", "b = 3"), exact=False)  # the same inputs
    operators = sum(1 for v in parse(REUSED).output.topological_order() if v.parents)
    expect_counter_text(page, f"forward mode {operators} / {operators}")
    expect(select).to_have_value("w")
    by_testid(page, "forward-pass").click()
    expect(select).to_have_value("")
    select.select_option("x")
    other = "a = 1\nc = a * 3"
    enter_text(page, other, exact=False)  # x is gone, and forward mode with it
    expect(select.locator("option")).to_have_text(["off", "∂/∂a"])
    expect(select).to_have_value("")
    expect_counter_text(page, f"backward 0 / {Expected.of(other).total}")


def _assert_tangent(page, label, text):
    assert values_by_label(page)[label]["tangent"] == text


def test_a_share_link_restores_the_pass_the_step_and_the_tangent_input(page, app_url):
    open_app(page, app_url)
    by_testid(page, "forward-pass").click()
    by_testid(page, "step").click()
    by_testid(page, "step").click()
    expect_counter_text(page, "forward 2 / 3")
    page.wait_for_function("location.hash.startsWith('#s=')")
    eventually(page, lambda: _assert_hash_is(page, SharedState(LECTURE, None, 0, 2, example="lecture")))
    page.reload()
    wait_for_state(page, "ready")
    expect_counter_text(page, "forward 2 / 3")
    eventually(page, lambda: _assert_unknown(values_by_label(page), {"L"}))

    shared = page.context.new_page()
    shared.goto(app_url + encode(SharedState(LECTURE, "LR", 0, None, "b", 1)))
    wait_for_state(shared, "ready")
    expect_counter_text(shared, "forward mode 1 / 3")
    expect(by_testid(shared, "tangent-input")).to_have_value("b")
    eventually(shared, lambda: _assert_tangent(shared, "e", "2.0"))
    assert values_by_label(shared)["L"]["tangent"] == ""
    by_testid(shared, "step").click()
    expect_counter_text(shared, "forward mode 2 / 3")
    eventually(shared, lambda: _assert_hash_is(shared, SharedState(LECTURE, "LR", 7, None, "b", 2,
                                                                       example="lecture")))

    wrong = page.context.new_page()
    wrong.goto(app_url + encode(SharedState(LECTURE, "LR", 0, None, "nope", 1)))
    wait_for_state(wrong, "ready")
    expect(by_testid(wrong, "notice")).to_contain_text("nope, which is not an input")
    expect_counter_text(wrong, "backward 0 / 7")


def _assert_hash_is(page, state):
    assert page.evaluate("location.hash") == encode(state)
