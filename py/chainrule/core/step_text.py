"""What the explanation panel says about where stepping stands, as [(testid, text)] blocks:
the forward pass's recipe and arithmetic, forward mode's tangent rule, backprop's chain rule
with the micrograd line that runs."""

from .explain import display_name, dotted, wrapped
from .numbers import fmt


def step_blocks(session):
    """The explanation's paragraphs for the session's current place."""
    phase, step = session.phase, session.current
    if phase == "tangent":
        return _tangent_blocks(session, step)
    if phase == "forward":
        return _forward_blocks(session, step)
    if step is None:
        return [("explain-hint", "Press Step (→) to start backpropagation from the output.")]
    blocks = [("explain-formula", step.formula), ("explain-rule", step.rule),
              ("explain-arithmetic", step.arithmetic), ("explain-code", step.code)]
    if step.into_constant:
        blocks.append(("explain-constant",
                       f"A step into the constant {display_name(step.operand)}: its gradient "
                       "is computed like any other, but nothing uses it, since a constant "
                       "is never tuned."))
    return blocks


def _forward_blocks(session, step):
    if step is None:
        return [("explain-hint", "The forward pass: the inputs have their numbers, every other "
                 "value is ? until its operator computes it. Press Step (→) for the first.")]
    blocks = [("explain-formula", f"{step.formula} = {step.arithmetic}")]
    if session.forward.at_end:
        blocks.append(("explain-next", "The forward pass is done: every value is known. "
                       "Step (→) starts backprop: the output's grad becomes 1."))
    return blocks


def _tangent_blocks(session, step):
    name = session.tangent_input
    seed = dotted(name)
    if step is None:
        return [("explain-hint", f"Forward mode for {name}: {seed} = 1 and every other "
                 f"input's tangent is 0. Each Step (→) computes one value's tangent "
                 f"∂value/∂{name} from its operands' with the op's tangent rule.")]
    blocks = [("explain-formula", f"{step.formula} = {step.arithmetic}"),
              ("explain-rule", f"{dotted(display_name(step.result))} means "
               f"∂{wrapped(display_name(step.result))}/∂{name}: each operand's tangent times "
               "the op's local derivative, summed.")]
    if session.tangent.at_end:
        root = session.program.output
        grad = session.program.inputs[name].grad
        forward, backward = session.sweeps
        top = display_name(root)
        blocks.append(("explain-sweep",
                       f"The sweep is done: {dotted(top)} = ∂{wrapped(top)}/∂{name} = "
                       f"{fmt(step.tangent)}, the number backprop gives as {name}'s grad "
                       f"({fmt(grad)}). Forward mode needs a sweep per input ({forward} "
                       f"here); backprop gets every input's grad in one ({backward})."))
    return blocks
