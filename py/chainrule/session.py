"""The page's state as plain Python: the program on screen and where backprop stands.

`app.py` only forwards events here and hands the results to the renderer. Everything a
trip produces is data in the renderer's shapes: a whole view for a new graph, or a dict
of cell patches `{id: {...}}` naming only the nodes and edges that changed.

A value node's cell is `v`/`vt` (value as `repr` and as display text), `g`/`gt` (the same
for the gradient, empty while it is not known yet), `done` (all contributions applied) and
`hl` (its part in the current step). An input's cell also has `e`, its number as the
text to edit; a value that is not finite has `w`, where it came from ('log of -1').
Operator nodes and edges only carry `hl`.
"""

import math
from collections import Counter
from itertools import islice

from .explain import display_name
from .expr import parse
from .graph import flow_graph, node_ids
from .groups import (GroupTree, default_collapsed, group_id, group_name, group_tree,
                     grouped_graph)
from .layout import laid_out_graph
from .stepper import backward_steps, step_count
from .tuning import LiteralText, Scrub, literal_text
from .wire import number_text


def cell_text(x):
    """A number for a 84 px cell: 4 decimals, scientific when very large or small."""
    size = abs(x)
    if size < 1e4 and (size >= 1e-3 or size == 0):  # the usual case first: tuning formats hundreds
        return f"{x:.4f}"
    if x != x:
        return "nan"
    if size == math.inf:
        return "inf" if x > 0 else "-inf"
    return f"{x:.3e}"


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
# Which part a collapsed box shows when several of its members take part in a step.
BOX_PRIORITY = ("operand", "result", "operator", "none")


def is_empty(text):
    """True for text with no statement: blank lines and comments only."""
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


class Session:
    """One program on screen and the backprop steps taken through it."""

    def __init__(self, run_dagre, direction="LR"):
        self.run_dagre = run_dagre
        self.direction = direction
        self._forget_program()

    # a new program -----------------------------------------------------------

    def load(self, text):
        """Parse and lay out `text`; returns the view. On ExprError nothing changes."""
        if is_empty(text):
            return self._load_empty(text)
        return self.load_program(parse(text))

    def load_program(self, program):
        """Lay out a program already built (the notebook builds one from Values); returns
        the view. Tuning rewrites the literals of `program.source`."""
        text = program.source
        order = program.output.topological_order()
        ids = node_ids(order)
        full = flow_graph(program.output, order)
        tree = group_tree(program, order, ids)
        self.text, self.program, self.order, self.ids = text, program, order, ids
        self.full, self.tree = full, tree
        self.collapsed = default_collapsed(tree, len(full["nodes"]))
        self._lay_out()
        self.uses = Counter(p for v in order for p in v.parents)
        self.literals = LiteralText(text, program.literals)
        self.scrub = None
        self._reset_steps()
        return self.whole_view()

    def _lay_out(self):
        """Lays out the program with the groups in `collapsed` as boxes: the view, which
        nodes the boxes hide, and which values their rows show."""
        grouped = grouped_graph(self.full, self.tree, self.collapsed)
        self.view = laid_out_graph(grouped.graph, self.run_dagre, self.direction)
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
        self._reset_steps()

    def set_direction(self, direction):
        self.direction = direction
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
        cell = value_cell(v.data)
        if not math.isfinite(v.data):
            cell["w"] = v.origin()
        cell.update(self._grad_state(v))
        if v.is_leaf and v.label:
            cell["e"] = literal_text(v.data)
        return cell

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
        stay live when backprop had been run to the end; otherwise stepping starts over.
        The text gets the new literal, so what is saved or shared keeps it.
        """
        v = self.program.inputs[name]
        if v not in self.ids:
            raise KeyError(name)
        before = [self._numbers(v) for v in self.order]
        finished = self.total > 0 and self.at_end
        v.data = value
        self.program.output.forward(self.order)
        self.text = self.literals.set(name, literal_text(value))
        if finished:  # the same last step stays highlighted
            self._finish_again()
            patches = {}
        else:
            shown = self.highlighted
            self._reset_steps()
            self.highlighted = shown
            patches = self._patches(None, None)
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
        if received is None:
            return data, not data and math.copysign(1.0, data)
        grad = v.grad
        return (data, not data and math.copysign(1.0, data),
                grad, not grad and math.copysign(1.0, grad), received)

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
        return self.taken[self.position - 1] if self.position else None

    @property
    def at_start(self):
        return self.position == 0

    @property
    def at_end(self):
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
        """One more contribution; returns the cell patches, or None at the end."""
        if self.at_end:
            return None
        step = self._advance()
        return self._patches(step.operand, step)

    def back(self):
        """Undo the last contribution exactly; returns the cell patches, or None at start."""
        if self.at_start:
            return None
        step = self._retreat()
        return self._patches(step.operand, self.current)

    def finish(self):
        """All remaining steps; returns the cell patches (None when already at the end)."""
        return None if self.at_end else self.go_to(self.total)

    def reset(self):
        """Back to before the first step; returns the cell patches."""
        return self.go_to(0)

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
        if step.kind == "seed":
            return {step.result_id: "result"}
        parts = {step.result_id: "result", step.operator_id: "operator",
                 step.operand_id: "operand"}
        for edge_id in step.edge_ids:
            parts[edge_id] = "operand"
        return parts
