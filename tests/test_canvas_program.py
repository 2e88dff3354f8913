"""The canvas's editable program: text round trips, edits, refusals, history, the view."""

import json

import pytest

from chainrule.state.canvas_edit import CanvasEditor
from chainrule.core.ops import PALETTE
from chainrule.state.canvas_program import CanvasProgram, EditRefused, op_arity
from chainrule.state.history import History
from chainrule.core.expr import parse
from chainrule.state.presets import PRESETS
from chainrule.state.session import Session

LECTURE = "a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f"


def grads(text):
    program = parse(text)
    program.output.backward()
    return program


def same_program(text, other):
    """Same output value, and the same value and grad for every input."""
    p, q = grads(text), grads(other)
    assert q.output.data == pytest.approx(p.output.data, nan_ok=True)
    assert set(q.inputs) == set(p.inputs)
    for name, v in p.inputs.items():
        assert q.inputs[name].data == v.data
        assert q.inputs[name].grad == pytest.approx(v.grad, nan_ok=True)


@pytest.mark.parametrize("key", list(PRESETS))
def test_presets_round_trip(key):
    text = PRESETS[key][1]
    same_program(text, CanvasProgram.from_program(parse(text)).to_text())


@pytest.mark.parametrize("text", [
    "o = tanh(x1*w1 + x2*w2 + b)",
    "y = 2*x**2 - 3/x + x**-0.5",
    "a = -1.5\nb = a\nc = -b - -2",
    "z = max(p, q) * min(p, 3) + pow(p, q) + relu(q) + abs(p)",
    "u = exp(v) + log(v) + sigmoid(v) + sqrt(v) + sin(v) + cos(v)\nw = u / (v - 2)",
    "k = 3\nk2 = k * k\nk2",
])
def test_text_round_trips_to_the_same_values_and_grads(text):
    model = CanvasProgram.from_program(parse(text))
    again = model.to_text()
    same_program(text, again)
    # and the text the model writes is a fixed point
    assert CanvasProgram.from_program(parse(again)).to_text() == again


def build_lecture():
    m = CanvasProgram()
    names = [m.add_input() for _ in range(4)]
    assert names == ["x1", "x2", "x3", "x4"]
    for old, new, number in zip(names, "abcf", (2, -3, 10, -2)):
        m.rename(old, new)
        m.set_number(new, float(number))
    mul1, add, mul2 = m.add_op("*"), m.add_op("+"), m.add_op("*")
    assert m.connect("a", mul1, 0) is None  # one operand: no result yet
    assert m.connect("b", mul1, 1) == "t1"
    m.rename("t1", "e")
    m.connect("e", add, 0)
    m.rename(m.connect("c", add, 1), "d")
    m.connect("d", mul2, 0)
    m.rename(m.connect("f", mul2, 1), "L")
    return m


def test_building_the_lecture_example_writes_it_as_text():
    m = build_lecture()
    text = m.to_text()
    assert text == "a = 2\nb = -3\nc = 10\nf = -2\ne = a * b\nd = e + c\nL = d * f"
    same_program(LECTURE, text)


def test_every_palette_op_writes_text_that_parses():
    for symbol in PALETTE:
        m = CanvasProgram()
        op = m.add_op(symbol)
        for slot in range(op_arity(symbol)):
            m.connect(m.add_input(), op, slot)
        parse(m.to_text())
        assert m.output_name() == "t1"


def test_refusals_change_nothing():
    m = build_lecture()
    before = m.to_dict()
    mul2 = m.values["L"].op
    with pytest.raises(EditRefused, match="already takes d"):
        m.connect("a", mul2, 0)
    mul1 = m.values["e"].op
    m.disconnect(mul1, 0)
    with pytest.raises(EditRefused, match="cycle"):
        m.connect("L", mul1, 0)
    with pytest.raises(EditRefused, match="cycle"):
        m.connect("e", mul1, 0)
    m.connect("a", mul1, 0)
    assert m.to_dict() == before


