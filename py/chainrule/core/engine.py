"""A scalar autodiff engine in the manner of micrograd: Values, backprop and forward mode.

What each op computes, forward and backward, is its recipe in core/ops.py; a Value holds
its op, not closures, so the same graph can be re-evaluated when an input changes and the
stepper can apply one contribution at a time. The formulas are PyTorch's (float64, its
reverse and its forward-mode AD), so special values (inf, nan, kinks) come out the same.
"""

import math

from .ops import (ABS, ADD, COS, DIV, EXP, IDENTITY, LOG, MAXIMUM, MINIMUM, MUL, NEG, POW, RELU,
                  SIGMOID, SIN, SQRT, SUB, TANH, power_op)


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


def operands_first(roots):
    """Every Value the roots are made from, each after its operands, each once: the
    topological order of several graphs at once."""
    seen, order = set(), []
    for root in roots:
        stack = [(root, False)]
        while stack:
            v, expanded = stack.pop()
            if expanded:
                order.append(v)
                continue
            if id(v) in seen:
                continue
            seen.add(id(v))
            stack.append((v, True))
            stack.extend((p, False) for p in reversed(v.parents) if id(p) not in seen)
    return order


def apply(op, *operands):
    """A node of `op` over the Values `operands`: what the language makes of a call."""
    return Value(op.forward(*[p.data for p in operands]), "", operands, op)


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
