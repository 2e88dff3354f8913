"""Numbers as people type them, as program text writes them back, as explanations show them.

An input's number is always finite: what a user types is read here (with a clear message for
what is not a number), and a float is written back as the shortest literal that reads back
exactly, so a reload or a shared link shows the value the user chose.
"""

import math
import sys

LARGEST = sys.float_info.max  # an input's number stays finite: scrubs and sliders stop here

class InputError(ValueError):
    """A typed value that cannot become an input's number; the message says why."""


def read_number(text):
    """The finite float a user typed, or InputError naming what is wrong with it."""
    typed = text.strip() if isinstance(text, str) else ""
    if not typed:
        raise InputError("type a number")
    shown = typed if len(typed) <= 24 else typed[:23] + "…"
    try:
        number = float(typed.replace("−", "-"))  # a typographic minus pasted from a page
    except ValueError:
        raise InputError(f"'{shown}' is not a number") from None
    if not math.isfinite(number):
        raise InputError(f"'{shown}' is too large: use a finite number")
    return number


def literal_text(x):
    """The shortest program text that reads back as exactly `x`: 3, -0.5, 1e-07."""
    if x == int(x) and abs(x) < 1e16 and not (x == 0 and math.copysign(1, x) < 0):
        return str(int(x))
    return repr(x)


def fmt(x):
    """A number as a learner reads it: 6, -3, 0.7071, 1.5e+10, inf, nan."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


def code_number(x):
    """A number as Python prints a float, shortened: 0.0, -3.0, 0.7071, inf."""
    text = fmt(x)
    return text + ".0" if text.lstrip("-").isdigit() else text