@pytest.mark.parametrize("name, says", [
    ("2x", "not a name"), ("for", "keyword"), ("None", "keyword"), ("tanh", "function"),
    ("b", "already"), ("", "not a name"), ("x y", "not a name"),
])
def test_renames_are_checked(name, says):
    m = build_lecture()
    with pytest.raises(EditRefused, match=says):
        m.rename("a", name)


@pytest.mark.parametrize("name", ["α", "β_2", "Δx", "名前", "match"])
def test_a_rename_takes_any_name_the_editor_takes(name):
    m = build_lecture()
    m.rename("a", name)
    program = parse(m.to_text())
    assert name in program.inputs and program.inputs[name].data == 2.0


def test_a_name_python_reads_as_another_is_refused():
    m = build_lecture()
    with pytest.raises(EditRefused, match="read as 'fi'"):
        m.rename("a", "ﬁ")


def test_deleting_an_input_leaves_its_users_incomplete():
    m = build_lecture()
    m.delete_value("c")
    assert not m.is_complete("d") and not m.is_complete("L")
    assert m.to_text() == "a = 2\nb = -3\nf = -2\ne = a * b"
    m.connect(m.add_input(), m.values["d"].op, 1)
    assert m.is_complete("L")
    assert m.to_text().endswith("d = e + x1\nL = d * f")


def test_deleting_an_operator_takes_its_result_and_frees_the_users_slot():
    m = build_lecture()
    m.delete_op(m.values["d"].op)
    assert "d" not in m.values
    assert m.ops[m.values["L"].op].operands == [None, "f"]
    assert m.to_text() == "a = 2\nb = -3\nc = 10\nf = -2\ne = a * b"


def test_make_output_reorders_and_refuses_a_used_value():
    m = build_lecture()
    m.connect("a", m.add_op("tanh"), 0)  # t1 = tanh(a) is now the latest result: the output
    assert m.to_text().splitlines()[-1] == "t1 = tanh(a)"
    m.make_output("L")
    assert m.to_text().splitlines()[-1] == "L = d * f"
    with pytest.raises(EditRefused, match="L uses d"):
        m.make_output("d")


def test_history_undoes_and_redoes():
    h = History()
    for entry in "abc":
        h.record(entry)
    assert h.undo() == "b" and h.undo() == "a" and h.undo() is None
    assert h.redo() == "b"
    h.record("d")
    assert h.redo() is None and h.undo() == "b"


def test_snapshots_restore_the_model():
    m = build_lecture()
    again = CanvasProgram.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again.to_text() == m.to_text() and again.to_dict() == m.to_dict()


def fake_dagre(request):
    return {"nodes": [{"v": n["v"], "value": {**n["value"], "x": 100.0 * i, "y": 10.0 * i}}
                      for i, n in enumerate(request["nodes"])]}


def product_on_a_new_canvas():
    """An editor on a new graph with x1 * x2 built, and a session: (editor, session,
    (x1, x2, the operator))."""
    editor = CanvasEditor()
    editor.new_graph()
    m = editor.model
    x1, x2 = m.add_input(), m.add_input()
    op = m.add_op("*")
    m.connect(x1, op, 0)
    m.connect(x2, op, 1)
    return editor, Session(fake_dagre), (x1, x2, op)


