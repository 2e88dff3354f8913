"""Every op, declared once: what it computes, its derivatives, how it is written and explained.

micrograd's engine.py gives each op one recipe: its forward and its `_backward`. Here each
op is one `Op` (core/op_spec.py) in the table `OPS`, and the rest of chainrule reads it there:
- core/engine.py: Value's operators and methods (`a + b`, `a.tanh()`) make nodes of these
  ops; backprop calls their `backward`, forward mode their `tangent`;
- core/expr.py: the functions the language accepts (`FUNCTIONS`), with their arity;
- core/explain.py: the recipe (`shown`), the local derivative's text (`derivative`) and the
  line of micrograd's `_backward` (`code`) that the explanation panel shows;
- state/canvas_program.py: the palette (`PALETTE`, `OP_TITLES`), the operand ports
  (`ports`) and the text a canvas edit writes back (`written`);
- state/scripts.py: the PyTorch function the generated script calls (`torch`).

How to add an op (softplus(x) = log(1 + exp(x)) as the example):
1. Declare it below, next to its kin. `function(...)` makes an op the language calls by
   name, like tanh(x) or max(a, b) (the number of `code` lines is its arity):

       def _softplus(a):  # PyTorch's: x itself past 20
           return a if a > 20 else math.log1p(exp(a))


       def _softplus_slope(g, a):  # PyTorch's softplus_backward: g·z/(z + 1), z = exp(x)
           if a > 20:
               return g
           z = exp(a)
           return g * z / (z + 1)


       SOFTPLUS = function(
           "softplus", _softplus,
           backward=lambda g, out, a: (_softplus_slope(g, a),),
           tangent=lambda out, a, da: _softplus_slope(da, a),
           derivative=same("σ({a_})", "σ({a})"),
           code=("(1 / (1 + math.exp(-{a}.data)))",),
           torch="nn.functional.softplus")

   - forward(*data) -> the result (float64). Where Python raises (1/0, exp(1000),
     log(-1)) return what PyTorch returns: the helpers in core/ieee.py do.
   - backward(g, out, *data) -> one gradient contribution per operand: the upstream
     gradient `g` times the local derivative (`out`, the result, saves work for exp, tanh).
   - tangent(out, *data, *tangents) -> the result's tangent (forward mode): each operand's
     tangent times the same local derivative, summed.
     Take both from PyTorch's tools/autograd/derivatives.yaml, term for term: the tests
     compare the bits with PyTorch's, special values (inf, nan, kinks) included.
   - derivative: the local derivative as the explanation writes it, with the operands'
     names and with their numbers. `same(named, numbered)` for every operand,
     `per_operand((named, numbered), ...)`, or a function (data, k) -> (named, numbered)
     when the text depends on the numbers (relu, max). In the named text {a} and {b} are
     the operands (parenthesized when compound), {a_} the first without parentheses (to
     sit inside a call) and {base} the first ready to be raised to a power; in the
     numbered text {a}, {b} are the numbers, {A}, {B} the same in parentheses when
     negative, {out}/{OUT} the result, {B1} the second number minus 1.
   - code: per operand, the local derivative as micrograd's `_backward` writes it, over
     {a}, {b} (the operands' names) and {out} (the result's).
   - Optional: `torch=` when PyTorch spells it differently (max is torch.maximum; a
     chainrule function of two operands is importable from chainrule under that name),
     `ports=` to name the operand slots on the canvas when their order matters,
     `title=` the palette button's word when not its name, `why=` a function naming the
     cause when finite operands give a result that is not finite ("log of -1").
2. Add it to `BUILT_IN` (its place there is its button's place in the palette). That is
   all the page needs: the language accepts softplus(x), the steppers and explanations
   handle it, the canvas offers it, the PyTorch script calls torch.nn.functional.softplus.
3. For Python callers (and the page's Python script): a method on Value in
   core/engine.py, `def softplus(self): return self._unary(SOFTPLUS)`.
4. Check it against PyTorch: add it to UNARY (or BINARY) in tests/test_engine_torch.py
   (per op, special values; tests/test_tangents.py takes its ops from there), to
   TORCH_UNARY (TORCH_BINARY) in tests/torch_oracle.py and, if the language calls it by
   name, to UNARY_FNS (BINARY_FNS) in tests/test_properties.py (random programs).
   tests/test_ops.py fails until every op of the table is in those lists.

`register` adds an op at run time: tests/test_ops.py runs the example above as written and
sees softplus parse, step, explain and join the palette. The indexes `FUNCTIONS`, `PALETTE`
and `OP_TITLES` follow the table.
"""

import math
from contextlib import contextmanager
from functools import lru_cache

