"""micrograd's README example, built with any Value class that has its ops (chainrule's,
micrograd's own); and the lecture's neuron as one `# group:` box."""

# The lecture's neuron (o = tanh(x1*w1 + x2*w2 + b)) with its weights and bias in a group.
BOXED_NEURON = """x1 = 2
x2 = 0

# group: neuron
w1 = -3
w2 = 1
b = 6.8813735870195432
o = tanh(x1*w1 + x2*w2 + b)
"""


def readme_example(Value):
    """(a, b, g): g.data is 24.7041; after g.backward(), a.grad 138.8338, b.grad 645.5773."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return a, b, g
