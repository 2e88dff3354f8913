"""What a node's cell shows, as data for the renderer: numbers as text, placeholders while a
number is not known, the notice for values that are not finite, and each node's part in the
step on screen.

A value node's cell is `v`/`vt` (value as `repr` and as display text; "" and "?" while the
stepped forward pass has not reached it), `g`/`gt` (the same for the gradient, empty while
it is not known yet), `done` (all contributions applied), `hl` (its part in the current
step) and, in forward mode, `t`/`tt` (its tangent ∂node/∂x; "" and "?" until the sweep
reaches it; both "" when forward mode is turned off). An input's cell also has `e`, its
number as the text to edit; a value that is not finite has `w`, where it came from ('log
of -1'). Operator nodes and edges only carry `hl`.
"""

import math

from ..core.explain import display_name
from ..core.stepper import Step
from .wire import number_text


def cell_text(x):
    """A number for a value node's row, at most 9 characters: 5 significant digits from 1
    up, 4 below (2.0000, 12.346, -0.7071, 0.001235), scientific outside [0.001, 1e5)."""
    size = abs(x)
    if 1e-3 <= size < 1e5 or size == 0:  # the usual case first: tuning formats hundreds
        text = f"{x:#.5g}" if size >= 1 or size == 0 else f"{x:#.4g}"
        if "e" not in text:
            return text.rstrip(".")
    if x != x:
        return "nan"
    if size == math.inf:
        return "inf" if x > 0 else "-inf"
    mantissa, exponent = f"{x:.3e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def value_cell(data):
    return {"v": number_text(data), "vt": cell_text(data)}


def grad_cell(grad, done):
    return {"g": number_text(grad), "gt": cell_text(grad), "done": done}


def tangent_cell(dot):
    return {"t": number_text(dot), "tt": cell_text(dot)}


UNKNOWN_GRAD = {"g": "", "gt": "", "done": False}
UNKNOWN_VALUE = {"v": "", "vt": "?", "w": ""}
UNKNOWN_TANGENT = {"t": "", "tt": "?"}
NO_TANGENT = {"t": "", "tt": ""}

NOTICE_NAMES = 4  # the notice names this many values that are not finite, then "…"


def not_finite_notice(values):
    """'2 values are not finite: b = inf, L = inf' for the Values in `values` that are
    not finite (named by label, or by the expression that made them), or ''."""
    bad = [v for v in values if not math.isfinite(v.data)]
    if not bad:
        return ""
    named = ", ".join(f"{display_name(v)} = {cell_text(v.data)}" for v in bad[:NOTICE_NAMES])
    more = ", …" if len(bad) > NOTICE_NAMES else ""
    counted = "1 value is" if len(bad) == 1 else f"{len(bad)} values are"
    return f"{counted} not finite: {named}{more}"


def merged(patches, more):
    """`patches` with `more` applied over them, as the renderer would apply both."""
    for item, patch in more.items():
        patches.setdefault(item, {}).update(patch)
    return patches


# the step's highlight (`hl`) ---------------------------------------------------------------

# Which part a collapsed box shows when several of its members take part in a step
# ("constant": the operand of a step into a literal constant, drawn dimmed).
BOX_PRIORITY = ("operand", "result", "operator", "constant", "none")


def step_parts(step):
    """{node or edge id: its part in `step`} for a backprop, forward or tangent step."""
    if step is None:
        return {}
    if isinstance(step, Step):
        if step.kind == "seed":
            return {step.result_id: "result"}
        # A step into a literal constant computes a gradient nobody uses: drawn dimmed.
        part = "constant" if step.into_constant else "operand"
        parts = {step.result_id: "result", step.operator_id: "operator",
                 step.operand_id: part}
        for edge_id in step.edge_ids:
            parts[edge_id] = part
        return parts
    # A forward or tangent step: every operand flows into the result.
    parts = {oid: "operand" for oid in step.operand_ids}
    for edge_id in step.edge_ids:
        parts[edge_id] = "operand"
    parts[step.operator_id] = "operator"
    parts[step.result_id] = "result"
    return parts


def shown_on_boxes(parts, hidden):
    """`parts` with each hidden node's part shown on its box ({node id: box id}) as well."""
    shown = dict(parts)
    for node_id, part in parts.items():
        box = hidden.get(node_id)
        if box and BOX_PRIORITY.index(part) < BOX_PRIORITY.index(shown.get(box, "none")):
            shown[box] = part
    return shown
