"""nan and ±inf on the page: every way a graph reaches the canvas draws them.

Each case is drawn with its values, `nan`/`inf`/`-inf` in the warning colour with where
they came from as the tooltip, the line above the canvas that counts them, and steps to
PyTorch's (float64) grads. The harness fails any of them on a console error; none may
show PyScript's error box. Expectations come from chainrule on CPython and torch.
"""

import math

import pytest
from playwright.sync_api import expect

from chainrule import parse
from chainrule.core.ids import node_ids
from chainrule.view.cells import cell_text, not_finite_notice
from chainrule.state.share import SharedState, encode
from harness import wait_for_state
from pages import (
    TIMEOUT_MS, Expected, by_testid, check_position, choose_preset, enter_text, eventually,
    expect_counter, open_app, read_canvas, same_number, wait_for_graph,
)
from test_canvas_editing import add_operator, rename, set_value, value_node

TYPED = [
    "x = -1\nL = log(x)",
    "x = 0\nL = 1 / x",
    "x = -1\nL = sqrt(x) + log(0)",
    "x = 1e300\nL = x * x * 0",
    "a = 2\nb = 1 / (a - 2)\nL = b * a",
]
ERROR_BOX = ".py-error"  # what PyScript paints over the page for an uncaught error


def check_not_finite(page, text):
    """The notice, and each value that is not finite drawn as such, with its origin."""
    order = parse(text).output.topological_order()
    notice = not_finite_notice(order)
    assert notice, f"{text!r} has no value that is not finite"
    expect(by_testid(page, "not-finite")).to_have_text(notice, timeout=TIMEOUT_MS)
    ids = node_ids(order)
    for v in order:
        node = page.locator(f'[data-testid="value-node"][data-id="{ids[v]}"]')
        if v.is_leaf:
            continue
        cell = node.locator('[data-testid="value-data"]')
        expect(cell).to_contain_text(cell_text(v.data))
        if math.isfinite(v.data):
            expect(cell).not_to_have_class(_warning())
            assert cell.get_attribute("title") is None or not v.parents
        else:
            expect(cell).to_have_class(_warning())
            expect(cell).to_have_attribute("title", v.origin())
            # the warning colour, not just a class name
            colour = cell.evaluate("(el) => getComputedStyle(el).color")
            plain = page.locator('[data-testid="value-node"] .vnode__grad').first.evaluate(
                "(el) => getComputedStyle(el).color")
            assert colour != plain
    assert page.locator(ERROR_BOX).count() == 0


def _warning():
    import re
    return re.compile(r"\bis-warning\b")


def check_steps_to_torch(page, expected):
    """Steps to a step whose arithmetic has a non-finite number (if any), then to the end:
    the explanation as chainrule's, every grad as PyTorch's."""
    with_edge = [k for k, step in enumerate(expected.steps, 1)
                 if any(word in step.arithmetic for word in ("inf", "nan"))]
    if with_edge:
        if by_testid(page, "reset").is_enabled():
            by_testid(page, "reset").click()
            expect_counter(page, 0, expected.total)
        for _ in range(with_edge[0]):
            by_testid(page, "step").click()
        check_position(page, expected, with_edge[0], exact=False)
    by_testid(page, "finish").click()
    expect_counter(page, expected.total, expected.total)
    torch_grads = expected.torch_grads()

    def grads_are_torchs():
        canvas = read_canvas(page)
        wrong = {vid: (v["grad"], torch_grads[vid]) for vid, v in canvas.values.items()
                 if not same_number(v["grad"], torch_grads[vid], exact=False)}
        assert not wrong, f"data-grad vs torch: {wrong}"

    eventually(page, grads_are_torchs)
    check_position(page, expected, expected.total, exact=False)
    assert page.locator(ERROR_BOX).count() == 0


@pytest.mark.parametrize("text", TYPED)
def test_a_typed_program_with_nan_or_inf_is_drawn_and_steps_to_torchs_grads(page, app_url, text):
    open_app(page, app_url)
    expected = Expected.of(text)
    enter_text(page, text, expected, exact=False)
    expect(by_testid(page, "expression-error")).to_be_hidden()
    check_not_finite(page, text)
    check_steps_to_torch(page, expected)


def test_a_preset_where_numbers_break(page, app_url):
    open_app(page, app_url)
    expected, _ = choose_preset(page, "edges")
    from chainrule.state.presets import PRESETS
    check_not_finite(page, PRESETS["edges"][1])
    check_steps_to_torch(page, expected)


