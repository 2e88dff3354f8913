"""backward_steps: one lazy chain-rule contribution per next(), described for a learner."""

import math

import pytest

from chainrule import (Value, backward_steps, flow_graph, forward_step_count, forward_steps,
                       parse, step_count, tangent_steps)

LECTURE = "a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f"


def grads(root):
    return [v.grad for v in root.topological_order()]


def test_lecture_steps():
    prog = parse(LECTURE)
    root = prog.output
    assert step_count(root) == 7
    steps = list(backward_steps(root))
    assert len(steps) == 7
    assert [s.index for s in steps] == list(range(7))
    seed = steps[0]
    assert seed.kind == "seed" and seed.result is root and seed.operand is root
    assert seed.operand_index == -1 and seed.operator_id is None
    assert seed.after == 1.0 and seed.complete
    chain = steps[1:]
    assert all(s.kind == "chain" for s in chain)
    pairs = [(s.result.label, s.operand.label, s.operand_index) for s in chain]
    assert pairs == [("L", "d", 0), ("L", "f", 1), ("d", "e", 0), ("d", "c", 1),
                     ("e", "a", 0), ("e", "b", 1)]
    a_step = chain[4]
    assert a_step.local == -3.0 and a_step.upstream == -2.0 and a_step.contribution == 6.0
    assert a_step.before == 0.0 and a_step.after == 6.0
    assert a_step.formula == "∂L/∂a += ∂e/∂a · ∂L/∂e = b · ∂L/∂e"
    assert a_step.arithmetic == "-3 × -2 = 6"
    assert not a_step.accumulating and a_step.complete
    assert "b" in a_step.rule and "-3" in a_step.rule
    assert {name: v.grad for name, v in prog.values.items()} == \
        {"a": 6.0, "b": -4.0, "c": -2.0, "e": -2.0, "d": -2.0, "f": 4.0, "L": 1.0}


def test_ids_match_the_flow_graph():
    prog = parse("x = 0.5\nw = -1.5\nb = 2\nn = w*x + b\ny = tanh(n)\nL = y * y")
    root = prog.output
    g = flow_graph(root)
    nodes = {n["id"]: n for n in g["nodes"]}
    edge_ids = {e["id"] for e in g["edges"]}
    order = root.topological_order()
    index = {id(v): i for i, v in enumerate(order)}
    for s in backward_steps(root):
        assert s.result_id == f"v{index[id(s.result)]}"
        assert s.operand_id == f"v{index[id(s.operand)]}"
        assert nodes[s.result_id]["type"] == "value"
        if s.kind == "chain":
            assert s.operator_id == "op" + s.result_id[1:]
            assert nodes[s.operator_id]["type"] == "operator"
            edge = [e for e in g["edges"] if e["source"] == s.operand_id
                    and e["target"] == s.operator_id and e["data"]["operand"] == s.operand_index]
            assert len(edge) == 1
            if hasattr(s, "edge_ids"):
                assert set(s.edge_ids) <= edge_ids
        else:
            assert s.result_id == s.operand_id == f"v{len(order) - 1}"


def test_steps_are_in_reverse_topological_order():
    prog = parse("a = 1.5\nb = a * a\nc = exp(b) + a\nd = c / b - max(a, c)")
    order = prog.output.topological_order()
    index = {id(v): i for i, v in enumerate(order)}
    last = math.inf
    prev_k = -1
    for s in list(backward_steps(prog.output))[1:]:
        i = index[id(s.result)]
        assert i <= last
        if i == last:
            assert s.operand_index == prev_k + 1
        else:
            assert s.operand_index == 0
        last, prev_k = i, s.operand_index
        assert s.operand is s.result.parents[s.operand_index]


def test_step_arithmetic_is_consistent():
    prog = parse("a = 1.5\nb = -0.5\nc = tanh(a * b) + a ** 2 - sigmoid(b) / a + sqrt(a) * b")
    for s in backward_steps(prog.output):
        assert s.after == s.before + s.contribution
        if s.kind == "chain":
            assert s.upstream == s.result.grad
            assert s.contribution == pytest.approx(s.local * s.upstream, rel=1e-12)
            assert s.operand.grad == s.after


