"""Hypothesis: random programs against torch, random text against the parser, the stepper
against backward(), and the stability of graph ids.

Programs are generated as trees here, rendered to text for `parse`, and evaluated by torch
straight from the same trees, so the oracle never goes through our parser or engine.
"""

import json
import math
import os
import random
import struct

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from torch_oracle import F64, same, torch, torch_tangents

from chainrule import (ExprError, Value, backward_steps, flow_graph, forward_step_count,
                       forward_steps, parse, step_count, tangent_steps, tangents)

# CHAINRULE_EXAMPLES=5000 for a long hunt; the default keeps the suite quick.
EXAMPLES = int(os.environ.get("CHAINRULE_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

UNARY_FNS = {
    "exp": torch.exp, "log": torch.log, "tanh": torch.tanh, "relu": torch.relu,
    "sigmoid": torch.sigmoid, "sqrt": torch.sqrt, "sin": torch.sin, "cos": torch.cos,
    "abs": torch.abs,
}
BINARY_FNS = {"max": torch.maximum, "min": torch.minimum, "pow": torch.pow}
BINARY_OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
              "/": lambda a, b: a / b, "**": torch.pow}
CONST_EXPONENTS = [0.0, 1.0, 2.0, 3.0, -1.0, -2.0, 0.5, -0.5, 1.5, 2.5, 0.25, 4.0]
INPUT_NAMES = ["a", "b", "c", "x", "y"]

numbers = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, 3.0, -3.0, 10.0]),
    st.floats(min_value=-4.0, max_value=4.0, allow_nan=False, allow_infinity=False),
)


KINDS = ["neg", "fn", "fn", "fn", "bin", "bin", "bin", "bin", "fn2", "fn2", "cpow"]


@st.composite
def trees(draw, names, depth):
    """An expression tree of at most `depth` levels of operations, mostly names at leaves."""
    if depth == 0 or draw(st.integers(0, 5)) == 0:
        if draw(st.integers(0, 3)) == 0:
            return ("num", draw(numbers))
        return ("name", draw(st.sampled_from(names)))
    kind = draw(st.sampled_from(KINDS))
    sub = trees(names, depth - 1)
    if kind == "neg":
        return ("neg", draw(sub))
    if kind == "fn":
        return ("fn", draw(st.sampled_from(sorted(UNARY_FNS))), draw(sub))
    if kind == "bin":
        return ("bin", draw(st.sampled_from(sorted(BINARY_OPS))), draw(sub), draw(sub))
    if kind == "fn2":
        return ("fn2", draw(st.sampled_from(sorted(BINARY_FNS))), draw(sub), draw(sub))
    return ("cpow", draw(sub), draw(st.sampled_from(CONST_EXPONENTS)))


TEMP_NAMES = ["t0", "t1", "t2"]
EXPRESSIONS = trees(INPUT_NAMES + TEMP_NAMES, 4)


def only_defined(t, defined):
    """Replace references to temporaries not yet assigned by an input name."""
    if t[0] == "name":
        return ("name", "a") if t[1] in TEMP_NAMES and t[1] not in defined else t
    return tuple(only_defined(c, defined) if isinstance(c, tuple) else c for c in t)


@st.composite
def programs(draw):
    """[(name | None, tree)], some names bound to literals, the last statement the output.
    Input names that are never bound are used-but-never-assigned inputs at 1.0."""
    statements = []
    bound = draw(st.lists(st.sampled_from(INPUT_NAMES), unique=True, max_size=4))
    for name in bound:
        statements.append((name, ("num", draw(numbers))))
    defined = []
    for i in range(draw(st.integers(0, 3))):
        statements.append((f"t{i}", only_defined(draw(EXPRESSIONS), defined)))
        defined.append(f"t{i}")
    last = only_defined(draw(EXPRESSIONS), defined)
    statements.append((draw(st.sampled_from(["L", None])), last))
    return statements


def literal(t):
    """The number of a (possibly negated) literal tree, else None: `a = -(2)` is an input."""
    sign = 1.0
    while t[0] == "neg":
        sign, t = -sign, t[1]
    return sign * t[1] if t[0] == "num" else None


def fmt_number(x):
    return f"({x!r})" if math.copysign(1.0, x) < 0 else repr(x)


def render_tree(t):
    kind = t[0]
    if kind == "name":
        return t[1]
    if kind == "num":
        return fmt_number(t[1])
    if kind == "neg":
        return f"(-{render_tree(t[1])})"
    if kind == "fn":
        return f"{t[1]}({render_tree(t[2])})"
    if kind == "bin":
        return f"({render_tree(t[2])} {t[1]} {render_tree(t[3])})"
    if kind == "fn2":
        return f"{t[1]}({render_tree(t[2])}, {render_tree(t[3])})"
    if kind == "cpow":
        return f"({render_tree(t[1])} ** {fmt_number(t[2])})"
    raise AssertionError(kind)


