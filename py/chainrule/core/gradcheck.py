"""Backprop's gradients next to central finite differences, for every input of a graph."""

import math
from dataclasses import dataclass

STEP = 1e-6
TOLERANCE = 1e-6
FLOOR = 1e-4  # relative errors of gradients smaller than this are taken against this

# What a row that is not compared says instead of an error, and where the headline says
# its input is, by verdict.
NOT_CHECKED = {
    "kink": "not differentiable here",
    "edge": "edge of the domain: f is undefined on one side",
    "undefined": "f is not finite here",
}
WHERE = {"kink": "at a kink", "edge": "at the edge of the domain",
         "undefined": "where f is not finite"}


@dataclass(frozen=True)
class Check:
    name: str
    backprop: float
    numeric: float
    error: float  # |backprop - numeric| / max(|backprop|, |numeric|, FLOOR)
    kink: bool  # the two one-sided slopes differ: not differentiable here
    edge: bool = False  # f(x ± h) is not finite on one side: x is at its domain's edge
    undefined: bool = False  # f(x) itself is not finite: nothing to difference

    @property
    def verdict(self):
        """"ok" or "bad" for a row compared; else why it was not (a key of NOT_CHECKED)."""
        if self.undefined:
            return "undefined"
        if self.edge:
            return "edge"
        if self.kink:
            return "kink"
        return "ok" if self.error <= TOLERANCE else "bad"

    @property
    def checked(self):
        return self.verdict in ("ok", "bad")

    @property
    def ok(self):
        return self.verdict != "bad"


def gradient_check(root, inputs, order=None):
    """[Check] for each (name, Value) in `inputs`, all leaves of the graph of `root`.

    Each input is nudged by ±h (h relative to its size) with the others fixed and the
    graph recomputed forward. Every value and grad is as it was afterwards, so a check
    can run in the middle of stepping through backprop.
    """
    order = order or root.topological_order()
    saved = [v.grad for v in order]
    root.backward()
    grads = {name: v.grad for name, v in inputs}
    for v, grad in zip(order, saved):
        v.grad = grad
    checks = []
    for name, v in inputs:
        x = v.data
        h = STEP * max(1.0, abs(x))
        at = root.forward(order)
        v.data = x + h
        up = root.forward(order)
        v.data = x - h
        down = root.forward(order)
        v.data = x
        root.forward(order)
        numeric = (up - down) / (2 * h)
        right, left = (up - at) / h, (at - down) / h
        scale = max(abs(right), abs(left), 1.0)
        kink = math.isfinite(right) and math.isfinite(left) and abs(right - left) > 1e-3 * scale
        undefined = not math.isfinite(at)
        edge = not undefined and not (math.isfinite(up) and math.isfinite(down))
        g = grads[name]
        if math.isfinite(g) and math.isfinite(numeric):
            error = abs(g - numeric) / max(abs(g), abs(numeric), FLOOR)
        else:
            error = 0.0 if (g == numeric or (math.isnan(g) and math.isnan(numeric))) else math.inf
        checks.append(Check(name, g, numeric, error, kink, edge, undefined))
    return checks


def headline(checks):
    """(verdict, text) of the report's first line: the largest error of the rows compared,
    and how many could not be; never a pass when no row was compared."""
    compared = [c for c in checks if c.checked]
    skipped = len(checks) - len(compared)
    if not compared:
        if not checks:
            return "none", "No inputs to check."
        where = {}
        for c in checks:
            where.setdefault(c.verdict, []).append(c.name)
        return "none", "Nothing checked: " + "; ".join(
            f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} {WHERE[verdict]}"
            for verdict, names in where.items()) + "."
    worst = max(c.error for c in compared)
    verdict = "ok" if worst <= TOLERANCE else "bad"
    text = f"Largest relative error: {worst:.1e}{'' if verdict == 'ok' else ' (above 1e-6)'}"
    if skipped:
        text += f"; {skipped} of {len(checks)} inputs not checked (see below)"
    return verdict, text
