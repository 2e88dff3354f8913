"""What the graph-view and stepping tests share: reading the canvas and the step controls
from the DOM, and what chainrule on CPython (and PyTorch) says they should show.

Expectations are computed here from the same `chainrule` package the page runs, never
copied into the tests as numbers.
"""

import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import expect

from chainrule import ExprError, backward_steps, parse
from chainrule.view.graph import flow_graph, role
from chainrule.core.ids import node_ids, operator_id
from chainrule.view.groups import default_collapsed, group_tree, grouped_graph
from chainrule.state.presets import PRESETS
from harness import wait_for_state

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: torch_oracle

# Generous: a busy 2-core machine re-parses, lays out and paints slowly at times.
TIMEOUT_MS = 30_000
# How long a state seen in one place (the counter) may take to show everywhere else.
SETTLE_MS = 5_000
LECTURE = PRESETS["lecture"][1]
# The micrograd lecture's neuron, tanh written out with exp: 17 values.
LECTURE_NEURON = """x1 = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432
x1w1 = x1*w1
x2w2 = x2*w2
x1w1x2w2 = x1w1 + x2w2
n = x1w1x2w2 + b
e = exp(2*n)
o = (e - 1)/(e + 1)"""
STEP_BUTTONS = ("reset", "back", "play", "step", "finish")
HIGHLIGHTS = ("is-result", "is-operand", "is-operator", "is-constant")

# One trip into the page: every node and edge the canvas shows, with its box on screen.
READ_CANVAS = """() => {
    const box = (el) => {
        const r = el.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom];
    };
    const canvas = document.querySelector('[data-testid="canvas"]');
    const values = [...document.querySelectorAll('[data-testid="value-node"]')].map((el) => ({
        id: el.dataset.id, label: el.getAttribute('data-label'),
        role: el.dataset.role, value: el.getAttribute('data-value'),
        grad: el.getAttribute('data-grad'), tangent: el.getAttribute('data-tangent'),
        classes: [...el.classList], box: box(el),
    }));
    const operators = [...document.querySelectorAll('[data-testid="operator-node"]')].map(
        (el) => ({id: el.dataset.id, op: el.dataset.op, classes: [...el.classList], box: box(el)}));
    // The edge layer's paths, or React Flow's own edges in edit mode: both carry the id.
    // The edge layer draws a highlighted edge again on top, with the highlight's classes.
    const onScreen = (el, at) => {
        const p = el.getPointAtLength(at).matrixTransform(el.getScreenCTM());
        return [p.x, p.y];
    };
    const highlights = new Map([...document.querySelectorAll('path[data-highlight-of]')]
        .map((el) => [el.dataset.highlightOf, [...el.classList]]));
    const edges = [...document.querySelectorAll('path[data-edge-id]')].map((el) => ({
        id: el.dataset.edgeId,
        classes: [...el.classList, ...(highlights.get(el.dataset.edgeId) ?? [])],
        ends: [onScreen(el, 0), onScreen(el, el.getTotalLength())],
    }));
    return {
        nodes: canvas ? canvas.dataset.nodes ?? null : null,
        canvasBox: canvas ? box(canvas) : null,
        state: document.documentElement.dataset.state,
        values, operators, edges,
    };
}"""


def by_testid(page, name):
    return page.locator(f'[data-testid="{name}"]')


# ---------------------------------------------------------------------------------------
# What the canvas shows


@dataclass
class Canvas:
    """A snapshot of the canvas: value nodes, operator nodes and edges by id."""

    nodes: object  # the canvas's data-nodes (text), or None
    state: str
    box: tuple
    values: dict
    operators: dict
    edges: dict

    def highlights(self):
        """{id: highlight classes} of every node and edge that has any."""
        marked = {}
        for node in (*self.values.values(), *self.operators.values()):
            found = sorted(set(node["classes"]) & set(HIGHLIGHTS))
            if found:
                marked[node["id"]] = found
        for edge in self.edges.values():
            found = sorted(set(edge["classes"]) & set(HIGHLIGHTS))
            if found:
                marked[edge["id"]] = found
        return marked

    def grads(self):
        return {i: v["grad"] for i, v in self.values.items()}

    def done(self):
        return {i for i, v in self.values.items() if "is-done" in v["classes"]}

    def boxes(self):
        """{id: (left, top, right, bottom)} of every value and operator node."""
        return {i: tuple(n["box"]) for i, n in (*self.values.items(), *self.operators.items())}

    def graph(self):
        """What must not change when a bad expression is typed: ids, texts, boxes."""
        values = {i: (v["label"], v["role"], v["value"], v["grad"], tuple(v["box"]))
                  for i, v in self.values.items()}
        operators = {i: (o["op"], tuple(o["box"])) for i, o in self.operators.items()}
        return self.nodes, values, operators, sorted(self.edges)


