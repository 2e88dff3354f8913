"""chainrule.notebook: what show() accepts, the JSON its widget syncs, one message per
action, and micrograd interop (grads equal micrograd's own backward(), the learner's
objects untouched unless write_grads=True)."""

import json
import math
import random
from pathlib import Path

import nbformat
import pytest
from micrograd import nn as micro_nn
from micrograd.engine import Value as MicroValue

import chainrule
from chainrule import MLP, Value, parse, show
from chainrule.view import wire
from micrograd_examples import readme_example

LECTURE = "a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f"


def micrograd_readme():
    """micrograd's README example in micrograd's own Values: (names, g)."""
    a, b, g = readme_example(MicroValue)
    return {"a": a, "b": b}, g


def micrograd_mlp_loss(seed=1):
    """The lecture's MLP(3, [4, 4, 1]) and its squared-error loss over four samples."""
    random.seed(seed)
    model = micro_nn.MLP(3, [4, 4, 1])
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
    return model, loss


class LectureValue:
    """The micrograd lecture's Value: labels, tanh and exp, - and / built from + * **."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data, self.grad, self._prev, self._op, self.label = data, 0.0, set(_children), _op, label
        self._backward = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        out = LectureValue(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        out = LectureValue(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, other):
        out = LectureValue(self.data**other, (self,), f"**{other}")

        def _backward():
            self.grad += other * (self.data ** (other - 1)) * out.grad
        out._backward = _backward
        return out

    def __rmul__(self, other): return self * other
    def __truediv__(self, other): return self * other**-1
    def __neg__(self): return self * -1
    def __sub__(self, other): return self + (-other)
    def __radd__(self, other): return self + other

    def tanh(self):
        t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
        out = LectureValue(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = LectureValue(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()

        def build(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                topo.append(v)
        build(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()


def lecture_neuron():
    """The lecture's tanh neuron, with tanh written out through exp and / as well."""
    x1, x2 = LectureValue(2.0, label="x1"), LectureValue(0.0, label="x2")
    w1, w2 = LectureValue(-3.0, label="w1"), LectureValue(1.0, label="w2")
    b = LectureValue(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    e = (2 * n).exp()
    o = (e - 1) / (e + 1)
    o.label = "o"
    return [x1, x2, w1, w2, b], o * n.tanh()


def value_cells(widget):
    """{label: cell} of the labelled value nodes in the widget's graph as it is now."""
    graph = widget._controller.view
    return {n["data"]["label"]: graph["cells"][n["id"]] for n in graph["nodes"]
            if n["type"] == "value" and n["data"]["label"]}


def sent_messages(widget):
    sent = []
    widget.comm.send = lambda *args, **kwargs: sent.append(kwargs.get("data", args))
    return sent


# each kind of input ---------------------------------------------------------------------

def test_a_chainrule_value_gives_its_graph_with_positions_cells_and_controls():
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    L = a * b + Value(10.0)
    w = show(L, labels={"L": L})
    assert isinstance(w, chainrule.notebook.widget.GraphWidget)
    graph = json.loads(w.graph)
    assert set(graph) == {"nodes", "edges", "cells"} and w.redraw == "fit"
    assert len(graph["nodes"]) == 7 and len(graph["edges"]) == 6
    assert all("position" in n and "width" in n for n in graph["nodes"])
    cells = value_cells(w)
    assert cells["a"]["v"] == "2.0" and cells["L"]["v"] == "4.0" and cells["L"]["g"] == ""
    assert {n["data"]["role"] for n in graph["nodes"] if n["type"] == "value"} \
        == {"input", "constant", "intermediate", "output"}
    state = w.state
    assert state["position"] == 0 and state["total"] == step_total(L)
    assert state["disabled"] == {"step": False, "finish": False, "back": True, "reset": True,
                                 "play": False, "expand-current": True}
    assert state["inputs"] == [["a", "2"], ["b", "-3"]]
    assert state["explanation"][0][0] == "explain-hint"


def step_total(root):
    return chainrule.step_count(root)


def test_a_parsed_program_and_its_text_give_the_same_graph():
    from_text = show(LECTURE)
    program = parse(LECTURE)
    from_program = show(program)
    assert from_text.graph == from_program.graph
    assert from_text.state == from_program.state
    assert [n for n, _ in from_text.session.inputs] == ["a", "b", "c", "f"]
    from_program.finish()
    assert program.output.grad == 0.0, "the program's own Values are left alone"
    assert from_program.grads["a"] == 6.0 and from_program.grads["f"] == 4.0


def test_a_chainrule_mlp_keeps_the_page_groups_when_given_as_text():
    text = MLP(2, [3, 1], seed=0).source([1.0, -2.0], target=1.0)
    w = show(text)
    assert any(n["type"] in ("group", "frame") for n in json.loads(w.graph)["nodes"])
    assert w.state["groups"] is True


def test_a_chainrule_mlp_value_is_grouped_by_its_neurons_with_model():
    model = MLP(2, [3, 1], seed=0)
    loss = (model([1.0, -2.0]) - 1.0) ** 2
    w = show(loss, model=model)
    groups = {n["data"]["name"] for n in json.loads(w.graph)["nodes"]
              if n["type"] in ("group", "frame")}
    assert groups >= {"L1", "L2"} or groups >= {"L1.N0", "L2.N0"}
    names = set(w.session.tree.names)
    assert {"L1", "L1.N0", "L1.N1", "L1.N2", "L2", "L2.N0"} <= names


def test_a_micrograd_value_is_mapped_onto_our_ops_and_named_by_the_callers_variables():
    (names, g) = micrograd_readme()
    a, b = names["a"], names["b"]  # noqa: F841 - read by show() from this frame
    w = show(g)
    cells = value_cells(w)
    assert cells["a"]["v"] == "-4.0" and cells["b"]["v"] == "2.0" and cells["g"]["v"] == repr(g.data)
    ops = {n["data"]["op"] for n in json.loads(w.graph)["nodes"] if n["type"] == "operator"}
    assert ops == {"+", "*", "**3", "**2", "**-1", "relu"}
    assert [name for name, _ in w.session.inputs] == ["b", "a"] or \
        sorted(name for name, _ in w.session.inputs) == ["a", "b"]


def test_labels_name_nodes_and_an_empty_labels_names_nothing():
    x = MicroValue(3.0)
    y = x * x
    assert [n for n, _ in show(y, labels={"x": x, "y": y}).session.inputs] == ["x"]
    w = show(y, labels={})
    assert w.session.inputs == [] and "x" not in value_cells(w)


def test_a_repeated_label_gets_a_suffix_so_each_input_is_tuned_apart():
    L = Value(1.0, "x") * Value(2.0, "x")
    assert [n for n, _ in show(L).session.inputs] == ["x", "x_2"]


# micrograd interop ----------------------------------------------------------------------

def test_grads_equal_micrograds_own_backward_on_its_readme_example():
    names, g = micrograd_readme()
    w = show(g, labels=names)
    w.finish()
    ours = {label: grad for label, grad in w.grads.items()}
    g.backward()
    assert round(g.data, 4) == 24.7041
    assert ours["a"] == names["a"].grad and ours["b"] == names["b"].grad  # bit for bit
    assert round(ours["a"], 4) == 138.8338 and round(ours["b"], 4) == 645.5773
    for copy, original in w._controller.originals.items():
        assert copy.grad == original.grad, "every node's grad, not only the inputs'"


def test_grads_equal_micrograds_own_backward_on_an_mlp_loss():
    model, loss = micrograd_mlp_loss()
    w = show(loss, model=model)
    w.finish()
    params = model.parameters()
    ours = [w.grads[label] for label in parameter_labels(model)]
    loss.backward()
    assert ours == [p.grad for p in params]  # bit for bit: the same sums in the same order
    assert {"L1.N0", "L2.N3", "L3.N0"} <= set(w.session.tree.names)


def parameter_labels(model):
    return [label for li, layer in enumerate(model.layers, start=1)
            for j, n in enumerate(layer.neurons)
            for label in [f"w{li}.{j}.{i}" for i in range(len(n.w))] + [f"b{li}.{j}"]]


def test_the_lecture_value_with_tanh_exp_and_division_matches_its_own_backward():
    leaves, L = lecture_neuron()
    w = show(L)
    w.finish()
    ours = [w.grads[v.label] for v in leaves]
    L.backward()
    assert ours == pytest.approx([v.grad for v in leaves], rel=1e-12)
    ops = {n["data"]["op"] for n in json.loads(w.graph)["nodes"] if n["type"] == "operator"}
    assert {"tanh", "exp", "**-1", "*", "+"} <= ops


def test_the_learners_objects_are_untouched_by_default():
    model, loss = micrograd_mlp_loss()
    params = model.parameters()
    before = [(p.data, p.grad) for p in params] + [(loss.data, loss.grad)]
    w = show(loss, model=model)
    w.finish()
    w.tune("w1.0.0", 0.25)
    w.reset()
    assert [(p.data, p.grad) for p in params] + [(loss.data, loss.grad)] == before


def test_write_grads_writes_the_widgets_numbers_into_the_learners_objects():
    model, loss = micrograd_mlp_loss()
    w = show(loss, model=model, write_grads=True)
    w.finish()
    written = [p.grad for p in model.parameters()]
    # The same seed builds the same model, untouched; its sets may iterate in another
    # order, so its sums may round apart in the last bit.
    fresh, fresh_loss = micrograd_mlp_loss()
    fresh_loss.backward()
    assert written == pytest.approx([p.grad for p in fresh.parameters()], rel=1e-12)
    w.reset()
    assert all(p.grad == 0.0 for p in model.parameters())


# actions: one message each way ----------------------------------------------------------

def test_a_step_sends_one_message_with_the_patches_and_the_state():
    w = show(LECTURE)
    sent = sent_messages(w)
    w.step()
    assert len(sent) == 1
    state = sent[0]["state"]
    assert set(state) == {"patch", "state"}
    output = w.session.ids[w.session.program.output]
    assert state["patch"]["cells"] == {output: {"g": "1.0", "gt": "1.0000", "done": True,
                                                "hl": "result"}}
    assert state["state"]["position"] == 1


def test_messages_from_the_widget_step_back_finish_and_reset():
    w = show(LECTURE)
    for action, position in [("step", 1), ("step", 2), ("back", 1), ("finish", 7), ("reset", 0)]:
        w._on_message(w, {"action": action}, [])
        assert w.state["position"] == position
    w._on_message(w, {"action": "no such thing"}, [])
    assert w.state["position"] == 0


def graph_cells(text):
    graph = json.loads(text)
    return {n["data"]["label"]: graph["cells"][n["id"]] for n in graph["nodes"]
            if n["type"] == "value" and n["data"]["label"]}


def test_a_view_drawn_after_some_steps_gets_the_graph_as_it_is_now():
    w = show(LECTURE)
    first = w.graph
    w._on_message(w, {"action": "ready"}, [])  # the first view: nothing to catch up
    assert w.graph == first
    w.finish()
    assert graph_cells(w.get_state()["graph"])["a"]["g"] == "6.0"  # a reloaded front end
    sent = sent_messages(w)
    w._on_message(w, {"action": "ready"}, [])  # the widget shown again
    w._on_message(w, {"action": "ready"}, [])
    assert len(sent) == 0  # get_state above had caught up already
    w.step()  # nothing: at the end
    w.back()
    sent.clear()
    w._on_message(w, {"action": "ready"}, [])
    assert len(sent) == 1 and set(sent[0]["state"]) == {"graph", "redraw"}
    assert sent[0]["state"]["redraw"] == "keep"
    assert unlit(json.loads(w.graph)["cells"]) == unlit(w._controller.session.whole_view()["cells"])


def unlit(cells):
    """Cells with no highlight part where it is empty: a patch clears one with hl=''."""
    trimmed = {node: {k: v for k, v in cell.items() if (k, v) != ("hl", "")}
               for node, cell in cells.items()}
    return {node: cell for node, cell in trimmed.items() if cell}


def test_typing_a_number_in_the_widget_tunes_the_input_and_patches_the_output():
    w = show(LECTURE)
    w.finish()
    sent = sent_messages(w)
    w._on_message(w, {"action": "input", "kind": "commit", "name": "a", "text": "3"}, [])
    assert len(sent) == 1
    assert value_cells(w)["L"]["v"] == "-2.0"  # (3*-3 + 10) * -2
    assert value_cells(w)["a"]["g"] == "6.0"  # grads stay live after Finish
    assert w.state["inputs"][0] == ["a", "3"]


def test_a_refused_number_is_a_message_and_changes_nothing():
    w = show(LECTURE)
    before = json.dumps(w._controller.view["cells"])
    w._on_message(w, {"action": "input", "kind": "commit", "name": "a", "text": "abc"}, [])
    assert w.state["message"] == "a: 'abc' is not a number; a stays 2"
    assert json.dumps(w._controller.view["cells"]) == before
    w.step()
    assert w.state["message"] == ""


def test_scrubbing_an_input_moves_it_on_its_grid():
    w = show(LECTURE)
    for message in [{"kind": "scrub-start"}, {"kind": "scrub", "amount": 10, "fine": False},
                    {"kind": "scrub-end"}]:
        w._on_message(w, {"action": "input", "name": "a", **message}, [])
    assert dict(w.session.inputs)["a"] == 2.1


def test_tune_from_python_and_its_errors():
    w = show(LECTURE)
    w.tune("a", 3)
    assert value_cells(w)["L"]["v"] == "-2.0"
    with pytest.raises(KeyError, match="no input named 'zz'; the inputs are a, b, c, f"):
        w.tune("zz", 1)
    with pytest.raises(ValueError, match="too large"):
        w.tune("a", math.inf)


def test_a_group_toggle_regroups_the_graph():
    w = show(MLP(2, [3, 1], seed=0).source([1.0, -2.0], target=1.0))
    name = w.session.tree.names[0]
    collapsed = w.session.groups[name]
    before = w.graph
    w._on_message(w, {"action": "group", "name": name}, [])
    assert w.redraw == "regroup" and w.graph != before
    assert w.session.groups[name] is not collapsed


# bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, message", [
    ([Value(1.0), Value(2.0)], r"one Value \(e\.g\. the loss\), not a list of 2 items"),
    (3.0, r"not float 3\.0"),
    (None, r"not NoneType None"),
])
def test_bad_input_is_a_type_error_naming_it(bad, message):
    with pytest.raises(TypeError, match=message):
        show(bad)


