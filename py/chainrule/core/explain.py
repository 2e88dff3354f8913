"""Words and numbers for one step: each op's recipe, its local derivatives, its tangent rule."""

import math
import re
import unicodedata


def fmt(x):
    """A number as a learner reads it: 6, -3, 0.7071, 1.5e+10, inf, nan."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


INFIX = {"+": " + ", "-": " - ", "*": "·", "/": "/", "**": "**"}
# The same with numbers: × where two numbers would otherwise touch.
NUMERIC_INFIX = {"+": " + ", "-": " - ", "*": " × ", "/": " / ", "**": "**"}


def display_name(v, limit=24):
    """A node's label (whole, however long: the canvas cuts it), or for an unnamed node
    the expression that made it (if short)."""
    return v.label or _text(v, limit) or "(…)"


PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4}
ATOM = 5


def _text(v, budget):
    # Builds the expression text, giving up (None) once it is longer than the budget; every
    # level adds at least one character, so this never recurses deeper than the budget.
    built = _text_and_precedence(v, budget)
    return built and built[0]


def _text_and_precedence(v, budget):
    if v.label:
        return (v.label, ATOM) if len(v.label) <= budget else None
    if v.is_leaf:
        text = fmt(v.data)
        return text, (3 if text.startswith("-") else ATOM)
    if budget <= 2:
        return None
    parts = []
    for p in v.parents:
        built = _text_and_precedence(p, budget - 1)
        if built is None:
            return None
        parts.append(built)
    text, mine = _compose(v.op, parts, INFIX)
    return (text, mine) if len(text) <= budget else None


def _compose(symbol, parts, infix):
    """(text, precedence) of op `symbol` applied to [(operand text, its precedence)]."""
    op = "**" if symbol.startswith("**") else symbol
    mine = PRECEDENCE.get(op, ATOM)
    texts = []
    for k, (part, theirs) in enumerate(parts):
        tighter_needed = (op in ("-", "/") and k == 1) or (op == "**" and k == 0)
        if mine != ATOM and (theirs < mine or (theirs == mine and tighter_needed)):
            part = f"({part})"
        texts.append(part)
    if op == "=":  # `b = a` names a value again: its recipe is the operand itself
        return parts[0]
    if op in infix and len(texts) == 2:
        text = infix[op].join(texts)
    elif op == "**":
        text = f"{texts[0]}**{symbol[2:]}"
    elif op == "neg":
        text = f"-{texts[0]}"
    else:
        text = f"{op}({', '.join(texts)})"
    return text, mine


def recipe(result):
    """How an operator makes its result, with the operands' names: a·b, tanh(n), x**2."""
    parts = [_text_and_precedence(p, 24) or ("(…)", ATOM) for p in result.parents]
    return _compose(result.op, parts, INFIX)[0]


def recipe_numbers(result):
    """The same with the operands' numbers: 2 × -3, tanh(0.8814), (-2)**2."""
    op = result.op
    parts = []
    for k, p in enumerate(result.parents):
        text = fmt(p.data)
        negative = text.startswith("-")
        # -3 needs no parentheses after × or as a function's argument, but 2 - (-3),
        # (-2)**2 and -(-3) read wrongly without them.
        if negative and (op.startswith("**") and k == 0 or op == "neg" or
                         op in ("+", "-") and k == 1):
            text = f"({text})"
        parts.append((text, ATOM))
    return _compose(op, parts, NUMERIC_INFIX)[0]


def is_name(text):
    """True for a plain name. (Not str.isidentifier: Python counts the · of x·w as a letter.)"""
    return re.fullmatch(r"[^\W\d]\w*", text) is not None


def wrapped(name):
    """A name ready to sit in a product: compound expressions get parentheses."""
    if is_name(name) or name == "(…)" or _is_number(name):
        return name
    return f"({name})"


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def _paren(number_text):
    return f"({number_text})" if number_text.startswith("-") else number_text


def _relu_rule(data, k):
    return "1 if {a} > 0 else 0", "{a} > 0" if data[0] > 0 else "{a} ≤ 0"


