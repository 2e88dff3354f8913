"""Changing an input's number: scrubbing, sliders, and rewriting the literal in the text.

The page edits inputs three ways (a typed number, a scrub drag on the canvas, a slider);
each ends as a float (read by core.numbers) and as the same literal written back into the
program text.
"""

import math

from ..core.expr import LINE_BREAK
from ..core.numbers import LARGEST

FINE = 10  # shift-drag moves this many times slower


def magnitude(x):
    """The power of ten at or below |x|, and 1 for |x| < 10: the scale an input moves on."""
    size = abs(x)
    return 10.0 ** math.floor(math.log10(size)) if size >= 10 else 1.0


def decimals(step):
    return max(0, -math.floor(math.log10(step) + 1e-9))


class Scrub:
    """A horizontal drag on an input: pixels to a value, on a grid set by where it started.

    One pixel moves 1/100 of the start's magnitude (0.01 for a = 2), a shift-held pixel a
    tenth of that, and the value is rounded to that grid so the text gets `a = 2.35`, not
    `a = 2.3500000000000005`. The scale is fixed at the start so it does not jump mid-drag.
    """

    def __init__(self, start):
        self.start = start
        self.step = magnitude(start) / 100
        self.fine_pixels = 0.0  # pixels moved, in fine steps
        self.fine_used = False

    def move(self, dx, fine=False):
        """Add a horizontal movement of `dx` pixels; returns the new value."""
        self.fine_pixels += dx if fine else dx * FINE
        self.fine_used = self.fine_used or fine
        ticks = round(self.fine_pixels)
        if ticks == 0:
            return self.start
        unit = self.step / FINE
        grid = unit if self.fine_used else self.step
        return _finite(round(self.start + ticks * unit, decimals(grid)))


def _finite(x):
    return max(-LARGEST, min(x, LARGEST))


def slider_range(x):
    """(low, high, step) for an input's slider: five magnitudes either side of `x`."""
    m = magnitude(x)
    places = decimals(m / 100)
    return _finite(round(x - 5 * m, places)), _finite(round(x + 5 * m, places)), m / 100


def line_starts(source):
    return [0] + [match.end() for match in LINE_BREAK.finditer(source)]


def literal_offsets(source, literals):
    """{name: (start, end)} character offsets of each literal's Span in `source`."""
    starts = line_starts(source)
    return {name: (starts[span.line - 1] + span.start, starts[span.end_line - 1] + span.end)
            for name, span in literals.items()}


class LiteralText:
    """Program text whose input literals can be rewritten in place, any number of times."""

    def __init__(self, source, literals):
        self.source = source
        self.offsets = literal_offsets(source, literals)

    def set(self, name, text):
        """Write `text` as `name`'s number; a name without one gets `name = text` on top."""
        if name in self.offsets:
            start, end = self.offsets[name]
            self._replace(start, end, text)
            self.offsets[name] = (start, start + len(text))
        else:
            line = f"{name} = {text}\n"
            self._replace(0, 0, line)
            self.offsets[name] = (len(name) + 3, len(line) - 1)
        return self.source

    def _replace(self, start, end, text):
        self.source = self.source[:start] + text + self.source[end:]
        shift = len(text) - (end - start)
        for other, (a, b) in self.offsets.items():
            if a >= end and (a, b) != (start, end):
                self.offsets[other] = (a + shift, b + shift)
