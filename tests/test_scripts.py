"""Copy as PyTorch / Python: the scripts run and print the grads the page shows."""

import contextlib
import io
import subprocess
import sys

import pytest

from chainrule import parse
from chainrule.state.presets import PRESETS
from chainrule.state.scripts import pytorch_script, python_script
from chainrule.state.session import Session
from dagre_node import run_dagre
from torch_oracle import same

PROGRAMS = {
    **{key: text for key, (_, text) in PRESETS.items() if key != "chain"},
    "functions": "a = 0.5\nb = -1.25\ny = exp(a) * log(2 + b*b) - sqrt(4) + sin(a)*cos(b)\n"
                 "z = sigmoid(y) + abs(b) + relu(-a) + max(a, 0.25) + min(b, a) + pow(a, 3)\n"
                 "z / (1 + tanh(b)) + pow(2, a) + a**b",
    "implicit and bare output": "w = 2; c = 3\nx*w + c",
    "reused": "a = -3\nb = a * a\nb + a",
    "hostile names": "torch = 2\ntensor = 3\nValue = 4\nvalue = 5\noutput = torch*tensor + Value*value",
}


def page_grads(text):
    """{input name: grad} as the page shows them after Finish."""
    session = Session(run_dagre)
    session.load(text)
    session.finish()
    return {name: session.program.inputs[name].grad for name, _ in session.inputs}


def run(script):
    """Runs a script in a namespace of its own (torch is already imported by the oracle)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(script, "<script>", "exec"), {"__name__": "__main__"})
    printed = {}
    for line in out.getvalue().splitlines():
        name, grad = line.split(".grad = ")
        printed[name] = float(grad)
    return printed


@pytest.mark.parametrize("key", sorted(PROGRAMS))
def test_the_pytorch_script_prints_the_pages_grads(key):
    text = PROGRAMS[key]
    printed = run(pytorch_script(parse(text)))
    expected = page_grads(text)
    assert printed.keys() == expected.keys()
    for name, grad in expected.items():
        assert same(printed[name], grad), (key, name, printed[name], grad)


@pytest.mark.parametrize("key", sorted(PROGRAMS))
def test_the_python_script_prints_the_pages_grads_exactly(key):
    text = PROGRAMS[key]
    printed = run(python_script(parse(text)))
    expected = page_grads(text)
    # repr: the same bits, and nan (which equals nothing) the same as nan
    assert {name: repr(g) for name, g in printed.items()} == \
        {name: repr(g) for name, g in expected.items()}


def test_scripts_keep_the_users_statements_and_define_only_what_is_called():
    script = pytorch_script(parse("a = 2\nb = tanh(a) * 3\nb"))
    assert "b = tanh(a) * 3" in script
    assert "a = torch.tensor(2.0, requires_grad=True)" in script
    assert "def tanh(x)" in script and "def exp(x)" not in script
    assert "output = b\n\noutput.backward()" in script


def test_a_program_of_constants_has_nothing_to_differentiate():
    script = python_script(parse("2 * 3"))
    assert "backward" not in script
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


@pytest.mark.parametrize("key", ["reused", "functions", "implicit and bare output",
                                 "hostile names", "neuron"])
def test_the_pytorch_script_with_forward_mode_prints_the_pages_tangent(key):
    """Copy as PyTorch with a tangent input adds torch.func.jvp, and prints the output's
    tangent the page shows for it (which equals that input's grad)."""
    from chainrule import tangents

    text = PROGRAMS[key]
    program = parse(text)
    root = program.output
    for name, x in program.inputs.items():
        script = pytorch_script(program, name)
        assert "torch.func.jvp(" in script or ".func.jvp(" in script
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(script, "<script>", "exec"), {"__name__": "__main__"})
        (line,) = [ln for ln in out.getvalue().splitlines() if ln.startswith("forward mode")]
        printed = float(line.split(" = ")[1])
        assert same(printed, tangents(root, x)[root]), (name, line)
    assert "jvp" not in pytorch_script(program), "no forward mode, no jvp lines"
