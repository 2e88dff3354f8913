"""A scalar autodiff engine in the manner of micrograd, with one recipe per op.

Every op is an `Op`: a display symbol, a forward function over the operands' data, a
backward function giving each operand's gradient contribution from the upstream gradient,
and a tangent function giving the result's tangent (forward mode) from the operands'
tangents. The formulas are PyTorch's (float64, its reverse and its forward-mode AD), so
special values (inf, nan, kinks) come out the same. Keeping forward and backward as data, not closures, lets the same graph be
re-evaluated when an input changes and lets the stepper apply one contribution at a time.
"""

import math
from typing import Callable, NamedTuple

inf = math.inf
nan = math.nan


class Op(NamedTuple):
    """One operation: `forward(*xs) -> out`, `backward(g, out, *xs) -> grads per operand`,
    `tangent(out, *xs, *dxs) -> the result's tangent` (dxs: the operands' tangents), and
    `why(*xs)`: why finite operands gave a result that is not (default: overflow)."""

    symbol: str
    forward: Callable[..., float]
    backward: Callable[..., tuple]
    tangent: Callable[..., float]
    why: Callable[..., str] = None


# IEEE-754 arithmetic: Python's float raises where C and PyTorch return inf or nan.

def _div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return nan
        return math.copysign(inf, a) * math.copysign(1.0, b)


def _is_odd_integer(b):
    return b.is_integer() and abs(b) < 2**53 and int(b) % 2 == 1


def _pow(a, b):
    try:
        return math.pow(a, b)
    except OverflowError:
        return -inf if a < 0 and _is_odd_integer(b) else inf
    except ValueError:
        if a == 0:  # zero to a negative power
            return -inf if math.copysign(1.0, a) < 0 and _is_odd_integer(b) else inf
        return nan  # negative base, fractional exponent


def _exp(a):
    try:
        return math.exp(a)
    except OverflowError:
        return inf


def _log(a):
    if a == 0:
        return -inf
    return math.log(a) if a > 0 or a != a else nan


def _sqrt(a):
    return math.sqrt(a) if a >= 0 or a != a else nan


def _sin(a):
    return math.sin(a) if math.isfinite(a) else nan


def _cos(a):
    return math.cos(a) if math.isfinite(a) else nan


def _sigmoid(a):
    # PyTorch's formula; below about -709.78 exp overflows and the result is exactly 0.
    return 1.0 / (1.0 + _exp(-a))


def _sign(a):
    return 1.0 if a > 0 else -1.0 if a < 0 else 0.0  # sign(nan) is 0, as in torch.sgn


def _maximum(a, b):
    if a != a or b != b:
        return nan
    return a if a >= b else b


def _minimum(a, b):
    if a != a or b != b:
        return nan
    return a if a <= b else b


def _pick_larger(g, a, b):
    # torch.maximum: the larger operand takes the gradient; a tie splits it in half.
    return (g / 2 if a == b else 0.0 if a < b else g,
            g / 2 if a == b else 0.0 if a > b else g)


def _pick_smaller(g, a, b):
    return (g / 2 if a == b else 0.0 if a > b else g,
            g / 2 if a == b else 0.0 if a < b else g)


def _pow_value_backward(g, out, a, b):
    # torch masks both gradients with where(): no 0 * inf = nan where the derivative is 0.
    ga = 0.0 if b == 0 else g * (b * _pow(a, b - 1))
    gb = g * (0.0 if (a == 0 and b >= 0) else out * _log(a))
    return (ga, gb)


def _why_div(a, b):
    if b == 0:
        return "0 / 0" if a == 0 else "division by 0"
    return "overflow in /"


def _why_pow(a, b):
    if a == 0 and b < 0:
        return "0 to a negative power"
    if a < 0 and not b.is_integer():
        return f"{a:g} to a fractional power"
    return "overflow in **"


def _pow_value_tangent(out, a, b, da, db):
    # torch's forward mode runs the two backward formulas on the tangents and adds them.
    return (0.0 if b == 0 else da * (b * _pow(a, b - 1))) + \
        db * (0.0 if (a == 0 and b >= 0) else out * _log(a))


def _choice_tangent(wins):
    # torch.maximum/minimum: db + w·(da - db), w = 1 if a wins, 0 if b wins, ½ on a tie.
    def tangent(out, a, b, da, db):
        return db + (0.5 if a == b else 1.0 if wins(a, b) else 0.0) * (da - db)
    return tangent


#            symbol     forward     backward (grad per operand)     tangent (forward mode)
ADD = Op("+", lambda a, b: a + b, lambda g, out, a, b: (g, g),
         lambda out, a, b, da, db: da + db)
SUB = Op("-", lambda a, b: a - b, lambda g, out, a, b: (g, -g),
         lambda out, a, b, da, db: da - db)
