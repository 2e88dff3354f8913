"""What `show()` accepts, as a Program of fresh chainrule Values the widget may change.

A chainrule Value, a parsed Program, program text, or a micrograd Value (duck-typed:
`data`, `grad`, `_prev`, `_op`, optional `label`; micrograd's own package or the lecture's
Value). The learner's objects are copied, never stepped: micrograd's `backward()` adds
to `.grad`, so grads the widget left behind would be added to by their next
`backward()`. `Converted.originals` maps each copy back to the object it came from, for
`show(..., write_grads=True)`.
"""

import math
import numbers
from collections import defaultdict
from dataclasses import dataclass, field

from ..core.engine import Value
from ..core.ops import ADD, DIV, EXP, LOG, MUL, RELU, SIGMOID, SUB, TANH, power_op
from ..core.expr import ExprError, Program, parse
from ..state.session import is_empty

# micrograd's `_op` strings; `**N` (a constant power) is read apart.
UNARY = {"ReLU": RELU, "relu": RELU, "tanh": TANH, "exp": EXP, "log": LOG, "sigmoid": SIGMOID}
COMMUTATIVE = {"+": ADD, "*": MUL}
ORDERED = {"-": SUB, "/": DIV}  # only when `_prev` keeps the operands' order
ACTIVATIONS = {"relu", "tanh", "sigmoid"}


@dataclass
class Converted:
    program: Program
    originals: dict = field(default_factory=dict)  # copy -> the learner's object


def convert(x, labels=None, model=None):
    """A Program over copies of `x`'s graph. `labels` names unlabelled nodes ({name:
    node}); `model` (an MLP, Layer or Neuron with `.w`/`.b`) groups its neurons."""
    if isinstance(x, str):
        return Converted(_parse(x))
    if isinstance(x, Program):
        root, origin = x.output, "chainrule"
    elif isinstance(x, Value):
        root, origin = x, "chainrule"
    elif _is_micrograd(x):
        root, origin = x, "micrograd"
    else:
        raise TypeError(_refusal(x))
    copies = _copy_graph(root, origin)
    originals = {copy: original for original, copy in copies.items()}
    names = _names(labels or {}, copies)
    neurons = _neurons(model, copies) if model is not None else []
    for (layer, neuron), (ws, b) in neurons:
        for i, w in enumerate(ws):
            names.setdefault(w, w.label or f"w{layer}.{neuron}.{i}")
        names.setdefault(b, b.label or f"b{layer}.{neuron}")
    for copy, name in names.items():
        if not copy.label:
            copy.label = name
    output = copies[root]
    if isinstance(x, Program):
        inputs = {name: copies[v] for name, v in x.inputs.items() if v in copies}
        groups = {copies[v]: name for v, name in x.groups.items() if v in copies}
        program = Program(x.source, output, {n: copies[v] for n, v in x.values.items()
                                             if v in copies}, inputs, dict(x.literals), groups)
    else:
        program = Program("", output, inputs=_inputs(output), groups=_groups(neurons, output))
    return Converted(program, originals)


def _parse(text):
    if is_empty(text):
        raise ValueError("show() got text with no expression in it: write one, "
                         "e.g. show('L = tanh(2*x + b)')")
    try:
        return parse(text)
    except ExprError as error:
        raise ValueError(f"show() could not read the text: {error}") from None


def _is_micrograd(x):
    return all(hasattr(x, name) for name in ("data", "grad", "_prev", "_op"))


def _refusal(x):
    kind = type(x)
    what = f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" \
        else kind.__qualname__
    if kind.__module__.split(".")[0] == "torch":
        return (f"show() draws scalar graphs built with chainrule or micrograd Values, not a "
                f"{what}; build the expression with chainrule.Value (same ops) to step through it")
    if isinstance(x, (list, tuple, set, dict)):
        return (f"show() takes one Value (e.g. the loss), not a {what} of {len(x)} items; "
                f"combine them first, e.g. sum(...)")
    return (f"show() takes a chainrule Value, a parsed program, expression text or a "
            f"micrograd Value, not {what} {x!r:.60}")


def _parents(v, origin):
    return v.parents if origin == "chainrule" else v._prev


def _copy_graph(root, origin):
    """{original: copy} for every node `root` depends on, without recursion."""
    copies = {}
    stack = [(root, False)]
    while stack:
        v, ready = stack.pop()
        if v in copies:
            continue
        parents = _parents(v, origin)
        if not ready:
            stack.append((v, True))
            stack.extend((p, False) for p in parents if p not in copies)
            continue
        copies[v] = _copy_chainrule(v, copies) if origin == "chainrule" \
            else _copy_micrograd(v, copies)
    return copies


def _copy_chainrule(v, copies):
    return Value(v.data, v.label, tuple(copies[p] for p in v.parents), v._op)


