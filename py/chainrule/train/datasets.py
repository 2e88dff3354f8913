"""Small toy datasets for training in the page, generated in pure Python from a seed.

Each returns a list of (x, y): x a tuple of floats, y a float. Classification sets use
y = -1 or +1 (what micrograd's max-margin loss expects); `sine` is a 1-D regression.
"""

import math
import random


def moons(n=100, noise=0.1, seed=0):
    """Two interleaving half circles, as scikit-learn's make_moons draws them."""
    rng = random.Random(seed)
    outer, inner = n - n // 2, n // 2
    points = []
    for i in range(outer):
        t = math.pi * i / max(outer - 1, 1)
        points.append(((math.cos(t), math.sin(t)), -1.0))
    for i in range(inner):
        t = math.pi * i / max(inner - 1, 1)
        points.append(((1 - math.cos(t), 0.5 - math.sin(t)), 1.0))
    return _jitter(points, noise, rng)


def circles(n=100, noise=0.05, factor=0.5, seed=0):
    """A small circle inside a large one."""
    rng = random.Random(seed)
    outer, inner = n - n // 2, n // 2
    points = []
    for count, radius, label in ((outer, 1.0, -1.0), (inner, factor, 1.0)):
        for i in range(count):
            t = 2 * math.pi * i / count
            points.append(((radius * math.cos(t), radius * math.sin(t)), label))
    return _jitter(points, noise, rng)


def xor(n=100, noise=0.15, seed=0):
    """Four clusters at (±1, ±1); the label is the sign of x1·x2."""
    rng = random.Random(seed)
    points = []
    for i in range(n):
        sx, sy = (1 if i % 2 else -1), (1 if (i // 2) % 2 else -1)
        points.append(((float(sx), float(sy)), float(sx * sy)))
    return _jitter(points, noise * 2, rng)


def sine(n=60, noise=0.05, seed=0):
    """y = sin(x) on [-π, π], with noise on y: a 1-D regression."""
    rng = random.Random(seed)
    return [((x,), math.sin(x) + rng.gauss(0, noise))
            for x in (-math.pi + 2 * math.pi * i / max(n - 1, 1) for i in range(n))]


def _jitter(points, noise, rng):
    out = [(tuple(c + rng.gauss(0, noise) for c in x), y) for x, y in points]
    rng.shuffle(out)
    return out


DATASETS = {"moons": moons, "circles": circles, "xor": xor, "sine": sine}
CLASSIFICATION = {"moons", "circles", "xor"}
