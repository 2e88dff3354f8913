"""The page's state as plain Python: the program on screen and where backprop stands.

`app.py` only forwards events here and hands the results to the renderer. Everything a
trip produces is data in the renderer's shapes: a whole view for a new graph, or a dict
of cell patches `{id: {...}}` naming only the nodes and edges that changed.

A value node's cell is `v`/`vt` (value as `repr` and as display text; "" and "?" while the
stepped forward pass has not reached it), `g`/`gt` (the same for the gradient, empty while
it is not known yet), `done` (all contributions applied), `hl` (its part in the current
step) and, in forward mode, `t`/`tt` (its tangent ∂node/∂x; "" and "?" until the sweep
reaches it; both "" when forward mode is turned off). An input's cell also has `e`, its
number as the text to edit; a value that is not finite has `w`, where it came from ('log
of -1'). Operator nodes and edges only carry `hl`.

Step, Back, Reset and Finish walk one timeline: in forward mode, the tangent sweep;
otherwise the forward pass (when the user chose to step it) and then backprop.
"""

import math
from collections import Counter
from itertools import islice

from ..core.explain import display_name
from ..core.expr import parse
from ..view.graph import flow_graph
from ..core.ids import node_ids
from ..view.groups import (GroupTree, default_collapsed, group_id, group_name, group_tree,
                           grouped_graph)
from ..view.layout import laid_out_graph, pick_direction
from ..core.engine import tangents
from ..core.stepper import Step, backward_steps, forward_steps, step_count, tangent_steps
from ..core.sweeps import Sweep
from .input_edits import LiteralText, Scrub
from ..core.numbers import literal_text
from ..view.wire import number_text


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


UNKNOWN_GRAD = {"g": "", "gt": "", "done": False}
UNKNOWN_VALUE = {"v": "", "vt": "?", "w": ""}
UNKNOWN_TANGENT = {"t": "", "tt": "?"}
NO_TANGENT = {"t": "", "tt": ""}
# Which part a collapsed box shows when several of its members take part in a step
# ("constant": the operand of a step into a literal constant, drawn dimmed).
BOX_PRIORITY = ("operand", "result", "operator", "constant", "none")


def is_empty(text):
    """True for text with no statement: blank lines and comments only."""
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _merged(patches, more):
    """`patches` with `more` applied over them, as the renderer would apply both."""
    for item, patch in more.items():
        patches.setdefault(item, {}).update(patch)
    return patches