def test_laziness():
    prog = parse(LECTURE)
    root = prog.output
    root.backward()
    a = prog.values["a"]
    assert a.grad == 6.0
    gen = backward_steps(root)
    assert a.grad == 6.0, "creating the generator computes nothing"
    first = next(gen)
    assert first.kind == "seed"
    assert root.grad == 1.0
    assert all(v.grad == 0.0 for v in root.topological_order() if v is not root), \
        "grads start from zero when the generator starts"
    taken = [first]
    for k in range(2, 8):
        taken.append(next(gen))
        # exactly k contributions applied: each node's grad is the sum of what was yielded
        expected = {}
        for s in taken:
            expected[id(s.operand)] = expected.get(id(s.operand), 0.0) + s.contribution
        for v in root.topological_order():
            assert v.grad == expected.get(id(v), 0.0)
    with pytest.raises(StopIteration):
        next(gen)


def test_laziness_after_two_steps_leaves_the_rest_untouched():
    prog = parse(LECTURE)
    gen = backward_steps(prog.output)
    next(gen)
    next(gen)
    v = prog.values
    assert v["d"].grad == -2.0
    assert v["f"].grad == 0.0 and v["a"].grad == 0.0 and v["e"].grad == 0.0


def test_accumulation_is_flagged():
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b * b
    c.label = "c"
    steps = list(backward_steps(c))
    assert step_count(c) == len(steps) == 5
    flags = [(s.operand.label, s.accumulating, s.complete) for s in steps[1:]]
    assert flags == [("b", False, False), ("b", True, True), ("a", False, False),
                     ("a", True, True)]
    second = steps[2]
    assert second.before == 6.0 and second.after == 12.0
    assert "+=" in second.arithmetic
    assert "6 + 6 = 12" in second.arithmetic
    assert "+=" not in steps[1].arithmetic
    assert a.grad == 24.0


def test_complete_means_final():
    prog = parse("a = 0.3\nb = a * a\nc = exp(a) + b\nd = c * a + max(b, c) - a / c")
    root = prog.output
    root.backward()
    final = {id(v): v.grad for v in root.topological_order()}
    seen_complete = set()
    for s in backward_steps(root):
        assert id(s.operand) not in seen_complete, "no contribution after complete"
        if s.complete:
            seen_complete.add(id(s.operand))
            assert s.operand.grad == final[id(s.operand)]
    assert seen_complete == {id(v) for v in root.topological_order()}


def test_formulas_name_the_nodes():
    prog = parse("x = 2\nw = 3\nn = w*x\ny = tanh(n)\nL = y ** 2")
    for s in list(backward_steps(prog.output))[1:]:
        r, o = s.result.label, s.operand.label
        local = "(y**2)" if r == "L" else r  # the output's own op is named by its operation
        assert s.formula.startswith(f"∂L/∂{o} += ∂{local}/∂{o} · ∂L/∂{r} = ")
        assert s.formula.endswith(f" · ∂L/∂{r}")
        assert s.rule.startswith(f"∂{local}/∂{o}")
    steps = list(backward_steps(prog.output))
    tanh_step = next(s for s in steps if s.result.label == "y")
    assert "tanh" in tanh_step.formula


@pytest.mark.parametrize("source", [
    "a = 2\nb = -3\ny = a*b + exp(a) - b/a",
    "x = 0\ny = relu(x) + abs(x) + sqrt(x)",
    "x = 4\ny = x ** 0.5 + pow(x, x) + max(x, 4) + min(x, 4)",
    "x = 1.5\ny = sin(x) * cos(x) / log(x) - sigmoid(-x)",
])
def test_stepping_to_the_end_equals_backward(source):
    prog = parse(source)
    root = prog.output
    root.backward()
    expected = grads(root)
    for v in root.topological_order():
        v.grad = 123.0
    for _ in backward_steps(root):
        pass
    assert grads(root) == expected


def test_step_count_matches_and_a_leaf_has_only_the_seed():
    a = Value(1.0, label="a")
    assert step_count(a) == 1
    steps = list(backward_steps(a))
    assert len(steps) == 1 and steps[0].kind == "seed" and a.grad == 1.0
    prog = parse("y = " + " + ".join(f"x{i} * x{i}" for i in range(30)))
    assert step_count(prog.output) == len(list(backward_steps(prog.output))) == 1 + 2 * 59


def test_steps_are_immutable():
    step = next(backward_steps(Value(1.0) * 2))
    with pytest.raises(AttributeError):
        step.local = 5.0