MUL = Op("*", lambda a, b: a * b, lambda g, out, a, b: (g * b, g * a),
         lambda out, a, b, da, db: da * b + a * db)
DIV = Op("/", _div, lambda g, out, a, b: (_div(g, b), -g * _div(_div(a, b), b)),
         lambda out, a, b, da, db: _div(da - db * out, b), _why_div)
NEG = Op("neg", lambda a: -a, lambda g, out, a: (-g,), lambda out, a, da: -da)
# `b = a` names a value again: its own node, one step of ∂b/∂a = 1, so `b` is seen.
IDENTITY = Op("=", lambda a: a, lambda g, out, a: (g,), lambda out, a, da: da)
POW = Op("**", _pow, _pow_value_backward, _pow_value_tangent, _why_pow)
EXP = Op("exp", _exp, lambda g, out, a: (g * out,), lambda out, a, da: da * out)
LOG = Op("log", _log, lambda g, out, a: (_div(g, a),), lambda out, a, da: _div(da, a),
         lambda a: f"log of {a:g}")
# (1 - t)(1 + t) rather than 1 - t*t: PyTorch's kernel rounds once there, and near
# saturation the extra rounding of t*t shows in the ninth digit.
TANH = Op("tanh", math.tanh, lambda g, out, a: (g * ((1 - out) * (1 + out)),),
          lambda out, a, da: da * ((1 - out) * (1 + out)))
RELU = Op("relu", lambda a: 0.0 if a < 0 else a, lambda g, out, a: (0.0 if a <= 0 else g,),
          lambda out, a, da: 0.0 if a <= 0 else da)
SIGMOID = Op("sigmoid", _sigmoid, lambda g, out, a: (g * (1 - out) * out,),
             lambda out, a, da: da * (1 - out) * out)
SQRT = Op("sqrt", _sqrt, lambda g, out, a: (_div(g, 2 * out),),
          lambda out, a, da: _div(da, 2 * out), lambda a: f"sqrt of {a:g}")
SIN = Op("sin", _sin, lambda g, out, a: (g * _cos(a),), lambda out, a, da: da * _cos(a))
COS = Op("cos", _cos, lambda g, out, a: (g * -_sin(a),), lambda out, a, da: da * -_sin(a))
ABS = Op("abs", abs, lambda g, out, a: (g * _sign(a),), lambda out, a, da: da * _sign(a))
MAXIMUM = Op("max", _maximum, lambda g, out, a, b: _pick_larger(g, a, b),
             _choice_tangent(lambda a, b: a > b))
MINIMUM = Op("min", _minimum, lambda g, out, a, b: _pick_smaller(g, a, b),
             _choice_tangent(lambda a, b: a < b))


def _format_exponent(c):
    return str(int(c)) if c.is_integer() and abs(c) < 1e15 else repr(c)


def _pow_constant(a, c):
    # PyTorch computes x ** 0.5 as sqrt(x) and x ** -0.5 as rsqrt(x), which differ from C's
    # pow at -0.0 and -inf; the backward pass goes through the same path for c - 1.
    if c == 0.5:
        return _sqrt(a)
    if c == -0.5:
        return _div(1.0, _sqrt(a))
    return _pow(a, c)


def power_op(c):
    """`x ** c` for a constant c: the exponent is part of the op, not a node of the graph."""
    def backward(g, out, a):
        return (0.0 if c == 0 else g * (c * _pow_constant(a, c - 1)),)

    def tangent(out, a, da):
        return 0.0 if c == 0 else da * (c * _pow_constant(a, c - 1))
    return Op(f"**{_format_exponent(c)}", lambda a: _pow_constant(a, c), backward, tangent,
              lambda a: _why_pow(a, c))


POW_TWO = power_op(2.0)


