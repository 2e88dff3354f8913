"""One table per op (core/ops.py): an op declared there once is parsed, stepped, explained,
offered on the canvas and called by the PyTorch script. The op added here is the example
the table's docstring gives, run as written there."""

import textwrap

import pytest

import chainrule
import test_engine_torch
import test_properties
from torch_oracle import TORCH_BINARY, TORCH_UNARY, same, torch

from chainrule import ExprError, Value, backward_steps, forward_steps, parse, tangent_steps
from chainrule.core import ops
from chainrule.core.engine import apply, tangents
from chainrule.core.expr import name_problem
from chainrule.state.canvas_program import CanvasProgram, op_arity
from chainrule.state.scripts import pytorch_script
from test_scripts import page_grads, run


def documented_example():
    """The op core/ops.py's docstring shows how to add, as written there."""
    lines = ops.__doc__.splitlines()
    indented = " " * 7
    start = next(i for i, line in enumerate(lines) if line.startswith(indented))
    end = next(i for i in range(start, len(lines))
               if lines[i].strip() and not lines[i].startswith(indented))
    namespace = dict(vars(ops))
    exec(textwrap.dedent("\n".join(lines[start:end])), namespace)
    return namespace["SOFTPLUS"]


SOFTPLUS = documented_example()
PROGRAM = "x = 0.5\nn = x * 2\ny = softplus(n)"


@pytest.fixture
def softplus():
    with ops.registered(SOFTPLUS) as op:
        yield op


def torch_softplus(x, upstream=1.0):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = torch.nn.functional.softplus(t)
    y.backward(torch.tensor(upstream, dtype=torch.float64))
    _, dot = torch.func.jvp(torch.nn.functional.softplus, (torch.tensor(x),),
                            (torch.tensor(upstream),))
    return y.item(), t.grad.item(), dot.item()


def test_the_documented_op_gives_pytorchs_bits():
    failures = []
    for x in test_engine_torch.SPECIAL:
        for upstream in (1.0, -2.5):
            v = Value(x)
            y = apply(SOFTPLUS, v)
            (grad,) = SOFTPLUS.backward(upstream, y.data, x)
            dot = SOFTPLUS.tangent(y.data, x, upstream)
            theirs = torch_softplus(x, upstream)
            if not all(same(a, b, rel=0.0) for a, b in zip((y.data, grad, dot), theirs)):
                failures.append(f"softplus at {x!r}, upstream {upstream}: "
                                f"{(y.data, grad, dot)} vs torch {theirs}")
    assert not failures, "\n".join(failures)


def test_a_new_op_parses_steps_and_explains(softplus):
    program = parse(PROGRAM)
    y, x = program.output, program.inputs["x"]
    assert y.op == "softplus" and y.data == SOFTPLUS.forward(1.0)

    (step,) = [s for s in forward_steps(y) if s.result is y]
    assert step.formula == "y = softplus(n)"
    assert step.arithmetic == "softplus(1) = 1.313"

    steps = list(backward_steps(y))
    into = next(s for s in steps if s.kind == "chain" and s.result is y)
    assert into.formula == "∂y/∂n += ∂(softplus(n))/∂n · ∂y/∂y = σ(n) · ∂y/∂y"
    assert into.rule == "∂(softplus(n))/∂n = σ(n) = σ(1) = 0.7311"
    assert into.code == ("n.grad += (1 / (1 + math.exp(-n.data))) * y.grad   "
                         "# 0.0 + 0.7311 × 1.0 = 0.7311")
    assert same(x.grad, torch_softplus(1.0)[1] * 2, rel=0.0)

    dots = tangents(y, x)
    (tangent,) = [s for s in tangent_steps(y, x) if s.result is y]
    assert tangent.formula == "ẏ = ṅ·σ(n)"
    assert tangent.arithmetic == "2 × 0.7311 = 1.462"
    assert dots[y] == x.grad


def test_a_new_op_is_a_name_of_the_language(softplus):
    assert name_problem("softplus") == "'softplus' is a function of the language"
    with pytest.raises(ExprError, match="'softplus' is a function and cannot be assigned to"):
        parse("softplus = 2")
    with pytest.raises(ExprError, match=r"softplus\(\) takes 1 argument, got 2"):
        parse("softplus(1, 2)")
    with pytest.raises(ExprError, match="available: .*softplus"):
        parse("softmax(1)")