def _choice_rule(word):
    # max/min: the winner gets the gradient, a tie splits it in half.
    def rule(data, k):
        mine, other = ("{a}", "{b}") if k == 0 else ("{b}", "{a}")
        x, y = data[k], data[1 - k]
        relation = "=" if x == y else (">" if x > y else "<")
        return f"1 if {mine} is the {word}, ½ on a tie, else 0", f"{mine} {relation} {other}"
    return rule


def _same(symbolic, numeric):
    return lambda data, k: (symbolic, numeric)


def _per_operand(*rules):
    return lambda data, k: rules[k]


# op symbol -> rule(data, k): for operand k, the derivative written with the operands'
# names ({a}, {b}; {a_} where no parentheses are needed) and the same with their numbers
# ({a}, {b}; {A}, {B} in parentheses when negative; {out}, {OUT} for the result; {B1} for
# b - 1). Powers are written as in the language: a**2.
RULES = {
    "+": _same("1", "1"),
    "-": _per_operand(("1", "1"), ("-1", "-1")),
    "*": _per_operand(("{b}", "{b}"), ("{a}", "{a}")),
    "/": _per_operand(("1/{b}", "1/{B}"), ("-{a}/{b}**2", "-{A}/{B}**2")),
    "neg": _same("-1", "-1"),
    "=": _same("1", "1"),
    "**": _per_operand(("{b}·{a}**({b} - 1)", "{B}·{A}**{B1}"),
                       ("{a}**{b}·ln({a_})", "{OUT}·ln({a})")),
    "exp": _same("exp({a_})", "exp({a})"),
    "log": _same("1/{a}", "1/{A}"),
    "tanh": _same("1 - tanh({a_})**2", "1 - {OUT}**2"),
    "relu": _relu_rule,
    "sigmoid": _same("σ({a_})·(1 - σ({a_}))", "{OUT}·(1 - {OUT})"),
    "sqrt": _same("1/(2·√{a})", "1/(2·{OUT})"),
    "sin": _same("cos({a_})", "cos({a})"),
    "cos": _same("-sin({a_})", "-sin({a})"),
    "abs": _same("sign({a_})", "sign({a})"),
    "max": _choice_rule("larger"),
    "min": _choice_rule("smaller"),
}


def _constant_power_rule(c, name, number):
    """d(a**c)/da written as simply as it reads: 2·o, not 2·o**1."""
    if c == 0:
        return "0", "0"
    if c == 1:
        return "1", "1"
    if c == 2:
        return f"2·{name}", f"2·{number}"
    return f"{fmt(c)}·{name}**{fmt(c - 1)}", f"{fmt(c)}·{number}**{fmt(c - 1)}"


def local_rule(result, k):
    """(symbolic, numeric) for ∂result/∂operand k, e.g. ('1 - tanh(n)**2', '1 - 0.7071**2')."""
    data = [p.data for p in result.parents]
    names = [display_name(p) for p in result.parents]
    numbers = [fmt(x) for x in data]
    out = fmt(result.data)
    op = result.op
    if op.startswith("**") and op != "**":  # constant exponent c, kept in the op symbol
        return _constant_power_rule(float(op[2:]), _powered(names[0]), _paren(numbers[0]))
    symbolic, numeric = RULES[op](data, k)
    return (symbolic.format(a=_powered(names[0]) if op == "**" else wrapped(names[0]),
                            b=wrapped(names[-1]), a_=names[0]),
            numeric.format(a=numbers[0], b=numbers[-1], A=_paren(numbers[0]),
                           B=_paren(numbers[-1]), B1=_paren(fmt(data[-1] - 1)), out=out,
                           OUT=_paren(out)))


def _powered(name):
    """A name ready to be raised to a power: anything but a plain name or number is wrapped,
    and a negative number too (-2**2 is -(2**2))."""
    return f"({name})" if name.startswith("-") else wrapped(name)


def local_name(result, k, top):
    """∂result/∂operand k as the explanation names it. When the result is `top` itself, its
    name would make the chain rule circular (∂L/∂x · ∂L/∂L): the operation names it."""
    operand = wrapped(display_name(result.parents[k]))
    res = display_name(result)
    if res == top:
        res = recipe(result)
    return f"∂{wrapped(res)}/∂{operand}"