def test_nonfinite_numbers_format():
    prog = parse("x = 0\ny = log(x) * x")
    for s in backward_steps(prog.output):
        assert isinstance(s.formula, str) and isinstance(s.arithmetic, str)
    steps = list(backward_steps(prog.output))
    assert any("inf" in s.arithmetic or "nan" in s.arithmetic for s in steps)


def test_deep_chain_steps():
    x = Value(1.0, label="x")
    v = x
    for _ in range(5_000):  # five times deeper than Python's default recursion limit
        v = v * 1.0
    assert step_count(v) == 1 + 2 * 5_000
    gen = backward_steps(v)
    for _ in range(3):
        next(gen)  # cheap: only the topological order is computed up front
    for _ in gen:
        pass
    assert x.grad == 1.0


def test_stepping_a_long_parsed_sum():
    """A program the language accepts (1,500 terms, well under the node limit) can be
    stepped: describing an unnamed deep node must not recurse once per level."""
    prog = parse("y = " + " + ".join(["a"] * 1_500))
    root = prog.output
    assert step_count(root) == 1 + 2 * 1_499
    n = 0
    for step in backward_steps(root):
        n += 1
        assert step.formula
    assert n == step_count(root)
    assert prog.inputs["a"].grad == 1500.0


# -- the forward pass and forward mode, stepped ---------------------------------------------

def test_forward_steps_compute_one_operator_each_in_topological_order():
    prog = parse(LECTURE)
    root = prog.output
    v = prog.values
    assert forward_step_count(root) == 3
    for name in ("e", "d", "L"):
        v[name].data = 0.0
    gen = forward_steps(root)
    assert v["e"].data == 0.0, "creating the generator computes nothing"
    first = next(gen)
    assert first.result is v["e"] and first.value == -6.0 and v["e"].data == -6.0
    assert v["d"].data == 0.0, "one operator per step"
    assert first.formula == "e = a·b"
    assert first.arithmetic == "2 × -3 = -6"
    assert first.operand_ids == ("v0", "v1") and first.result_id == "v2"
    assert first.operator_id == "op2" and first.edge_ids == ("e0-2.0", "e1-2.1", "e2")
    rest = list(gen)
    assert [s.result.label for s in rest] == ["d", "L"] and [s.index for s in rest] == [1, 2]
    assert rest[0].arithmetic == "-6 + 10 = 4" and rest[1].arithmetic == "4 × -2 = -8"
    assert root.data == -8.0


def test_forward_step_texts_read_as_the_issue_writes_them():
    prog = parse("n = 0.8814\no = tanh(n)\nq = o - -2\nr = (-2) ** o\nt = o ** 2\n"
                 "u = t + x*n + q + r")
    texts = {s.result.label or s.formula: s for s in forward_steps(prog.output)}
    assert texts["o"].formula == "o = tanh(n)"
    assert texts["o"].arithmetic == "tanh(0.8814) = 0.7071"
    assert texts["q"].arithmetic == "0.7071 - (-2) = 2.707"
    assert texts["r"].formula == "r = (-2)**o" and texts["r"].arithmetic.startswith("(-2)**0.7071")
    assert texts["t"].formula == "t = o**2"
    assert texts["x·n"].arithmetic == "1 × 0.8814 = 0.8814", "an unnamed result is its recipe"


def test_tangent_steps_apply_the_tangent_rule():
    prog = parse(LECTURE)
    root = prog.output
    a = prog.inputs["a"]
    dots = {}
    steps = list(tangent_steps(root, a, dots=dots))
    assert [s.result.label for s in steps] == ["e", "d", "L"]
    e = steps[0]
    assert e.formula == "ė = ȧ·b + ḃ·a"
    assert e.arithmetic == "1 × -3 + 0 × 2 = -3"
    assert e.tangent == -3.0 and e.operand_tangents == (1.0, 0.0)
    assert steps[1].formula == "ḋ = ė + ċ" and steps[1].arithmetic == "-3 + 0 = -3"
    assert steps[2].tangent == dots[root] == 6.0
    root.backward()
    assert dots[root] == a.grad


def test_tangent_steps_are_lazy_and_seed_the_leaves():
    prog = parse(LECTURE)
    dots = {"stale": 1}
    gen = tangent_steps(prog.output, prog.inputs["b"], dots=dots)
    assert dots == {"stale": 1}
    next(gen)
    v = prog.values
    assert dots[v["b"]] == 1.0 and dots[v["a"]] == 0.0 and dots[v["e"]] == 2.0
    assert v["d"] not in dots and "stale" not in dots


