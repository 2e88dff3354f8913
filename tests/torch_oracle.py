"""PyTorch (float64, CPU) as the reference for values and gradients.

`same(ours, theirs)` is the comparison used everywhere: NaN equals NaN, infinities must be
equal, zeros of either sign are equal, everything else within a relative tolerance.
`mirror(root)` rebuilds a chainrule graph op by op in torch, so whole graphs (programs, MLPs)
can be checked; the per-op tests in test_engine_torch.py call torch directly instead.
"""

import math
import warnings

warnings.filterwarnings("ignore", message="Failed to initialize NumPy")

import torch  # noqa: E402

torch.set_default_dtype(torch.float64)

F64 = torch.float64
REL = 1e-9


def same(ours, theirs, rel=REL, abs_tol=0.0):
    """True if two floats agree the way the issue asks: NaN==NaN, inf exact, else rel tol."""
    ours, theirs = float(ours), float(theirs)
    if math.isnan(ours) or math.isnan(theirs):
        return math.isnan(ours) and math.isnan(theirs)
    if math.isinf(ours) or math.isinf(theirs):
        return ours == theirs
    return math.isclose(ours, theirs, rel_tol=rel, abs_tol=abs_tol)


def tensor(x, grad=True):
    return torch.tensor(float(x), dtype=F64, requires_grad=grad)


TORCH_UNARY = {
    "=": lambda t: t.clone(),  # `b = a`: the same number, one more node
    "neg": lambda t: -t,
    "exp": torch.exp,
    "log": torch.log,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "sqrt": torch.sqrt,
    "sin": torch.sin,
    "cos": torch.cos,
    "abs": torch.abs,
}

TORCH_BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": torch.pow,
    "max": torch.maximum,
    "min": torch.minimum,
}


def torch_unary(name, x, upstream=1.0):
    """(value, grad of x) of torch's op at x for the given upstream gradient."""
    t = tensor(x)
    y = TORCH_UNARY[name](t)
    y.backward(torch.tensor(float(upstream), dtype=F64))
    g = t.grad
    return y.item(), (0.0 if g is None else g.item())


def torch_binary(name, a, b, upstream=1.0):
    """(value, grad of a, grad of b) of torch's op for two tensor operands."""
    ta, tb = tensor(a), tensor(b)
    y = TORCH_BINARY[name](ta, tb)
    y.backward(torch.tensor(float(upstream), dtype=F64))
    ga = 0.0 if ta.grad is None else ta.grad.item()
    gb = 0.0 if tb.grad is None else tb.grad.item()
    return y.item(), ga, gb


def torch_const_pow(x, c, upstream=1.0):
    """`x ** c` with c a Python float (torch's pow(Tensor, Scalar))."""
    t = tensor(x)
    y = t ** float(c)
    y.backward(torch.tensor(float(upstream), dtype=F64))
    return y.item(), (0.0 if t.grad is None else t.grad.item())


def torch_rpow(c, x, upstream=1.0):
    """`c ** x` with c a Python float (torch's pow(Scalar, Tensor))."""
    t = tensor(x)
    y = float(c) ** t
    y.backward(torch.tensor(float(upstream), dtype=F64))
    return y.item(), (0.0 if t.grad is None else t.grad.item())


def _const_exponent(symbol):
    """The constant c of a `**c` op symbol, or None for the two-operand `**`."""
    if symbol.startswith("**") and symbol != "**":
        return float(symbol[2:])
    return None


def mirror(root):
    """Rebuild the graph of `root` in torch; return {id(value): tensor} and the leaf tensors.

    Every leaf becomes a float64 tensor that requires grad, so torch reports a gradient for
    every leaf (constants included), which is what our engine computes too.
    """
    order = root.topological_order()
    tensors = {}
    for v in order:
        if v.is_leaf:
            tensors[id(v)] = tensor(v.data)
            continue
        tensors[id(v)] = torch_op(v, [tensors[id(p)] for p in v.parents])
    return tensors


def torch_op(v, ts):
    """torch's op of node `v` applied to the tensors `ts` of its operands."""
    c = _const_exponent(v.op)
    if c is not None:
        return ts[0] ** c
    return TORCH_UNARY[v.op](ts[0]) if len(ts) == 1 else TORCH_BINARY[v.op](*ts)


def torch_backward(root):
    """Run torch on a mirror of `root`; return {id(leaf): (value, grad)} and the root value."""
    tensors = mirror(root)
    out = tensors[id(root)]
    leaves = [v for v in root.topological_order() if v.is_leaf]
    if out.requires_grad and out.grad_fn is not None:
        out.backward()
    result = {}
    for v in leaves:
        t = tensors[id(v)]
        result[id(v)] = (t.item(), 0.0 if t.grad is None else t.grad.item())
    if out.grad_fn is None:  # the root is itself a leaf: d root / d root = 1
        result[id(root)] = (out.item(), 1.0)
    return result, out.item()


def _jvp(fn, primals, tangents):
    """torch.func.jvp on float64 scalars: (value, tangent of the result)."""
    from torch.func import jvp

    ps = tuple(torch.tensor(float(x), dtype=F64) for x in primals)
    ts = tuple(torch.tensor(float(x), dtype=F64) for x in tangents)
    out, dout = jvp(fn, ps, ts)
    return out.item(), dout.item()


def torch_unary_jvp(name, x, dx):
    """(value, tangent) of torch's op at x for the operand's tangent dx (forward mode)."""
    return _jvp(TORCH_UNARY[name], (x,), (dx,))


def torch_binary_jvp(name, a, b, da, db):
    return _jvp(TORCH_BINARY[name], (a, b), (da, db))


def torch_const_pow_jvp(x, c, dx):
    return _jvp(lambda t: t ** float(c), (x,), (dx,))


def torch_tangents(root, wrt):
    """torch's forward mode on a mirror of `root`: {id(value): tangent} for every node, the
    tangent 1 seeded on `wrt` and 0 on every other leaf (constants included, as ours)."""
    from torch.func import jvp

    order = root.topological_order()
    leaves = [v for v in order if v.is_leaf]

    def run(*xs):
        tensors = dict(zip((id(v) for v in leaves), xs))
        for v in order:
            if v.is_leaf:
                continue
            tensors[id(v)] = torch_op(v, [tensors[id(p)] for p in v.parents])
        return tuple(tensors[id(v)] for v in order)

    primals = tuple(torch.tensor(v.data, dtype=F64) for v in leaves)
    seeds = tuple(torch.tensor(1.0 if v is wrt else 0.0, dtype=F64) for v in leaves)
    _, dots = jvp(run, primals, seeds)
    return {id(v): d.item() for v, d in zip(order, dots)}