def test_the_view_uses_the_sessions_ids_and_draws_the_rest_as_extra_nodes():
    editor, session, (x1, x2, op) = product_on_a_new_canvas()
    m = editor.model
    m.connect(m.add_input(), m.add_op("+"), 0)  # incomplete
    session.load(m.to_text())
    view = editor.view(session, fake_dagre)
    roles = {n["data"]["label"]: n["data"]["role"] for n in view["nodes"]
             if n["type"] == "value"}
    assert roles == {"x1": "input", "x2": "input", "t1": "output", "x3": "input"}
    by_label = {n["data"]["label"]: n["id"] for n in view["nodes"] if n["type"] == "value"}
    assert by_label["t1"] in session.ids.values() and by_label["x3"] == "c:x3"
    incomplete = [n for n in view["nodes"] if n["type"] == "operator" and n["data"]["incomplete"]]
    assert len(incomplete) == 1
    # every node is kept where it was drawn, so the next edit moves nothing already there
    first = {n["id"]: n["position"] for n in view["nodes"]}
    m.add_input()
    session.load(m.to_text())
    later = {n["id"]: n["position"] for n in editor.view(session, fake_dagre)["nodes"]}
    assert all(later[i] == p for i, p in first.items())
    # and the ids map back to the model for connecting
    with pytest.raises(EditRefused, match="value node cannot take"):
        editor.connect(by_label["x1"], "out", by_label["x2"], "in")
    with pytest.raises(EditRefused, match="operator cannot feed"):
        editor.connect(session.ids[session.program.output].replace("v", "op"), "out",
                       incomplete[0]["id"], "in1")


def test_positions_survive_a_text_edit_by_name():
    editor = CanvasEditor()
    editor.new_graph()
    session = Session(fake_dagre)
    session.load(LECTURE)
    editor.text_loaded(session)
    editor.view(session, fake_dagre)
    editor.model.positions["a"] = [-500.0, -500.0]
    session.load("a = 2\nq = a*a")
    editor.text_loaded(session)
    view = editor.view(session, fake_dagre)
    (a,) = [n for n in view["nodes"] if n["data"].get("label") == "a"]
    assert a["position"] == {"x": -500.0, "y": -500.0}


def test_an_empty_program_is_a_normal_session_state():
    session = Session(fake_dagre)
    view = session.load("")
    assert view == {"nodes": [], "edges": [], "cells": {}}
    assert session.total == 0 and session.inputs == []
    assert session.step() is None


def test_tuning_recomputes_the_statements_the_output_does_not_use():
    editor, session, (x1, x2, op) = product_on_a_new_canvas()  # t1 = x1 * x2
    m = editor.model
    m.connect(x1, m.add_op("neg"), 0)  # t2 = -x1, now the output: t1 is not used by it
    session.load(m.to_text())
    assert session.program.output.label == "t2"
    session.tune("x1", 3.0)
    editor.tuned(session)
    view = editor.view(session, fake_dagre)
    (t1,) = [n["id"] for n in view["nodes"] if n["data"].get("label") == "t1"]
    assert view["cells"][t1]["v"] == repr(3.0)
    assert m.values["x1"].number == 3.0
    assert editor.history.entries[-1][0] == session.text


def test_a_text_edit_keeps_the_incomplete_operators_of_the_canvas():
    m = build_lecture()
    m.delete_value("c")
    m.add_op("sin")  # nothing connected yet
    typed = CanvasProgram.from_program(parse(m.to_text() + "\nc = 10"), previous=m)
    incomplete = {op.symbol: (op.operands, op.result) for op in typed.ops.values()
                  if op.result is None or not typed.is_complete(op.result)}
    assert incomplete == {"+": (["e", None], "d"), "*": (["d", "f"], "L"), "sin": ([None], None)}
    assert typed.to_text().splitlines()[-1] == "c = 10"
    typed.connect("c", typed.values["d"].op, 1)
    same_program(LECTURE, typed.to_text())


def test_turning_edit_mode_on_moves_no_node():
    editor = CanvasEditor()
    session = Session(fake_dagre)
    session.load(LECTURE)
    editor.text_loaded(session)
    shown = {n["id"]: n["position"] for n in editor.view(session, fake_dagre)["nodes"]}
    editor.editing = True
    editing = {n["id"]: n["position"] for n in editor.view(session, fake_dagre)["nodes"]}
    assert editing == shown
    assert len(editor.model.positions) == len(shown)  # kept from now on


def test_the_palette_has_every_operator_of_the_language():
    from chainrule.core.expr import FUNCTIONS

    assert set(FUNCTIONS) - {"pow"} <= set(PALETTE)  # pow(a, b) is a ** b
    assert {"+", "-", "*", "/", "**", "neg"} <= set(PALETTE)


