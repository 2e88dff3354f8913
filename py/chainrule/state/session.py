"""The page's state as plain Python: the program on screen and where stepping stands.

The glue only forwards events here and hands the results to the renderer. Everything a
trip produces is data in the renderer's shapes: a whole view for a new graph, or a dict
of cell patches `{id: {...}}` naming only the nodes and edges that changed (the cells are
described in view/cells.py).

Session loads a program and lays it out (here), collapses and expands its groups (here),
tunes its inputs (here) and walks its passes one step at a time (state/timeline.py).
"""

import math
from collections import Counter

from ..core.expr import parse
from ..core.ids import node_ids
from ..core.numbers import literal_text
from ..view.cells import (NO_TANGENT, UNKNOWN_TANGENT, UNKNOWN_VALUE, not_finite_notice,
                          shown_on_boxes, step_parts, tangent_cell, value_cell)
from ..view.graph import flow_graph
from ..view.groups import (GroupTree, default_collapsed, group_id, group_name, group_tree,
                           grouped_graph)
from ..view.layout import laid_out_graph, pick_direction
from .input_edits import LiteralText, Scrub
from .timeline import Timeline


def is_empty(text):
    """True for text with no statement: blank lines and comments only."""
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


class Session(Timeline):
    """One program on screen and the steps taken through it."""

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
        self.highlighted = self._shown(step_parts(self.current))
        for node_id in self.highlighted:
            cells.setdefault(node_id, {})["hl"] = self.highlighted[node_id]
        return cells

    def cell(self, v):
        """Value `v`'s cell as the canvas shows it now, its highlight apart."""
        return self._cell(v)

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
        return tangent_cell(self.dots[v])

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
        shown = step_parts(self.current)
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
        for node_id in step_parts(self.current):
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
        return shown_on_boxes(highlighted, self.hidden)

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
            self.forward.back_to(self.forward.first_use_of(tuned))
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
        return self._changed_cells(before, patches)

    @property
    def notice(self):
        """The line above the canvas counting the values that are not finite, or ''."""
        return not_finite_notice(self.order)

    def _numbers(self, v):
        """What a value node's cell is made from, by part: (value, grad, tangent), each
        cheap to compare (signs of zero included: -0.0 == 0.0, but the cells show them
        apart); the grad part is None while no step reached it, the tangent part None
        in backprop."""
        data, received = v.data, self.received.get(v)
        value = (data, not data and math.copysign(1.0, data),
                 self.forward is None or self.forward.known(v))
        tangent = None
        if self.tangent is not None:
            dot = self.dots[v]
            tangent = (dot, not dot and math.copysign(1.0, dot), self.tangent.known(v))
        if received is None:
            return value, None, tangent
        grad = v.grad
        return value, (grad, not grad and math.copysign(1.0, grad), received), tangent

    def _cell_changes(self, v, old):
        """The parts of `v`'s cell (value, grad, tangent) whose numbers differ from `old`,
        what `_numbers(v)` was: {} when none does."""
        value, grad, tangent = self._numbers(v)
        changes = {}
        if value != old[0]:
            if not math.isfinite(old[0][0]):  # finite again, maybe: its origin goes
                changes["w"] = ""
            changes.update(self._value_state(v))
            if v.is_leaf and v.label:
                changes["e"] = literal_text(v.data)
        if grad != old[1]:
            changes.update(self._grad_state(v))
        if tangent != old[2]:
            changes.update(NO_TANGENT if self.tangent is None else self._tangent_state(v))
        return changes

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
