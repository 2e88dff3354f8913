"""What practice mode asks at one step: the number to find, the words around it, its hints.

A backprop step asks for its operand's gradient after the step (a reused node's running
total), a step of the forward pass for its result's value, a step of forward mode for its
result's tangent. The question names what is on screen: a node hidden in a collapsed box is
asked about when the box shows it (a value leaving the box), and otherwise not at all.
"""

from dataclasses import dataclass, field

from ..core.explain import (display_name, dotted, fmt, local_name, local_rule, recipe,
                            recipe_numbers, tangent_terms, wrapped)
from ..core.stepper import ForwardStep, TangentStep
from ..view.cells import UNKNOWN_GRAD, UNKNOWN_TANGENT, UNKNOWN_VALUE, grad_cell

# How hard each op's rule is to apply by hand, for the score's "hardest rule so far".
# A constant power is "**c"; an op not listed counts as 3.
LEVELS = {"=": 1, "+": 1, "-": 1, "neg": 1, "*": 2, "/": 3, "**c": 3, "relu": 3, "abs": 3,
          "max": 3, "min": 3, "exp": 3, "log": 3, "sqrt": 4, "sin": 4, "cos": 4, "tanh": 4,
          "sigmoid": 4, "**": 5}


@dataclass
class Question:
    """One step's question: `true` is the number to find, `value` the Value whose cell
    keeps `concealed` until the answer is right or shown."""

    key: tuple  # (phase, step index, forward-mode input): the step, however it is reached
    phase: str  # "backward", "forward" or "tangent"
    value: object
    node_id: str
    true: float
    prompt: str
    answer_name: str  # what the answer is, as the feedback names it: ∂L/∂e, e, ė
    concealed: dict = field(default_factory=dict)
    hints: tuple = ()
    rule: str = ""  # the rule the step applies, for the score
    level: int = 0
    askable: bool = True  # False: the number is not on screen (inside a collapsed box)
    note: str = ""  # why nothing is asked, when not askable


def level_of(op):
    if op.startswith("**") and op != "**":
        return LEVELS["**c"]
    return LEVELS.get(op, 3)


def question_for(session):
    """The question for the step on screen, or None before the first step."""
    step = session.current
    if step is None:
        return None
    if isinstance(step, TangentStep):
        return _tangent_question(session, step)
    if isinstance(step, ForwardStep):
        return _forward_question(session, step)
    return _backward_question(session, step)


def _where(session, node_id, shows_row):
    """(askable, box name or None, note): is `node_id`'s number on screen? A node in a
    collapsed box is, when the box shows it as a row and `shows_row`."""
    box = session.hidden.get(node_id)
    if box is None:
        return True, None, ""
    name = box[len("g:"):]
    if shows_row and node_id in session.box_rows:
        return True, name, ""
    return False, name, (f"This step happens inside the collapsed box {name}, where its "
                         "number is not on screen: nothing to answer here. Expand the box "
                         "(G) to practise its steps, or Step on.")


def _in_box(name, box):
    return f" ({name} leaves the collapsed box {box})" if box else ""


def _backward_question(session, step):
    top = display_name(step.root)
    name = display_name(step.operand)
    askable, box, note = _where(session, step.operand_id, shows_row=True)
    key = ("backward", step.index, "")
    grad_name = f"∂{wrapped(top)}/∂{wrapped(name)}"
    if step.kind == "seed":
        return Question(
            key, "backward", step.operand, step.operand_id, step.after,
            f"Backprop starts at the output: what is {grad_name}, the gradient of {name} "
            f"with respect to itself?{_in_box(name, box)}", grad_name, dict(UNKNOWN_GRAD),
            (f"{grad_name} asks how much {name} changes when {name} itself is nudged.",
             f"Nudge {name} by a small h and {name} changes by exactly h.",
             "Compute h / h."),
            f"the seed: {grad_name} = 1", 0, askable, note)
    uses = session.uses[step.operand]
    if step.accumulating:
        prompt = (f"{name} is used {uses} times and already holds {fmt(step.before)} from "
                  f"another use: what is its gradient {grad_name} now, the running total?")
        concealed = grad_cell(step.before, False)
    elif uses > 1:
        prompt = (f"{name} is used {uses} times: this step brings the first of its "
                  f"contributions. What is its gradient {grad_name} so far?")
        concealed = dict(UNKNOWN_GRAD)
    elif step.into_constant:
        prompt = (f"What is the gradient {grad_name} of the constant {name}? (Computed like "
                  "any other, though nothing uses it.)")
        concealed = dict(UNKNOWN_GRAD)
    else:
        prompt = f"What is {name}'s gradient {grad_name} after this step?"
        concealed = dict(UNKNOWN_GRAD)
    result = wrapped(display_name(step.result))
    local = local_name(step.result, step.operand_index, top)
    upstream = f"∂{wrapped(top)}/∂{result}"
    symbolic, _ = local_rule(step.result, step.operand_index)
    adds = " (added to what it holds already)" if step.accumulating else ""
    product = f"Compute {fmt(step.local)} × {fmt(step.upstream)}"
    if step.accumulating:
        product += f", then add {fmt(step.before)}"
    hints = (f"The chain rule: {grad_name} {'+=' if step.accumulating else '='} "
             f"{local} · {upstream}{adds}.",
             f"The local derivative: {step.rule}; and {upstream} = {fmt(step.upstream)} "
             f"(on {display_name(step.result)}).",
             product + ".")
    level = level_of(step.result.op) + (1 if step.accumulating else 0)
    rule = f"{local} = {symbolic}" + (", accumulated" if step.accumulating else "")
    return Question(key, "backward", step.operand, step.operand_id, step.after,
                    prompt + _in_box(name, box), grad_name, concealed, hints, rule, level,
                    askable, note)


def _forward_question(session, step):
    name = display_name(step.result)
    askable, box, note = _where(session, step.result_id, shows_row=True)
    operands = ", ".join(f"{display_name(p)} = {fmt(p.data)}" for p in step.result.parents)
    hints = (f"Its operator computes it from its operands: {step.formula}.",
             f"The operands: {operands}.",
             f"Compute {recipe_numbers(step.result)}.")
    return Question(("forward", step.index, ""), "forward", step.result, step.result_id,
                    step.value, f"The forward pass: what is the value of {name}?"
                    + _in_box(name, box), name, dict(UNKNOWN_VALUE), hints,
                    f"{step.result.op} forward: {recipe(step.result)}",
                    max(level_of(step.result.op) - 1, 1), askable, note)


def _tangent_question(session, step):
    name = display_name(step.result)
    wrt = session.tangent_input
    askable, _, note = _where(session, step.result_id, shows_row=False)
    dot = dotted(name)
    symbolic, numeric = tangent_terms(step.result, step.operand_tangents)
    tangents = ", ".join(f"{dotted(display_name(p))} = {fmt(t)}"
                         for p, t in zip(step.result.parents, step.operand_tangents))
    hints = (f"The tangent rule: {dot} = {symbolic}: each operand's tangent times the local "
             "derivative, summed.",
             f"The operands' tangents: {tangents}.",
             f"Compute {numeric}.")
    return Question(("tangent", step.index, wrt), "tangent", step.result, step.result_id,
                    step.tangent, f"Forward mode for {wrt}: what is {dot}, the tangent "
                    f"∂{wrapped(name)}/∂{wrt}?", dot, dict(UNKNOWN_TANGENT), hints,
                    f"the tangent rule {dot} = {symbolic}", level_of(step.result.op) + 1,
                    askable, note)