from . import ieee
from .ieee import cos, divide, exp, log, power, sign, sin, sqrt
from .numbers import code_number, fmt, literal_text
from .op_spec import POWER, PRODUCT, SIGN, SUM, function, operator, per_operand, same

# Texts and formulas some ops share ----------------------------------------------------

def _relu_derivative(data, k):
    return "1 if {a} > 0 else 0", "{a} > 0" if data[0] > 0 else "{a} ≤ 0"


def _choice_derivative(word):
    # max/min: the winner gets the gradient, a tie splits it in half.
    def derivative(data, k):
        mine, other = ("{a}", "{b}") if k == 0 else ("{b}", "{a}")
        x, y = data[k], data[1 - k]
        relation = "=" if x == y else (">" if x > y else "<")
        return f"1 if {mine} is the {word}, ½ on a tie, else 0", f"{mine} {relation} {other}"
    return derivative


def _pick_larger(g, out, a, b):
    # torch.maximum: the larger operand takes the gradient; a tie splits it in half.
    return (g / 2 if a == b else 0.0 if a < b else g,
            g / 2 if a == b else 0.0 if a > b else g)


def _pick_smaller(g, out, a, b):
    return (g / 2 if a == b else 0.0 if a > b else g,
            g / 2 if a == b else 0.0 if a < b else g)


def _choice_tangent(wins):
    # torch.maximum/minimum: db + w·(da - db), w = 1 if a wins, 0 if b wins, ½ on a tie.
    def tangent(out, a, b, da, db):
        return db + (0.5 if a == b else 1.0 if wins(a, b) else 0.0) * (da - db)
    return tangent


def _choice_code(relation):
    return (f"(0.5 if {{a}}.data == {{b}}.data else float({{a}}.data {relation} {{b}}.data))",
            f"(0.5 if {{a}}.data == {{b}}.data else float({{b}}.data {relation} {{a}}.data))")


def _pow_backward(g, out, a, b):
    # torch masks both gradients with where(): no 0 * inf = nan where the derivative is 0.
    ga = 0.0 if b == 0 else g * (b * power(a, b - 1))
    gb = g * (0.0 if (a == 0 and b >= 0) else out * log(a))
    return (ga, gb)


def _pow_tangent(out, a, b, da, db):
    # torch's forward mode runs the two backward formulas on the tangents and adds them.
    return (0.0 if b == 0 else da * (b * power(a, b - 1))) + \
        db * (0.0 if (a == 0 and b >= 0) else out * log(a))


def _why_div(a, b):
    if b == 0:
        return "0 / 0" if a == 0 else "division by 0"
    return "overflow in /"


def _why_pow(a, b):
    if a == 0 and b < 0:
        return "0 to a negative power"
    if a < 0 and not b.is_integer():
        return f"{a:g} to a fractional power"
    return "overflow in **"


# The ops --------------------------------------------------------------------------------

ADD = operator(
    "+", lambda a, b: a + b,
    backward=lambda g, out, a, b: (g, g),
    tangent=lambda out, a, b, da, db: da + db,
    derivative=same("1", "1"), code=("1.0", "1.0"),
    shown="{0} + {1}", written="{0} + {1}", precedence=SUM)
SUB = operator(
    "-", lambda a, b: a - b,
    backward=lambda g, out, a, b: (g, -g),
    tangent=lambda out, a, b, da, db: da - db,
    derivative=per_operand(("1", "1"), ("-1", "-1")), code=("1.0", "-1.0"),
    shown="{0} - {1}", written="{0} - {1}", precedence=SUM, keeps_parentheses=1,
    ports=("minuend", "subtrahend"))
MUL = operator(
    "*", lambda a, b: a * b,
    backward=lambda g, out, a, b: (g * b, g * a),
    tangent=lambda out, a, b, da, db: da * b + a * db,
    derivative=per_operand(("{b}", "{b}"), ("{a}", "{a}")), code=("{b}.data", "{a}.data"),
    shown="{0}·{1}", shown_numbers="{0} × {1}", written="{0} * {1}", precedence=PRODUCT)
DIV = operator(
    "/", divide,
    backward=lambda g, out, a, b: (divide(g, b), -g * divide(divide(a, b), b)),
    tangent=lambda out, a, b, da, db: divide(da - db * out, b),
    derivative=per_operand(("1/{b}", "1/{B}"), ("-{a}/{b}**2", "-{A}/{B}**2")),
    code=("(1 / {b}.data)", "(-{a}.data / {b}.data**2)"),
    shown="{0}/{1}", shown_numbers="{0} / {1}", written="{0} / {1}", precedence=PRODUCT,
    keeps_parentheses=1, ports=("numerator", "denominator"), why=_why_div)
