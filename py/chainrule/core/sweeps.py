"""Where a stepped forward sweep stands: the forward pass, or forward mode for one input.

Both go through the operators in topological order, one result per step, so one class
keeps both: how many results are known. Every number of the sweep is known before it is
shown (the values, and the tangents of `engine.tangents`), so any step is made on its own
when asked for: a sweep shown finished costs one step, not all of them.
"""


class Sweep:
    """A sweep over `results` (the operators' results, operands first), `position` of
    them known. `make_step(k, result)` makes step `k`, the one that computed `result`."""

    def __init__(self, results, make_step):
        self.results = results
        self.index = {v: i for i, v in enumerate(results)}
        self.make_step = make_step
        self.position = 0

    @property
    def total(self):
        return len(self.results)

    @property
    def at_start(self):
        return self.position == 0

    @property
    def at_end(self):
        return self.position == self.total

    @property
    def current(self):
        """The step that made the last known result, or None before the first."""
        return self.step_at(self.position - 1) if self.position else None

    def known(self, v):
        """True if `v`'s number is known at this point of the sweep (a leaf always is)."""
        i = self.index.get(v)
        return i is None or i < self.position

    def step_at(self, k):
        return self.make_step(k, self.results[k])

    def go_to(self, position):
        """Moves to `position` (clamped); returns the results whose known-ness changed."""
        target = max(0, min(position, self.total))
        low, high = sorted((self.position, target))
        self.position = target
        return self.results[low:high]

    def back_to(self, position):
        """New numbers from the result at `position` on: the sweep goes back there if it
        had gone further."""
        self.position = min(self.position, position)

    def first_use_of(self, leaf):
        """The index of the first result that depends on `leaf`, or `total` if none does:
        the first to use it directly, since its other dependents come after that one."""
        for i, v in enumerate(self.results):
            if leaf in v.parents:
                return i
        return self.total
