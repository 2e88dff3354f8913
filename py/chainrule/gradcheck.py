"""Backprop's gradients next to central finite differences, for every input of a graph."""

import math
from dataclasses import dataclass
from html import escape

STEP = 1e-6
TOLERANCE = 1e-6
FLOOR = 1e-4  # relative errors of gradients smaller than this are taken against this


@dataclass(frozen=True)
class Check:
    name: str
    backprop: float
    numeric: float
    error: float  # |backprop - numeric| / max(|backprop|, |numeric|, FLOOR)
    kink: bool  # the two one-sided slopes differ: not differentiable here

    @property
    def ok(self):
        return self.kink or self.error <= TOLERANCE


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
        g = grads[name]
        if math.isfinite(g) and math.isfinite(numeric):
            error = abs(g - numeric) / max(abs(g), abs(numeric), FLOOR)
        else:
            error = 0.0 if (g == numeric or (math.isnan(g) and math.isnan(numeric))) else math.inf
        checks.append(Check(name, g, numeric, error, kink))
    return checks


def report_html(checks):
    """The checks as a table for the page (names are identifiers, but escaped anyway)."""
    if not checks:
        return '<p class="gradcheck__none">No inputs to check.</p>'
    worst = max((c.error for c in checks if not c.kink), default=0.0)
    rows = []
    for c in checks:
        state = "kink" if c.kink else ("ok" if c.ok else "bad")
        note = "not differentiable here" if c.kink else f"{c.error:.1e}"
        rows.append(f'<tr class="is-{state}" data-name="{escape(c.name)}">'
                    f'<th scope="row">{escape(c.name)}</th><td>{c.backprop:.10g}</td>'
                    f'<td>{c.numeric:.10g}</td><td>{note}</td></tr>')
    verdict = "ok" if worst <= TOLERANCE else "bad"
    return (f'<p class="gradcheck__worst is-{verdict}" data-testid="grad-check-worst" '
            f'data-error="{worst!r}">Largest relative error: {worst:.1e}'
            f'{"" if verdict == "ok" else " (above 1e-6)"}</p>'
            '<table class="gradcheck__table"><thead><tr><th scope="col">input</th>'
            '<th scope="col">backprop</th><th scope="col">finite differences</th>'
            '<th scope="col">relative error</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")
