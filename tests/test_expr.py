"""The expression language: what programs mean, and how every refused program is reported."""

import math
import time

import pytest

from torch_oracle import same, torch

from chainrule import ExprError, Value, parse

LECTURE = "a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f"


# -- meaning -----------------------------------------------------------------------------

def test_lecture_example_forward_and_backward():
    prog = parse(LECTURE)
    assert prog.output is prog.values["L"]
    assert prog.output.data == -8.0
    prog.output.backward()
    grads = {name: v.grad for name, v in prog.values.items()}
    assert grads == {"a": 6.0, "b": -4.0, "c": -2.0, "e": -2.0, "d": -2.0, "f": 4.0, "L": 1.0}


def test_values_and_inputs_in_source_order():
    prog = parse(LECTURE)
    assert list(prog.values) == ["a", "b", "c", "e", "d", "f", "L"]
    assert list(prog.inputs) == ["a", "b", "c", "f"]
    for name, v in prog.inputs.items():
        assert v is prog.values[name]
        assert v.is_leaf and v.label == name and isinstance(v.data, float)
    assert [prog.inputs[n].data for n in "abcf"] == [2.0, -3.0, 10.0, -2.0]
    for name in "edL":
        v = prog.values[name]
        assert not v.is_leaf and v.label == name
    assert prog.values["e"].op == "*" and prog.values["d"].op == "+"
    assert prog.values["e"].parents == (prog.values["a"], prog.values["b"])


def test_unassigned_names_are_inputs_at_one():
    prog = parse("tanh(w*x + b)")
    assert prog.values == {}
    assert set(prog.inputs) == {"w", "x", "b"}
    for name, v in prog.inputs.items():
        assert v.data == 1.0 and v.label == name and v.is_leaf
    assert prog.output.op == "tanh"
    assert prog.output.data == math.tanh(2.0)
    prog.output.backward()
    assert same(prog.inputs["w"].grad, 1 - math.tanh(2.0) ** 2)


def test_an_unassigned_name_is_one_node_however_often_used():
    prog = parse("y = x*x + x")
    assert list(prog.inputs) == ["x"]
    prog.output.backward()
    assert prog.inputs["x"].grad == 3.0


def test_mixed_literal_and_unassigned_inputs():
    prog = parse("k = 3\ny = k*x + x/k")
    assert set(prog.inputs) == {"k", "x"}
    assert prog.inputs["k"].data == 3.0 and prog.inputs["x"].data == 1.0
    assert list(prog.values) == ["k", "y"]


def test_an_alias_is_a_node_of_its_own_with_the_new_name():
    # `z = x` keeps both names: z is an identity of x, one step of dz/dx = 1.
    prog = parse("x = 3\nz = x\ny = z * z")
    z, x = prog.values["z"], prog.values["x"]
    assert z is not x and z.label == "z" and x.label == "x"
    assert z.op == "=" and z.parents == (x,) and z.data == 3.0
    assert list(prog.inputs) == ["x"]
    prog.output.backward()
    assert x.grad == 6.0 and z.grad == 6.0
    prog = parse("a = 2\nb = a * 3\nc = b\nc")
    assert prog.output is prog.values["c"]
    assert prog.output.label == "c" and prog.output.parents == (prog.values["b"],)
    assert prog.values["b"].label == "b"


def test_an_alias_of_an_alias_is_a_chain():
    prog = parse("a = 2\nb = a\nc = b")
    order = prog.output.topological_order()
    assert [v.label for v in order] == ["a", "b", "c"]
    assert [v.op for v in order] == ["", "=", "="]


def test_constants_inside_expressions_are_unlabelled_leaves():
    prog = parse("a = 5\ny = 2*a - 0.5")
    mul = prog.values["y"].parents[0]
    two = mul.parents[0]
    assert two.is_leaf and two.data == 2.0 and two.label == ""
    assert prog.values["y"].parents[1].data == 0.5
    assert list(prog.inputs) == ["a"]
    assert prog.output.data == 9.5


