"""The program on screen as a runnable script: PyTorch, or plain Python with chainrule.

Both keep the user's statements as written. Inputs become leaf tensors (or Values) that
require grad, the functions the program calls are defined on top (they accept plain
numbers too, as the expression language does), and the script ends by running backward
and printing each input's gradient, so its output can be checked against the page.
"""

import ast
import math

from ..core.ops import FUNCTIONS


def pytorch_script(program, tangent=""):
    """A PyTorch (float64) script that builds the same graph and prints every input's grad;
    with `tangent` (an input's name), also the output's derivative with respect to it by
    forward mode, torch.func.jvp, as the page's forward mode shows it."""
    names = set(program.values) | set(program.inputs)
    torch = _free_name("torch", names)
    helper = _free_name("tensor", names)
    prelude = ["# The graph from chainrule, in PyTorch (float64): prints each input's grad.",
               "import torch" if torch == "torch" else f"import torch as {torch}", "",
               f"{torch}.set_default_dtype({torch}.float64)", "", "",
               f"def {helper}(x):",
               f"    return x if isinstance(x, {torch}.Tensor) else {torch}.tensor(float(x))"]
    prelude += _functions(_called(program), helper, lambda op, x: f"{torch}.{op.torch}({x})",
                          lambda op, a, b: f"{torch}.{op.torch}({a}, {b})")
    jvp = (lambda statements, output: _jvp_lines(program, statements, output, tangent, torch)) \
        if tangent else None
    return _script(program, prelude,
                   lambda name, x: f"{name} = {torch}.tensor({x}, requires_grad=True)",
                   lambda x: f"{x}.grad.item()", jvp)


def python_script(program):
    """The same script with chainrule's Value in place of tensors."""
    names = set(program.values) | set(program.inputs)
    helper = _free_name("value", names)
    value = _free_name("Value", names)
    called = _called(program)
    imports = ["Value" if value == "Value" else f"Value as {value}"]
    imports += [op.torch for name, op in FUNCTIONS.items()
                if name in called and op.arity == 2 and op.torch]
    prelude = ["# The graph in plain Python with chainrule: prints each input's grad.",
               f"from chainrule import {', '.join(imports)}", "", "",
               f"def {helper}(x):",
               f"    return x if isinstance(x, {value}) else {value}(float(x))"]
    prelude += _functions(called, helper, lambda op, x: f"{x}.{op.name}()",
                          lambda op, a, b: f"{op.torch}({a}, {b})")
    return _script(program, prelude,
                   lambda name, x: f"{name} = {value}({x}, label={name!r})",
                   lambda x: f"{x}.grad")


def _functions(called, helper, unary, binary):
    """A `def` for each function called, taking numbers or `helper`'s type. A one-operand
    function is PyTorch's function of its `torch` name and Value's method of its own name;
    one of two is the function of its `torch` name in both (maximum), or, with none, the
    language's operator (pow(a, b) is a ** b)."""
    defs = []
    for name in called:
        op = FUNCTIONS[name]
        if op.arity == 1:
            defs += ["", "", f"def {name}(x):", f"    return {unary(op, f'{helper}(x)')}"]
        else:
            body = (binary(op, f"{helper}(a)", f"{helper}(b)") if op.torch
                    else op.written.format(f"{helper}(a)", "b"))
            defs += ["", "", f"def {name}(a, b):", f"    return {body}"]
    return defs


def _number(x):
    """A float as Python source that reads back as it: float('inf') where repr is not."""
    x = float(x)
    return repr(x) if math.isfinite(x) else f"float('{x!r}')"


def _free_name(name, taken):
    while name in taken:
        name += "_"
    return name


def _called(program):
    """The functions the program calls, in order of first use."""
    seen = {}
    for node in ast.walk(ast.parse(program.source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            seen.setdefault(node.func.id, None)
    return list(seen)


def _jvp_lines(program, statements, output, wrt, torch):
    """The program as a function of its inputs, and one torch.func.jvp sweep of it with the
    tangent 1 for `wrt` and 0 for the other inputs."""
    names = set(program.values) | set(program.inputs)
    function, dot = _free_name("program", names), _free_name(f"d{output}", names)
    inputs = list(program.inputs)
    seeds = ", ".join(f"{torch}.tensor({1.0 if name == wrt else 0.0})" for name in inputs)
    # The inputs' numbers, not their names: the loop that prints the grads rebinds `x`.
    primals = ", ".join(f"{torch}.tensor({_number(v.data)})" for v in program.inputs.values())
    body = [f"    {line}" for statement in statements for line in statement.splitlines()]
    return ["", "", f"# Forward mode: the output's derivative with respect to {wrt} in one "
            "sweep, every other input's tangent 0.",
            f"def {function}({', '.join(inputs)}):", *body, f"    return {output}", "", "",
            f"_, {dot} = {torch}.func.jvp({function}, ({primals},), ({seeds},))",
            f"print(f\"forward mode: d{output}/d{wrt} = {{{dot}.item()!r}}\")"]


def _script(program, prelude, make_input, read_grad, jvp=None):
    source = program.source
    tree = ast.parse(source)
    body = [make_input(name, _number(v.data)) for name, v in program.inputs.items()
            if name not in program.literals]  # names used but never assigned
    statements = []  # what computes, without the inputs
    output = None
    for i, stmt in enumerate(tree.body):
        if isinstance(stmt, ast.Assign):
            output = stmt.targets[0].id
            if output in program.literals:
                body.append(make_input(output, _number(program.inputs[output].data)))
                continue
            statements.append(ast.get_source_segment(source, stmt))
        elif i == len(tree.body) - 1:
            output = _free_name("output", set(program.values) | set(program.inputs))
            statements.append(f"{output} = {ast.get_source_segment(source, stmt.value)}")
        else:
            statements.append(ast.get_source_segment(source, stmt))
        body.append(statements[-1])
    in_graph = {id(v) for v in program.output.topological_order()}
    pairs = ", ".join(f"({name!r}, {name})" for name, v in program.inputs.items()
                      if id(v) in in_graph)
    if not pairs:  # only constants: nothing requires a gradient
        return "\n".join(prelude + ["", ""] + body) + "\n"
    end = [f"{output}.backward()",
           f"for name, x in [{pairs}]:",
           f"    print(f\"{{name}}.grad = {{{read_grad('x')}!r}}\")"]
    if jvp is not None:
        end += jvp(statements, output)
    return "\n".join(prelude + ["", ""] + body + [""] + end) + "\n"
