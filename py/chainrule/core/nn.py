"""Neuron, Layer and MLP as in micrograd, with labelled parameters so their graphs read well."""

import random

from .engine import Value
from .numbers import literal_text

NONLINEARITIES = {"relu": Value.relu, "tanh": Value.tanh, None: None}


class Module:
    def parameters(self):
        return []

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """act(w · x + b). `name` ("1.0" for layer 1, neuron 0) goes into the labels."""

    def __init__(self, nin, nonlin="relu", name="", rng=None):
        if nonlin is True or nonlin is False:  # micrograd's spelling
            nonlin = "relu" if nonlin else None
        if nonlin not in NONLINEARITIES:
            raise ValueError(f"nonlin must be one of 'relu', 'tanh' or None, not {nonlin!r}")
        rng = rng or random
        sep = "." if name else ""
        self.w = [Value(rng.uniform(-1, 1), label=f"w{name}{sep}{i}") for i in range(nin)]
        self.b = Value(0.0, label=f"b{name}")
        self.nonlin = nonlin
        self.name = name

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return NONLINEARITIES[self.nonlin](act) if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        return f"{self.nonlin or 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    def __init__(self, nin, nout, nonlin="relu", name="", rng=None):
        sep = "." if name else ""
        self.neurons = [Neuron(nin, nonlin, f"{name}{sep}{j}", rng) for j in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Hidden layers use `nonlin` (ReLU by default) and the output layer is linear."""

    def __init__(self, nin, nouts, nonlin="relu", seed=None):
        rng = random.Random(seed) if seed is not None else None
        sizes = [nin] + list(nouts)
        last = len(nouts) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin if i != last else None,
                             str(i + 1), rng) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def source(self, x, target=None, digits=None, groups=True):
        """This network applied to inputs `x` as program text for the expression language.

        Each neuron becomes its own lines, so the typed program builds the same graph; with
        a `target`, the last line is the squared error loss L. `digits` rounds the weights
        (shorter text, e.g. to fit a large net in the editor's limit). With `groups`, each
        neuron is a `# group: L<layer>.N<neuron>` block, so the page can collapse it.
        """
        def weight(v):
            return repr(v.data if digits is None else round(v.data, digits))

        def number(x):
            # inputs and target as exactly as the weights: the text is this forward pass
            return literal_text(float(x) if digits is None else round(float(x), digits))

        lines = ["# inputs"]
        names = []
        for i, xi in enumerate(x):
            names.append(f"x{i + 1}")
            lines.append(f"x{i + 1} = {number(xi)}")
        for li, layer in enumerate(self.layers, start=1):
            outs = []
            for j, n in enumerate(layer.neurons):
                lines.append(f"# group: L{li}.N{j}" if groups else f"# layer {li}, neuron {j}")
                ws = [f"w{li}_{j}_{i}" for i in range(len(n.w))]
                lines += [f"{w} = {weight(v)}" for w, v in zip(ws, n.w)]
                lines.append(f"b{li}_{j} = {weight(n.b)}")
                total = " + ".join(f"{w}*{xn}" for w, xn in zip(ws, names)) + f" + b{li}_{j}"
                out = f"h{li}_{j}"
                lines.append(f"{out} = {n.nonlin}({total})" if n.nonlin else f"{out} = {total}")
                outs.append(out)
            names = outs
        if target is not None:
            if len(names) != 1:
                raise ValueError("a target needs a network with one output")
            lines.append("")  # ends the last neuron's group
            lines.append(f"y = {number(target)}")
            lines.append(f"L = ({names[0]} - y)**2")
        return "\n".join(lines) + "\n"

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