def test_comments_blank_lines_and_semicolons():
    src = "# setup\n\na = 1; b = 2  # two inputs\n\n   \n# the sum\nc = a + b ;\n\n# end\n"
    prog = parse(src)
    assert list(prog.values) == ["a", "b", "c"]
    assert prog.output.data == 3.0


def test_last_statement_may_be_a_bare_expression():
    prog = parse("a = 2\na * 3")
    assert prog.output.data == 6.0
    assert list(prog.values) == ["a"]
    prog.output.backward()
    assert prog.values["a"].grad == 3.0


def test_all_numbers_are_floats_and_ieee():
    assert parse("7 / 2").output.data == 3.5
    assert parse("2 ** -1").output.data == 0.5
    assert parse("y = 1 / 0").output.data == math.inf
    assert math.isnan(parse("log(-1)").output.data)
    assert parse("exp(1000)").output.data == math.inf
    assert parse("a = 2").values["a"].data == 2.0
    assert isinstance(parse("a = 2").values["a"].data, float)
    assert parse("3e2 + 0.5 + .5 + 1_000").output.data == 1301.0


def test_unary_plus_and_minus():
    prog = parse("a = 2\ny = -a\nz = +a")
    assert prog.values["z"].parents == (prog.values["a"],)  # an alias: `+a` is a
    assert prog.values["z"].op == "="
    assert prog.values["y"].data == -2.0
    prog.values["y"].backward()
    assert prog.values["a"].grad == -1.0
    assert parse("b = +4").inputs["b"].data == 4.0
    assert parse("b = -(3)").inputs["b"].data == -3.0


def test_constant_exponent_and_value_exponent():
    prog = parse("x = 3\ny = x ** 2")
    y = prog.values["y"]
    assert y.op == "**2" and y.parents == (prog.values["x"],)
    prog = parse("x = 3\nn = 2\ny = x ** n")
    y = prog.values["y"]
    assert y.op == "**" and y.parents == (prog.values["x"], prog.values["n"])
    y.backward()
    assert prog.values["x"].grad == 6.0
    assert same(prog.values["n"].grad, 9.0 * math.log(3.0))
    prog = parse("x = 3\nn = 2\ny = pow(x, n)")
    prog.output.backward()
    assert same(prog.values["n"].grad, 9.0 * math.log(3.0))


FUNCTION_CASES = [
    ("exp(x)", torch.exp), ("log(x)", torch.log), ("tanh(x)", torch.tanh),
    ("relu(x)", torch.relu), ("sigmoid(x)", torch.sigmoid), ("sqrt(x)", torch.sqrt),
    ("sin(x)", torch.sin), ("cos(x)", torch.cos), ("abs(x)", torch.abs),
    ("max(x, y)", torch.maximum), ("min(x, y)", torch.minimum), ("pow(x, y)", torch.pow),
]


@pytest.mark.parametrize("text,fn", FUNCTION_CASES, ids=[c[0] for c in FUNCTION_CASES])
@pytest.mark.parametrize("x,y", [(0.7, 1.3), (2.0, 2.0), (-1.5, 0.5)])
def test_every_function_matches_torch(text, fn, x, y):
    prog = parse(f"x = {x}\ny = {y}\nout = {text}")
    prog.output.backward()
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(y, dtype=torch.float64, requires_grad=True)
    out = fn(tx, ty) if "," in text else fn(tx)
    out.backward()
    assert same(prog.output.data, out.item())
    assert same(prog.values["x"].grad, tx.grad.item())
    if "," in text:
        assert same(prog.values["y"].grad, ty.grad.item())
    op = prog.output.op
    assert op == {"pow": "**"}.get(text.split("(")[0], text.split("(")[0])


def test_operators_build_their_ops():
    prog = parse("a = 1.5\nb = 4\ns = a + b\nt = a - b\nu = a * b\nv = a / b\nw = a ** b")
    assert [prog.values[n].op for n in "stuvw"] == ["+", "-", "*", "/", "**"]
    assert [prog.values[n].data for n in "stuvw"] == [5.5, -2.5, 6.0, 0.375, 1.5 ** 4]