def render(statements):
    lines = []
    for name, tree in statements:
        text = render_tree(tree)
        if tree[0] == "num":
            text = repr(tree[1])  # `a = -1.5` binds an input
        lines.append(f"{name} = {text}" if name else text)
    return "\n".join(lines)


def torch_eval(statements, jitter=None):
    """Evaluate with torch; return (output tensor, {input name: leaf tensor}).

    With `jitter` (a random.Random), every operation's result is multiplied by 1 + δ,
    |δ| <= 1e-13 (a few hundred ulps), to measure how much the program amplifies rounding.
    """
    env, inputs = {}, {}

    def ev(t):
        r = ev_exact(t)
        if jitter is not None and t[0] not in ("name", "num"):
            r = r * (1.0 + jitter.uniform(-1e-13, 1e-13))
        return r

    def ev_exact(t):
        kind = t[0]
        if kind == "name":
            n = t[1]
            if n not in env:  # used but never assigned: an input at 1.0
                env[n] = inputs[n] = torch.tensor(1.0, dtype=F64, requires_grad=True)
            return env[n]
        if kind == "num":
            return torch.tensor(t[1], dtype=F64)
        if kind == "neg":
            return -ev(t[1])
        if kind == "fn":
            return UNARY_FNS[t[1]](ev(t[2]))
        if kind == "bin":
            if t[1] == "**" and literal(t[3]) is not None:
                # `x ** 0.5` in the text is a constant exponent, as for Python floats in torch
                return ev(t[2]) ** literal(t[3])
            return BINARY_OPS[t[1]](ev(t[2]), ev(t[3]))
        if kind == "fn2":
            if t[1] == "pow" and literal(t[3]) is not None:
                return ev(t[2]) ** literal(t[3])
            return BINARY_FNS[t[1]](ev(t[2]), ev(t[3]))
        if kind == "cpow":
            return ev(t[1]) ** t[2]
        raise AssertionError(kind)

    out = None
    for name, tree in statements:
        if name is not None and literal(tree) is not None:
            out = env[name] = inputs[name] = torch.tensor(literal(tree), dtype=F64,
                                                          requires_grad=True)
        else:
            out = ev(tree)
            if name is not None:
                env[name] = out
    if out.requires_grad:
        if out.grad_fn is None:
            out.grad = torch.tensor(1.0, dtype=F64)  # the output is itself an input
        else:
            out.backward()
    return out, inputs


def results(out, inputs):
    return [out.item()] + [0.0 if t.grad is None else t.grad.item() for t in inputs.values()]


def ill_conditioned(statements, exact):
    """True if rounding-sized changes inside the program move its value or gradients by more
    than 1e-8 relative: there, torch and the engine may legitimately disagree in more than
    the last bits, because they round a few functions differently (see `chaotic`)."""
    for seed in (1, 2):
        jittered = results(*torch_eval(statements, random.Random(seed)))
        if not all(same(a, b, rel=1e-8, abs_tol=1e-11) for a, b in zip(exact, jittered)):
            return True
    return False


def chaotic(root):
    """True if a last-bit difference between torch and us could flip a result wholesale.

    torch and the engine may round transcendental functions, and x**3 or x**-2, differently
    in the last bit (torch computes x**3 as x*x*x, x**-2 as 1/(x*x)). That is harmless except
    where it decides a discontinuity: a negative or zero base raised to a computed exponent
    is NaN, ±inf or finite depending on whether the exponent is exactly an (odd) integer.
    """
    for v in root.topological_order():
        if v.op == "**":
            base, exponent = v.parents
            if base.data <= 0 and not exponent.is_leaf:
                return True
    return False


def bits(x):
    return struct.pack("<d", x)


@SETTINGS
@given(programs())
def test_random_programs_match_torch(statements):
    source = render(statements)
    prog = parse(source)
    prog.output.backward()
    assume(not chaotic(prog.output))
    tout, tinputs = torch_eval(statements)
    assume(not ill_conditioned(statements, results(tout, tinputs)))
    assert same(prog.output.data, tout.item()), source
    assert set(prog.inputs) == set(tinputs), source
    for name, t in tinputs.items():
        tg = 0.0 if t.grad is None else t.grad.item()
        ours = prog.inputs[name].grad
        assert same(ours, tg, abs_tol=1e-9), f"{source}\n d/d{name}: ours {ours!r}, torch {tg!r}"


