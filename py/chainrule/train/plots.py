"""The Train panel's pictures as SVG text: the loss curve, the decision boundary, the fit.

Only numbers go into the markup (no text from users), and colours are CSS classes
(shell.css) so the pictures follow the light and dark themes.
"""

import math

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 30  # margins for the axes' numbers and names
GRID = 24  # cells per side of the decision-boundary picture
CLASS = {-1.0: "plot__neg", 1.0: "plot__pos"}


def _svg(label, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}" '
            f'preserveAspectRatio="xMidYMid meet">{body}</svg>')


def _n(v):
    return f"{v:.1f}"


def _short(v):
    return f"{v:.3g}"


class Frame:
    """Maps data coordinates into the plotting area and draws its axes."""

    def __init__(self, x0, x1, y0, y1):
        self.x0, self.x1 = x0, (x1 if x1 > x0 else x0 + 1)
        self.y0, self.y1 = y0, (y1 if y1 > y0 else y0 + 1)
        self.w, self.h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(self, v):
        return LEFT + (v - self.x0) / (self.x1 - self.x0) * self.w

    def y(self, v):
        return TOP + (self.y1 - v) / (self.y1 - self.y0) * self.h

    def axes(self, xname, yname):
        bottom, right = TOP + self.h, LEFT + self.w
        return (f'<g class="plot__axes"><path d="M{LEFT} {TOP}V{bottom}H{right}"/>'
                f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{_short(self.y1)}</text>'
                f'<text x="{LEFT - 4}" y="{bottom}" text-anchor="end">{_short(self.y0)}</text>'
                f'<text x="{LEFT}" y="{bottom + 12}" text-anchor="middle">{_short(self.x0)}</text>'
                f'<text x="{right}" y="{bottom + 12}" text-anchor="end">{_short(self.x1)}</text>'
                f'<text class="plot__name" x="{LEFT + self.w / 2}" y="{HEIGHT - 3}" '
                f'text-anchor="middle">{xname}</text>'
                f'<text class="plot__name" x="12" y="{TOP + self.h / 2}" text-anchor="middle" '
                f'transform="rotate(-90 12 {TOP + self.h / 2})">{yname}</text></g>')


def loss_svg(history, score="accuracy"):
    """The loss of every step, and dashed the `score` (accuracy, or for a regression the
    share of samples fitted within 0.1) from 0 to 100% over the same height."""
    if not history:
        return _svg("Loss per step: no steps yet", Frame(0, 1, 0, 1).axes("step", "loss"))
    finite = [r for r in history if math.isfinite(r.loss)]  # a diverged step is not drawn
    frame = Frame(1, max(len(history), 2), 0, max((r.loss for r in finite), default=1.0) * 1.05
                  or 1.0)
    top = frame.y1

    def clamp(v):
        return min(max(v, 0.0), top)

    loss = " ".join(f"{_n(frame.x(r.step))},{_n(frame.y(clamp(r.loss)))}" for r in finite)
    acc = " ".join(f"{_n(frame.x(r.step))},{_n(frame.y(r.accuracy * top))}" for r in history)
    last = history[-1]
    # The latest finite step as a dot too: a single step draws no line.
    now = (f'<circle class="plot__now" cx="{_n(frame.x(finite[-1].step))}" '
           f'cy="{_n(frame.y(clamp(finite[-1].loss)))}" r="2.5"/>' if finite else "")
    return _svg(f"Loss per step: {len(history)} steps, loss now {last.loss:.4g}",
                frame.axes("step", "loss")
                + f'<text class="plot__legend" x="{WIDTH - RIGHT}" y="{TOP + 8}" '
                f'text-anchor="end">dashed: {score}, 0 to 100%</text>'
                + f'<polyline class="plot__loss" data-series="loss" points="{loss}"/>'
                + f'<polyline class="plot__accuracy" data-series="accuracy" points="{acc}"/>'
                + now)


def _bounds(values, pad=0.25):
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    return lo - pad * span, hi + pad * span


def boundary_svg(predict_many, data, grid=GRID):
    """The sign of the network's output over a grid around the 2-D `data` (one rect per
    cell, stronger where the output is larger), with the samples coloured by class."""
    x0, x1 = _bounds([x[0] for x, _ in data])
    y0, y1 = _bounds([x[1] for x, _ in data])
    frame = Frame(x0, x1, y0, y1)
    dx, dy = (x1 - x0) / grid, (y1 - y0) / grid
    centres = [(x0 + (i + 0.5) * dx, y1 - (j + 0.5) * dy) for j in range(grid) for i in range(grid)]
    scores = predict_many(centres)
    cw, ch = frame.w / grid, frame.h / grid
    cells = []
    for k, s in enumerate(scores):
        i, j = k % grid, k // grid
        strength = min(abs(s), 1.0) if math.isfinite(s) else 1.0
        cells.append(f'<rect class="{CLASS[1.0 if s > 0 else -1.0]}" x="{_n(LEFT + i * cw)}" '
                     f'y="{_n(TOP + j * ch)}" width="{_n(cw + 0.3)}" height="{_n(ch + 0.3)}" '
                     f'fill-opacity="{0.12 + 0.3 * strength:.2f}"/>')
    points = [f'<circle class="{CLASS[y]}" cx="{_n(frame.x(x[0]))}" cy="{_n(frame.y(x[1]))}" '
              f'r="3"/>' for x, y in data]
    return _svg("Decision boundary: the network's class over the plane, with the samples",
                f'<g class="plot__cells">{"".join(cells)}</g>' + frame.axes("x1", "x2")
                + f'<g class="plot__points">{"".join(points)}</g>')


def fit_svg(predict_many, data, samples=80):
    """A 1-D regression: the network's curve over the data's range, with the samples."""
    x0, x1 = _bounds([x[0] for x, _ in data], pad=0.05)
    xs = [x0 + (x1 - x0) * k / (samples - 1) for k in range(samples)]
    ys = predict_many([(x,) for x in xs])
    lo, hi = _bounds([y for _, y in data], pad=0.2)  # the data's range: a wild curve is cut
    frame = Frame(x0, x1, lo, hi)
    curve = " ".join(f"{_n(frame.x(x))},{_n(frame.y(min(max(y, lo), hi)))}"
                     for x, y in zip(xs, ys) if math.isfinite(y))
    points = [f'<circle class="plot__sample" cx="{_n(frame.x(x[0]))}" cy="{_n(frame.y(y))}" '
              f'r="2.5"/>' for x, y in data]
    return _svg("The network's fit to the samples",
                frame.axes("x", "y") + f'<g class="plot__points">{"".join(points)}</g>'
                + f'<polyline class="plot__fit" data-series="fit" points="{curve}"/>')