class Value:
    """A scalar in a compute graph: its data, its gradient and the op that made it."""

    __slots__ = ("data", "grad", "label", "parents", "_op")

    def __init__(self, data, label="", parents=(), _op=None):
        self.data = data if data.__class__ is float else float(data)
        self.grad = 0.0
        self.label = label
        self.parents = parents
        self._op = _op

    @property
    def op(self):
        return self._op.symbol if self._op else ""

    @property
    def is_leaf(self):
        return not self.parents

    def _unary(self, op):
        return Value(op.forward(self.data), "", (self,), op)

    def _binary(self, op, other):
        if other.__class__ is not Value:
            other = Value(other)
        return Value(op.forward(self.data, other.data), "", (self, other), op)

    def __add__(self, other): return self._binary(ADD, other)
    def __radd__(self, other): return Value(other)._binary(ADD, self)
    def __sub__(self, other): return self._binary(SUB, other)
    def __rsub__(self, other): return Value(other)._binary(SUB, self)
    def __mul__(self, other): return self._binary(MUL, other)
    def __rmul__(self, other): return Value(other)._binary(MUL, self)
    def __truediv__(self, other): return self._binary(DIV, other)
    def __rtruediv__(self, other): return Value(other)._binary(DIV, self)
    def __neg__(self): return self._unary(NEG)
    def __pos__(self): return self

    def __pow__(self, other):
        if isinstance(other, Value):
            return self._binary(POW, other)
        return self._unary(power_op(float(other)))

    def __rpow__(self, other): return Value(other)._binary(POW, self)

    def identity(self): return self._unary(IDENTITY)
    def exp(self): return self._unary(EXP)
    def log(self): return self._unary(LOG)
    def tanh(self): return self._unary(TANH)
    def relu(self): return self._unary(RELU)
    def sigmoid(self): return self._unary(SIGMOID)
    def sqrt(self): return self._unary(SQRT)
    def sin(self): return self._unary(SIN)
    def cos(self): return self._unary(COS)
    def __abs__(self): return self._unary(ABS)
    abs = __abs__

    def maximum(self, other): return self._binary(MAXIMUM, other)
    def minimum(self, other): return self._binary(MINIMUM, other)

    def origin(self):
        """Where a value that is not finite came from ('log of -1', 'division by 0',
        'overflow in *', or the operands' numbers when one of them is not finite already);
        '' for a finite value or a leaf."""
        if math.isfinite(self.data) or not self.parents:
            return ""
        xs = [p.data for p in self.parents]
        if all(math.isfinite(x) for x in xs):
            return (self._op.why and self._op.why(*xs)) or f"overflow in {self._op.symbol}"
        if len(xs) == 2:
            return f"from {xs[0]:g} {self._op.symbol} {xs[1]:g}"
        symbol = self._op.symbol
        return f"from {xs[0]:g} {symbol}" if symbol.startswith("**") else f"from {symbol}({xs[0]:g})"

    def local_grads(self, upstream=1.0):
        """Each operand's gradient contribution for this node's upstream gradient."""
        ps = self.parents
        return self._op.backward(upstream, self.data, *[p.data for p in ps])

    def topological_order(self):
        """Every node this one depends on, operands before results, without recursion.

        The same depth-first order as micrograd's recursive build_topo, operands in order.
        """
        order, seen = [], {self}
        stack = [(self, iter(self.parents))]
        while stack:
            v, operands = stack[-1]
            for p in operands:
                if p not in seen:
                    seen.add(p)
                    stack.append((p, iter(p.parents)))
                    break
            else:
                stack.pop()
                order.append(v)
        return order

    def forward(self, order=None):
        """Recompute every node's data from the leaves, e.g. after an input changed."""
        for v in order or self.topological_order():
            if v.parents:
                v.data = v._op.forward(*[p.data for p in v.parents])
        return self.data

    def backward(self):
        # Grads are reset first, so calling backward twice gives the same result, not double.
        # They start at -0.0, which is "no contribution yet": -0.0 + x is x for every x,
        # -0.0 included, so a lone contribution keeps its sign of zero as in PyTorch.
        order = self.topological_order()
        for v in order:
            v.grad = -0.0
        self.grad = 1.0
        for v in reversed(order):
            ps = v.parents
            if not ps:
                continue
            if len(ps) == 2:
                a, b = ps
                ga, gb = v._op.backward(v.grad, v.data, a.data, b.data)
                a.grad += ga
                b.grad += gb
            else:
                (a,) = ps
                (ga,) = v._op.backward(v.grad, v.data, a.data)
                a.grad += ga

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"


def seed_tangents(order, wrt):
    """The leaves' tangents for a sweep with respect to `wrt`: 1 for it, 0 for the rest."""
    if not wrt.is_leaf:
        raise ValueError("forward mode seeds a leaf (an input or a constant), "
                         f"not the result of {wrt.op!r}")
    return {v: (1.0 if v is wrt else 0.0) for v in order if v.is_leaf}


def tangents(root, wrt, order=None):
    """Forward mode: {node: ∂node/∂wrt} for every node of `root`'s graph, in one sweep from
    the leaves in topological order. The output's tangent equals `wrt.grad` after
    `root.backward()`; a graph with n inputs needs n such sweeps, backward needs one."""
    order = order or root.topological_order()
    dots = seed_tangents(order, wrt)
    for v in order:
        ps = v.parents
        if len(ps) == 2:
            a, b = ps
            dots[v] = v._op.tangent(v.data, a.data, b.data, dots[a], dots[b])
        elif ps:
            (a,) = ps
            dots[v] = v._op.tangent(v.data, a.data, dots[a])
    return dots


def maximum(a, b):
    return a.maximum(b) if isinstance(a, Value) else Value(a).maximum(b)


def minimum(a, b):
    return a.minimum(b) if isinstance(a, Value) else Value(a).minimum(b)
