"""Words and numbers for one step: an op's recipe, its local derivatives, its tangent rule,
written from what the op's entry in core/ops.py says about it."""

import re
import unicodedata

from .numbers import fmt
from .op_spec import ATOM, SIGN


def display_name(v, limit=24):
    """A node's label (whole, however long: the canvas cuts it), or for an unnamed node
    the expression that made it (if short)."""
    return v.label or _text(v, limit) or "(…)"


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
        return text, (SIGN if text.startswith("-") else ATOM)
    if budget <= 2:
        return None
    parts = []
    for p in v.parents:
        built = _text_and_precedence(p, budget - 1)
        if built is None:
            return None
        parts.append(built)
    text, mine = _compose(v._op, parts)
    return (text, mine) if len(text) <= budget else None


def _compose(op, parts, numbers=False):
    """(text, precedence) of `op` applied to [(operand text, its precedence)]."""
    if op.precedence is None:  # `b = a` names a value again: its recipe is the operand itself
        return parts[0]
    mine = op.precedence
    texts = []
    for k, (part, theirs) in enumerate(parts):
        if mine != ATOM and (theirs < mine or (theirs == mine and k == op.keeps_parentheses)):
            part = f"({part})"
        texts.append(part)
    return (op.shown_numbers if numbers else op.shown).format(*texts), mine


def recipe(result):
    """How an operator makes its result, with the operands' names: a·b, tanh(n), x**2."""
    parts = [_text_and_precedence(p, 24) or ("(…)", ATOM) for p in result.parents]
    return _compose(result._op, parts)[0]


def recipe_numbers(result):
    """The same with the operands' numbers: 2 × -3, tanh(0.8814), (-2)**2."""
    template = result._op.shown_numbers
    parts = []
    for k, p in enumerate(result.parents):
        text = fmt(p.data)
        if text.startswith("-") and _reads_wrongly_negative(template, k):
            text = f"({text})"
        parts.append((text, ATOM))
    return _compose(result._op, parts, numbers=True)[0]


def _reads_wrongly_negative(template, k):
    """True where a negative number in slot k of a recipe reads wrongly without parentheses:
    after a sign, 2 - (-3) and -(-3), or raised to a power, (-2)**2. After × or as a
    function's argument, -3 needs none."""
    before, _, after = template.partition("{%d}" % k)
    return before.rstrip().endswith(("+", "-")) or after.startswith("**")


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


def local_rule(result, k):
    """(symbolic, numeric) for ∂result/∂operand k, e.g. ('1 - tanh(n)**2', '1 - 0.7071**2')."""
    data = [p.data for p in result.parents]
    names = [display_name(p) for p in result.parents]
    numbers = [fmt(x) for x in data]
    out = fmt(result.data)
    symbolic, numeric = result._op.derivative(data, k)
    return (symbolic.format(a=wrapped(names[0]), base=_powered(names[0]),
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


def code_name(v, role):
    """A node as a Python name: its label when it is one, else its role in the op."""
    return v.label if is_name(v.label) else role


def local_code(result, k):
    """The local derivative of operand k as micrograd's _backward writes it."""
    ps = result.parents
    names = {"a": code_name(ps[0], "self"), "b": code_name(ps[-1], "other"),
             "out": code_name(result, "out")}
    return result._op.code[k].format(**names)


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
