"""The engine against PyTorch float64: every op, every kink and domain edge, values and grads."""

import math

import pytest

from micrograd_examples import readme_example
from torch_oracle import (
    same, tensor, torch, torch_binary, torch_const_pow, torch_rpow, torch_unary,
    torch_backward,
)

from chainrule import Value, maximum, minimum

inf, nan = math.inf, math.nan

# Inputs that exercise every branch: zeros of both signs, kinks, domain edges, overflow
# thresholds of exp (709.78) and of sigmoid's internal exp, huge, tiny, infinite, NaN.
SPECIAL = [
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.7, -3.7, 0.123, 1e-300, -1e-300, 5e-324,
    20.0, -20.0, 40.0, -40.0, 400.0, -400.0, 709.0, 710.0, -710.0, -745.5, 1e300, -1e300,
    inf, -inf, nan,
]
UPSTREAMS = [1.0, -2.5, 0.0, inf, -inf, nan]

UNARY = {
    "neg": lambda v: -v,
    "exp": Value.exp,
    "log": Value.log,
    "tanh": Value.tanh,
    "relu": Value.relu,
    "sigmoid": Value.sigmoid,
    "sqrt": Value.sqrt,
    "sin": Value.sin,
    "cos": Value.cos,
    "abs": Value.abs,
}

BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a ** b,
    "max": lambda a, b: a.maximum(b),
    "min": lambda a, b: a.minimum(b),
}

PAIR_VALUES = [0.0, -0.0, 1.0, -1.0, 2.0, -3.0, 0.5, -0.5, 3.0, 1e300, -1e300, inf, -inf, nan]

CONST_EXPONENTS = [0.0, 1.0, 2.0, 3.0, -1.0, -2.0, -3.0, 0.5, -0.5, 1.5, 2.5, 1e-3, 100.0,
                   -100.0, inf, -inf, nan]


def fmt(*xs):
    return ", ".join(repr(x) for x in xs)