@SETTINGS
@given(programs())
def test_stepping_to_the_end_equals_backward(statements):
    prog = parse(render(statements))
    root = prog.output
    order = root.topological_order()
    root.backward()
    expected = [bits(v.grad) for v in order]
    for v in order:
        v.grad = 42.0
    n = 0
    for step in backward_steps(root):
        assert step.index == n
        n += 1
        assert bits(step.after) == bits(step.operand.grad)
        assert isinstance(step.formula, str) and isinstance(step.arithmetic, str)
    assert n == step_count(root)
    assert [bits(v.grad) for v in order] == expected


def skeleton(graph):
    nodes = [(n["id"], n["type"], n["data"].get("label"), n["data"].get("role"))
             for n in graph["nodes"]]
    edges = [(e["id"], e["source"], e["target"], e.get("targetHandle")) for e in graph["edges"]]
    return nodes, edges


@SETTINGS
@given(programs())
def test_same_source_same_graph(statements):
    source = render(statements)
    g1 = flow_graph(parse(source).output)
    g2 = flow_graph(parse(source).output)
    assert json.dumps(g1, sort_keys=True) == json.dumps(g2, sort_keys=True)


def renumber(t, numbers_iter):
    kind = t[0]
    if kind == "num":
        return ("num", next(numbers_iter))
    if kind == "name":
        return t
    if kind == "cpow":
        return ("cpow", renumber(t[1], numbers_iter), next(numbers_iter))
    return t[:1 + (kind in ("fn", "bin", "fn2"))] + tuple(
        renumber(c, numbers_iter) for c in t[1 + (kind in ("fn", "bin", "fn2")):])


@SETTINGS
@given(programs(), st.randoms(use_true_random=False))
def test_changing_only_numbers_keeps_ids(statements, rnd):
    def fresh():
        while True:
            yield rnd.choice([0.0, 1.0, -1.0, 2.0, 0.25, -7.5, 1e10, 3.0, -0.5])

    numbers_iter = fresh()
    changed = [(name, renumber(tree, numbers_iter)) for name, tree in statements]
    g1 = flow_graph(parse(render(statements)).output)
    g2 = flow_graph(parse(render(changed)).output)
    assert skeleton(g1) == skeleton(g2)


# -- random text never raises anything but ExprError ------------------------------------

def parse_safely(text):
    try:
        prog = parse(text)
    except ExprError as err:
        assert isinstance(err.message, str) and err.message
        assert isinstance(err.line, int) and isinstance(err.col, int)
        assert err.line >= 1 and err.col >= 1
        return None
    assert isinstance(prog.output, Value)
    for name, v in prog.values.items():
        assert isinstance(name, str) and isinstance(v, Value)
    return prog


@settings(max_examples=max(200, EXAMPLES), deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_raises_expr_error(text):
    parse_safely(text)


TOKENS = [
    "a", "b", "x", "L", "exp", "log", "tanh", "relu", "sigmoid", "sqrt", "sin", "cos", "abs",
    "max", "min", "pow", "foo", "__import__", "lambda", "import", "os", "def", "yield", "not",
    "and", "if", "else", "for", "in", "True", "None", "0", "1", "2.5", "-3", "1e999", "1e308",
    "9" * 30, "0x1F", "1j", "...", "+", "-", "*", "/", "**", "//", "%", "@", "=", "==", ":=",
    "+=", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "#", "'", '"', "\\", "\n", "\t",
    " ", "  ", "\r\n", "\x0c", "é", "∂", "\u2028", "\x00", "9**9**9", "*a", "**a", "f'",
]


@settings(max_examples=max(200, EXAMPLES), deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=60))
def test_token_soup_parses_or_raises_expr_error(tokens):
    parse_safely("".join(tokens))


@settings(max_examples=EXAMPLES, deadline=None)
@given(programs(), st.data())
def test_mutated_programs_parse_or_raise_expr_error(statements, data):
    """Well-formed programs with one random edit: near-misses exercise the error paths."""
    source = render(statements)
    pos = data.draw(st.integers(0, len(source)))
    edit = data.draw(st.sampled_from(TOKENS + ["", "(", ")", "\n", "a ="]))
    cut = data.draw(st.integers(0, 3))
    parse_safely(source[:pos] + edit + source[pos + cut:])


