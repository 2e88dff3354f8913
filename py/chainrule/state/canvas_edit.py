"""Editing the graph on the canvas: the editor's state and the view it draws.

`CanvasEditor` holds the editable model (canvas_program.py), the undo history and the
map from the canvas's node and edge ids back to the model. Its view is the session's
view (same ids for everything the output depends on, so stepping, tuning and export
work unchanged) plus what the text does not reach: statements the output does not use,
and operators still missing an operand, drawn as incomplete.

Until the user turns edit mode on, the editor stays out of the way: the page draws the
session's own view, exactly as before. After edit mode the canvas's view stays (nodes where
the user put them) only for a program without groups: one with groups is drawn as the
session draws it, boxes and frames, collapsed as they were.
"""

from .canvas_program import CanvasProgram, EditRefused, op_arity, port_labels
from .history import History
from ..core.engine import operands_first
from ..core.ids import operand_edge_id, operator_id, result_edge_id
from ..view.graph import role
from ..view.layout import laid_out_graph, place
from ..view.cells import UNKNOWN_GRAD, value_cell
from ..core.numbers import literal_text

__all__ = ["CanvasEditor", "EditRefused"]

INCOMPLETE_TEXT = "⚠ missing"  # the data cell of a value whose operator lacks an operand


class CanvasEditor:
    """The canvas's editable program, its history, and the ids it last drew."""

    def __init__(self):
        self.model = None
        self.editing = False
        self.history = History()
        self.node_keys = {}  # canvas id -> ("value", key) or ("op", key)
        self.edge_keys = {}  # canvas id -> (op key, operand slot, or None for the result)

    def shows(self, session):
        """Whether the canvas draws the model: in edit mode, and after it where the user
        placed nodes, unless the program has groups to draw."""
        return self.editing or bool(self.model is not None and self.model.positions
                                    and not session.tree)

    # the model and the text ------------------------------------------------------

    def ensure_model(self, session):
        if self.model is None:
            self.model = CanvasProgram.from_program(session.program)
        return self.model

    def text_loaded(self, session, record=True, elsewhere=False):
        """A text was drawn: the model follows a text edit (keeping positions by name). A
        program from `elsewhere` (an example, a sample, a link) leaves edit mode: it opens
        as the session draws it, and nothing of the canvas before carries over."""
        if elsewhere:
            self.editing = False
            self.model = None
        elif self.model is not None:
            self.model = CanvasProgram.from_program(session.program, previous=self.model)
        if record:
            self.record(session.text)

    def new_graph(self):
        self.model = CanvasProgram()
        self.editing = True

    def record(self, text):
        self.history.record((text, self.model.to_dict() if self.model is not None else None))

    def remember_positions(self, text):
        """Moves are kept in the current history entry, not as steps of their own."""
        self.history.replace((text, self.model.to_dict()))

    def tuned(self, session):
        """An input's number changed through the session (scrub, slider, typed): the
        model takes the numbers, and the change is a step of the history."""
        if self.model is None or session.program is None:
            self.record(session.text)
            return
        # The session's forward pass covers what the output uses; statements it does not
        # use are on the canvas too, so they are computed again here.
        program = session.program
        program.output.forward(operands_first([*program.inputs.values(),
                                               *program.values.values()]))
        for name, v in session.program.inputs.items():
            node = self.model.values.get(name)
            if node is not None and node.kind == "input":
                node.number = v.data
        self.record(session.text)

    def undo(self):
        return self._restore(self.history.undo())

    def redo(self):
        return self._restore(self.history.redo())

    def _restore(self, entry):
        """(text to draw, whether the canvas drew it) for a history entry, or None at
        either end. A canvas entry brings its model back; a typed one's model is derived
        from the text when it is drawn."""
        if entry is None:
            return None
        text, snapshot = entry
        if snapshot is not None:
            self.model = CanvasProgram.from_dict(snapshot)
        return text, snapshot is not None

    def kept(self):
        """What a failed draw puts back (`put_back`): the model, the mode, the history."""
        return vars(self).copy(), self.history.kept()

    def put_back(self, kept):
        state, history = kept
        vars(self).update(state)
        self.history.put_back(history)

    # canvas gestures ---------------------------------------------------------------

    def value_key(self, node_id):
        kind, key = self.node_keys.get(node_id, (None, None))
        return key if kind == "value" else None

    def connect(self, source, source_handle, target, target_handle):
        """An edge dropped on the canvas; EditRefused says why it cannot be."""
        source_kind, source_key = self.node_keys.get(source, (None, None))
        target_kind, target_key = self.node_keys.get(target, (None, None))
        if source_kind is None or target_kind is None:
            raise EditRefused("That node is gone; try again")
        if target_kind == "value":
            raise EditRefused("A value node cannot take an edge: its value comes from its own "
                              "operator. Connect into an operator's input instead")
        if source_kind == "op":
            result = self.model.ops[source_key].result
            hint = f"drag from its result {result} instead" if result else \
                "connect all its operands, then drag from its result"
            raise EditRefused(f"An operator cannot feed another operator directly: {hint}")
        if not (target_handle or "").startswith("in"):
            raise EditRefused("Drop the edge on one of the operator's inputs")
        slot = int(target_handle[2:])
        self.model.connect(source_key, target_key, slot)

    def add_input(self, position=None, near=None):
        return self.model.add_input(position, near)

    def add_op(self, symbol, near=None):
        return self.model.add_op(symbol, near=near)

    def delete(self, node_ids, edge_ids):
        """Deletes nodes and edges by canvas id; False if none of them can be deleted."""
        changed = False
        for edge_id in edge_ids:
            op_key, slot = self.edge_keys.get(edge_id, (None, None))
            if slot is not None and op_key in self.model.ops:
                self.model.disconnect(op_key, slot)
                changed = True
        for node_id in node_ids:
            kind, key = self.node_keys.get(node_id, (None, None))
            if kind == "value" and key in self.model.values:
                self.model.delete_value(key)
                changed = True
            elif kind == "op" and key in self.model.ops:
                self.model.delete_op(key)
                changed = True
        return changed

    def move(self, node_id, x, y):
        kind, key = self.node_keys.get(node_id, (None, None))
        if kind is not None:
            self.model.positions[key if kind == "value" else "@" + key] = [float(x), float(y)]

    def tidy(self):
        self.model.positions.clear()

    # the view ----------------------------------------------------------------------

    def view(self, session, run_dagre, direction="LR"):
        """The whole view for the renderer: {nodes, edges, cells}."""
        if not self.shows(session):
            return session.whole_view()
        model = self.ensure_model(session)
        base_cells = session.cells(every=True) if session.program else {}
        values = _values_of(model, session.program)
        ids = session.ids
        output = session.program.output if session.program else None
        complete = model.complete_values()
        refusals = model.output_refusals()
        nodes, edges, cells = [], [], {}
        self.node_keys, self.edge_keys = {}, {}
        canvas_id = {}

        for key, node in model.values.items():
            v = values.get(key)
            shown = ids.get(v) if v is not None else None
            cid = shown or f"c:{key}"
            canvas_id[key] = cid
            self.node_keys[cid] = ("value", key)
            label = "" if node.kind == "constant" else key
            if key not in complete:
                node_role = "incomplete"
            elif shown:
                node_role = role(v, output)
            else:
                node_role = {"input": "input", "constant": "constant"}.get(node.kind,
                                                                          "intermediate")
            symbol = model.ops[node.op].symbol if node.kind == "result" else ""
            # the node's menu offers "make it the output" with this reason to refuse
            nodes.append({"id": cid, "type": "value",
                          "data": {"label": label, "role": node_role, "op": symbol,
                                   "notOutput": refusals[key]}})
            if shown:
                cells[cid] = base_cells.get(cid, {})
            elif v is not None:
                cells[cid] = {**value_cell(v.data), **UNKNOWN_GRAD}
                if node.kind == "input":
                    cells[cid]["e"] = literal_text(v.data)
            elif node.kind in ("input", "constant"):
                cells[cid] = {**value_cell(node.number), **UNKNOWN_GRAD}
                if node.kind == "input":
                    cells[cid]["e"] = literal_text(node.number)
            else:
                cells[cid] = {"v": "", "vt": INCOMPLETE_TEXT, **UNKNOWN_GRAD}

        for op_key, op in model.ops.items():
            result_id = canvas_id.get(op.result)
            in_session = result_id is not None and not result_id.startswith("c:")
            oid = operator_id(result_id) if in_session else f"c:@{op_key}"
            self.node_keys[oid] = ("op", op_key)
            nodes.append({"id": oid, "type": "operator", "data": {
                "op": op.symbol, "arity": op_arity(op.symbol), "ports": port_labels(op.symbol),
                "incomplete": op.result not in complete}})
            if in_session:
                cells[oid] = base_cells.get(oid, {})
            for slot, operand in enumerate(op.operands):
                if operand is None:
                    continue
                source = canvas_id[operand]
                eid = operand_edge_id(source, result_id, slot) \
                    if in_session and not source.startswith("c:") else f"c:e@{op_key}.{slot}"
                self.edge_keys[eid] = (op_key, slot)
                edges.append({"id": eid, "source": source, "target": oid,
                              "targetHandle": f"in{slot}", "data": {"operand": slot}})
                if eid in base_cells:
                    cells[eid] = base_cells[eid]
            if op.result is not None:
                eid = result_edge_id(result_id) if in_session else f"c:e@{op_key}.out"
                self.edge_keys[eid] = (op_key, None)
                edges.append({"id": eid, "source": oid, "target": result_id})
                if eid in base_cells:
                    cells[eid] = base_cells[eid]

        graph = {"nodes": nodes, "edges": edges}
        drawn = {n["id"]: n["position"] for n in session.view["nodes"] if "position" in n} \
            if session.view else {}
        self._position(graph, model, drawn, run_dagre, direction)
        return {**graph, "cells": cells}

    def _position(self, graph, model, drawn, run_dagre, direction):
        """Where the user put nodes they stay; the rest stay where the session drew them,
        and what neither knows comes from dagre. In edit mode every position is then
        kept, so later edits move nothing but what they add."""
        def key_of(node):
            kind, key = self.node_keys[node["id"]]
            return key if kind == "value" else "@" + key

        if not graph["nodes"]:
            return
        if all(key_of(n) in model.positions or n["id"] in drawn for n in graph["nodes"]):
            place(graph, {"nodes": [{"v": n["id"], "value": {"x": 0, "y": 0, "width": 0,
                                                             "height": 0}}
                                    for n in graph["nodes"]]}, direction)
        else:
            # the session's choice of layout too: dagre, or the layered one when big
            laid_out_graph(graph, run_dagre, direction)
            drawn = {}  # one layout for all, rather than two that overlap
        for node in graph["nodes"]:
            key = key_of(node)
            if key in model.positions:
                x, y = model.positions[key]
                node["position"] = {"x": x, "y": y}
            elif node["id"] in drawn:
                node["position"] = dict(drawn[node["id"]])
            if self.editing and key not in model.positions:
                model.positions[key] = [node["position"]["x"], node["position"]["y"]]


def _values_of(model, program):
    """Model key -> the program's Value for it, for everything the text holds."""
    if program is None:
        return {}
    found = {}
    for key, node in model.values.items():
        if node.kind == "constant":
            continue
        v = program.values.get(key) or program.inputs.get(key)
        if v is not None and v.label == key:
            found[key] = v
    stack = list(found)
    complete = model.complete_values()
    while stack:
        key = stack.pop()
        node, v = model.values[key], found[key]
        if node.kind != "result" or key not in complete:
            continue
        operands = model.ops[node.op].operands
        if len(v.parents) != len(operands):
            continue
        for operand, parent in zip(operands, v.parents):
            if operand not in found:
                found[operand] = parent
                stack.append(operand)
    return found

