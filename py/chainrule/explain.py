"""Words and numbers for one chain-rule step: how to read ∂result/∂operand for each op."""

import math


def fmt(x):
    """A number as a learner reads it: 6, -3, 0.7071, 1.5e+10, inf, nan."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


INFIX = {"+": " + ", "-": " - ", "*": "·", "/": "/", "**": "^"}


def display_name(v, limit=24):
    """A node's label, or for an unnamed node the expression that made it (if short)."""
    return _text(v, limit) or "(…)"


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
    op = "**" if v.op.startswith("**") else v.op
    mine = PRECEDENCE.get(op, ATOM)
    parts = []
    for k, p in enumerate(v.parents):
        built = _text_and_precedence(p, budget - 1)
        if built is None:
            return None
        part, theirs = built
        tighter_needed = (op in ("-", "/") and k == 1) or (op == "**" and k == 0)
        if mine != ATOM and (theirs < mine or (theirs == mine and tighter_needed)):
            part = f"({part})"
        parts.append(part)
    if op in INFIX and len(parts) == 2:
        text = INFIX[op].join(parts)
    elif op == "**":
        text = f"{parts[0]}^{v.op[2:]}"
    elif op == "neg":
        text = f"-{parts[0]}"
    else:
        text = f"{op}({', '.join(parts)})"
    return (text, mine) if len(text) <= budget else None


def wrapped(name):
    """A name ready to sit in a product: compound expressions get parentheses."""
    if name.isidentifier() or name == "(…)" or _is_number(name):
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
# ({a}, {b}; {A}, {B} in parentheses when negative; {out}, {OUT} for the result).
RULES = {
    "+": _same("1", "1"),
    "-": _per_operand(("1", "1"), ("-1", "-1")),
    "*": _per_operand(("{b}", "{b}"), ("{a}", "{a}")),
    "/": _per_operand(("1/{b}", "1/{B}"), ("-{a}/{b}²", "-{A}/{B}²")),
    "neg": _same("-1", "-1"),
    "=": _same("1", "1"),
    "**": _per_operand(("{b}·{a}^({b}-1)", "{B}·{A}^({b}-1)"),
                       ("{a}^{b}·ln({a_})", "{OUT}·ln({a})")),
    "exp": _same("exp({a_})", "exp({a})"),
    "log": _same("1/{a}", "1/{A}"),
    "tanh": _same("1 - tanh²({a_})", "1 - {OUT}²"),
    "relu": _relu_rule,
    "sigmoid": _same("σ({a_})·(1 - σ({a_}))", "{OUT}·(1 - {OUT})"),
    "sqrt": _same("1/(2·√{a})", "1/(2·{OUT})"),
    "sin": _same("cos({a_})", "cos({a})"),
    "cos": _same("-sin({a_})", "-sin({a})"),
    "abs": _same("sign({a_})", "sign({a})"),
    "max": _choice_rule("larger"),
    "min": _choice_rule("smaller"),
}


def local_rule(result, k):
    """(symbolic, numeric) for ∂result/∂operand k, e.g. ('1 - tanh²(n)', '1 - 0.7071²')."""
    data = [p.data for p in result.parents]
    names = [display_name(p) for p in result.parents]
    numbers = [fmt(x) for x in data]
    out = fmt(result.data)
    op = result.op
    if op.startswith("**") and op != "**":  # constant exponent c, kept in the op symbol
        c = float(op[2:])
        return (f"{fmt(c)}·{wrapped(names[0])}^{fmt(c - 1)}",
                f"{fmt(c)}·{_paren(numbers[0])}^{fmt(c - 1)}")
    symbolic, numeric = RULES[op](data, k)
    return (symbolic.format(a=wrapped(names[0]), b=wrapped(names[-1]), a_=names[0]),
            numeric.format(a=numbers[0], b=numbers[-1], A=_paren(numbers[0]),
                           B=_paren(numbers[-1]), out=out, OUT=_paren(out)))
