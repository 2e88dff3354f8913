"""Forward mode against PyTorch's forward-mode AD (torch.func.jvp, float64): every op at every
special value, random programs, and the output's tangent against its gradient."""

import math

import pytest
from test_engine_torch import (BINARY, CONST_EXPONENTS, PAIR_VALUES, SPECIAL, UNARY)
from torch_oracle import (same, torch_binary_jvp, torch_const_pow_jvp, torch_tangents,
                          torch_unary_jvp)

from chainrule import Value, parse, tangents

inf, nan = math.inf, math.nan
TANGENTS = [1.0, 0.0, -2.5, inf, nan]


def tangent_of(make, *xs_and_dots):
    n = len(xs_and_dots) // 2
    leaves = [Value(x) for x in xs_and_dots[:n]]
    out = make(*leaves)
    dots = {leaf: d for leaf, d in zip(leaves, xs_and_dots[n:])}
    ps = out.parents
    return out.data, out._op.tangent(out.data, *[p.data for p in ps], *[dots[p] for p in ps])


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_tangent_matches_torch_jvp(name):
    failures = []
    for x in SPECIAL:
        for dx in TANGENTS:
            value, dot = tangent_of(UNARY[name], x, dx)
            tv, tdot = torch_unary_jvp(name, x, dx)
            if not same(value, tv) or not same(dot, tdot):
                failures.append(f"{name}({x!r}) with ẋ={dx!r}: {value!r}, {dot!r}; "
                                f"torch {tv!r}, {tdot!r}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_tangent_matches_torch_jvp(name):
    failures = []
    for a in PAIR_VALUES:
        for b in PAIR_VALUES:
            for da, db in [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (-2.5, 0.5), (inf, 0.0),
                           (0.0, nan)]:
                value, dot = tangent_of(BINARY[name], a, b, da, db)
                tv, tdot = torch_binary_jvp(name, a, b, da, db)
                if not same(value, tv) or not same(dot, tdot):
                    failures.append(f"{a!r} {name} {b!r} with {da!r}, {db!r}: {dot!r}, "
                                    f"torch {tdot!r}")
    assert not failures, "\n".join(failures[:30])


def test_constant_exponent_tangent_matches_torch_jvp():
    failures = []
    for c in CONST_EXPONENTS:
        for x in SPECIAL:
            for dx in (1.0, -2.5, 0.0, inf):
                value, dot = tangent_of(lambda v: v ** c, x, dx)
                tv, tdot = torch_const_pow_jvp(x, c, dx)
                if not same(value, tv) or not same(dot, tdot):
                    failures.append(f"{x!r} ** {c!r} with ẋ={dx!r}: {dot!r}, torch {tdot!r}")
    assert not failures, "\n".join(failures[:30])


def test_kinks_match_torch_jvp_exactly():
    """At the kinks the one-sided choices must be torch's, not merely close."""
    cases = [("relu", 0.0), ("relu", -0.0), ("abs", 0.0), ("abs", -0.0), ("sqrt", 0.0),
             ("log", 0.0), ("abs", nan), ("relu", nan)]
    for name, x in cases:
        _, dot = tangent_of(UNARY[name], x, 1.0)
        _, tdot = torch_unary_jvp(name, x, 1.0)
        assert same(dot, tdot), (name, x, dot, tdot)
    for name in ("max", "min"):
        for a, b in [(1.0, 1.0), (0.0, -0.0), (nan, 1.0), (1.0, nan), (inf, inf)]:
            for da, db in [(1.0, 0.0), (0.0, 1.0), (3.0, 1.0)]:
                _, dot = tangent_of(BINARY[name], a, b, da, db)
                _, tdot = torch_binary_jvp(name, a, b, da, db)
                assert same(dot, tdot), (name, a, b, da, db, dot, tdot)


LECTURE = "a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f"
MIXED = "x = 0.7\nw = -1.5\nb = 2\nn = x*w + b\no = tanh(n)\np = o**2 / (1 + exp(-x))\n" \
        "q = p * x + max(o, x) - sqrt(abs(n)) ** x + log(sigmoid(w)) + sin(x) * cos(n)"


@pytest.mark.parametrize("source", [LECTURE, MIXED])
def test_every_node_tangent_matches_torch_for_each_input(source):
    prog = parse(source)
    root = prog.output
    for name, x in prog.inputs.items():
        ours = tangents(root, x)
        theirs = torch_tangents(root, x)
        for v in root.topological_order():
            assert same(ours[v], theirs[id(v)]), (name, v, ours[v], theirs[id(v)])


@pytest.mark.parametrize("source", [LECTURE, MIXED, "a = 1.5\nb = a * a\nc = exp(b) + a\n"
                                    "d = c / b - max(a, c)"])
def test_output_tangent_equals_its_grad_for_each_input(source):
    prog = parse(source)
    root = prog.output
    root.backward()
    for name, x in prog.inputs.items():
        assert tangents(root, x)[root] == pytest.approx(x.grad, rel=1e-12, abs=1e-15), name


def test_tangents_cover_every_node_and_seed_the_leaves():
    prog = parse(LECTURE)
    a, b = prog.inputs["a"], prog.inputs["b"]
    dots = tangents(prog.output, a)
    assert set(dots) == set(prog.output.topological_order())
    assert dots[a] == 1.0 and dots[b] == 0.0 and dots[prog.values["c"]] == 0.0
    assert dots[prog.values["e"]] == -3.0 and dots[prog.values["L"]] == 6.0
    assert a.grad == 0.0, "forward mode leaves the grads alone"


def test_tangent_of_a_leaf_output_and_an_unused_input():
    a = Value(2.0, label="a")
    assert tangents(a, a) == {a: 1.0}
    b = Value(3.0, label="b")
    assert tangents(a, b) == {a: 0.0}


def test_tangents_of_a_result_are_refused():
    prog = parse(LECTURE)
    with pytest.raises(ValueError, match="seeds a leaf"):
        tangents(prog.output, prog.values["e"])


def test_deep_chain_tangents():
    x = Value(1.0, label="x")
    v = x
    for _ in range(5_000):  # deeper than Python's default recursion limit
        v = v * 1.0 + 0.0
    assert tangents(v, x)[v] == 1.0
