"""Step, Back, Reset, Finish and Go to: the part of Session that walks the passes.

They walk one timeline: in forward mode, the tangent sweep; otherwise the forward pass (when
the user chose to step it) and then backprop. Each move returns the cell patches of what
changed on screen. `Timeline` is a base of `Session` (state/session.py), which loads the
program (`program`, `order`, `ids`, `results`, `uses`) and starts the timeline over with
`_reset_steps`; the timeline keeps where it stands: `forward` and `tangent` (core/sweeps.py
Sweeps, None when not on), `tangent_input`, `dots`, and for backprop `position`, `total`,
`received` and the steps taken.
"""

from itertools import islice

from ..core.engine import tangents
from ..core.stepper import backward_steps, forward_step, step_count, tangent_step
from ..core.sweeps import Sweep
from ..view.cells import NO_TANGENT, UNKNOWN_GRAD, grad_cell, merged, step_parts


class Timeline:
    """Where stepping stands in Session's program, and the moves along its passes."""

    # the forward pass and forward mode -------------------------------------------

    @property
    def in_forward_pass(self):
        """True while the stepped forward pass is on screen (backprop not started)."""
        return self.forward is not None and self.position == 0

    @property
    def phase(self):
        """Which sweep Step walks: "tangent" (forward mode), "forward" or "backward"."""
        if self.tangent is not None:
            return "tangent"
        return "forward" if self.in_forward_pass else "backward"

    @property
    def counter(self):
        """Where stepping stands, e.g. "forward 3 / 5", "backward 2 / 7"."""
        if self.tangent is not None:
            return f"forward mode {self.tangent.position} / {self.tangent.total}"
        if self.in_forward_pass:
            return f"forward {self.forward.position} / {self.forward.total}"
        return f"backward {self.position} / {self.total}"

    @property
    def sweeps(self):
        """(forward-mode sweeps, backprop sweeps) this graph needs for every derivative of
        the output: one per input, one per output."""
        return len(self.inputs), (1 if self.program is not None else 0)

    def start_forward_pass(self):
        """Rewinds to before the forward pass: inputs keep their numbers, every other value
        is unknown until Step computes it. Leaves forward mode. Returns the cell patches."""
        if self.program is None:
            return None
        before, shown = [self._numbers(v) for v in self.order], self.highlighted
        self.tangent, self.tangent_input, self.dots = None, "", {}
        self.forward = self._forward_sweep()
        self._reset_steps()
        self.highlighted = shown  # so that the patches take the step's highlight away
        return self._changed_cells(before, self._patches(None, self.current))

    def set_tangent_input(self, name):
        """Forward mode with respect to input `name` ("" turns it off): every value also
        shows its tangent, the sweep finished; Reset then steps it. Backprop is finished
        too, so each tangent sits beside the grads it can be compared with. Returns the
        cell patches (only the parts of a cell that changed); KeyError for a name that is
        not an input on screen."""
        if name and (name not in self.program.inputs or self.program.inputs[name] not in self.ids):
            raise KeyError(name)
        finished, was_on = self.total and self.position == self.total, self.tangent is not None
        before = None if finished else [self._numbers(v) for v in self.order]
        self.forward = None
        if name:
            self._start_tangent(name)
            if not finished:
                self._finish_again()
        else:
            self.tangent, self.tangent_input, self.dots = None, "", {}
        patches = self._patches(None, self.current)
        if before is not None:
            return self._changed_cells(before, patches)
        if name or was_on:  # backprop was finished: the tangents are all that change
            for v in self.order:
                patches.setdefault(self.ids[v], {}).update(
                    self._tangent_state(v) if name else NO_TANGENT)
        return patches

    def where(self):
        """(backprop step, forward-pass step or None, tangent input, tangent step): where
        stepping stands, as a share link keeps it."""
        return (self.position, self.forward.position if self.forward is not None else None,
                self.tangent_input, self.tangent.position if self.tangent is not None else 0)

    def restore(self, step=0, forward=None, tangent="", tangent_step=0):
        """Goes to a place `where` gave (each position clamped to its sweep); returns the
        cell patches. KeyError for a tangent input that is not on screen."""
        if tangent and (tangent not in self.program.inputs
                        or self.program.inputs[tangent] not in self.ids):
            raise KeyError(tangent)
        before = [self._numbers(v) for v in self.order]
        shown = self.highlighted
        self.tangent, self.tangent_input, self.dots, self.forward = None, "", {}, None
        self._reset_steps()
        self.highlighted = shown
        if tangent:
            self._start_tangent(tangent)
            self._finish_again()
            self.tangent.go_to(tangent_step)
        else:
            if forward is not None:
                self.forward = self._forward_sweep()
                self.forward.go_to(self.forward.total if step else forward)
            self._move_to(step)
        return self._changed_cells(before, self._patches(None, self.current))

    def _forward_sweep(self):
        root, ids = self.program.output, self.ids
        return Sweep(self.results, lambda k, result: forward_step(k, root, result, ids))

    def _start_tangent(self, name):
        root, ids = self.program.output, self.ids
        wrt = self.program.inputs[name]
        self.tangent_input = name
        self.dots = tangents(root, wrt, self.order)
        self.tangent = Sweep(self.results,
                             lambda k, result: tangent_step(k, root, wrt, result, ids, self.dots))
        self.tangent.go_to(self.tangent.total)

    def _retune_tangents(self, tuned):
        sweep = self.tangent
        self.dots = tangents(self.program.output, self.program.inputs[self.tangent_input],
                             self.order)
        sweep.back_to(sweep.total if sweep.at_end else sweep.first_use_of(tuned))

    def _changed_cells(self, before, patches):
        """`patches` plus, for each value, the parts of its cell whose numbers differ from
        `before` (a list of `_numbers`)."""
        for v, old in zip(self.order, before):
            changes = self._cell_changes(v, old)
            if changes:
                patches.setdefault(self.ids[v], {}).update(changes)
        return patches

    # stepping ------------------------------------------------------------------

    def _reset_steps(self):
        self._taken = []
        self.position = 0
        self.highlighted = {}
        self.received = {}
        self._steps = None
        root = self.program.output if self.program else None
        self.total = step_count(root, self.order) if root else 0

    def _finish_again(self):
        """At the end again after new numbers, without making a Step per step: the grads
        come from Value.backward (the same sums in the same order as stepping, so the same
        bits), and the steps themselves are replayed only when one is asked for. A scrub
        with live grads redraws every change; its explanation can wait."""
        self.program.output.backward()
        self._taken = None
        self._steps = None
        self.position = self.total
        self.received = dict(self.uses)
        root = self.program.output
        self.received[root] = self.received.get(root, 0) + 1  # the seed

    @property
    def replay_pending(self):
        """True while the steps behind the grads on screen are still to be replayed."""
        return self._taken is None

    @property
    def taken(self):
        """The steps taken, in order (replayed first if a tuning left them pending)."""
        if self._taken is None:
            self._steps = backward_steps(self.program.output, self.order, self.ids)
            self._taken = list(self._steps)  # the grads they set are the ones on screen
        return self._taken

    @property
    def current(self):
        """The step on screen: of the tangent sweep, the forward pass or backprop."""
        if self.tangent is not None:
            return self.tangent.current
        if self.position:
            return self.taken[self.position - 1]
        return self.forward.current if self.forward is not None else None

    @property
    def at_start(self):
        if self.tangent is not None:
            return self.tangent.at_start
        return self.position == 0 and (self.forward is None or self.forward.at_start)

    @property
    def at_end(self):
        if self.tangent is not None:
            return self.tangent.at_end
        return self.position == self.total

    def _grad_state(self, v):
        received = self.received.get(v)
        if received is None:
            return dict(UNKNOWN_GRAD)
        # Every node but the output is complete after one contribution per use; the
        # output's only contribution is the seed.
        return grad_cell(v.grad, received >= max(self.uses[v], 1))

    def step(self):
        """One more step; returns the cell patches, or None at the end."""
        if self.at_end:
            return None
        sweep = self._sweep_on_screen()
        if sweep is not None and not sweep.at_end:
            return self._sweep_to(sweep, sweep.position + 1)
        step = self._advance()
        return self._patches(step.operand, step)

    def back(self):
        """Undo the last step exactly; returns the cell patches, or None at start."""
        if self.at_start:
            return None
        sweep = self._sweep_on_screen()
        if sweep is not None:
            return self._sweep_to(sweep, sweep.position - 1)
        step = self._retreat()
        return self._patches(step.operand, self.current)

    def finish(self):
        """All remaining steps; returns the cell patches (None when already at the end)."""
        if self.at_end:
            return None
        if self.tangent is not None:
            return self._sweep_to(self.tangent, self.tangent.total)
        patches = {}
        if self.in_forward_pass:
            patches = self._sweep_to(self.forward, self.forward.total)
        return merged(patches, self.go_to(self.total))

    def reset(self):
        """Back to before the first step (of the forward pass, when it is stepped);
        returns the cell patches."""
        if self.tangent is not None:
            return self._sweep_to(self.tangent, 0)
        patches = self.go_to(0)
        if self.forward is not None:
            merged(patches, self._sweep_to(self.forward, 0))
        return patches

    def _sweep_on_screen(self):
        """The tangent sweep or the stepped forward pass, if Step walks one now."""
        if self.tangent is not None:
            return self.tangent
        return self.forward if self.in_forward_pass else None

    def _sweep_to(self, sweep, position):
        """Moves a sweep; returns the patches: the cells whose number became known or
        unknown, and the highlight moved to the sweep's current step."""
        changed = sweep.go_to(position)
        state = self._tangent_state if sweep is self.tangent else self._value_state
        patches = {self.ids[v]: state(v) for v in changed}
        return merged(patches, self._patches(None, self.current))

    def go_to(self, position):
        """Jump to after `position` steps (at most the last); returns the cell patches:
        the grads the jump changed and the highlight moved from what was shown."""
        touched = self._move_to(position)
        patches = self._patches(None, self.current)
        for v in touched:
            patches.setdefault(self.ids[v], {}).update(self._grad_state(v))
        return patches

    def _move_to(self, position):
        """Steps forward or back to `position` with no patches or highlight; returns the
        Values whose grads changed."""
        target = max(0, min(position, self.total))
        touched = set()
        while self.position > target:
            touched.add(self._retreat().operand)
        while self.position < target and self.position < len(self.taken):
            touched.add(self._advance().operand)
        if self.position < target:  # steps never taken yet: all of them in one go
            new = list(islice(self._generator(), target - self.position))
            self.taken.extend(new)
            received = self.received
            for step in new:
                received[step.operand] = received.get(step.operand, 0) + 1
            touched.update(step.operand for step in new)
            self.position = target
        return touched

    def _generator(self):
        if self._steps is None:
            self._steps = backward_steps(self.program.output, self.order, self.ids)
        return self._steps

    def _advance(self):
        if self.position == len(self.taken):
            self.taken.append(next(self._generator()))
        else:  # re-doing a step that Back undid: its numbers are already known
            self.taken[self.position].operand.grad = self.taken[self.position].after
        step = self.taken[self.position]
        self.position += 1
        self.received[step.operand] = self.received.get(step.operand, 0) + 1
        return step

    def _retreat(self):
        step = self.taken[self.position - 1]
        step.operand.grad = step.before
        self.received[step.operand] -= 1
        if not self.received[step.operand]:
            del self.received[step.operand]
        self.position -= 1
        return step

    def _patches(self, changed, step):
        """Patches for the node whose grad changed and the move of the highlight to `step`."""
        patches = {}
        if changed is not None:
            patches[self.ids[changed]] = self._grad_state(changed)
        new = self._shown(step_parts(step))
        for item in self.highlighted.keys() - new.keys():
            patches.setdefault(item, {})["hl"] = ""
        for item, part in new.items():
            patches.setdefault(item, {})["hl"] = part
        self.highlighted = new
        return patches