def test_a_torch_tensor_is_refused_by_name():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match=r"not a torch\.Tensor"):
        show(torch.tensor(1.0, requires_grad=True))


@pytest.mark.parametrize("text, message", [
    ("", "no expression in it"),
    ("# only a comment\n", "no expression in it"),
    ("L = a *", "could not read the text: line 1"),
])
def test_bad_text_is_a_value_error(text, message):
    with pytest.raises(ValueError, match=message):
        show(text)


def test_a_micrograd_op_we_cannot_map_is_a_value_error_naming_it():
    x = MicroValue(1.0)
    y = MicroValue(0.5, (x,), "sin")
    with pytest.raises(ValueError, match=r"cannot map micrograd op 'sin'"):
        show(y)
    z = MicroValue(0.5, (x, MicroValue(2.0)), "-")
    with pytest.raises(ValueError, match=r"op '-': its operands are kept in a set"):
        show(z)
    with pytest.raises(TypeError, match=r"needs numbers in \.data"):
        show(MicroValue("1") * 2)


def test_a_model_that_is_no_mlp_is_a_type_error():
    with pytest.raises(TypeError, match="model= takes an MLP, Layer or Neuron"):
        show(Value(1.0, "a") * 2, model=[1, 2])


# the example notebook -----------------------------------------------------------------

