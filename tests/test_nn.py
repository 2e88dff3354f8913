"""Neuron, Layer, MLP: micrograd's shapes and calls, labelled parameters, torch-equal grads."""

import random

import pytest

from torch_oracle import F64, same, torch

from chainrule import MLP, Layer, Neuron, Value, parse

X = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-2.0, 1.0, 0.1], [0.0, 0.0, 0.0]]
Y = [1.0, -1.0, 0.5, 0.0]


def test_default_mlp_like_micrograd():
    net = MLP(3, [16, 16, 1])
    out = net([0.5, -1.0, 2.0])
    assert isinstance(out, Value)
    assert len(net.parameters()) == (3 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1 == 353
    assert len(net.layers) == 3
    assert [len(layer.neurons) for layer in net.layers] == [16, 16, 1]


def test_labels_on_every_weight_and_bias():
    net = MLP(3, [16, 16, 1], seed=0)
    labels = [p.label for p in net.parameters()]
    assert len(set(labels)) == len(labels) == 353
    for label in ["w1.0.0", "w1.0.2", "b1.0", "w1.15.2", "b1.15", "w2.3.15", "b2.15",
                  "w3.0.15", "b3.0"]:
        assert label in labels
    assert all(p.is_leaf for p in net.parameters())
    n = net.layers[0].neurons[0]
    assert [w.label for w in n.w] == ["w1.0.0", "w1.0.1", "w1.0.2"] and n.b.label == "b1.0"


def test_relu_hidden_linear_output_by_default():
    net = MLP(3, [4, 4, 1], seed=1)
    out = net([0.5, -1.0, 2.0])
    assert out.op == "+"  # linear output: the last op is the sum
    hidden = net.layers[0]([0.5, -1.0, 2.0])
    assert isinstance(hidden, list) and len(hidden) == 4
    assert all(h.op == "relu" for h in hidden)
    net = MLP(3, [4, 1], nonlin="tanh", seed=1)
    assert all(h.op == "tanh" for h in net.layers[0]([0.5, -1.0, 2.0]))
    assert net([0.5, -1.0, 2.0]).op == "+"


def test_neuron_nonlinearities():
    x = [1.0, 2.0, 3.0]
    assert Neuron(3)(x).op == "relu"
    assert Neuron(3, nonlin="tanh")(x).op == "tanh"
    assert Neuron(3, nonlin="relu")(x).op == "relu"
    assert Neuron(3, nonlin=None)(x).op == "+"
    assert Neuron(3, nonlin=True)(x).op == "relu"  # micrograd's spelling
    assert Neuron(3, nonlin=False)(x).op == "+"
    n = Neuron(3)
    assert len(n.parameters()) == 4
    assert n.b.data == 0.0
    assert all(-1.0 <= w.data <= 1.0 for w in n.w)


def test_layer_shapes():
    layer = Layer(3, 5)
    out = layer([1.0, 2.0, 3.0])
    assert len(out) == 5 and all(isinstance(o, Value) for o in out)
    assert len(layer.parameters()) == 20
    single = Layer(3, 1)([1.0, 2.0, 3.0])
    assert isinstance(single, Value)


def test_seed_makes_weights_reproducible():
    a = [p.data for p in MLP(3, [4, 1], seed=42).parameters()]
    b = [p.data for p in MLP(3, [4, 1], seed=42).parameters()]
    c = [p.data for p in MLP(3, [4, 1], seed=43).parameters()]
    assert a == b and a != c


def test_zero_grad():
    net = MLP(3, [4, 1], seed=0)
    loss = (net([1.0, 2.0, 3.0]) - 1.0) ** 2
    loss.backward()
    assert any(p.grad != 0.0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad == 0.0 for p in net.parameters())


def torch_net(net):
    """The same weights as torch tensors, one (W, b, nonlin) per layer."""
    layers = []
    for layer in net.layers:
        W = torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=F64,
                         requires_grad=True)
        b = torch.tensor([n.b.data for n in layer.neurons], dtype=F64, requires_grad=True)
        layers.append((W, b, layer.neurons[0].nonlin))
    return layers


def torch_forward(layers, x):
    h = torch.tensor(x, dtype=F64)
    for W, b, nonlin in layers:
        h = W @ h + b
        if nonlin == "relu":
            h = torch.relu(h)
        elif nonlin == "tanh":
            h = torch.tanh(h)
    return h


@pytest.mark.parametrize("nonlin", ["relu", "tanh"])
def test_forward_and_grads_equal_torch(nonlin):
    net = MLP(3, [16, 16, 1], nonlin=nonlin, seed=7)
    loss = sum(((net(x) - y) ** 2 for x, y in zip(X, Y)), Value(0.0))
    loss.backward()
    layers = torch_net(net)
    tloss = sum((torch_forward(layers, x)[0] - y) ** 2 for x, y in zip(X, Y))
    tloss.backward()
    assert same(loss.data, tloss.item())
    for layer, (W, b, _) in zip(net.layers, layers):
        for j, n in enumerate(layer.neurons):
            for i, w in enumerate(n.w):
                assert same(w.grad, W.grad[j, i].item(), abs_tol=1e-12), w.label
            assert same(n.b.grad, b.grad[j].item(), abs_tol=1e-12), n.b.label


def test_every_output_of_a_wide_net_matches_torch():
    net = MLP(2, [3, 4], seed=3)
    x = [0.3, -0.8]
    outs = net(x)
    assert isinstance(outs, list) and len(outs) == 4
    touts = torch_forward(torch_net(net), x)
    for o, t in zip(outs, touts):
        assert same(o.data, t.item())


def test_inputs_may_be_values_and_get_grads():
    net = MLP(2, [3, 1], seed=5)
    xs = [Value(0.4, label="x1"), Value(-0.6, label="x2")]
    out = net(xs)
    out.backward()
    layers = torch_net(net)
    tx = torch.tensor([0.4, -0.6], dtype=F64, requires_grad=True)
    h = tx
    for W, b, nonlin in layers:
        h = W @ h + b
        h = torch.relu(h) if nonlin == "relu" else h
    h[0].backward()
    assert same(out.data, h[0].item())
    for v, g in zip(xs, tx.grad.tolist()):
        assert same(v.grad, g, abs_tol=1e-12)


def test_training_reduces_the_loss():
    random.seed(0)
    net = MLP(3, [8, 8, 1], seed=11)

    def loss_value():
        return sum(((net(x) - y) ** 2 for x, y in zip(X, Y)), Value(0.0))

    first = loss_value().data
    for _ in range(30):
        loss = loss_value()
        net.zero_grad()
        loss.backward()
        for p in net.parameters():
            p.data -= 0.02 * p.grad
    assert loss_value().data < 0.5 * first


def test_source_round_trip_builds_the_same_loss():
    """MLP.source(x, target) is program text that builds the same computation."""
    net = MLP(3, [4, 4, 1], seed=2)
    x, y = [0.5, -1.0, 2.0], 0.75
    loss = (net(x) - y) ** 2
    loss.backward()
    prog = parse(net.source(x, target=y))
    prog.output.backward()
    assert same(prog.output.data, loss.data)
    for li, layer in enumerate(net.layers, start=1):
        for j, n in enumerate(layer.neurons):
            for i, w in enumerate(n.w):
                assert same(prog.inputs[f"w{li}_{j}_{i}"].grad, w.grad, abs_tol=1e-12)
