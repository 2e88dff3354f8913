"""Backprop one chain-rule contribution at a time.

`backward_steps` is a generator: it computes the topological order up front (the page needs
the step count) and nothing else; each `next()` applies exactly one contribution. Running
it to the end leaves the same grads as `Value.backward`, bit for bit, because it adds the
same terms in the same order.
"""

from collections import Counter
from typing import NamedTuple, Optional

from .engine import Value
from .explain import display_name, fmt, local_rule, wrapped
from .graph import node_ids, operand_edge_id, operator_id, result_edge_id


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
        top = wrapped(display_name(self.root))
        if self.kind == "seed":
            return f"∂{top}/∂{top} = 1"
        res, opnd = wrapped(display_name(self.result)), wrapped(display_name(self.operand))
        symbolic, _ = local_rule(self.result, self.operand_index)
        upstream = f"∂{top}/∂{res}"
        factor = f"({symbolic})" if " " in symbolic else symbolic
        return f"∂{top}/∂{opnd} += ∂{res}/∂{opnd} · {upstream} = {factor} · {upstream}"

    @property
    def rule(self):
        """The op's local derivative with numbers, e.g. ∂o/∂n = 1 - tanh²(n) = 1 - 0.7071² = 0.5."""
        if self.kind == "seed":
            return "the output's gradient with respect to itself is 1"
        symbolic, numeric = local_rule(self.result, self.operand_index)
        res, opnd = wrapped(display_name(self.result)), wrapped(display_name(self.operand))
        parts = [f"∂{res}/∂{opnd}", symbolic]
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