def test_a_new_op_joins_the_palette_and_the_canvas_writes_it(softplus):
    assert ops.PALETTE[-1] == "softplus" and ops.OP_TITLES["softplus"] == "softplus"
    assert op_arity("softplus") == 1
    model = CanvasProgram()
    x = model.add_input()
    op = model.add_op("softplus")
    model.connect(x, op, 0)
    assert model.to_text() == "x1 = 1\nt1 = softplus(x1)"
    assert parse(model.to_text()).output.op == "softplus"


def test_the_pytorch_script_calls_the_new_op(softplus):
    script = pytorch_script(parse(PROGRAM))
    assert "return torch.nn.functional.softplus(tensor(x))" in script
    printed, expected = run(script), page_grads(PROGRAM)
    assert printed.keys() == expected.keys() == {"x"}
    assert same(printed["x"], expected["x"])


def test_a_registered_op_leaves_no_trace():
    palette, functions = list(ops.PALETTE), dict(ops.FUNCTIONS)
    with ops.registered(SOFTPLUS):
        assert "softplus" in ops.FUNCTIONS and "softplus" in ops.PALETTE
    assert ops.PALETTE == palette and ops.FUNCTIONS == functions and "softplus" not in ops.OPS
    assert name_problem("softplus") == ""
    with pytest.raises(ExprError, match="unknown function 'softplus'"):
        parse("softplus(1)")


def test_replacing_an_op_keeps_its_place_and_gives_the_old_one_back():
    palette = list(ops.PALETTE)
    other = ops.TANH._replace(title="hyperbolic tangent")
    with ops.registered(other):
        assert ops.PALETTE == palette and ops.FUNCTIONS["tanh"] is other
        assert ops.OP_TITLES["tanh"] == "hyperbolic tangent"
        assert parse("tanh(1)").output._op is other
    assert ops.FUNCTIONS["tanh"] is ops.TANH and ops.OPS["tanh"] is ops.TANH


def test_the_table_refuses_what_the_engine_cannot_run():
    three = ops.ADD._replace(symbol="add3", code=("1.0",) * 3)
    with pytest.raises(ValueError, match="one or two operands"):
        ops.register(three)
    with pytest.raises(ValueError, match="not a name"):
        ops.register(SOFTPLUS._replace(name="soft plus"))
    assert "add3" not in ops.OPS and "softplus" not in ops.OPS


def test_every_op_of_the_table_is_checked_against_pytorch():
    """Step 4 of adding an op: the oracle tests cover every op of the table."""
    symbols = set(ops.OPS)
    assert symbols - {"="} == set(test_engine_torch.UNARY) | set(test_engine_torch.BINARY)
    assert symbols == set(TORCH_UNARY) | set(TORCH_BINARY)
    assert set(ops.FUNCTIONS) == set(test_properties.UNARY_FNS) | set(test_properties.BINARY_FNS)


def test_every_function_of_the_language_can_be_called_from_python():
    """Step 3: the Python API (and the page's Python script) call each op by name."""
    for name, op in ops.FUNCTIONS.items():
        if op.arity == 1:
            assert getattr(Value(0.5), name)()._op is op
        elif op.torch:
            assert getattr(chainrule, op.torch)(Value(0.5), 2.0)._op is op


@pytest.mark.parametrize("symbol", list(ops.OPS))
def test_every_op_reads_back_from_the_canvas_and_explains(symbol):
    """What an op writes on the canvas parses back to the same op; each of its steps has
    its texts filled in."""
    model = CanvasProgram()
    op = model.add_op(symbol)
    for slot in range(op_arity(symbol)):
        model.connect(model.add_input(), op, slot)
    program = parse(model.to_text().replace("= 1\n", "= 0.5\n", 1))
    root = program.output
    assert root.op == symbol
    texts = [s.formula for s in forward_steps(root)] + [s.arithmetic for s in forward_steps(root)]
    for step in backward_steps(root):
        texts += [step.formula, step.rule, step.arithmetic, step.code]
    for wrt in program.inputs.values():
        texts += [t for s in tangent_steps(root, wrt) for t in (s.formula, s.arithmetic)]
    assert texts and not [t for t in texts if "{" in t or "}" in t]
