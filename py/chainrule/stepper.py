"""Backprop one chain-rule contribution at a time.

`backward_steps` is a generator: it computes the topological order up front (the page needs
the step count) and nothing else; each `next()` applies exactly one contribution. Running
it to the end leaves the same grads as `Value.backward`, bit for bit, because it adds the
same terms in the same order.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Optional

from .engine import Value
from .explain import display_name, fmt, local_rule, wrapped
from .graph import node_ids, operand_edge_id, operator_id, result_edge_id


@dataclass(frozen=True)
class Step:
    """One chain-rule contribution: operand.grad += local · result.grad."""

    index: int
    kind: str  # "seed" (the output's own gradient) or "chain"
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
    formula: str
    rule: str
    arithmetic: str


def step_count(root, order=None):
    """How many steps `backward_steps(root)` yields: the seed, then one per operand use."""
    order = order or root.topological_order()
    return 1 + sum(len(v.parents) for v in order)


def backward_steps(root, order=None):
    order = order or root.topological_order()
    ids = node_ids(order)
    uses = Counter(p for v in order for p in v.parents)
    received = Counter()
    for v in order:
        v.grad = -0.0  # as in Value.backward: adding to -0.0 keeps any sign of zero
    root.grad = 1.0
    top = wrapped(display_name(root))
    yield Step(0, "seed", root, root, -1, ids[root], ids[root], None, (), 1.0, 1.0, 1.0,
               0.0, 1.0, False, not uses[root], f"∂{top}/∂{top} = 1",
               "the output's gradient with respect to itself is 1", "1")
    index = 1
    for result in reversed(order):
        ps = result.parents
        for k, operand in enumerate(ps):
            data = [p.data for p in ps]
            local = result._op.backward(1.0, result.data, *data)[k]
            contribution = result._op.backward(result.grad, result.data, *data)[k]
            before = operand.grad
            operand.grad = before + contribution
            received[operand] += 1
            rid, oid = ids[result], ids[operand]
            yield Step(
                index, "chain", result, operand, k, rid, oid, operator_id(rid),
                (operand_edge_id(oid, rid, k), result_edge_id(rid)),
                local, result.grad, contribution, before, operand.grad,
                received[operand] > 1, received[operand] == uses[operand],
                _formula(root, result, operand, k), _rule(result, operand, k, local),
                _arithmetic(local, result.grad, contribution, before, operand.grad,
                            received[operand] > 1),
            )
            index += 1


def _formula(root, result, operand, k):
    top, res, opnd = (wrapped(display_name(v)) for v in (root, result, operand))
    symbolic, _ = local_rule(result, k)
    upstream = f"∂{top}/∂{res}"
    factor = f"({symbolic})" if " " in symbolic else symbolic
    return f"∂{top}/∂{opnd} += ∂{res}/∂{opnd} · {upstream} = {factor} · {upstream}"


def _rule(result, operand, k, local):
    symbolic, numeric = local_rule(result, k)
    parts = [f"∂{wrapped(display_name(result))}/∂{wrapped(display_name(operand))}", symbolic]
    if numeric != symbolic:
        parts.append(numeric)
    if fmt(local) != numeric:
        parts.append(fmt(local))
    return " = ".join(parts)


def _arithmetic(local, upstream, contribution, before, after, accumulating):
    product = f"{fmt(local)} × {fmt(upstream)} = {fmt(contribution)}"
    if not accumulating:
        return product
    return f"+= {product}; {fmt(before)} + {fmt(contribution)} = {fmt(after)}"