# micrograd's _backward, per op and operand: the local derivative as code over the nodes'
# names ({a}, {b} the operands, {out} the result), as in the lecture's engine.py.
CODE = {
    "+": ("1.0", "1.0"),
    "-": ("1.0", "-1.0"),
    "*": ("{b}.data", "{a}.data"),
    "/": ("(1 / {b}.data)", "(-{a}.data / {b}.data**2)"),
    "neg": ("-1.0",),
    "=": ("1.0",),
    "**": ("({b}.data * {a}.data**({b}.data - 1))", "({out}.data * math.log({a}.data))"),
    "exp": ("{out}.data",),
    "log": ("(1 / {a}.data)",),
    "tanh": ("(1 - {out}.data**2)",),
    "relu": ("({out}.data > 0)",),
    "sigmoid": ("({out}.data * (1 - {out}.data))",),
    "sqrt": ("(0.5 / {out}.data)",),
    "sin": ("math.cos({a}.data)",),
    "cos": ("-math.sin({a}.data)",),
    "abs": ("sign({a}.data)",),
    "max": ("(0.5 if {a}.data == {b}.data else float({a}.data > {b}.data))",
            "(0.5 if {a}.data == {b}.data else float({b}.data > {a}.data))"),
    "min": ("(0.5 if {a}.data == {b}.data else float({a}.data < {b}.data))",
            "(0.5 if {a}.data == {b}.data else float({b}.data < {a}.data))"),
}


def code_name(v, role):
    """A node as a Python name: its label when it is one, else its role in the op."""
    return v.label if is_name(v.label) else role


def code_number(x):
    """A number as Python prints a float, shortened: 0.0, -3.0, 0.7071, inf."""
    text = fmt(x)
    return text + ".0" if text.lstrip("-").isdigit() else text


def local_code(result, k):
    """The local derivative of operand k as micrograd's _backward writes it."""
    ps = result.parents
    names = {"a": code_name(ps[0], "self"), "b": code_name(ps[-1], "other"),
             "out": code_name(result, "out")}
    op = result.op
    if op.startswith("**") and op != "**":
        c = float(op[2:])
        if c - 1 == 1:
            return f"({code_number(c)} * {names['a']}.data)"
        return f"({code_number(c)} * {names['a']}.data**{code_number(c - 1)})"
    return CODE[op][k].format(**names)


def dotted(name):
    """A node's tangent in Newton's notation: ẋ, ṅ1, (x·w)˙."""
    head = name[:1]
    if head.isalpha() and (len(name) == 1 or not name[1:].strip("0123456789_")):
        return unicodedata.normalize("NFC", head + "\u0307") + name[1:]
    return wrapped(name) + "˙"


def tangent_terms(result, operand_tangents):
    """(symbolic, numeric) of result's tangent rule: Σ operand's tangent · local derivative,
    e.g. ('ȧ·b + ḃ·a', '1 × -3 + 0 × 2')."""
    data = [p.data for p in result.parents]
    locals_ = result._op.backward(1.0, result.data, *data)
    symbolic, numeric = [], []
    for k, p in enumerate(result.parents):
        # A constant's tangent is 0 whatever the input: say so rather than name it 1˙.
        dot = "0" if p.is_leaf and not p.label else dotted(display_name(p))
        rule, _ = local_rule(result, k)
        if rule == "1" or rule == "-1":
            symbolic.append(dot if rule == "1" else "-" + dot)
            number = fmt(operand_tangents[k])
            numeric.append(number if rule == "1" else "-" + _paren(number))
            continue
        if " if " in rule:  # relu, max, min: the local derivative is a choice, say which
            rule = fmt(locals_[k])
        symbolic.append(f"{dot}·({rule})" if " " in rule else f"{dot}·{rule}")
        numeric.append(f"{fmt(operand_tangents[k])} × {fmt(locals_[k])}")
    return _sum(symbolic), _sum(numeric)


def _sum(terms):
    text = terms[0]
    for term in terms[1:]:
        text += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return text