def test_a_share_link_to_a_graph_with_inf(page, app_url):
    text = TYPED[4]
    page.goto(app_url + encode(SharedState(text, "LR", 2)))
    wait_for_state(page, "ready")
    expected = Expected.of(text)
    wait_for_graph(page, expected, exact=False)
    check_position(page, expected, 2, exact=False)
    check_not_finite(page, text)
    check_steps_to_torch(page, expected)


def test_tuning_into_inf_and_out_again(page, app_url):
    before = "a = 3\nb = 1 / (a - 2)\nL = b * a"
    open_app(page, app_url)
    enter_text(page, before)
    expect(by_testid(page, "not-finite")).to_be_hidden()
    field = by_testid(page, "input-a")
    field.fill("2")
    field.press("Enter")
    at_two = "a = 2\nb = 1 / (a - 2)\nL = b * a"
    expect(by_testid(page, "expression")).to_have_value(at_two, timeout=TIMEOUT_MS)
    wait_for_graph(page, Expected.of(at_two), exact=False)
    check_not_finite(page, at_two)
    check_steps_to_torch(page, Expected.of(at_two))

    field.fill("3")
    field.press("Enter")
    expect(by_testid(page, "not-finite")).to_be_hidden(timeout=TIMEOUT_MS)
    wait_for_graph(page, Expected.of(before), exact=False)
    expect(page.locator('[data-testid="value-node"] .is-warning')).to_have_count(0)
    expect(page.locator('[data-role="intermediate"] [data-testid="value-data"][title], '
                        '[data-role="output"] [data-testid="value-data"][title]')).to_have_count(0)
    assert page.locator(ERROR_BOX).count() == 0


def test_one_over_x_built_on_the_canvas_with_x_zero(page, app_url):
    open_app(page, app_url)
    by_testid(page, "new-graph").click()
    for k in (1, 2):
        by_testid(page, "add-input").click()
        expect(value_node(page, f"x{k}")).to_have_count(1, timeout=TIMEOUT_MS)
    rename(page, "x2", "x")
    set_value(page, "x", "0")
    add_operator(page, "/", ["x1", "x"], "L")
    text = "x1 = 1\nx = 0\nL = x1 / x"
    expect(by_testid(page, "expression")).to_have_value(text, timeout=TIMEOUT_MS)
    expect(by_testid(page, "not-finite")).to_have_text("1 value is not finite: L = inf",
                                                       timeout=TIMEOUT_MS)
    cell = value_node(page, "L").locator('[data-testid="value-data"]')
    expect(cell).to_have_class(_warning())
    expect(cell).to_have_attribute("title", "division by 0")
    expected = Expected.of(text)
    torch_grads = expected.torch_grads()  # a built graph shows its grads at once

    def grads_are_torchs():
        canvas = read_canvas(page)
        by_label = {v["label"]: v["grad"] for v in canvas.values.values()}
        ids = {label: vid for vid, (label, _, _) in expected.values.items()}
        for label in ("x1", "x", "L"):
            assert same_number(by_label[label], torch_grads[ids[label]], exact=False), label

    eventually(page, grads_are_torchs)
    assert page.locator(ERROR_BOX).count() == 0


GROUPED = "x = -1\n# group: root\nr = sqrt(x)\ns = r * 2\n\nL = s + 1"


def test_a_collapsed_group_whose_output_is_nan(page, app_url):
    open_app(page, app_url)
    expected = Expected.of(GROUPED)
    enter_text(page, GROUPED, expected, exact=False)
    check_not_finite(page, GROUPED)
    by_testid(page, "collapse-all").click()
    row = page.locator('[data-testid="group-output"][data-label="s"]')
    expect(row).to_have_attribute("data-value", "nan", timeout=TIMEOUT_MS)
    value = row.locator(".gnode__cell").first
    expect(value).to_have_text("nan")
    expect(value).to_have_class(_warning())
    expect(value).to_have_attribute("title", "from nan * 2")
    expect(by_testid(page, "not-finite")).to_have_text(
        not_finite_notice(parse(GROUPED).output.topological_order()))
    by_testid(page, "finish").click()
    expect_counter(page, expected.total, expected.total)
    torch_grads = expected.torch_grads()
    s_id = next(vid for vid, (label, _, _) in expected.values.items() if label == "s")
    expect(row).to_have_attribute("data-grad", repr(torch_grads[s_id]), timeout=TIMEOUT_MS)
    x_id = next(vid for vid, (label, _, _) in expected.values.items() if label == "x")
    x_grad = page.locator(f'[data-testid="value-node"][data-id="{x_id}"]')
    eventually(page, lambda: assert_same(x_grad.get_attribute("data-grad"), torch_grads[x_id]))
    assert page.locator(ERROR_BOX).count() == 0


def assert_same(text, number):
    assert same_number(text, number, exact=False), (text, number)