def test_inputs_can_be_changed_and_the_graph_recomputed():
    prog = parse(LECTURE)
    prog.inputs["a"].data = 3.0
    assert prog.output.forward() == -2.0
    prog.output.backward()
    assert prog.values["a"].grad == 6.0 and prog.values["b"].grad == -6.0


def test_parsing_is_repeatable_and_independent():
    p1, p2 = parse(LECTURE), parse(LECTURE)
    assert p1.output is not p2.output
    p1.output.backward()
    assert p2.values["a"].grad == 0.0


# -- errors ------------------------------------------------------------------------------

def error_of(source):
    with pytest.raises(ExprError) as info:
        parse(source)
    err = info.value
    assert isinstance(err.message, str) and err.message
    assert isinstance(err.line, int) and isinstance(err.col, int)
    assert err.line >= 1 and err.col >= 1
    return err


# (source, line, col, text that must be quoted in the message, a word the message must use)
LOCATED_ERRORS = [
    # unknown function: located at its name
    ("a = 1\ny = foo(a)", 2, 5, "foo", "unknown"),
    ("y = 2 * bar(1, 2)", 1, 9, "bar", "unknown"),
    # attribute access
    ("y = a.b", 1, 5, "a.b", "attribute"),
    ("a = 1\n\ny = math.exp(a)", 3, 5, "math.exp", "attribute"),
    # imports
    ("import os", 1, 1, "import os", "import"),
    ("a = 1\nfrom os import path", 2, 1, "from os import path", "import"),
    # lambdas
    ("f = lambda x: x", 1, 5, "lambda x: x", "lambda"),
    # comprehensions
    ("y = [x for x in z]", 1, 5, "[x for x in z]", "comprehension"),
    ("y = {x for x in z}", 1, 5, "{x for x in z}", "comprehension"),
    ("y = {x: 1 for x in z}", 1, 5, "{x: 1 for x in z}", "comprehension"),
    # subscripts
    ("a = 1\ny = a[0]", 2, 5, "a[0]", "subscript"),
    # strings
    ("y = 'abc'", 1, 5, "abc", "string"),
    ('a = 1\ny = a + "hi"', 2, 9, "hi", "string"),
    ("y = f'{a}'", 1, 5, "f'{a}'", "string"),
    # keyword arguments
    ("y = max(a, b=2)", 1, 12, "max(a, b=2)", "keyword"),
    # wrong arity
    ("y = exp(a, b)", 1, 5, "exp(a, b)", "argument"),
    ("y = max(a)", 1, 5, "max(a)", "argument"),
    ("y = pow(a, b, c)", 1, 5, "pow(a, b, c)", "argument"),
    ("y = tanh()", 1, 5, "tanh()", "argument"),
    # used before assigned
    ("y = x * 2\nx = 3", 1, 5, "x", "before"),
    ("a = 1\nb = a + c\nc = 2", 2, 9, "c", "before"),
    # reassignment (SSA)
    ("a = 1\nb = a\na = 2", 3, 1, "a", "already"),
    # non-finite literal
    ("a = 1e999", 1, 5, "1e999", "large"),
    ("y = 2 * 1e400", 1, 9, "1e400", "large"),
    # column counts characters, not UTF-8 bytes
    ("é = 1\ny = é + foo(é)", 2, 9, "foo", "unknown"),
]


@pytest.mark.parametrize("source,line,col,quoted,word", LOCATED_ERRORS,
                         ids=[c[0].replace("\n", "⏎") for c in LOCATED_ERRORS])
def test_located_errors(source, line, col, quoted, word):
    err = error_of(source)
    assert (err.line, err.col) == (line, col), err.message
    assert quoted in err.message
    assert word in err.message.lower()
    # the quoted text is really quoted
    assert f"'{quoted}" in err.message or f"{quoted}'" in err.message \
        or f'"{quoted}' in err.message, err.message


