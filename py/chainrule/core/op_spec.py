"""What an op declares: the `Op` record, and the builders the table in core/ops.py uses.

core/ops.py's docstring says what each field is for and how to add an op.
"""

from typing import Callable, NamedTuple, Optional

# How tightly a recipe binds, for parentheses: a + b·c, (a + b)·c, -a**2, tanh(a + b).
SUM, PRODUCT, SIGN, POWER, ATOM = 1, 2, 3, 4, 5


class Op(NamedTuple):
    """One operation and everything chainrule says about it."""

    symbol: str  # its key and the operator node's text: "+", "tanh", "**"
    forward: Callable[..., float]  # (*data) -> out
    backward: Callable[..., tuple]  # (g, out, *data) -> a contribution per operand
    tangent: Callable[..., float]  # (out, *data, *tangents) -> the result's tangent
    derivative: Callable[..., tuple]  # (data, k) -> (named, numbered) text of ∂out/∂operand k
    code: tuple  # per operand: the local derivative in micrograd's _backward
    name: str = ""  # the function's name in the language ("" if only written with a sign)
    shown: str = ""  # the recipe with names, over {0}, {1}: "{0}·{1}"
    shown_numbers: str = ""  # the recipe with numbers: "{0} × {1}"
    precedence: Optional[int] = ATOM  # None: reads as its operand (`b = a`)
    keeps_parentheses: Optional[int] = None  # the operand parenthesized at equal precedence
    written: str = ""  # how program text writes it: "{0} * {1}"
    ports: Optional[tuple] = None  # the canvas's operand slot names, when the order matters
    title: str = ""  # the palette button's word
    palette: bool = True  # offered on the canvas's palette
    torch: str = ""  # PyTorch's function ("" when the script writes `written`)
    why: Optional[Callable[..., str]] = None  # (*data) -> why finite operands gave inf/nan

    @property
    def arity(self):
        return len(self.code)


def function(name, forward, backward, tangent, derivative, code, *, torch=None, ports=None,
             title=None, why=None):
    """An op the language calls by name: name(a) or name(a, b)."""
    call = f"{name}({', '.join('{%d}' % k for k in range(len(code)))})"
    return Op(name, forward, backward, tangent, derivative, tuple(code), name, call, call,
              ATOM, None, call, ports, title or name, True, name if torch is None else torch,
              why)


def operator(symbol, forward, backward, tangent, derivative, code, *, shown, written,
             precedence, shown_numbers=None, keeps_parentheses=None, name="", ports=None,
             title=None, palette=True, why=None):
    """An op written with a sign: a + b, -a, a ** b."""
    return Op(symbol, forward, backward, tangent, derivative, tuple(code), name, shown,
              shown_numbers or shown, precedence, keeps_parentheses, written, ports,
              title or symbol, palette, "", why)


def same(named, numbered):
    """The same text for every operand."""
    return lambda data, k: (named, numbered)


def per_operand(*texts):
    """A (named, numbered) pair per operand."""
    return lambda data, k: texts[k]
