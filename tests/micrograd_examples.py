"""micrograd's README example, built with any Value class that has its ops (chainrule's,
micrograd's own)."""


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