# -- unary ops ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_value_and_grad_match_torch(name):
    failures = []
    for x in SPECIAL:
        v = Value(x)
        y = UNARY[name](v)
        y.backward()
        tv, tg = torch_unary(name, x)
        if not same(y.data, tv):
            failures.append(f"{name}({x!r}) = {y.data!r}, torch {tv!r}")
        if not same(v.grad, tg):
            failures.append(f"d{name}({x!r}) = {v.grad!r}, torch {tg!r}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_grad_with_any_upstream_matches_torch(name):
    """local_grads(upstream) and backward through `f(x) * u` both equal torch's backward(u):
    this is where masking matters (a zero local derivative against an infinite upstream)."""
    failures = []
    for x in SPECIAL:
        for u in UPSTREAMS:
            _, tg = torch_unary(name, x, u)
            v = Value(x)
            y = UNARY[name](v)
            (local,) = y.local_grads(u)
            if not same(local, tg):
                failures.append(f"{name} at {x!r}, upstream {u!r}: local_grads {local!r}, "
                                f"torch {tg!r}")
            z = y * u
            z.backward()
            assert y.grad == u or (math.isnan(u) and math.isnan(y.grad))
            if not same(v.grad, tg):
                failures.append(f"{name} at {x!r}, upstream {u!r}: backward {v.grad!r}, "
                                f"torch {tg!r}")
    assert not failures, "\n".join(failures)


# -- binary ops ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_value_and_grads_match_torch(name):
    failures = []
    for a in PAIR_VALUES:
        for b in PAIR_VALUES:
            va, vb = Value(a), Value(b)
            y = BINARY[name](va, vb)
            assert y.parents == (va, vb)
            y.backward()
            tv, ta, tb = torch_binary(name, a, b)
            if not same(y.data, tv):
                failures.append(f"{name}({fmt(a, b)}) = {y.data!r}, torch {tv!r}")
            if not (same(va.grad, ta) and same(vb.grad, tb)):
                failures.append(f"grads of {name}({fmt(a, b)}) = ({va.grad!r}, {vb.grad!r}), "
                                f"torch ({ta!r}, {tb!r})")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_grads_with_any_upstream_match_torch(name):
    failures = []
    for a in [0.0, -0.0, 1.0, -2.0, 0.5, inf, -inf, nan]:
        for b in [0.0, 1.0, -1.0, 2.0, 0.5, -0.5, inf, nan]:
            for u in UPSTREAMS:
                y = BINARY[name](Value(a), Value(b))
                ga, gb = y.local_grads(u)
                _, ta, tb = torch_binary(name, a, b, u)
                if not (same(ga, ta) and same(gb, tb)):
                    failures.append(f"{name}({fmt(a, b)}) upstream {u!r}: ({ga!r}, {gb!r}), "
                                    f"torch ({ta!r}, {tb!r})")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", ["+", "-", "*", "/"])
def test_reversed_operators_with_a_number(name):
    op = BINARY[name]
    failures = []
    for c in [0.0, 2.0, -3.0, 0.5]:
        for x in [0.0, -0.0, 1.0, -2.0, 4.0, inf, nan]:
            for number_first in (True, False):  # __radd__, __rsub__, …; then c on the right
                v, t = Value(x), tensor(x)
                y, ty = (op(c, v), op(c, t)) if number_first else (op(v, c), op(t, c))
                mine, number = (1, 0) if number_first else (0, 1)
                assert isinstance(y, Value) and y.op == name
                assert y.parents[mine] is v and y.parents[number].is_leaf
                assert y.parents[number].data == c
                y.backward()
                ty.backward()
                if not (same(y.data, ty.item()) and same(v.grad, t.grad.item())):
                    shown = f"{c!r} {name} {x!r}" if number_first else f"{x!r} {name} {c!r}"
                    failures.append(f"{shown}: ({y.data!r}, {v.grad!r}), "
                                    f"torch ({ty.item()!r}, {t.grad.item()!r})")
    assert not failures, "\n".join(failures)


# -- powers -------------------------------------------------------------------------------

def test_constant_exponent_is_part_of_the_op():
    x = Value(3.0, label="x")
    y = x ** 2
    assert y.op == "**2"
    assert y.parents == (x,)
    assert y.data == 9.0
    y.backward()
    assert x.grad == 6.0
    assert (x ** 0.5).op == "**0.5"
    assert (x ** -1).op == "**-1"


def test_value_exponent_is_an_operand_and_gets_a_gradient():
    a, b = Value(2.0), Value(3.0)
    y = a ** b
    assert y.op == "**"
    assert y.parents == (a, b)
    y.backward()
    assert a.grad == pytest.approx(12.0, rel=1e-12)
    assert b.grad == pytest.approx(8.0 * math.log(2.0), rel=1e-12)


def test_constant_exponent_matches_torch():
    failures = []
    for x in SPECIAL:
        for c in CONST_EXPONENTS:
            for u in [1.0, inf, nan]:
                v = Value(x)
                y = v ** c
                z = y * u
                z.backward()
                tv, tg = torch_const_pow(x, c, u)
                if not (same(y.data, tv) and same(v.grad, tg)):
                    failures.append(f"{x!r} ** {c!r} (upstream {u!r}): ({y.data!r}, "
                                    f"{v.grad!r}), torch ({tv!r}, {tg!r})")
    assert not failures, "\n".join(failures)


def test_integer_exponent_is_accepted_like_micrograd():
    v = Value(-2.0)
    y = v ** 3
    y.backward()
    assert (y.data, v.grad) == (-8.0, 12.0)


def test_number_to_a_value_power_matches_torch():
    failures = []
    for c in [0.0, -0.0, 1.0, 2.0, 0.5, -2.0, math.e, inf]:
        for x in [0.0, 1.0, -1.0, 2.0, -0.5, 0.5, 3.0, inf, -inf, nan]:
            v = Value(x)
            y = c ** v
            assert y.op == "**"
            y.backward()
            tv, tg = torch_rpow(c, x)
            if not (same(y.data, tv) and same(v.grad, tg)):
                failures.append(f"{c!r} ** {x!r}: ({y.data!r}, {v.grad!r}), "
                                f"torch ({tv!r}, {tg!r})")
    assert not failures, "\n".join(failures)


def test_pow_grid_of_bases_and_exponents():
    """Negative bases with integer and fractional exponents, zero bases, overflow."""
    bases = [0.0, -0.0, -1.0, -2.0, -8.0, 2.0, 10.0, -10.0, 1e-300, -1e-300]
    exps = [0.0, 1.0, 2.0, 3.0, -1.0, -2.0, -3.0, 1 / 3, 0.5, -0.5, 400.0, 401.0, -401.0,
            1e20, -1e20]
    failures = []
    for a in bases:
        for b in exps:
            va, vb = Value(a), Value(b)
            y = va ** vb
            y.backward()
            tv, ta, tb = torch_binary("**", a, b)
            if not (same(y.data, tv) and same(va.grad, ta) and same(vb.grad, tb)):
                failures.append(f"{a!r} ** {b!r}: ({y.data!r}, {va.grad!r}, {vb.grad!r}), "
                                f"torch ({tv!r}, {ta!r}, {tb!r})")
            vc = Value(a)
            yc = vc ** b
            yc.backward()
            tv, tg = torch_const_pow(a, b)
            if not (same(yc.data, tv) and same(vc.grad, tg)):
                failures.append(f"{a!r} ** const {b!r}: ({yc.data!r}, {vc.grad!r}), "
                                f"torch ({tv!r}, {tg!r})")
    assert not failures, "\n".join(failures)


# -- places where torch's kernels differ from the textbook formula --------------------------

def test_abs_grad_at_nan_is_zero_like_torch():
    """torch: abs backward is grad * sgn(x), and sgn(nan) == 0, so abs'(nan) = 0, not NaN."""
    for u in [1.0, -2.5, 0.0]:
        v = Value(nan)
        (abs(v) * u).backward()
        _, tg = torch_unary("abs", nan, u)
        assert tg == 0.0
        assert same(v.grad, tg), f"abs'(nan) with upstream {u}: {v.grad!r}, torch {tg!r}"


def test_tanh_grad_near_saturation_is_fused_like_torch():
    """torch's tanh backward is grad * (1 - y*y) with a fused multiply-add (one rounding);
    computing y*y first loses the low bits of 1 - y*y once tanh nears ±1. (1 - y) * (1 + y)
    would agree with torch to about 1e-16."""
    failures = []
    for x in [5.0, 8.0, 9.625, 9.75, 9.875, 10.0, 10.25, 12.0, 15.0, 18.5, -9.75, -10.0]:
        v = Value(x)
        v.tanh().backward()
        _, tg = torch_unary("tanh", x)
        if not same(v.grad, tg):
            failures.append(f"tanh'({x}) = {v.grad!r}, torch {tg!r} "
                            f"(rel. diff {abs(v.grad - tg) / tg:.1e})")
    assert not failures, "\n".join(failures)


def test_sigmoid_underflows_to_zero_like_torch():
    """torch computes 1 / (1 + exp(-x)): for x < -709.78 exp overflows and sigmoid is 0."""
    failures = []
    for x in [-709.9, -710.0, -720.0, -740.0, -745.0]:
        for u in [1.0, inf]:
            v = Value(x)
            y = v.sigmoid()
            (y * u).backward()
            tv, tg = torch_unary("sigmoid", x, u)
            if not (same(y.data, tv) and same(v.grad, tg)):
                failures.append(f"sigmoid({x}) upstream {u}: ({y.data!r}, {v.grad!r}), "
                                f"torch ({tv!r}, {tg!r})")
    assert not failures, "\n".join(failures)


def test_constant_half_powers_use_sqrt_like_torch():
    """torch: x ** 0.5 is sqrt(x), x ** -0.5 is rsqrt(x), so sqrt(-0.0) = -0.0,
    rsqrt(-0.0) = -inf, sqrt(-inf) = rsqrt(-inf) = nan; C's pow says 0, inf, inf, 0."""
    failures = []
    for x in [-0.0, -inf]:
        for c in [0.5, -0.5, 1.5]:
            v = Value(x)
            y = v ** c
            y.backward()
            tv, tg = torch_const_pow(x, c)
            # the sign matters for zeros and infinities (sqrt(-0.0) is -0.0), not for NaN
            ours = (y.data, math.copysign(1.0, y.data) if y.data == y.data else 0, v.grad)
            theirs = (tv, math.copysign(1.0, tv) if tv == tv else 0, tg)
            if not all(same(o, t) for o, t in zip(ours, theirs)):
                failures.append(f"{x!r} ** {c}: (value, sign, grad) {ours}, torch {theirs}")
    assert not failures, "\n".join(failures)


def test_pow_exponent_grad_masks_then_multiplies_like_torch():
    """torch: d(0 ** b)/db = grad * where(b >= 0, 0, out*log(0)): NaN for a non-finite grad."""
    failures = []
    for b in [0.0, 1.0, 2.0]:
        for u in [inf, -inf, nan]:
            y = Value(0.0) ** Value(b)
            _, gb = y.local_grads(u)
            _, _, tb = torch_binary("**", 0.0, b, u)
            if not same(gb, tb):
                failures.append(f"0 ** {b} upstream {u}: exponent grad {gb!r}, torch {tb!r}")
    assert not failures, "\n".join(failures)


# -- the cases the issue names --------------------------------------------------------------

def test_ieee_results_never_raise():
    one, zero, neg = Value(1.0), Value(0.0), Value(-1.0)
    assert (one / zero).data == inf
    assert (neg / zero).data == -inf
    assert (one / Value(-0.0)).data == -inf
    assert math.isnan((zero / zero).data)
    assert math.isnan(neg.log().data)
    assert zero.log().data == -inf
    assert Value(1000.0).exp().data == inf
    assert math.isnan(neg.sqrt().data)
    assert (Value(10.0) ** 400).data == inf
    assert (Value(-10.0) ** 401).data == -inf
    assert (zero ** -1).data == inf
    assert math.isnan(Value(inf).sin().data)
    assert math.isnan(Value(-inf).cos().data)
    assert math.isnan((Value(inf) - Value(inf)).data)
    assert math.isnan((Value(inf) * zero).data)
    t = Value(400.0).tanh()
    t.backward()
    assert t.data == 1.0
    assert t.parents[0].grad == 0.0
    s = Value(-1000.0).sigmoid()
    s.backward()
    assert s.data == 0.0 and s.parents[0].grad == 0.0


def test_kinks_match_torch_exactly():
    # relu'(0) = 0, abs'(0) = 0, sqrt'(0) = inf, ties split the gradient in half.
    for x in (0.0, -0.0):
        v = Value(x)
        v.relu().backward()
        assert v.grad == 0.0
        v = Value(x)
        abs(v).backward()
        assert v.grad == 0.0
    v = Value(0.0)
    v.sqrt().backward()
    assert v.grad == inf
    for f in (maximum, minimum):
        a, b = Value(2.0), Value(2.0)
        f(a, b).backward()
        assert (a.grad, b.grad) == (0.5, 0.5)
    a, b = Value(1.0), Value(2.0)
    maximum(a, b).backward()
    assert (a.grad, b.grad) == (0.0, 1.0)
    a, b = Value(1.0), Value(2.0)
    minimum(a, b).backward()
    assert (a.grad, b.grad) == (1.0, 0.0)


def test_zero_local_derivative_masks_infinite_upstream():
    """0 * inf would be NaN; torch masks these, so must we."""
    for make in (lambda v: v.relu(), lambda v: maximum(v, Value(5.0))):
        v = Value(-1.0)
        y = make(v)
        (g,) = y.local_grads(inf)[:1]
        assert g == 0.0
    # 0 ** b: the exponent gradient is 0 for b >= 0, and the base gradient is 0 where b == 0.
    a, b = Value(0.0), Value(2.0)
    (a ** b).backward()
    assert (a.grad, b.grad) == (0.0, 0.0)
    a, b = Value(0.0), Value(0.0)
    (a ** b).backward()
    assert (a.grad, b.grad) == (0.0, 0.0)
    a, b = Value(inf), Value(0.0)
    y = a ** b
    y.backward()
    assert y.data == 1.0 and a.grad == 0.0


def test_module_functions_accept_numbers():
    a = Value(3.0)
    y = maximum(a, 5.0)
    assert y.data == 5.0 and y.op == "max"
    y = maximum(5.0, a)
    assert y.data == 5.0 and y.parents[1] is a
    y = minimum(a, 5.0)
    assert y.data == 3.0 and y.op == "min"
    y.backward()
    assert a.grad == 1.0


def test_every_op_records_a_symbol_and_its_operands():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    cases = {
        "+": a + b, "-": a - b, "*": a * b, "/": a / b, "**": a ** b, "max": a.maximum(b),
        "min": a.minimum(b), "exp": a.exp(), "log": a.log(), "tanh": a.tanh(),
        "relu": a.relu(), "sigmoid": a.sigmoid(), "sqrt": a.sqrt(), "sin": a.sin(),
        "cos": a.cos(), "abs": abs(a),
    }
    for symbol, v in cases.items():
        assert v.op == symbol
        assert v.parents[0] is a
        assert not v.is_leaf
        assert v.label == ""
        assert v.grad == 0.0
    assert (-a).op and (-a).parents == (a,)
    assert a.abs().op == "abs"
    assert +a is a
    assert a.is_leaf and a.op == "" and a.parents == ()
    assert a.label == "a" and a.data == 2.0 and isinstance(a.data, float)
    assert Value(3).data == 3.0 and isinstance(Value(3).data, float)


# -- micrograd's published sanity tests (karpathy/micrograd test/test_engine.py) ------------

def test_sanity_check():
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xmg, ymg = x, y

    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xpt, ypt = x, y

    # forward pass went well
    assert ymg.data == ypt.data.item()
    # backward pass went well
    assert xmg.grad == xpt.grad.item()


def test_more_ops():
    amg, bmg, gmg = readme_example(Value)
    gmg.backward()

    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    apt, bpt, gpt = a, b, g

    tol = 1e-6
    # forward pass went well
    assert abs(gmg.data - gpt.data.item()) < tol
    # backward pass went well
    assert abs(amg.grad - apt.grad.item()) < tol
    assert abs(bmg.grad - bpt.grad.item()) < tol
    # and, stricter than micrograd asks: to 1e-9 relative
    assert same(gmg.data, gpt.data.item())
    assert same(amg.grad, apt.grad.item()) and same(bmg.grad, bpt.grad.item())


def test_unary_tensor_fns_from_micrograd_master():
    for x in [-1.0, 0.123, 2.0]:
        for ours, theirs in [(Value.tanh, torch.Tensor.tanh), (Value.exp, torch.Tensor.exp)]:
            v = Value(x)
            y = ours(v)
            y.backward()
            t = tensor(x)
            ty = theirs(t)
            ty.backward()
            assert same(y.data, ty.item()) and same(v.grad, t.grad.item())


# -- graphs: reuse, idempotence, depth, forward ----------------------------------------------

def test_reuse_accumulates():
    a = Value(3.0)
    b = a + a
    c = b * b
    c.backward()
    assert b.grad == 12.0
    assert a.grad == 24.0
    t = tensor(3.0)
    (lambda b: b * b)(t + t).backward()
    assert a.grad == t.grad.item()

    a = Value(-1.5)
    y = a * a
    y.backward()
    assert a.grad == -3.0

    # a diamond: d depends on a through two paths
    a = Value(0.7)
    b = a.tanh()
    c = a.exp()
    d = b * c + b
    d.backward()
    ta = tensor(0.7)
    tb, tc = ta.tanh(), ta.exp()
    (tb * tc + tb).backward()
    assert same(a.grad, ta.grad.item())


def test_backward_is_idempotent():
    a, b = Value(2.0), Value(-3.0)
    c = a * b + a.tanh() * a
    c.backward()
    first = (a.grad, b.grad, c.grad)
    c.backward()
    assert (a.grad, b.grad, c.grad) == first
    c.backward()
    c.backward()
    assert (a.grad, b.grad, c.grad) == first


def test_backward_resets_stale_grads_of_the_graph():
    a = Value(2.0)
    b = a * 3
    a.grad = 123.0
    b.grad = -7.0
    b.backward()
    assert (a.grad, b.grad) == (3.0, 1.0)


def test_backward_of_a_leaf_seeds_one():
    a = Value(5.0)
    a.backward()
    assert a.grad == 1.0


def test_topological_order_puts_operands_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = e.topological_order()
    assert order[-1] is e
    assert len(order) == len({id(v) for v in order}) == 5
    pos = {id(v): i for i, v in enumerate(order)}
    for v in order:
        for p in v.parents:
            assert pos[id(p)] < pos[id(v)]
    # deterministic
    assert [id(v) for v in e.topological_order()] == [id(v) for v in order]


def test_forward_recomputes_after_inputs_change():
    a, b = Value(2.0), Value(-3.0)
    y = (a * b).tanh() + a ** 2 - b.exp() / a
    a.data, b.data = 0.25, 1.5
    got = y.forward()
    fresh = (Value(0.25) * Value(1.5)).tanh() + Value(0.25) ** 2 - Value(1.5).exp() / Value(0.25)
    assert got == y.data == fresh.data
    y.backward()
    result, out = torch_backward(y)
    assert same(y.data, out)
    assert same(a.grad, result[id(a)][1]) and same(b.grad, result[id(b)][1])


DEPTH = 100_000


def test_deep_chain_backward_and_forward():
    x = Value(0.5, label="x")
    v = x
    for i in range(DEPTH):
        v = v + 1.0 if i % 2 else v * 1.0
    assert len(v.topological_order()) == 2 * DEPTH + 1  # each op adds a constant leaf
    v.backward()
    assert x.grad == 1.0
    assert v.data == 0.5 + DEPTH // 2
    x.data = 2.0
    assert v.forward() == 2.0 + DEPTH // 2
    v.backward()
    assert x.grad == 1.0


def test_deep_unary_chain():
    x = Value(1.0)
    v = x
    for _ in range(DEPTH):
        v = -v
    v.backward()
    assert v.data == 1.0 and x.grad == 1.0
    assert len(v.topological_order()) == DEPTH + 1


def test_wide_fan_in():
    x = Value(2.0)
    total = Value(0.0)
    for _ in range(10_000):
        total = total + x * x
    total.backward()
    assert total.data == 40_000.0
    assert x.grad == 40_000.0


def test_torch_mirror_of_a_mixed_graph():
    a, b, c = Value(0.3, label="a"), Value(-1.2, label="b"), Value(2.5, label="c")
    y = (a * b + c).tanh() * (c ** b) - (a / c).sigmoid() + maximum(a, b).exp() \
        + minimum(b.sin(), c.cos()) + abs(b).sqrt().log() + (a - 3).relu() + 2 ** a
    y.backward()
    result, out = torch_backward(y)
    assert same(y.data, out)
    for v in (a, b, c):
        assert same(v.grad, result[id(v)][1]), v.label
