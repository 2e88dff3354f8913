"""Training in chunks: as many steps as fit a time budget, then the browser gets a turn.

Python runs on the page's main thread, so a chunk that runs long freezes the page. The
page calls `chunk()` from a timer, redraws, and schedules the next one; clicks, pans and
Pause are handled in between. The clock is passed in (performance.now in the page).
"""

BUDGET_MS = 30.0
MAX_STEPS = 5_000  # a run stops here: the history and its plot stay small
PLOT_EVERY_MS = {"loss": 100.0, "boundary": 500.0}


class TrainingRun:
    def __init__(self, trainer, clock, budget_ms=BUDGET_MS):
        self.trainer = trainer
        self.clock = clock
        self.budget_ms = budget_ms
        self.step_ms = None  # a step's time, averaged over recent steps
        self.running = False
        self.drawn_at = {}  # plot -> clock when it was last drawn

    @property
    def at_limit(self):
        return len(self.trainer.history) >= MAX_STEPS

    def chunk(self):
        """Steps until the next one would likely pass the budget (always at least one,
        none at the limit); returns their StepRecords. Stops the run at the limit."""
        records = []
        start = self.clock()
        while not self.at_limit and self.trainer.diverged_at is None:
            before = self.clock()
            records.append(self.trainer.step())
            now = self.clock()
            self.measure(now - before)
            if now - start + self.step_ms > self.budget_ms:
                break
        if self.at_limit or self.trainer.diverged_at is not None:
            self.running = False
        return records

    def step(self):
        """One step outside a run (the One step button); None after a divergence."""
        if self.trainer.diverged_at is not None:
            return None
        before = self.clock()
        record = self.trainer.step()
        self.measure(self.clock() - before)
        return record

    def measure(self, ms):
        self.step_ms = ms if self.step_ms is None else 0.8 * self.step_ms + 0.2 * ms

    def due(self, plot, force=False):
        """True if `plot` should be redrawn now (and notes that it is); with `force`
        always, e.g. when a run pauses and the pictures must show the last step."""
        now = self.clock()
        last = self.drawn_at.get(plot)
        if force or last is None or now - last >= PLOT_EVERY_MS[plot]:
            self.drawn_at[plot] = now
            return True
        return False

    def next_task(self, plots_seen):
        """What the run's next task does, one thing per task so each stays well under a
        frame or two: a plot that is due ("boundary", "loss") while the plots are seen,
        else "steps" (a chunk, whose budget is for the steps alone)."""
        if plots_seen and self.due("boundary"):
            return "boundary"
        if plots_seen and self.due("loss"):
            return "loss"
        return "steps"

    def rate_text(self):
        if self.step_ms is None:
            return ""
        return f"{self.step_ms:.1f} ms/step"


def stop_reason(trainer):
    """Why training cannot go on, for the panel's error line; '' if it can."""
    step = trainer.diverged_at
    if step is None:
        return ""
    return (f"The loss diverged at step {step}: try a smaller learning rate, "
            "then reset the weights.")


def summary(trainer):
    """{testid: text} of the panel's numbers after the last step."""
    last = trainer.history[-1] if trainer.history else None
    return {
        "train-step-count": str(len(trainer.history)),
        "train-loss": "–" if last is None else f"{last.loss:.4g}",
        "train-accuracy": "–" if last is None else f"{last.accuracy:.0%}",
        "train-accuracy-label": "accuracy" if trainer.classification else "within 0.1",
    }