class Session:
    """One program on screen and the backprop steps taken through it."""

    def __init__(self, run_dagre, direction="LR"):
        self.run_dagre = run_dagre
        self.direction = direction
        # Until the user picks a direction, each new program takes the one that fits the
        # canvas (width, height) best, when the page says how big the canvas is.
        self.direction_chosen = False
        self.canvas = None
        self._forget_program()

    # a new program -----------------------------------------------------------

    def load(self, text, collapsed=None):
        """Parse and lay out `text`; returns the view. On ExprError nothing changes.

        The groups named in `collapsed` are drawn collapsed. Without it, a program with
        the same groups as the one on screen (an edited number, a new sample of the same
        network) keeps what was collapsed; any other opens as `default_collapsed` says.
        """
        if is_empty(text):
            return self._load_empty(text)
        return self.load_program(parse(text), collapsed)

    def load_program(self, program, collapsed=None):
        """Lay out a program already built (the notebook builds one from Values); returns
        the view. Tuning rewrites the literals of `program.source`; `collapsed` as in
        `load`."""
        text = program.source
        order = program.output.topological_order()
        ids = node_ids(order)
        full = flow_graph(program.output, order)
        tree = group_tree(program, order, ids)
        if collapsed is not None:
            collapsed = set(collapsed) & set(tree.names)
        elif tree.names and tree.names == self.tree.names:
            collapsed = self.collapsed
        else:
            collapsed = default_collapsed(tree, len(full["nodes"]))
        self.text, self.program, self.order, self.ids = text, program, order, ids
        self.full, self.tree = full, tree
        self.collapsed = collapsed
        self._lay_out(pick=not self.direction_chosen and self.canvas is not None)
        self.uses = Counter(p for v in order for p in v.parents)
        self.literals = LiteralText(text, program.literals)
        self.scrub = None
        self.results = [v for v in order if v.parents]
        wrt = self.tangent_input
        self.forward = self.tangent = None
        self.tangent_input, self.dots = "", {}
        self._reset_steps()
        if wrt in program.inputs and program.inputs[wrt] in ids:  # a redraw keeps the mode
            self._start_tangent(wrt)
            self._finish_again()
        return self.whole_view()

    def _lay_out(self, pick=False):
        """Lays out the program with the groups in `collapsed` as boxes: the view, which
        nodes the boxes hide, and which values their rows show. With `pick`, in the
        direction that suits the canvas."""
        grouped = grouped_graph(self.full, self.tree, self.collapsed)
        laid = None
        if pick:
            self.direction, laid = pick_direction(grouped.graph, self.run_dagre, self.canvas)
        self.view = laid or laid_out_graph(grouped.graph, self.run_dagre, self.direction)
        self.hidden, self.box_rows = grouped.hidden, grouped.rows

    def _load_empty(self, text):
        """No program at all (a new graph): a normal state with nothing to draw."""
        self._forget_program()
        self.text = text
        self.view = {"nodes": [], "edges": []}
        return self.whole_view()

    def _forget_program(self):
        self.text, self.program, self.order, self.ids = None, None, [], {}
        self.view, self.full, self.tree, self.collapsed = None, None, GroupTree(), set()
        self.hidden, self.box_rows = {}, set()
        self.uses = Counter()
        self.literals = None
        self.scrub = None
        self.results = []
        self.forward = self.tangent = None
        self.tangent_input, self.dots = "", {}
        self._reset_steps()

    def set_direction(self, direction):
        """The user's choice: it sticks for every program after this one."""
        self.direction = direction
        self.direction_chosen = True
        if self.view is None:  # nothing drawn yet (booting): the next load uses it
            return None
        if self.program is not None:
            self._lay_out()
        return self.whole_view()

    def whole_view(self):
        """{nodes, edges, cells} for the renderer's setGraph, at the current step."""
        return {"nodes": self.view["nodes"], "edges": self.view["edges"],
                "cells": self.cells()}

    def cells(self, every=False):
        """{id: cell} of the nodes on screen, or of `every` node, boxes or not."""
        hidden, ids = self.hidden, self.ids
        # A collapsed box shows only the values leaving it: the cells of the rest stay
        # in Python until the box is expanded (1,700 cells to parse cost the MLP 40 ms).
        cells = {ids[v]: self._cell(v) for v in self.order
                 if every or ids[v] not in hidden or ids[v] in self.box_rows}
        self.highlighted = self._shown(self._highlight(self.current))
        for node_id in self.highlighted:
            cells.setdefault(node_id, {})["hl"] = self.highlighted[node_id]
        return cells

    def _cell(self, v):
        cell = self._value_state(v)
        cell.update(self._grad_state(v))
        if self.tangent is not None:
            cell.update(self._tangent_state(v))
        if v.is_leaf and v.label:
            cell["e"] = literal_text(v.data)
        return cell

    def _value_state(self, v):
        if self.in_forward_pass and not self.forward.known(v):
            return dict(UNKNOWN_VALUE)
        cell = value_cell(v.data)
        if not math.isfinite(v.data):
            cell["w"] = v.origin()
        return cell

    def _tangent_state(self, v):
        if not self.tangent.known(v):
            return dict(UNKNOWN_TANGENT)
        return {"t": number_text(self.dots[v]), "tt": cell_text(self.dots[v])}

    # groups ----------------------------------------------------------------------

    @property
    def groups(self):
        """{group name: collapsed?} for the groups of the program on screen."""
        return {name: name in self.collapsed for name in self.tree.names}

    def toggle_group(self, name):
        """Collapse or expand group `name`; returns the whole view, or None if unknown.

        Expanding opens one level: the groups directly inside stay collapsed. The toggled
        group keeps its top-left corner, so the rest of the picture moves as little as the
        new layout allows.
        """
        if name not in self.tree.parent:
            return None
        if name in self.collapsed:
            inner = {n for n, outer in self.tree.parent.items() if outer == name}
            return self._regroup(self.collapsed - {name} | inner, anchor=name)
        return self._regroup(self.collapsed | {name}, anchor=name)

    @property
    def shared_collapsed(self):
        """The collapsed groups as a link keeps them: sorted names, None with no groups."""
        return tuple(sorted(self.collapsed)) if self.tree else None

    def set_collapsed(self, names):
        """Collapses exactly the groups `names` (unknown ones are ignored); returns the
        whole view, or None when that is what is drawn already."""
        collapsed = set(names) & set(self.tree.names)
        return None if collapsed == self.collapsed else self._regroup(collapsed)

    def collapse_all(self):
        return self._regroup(set(self.tree.innermost()))

    def expand_all(self):
        return self._regroup(set())

    def expand_current(self):
        """Expands the groups that hide the current step's nodes; None if none do."""
        shown = self._highlight(self.current)
        around = {name for name in self.tree.around(shown) if name in self.collapsed}
        if not around:
            return None
        return self._regroup(self.collapsed - around, anchor=min(around, key=len))

    def shown_id(self, name):
        """The id of the node that shows input `name`: its value node, or the box that
        hides it; None if the program has no such input."""
        v = self.program.inputs.get(name) if self.program else None
        if v is None or v not in self.ids:
            return None
        node_id = self.ids[v]
        return self.hidden.get(node_id, node_id)

    @property
    def step_nodes(self):
        """The ids the current step highlights on screen (boxes for hidden nodes)."""
        return [node_id for node_id in self.highlighted if node_id not in self.hidden]

    @property
    def step_group(self):
        """The collapsed group the current step happens in, or None."""
        for node_id in self._highlight(self.current):
            if node_id in self.hidden:
                return group_name(self.hidden[node_id])
        return None

    def _regroup(self, collapsed, anchor=None):
        before = self._corner(anchor)
        self.collapsed = collapsed
        self._lay_out()
        after = self._corner(anchor)
        if before and after:
            dx, dy = before[0] - after[0], before[1] - after[1]
            for node in self.view["nodes"]:
                node["position"] = {"x": node["position"]["x"] + dx,
                                    "y": node["position"]["y"] + dy}
        return self.whole_view()

    def _corner(self, name):
        """Where group `name` (its box, its frame or its first member) is drawn."""
        if name is None:
            return None
        box, chains = group_id(name), self.tree.chain
        for node in self.view["nodes"]:
            if node["id"] == box or name in chains.get(node["id"], ()):
                return node["position"]["x"], node["position"]["y"]
        return None

    def _shown(self, highlighted):
        """The highlight with each hidden node's part shown on its box as well."""
        shown = dict(highlighted)
        for node_id, part in highlighted.items():
            box = self.hidden.get(node_id)
            if box and BOX_PRIORITY.index(part) < BOX_PRIORITY.index(shown.get(box, "none")):
                shown[box] = part
        return shown

    # tuning inputs -------------------------------------------------------------

    @property
    def inputs(self):
        """[(name, value)] of the inputs in the graph on screen, in the order of the text."""
        return [(name, v.data) for name, v in self.program.inputs.items() if v in self.ids] \
            if self.program else []

    def tune(self, name, value):
        """Set input `name` to `value` over the same graph; returns the cell patches.

        Values are recomputed by a forward pass (no parse, no layout, same ids). Gradients
        stay live when backprop had been run to the end, and tangents when their sweep had;
        otherwise stepping starts over (a stepped forward pass or tangent sweep from the
        first operator that uses the input).
        The text gets the new literal, so what is saved or shared keeps it.
        """
        v = self.program.inputs[name]
        if v not in self.ids:
            raise KeyError(name)
        before = [self._numbers(v) for v in self.order]
        finished = self.total > 0 and self.position == self.total
        tuned = v
        v.data = value
        self.program.output.forward(self.order)
        self.text = self.literals.set(name, literal_text(value))
        shown, sweep = self.highlighted, self._sweep_on_screen()
        at = sweep.position if sweep is not None else None
        if self.tangent is not None:
            self._retune_tangents(tuned)
        if self.in_forward_pass:  # the pass starts again where it first uses the input
            self.forward.forget_steps(keep=self.forward.first_use_of(tuned))
        if finished:
            self._finish_again()
        else:
            self._reset_steps()
        self.highlighted = shown
        if (sweep.position == at) if sweep is not None else finished:
            patches = {}  # the same step stays highlighted
        elif self.forward is None and self.tangent is None:
            patches = self._patches(None, None)
        else:
            patches = self._patches(None, self.current)
        for v, old in zip(self.order, before):
            if self._numbers(v) != old:
                patch = patches.setdefault(self.ids[v], {})
                if not math.isfinite(old[0]):  # finite again, maybe: its origin goes
                    patch["w"] = ""
                patch.update(self._cell(v))
        return patches

    @property
    def notice(self):
        """The line above the canvas counting the values that are not finite, or ''."""
        return not_finite_notice(self.order)

    def _numbers(self, v):
        """What a value node's cell is made from, cheap to compare (signs of zero included:
        -0.0 == 0.0, but the cells show them apart)."""
        data, received = v.data, self.received.get(v)
        numbers = (data, not data and math.copysign(1.0, data))
        if self.forward is not None:
            numbers += (self.forward.known(v),)
        if self.tangent is not None:
            dot = self.dots[v]
            numbers += (dot, not dot and math.copysign(1.0, dot), self.tangent.known(v))
        if received is None:
            return numbers
        grad = v.grad
        return numbers + (grad, not grad and math.copysign(1.0, grad), received)

    def start_scrub(self, name):
        self.scrub = (name, Scrub(self.program.inputs[name].data))

    def scrub_by(self, dx, fine=False):
        """Move the scrubbed input by `dx` pixels; returns the cell patches ({} if none)."""
        if self.scrub is None:
            return {}
        name, scrub = self.scrub
        value = scrub.move(dx, fine)
        if value == self.program.inputs[name].data:
            return {}
        return self.tune(name, value)

    def end_scrub(self):
        self.scrub = None

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
        before = [self._numbers(v) for v in self.order]
        was_on = self.tangent is not None
        self.tangent, self.tangent_input, self.dots = None, "", {}
        root, order, ids = self.program.output, self.order, self.ids
        self.forward = Sweep(self.results, lambda: forward_steps(root, order, ids))
        self._reset_steps()
        return self._changed_cells(before, self._patches(None, self.current), clear=was_on)

    def set_tangent_input(self, name):
        """Forward mode with respect to input `name` ("" turns it off): every value also
        shows its tangent, the sweep finished; Reset then steps it. Backprop is finished
        too, so each tangent sits beside the grads it can be compared with. Returns the
        cell patches; KeyError for a name that is not an input on screen."""
        if name and (name not in self.program.inputs or self.program.inputs[name] not in self.ids):
            raise KeyError(name)
        before = [self._numbers(v) for v in self.order]
        was_on = self.tangent is not None
        self.forward = None
        if name:
            self._start_tangent(name)
            self._finish_again()
        else:
            self.tangent, self.tangent_input, self.dots = None, "", {}
        patches = self._changed_cells(before, self._patches(None, self.current),
                                      clear=was_on and not name)
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
        was_on, shown = self.tangent is not None, self.highlighted
        self.tangent, self.tangent_input, self.dots, self.forward = None, "", {}, None
        self._reset_steps()
        self.highlighted = shown
        if tangent:
            self._start_tangent(tangent)
            self._finish_again()
            self.tangent.go_to(tangent_step)
        else:
            if forward is not None:
                root, order, ids = self.program.output, self.order, self.ids
                self.forward = Sweep(self.results, lambda: forward_steps(root, order, ids))
                self.forward.go_to(self.forward.total if step else forward)
            self._move_to(step)
        return self._changed_cells(before, self._patches(None, self.current), clear=was_on)

    def _start_tangent(self, name):
        root, order, ids = self.program.output, self.order, self.ids
        wrt = self.program.inputs[name]
        self.tangent_input = name
        self.dots = tangents(root, wrt, order)
        self.tangent = Sweep(self.results, lambda: tangent_steps(root, wrt, order, ids, {}))
        self.tangent.go_to(self.tangent.total)

    def _retune_tangents(self, tuned):
        sweep = self.tangent
        self.dots = tangents(self.program.output, self.program.inputs[self.tangent_input],
                             self.order)
        sweep.forget_steps(keep=sweep.total if sweep.at_end else sweep.first_use_of(tuned))

    def _changed_cells(self, before, patches, clear=False):
        """`patches` plus the cells whose numbers differ from `before`; with `clear`, every
        value's tangent cell emptied (forward mode turned off)."""
        for v, old in zip(self.order, before):
            if clear:
                patches.setdefault(self.ids[v], {}).update(NO_TANGENT)
            if self._numbers(v) != old:
                patches.setdefault(self.ids[v], {}).update(self._cell(v))
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
        grad = v.grad
        return {"g": number_text(grad), "gt": cell_text(grad), "done": received >= max(self.uses[v], 1)}

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
        return _merged(patches, self.go_to(self.total))

    def reset(self):
        """Back to before the first step (of the forward pass, when it is stepped);
        returns the cell patches."""
        if self.tangent is not None:
            return self._sweep_to(self.tangent, 0)
        patches = self.go_to(0)
        if self.forward is not None:
            _merged(patches, self._sweep_to(self.forward, 0))
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
        return _merged(patches, self._patches(None, self.current))

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
        new = self._shown(self._highlight(step))
        for item in self.highlighted.keys() - new.keys():
            patches.setdefault(item, {})["hl"] = ""
        for item, part in new.items():
            patches.setdefault(item, {})["hl"] = part
        self.highlighted = new
        return patches

    @staticmethod
    def _highlight(step):
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