def read_canvas(page):
    raw = page.evaluate(READ_CANVAS)
    values = {v["id"]: v for v in raw["values"]}
    operators = {o["id"]: o for o in raw["operators"]}
    edges = {e["id"]: e for e in raw["edges"]}
    assert len(values) == len(raw["values"]), "two value nodes share an id"
    assert len(operators) == len(raw["operators"]), "two operator nodes share an id"
    return Canvas(raw["nodes"], raw["state"], raw["canvasBox"], values, operators, edges)


RUN_PYTHON = """async (code) => {
    const { whenDefined } = await import(new URL('pyscript/core.js', document.baseURI).href);
    const { interpreter } = await whenDefined('py');
    return interpreter.runPython(code);
}"""


def run_python(page, code):
    """Runs `code` in the page's Python (for a test's probe or a fault it injects); returns
    the value of its last line."""
    return page.evaluate(RUN_PYTHON, code)


def assert_that(condition, message):
    """An assertion as an expression, for the checks `eventually` retries."""
    assert condition, message


def eventually(page, check, timeout_ms=TIMEOUT_MS, interval_ms=100):
    """Retries `check()` until it stops raising AssertionError; returns its result.

    For states the page reaches after work we cannot wait on directly (a re-parse, a
    re-layout). Only how long we are willing to wait is bounded, nothing is timed.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        page.wait_for_timeout(interval_ms)


# ---------------------------------------------------------------------------------------
# What chainrule on CPython says the page should show


def same_number(text, expected, exact):
    """A data-value/data-grad (repr of a float) against a float from chainrule or torch.

    `exact` compares the repr: + - * on small integers give the same bits in Pyodide and
    CPython. Otherwise a relative 1e-9 (torch_oracle's), as libm's tanh/exp may differ in
    the last bit between the two Pythons; zeros of either sign are equal, NaN equals NaN.
    """
    if exact:
        return text == repr(float(expected))
    try:
        got = float(text)
    except (TypeError, ValueError):
        return False
    if math.isnan(got) or math.isnan(expected):
        return math.isnan(got) and math.isnan(expected)
    if math.isinf(got) or math.isinf(expected):
        return got == expected
    return math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-300)


@dataclass
class Expected:
    """The graph and the backprop steps chainrule computes on CPython for `text`."""

    text: str
    values: dict = field(default_factory=dict)  # id -> (label, role, data)
    operators: dict = field(default_factory=dict)  # id -> op symbol
    edges: dict = field(default_factory=dict)  # id -> (source id, target id)
    steps: list = field(default_factory=list)
    root_id: str = ""
    frames: int = 0  # frames around the groups, with every group expanded
    opens_collapsed: bool = False  # big: the page first shows some groups as boxes

    @classmethod
    def of(cls, text):
        program = parse(text)
        root = program.output
        order = root.topological_order()
        ids = node_ids(order)
        expected = cls(text, root_id=ids[root])
        for v in order:
            expected.values[ids[v]] = (v.label or "", role(v, root), v.data)
            if not v.is_leaf:
                expected.operators[operator_id(ids[v])] = v.op
        full = flow_graph(root, order)
        for edge in full["edges"]:
            expected.edges[edge["id"]] = (edge["source"], edge["target"])
        tree = group_tree(program, order, ids)
        expected.frames = sum(n["type"] == "frame"
                              for n in grouped_graph(full, tree, set()).graph["nodes"])
        expected.opens_collapsed = bool(default_collapsed(tree, len(full["nodes"])))
        # The generator mutates the Values' grads; every Step keeps its own numbers.
        expected.steps = list(backward_steps(root, order))
        return expected

    @property
    def flow_node_count(self):
        """Nodes on the canvas with every group expanded: values, operators, frames."""
        return len(self.values) + len(self.operators) + self.frames

    @property
    def total(self):
        return len(self.steps)

    def grads_after(self, k):
        """{value id: grad} after the first k steps; None where no step touched it yet."""
        grads = dict.fromkeys(self.values)
        for step in self.steps[:k]:
            grads[step.operand_id] = step.after
        return grads

    def done_after(self, k):
        return {s.operand_id for s in self.steps[:k] if s.complete}

    def highlights_after(self, k):
        """{id: classes} the k-th step highlights (nothing before the first step)."""
        if k == 0:
            return {}
        step = self.steps[k - 1]
        if step.kind == "seed":
            return {step.result_id: ["is-result"]}
        part = "is-constant" if step.into_constant else "is-operand"
        marked = {step.result_id: ["is-result"], step.operand_id: [part],
                  step.operator_id: ["is-operator"]}
        for edge_id in step.edge_ids:
            marked[edge_id] = [part]
        return marked

    def torch_grads(self):
        """{value id: grad} from PyTorch (float64) on a mirror of the same graph."""
        from torch_oracle import mirror

        program = parse(self.text)
        root = program.output
        order = root.topological_order()
        ids = node_ids(order)
        tensors = mirror(root)
        for v in order:
            if not v.is_leaf:
                tensors[id(v)].retain_grad()
        out = tensors[id(root)]
        if out.grad_fn is not None:
            out.backward()
        grads = {}
        for v in order:
            g = tensors[id(v)].grad
            grads[ids[v]] = 0.0 if g is None else g.item()
        if out.grad_fn is None:
            grads[ids[root]] = 1.0
        return grads


def expr_error(text):
    """The ExprError chainrule raises for `text` (which must be bad)."""
    try:
        parse(text)
    except ExprError as error:
        return error
    raise AssertionError(f"{text!r} parses; the test needs a bad expression")


# ---------------------------------------------------------------------------------------
# Checks on the canvas


def check_graph(canvas, expected, exact=True):
    """The canvas shows exactly `expected`'s nodes, with their labels, roles and values."""
    assert set(canvas.values) == set(expected.values), (
        f"value nodes {sorted(canvas.values)} != {sorted(expected.values)}")
    assert set(canvas.operators) == set(expected.operators), (
        f"operator nodes {sorted(canvas.operators)} != {sorted(expected.operators)}")
    assert canvas.nodes == str(expected.flow_node_count), (
        f"canvas data-nodes={canvas.nodes!r}, expected {expected.flow_node_count}")
    for vid, (label, node_role, data) in expected.values.items():
        node = canvas.values[vid]
        assert node["label"] == label, f"{vid}: data-label {node['label']!r} != {label!r}"
        assert node["role"] == node_role, f"{vid}: data-role {node['role']!r} != {node_role!r}"
        assert same_number(node["value"], data, exact), (
            f"{vid} ({label}): data-value {node['value']!r} != {data!r}")
    for oid, op in expected.operators.items():
        assert canvas.operators[oid]["op"] == op, (
            f"{oid}: data-op {canvas.operators[oid]['op']!r} != {op!r}")


def wait_for_graph(page, expected, exact=True, timeout_ms=TIMEOUT_MS):
    """Waits until the canvas shows `expected`'s graph; returns the canvas."""

    def check():
        canvas = read_canvas(page)
        check_graph(canvas, expected, exact)
        return canvas

    return eventually(page, check, timeout_ms)


def overlaps(a, b, tolerance=0.5):
    """True if two (left, top, right, bottom) boxes share more than a sliver."""
    return (min(a[2], b[2]) - max(a[0], b[0]) > tolerance
            and min(a[3], b[3]) - max(a[1], b[1]) > tolerance)


def check_layout(canvas, expected, direction):
    """No two node boxes overlap; every edge is drawn and runs along `direction`."""
    boxes = canvas.boxes()
    assert set(boxes) == set(expected.values) | set(expected.operators)
    for node_id, (left, top, right, bottom) in boxes.items():
        assert right > left and bottom > top, f"{node_id} has an empty box"
    ids = sorted(boxes)
    clashes = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]
               if overlaps(boxes[a], boxes[b])]
    assert not clashes, f"overlapping nodes: {clashes[:10]}"
    assert set(canvas.edges) == set(expected.edges), (
        f"edges {sorted(canvas.edges)} != {sorted(expected.edges)}")
    wrong = []
    for edge_id, (source, target) in expected.edges.items():
        s, t = boxes[source], boxes[target]
        ok = s[2] <= t[0] + 0.5 if direction == "LR" else s[3] <= t[1] + 0.5
        if not ok:
            wrong.append((edge_id, source, s, target, t))
    axis = "left-to-right" if direction == "LR" else "top-to-bottom"
    assert not wrong, f"edges not running {axis}: {wrong[:10]}"
    loose = [(edge_id, canvas.edges[edge_id]["ends"])
             for edge_id, (source, target) in expected.edges.items()
             if not (touches(boxes[source], canvas.edges[edge_id]["ends"][0])
                     and touches(boxes[target], canvas.edges[edge_id]["ends"][1]))]
    assert not loose, f"edges that do not run from their source to their target: {loose[:5]}"