def _copy_micrograd(v, copies):
    data = v.data
    if isinstance(data, bool) or not isinstance(data, numbers.Real):
        raise TypeError(f"show() needs numbers in .data; a micrograd node holds {data!r:.60}")
    label = getattr(v, "label", "")
    label = label if isinstance(label, str) else str(label)
    prev = v._prev
    op = v._op
    # `_prev` is a set in micrograd: its order is the order micrograd's backward() walks
    # the graph in, so keeping it keeps micrograd's sums, bit for bit.
    operands = tuple(copies[p] for p in prev)
    if not operands:
        return Value(data, label)
    op_class, ordered = _op(op, len(operands), not isinstance(prev, (set, frozenset)))
    if op_class in (ADD, MUL, SUB, DIV) and len(operands) == 1:  # a + a: one set member
        operands = operands * 2
    if not ordered and len(operands) != _arity(op_class):
        raise ValueError(f"show() cannot map micrograd op {op!r} with {len(operands)} operands")
    return Value(data, label, operands, op_class)


def _op(op, count, ordered):
    """chainrule's Op for micrograd's `_op` string; (op, True) if the operands' order is
    known to be the op's own."""
    if not isinstance(op, str):
        raise ValueError(f"show() cannot map micrograd op {op!r}: expected a string like '+'")
    if op in COMMUTATIVE:
        return COMMUTATIVE[op], False
    if op in UNARY:
        return UNARY[op], False
    if op.startswith("**"):
        try:
            exponent = float(op[2:])
        except ValueError:
            raise ValueError(f"show() cannot map micrograd op {op!r}: the power is not a number") \
                from None
        if math.isfinite(exponent):
            return power_op(exponent), False
    if op in ORDERED and ordered and count == 2:
        return ORDERED[op], True
    if op in ORDERED:
        raise ValueError(f"show() cannot map micrograd op {op!r}: its operands are kept in a set, "
                         f"so which one comes first is lost; micrograd builds - and / from + * **")
    raise ValueError(f"show() cannot map micrograd op {op!r}; it maps + * **n ReLU tanh exp log "
                     f"sigmoid and the - and / built from them")


def _arity(op):
    return 2 if op in (ADD, MUL, SUB, DIV) else 1


def _names(labels, copies):
    """{copy: name} for the unlabelled nodes the learner named (`labels`: {name: node})."""
    names = {}
    for name, node in labels.items():
        copy = copies.get(node) if _hashable(node) else None
        if copy is not None and not copy.label and copy not in names:
            names[copy] = name
    return names


def _hashable(node):
    try:
        hash(node)
    except TypeError:
        return False
    return True


def _inputs(output):
    """{name: leaf} for the labelled leaves, operands first; a repeated label gets a
    suffix so each input is tuned apart."""
    inputs = {}
    for v in output.topological_order():
        if v.parents or not v.label:
            continue
        name, k = v.label, 1
        while name in inputs:
            k += 1
            name = f"{v.label}_{k}"
        v.label = name
        inputs[name] = v
    return inputs


def _neurons(model, copies):
    """[((layer, neuron), (weight copies, bias copy))] of `model`'s neurons in the graph."""
    layers = getattr(model, "layers", None)
    if layers is None:
        layers = [model] if hasattr(model, "neurons") else [_Layer([model])]
    if not all(hasattr(layer, "neurons") for layer in layers) or not all(
            hasattr(n, "w") and hasattr(n, "b") for layer in layers for n in layer.neurons):
        raise TypeError(f"model= takes an MLP, Layer or Neuron (with .w and .b), "
                        f"not {type(model).__qualname__}")
    found = []
    for li, layer in enumerate(layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            ws = [copies.get(w) for w in neuron.w]
            b = copies.get(neuron.b)
            if b is not None and all(w is not None for w in ws):
                found.append(((li, j), (ws, b)))
    return found


@dataclass
class _Layer:
    neurons: list


def _groups(neurons, output):
    """{node: "L1.N0"}: each neuron's weights, bias, products, sum and activation, for
    every input the neuron was applied to."""
    if not neurons:
        return {}
    consumers = defaultdict(list)
    for v in output.topological_order():
        for p in set(v.parents):
            consumers[p].append(v)
    groups = {}
    for (layer, neuron), (ws, b) in neurons:
        name = f"L{layer}.N{neuron}"
        members = set(ws) | {b}
        members |= {c for w in ws for c in consumers[w] if c._op is MUL}
        stack, sums = [b], []
        while stack:
            current = stack.pop()
            for c in consumers[current]:
                if c._op is ADD and c not in members and all(p in members for p in c.parents):
                    members.add(c)
                    sums.append(c)
                    stack.append(c)
        ends = [s for s in sums if not any(c in members for c in consumers[s])]
        members |= {c for s in ends for c in consumers[s] if c.op in ACTIVATIONS}
        for v in members:
            groups.setdefault(v, name)
    return groups