def test_the_example_notebook_runs_and_its_grads_equal_micrograds():

    path = Path(__file__).resolve().parents[1] / "examples" / "micrograd-lecture.ipynb"
    notebook = nbformat.read(path, as_version=4)
    namespace = {"__name__": "__main__"}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, str(path), "exec"), namespace)  # noqa: S102
    assert namespace["L"].data == -8.0
    assert namespace["neuron"].grads["x1"] == pytest.approx(-1.5)
    assert namespace["mlp"].grads["w1.0.0"] == namespace["first"].grad


# packaging ------------------------------------------------------------------------------

def test_importing_chainrule_needs_no_anywidget():
    import subprocess
    import sys

    code = "import sys, chainrule; assert 'anywidget' not in sys.modules and callable(chainrule.show)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unbuilt_widget_is_a_clear_error(monkeypatch, tmp_path):
    from chainrule.notebook import widget

    monkeypatch.setattr(widget, "ESM", tmp_path / "widget.js")
    with pytest.raises(RuntimeError, match="widget is not built .* run `make build`"):
        show(LECTURE)


def test_numbers_that_break_cross_as_strict_json():
    w = show("x = 0\nL = log(x) * 2")
    graph = wire.loads(w.graph)  # JSON.parse in the widget refuses NaN and Infinity
    assert graph_cells(w.graph)["L"]["v"] == "-inf"
    w.finish()
    assert graph_cells(wire.dumps(w._controller.view))["x"]["g"] == "inf"
    assert any(n["data"].get("value") == "-inf" for n in graph["nodes"])