SYNTAX_ERRORS = [
    ("a = (1 +", 1),
    ("a = 1\nb = (a +\n", 2),
    ("a = 1\nb = a +* 2", 2),
    ("a = = 2", 1),
    ("1a = 2", 1),
    ("a = 2\n  b = 3", 2),       # unexpected indent
    ("a = 2 3", 1),
    ("y = )", 1),
    ("a = 1\n\n\ny = 'unterminated", 4),
]


@pytest.mark.parametrize("source,line", SYNTAX_ERRORS,
                         ids=[c[0].replace("\n", "⏎") for c in SYNTAX_ERRORS])
def test_syntax_errors_are_located_and_quote_the_line(source, line):
    err = error_of(source)
    assert err.line == line, err.message
    offending = source.split("\n")[line - 1].strip()
    assert offending[:20] in err.message, err.message


REFUSED = [
    "a += 1", "a = b = 1", "a, b = 1, 2", "a: float = 1", "y = a if b else c", "y = a < b",
    "y = a and b", "y = not a", "y = ~a", "y = a % 2", "y = a // 2", "y = a @ b",
    "y = a << 1", "y = a | b", "y = True", "y = None", "y = ...", "y = b'x'", "y = 1j",
    "y = (a := 2)", "del a", "if a: b = 1", "for i in a: pass", "while a: pass",
    "def f(): pass", "class A: pass", "y = (1, 2)", "y = [1]", "y = {1: 2}", "y = {1}",
    "y = a[1:2]", "y = max(*a)", "y = max(**a)", "y = (a)(b)", "y = exp", "exp = 2",
    "y = (x for x in a)", "return 1", "pass", "assert a", "global a", "raise a",
    "try:\n  a = 1\nexcept:\n  pass", "with a: pass", "y = f(x)(z)", "y = exp(x)(z)",
    "async def f(): pass", "match a:\n  case 1: pass", "y = yield", "await a", "print(1)",
    "eval('1')", "__import__('os')", "y = 1 if 2 else 3", "a.b = 1", "a[0] = 1",
]


@pytest.mark.parametrize("source", REFUSED)
def test_everything_outside_the_language_is_an_expr_error(source):
    err = error_of(source)
    assert err.line <= source.count("\n") + 1


@pytest.mark.parametrize("source", ["", "   ", "\n\n\n", "# only a comment", "# a\n\n# b\n"])
def test_empty_program(source):
    err = error_of(source)
    assert "empty" in err.message.lower()


def test_source_length_limit():
    body = "a = 1\n"
    ok = body + "#" * (20_000 - len(body))
    assert len(ok) == 20_000
    assert parse(ok).output.data == 1.0
    err = error_of(ok + "#")
    assert "20,000" in err.message or "20000" in err.message
    err = error_of("a = 1\n" + "b = a + 1\n" * 5_000)
    assert "20,000" in err.message or "20000" in err.message


def product_lines(n_lines, terms=80):
    """A chain of lines, each the product of `terms` copies of the line before: every node
    is reachable from the output, so the limit applies however it counts."""
    names = [a + b for a in "pqrstuvw" for b in "abcdefghijklmnopqrstuvwxyz"]
    lines = [f"{names[0]} = 1.0001"]
    for i in range(1, n_lines + 1):
        lines.append(f"{names[i]} = " + "*".join([names[i - 1]] * terms))
    return "\n".join(lines)


def test_graph_size_limit():
    small = product_lines(20)  # 1,581 values, about 3,200 graph nodes with operators
    assert len(small) < 20_000
    prog = parse(small)
    assert len(prog.output.topological_order()) == 20 * 79 + 1
    big = product_lines(64)  # 5,057 values: over the limit however nodes are counted
    assert len(big) < 20_000
    t = time.perf_counter()
    err = error_of(big)
    assert time.perf_counter() - t < 2.0
    assert "5,000" in err.message or "5000" in err.message
    assert "node" in err.message.lower()


def test_long_sum_that_breaks_pythons_parser():
    err = error_of("y = " + " + ".join(["a"] * 4_000))
    assert err.line == 1


