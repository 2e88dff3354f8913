"""Both directions one step at a time: the forward pass, forward mode, and backprop.

Each stepper is a generator that computes the topological order up front (the page needs
the step count) and nothing else:
- `forward_steps` computes one operator's result per `next()`, operands first;
- `tangent_steps` computes one result's tangent ∂result/∂x per `next()` (forward mode);
- `backward_steps` applies exactly one chain-rule contribution per `next()`.
Run to the end they leave the same numbers as `Value.forward`, `tangents` and
`Value.backward`, bit for bit, because they compute the same terms in the same order.
"""

from collections import Counter
from typing import NamedTuple, Optional

from .engine import Value, seed_tangents
from .explain import (code_name, display_name, dotted, local_code, local_name, local_rule, recipe,
                      recipe_numbers, tangent_terms, wrapped)
from .ids import node_ids, operand_edge_id, operator_id, result_edge_id
from .numbers import code_number, fmt


class Step(NamedTuple):
    """One chain-rule contribution: operand.grad += local · result.grad.

    Immutable, and a tuple because a frozen dataclass takes twice as long to make (Finish
    and a tuning with live grads make one per step). The texts (formula, rule,
    arithmetic) are written when read, so running many steps at once costs only the
    arithmetic.
    """

    index: int
    kind: str  # "seed" (the output's own gradient) or "chain"
    root: Value
    result: Value
    operand: Value
    operand_index: int
    result_id: str
    operand_id: str
    operator_id: Optional[str]
    edge_ids: tuple  # operand -> operator and operator -> result edges, empty for the seed
    local: float
    upstream: float
    contribution: float
    before: float
    after: float
    accumulating: bool  # the operand already had a contribution before this one
    complete: bool  # the operand has now received all of its contributions

    @property
    def formula(self):
        """The chain rule in symbols, e.g. ∂L/∂a += ∂e/∂a · ∂L/∂e = b · ∂L/∂e."""
        top = display_name(self.root)
        if self.kind == "seed":
            return f"∂{wrapped(top)}/∂{wrapped(top)} = 1"
        res, opnd = wrapped(display_name(self.result)), wrapped(display_name(self.operand))
        symbolic, _ = local_rule(self.result, self.operand_index)
        upstream = f"∂{wrapped(top)}/∂{res}"
        factor = f"({symbolic})" if " " in symbolic else symbolic
        local = local_name(self.result, self.operand_index, top)
        return f"∂{wrapped(top)}/∂{opnd} += {local} · {upstream} = {factor} · {upstream}"

    @property
    def rule(self):
        """The op's local derivative with numbers, e.g. ∂o/∂n = 1 - tanh(n)**2 = 1 - 0.7071**2 = 0.5."""
        if self.kind == "seed":
            return "the output's gradient with respect to itself is 1"
        symbolic, numeric = local_rule(self.result, self.operand_index)
        parts = [local_name(self.result, self.operand_index, display_name(self.root)), symbolic]
        if numeric != symbolic:
            parts.append(numeric)
        if fmt(self.local) != numeric:
            parts.append(fmt(self.local))
        return " = ".join(parts)

    @property
    def arithmetic(self):
        """The numbers: -3 × -2 = 6, or with += and before/after when accumulating."""
        if self.kind == "seed":
            return "1"
        product = f"{fmt(self.local)} × {fmt(self.upstream)} = {fmt(self.contribution)}"
        if not self.accumulating:
            return product
        return f"+= {product}; {fmt(self.before)} + {fmt(self.contribution)} = {fmt(self.after)}"

    @property
    def code(self):
        """The line of micrograd's _backward that runs, with its numbers as a comment:
        x.grad += (1 / y.data) * L.grad   # 0.0 + 0.5 × 1.0 = 0.5."""
        if self.kind == "seed":
            return f"{code_name(self.root, 'out')}.grad = 1.0"
        k = self.operand_index
        operand = code_name(self.operand, "other" if k else "self")
        result = code_name(self.result, "out")
        local = local_code(self.result, k)
        line = f"{operand}.grad += " + (f"{result}.grad" if local == "1.0" else
                                         f"{local} * {result}.grad")
        numbers = (f"{code_number(self.before)} + {code_number(self.local)} × "
                   f"{code_number(self.upstream)} = {code_number(self.after)}")
        return f"{line}   # {numbers}"

    @property
    def into_constant(self):
        """True when the operand is a literal constant: a gradient nobody uses."""
        return self.kind == "chain" and self.operand.is_leaf and not self.operand.label


def step_count(root, order=None):
    """How many steps `backward_steps(root)` yields: the seed, then one per operand use."""
    order = order or root.topological_order()
    return 1 + sum(len(v.parents) for v in order)