POW = operator(
    "**", power, backward=_pow_backward, tangent=_pow_tangent,
    derivative=per_operand(("{b}·{base}**({b} - 1)", "{B}·{A}**{B1}"),
                           ("{base}**{b}·ln({a_})", "{OUT}·ln({a})")),
    code=("({b}.data * {a}.data**({b}.data - 1))", "({out}.data * math.log({a}.data))"),
    name="pow", shown="{0}**{1}", written="{0} ** {1}", precedence=POWER,
    keeps_parentheses=0, ports=("base", "exponent"), title="power", why=_why_pow)
MAXIMUM = function(
    "max", ieee.maximum, backward=_pick_larger,
    tangent=_choice_tangent(lambda a, b: a > b),
    derivative=_choice_derivative("larger"), code=_choice_code(">"),
    torch="maximum", title="maximum")
MINIMUM = function(
    "min", ieee.minimum, backward=_pick_smaller,
    tangent=_choice_tangent(lambda a, b: a < b),
    derivative=_choice_derivative("smaller"), code=_choice_code("<"),
    torch="minimum", title="minimum")
NEG = operator(
    "neg", lambda a: -a,
    backward=lambda g, out, a: (-g,),
    tangent=lambda out, a, da: -da,
    derivative=same("-1", "-1"), code=("-1.0",),
    shown="-{0}", written="-{0}", precedence=SIGN, title="negate")
EXP = function(
    "exp", exp,
    backward=lambda g, out, a: (g * out,),
    tangent=lambda out, a, da: da * out,
    derivative=same("exp({a_})", "exp({a})"), code=("{out}.data",))
LOG = function(
    "log", log,
    backward=lambda g, out, a: (divide(g, a),),
    tangent=lambda out, a, da: divide(da, a),
    derivative=same("1/{a}", "1/{A}"), code=("(1 / {a}.data)",),
    why=lambda a: f"log of {a:g}")
# (1 - t)(1 + t) rather than 1 - t*t: PyTorch's kernel rounds once there, and near
# saturation the extra rounding of t*t shows in the ninth digit.
TANH = function(
    "tanh", math.tanh,
    backward=lambda g, out, a: (g * ((1 - out) * (1 + out)),),
    tangent=lambda out, a, da: da * ((1 - out) * (1 + out)),
    derivative=same("1 - tanh({a_})**2", "1 - {OUT}**2"), code=("(1 - {out}.data**2)",))
RELU = function(
    "relu", lambda a: 0.0 if a < 0 else a,
    backward=lambda g, out, a: (0.0 if a <= 0 else g,),
    tangent=lambda out, a, da: 0.0 if a <= 0 else da,
    derivative=_relu_derivative, code=("({out}.data > 0)",))
SIGMOID = function(
    "sigmoid", ieee.sigmoid,
    backward=lambda g, out, a: (g * (1 - out) * out,),
    tangent=lambda out, a, da: da * (1 - out) * out,
    derivative=same("σ({a_})·(1 - σ({a_}))", "{OUT}·(1 - {OUT})"),
    code=("({out}.data * (1 - {out}.data))",))
SQRT = function(
    "sqrt", sqrt,
    backward=lambda g, out, a: (divide(g, 2 * out),),
    tangent=lambda out, a, da: divide(da, 2 * out),
    derivative=same("1/(2·√{a})", "1/(2·{OUT})"), code=("(0.5 / {out}.data)",),
    why=lambda a: f"sqrt of {a:g}")
SIN = function(
    "sin", sin,
    backward=lambda g, out, a: (g * cos(a),),
    tangent=lambda out, a, da: da * cos(a),
    derivative=same("cos({a_})", "cos({a})"), code=("math.cos({a}.data)",))
COS = function(
    "cos", cos,
    backward=lambda g, out, a: (g * -sin(a),),
    tangent=lambda out, a, da: da * -sin(a),
    derivative=same("-sin({a_})", "-sin({a})"), code=("-math.sin({a}.data)",))
ABS = function(
    "abs", abs,
    backward=lambda g, out, a: (g * sign(a),),
    tangent=lambda out, a, da: da * sign(a),
    derivative=same("sign({a_})", "sign({a})"), code=("sign({a}.data)",))
# `b = a` names a value again: its own node, one step of ∂b/∂a = 1, so `b` is seen. Not in
# the palette: on the canvas a value is connected, not copied.
IDENTITY = operator(
    "=", lambda a: a,
    backward=lambda g, out, a: (g,),
    tangent=lambda out, a, da: da,
    derivative=same("1", "1"), code=("1.0",),
    shown="{0}", written="{0}", precedence=None, palette=False)

