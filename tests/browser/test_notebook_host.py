"""`show()` in a real notebook host: Voila, started here on 127.0.0.1, runs a notebook
that shows a chainrule graph and a micrograd graph; Chromium drives the two widgets.

The widgets must keep the page's DOM contract (value nodes with data-label, data-value,
data-grad, data-role; the step controls' data-testids; value-NAME and input-NAME), fill
grads equal to PyTorch's as they step, and redraw the output when an input is tuned. Any
console error, failed request or request off the notebook server's origin fails the test.
"""

import pytest
from playwright.sync_api import expect

import voila_host
from harness import Problems
from pages import assert_that, eventually  # pages puts tests/ on the path: torch_oracle
from torch_oracle import same, tensor

TIMEOUT_MS = 120_000  # the first page starts a kernel that imports chainrule and anywidget

CHAINRULE_CELL = """\
from chainrule import Value, show
a = Value(2.0, 'a'); b = Value(-3.0, 'b'); c = Value(10.0, 'c'); f = Value(-2.0, 'f')
L = (a*b + c) * f
show(L)"""

MICROGRAD_CELL = """\
from micrograd.engine import Value as V
x = V(-4.0)
y = V(2.0)
z = x * y + y**3
z += z * 2 + (y + x).relu()
q = (z - x) / 2.0
show(q)"""


def lecture_torch(a=2.0):
    """{label: (value, grad)} of the chainrule cell's graph, in PyTorch (float64)."""
    leaves = {"a": tensor(a), "b": tensor(-3.0), "c": tensor(10.0), "f": tensor(-2.0)}
    L = (leaves["a"] * leaves["b"] + leaves["c"]) * leaves["f"]
    L.backward()
    return {**{k: (t.item(), t.grad.item()) for k, t in leaves.items()}, "L": (L.item(), 1.0)}


def micrograd_torch(y=2.0):
    """{label: (value, grad)} of the micrograd cell's inputs and output, in PyTorch."""
    import torch

    x, yt = tensor(-4.0), tensor(y)
    z = x * yt + yt**3
    z = z + (z * 2 + torch.relu(yt + x))
    q = (z - x) / 2.0
    q.backward()
    return {"x": (x.item(), x.grad.item()), "y": (yt.item(), yt.grad.item()), "q": (q.item(), 1.0)}


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """The URL of Voila serving the notebook; stopped after the module."""
    try:
        with voila_host.voila(tmp_path_factory.mktemp("notebook"),
                              [CHAINRULE_CELL, MICROGRAD_CELL]) as url:
            yield url
    except voila_host.HostError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def notebook_page(browser, voila):
    """The notebook, opened once: each test drives a widget of its own."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems = Problems(voila)
    problems.watch(context)
    page = context.new_page()
    page.goto(voila, timeout=TIMEOUT_MS)
    widgets = page.locator(".chainrule-widget")
    try:
        expect(widgets).to_have_count(2, timeout=TIMEOUT_MS)
    except AssertionError:
        print(page.locator("body").inner_text()[-3000:], problems.found)  # Voila's error
        raise
    for k in range(2):
        expect(widgets.nth(k).locator('[data-testid="value-node"]').first).to_be_visible(
            timeout=TIMEOUT_MS)
    yield page, widgets
    unexpected = problems.unexpected()
    context.close()
    assert not unexpected, "the notebook reported problems:\n" + "\n".join(unexpected)


def nodes(widget):
    """{label: {value, grad, role}} of the labelled value nodes the widget draws."""
    found = widget.locator('[data-testid="value-node"]').evaluate_all("""(nodes) => nodes.map(
        (n) => [n.dataset.label, n.dataset.value, n.dataset.grad, n.dataset.role])""")
    return {label: {"value": value, "grad": grad, "role": role}
            for label, value, grad, role in found if label}


def check_numbers(widget, expected, grads=True):
    shown = nodes(widget)
    for label, (value, grad) in expected.items():
        assert_that(same(float(shown[label]["value"]), value),
                    f"{label} shows {shown[label]['value']}, PyTorch says {value}")
        if grads:
            assert_that(shown[label]["grad"] != "" and same(float(shown[label]["grad"]), grad),
                        f"{label}'s grad is {shown[label]['grad']!r}, PyTorch says {grad}")
    return shown


def counter(widget):
    return widget.get_by_test_id("step-counter")


def test_a_chainrule_graph_renders_steps_to_pytorchs_grads_and_tunes(notebook_page):
    page, widgets = notebook_page
    widget = widgets.nth(0)
    shown = nodes(widget)
    assert {label: node["role"] for label, node in shown.items()} == {
        "a": "input", "b": "input", "c": "input", "f": "input", "L": "output"}
    check_numbers(widget, lecture_torch(), grads=False)
    assert all(node["grad"] == "" for node in shown.values())
    for name in ("reset", "back", "play", "step", "finish"):
        expect(widget.get_by_test_id(name)).to_be_visible()
    expect(counter(widget)).to_have_text("step 0 / 7")
    for k in range(1, 8):
        widget.get_by_test_id("step").click()
        expect(counter(widget)).to_have_text(f"step {k} / 7")
    expect(widget.get_by_test_id("step")).to_be_disabled()
    check_numbers(widget, lecture_torch())
    expect(widget.get_by_test_id("explain-formula")).to_contain_text("∂L/∂")

    widget.get_by_test_id("value-a").click()  # the input's number on the graph: type 3
    field = widget.locator('input[data-testid="value-a"]')
    field.fill("3")
    field.press("Enter")
    eventually(page, lambda: check_numbers(widget, lecture_torch(a=3.0)))  # grads stay live
    expect(widget.get_by_test_id("input-a")).to_have_value("3")

    widget.get_by_test_id("reset").click()
    expect(counter(widget)).to_have_text("step 0 / 7")
    eventually(page, lambda: assert_that(nodes(widget)["a"]["grad"] == "", "grads cleared"))

    play = widget.get_by_test_id("play")
    play.click()  # a step every 450 ms, until the last
    expect(play).to_have_attribute("data-playing", "true")
    expect(counter(widget)).to_have_text("step 7 / 7", timeout=30_000)
    expect(play).to_have_attribute("data-playing", "false")
    widget.get_by_test_id("step-explanation").click()  # focus the widget: arrows step
    page.keyboard.press("ArrowLeft")
    expect(counter(widget)).to_have_text("step 6 / 7")
    page.keyboard.press("Home")
    expect(counter(widget)).to_have_text("step 0 / 7")


def test_a_micrograd_graph_finishes_to_pytorchs_grads_and_tunes_from_its_inputs_list(
        notebook_page):
    page, widgets = notebook_page
    widget = widgets.nth(1)
    shown = nodes(widget)
    assert shown["x"]["role"] == "input" and shown["y"]["role"] == "input"
    assert shown["q"]["role"] == "output"
    widget.get_by_test_id("finish").click()
    expect(widget.get_by_test_id("finish")).to_be_disabled()
    eventually(page, lambda: check_numbers(widget, micrograd_torch()))

    field = widget.get_by_test_id("input-y")
    field.fill("1.5")
    field.press("Enter")
    eventually(page, lambda: check_numbers(widget, micrograd_torch(y=1.5)))

    field.fill("two")  # refused: a message, and nothing on screen changes
    field.press("Enter")
    expect(widget.get_by_test_id("message")).to_have_text("y: 'two' is not a number; y stays 1.5")
    check_numbers(widget, micrograd_torch(y=1.5))