def test_a_new_result_is_placed_beside_its_operator_where_there_is_room():
    m = CanvasProgram()
    x = m.add_input(position=(0, 0))
    m.add_input(position=(80, 200))  # where the result would go
    op = m.add_op("exp", position=(0, 200))
    result = m.connect(x, op, 0)
    rx, ry = m.positions[result]
    assert (rx, ry) != (80.0, 200.0)
    assert abs(rx - 80.0) >= 240 or abs(ry - 200.0) >= 60


def test_make_output_is_offered_only_where_it_can_succeed_and_names_the_user_as_written():
    m = CanvasProgram.from_program(parse("x1 = 1\nx2 = 1\nt1 = x1*x2\nt2 = tanh(t1)\nt3 = t2 + x1"))
    m.add_op("sin")
    refusals = m.output_refusals()
    assert refusals["t1"] == "t2 uses t1: the output must be a value nothing else uses"
    assert refusals["x1"] == "t1, t3 use x1: the output must be a value nothing else uses"
    assert refusals["t3"] == "t3 is the output already"
    with pytest.raises(EditRefused, match="^t2 uses t1"):  # not "T2": names keep their case
        m.make_output("t1")
    m.connect("t1", next(k for k, op in m.ops.items() if op.symbol == "sin"), 0)  # t4 = sin(t1)
    refusals = m.output_refusals()
    assert refusals["t1"].startswith("t2, t4 use t1")
    assert refusals["t3"] == ""  # t4 is the output now; t3 could be again
    m.make_output("t3")
    assert m.to_text().splitlines()[-1] == "t3 = t2 + x1"
    m.add_op("exp")
    (const,) = [k for k, n in CanvasProgram.from_program(parse("y = 2*a")).values.items()
                if n.kind == "constant"]
    assert CanvasProgram.from_program(parse("y = 2*a")).output_refusals()[const] == \
        "A constant cannot be the output"


def test_the_canvas_view_tells_each_value_node_why_it_cannot_be_the_output():
    editor, session, (x1, x2, op) = product_on_a_new_canvas()  # t1 = x1 * x2
    session.load(editor.model.to_text())
    view = editor.view(session, fake_dagre)
    reasons = {n["data"]["label"]: n["data"]["notOutput"] for n in view["nodes"]
               if n["type"] == "value"}
    assert reasons == {"x1": "t1 uses x1: the output must be a value nothing else uses",
                       "x2": "t1 uses x2: the output must be a value nothing else uses",
                       "t1": "t1 is the output already"}


def test_groups_survive_an_edit_on_the_canvas():
    from collections import Counter

    text = PRESETS["small-mlp"][1]
    m = CanvasProgram.from_program(parse(text))
    m.rename("w1_0_0", "first")
    m.connect("x1", m.add_op("sin"), 0)
    again = parse(m.to_text())
    members = Counter(again.groups.values())
    assert members == Counter(parse(text).groups.values())
    assert again.groups[again.inputs["first"]] == "L1.N0"
    assert again.output.op == "sin" and again.output not in again.groups  # new: no group
    # and through a snapshot (undo)
    assert CanvasProgram.from_dict(json.loads(json.dumps(m.to_dict()))).to_text() == m.to_text()


def test_refusals_read_as_sentences():
    m = build_lecture()
    with pytest.raises(EditRefused, match="^Operand 1 of \\* already takes d"):
        m.connect("a", m.values["L"].op, 0)
    m.disconnect(m.values["e"].op, 0)
    with pytest.raises(EditRefused, match="^That would make a cycle"):
        m.connect("L", m.values["e"].op, 0)


def test_a_constant_output_has_no_statement_and_the_menu_still_opens():
    m = CanvasProgram.from_program(parse("a = 0\n0"))
    assert m.to_text() == "a = 0"
    assert m.output_refusals()["a"] == "a is the output already"
