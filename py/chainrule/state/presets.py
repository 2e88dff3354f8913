"""Example programs the page offers; each is ordinary text in the expression language."""

from ..core.nn import MLP

# The page's editor starts with exactly this text (index.html), before Python is up.
LECTURE = """\
a = 2
b = -3
c = 10
e = a*b
d = e + c
f = -2
L = d*f"""

TANH_NEURON = """\
# One neuron: o = tanh(x1*w1 + x2*w2 + b)
x1 = 2
w1 = -3
x2 = 0
w2 = 1
b = 6.8813735870195432
o = tanh(x1*w1 + x2*w2 + b)
"""

MICROGRAD_SANITY = """\
# micrograd's sanity check
x = -4
z = 2*x + 2 + x
q = relu(z) + z*x
h = relu(z*z)
y = h + q + q*x
"""

REUSED_NODE = """\
# A node used twice accumulates gradient
a = 3
b = a + a
c = b * b
"""

EDGES = """\
# Where numbers break: log(0) is -inf, 1/0 is inf, sqrt(-1) is nan,
# and one nan makes every gradient it touches nan
x = 0
y = -1
a = log(x)
b = 1 / x
c = sqrt(y)
L = a + b * c
"""


def mlp_source(hidden=(16, 16), digits=4):
    """A 2-16-16-1 MLP (tanh hidden layers) on one sample with a squared-error loss.

    Each neuron is a `# group:` block, so the page opens it collapsed by neuron. Weights
    are rounded to `digits` places to keep the text short.
    """
    return MLP(2, [*hidden, 1], nonlin="tanh", seed=7).source([0.5, -1.5], 1.0, digits=digits)


def deep_chain_source(depth=24):
    lines = ["# A deep chain: the gradient shrinks through every tanh", "x = 0.8", "w = 1.5",
             "h0 = x"]
    lines += [f"h{i} = tanh(w*h{i - 1})" for i in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


PRESETS = {
    "lecture": ("Lecture example", LECTURE),
    "neuron": ("tanh neuron", TANH_NEURON),
    "sanity": ("micrograd sanity check", MICROGRAD_SANITY),
    "reuse": ("Reused node", REUSED_NODE),
    "mlp": ("MLP 2-16-16-1, by neuron", mlp_source()),
    "small-mlp": ("Small MLP (2-4-4-1)", mlp_source((4, 4), digits=None)),
    "chain": ("Deep chain", deep_chain_source()),
    "edges": ("Where numbers break: inf and nan", EDGES),
}
DEFAULT = "lecture"
PLACEHOLDER = "Examples…"


def example_of(text):
    """The key of the example whose text is exactly `text`, or None."""
    return next((key for key, (_, example) in PRESETS.items() if example == text), None)


def examples_shown(origin, text):
    """(value, first option's label) of the Examples select for the text in the editor,
    which came from example `origin` (None: from no example). The select shows the example
    while its text is unchanged, and "<title> (edited)" once it is not."""
    if origin not in PRESETS:
        return "", PLACEHOLDER
    title, example = PRESETS[origin]
    if text == example:
        return origin, PLACEHOLDER
    return "", f"{title} (edited)"


def reset_key(origin):
    """The example Reset text brings back: the one the text came from, or the default."""
    return origin if origin in PRESETS else DEFAULT
