"""Float arithmetic as IEEE-754, C and PyTorch define it: inf and nan where Python raises.

Python's float raises on 1/0, exp(1000), log(-1) and friends; the ops return what PyTorch
(float64) returns instead, so a graph with special values shows the same numbers.
"""

import math

inf = math.inf
nan = math.nan


def divide(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return nan
        return math.copysign(inf, a) * math.copysign(1.0, b)


def is_odd_integer(b):
    return b.is_integer() and abs(b) < 2**53 and int(b) % 2 == 1


def power(a, b):
    try:
        return math.pow(a, b)
    except OverflowError:
        return -inf if a < 0 and is_odd_integer(b) else inf
    except ValueError:
        if a == 0:  # zero to a negative power
            return -inf if math.copysign(1.0, a) < 0 and is_odd_integer(b) else inf
        return nan  # negative base, fractional exponent


def exp(a):
    try:
        return math.exp(a)
    except OverflowError:
        return inf


def log(a):
    if a == 0:
        return -inf
    return math.log(a) if a > 0 or a != a else nan


def sqrt(a):
    return math.sqrt(a) if a >= 0 or a != a else nan


def sin(a):
    return math.sin(a) if math.isfinite(a) else nan


def cos(a):
    return math.cos(a) if math.isfinite(a) else nan


def sigmoid(a):
    # PyTorch's formula; below about -709.78 exp overflows and the result is exactly 0.
    return 1.0 / (1.0 + exp(-a))


def sign(a):
    return 1.0 if a > 0 else -1.0 if a < 0 else 0.0  # sign(nan) is 0, as in torch.sgn


def maximum(a, b):
    if a != a or b != b:
        return nan
    return a if a >= b else b


def minimum(a, b):
    if a != a or b != b:
        return nan
    return a if a <= b else b
