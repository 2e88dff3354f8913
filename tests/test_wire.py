"""Everything the page sends to the renderer is strict JSON, non-finite numbers included.

JSON has no NaN or Infinity and the browser's JSON.parse refuses them, so a graph with
`log(-1)` in it could not be drawn. wire.py decides the one encoding; these tests hold
every payload of a session (a new graph, steps, jumps, tunings, regrouping, the canvas in
edit mode) to it over random programs at the domain edges, and check that the numbers
come back as the same floats.
"""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS, programs, render, renumber
from torch_oracle import same

from chainrule import ExprError, parse
from chainrule.state.canvas_edit import CanvasEditor
from chainrule.view.layered import layered_layout
from chainrule.state.scripts import python_script, pytorch_script
from chainrule.state.session import Session
from chainrule.view.cells import not_finite_notice
from chainrule.view.wire import dumps, loads, number, number_text

# Numbers that take the ops over their edges: overflow (1e300 * 1e300), underflow,
# zeros of both signs and negatives (log, sqrt, 1/x, x ** 0.5).
EDGES = st.sampled_from([0.0, -0.0, -1.0, 1e300, -1e300, 1e-300, 710.0, -710.0, 2.0, 0.5])


def strict(payload):
    """`payload` through the wire and back: strict JSON both ways."""
    text = dumps(payload)
    json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in {text[:200]}"))
    return loads(text)


def check_cells(session, sent):
    """The cells sent decode to each Value's data and grad, bit for bit (NaN as NaN)."""
    for v in session.order:
        cell = sent.get(session.ids[v])
        if not cell or "v" not in cell:
            continue
        assert same(number(cell["v"]), v.data) and cell["v"] == number_text(v.data)
        assert bool(cell.get("w")) == (not math.isfinite(v.data)), cell
        if cell.get("g"):
            assert same(number(cell["g"]), v.grad)


def check_view(session, view):
    sent = strict(view)
    check_cells(session, sent["cells"])
    for node in sent["nodes"]:
        data = node["data"]
        if "value" in data:  # the raw numbers of the flow graph's nodes
            assert isinstance(data["value"], (int, float)) or data["value"] in ("nan", "inf", "-inf")
            number(data["value"])


def edge_program(statements, numbers):
    """The program with its numbers replaced by edge values, or None if it does not parse."""
    it = iter(numbers)
    renumbered = [(name, renumber(tree, it)) for name, tree in statements]
    text = render(renumbered)
    try:
        parse(text)
    except ExprError:
        return None
    return text


@SETTINGS
@given(programs(), st.lists(EDGES, min_size=40, max_size=40), st.lists(EDGES, min_size=1))
def test_everything_sent_to_the_renderer_is_strict_json(statements, numbers, tunings):
    text = edge_program(statements, numbers) or render(statements)
    session = Session(layered_layout)
    try:
        check_view(session, session.load(text))
    except ExprError:
        return
    patches = session.step()
    check_cells(session, strict(patches or {}))
    check_cells(session, strict(session.finish() or {}))
    check_cells(session, strict(session.back() or {}))
    check_cells(session, strict(session.go_to(session.total)))
    for value in tunings:
        for name, _ in session.inputs[:2]:
            patches = strict(session.tune(name, value))
            check_cells(session, patches)
    check_view(session, session.whole_view())
    check_view(session, session.collapse_all())
    check_view(session, session.expand_all())
    canvas = CanvasEditor()
    canvas.text_loaded(session)
    canvas.editing = True
    check_view(session, canvas.view(session, layered_layout, "LR"))
    for step in session.taken:
        strict([step.formula, step.rule, step.arithmetic])
    assert strict(session.notice) == session.notice
    compile(pytorch_script(session.program), "<pytorch>", "exec")
    compile(python_script(session.program), "<python>", "exec")


def test_non_finite_floats_cross_as_their_text_and_come_back():
    payload = {"a": [math.nan, math.inf, -math.inf, 1.5, -0.0], "b": {"c": math.inf}, "d": "inf"}
    text = dumps(payload)
    assert text == '{"a":["nan","inf","-inf",1.5,-0.0],"b":{"c":"inf"},"d":"inf"}'
    back = loads(text)
    assert [number(x) for x in back["a"]][1:] == [math.inf, -math.inf, 1.5, -0.0]
    assert math.isnan(number(back["a"][0]))
    assert dumps({"finite": [1, 2.5]}) == '{"finite":[1,2.5]}'  # the usual case untouched
    with pytest.raises(ValueError):
        loads('{"a": NaN}')


@pytest.mark.parametrize("text, origins", [
    ("x = -1\nL = log(x)", {"L": "log of -1"}),
    ("x = 0\nL = 1 / x", {"L": "division by 0"}),
    ("x = 0\nL = x / x", {"L": "0 / 0"}),
    ("x = -1\nL = sqrt(x) + log(0)", {"sqrt(x)": "sqrt of -1", "log(0)": "log of 0",
                                      "L": "from nan + -inf"}),
    ("x = 1e300\nL = x * x * 0", {"x·x": "overflow in *", "L": "from inf * 0"}),
    ("a = 2\nb = 1 / (a - 2)\nL = b * a", {"b": "division by 0", "L": "from inf * 2"}),
    ("x = 1000\nL = exp(x)", {"L": "overflow in exp"}),
    ("x = -8\nL = x ** 0.5", {"L": "-8 to a fractional power"}),
    ("x = 0\nL = x ** -1", {"L": "0 to a negative power"}),
    ("x = 1e200\ny = 2\nL = x ** y", {"L": "overflow in **"}),
])
def test_a_value_that_is_not_finite_knows_where_it_came_from(text, origins):
    from chainrule.core.explain import display_name

    order = parse(text).output.topological_order()
    found = {display_name(v): v.origin() for v in order if not math.isfinite(v.data)}
    assert found == origins
    assert all(v.origin() == "" for v in order if math.isfinite(v.data))


def test_the_notice_counts_and_names_the_values_that_are_not_finite():
    order = parse("a = 2\nb = 1 / (a - 2)\nL = b * a").output.topological_order()
    assert not_finite_notice(order) == "2 values are not finite: b = inf, L = inf"
    order = parse("x = -1\nL = log(x)").output.topological_order()
    assert not_finite_notice(order) == "1 value is not finite: L = nan"
    order = parse("x = 0\na = 1/x\nb = a+1\nc = b+1\nd = c+1\nL = d+1").output.topological_order()
    assert not_finite_notice(order) == ("5 values are not finite: a = inf, b = inf, c = inf, "
                                        "d = inf, …")
    assert not_finite_notice(parse("L = 2 * 3").output.topological_order()) == ""


def test_a_tuning_back_to_finite_takes_the_origin_away():
    session = Session(layered_layout)
    session.load("a = 3\nb = 1 / (a - 2)\nL = b * a")
    b = session.ids[session.program.values["b"]]
    assert "w" not in session.whole_view()["cells"][b]
    patches = session.tune("a", 2.0)
    assert patches[b]["w"] == "division by 0" and patches[b]["v"] == "inf"
    assert session.notice == "2 values are not finite: b = inf, L = inf"
    patches = session.tune("a", 3.0)
    assert patches[b]["w"] == "" and patches[b]["v"] == "1.0"
    assert session.notice == ""


def test_scripts_write_non_finite_inputs_so_they_run():
    program = parse("x = 2\nL = x * 3")
    program.inputs["x"].data = math.inf
    for script in (pytorch_script(program), python_script(program)):
        assert "float('inf')" in script
        compile(script, "<script>", "exec")