def touches(box, point, reach=6):
    """True if `point` is on `box` or within `reach` px of it (a handle sits on the rim)."""
    left, top, right, bottom = box
    x, y = point
    return left - reach <= x <= right + reach and top - reach <= y <= bottom + reach


# ---------------------------------------------------------------------------------------
# Driving the page


def open_app(page, app_url, expected=None):
    """Loads the app, waits for Python, and for the canvas to show `expected` (the lecture
    example by default); returns the canvas."""
    page.goto(app_url)
    wait_for_state(page, "ready")
    return wait_for_graph(page, expected or Expected.of(LECTURE))


def enter_text(page, text, expected=None, exact=True):
    """Replaces the editor's text (one input event) and waits for the new graph."""
    by_testid(page, "expression").fill(text)
    return wait_for_graph(page, expected or Expected.of(text), exact)


def choose_preset(page, key, exact=False):
    """Opens preset `key` with every group expanded (as Expected describes it)."""
    by_testid(page, "preset").select_option(key)
    expect(by_testid(page, "expression")).to_have_value(PRESETS[key][1], timeout=TIMEOUT_MS)
    expected = Expected.of(PRESETS[key][1])
    if expected.opens_collapsed:
        expect(page.locator('[data-testid="group"][data-collapsed="true"]').first).to_be_visible(
            timeout=TIMEOUT_MS)
        by_testid(page, "expand-all").click()
    return expected, wait_for_graph(page, expected, exact)