BUILT_IN = (ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, NEG, EXP, LOG, TANH, RELU, SIGMOID,
            SQRT, SIN, COS, ABS, IDENTITY)


# x ** c: a family of ops, one per constant exponent ----------------------------------------

def _pow_constant(a, c):
    # PyTorch computes x ** 0.5 as sqrt(x) and x ** -0.5 as rsqrt(x), which differ from C's
    # pow at -0.0 and -inf; the backward pass goes through the same path for c - 1.
    if c == 0.5:
        return sqrt(a)
    if c == -0.5:
        return divide(1.0, sqrt(a))
    return power(a, c)


def _format_exponent(c):
    return str(int(c)) if c.is_integer() and abs(c) < 1e15 else repr(c)


def _constant_power_derivative(c):
    """d(a**c)/da written as simply as it reads: 2·o, not 2·o**1."""
    if c == 0:
        return same("0", "0")
    if c == 1:
        return same("1", "1")
    if c == 2:
        return same("2·{base}", "2·{A}")
    return same(f"{fmt(c)}·{{base}}**{fmt(c - 1)}", f"{fmt(c)}·{{A}}**{fmt(c - 1)}")


def power_op(c):
    """`x ** c` for a constant c: the exponent is part of the op, not a node of the graph.
    One op per exponent, made once: a program squares many values."""
    return _power_op(float(c).hex())  # hex tells -0.0 from 0.0, which write differently


@lru_cache(maxsize=256)
def _power_op(exponent_hex):
    c = float.fromhex(exponent_hex)

    def backward(g, out, a):
        return (0.0 if c == 0 else g * (c * _pow_constant(a, c - 1)),)

    def tangent(out, a, da):
        return 0.0 if c == 0 else da * (c * _pow_constant(a, c - 1))
    exponent = _format_exponent(c)
    code = (f"({code_number(c)} * {{a}}.data)" if c - 1 == 1 else
            f"({code_number(c)} * {{a}}.data**{code_number(c - 1)})")
    written = literal_text(c) if math.isfinite(c) else exponent
    return operator(
        f"**{exponent}", lambda a: _pow_constant(a, c), backward, tangent,
        _constant_power_derivative(c), (code,), shown="{0}**" + exponent,
        written="{0} ** " + (f"({written})" if written.startswith("-") else written),
        precedence=POWER, keeps_parentheses=0, title="power", palette=False,
        why=lambda a: _why_pow(a, c))


POW_TWO = power_op(2.0)


def constant_exponent(symbol):
    """The c of an `x ** c` op's symbol ('**2' -> 2.0), or None for any other symbol."""
    if not symbol.startswith("**") or symbol == "**":
        return None
    try:
        c = float(symbol[2:])
    except ValueError:
        return None
    return c if math.isfinite(c) else None


# The table and the indexes derived from it ---------------------------------------------

OPS = {}  # symbol -> Op, in the palette's order
# Derived from OPS by `register`, always the same objects, so an importer sees changes.
FUNCTIONS = {}  # name in the language -> Op: one operand, then two, pow (= **) last
PALETTE = []  # the symbols the canvas's palette offers
OP_TITLES = {}  # symbol -> the palette button's word


def register(*ops):
    """Adds ops to the table (an op with the symbol of one there replaces it, in place)."""
    for op in ops:
        if op.arity not in (1, 2):
            raise ValueError(f"{op.symbol!r}: the engine takes ops of one or two operands")
        if op.name and not op.name.isidentifier():
            raise ValueError(f"{op.name!r} is not a name the language can call")
        OPS[op.symbol] = op
    _index()


def unregister(symbol):
    del OPS[symbol]
    _index()


@contextmanager
def registered(op):
    """The table with `op` in it for the duration, then as it was."""
    before = OPS.get(op.symbol)
    register(op)
    try:
        yield op
    finally:
        if before is None:
            unregister(op.symbol)
        else:
            register(before)


def _index():
    named = [op for op in OPS.values() if op.name]
    FUNCTIONS.clear()
    FUNCTIONS.update((op.name, op) for op in
                     sorted(named, key=lambda op: (op.arity, op.name != op.symbol)))
    PALETTE[:] = [op.symbol for op in OPS.values() if op.palette]
    OP_TITLES.clear()
    OP_TITLES.update((op.symbol, op.title) for op in OPS.values() if op.palette)


def op_for(symbol):
    """The op an operator node's symbol names: an entry of the table, or x ** c for '**c'.
    ValueError for any other symbol."""
    if symbol in OPS:
        return OPS[symbol]
    c = constant_exponent(symbol)
    if c is None:
        raise ValueError(f"unknown operator {symbol!r}")
    return power_op(c)


register(*BUILT_IN)