def backward_steps(root, order=None, ids=None):
    order = order or root.topological_order()
    ids = ids or node_ids(order)
    uses = Counter(p for v in order for p in v.parents)
    received = Counter()
    for v in order:
        v.grad = -0.0  # as in Value.backward: adding to -0.0 keeps any sign of zero
    root.grad = 1.0
    rid = ids[root]
    yield Step(0, "seed", root, root, root, -1, rid, rid, None, (), 1.0, 1.0, 1.0, 0.0, 1.0,
               False, not uses[root])
    index = 1
    for result in reversed(order):
        ps = result.parents
        if not ps:
            continue
        # A result's grad is complete before it passes it on, and no operand is the result
        # itself, so one call per result gives every operand's numbers.
        data = [p.data for p in ps]
        locals_ = result._op.backward(1.0, result.data, *data)
        contributions = result._op.backward(result.grad, result.data, *data)
        rid = ids[result]
        oper, out_edge = operator_id(rid), result_edge_id(rid)
        for k, operand in enumerate(ps):
            before = operand.grad
            operand.grad = before + contributions[k]
            received[operand] += 1
            oid = ids[operand]
            yield Step(
                index, "chain", root, result, operand, k, rid, oid, oper,
                (operand_edge_id(oid, rid, k), out_edge),
                locals_[k], result.grad, contributions[k], before, operand.grad,
                received[operand] > 1, received[operand] == uses[operand],
            )
            index += 1


class ForwardStep(NamedTuple):
    """One operator of the forward pass: result.data = op(operands' data)."""

    index: int
    root: Value
    result: Value
    result_id: str
    operator_id: str
    operand_ids: tuple
    edge_ids: tuple  # every operand -> operator edge, then operator -> result
    value: float

    @property
    def formula(self):
        """The recipe with names, e.g. e = a·b (just a·b for an unnamed result)."""
        made = recipe(self.result)
        return f"{self.result.label} = {made}" if self.result.label else made

    @property
    def arithmetic(self):
        """The recipe with numbers, e.g. 2 × -3 = -6."""
        return f"{recipe_numbers(self.result)} = {fmt(self.value)}"


def forward_step_count(root, order=None):
    """How many steps `forward_steps(root)` (or `tangent_steps`) yields: one per operator."""
    order = order or root.topological_order()
    return sum(1 for v in order if v.parents)


def _operator_parts(result, ids):
    rid = ids[result]
    operand_ids = tuple(ids[p] for p in result.parents)
    edges = tuple(operand_edge_id(oid, rid, k) for k, oid in enumerate(operand_ids))
    return rid, operator_id(rid), operand_ids, edges + (result_edge_id(rid),)


def forward_steps(root, order=None, ids=None):
    """The forward pass one operator at a time, in topological order. The leaves keep their
    numbers; each `next()` recomputes one result from its operands."""
    order = order or root.topological_order()
    ids = ids or node_ids(order)
    index = 0
    for v in order:
        ps = v.parents
        if not ps:
            continue
        v.data = v._op.forward(*[p.data for p in ps])
        yield forward_step(index, root, v, ids)
        index += 1


def forward_step(index, root, result, ids):
    """The forward pass's step number `index`, the one that computed `result` (whose
    number is already known): a sweep can show any step without making those before it."""
    return ForwardStep(index, root, result, *_operator_parts(result, ids), result.data)


class TangentStep(NamedTuple):
    """One result's tangent in forward mode: ṙ = Σ ∂r/∂operand · operand's tangent."""

    index: int
    root: Value
    wrt: Value
    result: Value
    result_id: str
    operator_id: str
    operand_ids: tuple
    edge_ids: tuple
    operand_tangents: tuple
    tangent: float

    @property
    def formula(self):
        """The tangent rule with names, e.g. ė = ȧ·b + ḃ·a."""
        symbolic, _ = tangent_terms(self.result, self.operand_tangents)
        return f"{dotted(display_name(self.result))} = {symbolic}"

    @property
    def arithmetic(self):
        """The tangent rule with numbers, e.g. 1 × -3 + 0 × 2 = -3."""
        _, numeric = tangent_terms(self.result, self.operand_tangents)
        return f"{numeric} = {fmt(self.tangent)}"


def tangent_steps(root, wrt, order=None, ids=None, dots=None):
    """Forward mode one operator at a time: each `next()` computes one result's tangent
    ∂result/∂wrt from its operands' tangents. `dots` (a dict, seeded here with 1 for `wrt`
    and 0 for the other leaves) receives every tangent as it is computed."""
    order = order or root.topological_order()
    ids = ids or node_ids(order)
    if dots is None:
        dots = {}
    dots.clear()
    dots.update(seed_tangents(order, wrt))
    index = 0
    for v in order:
        ps = v.parents
        if not ps:
            continue
        dots[v] = v._op.tangent(v.data, *[p.data for p in ps], *[dots[p] for p in ps])
        yield tangent_step(index, root, wrt, v, ids, dots)
        index += 1


def tangent_step(index, root, wrt, result, ids, dots):
    """Forward mode's step number `index`, the one that computed `result`'s tangent, from
    `dots` that already hold the tangents of `result` and its operands."""
    operand_tangents = tuple(dots[p] for p in result.parents)
    return TangentStep(index, root, wrt, result, *_operator_parts(result, ids), operand_tangents,
                       dots[result])