def test_a_constant_has_tangent_zero_in_the_rule():
    prog = parse("x = 2\np = 1 + exp(-x)")
    steps = list(tangent_steps(prog.output, prog.inputs["x"]))
    assert steps[-1].formula == "ṗ = 0 + (exp(-x))˙"
    assert steps[0].formula == "(-x)˙ = -ẋ" and steps[0].arithmetic == "-1 = -1"


def test_tangent_rules_of_kinks_name_the_choice():
    prog = parse("a = 2\nb = 3\nm = max(a, b)\nr = relu(m)")
    steps = list(tangent_steps(prog.output, prog.inputs["b"]))
    assert steps[0].formula == "ṁ = ȧ·0 + ḃ·1" and steps[0].tangent == 1.0
    assert steps[1].formula == "ṙ = ṁ·1"


# -- the notation of the backward explanations --------------------------------------------

ISSUE_PROGRAM = "x = 2\nw = -3\nb = 1\nn = x*w + b\no = tanh(n)\np = o**2 / (1 + exp(-x))"


def test_a_compound_operand_is_wrapped_in_parentheses():
    steps = list(backward_steps(parse(ISSUE_PROGRAM).output))
    xw = next(s for s in steps if s.result.label == "n" and s.operand_index == 0)
    assert xw.formula.startswith("∂p/∂(x·w) += ∂n/∂(x·w) · ∂p/∂n")
    into_x = next(s for s in steps if s.operand.label == "x" and s.result.op == "*")
    assert "∂(x·w)/∂x" in into_x.formula and "∂p/∂(x·w)" in into_x.formula


def test_powers_read_as_the_language_writes_them():
    steps = list(backward_steps(parse(ISSUE_PROGRAM).output))
    square = next(s for s in steps if s.result.op == "**2")
    assert square.rule.startswith("∂(o**2)/∂o = 2·o = 2·(-1) = -2") or \
        square.rule.startswith("∂(o**2)/∂o = 2·o = 2·")
    assert "^" not in square.rule and "o^1" not in square.formula
    tanh = next(s for s in steps if s.result.op == "tanh")
    assert "1 - tanh(n)**2" in tanh.rule and "²" not in tanh.rule
    cube = list(backward_steps(parse("x = 2\ny = x ** 3 / x ** 1").output))
    texts = " ".join(s.rule for s in cube)
    assert "3·x**2" in texts and "∂(x**1)/∂x = 1" in texts


def test_the_output_local_derivative_is_named_by_its_operation():
    steps = list(backward_steps(parse("x = 1\ny = 2\nL = x / y").output))
    assert steps[1].formula == "∂L/∂x += ∂(x/y)/∂x · ∂L/∂L = 1/y · ∂L/∂L"
    assert steps[1].rule.startswith("∂(x/y)/∂x = 1/y = 1/2 = 0.5")
    assert steps[2].formula.startswith("∂L/∂y += ∂(x/y)/∂y · ∂L/∂L")


def test_each_step_shows_the_micrograd_line_that_runs():
    steps = list(backward_steps(parse("x = 1\ny = 2\nL = x / y").output))
    assert steps[0].code == "L.grad = 1.0"
    assert steps[1].code == "x.grad += (1 / y.data) * L.grad   # 0.0 + 0.5 × 1.0 = 0.5"
    reused = list(backward_steps(parse("a = 3\nb = a * a").output))
    assert reused[1].code == "a.grad += a.data * b.grad   # 0.0 + 3.0 × 1.0 = 3.0"
    assert reused[2].code == "a.grad += a.data * b.grad   # 3.0 + 3.0 × 1.0 = 6.0", \
        "a reused node's running total shows the += at work"
    issue = list(backward_steps(parse(ISSUE_PROGRAM).output))
    codes = [s.code for s in issue]
    assert "n.grad += (1 - o.data**2) * o.grad" in " ".join(codes)
    assert any(c.startswith("o.grad += (2.0 * o.data) * out.grad") for c in codes)


def test_steps_into_constants_are_marked():
    steps = list(backward_steps(parse(ISSUE_PROGRAM).output))
    into_constants = [s for s in steps if s.into_constant]
    assert [s.operand.data for s in into_constants] == [1.0]
    assert not any(s.into_constant for s in steps if s.operand.label)