def local_check(root):
    """Check every node of our graph against torch's op *at our own operand values*: the
    forward value, and each operand's grad as the sum, over its uses, of torch's backward
    for our upstream grad. No rounding is amplified, so this holds for every program."""
    order = root.topological_order()
    contributions = {id(v): [] for v in order}
    contributions[id(root)].append(1.0)
    problems = []
    for v in order:
        if v.is_leaf:
            continue
        ts = [torch.tensor(p.data, dtype=F64, requires_grad=True) for p in v.parents]
        if v.op.startswith("**") and v.op != "**":
            y = ts[0] ** float(v.op[2:])
        elif len(ts) == 1:
            y = TORCH_UNARY_BY_SYMBOL[v.op](ts[0])
        else:
            y = BINARY_BY_SYMBOL[v.op](*ts)
        if not same(v.data, y.item()):
            problems.append(f"{v.op}{tuple(p.data for p in v.parents)} = {v.data!r}, "
                            f"torch {y.item()!r}")
        y.backward(torch.tensor(v.grad, dtype=F64))
        for p, t in zip(v.parents, ts):
            contributions[id(p)].append(0.0 if t.grad is None else t.grad.item())
    for v in order:
        cs = contributions[id(v)]
        total = 0.0
        for c in cs:
            total += c
        scale = sum(abs(c) for c in cs if math.isfinite(c))
        if not same(v.grad, total, abs_tol=1e-12 * scale + 1e-300):
            problems.append(f"grad of {v.label or v.op or v.data}: ours {v.grad!r}, "
                            f"torch's local formulas give {total!r} from {cs}")
    return problems


TORCH_UNARY_BY_SYMBOL = {"neg": lambda t: -t, "=": lambda t: t.clone(), **UNARY_FNS}
BINARY_BY_SYMBOL = {**BINARY_OPS, "max": torch.maximum, "min": torch.minimum}


@SETTINGS
@given(programs())
def test_every_node_agrees_with_torch_locally(statements):
    source = render(statements)
    prog = parse(source)
    prog.output.backward()
    problems = local_check(prog.output)
    assert not problems, source + "\n" + "\n".join(problems)


@SETTINGS
@given(programs())
def test_random_programs_tangents_match_torch_forward_mode(statements):
    """Every node's tangent, for each input, against torch.func.jvp on the same graph."""
    source = render(statements)
    prog = parse(source)
    root = prog.output
    assume(not chaotic(root))
    assume(not ill_conditioned(statements, results(*torch_eval(statements))))
    for name, x in prog.inputs.items():
        ours = tangents(root, x)
        theirs = torch_tangents(root, x)
        for v in root.topological_order():
            assert same(ours[v], theirs[id(v)], rel=1e-9, abs_tol=1e-9), \
                f"{source}\n d{v.label or v.op}/d{name}: ours {ours[v]!r}, torch {theirs[id(v)]!r}"


@SETTINGS
@given(programs())
def test_output_tangent_equals_grad_for_each_input(statements):
    source = render(statements)
    prog = parse(source)
    root = prog.output
    # Where a value is nan the two modes of PyTorch itself part: max(1, nan) gives its
    # first operand gradient 1 backward and tangent 0 forward. Ours follow each of them.
    assume(all(math.isfinite(v.data) for v in root.topological_order()))
    root.backward()
    for name, x in prog.inputs.items():
        dot = tangents(root, x)[root]
        # The two modes add the same products in different orders: equal up to rounding,
        # which cancellation can amplify, so compare against the terms' size.
        assert same(dot, x.grad, rel=1e-9, abs_tol=1e-9 * (1 + abs(x.grad))) or \
            not math.isfinite(dot) or not math.isfinite(x.grad), \
            f"{source}\n d/d{name}: tangent {dot!r}, grad {x.grad!r}"


@SETTINGS
@given(programs())
def test_forward_and_tangent_steps_to_the_end_equal_the_sweeps(statements):
    prog = parse(render(statements))
    root = prog.output
    order = root.topological_order()
    expected = [bits(v.data) for v in order]
    results_ = [v for v in order if v.parents]
    for v in results_:
        v.data = 42.0
    steps = list(forward_steps(root))
    assert len(steps) == forward_step_count(root)
    assert [s.result for s in steps] == results_, "one step per operator, operands first"
    assert [bits(v.data) for v in order] == expected
    for step in steps:
        assert isinstance(step.formula, str) and isinstance(step.arithmetic, str)
    for name, x in prog.inputs.items():
        dots = {}
        sweep = list(tangent_steps(root, x, dots=dots))
        assert [s.result for s in sweep] == results_
        whole = tangents(root, x)
        assert {v: bits(d) for v, d in dots.items()} == {v: bits(d) for v, d in whole.items()}
        for step in sweep:
            assert bits(step.tangent) == bits(whole[step.result])
            assert isinstance(step.formula, str) and isinstance(step.arithmetic, str)