# Nothing on the canvas moves: no regroup slide, no transition or animation running.
SETTLED = """() => !document.querySelector('.is-regrouping')
    && document.querySelector('[data-testid="canvas"]').getAnimations({subtree: true}).length === 0"""


def fit_view(page):
    """Clicks Fit and waits until the canvas shows the fitted view, nothing sliding."""
    canvas = by_testid(page, "canvas")
    fits = int(canvas.get_attribute("data-fits") or 0)
    by_testid(page, "fit-view").click()
    expect(canvas).to_have_attribute("data-fits", str(fits + 1), timeout=TIMEOUT_MS)
    page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)


def blur(page):
    """Moves focus out of any control, so the page's keyboard shortcuts apply."""
    page.evaluate("document.activeElement && document.activeElement.blur()")


def expect_counter(page, k, total):
    expect(by_testid(page, "step-counter")).to_have_text(f"backward {k} / {total}",
                                                         timeout=TIMEOUT_MS)


def explanation(page):
    """{part: text} of the explanation panel's formula, rule and arithmetic, with spacing
    normalised; None for a part that is not shown."""
    parts = {}
    for part in ("explain-formula", "explain-rule", "explain-arithmetic"):
        element = by_testid(page, part)
        if element.count() and element.first.is_visible():
            parts[part] = " ".join(element.first.text_content().split())
        else:
            parts[part] = None
    return parts


