"""What crosses to the renderer and into every output: strict JSON, one encoding of numbers.

A finite float is a JSON number. A non-finite one is the string "nan", "inf" or "-inf",
which is also its Python `repr`: the cells' number texts (`v`, `g`) and a bare float
decode the same way, here with `number()` and in the renderer with `numberOf()`
(web/src/cells.js). JSON has no NaN or Infinity, and the browser's JSON.parse rejects
the ones `json.dumps` writes by default, so nothing else may encode a float for the page.
"""

import json
import math

NOT_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def number_text(x):
    """The text a number crosses as where text is expected: its shortest round-trip form."""
    return repr(float(x))


def number(text):
    """The float a number text (or a JSON number) stands for: the inverse of number_text."""
    if isinstance(text, str):
        found = NOT_FINITE.get(text)
        return found if found is not None else float(text)
    return float(text)


def _finite_only(value):
    """`value` with each non-finite float replaced by its text (a copy where needed)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else number_text(value)
    if isinstance(value, dict):
        return {key: _finite_only(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_only(item) for item in value]
    return value


def dumps(value):
    """`value` as strict JSON text; a non-finite float becomes "nan", "inf" or "-inf"."""
    try:
        # The usual case, whole graphs of finite numbers, costs one pass.
        return json.dumps(value, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_finite_only(value), separators=(",", ":"), allow_nan=False)


def loads(text):
    """JSON text from the renderer or a test; strict: NaN and Infinity are refused."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON: non-finite numbers cross as text")
    return json.loads(text, parse_constant=refuse)
