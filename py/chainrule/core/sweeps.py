"""Where a stepped forward sweep stands: the forward pass, or forward mode for one input.

Both go through the operators in topological order, one result per step, so one class
keeps both: how many results are known, and the steps taken so far (made lazily by the
generator of `stepper.py`, and kept so that Back and a second Step cost nothing).
"""

from itertools import islice


class Sweep:
    """A sweep over `results` (the operators' results, operands first), `position` of
    them known. `make_steps()` returns a fresh generator of the sweep's steps."""

    def __init__(self, results, make_steps):
        self.results = results
        self.index = {v: i for i, v in enumerate(results)}
        self.make_steps = make_steps
        self.position = 0
        self.taken = []
        self._steps = None

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
        while len(self.taken) <= k:
            if self._steps is None:
                self._steps = self.make_steps()
            self.taken.extend(islice(self._steps, k + 1 - len(self.taken)))
        return self.taken[k]

    def go_to(self, position):
        """Moves to `position` (clamped); returns the results whose known-ness changed."""
        target = max(0, min(position, self.total))
        low, high = sorted((self.position, target))
        self.position = target
        return self.results[low:high]

    def forget_steps(self, keep=0):
        """New numbers: the steps after the first `keep` are made again when asked for."""
        self.position = min(self.position, keep)
        self.taken = []
        self._steps = None

    def first_use_of(self, leaf):
        """The index of the first result that depends on `leaf`, or `total` if none does:
        the first to use it directly, since its other dependents come after that one."""
        for i, v in enumerate(self.results):
            if leaf in v.parents:
                return i
        return self.total
