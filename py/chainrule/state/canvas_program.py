"""The program as the canvas edits it: inputs, operators with operand slots, results.

Text and canvas are two views of one program. Text becomes this model with
`from_program`; a canvas edit changes the model and `to_text` writes the equivalent
program back (inputs as `name = value`, one statement per result, in dependency order).
The model can also hold what text cannot: operators still missing an operand, and the
results that depend on them. Those live only here until they are complete again.

Value nodes are keyed by name. Constants that came from text (the `2` in `2*x`) have
keys that are not identifiers (`#1`), so they never collide with a name and are written
back inline. Operators are keyed `o1`, `o2`, ...
"""

from dataclasses import dataclass, field
from typing import Optional

from ..core.engine import operands_first
from ..core.expr import FUNCTIONS, name_problem
from ..core.numbers import literal_text
from ..core.ops import OPS, op_for
from .canvas_spots import RESULT_GAP, free_spot


def op_arity(symbol):
    """How many operand slots the operator `symbol` has; ValueError for an unknown one."""
    return op_for(symbol).arity


def port_labels(symbol):
    """Names of the operand slots of a non-commutative op, else None."""
    return OPS[symbol].ports if symbol in OPS else None


def _template(symbol):
    return op_for(symbol).written


def _atom(text):
    return f"({text})" if text.startswith("-") else text


class EditRefused(ValueError):
    """A canvas edit the program cannot take; the message says why, for the user."""


@dataclass
class ValueNode:
    kind: str  # "input", "constant" or "result"
    number: float = 1.0  # inputs and constants
    op: Optional[str] = None  # results: the key of the operator that makes it


@dataclass
class OpNode:
    symbol: str
    operands: list  # one value key or None per slot
    result: Optional[str] = None