def test_long_but_acceptable_sum():
    prog = parse("y = " + "+".join(["a"] * 1_500))
    assert prog.output.data == 1500.0
    prog.output.backward()
    assert prog.inputs["a"].grad == 1500.0


def test_deeply_nested_parentheses():
    # CPython 3.11 accepts exactly 200 levels and refuses 201 ("too many nested parentheses")
    for depth in (200, 201):
        try:
            assert parse("y = " + "(" * depth + "a" + ")" * depth).output.data == 1.0
        except ExprError as err:
            assert err.line == 1 and "nested" in err.message
    error_of("y = " + "(" * 201 + "a" + ")" * 201)
    error_of("y = " + "(" * 1000 + "a" + ")" * 1000)
    error_of("y = " + "-" * 5000 + "a")
    error_of("y = " + "exp(" * 300 + "a" + ")" * 300)


def test_moderate_nesting_works():
    prog = parse("y = " + "(" * 50 + "a" + ")" * 50)
    assert prog.output.parents == (prog.inputs["a"],) and prog.output.op == "="
    prog = parse("y = " + "exp(" * 3 + "0" + ")" * 3)
    assert same(prog.output.data, math.exp(math.exp(1.0)))
    prog = parse("y = " + "-" * 50 + "a")
    assert prog.output.data == 1.0


def test_tower_of_powers_returns_quickly():
    for source in ["9**9**9", "y = 9**9**9**9", "x = 2\ny = x**9**9**9", "10**10**10**10**10"]:
        t = time.perf_counter()
        try:
            prog = parse(source)
        except ExprError:
            prog = None
        assert time.perf_counter() - t < 1.0, source
        if prog is not None:
            assert isinstance(prog.output, Value)
    assert parse("9**9**9").output.data == math.inf


def test_huge_integer_literal_is_an_expr_error_not_a_crash():
    error_of("a = " + "9" * 5000)
    error_of("a = 1" + "0" * 400)  # finite as an int, too large for a float


@pytest.mark.parametrize("source", [
    "a = 1\x00", "\ud800", "a = '\ud800'", "a = 1\n\x0c\nb = 2 +", "\ufeffa = 1 +",
    "a = 1 \\", "a = (\n", "'''", "#\ud800", "a = 1\r\nb = c +", "\t a = 1",
])
def test_odd_text_only_raises_expr_error(source):
    try:
        parse(source)
    except ExprError as err:
        assert err.line >= 1 and err.col >= 1 and err.message


def test_error_str_mentions_line_and_column():
    err = error_of("a = 1\ny = foo(a)")
    text = str(err)
    assert "2" in text and err.message in text


def test_columns_survive_characters_that_str_splitlines_treats_as_line_breaks():
    """Python numbers lines by \\n, \\r\\n and \\r only; a form feed (legal whitespace) or a
    Unicode line separator in a comment must not shift the reported line or column."""
    cases = [("a = 1\n\x0c\ny = foo(a)", 3, 5)]
    cases += [(f"a = 1  # x{sep}y\ny = foo(a)", 2, 5) for sep in "\x0c\x1c\x1d\x1e\x85\u2028\u2029"]
    wrong = []
    for source, line, col in cases:
        err = error_of(source)
        if (err.line, err.col) != (line, col):
            wrong.append(f"{source!r}: reported ({err.line}, {err.col}), expected ({line}, {col})")
    assert not wrong, "\n".join(wrong)


def test_syntax_error_after_a_form_feed_line_still_quotes_the_line():
    err = error_of("a = 1\n\x0c\ny = (a +")
    assert err.line == 3
    assert "y = (a +" in err.message, err.message


def test_literal_spans_point_at_the_numbers():
    """Program.literals: where each input's number stands, so the page can edit it in place."""
    source = "# é∂ comment\nα = 2.5\n\x0c\nb = -3  # b\nc = (1e-3)\ny = α*b + c"
    prog = parse(source)
    lines = source.split("\n")
    texts = {name: lines[span.line - 1][span.start:span.end]
             for name, span in prog.literals.items()}
    assert texts == {"α": "2.5", "b": "-3", "c": "1e-3"}