def step_texts(step):
    return {"explain-formula": " ".join(step.formula.split()),
            "explain-rule": " ".join(step.rule.split()),
            "explain-arithmetic": " ".join(step.arithmetic.split())}


def check_position(page, expected, k, exact=True):
    """Everything stepping shows after k steps: counter, every grad, which nodes are
    complete, the highlight, the explanation, the buttons' disabled states. Returns the
    canvas."""
    expect_counter(page, k, expected.total)
    # The counter may be written a moment before the nodes re-render.
    return eventually(page, lambda: _check_position(page, expected, k, exact),
                      timeout_ms=SETTLE_MS)


def _check_position(page, expected, k, exact):
    expect_counter(page, k, expected.total)
    canvas = read_canvas(page)
    wrong = {}
    for vid, grad in expected.grads_after(k).items():
        shown = canvas.values[vid]["grad"]
        if grad is None:
            if shown != "":
                wrong[vid] = (shown, "")
        elif not same_number(shown, grad, exact):
            wrong[vid] = (shown, repr(grad))
    assert not wrong, f"after {k} steps, data-grad (shown, expected): {wrong}"
    assert canvas.done() == expected.done_after(k), (
        f"after {k} steps, is-done on {sorted(canvas.done())}, "
        f"expected {sorted(expected.done_after(k))}")
    assert canvas.highlights() == expected.highlights_after(k), (
        f"after {k} steps, highlighted {canvas.highlights()}, "
        f"expected {expected.highlights_after(k)}")
    if k:
        assert explanation(page) == step_texts(expected.steps[k - 1]), f"after {k} steps"
    else:
        check_hint(page)
    check_buttons(page, at_start=k == 0, at_end=k == expected.total)
    return canvas


def check_hint(page):
    """Before the first step the panel shows a hint, not a step."""
    panel = by_testid(page, "step-explanation")
    expect(panel).to_be_visible()
    assert panel.text_content().strip(), "the explanation panel is empty before the first step"
    assert explanation(page) == dict.fromkeys(
        ("explain-formula", "explain-rule", "explain-arithmetic")), "a step is explained at 0"


def check_buttons(page, at_start, at_end):
    disabled = {name: by_testid(page, name).is_disabled() for name in STEP_BUTTONS}
    want = {"back": at_start, "reset": at_start, "step": at_end, "finish": at_end}
    assert {k: disabled[k] for k in want} == want, f"disabled states {disabled}"


def dom_step_state(page):
    """Everything about stepping a user can see, for exact before/after comparisons."""
    canvas = read_canvas(page)
    return {
        "counter": by_testid(page, "step-counter").text_content(),
        "grads": canvas.grads(),
        "done": canvas.done(),
        "highlights": canvas.highlights(),
        "explanation": explanation(page),
        "panel": " ".join(by_testid(page, "step-explanation").text_content().split()),
        "disabled": {name: by_testid(page, name).is_disabled() for name in STEP_BUTTONS},
    }


def expect_playing(page, playing):
    play = page.locator('[data-testid="play"]')
    if playing:
        expect(play).to_have_attribute("data-playing", "true", timeout=TIMEOUT_MS)
    else:
        expect(play).not_to_have_attribute("data-playing", "true", timeout=TIMEOUT_MS)


def frozen_clock(page):
    """Stops the page's timers (setTimeout, setInterval, rAF) until `page.clock.run_for`.

    What the page does on an event then happens in that event alone, so a test can say
    that something did *not* happen without waiting for it.
    """
    page.clock.install()
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)


def run_timers_for(page, ms=1_000):
    """Stops the page's clock and fires every timer due in the next `ms` of its time, at
    once: what the page would do in that time is done, so a test can say that nothing
    more happened without waiting. The page's clock must have been installed
    (`page.clock.install()`) before the page set the timers."""
    page.clock.pause_at(page.evaluate("Date.now()") + 1)
    page.clock.run_for(ms)