@dataclass
class CanvasProgram:
    values: dict = field(default_factory=dict)  # key -> ValueNode
    ops: dict = field(default_factory=dict)  # key -> OpNode
    seq: list = field(default_factory=list)  # value keys in the order they were made
    output: Optional[str] = None  # chosen output (make output, or the latest result)
    positions: dict = field(default_factory=dict)  # value key or "@<op key>" -> [x, y]
    counter: int = 0  # for fresh op and constant keys
    groups: dict = field(default_factory=dict)  # value key -> its `# group:` block's name

    # reading text ------------------------------------------------------------

    @classmethod
    def from_program(cls, program, previous=None):
        """The model of a parsed Program (None: empty). Positions carry over from
        `previous` for values whose names survived and for operators by their result."""
        model = cls()
        if program is None:
            return model
        keys = {}  # id(Value) -> key
        taken = {v.label for v in program.values.values()} | set(program.values) \
            | set(program.inputs)
        roots = [*program.inputs.values(), *program.values.values(), program.output]
        for v in operands_first(roots):
            if v.is_leaf:
                if v.label and v.label not in model.values:
                    key = v.label
                    model.values[key] = ValueNode("input", v.data)
                else:
                    key = model._fresh_key("#")
                    model.values[key] = ValueNode("constant", v.data)
            else:
                key = v.label if v.label and v.label not in model.values \
                    else model._fresh_name("t", taken)
                taken.add(key)
                op = model._fresh_key("o")
                model.ops[op] = OpNode(v.op, [keys[id(p)] for p in v.parents], key)
                model.values[key] = ValueNode("result", op=op)
            keys[id(v)] = key
            if model.values[key].kind != "constant":
                model.seq.append(key)
                if v in program.groups:
                    model.groups[key] = program.groups[v]
        model.output = keys[id(program.output)]
        if previous is not None:
            model._keep_incomplete(previous)
            model._keep_positions(previous)
        return model

    def _keep_incomplete(self, previous):
        """Operators the text cannot hold yet (an operand missing) stay on the canvas,
        with their results, connected to whatever values kept their names."""
        complete = previous.complete_values()
        kept = {}
        for key, op in previous.ops.items():
            if op.result in complete or (op.result is not None and op.result in self.values):
                continue
            new_key = self._fresh_key("o")
            kept[key] = new_key
            self.ops[new_key] = OpNode(op.symbol, list(op.operands), op.result)
            if op.result is not None:
                self.values[op.result] = ValueNode("result", op=new_key)
                self.seq.append(op.result)
        for new_key in kept.values():
            op = self.ops[new_key]
            op.operands = [k if k in self.values and not k.startswith("#") else None
                           for k in op.operands]
        for old, new in kept.items():
            if "@" + old in previous.positions:
                self.positions["@" + new] = previous.positions["@" + old]

    def _keep_positions(self, previous):
        for key in self.values:
            if key in previous.positions and not key.startswith("#"):
                self.positions[key] = previous.positions[key]
        old_ops = {op.result: key for key, op in previous.ops.items() if op.result}
        for key, op in self.ops.items():
            old = old_ops.get(op.result)
            if old is not None and "@" + old in previous.positions \
                    and "@" + key not in self.positions:
                self.positions["@" + key] = previous.positions["@" + old]

    # writing text ------------------------------------------------------------

    def is_complete(self, key):
        return key in self.complete_values()

    def complete_values(self):
        """The keys of every value whose operands, all the way down, are connected."""
        done = {}
        for key in self.values:
            stack = [key]
            while stack:
                k = stack[-1]
                if k in done:
                    stack.pop()
                    continue
                node = self.values[k]
                if node.kind != "result":
                    done[k] = True
                    stack.pop()
                    continue
                operands = self.ops[node.op].operands
                if None in operands:
                    done[k] = False
                    stack.pop()
                    continue
                waiting = [o for o in operands if o not in done]
                if waiting:
                    stack.extend(waiting)
                else:
                    done[k] = all(done[o] for o in operands)
                    stack.pop()
        return {k for k, ok in done.items() if ok}

    def complete_op(self, op_key, complete=None):
        op = self.ops[op_key]
        complete = self.complete_values() if complete is None else complete
        return op.result is not None and op.result in complete

    def statement_order(self):
        """The names of the complete values in text order: inputs, then results in
        dependency order (each after its operands, otherwise in the order they were
        made), the output last."""
        complete = self.complete_values()
        inputs = [k for k in self.seq if self.values[k].kind == "input"]
        placed = set(inputs)
        results = []
        for key in self.seq:
            if self.values[key].kind != "result" or key not in complete:
                continue
            stack = [key]  # depth first, operands before the value that uses them
            while stack:
                k = stack[-1]
                if k in placed:
                    stack.pop()
                    continue
                waiting = [o for o in self.ops[self.values[k].op].operands
                           if o not in placed and self.values[o].kind == "result"]
                if waiting:
                    stack.extend(reversed(waiting))
                else:
                    placed.add(k)
                    results.append(k)
                    stack.pop()
        order = inputs + results
        out = self._output_of(order, complete)
        if out is not None:
            order.remove(out)
            order.append(out)
        return order

    def output_name(self):
        order = self.statement_order()
        return order[-1] if order else None

    def _output_of(self, order, complete):
        """The value the program ends with: the chosen one if it can be last (complete,
        no complete result uses it, not a constant: `0` alone as the output has no
        statement of its own), else the last result, else the last input."""
        if not order:
            return None
        if self.output in order and not self.complete_users(self.output, complete):
            return self.output
        results = [k for k in order if self.values[k].kind == "result"]
        return results[-1] if results else order[-1]

    def users(self, key):
        """Operator keys that take `key` as an operand."""
        return [o for o, op in self.ops.items() if key in op.operands]

    def complete_users(self, key, complete=None):
        complete = self.complete_values() if complete is None else complete
        return [o for o in self.users(key) if self.complete_op(o, complete)]

    def expression(self, key):
        op = self.ops[self.values[key].op]
        return _template(op.symbol).format(*(self.operand_text(k) for k in op.operands))

    def operand_text(self, key):
        node = self.values[key]
        return _atom(literal_text(node.number)) if node.kind == "constant" else key

    def to_text(self):
        lines, group = [], None
        for key in self.statement_order():
            node = self.values[key]
            rhs = literal_text(node.number) if node.kind == "input" else self.expression(key)
            # Groups survive an edit: a `# group:` line where a block starts, a blank line
            # where one ends (a group split in two blocks is still one group).
            if self.groups.get(key) != group:
                if group is not None:
                    lines.append("")
                group = self.groups.get(key)
                if group is not None:
                    lines.append(f"# group: {group}")
            lines.append(f"{key} = {rhs}")
        return "\n".join(lines)

    # edits -------------------------------------------------------------------

    def add_input(self, position=None, near=None):
        name = self._fresh_name("x")
        self.values[name] = ValueNode("input", 1.0)
        self.seq.append(name)
        self._place(name, position, near)
        return name

    def add_op(self, symbol, position=None, near=None):
        op_arity(symbol)  # refuses unknown symbols
        key = self._fresh_key("o")
        self.ops[key] = OpNode(symbol, [None] * op_arity(symbol))
        self._place("@" + key, position, near)
        return key

    def connect(self, source, op_key, slot):
        """Value `source` into operand `slot` of operator `op_key`; EditRefused says why not."""
        op = self.ops[op_key]
        if op.operands[slot] is not None:
            slot_name = self.slot_name(op_key, slot)
            raise EditRefused(
                f"{slot_name[:1].upper()}{slot_name[1:]} of {op.symbol} already takes "
                f"{self.display(op.operands[slot])}: delete that edge first")
        if op.result is not None and (source == op.result or op.result in self.ancestors(source)):
            raise EditRefused(
                f"That would make a cycle: {self.display(source)} already depends on "
                f"{op.result}, the result of this {op.symbol}")
        op.operands[slot] = source
        if None in op.operands:
            return None
        if op.result is None:  # a new result: the latest thing built is the output
            op.result = self._fresh_name("t")
            self.values[op.result] = ValueNode("result", op=op_key)
            self.seq.append(op.result)
            self.output = op.result
            if "@" + op_key in self.positions:
                x, y = self.positions["@" + op_key]
                self.positions[op.result] = free_spot(
                    self.positions, [x + RESULT_GAP, y], ignore="@" + op_key)
        return op.result

    def slot_name(self, op_key, slot):
        labels = port_labels(self.ops[op_key].symbol)
        return f"the {labels[slot]}" if labels else f"operand {slot + 1}"

    def display(self, key):
        return self.operand_text(key) if self.values[key].kind == "constant" else key

    def ancestors(self, key):
        """Every value `key` is computed from (through complete or incomplete operators)."""
        seen, stack = set(), [key]
        while stack:
            node = self.values[stack.pop()]
            if node.kind != "result":
                continue
            for k in self.ops[node.op].operands:
                if k is not None and k not in seen:
                    seen.add(k)
                    stack.append(k)
        return seen

    def disconnect(self, op_key, slot):
        self.ops[op_key].operands[slot] = None

    def delete_value(self, key):
        node = self.values.pop(key)
        if node.kind == "result":
            del self.ops[node.op]
            self.positions.pop("@" + node.op, None)
        self._forget(key)

    def delete_op(self, op_key):
        op = self.ops.pop(op_key)
        self.positions.pop("@" + op_key, None)
        if op.result is not None:
            self.values.pop(op.result)
            self._forget(op.result)

    def _forget(self, key):
        for op in self.ops.values():
            op.operands = [None if k == key else k for k in op.operands]
        if key in self.seq:
            self.seq.remove(key)
        self.positions.pop(key, None)
        self.groups.pop(key, None)
        if self.output == key:
            self.output = None

    def set_number(self, name, number):
        self.values[name].number = number

    def rename(self, old, new):
        new = new.strip()
        if new == old:
            return
        problem = name_problem(new)
        if problem:
            raise EditRefused(problem)
        if new in self.values:
            raise EditRefused(f"'{new}' is already the name of another node")
        node = self.values.pop(old)
        self.values[new] = node
        if node.kind == "result":
            self.ops[node.op].result = new
        for op in self.ops.values():
            op.operands = [new if k == old else k for k in op.operands]
        self.seq = [new if k == old else k for k in self.seq]
        if old in self.positions:
            self.positions[new] = self.positions.pop(old)
        if old in self.groups:
            self.groups[new] = self.groups.pop(old)
        if self.output == old:
            self.output = new

    def make_output(self, key):
        refusal = self.output_refusals().get(key)
        if refusal:
            raise EditRefused(refusal)
        self.output = key

    def output_refusals(self):
        """{value key: why it cannot be made the output, or ''} for every value: a menu
        offers the action only where it can succeed."""
        complete = self.complete_values()
        users = {}  # value key -> the complete results that use it
        for op in self.ops.values():
            if op.result in complete:
                for operand in dict.fromkeys(op.operands):
                    users.setdefault(operand, []).append(op.result)
        output = self.output_name()
        refusals = {}
        for key, node in self.values.items():
            if node.kind == "constant":
                refusals[key] = "A constant cannot be the output"
            elif key not in complete:
                refusals[key] = f"{key} is incomplete: connect every operand first"
            elif key in users:
                names = users[key]
                refusals[key] = (f"{', '.join(names)} {'uses' if len(names) == 1 else 'use'} "
                                 f"{key}: the output must be a value nothing else uses")
            elif key == output:
                refusals[key] = f"{key} is the output already"
            else:
                refusals[key] = ""
        return refusals

    # placement and keys -------------------------------------------------------

    def _place(self, key, position, near=None):
        if position is None:
            position = free_spot(self.positions, near)
        self.positions[key] = [float(position[0]), float(position[1])]

    def _fresh_name(self, prefix, taken=()):
        k = 1
        while f"{prefix}{k}" in self.values or f"{prefix}{k}" in taken \
                or f"{prefix}{k}" in FUNCTIONS:
            k += 1
        return f"{prefix}{k}"

    def _fresh_key(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    # snapshots (undo/redo) ----------------------------------------------------

    def to_dict(self):
        return {
            "values": {k: [n.kind, n.number, n.op] for k, n in self.values.items()},
            "ops": {k: [o.symbol, list(o.operands), o.result] for k, o in self.ops.items()},
            "seq": list(self.seq), "output": self.output,
            "positions": {k: list(p) for k, p in self.positions.items()},
            "counter": self.counter, "groups": dict(self.groups),
        }

    @classmethod
    def from_dict(cls, d):
        return cls(
            values={k: ValueNode(*v) for k, v in d["values"].items()},
            ops={k: OpNode(o[0], list(o[1]), o[2]) for k, o in d["ops"].items()},
            seq=list(d["seq"]), output=d["output"],
            positions={k: list(p) for k, p in d["positions"].items()}, counter=d["counter"],
            groups=dict(d.get("groups", {})),
        )
