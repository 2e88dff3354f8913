"""A learner's typed answer in practice mode: what it may look like, and when it is right.

Accepted: a number as people write it (-2, -2.0, .5, 1e-3, a typographic minus −2), a
simple fraction (1/2, -3/4), and inf, -inf, nan (a gradient can be any of them). Anything
else is refused with a message for the field, never an exception of another kind.
"""

import math
import re

NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
FRACTION = re.compile(rf"({NUMBER})\s*/\s*((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
PLAIN = re.compile(NUMBER)
SPECIAL = {"inf": math.inf, "+inf": math.inf, "-inf": -math.inf, "infinity": math.inf,
           "+infinity": math.inf, "-infinity": -math.inf, "∞": math.inf, "+∞": math.inf,
           "-∞": -math.inf, "nan": math.nan, "+nan": math.nan, "-nan": math.nan}
MINUSES = str.maketrans({"−": "-", "–": "-", "‐": "-", "\u2009": "", "\u202f": "", "\xa0": ""})
LONGEST = 40  # characters: an answer is one number
SIGNIFICANT = 4  # digits an answer must agree on
ZERO = 1e-9  # how close to a true zero an answer must be
EXAMPLES = "a number such as -2, 0.5, 1e-3 or 1/2 (or inf, nan)"


class AnswerError(ValueError):
    """Typed text that is not an answer; the message says what to type instead."""


def read_answer(text):
    """The float a learner typed, or AnswerError with a message for the field."""
    typed = text.strip().translate(MINUSES) if isinstance(text, str) else ""
    if not typed:
        raise AnswerError(f"Type your answer first: {EXAMPLES}.")
    if len(typed) > LONGEST:
        raise AnswerError(f"That is too long for one number: type {EXAMPLES}.")
    special = SPECIAL.get(typed.lower())
    if special is not None:
        return special
    if PLAIN.fullmatch(typed):
        return _finite(float(typed), typed)
    fraction = FRACTION.fullmatch(typed)
    if fraction:
        top, bottom = float(fraction.group(1)), float(fraction.group(2))
        if bottom == 0:
            raise AnswerError("A fraction needs a number other than 0 below the line.")
        return _finite(top / bottom, typed)
    shown = typed if len(typed) <= 16 else typed[:15] + "…"
    if any(sign in typed for sign in "*×+") or typed.count("/") > 1 or "(" in typed:
        raise AnswerError(f"'{shown}' is a calculation: work it out and type the number, "
                          "e.g. -6 or 1/2.")
    if "," in typed and PLAIN.fullmatch(typed.replace(",", ".", 1)):
        raise AnswerError(f"'{shown}': write the decimal point as a dot, e.g. 0.5.")
    raise AnswerError(f"'{shown}' is not a number: type {EXAMPLES}.")


def _finite(number, typed):
    # float() overflows to inf for 1e999: as a typed answer that is not what was meant.
    if math.isinf(number):
        raise AnswerError("That number is too large: type inf if you mean infinity.")
    return number


def agrees(answer, true):
    """True when `answer` is the `true` number to 4 significant digits: within one unit
    of its fourth digit (so rounding on the way is forgiven), or within 1e-9 of a zero.
    inf and nan agree only with themselves (an infinity with its sign)."""
    if math.isnan(true) or math.isnan(answer):
        return math.isnan(true) and math.isnan(answer)
    if math.isinf(true) or math.isinf(answer):
        return answer == true
    if abs(true) < ZERO:
        return abs(answer - true) <= ZERO
    unit = 10.0 ** (math.floor(math.log10(abs(true))) - (SIGNIFICANT - 1))
    return abs(answer - true) <= unit * (1 + 1e-9)
