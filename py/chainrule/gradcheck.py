"""Backprop's gradients next to central finite differences, for every input of a graph."""

import math
from dataclasses import dataclass

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
    graph recomputed forward; the data are restored afterwards and the grads are left as
    `root.backward()` sets them.
    """
    order = order or root.topological_order()
    root.backward()
    grads = {name: v.grad for name, v in inputs}
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
