"""An MLP's batch loss and its gradients in plain floats: backprop written out by hand.

Training builds no Value graph: a graph for a 32-sample batch of a 2-8-8-1 net has
~6,700 nodes, and making them is most of a step's time. The arithmetic is
the graph's, in the graph's order, so the loss is the same float and the gradients agree
to rounding (tests/test_training.py checks both against `Trainer.loss()` and PyTorch).
"""

import math

from ..core.ops import POW_TWO


def weights(model):
    """[(nonlin, [(b, [w, ...]) per neuron]) per layer] as floats."""
    return [(layer.neurons[0].nonlin,
             [(n.b.data, [w.data for w in n.w]) for n in layer.neurons])
            for layer in model.layers]


def activate(nonlin, z):
    if nonlin == "relu":
        return [0.0 if a < 0 else a for a in z]
    if nonlin == "tanh":
        return [math.tanh(a) for a in z]
    return z


def forward(layers, x):
    """Every layer's output for one input `x`: [x, h1, ..., output]."""
    outs = [list(x)]
    h = outs[0]
    for nonlin, neurons in layers:
        z = []
        for b, ws in neurons:
            a = b
            for w, xi in zip(ws, h):
                a = a + w * xi
            z.append(a)
        h = activate(nonlin, z)
        outs.append(h)
    return outs


def predict(layers, x):
    return forward(layers, x)[-1][0]


def predict_many(layers, xs):
    """`predict` for every x in `xs`, a layer at a time over all of them (the same sums in
    the same order, so the same floats): several times faster for a plot's grid."""
    columns = [list(c) for c in zip(*xs)]
    for nonlin, neurons in layers:
        z = []
        for b, ws in neurons:
            acc = [b] * len(xs)
            for w, column in zip(ws, columns):
                acc = [a + w * c for a, c in zip(acc, column)]
            z.append(acc)
        if nonlin == "relu":
            columns = [[0.0 if a < 0 else a for a in zs] for zs in z]
        elif nonlin == "tanh":
            columns = [[math.tanh(a) for a in zs] for zs in z]
        else:
            columns = z
    return columns[0] if xs else []


def loss_and_grads(model, batch, loss="max-margin", alpha=1e-4):
    """(loss, [gradient of each of model.parameters()]) for `batch`, as Trainer.loss()."""
    layers = weights(model)
    grad_w = [[[0.0] * len(ws) for _, ws in neurons] for _, neurons in layers]
    grad_b = [[0.0] * len(neurons) for _, neurons in layers]
    scale = 1.0 / len(batch)
    total = 0.0
    for x, y in batch:
        outs = forward(layers, x)
        s = outs[-1][0]
        if loss == "max-margin":
            margin = 1 + -y * s
            total = total + (0.0 if margin < 0 else margin)
            g = 0.0 if margin <= 0 else scale * -y
        else:
            d = s - y
            total = total + POW_TWO.forward(d)  # inf past 1e154, as the graph's ** 2
            g = scale * (2.0 * d)
        upstream = [g]
        for li in range(len(layers) - 1, -1, -1):
            nonlin, neurons = layers[li]
            out, inp = outs[li + 1], outs[li]
            if nonlin == "relu":
                gz = [0.0 if o <= 0 else gi for o, gi in zip(out, upstream)]
            elif nonlin == "tanh":
                gz = [gi * ((1 - o) * (1 + o)) for o, gi in zip(out, upstream)]
            else:
                gz = upstream
            below = [0.0] * len(inp) if li else None
            gw_layer, gb_layer = grad_w[li], grad_b[li]
            for j, gj in enumerate(gz):
                if gj == 0.0:
                    continue
                gb_layer[j] += gj
                row = gw_layer[j]
                for i, xi in enumerate(inp):
                    row[i] += gj * xi
                if below is not None:
                    for i, w in enumerate(neurons[j][1]):
                        below[i] += gj * w
            upstream = below
    value = total * scale
    grads = [g for gw_layer, gb_layer in zip(grad_w, grad_b)
             for row, gb in zip(gw_layer, gb_layer) for g in (*row, gb)]
    if loss == "max-margin":
        params = [p.data for p in model.parameters()]
        reg = 0.0
        for p in params:
            reg = reg + p * p
        value = value + reg * alpha
        grads = [g + (alpha * p + alpha * p) for g, p in zip(grads, params)]
    return value, grads
