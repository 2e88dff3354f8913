"""Training in the page, its Python side: datasets, gradient descent, the gradient check."""

import math

import pytest

from chainrule import parse
from chainrule.core import ops
from chainrule.train.datasets import DATASETS, moons
from chainrule.core.gradcheck import gradient_check
from chainrule.state.presets import PRESETS
from chainrule.train.trainer import TrainConfig, Trainer
from test_scripts import PROGRAMS


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_datasets_are_reproducible_and_well_formed(name):
    make = DATASETS[name]
    first, again, other = make(seed=3), make(seed=3), make(seed=4)
    assert first == again and first != other
    dims = {len(x) for x, _ in first}
    assert dims == ({1} if name == "sine" else {2})
    if name != "sine":
        assert {y for _, y in first} == {-1.0, 1.0}
    assert all(math.isfinite(c) for x, y in first for c in (*x, y))


def test_moons_without_noise_lie_on_their_half_circles():
    for (x1, x2), y in moons(n=40, noise=0.0):
        if y < 0:
            assert math.isclose(x1 * x1 + x2 * x2, 1.0, abs_tol=1e-12) and x2 >= -1e-12
        else:
            assert math.isclose((x1 - 1) ** 2 + (x2 - 0.5) ** 2, 1.0, abs_tol=1e-12)


def test_the_same_seed_gives_the_same_loss_curve():
    curves = []
    for _ in range(2):
        trainer = Trainer(TrainConfig(seed=7))
        curves.append([trainer.step().loss for _ in range(15)])
    assert curves[0] == curves[1]
    other = Trainer(TrainConfig(seed=8))
    assert [other.step().loss for _ in range(15)] != curves[0]


def test_training_on_moons_reaches_95_percent_within_300_steps():
    trainer = Trainer()
    accuracies = [trainer.step().accuracy for _ in range(300)]
    assert max(accuracies) >= 0.95 and accuracies[-1] >= 0.95
    assert trainer.history[-1].loss < trainer.history[0].loss


def test_mse_regression_on_sine_learns():
    trainer = Trainer(TrainConfig(dataset="sine", shape=(1, 16, 16, 1), loss="mse",
                                  activation="tanh", learning_rate=0.1, batch_size=0, noise=0.0))
    first = trainer.step().loss
    for _ in range(150):
        last = trainer.step().loss
    assert last < 0.25 * first


def test_predict_matches_the_graph():
    trainer = Trainer()
    from chainrule import Value
    for x, _ in trainer.data[:10]:
        assert trainer.predict(x) == trainer.model([Value(c) for c in x]).data


@pytest.mark.parametrize("config, says", [
    (dict(dataset="spiral"), "dataset"), (dict(loss="hinge"), "loss"),
    (dict(shape=(2, 8, 2)), "shape"), (dict(shape=(3, 8, 1)), "has 2 input"),
])
def test_bad_configurations_are_refused(config, says):
    with pytest.raises(ValueError, match=says):
        Trainer(TrainConfig(**config))


def check(text):
    program = parse(text)
    order = program.output.topological_order()
    in_graph = set(map(id, order))
    return gradient_check(program.output,
                          [(n, v) for n, v in program.inputs.items() if id(v) in in_graph], order)


@pytest.mark.parametrize("key", sorted(PROGRAMS))
def test_the_gradient_check_agrees_to_1e_6_on_the_corpus(key):
    checks = check(PROGRAMS[key])
    assert checks and all(c.ok for c in checks), [c for c in checks if not c.ok]


def test_the_gradient_check_reports_backprop_and_leaves_the_graph_as_it_was():
    program = parse(PRESETS["neuron"][1])
    order = program.output.topological_order()
    before = [(v.data, v.grad) for v in order]
    checks = gradient_check(program.output, list(program.inputs.items()), order)
    assert [(v.data, v.grad) for v in order] == before
    reference = parse(PRESETS["neuron"][1])
    reference.output.backward()
    assert [c.backprop for c in checks] == [v.grad for v in reference.inputs.values()]


def test_the_report_lists_every_input_and_flags_the_worst():
    from chainrule.core.gradcheck import Check
    from chainrule.view.gradcheck_report import report_html
    html = report_html([Check("a", 1.0, 1.0, 0.0, False), Check("b", 2.0, 2.1, 0.05, False),
                        Check("c", 0.5, 0.0, 1.0, True)])
    assert html.count("<tr class=") == 3 and 'class="is-bad" data-name="b"' in html
    assert "above 1e-6" in html and "not differentiable here" in html


def test_the_gradient_check_marks_kinks_instead_of_failing():
    (x,) = check("x = 0\nrelu(x)")
    assert x.kink and x.ok


def test_the_gradient_check_catches_a_wrong_derivative():
    wrong = ops.TANH._replace(backward=lambda g, out, a: (g * (1 - out),))
    with ops.registered(wrong):
        checks = check("x = 0.5\ntanh(x)")
    assert not checks[0].ok and checks[0].error > 0.1


@pytest.mark.parametrize("config", [
    dict(), dict(loss="mse"), dict(activation="tanh"),
    dict(dataset="sine", shape=(1, 6, 5, 1), loss="mse", activation="tanh"),
    dict(shape=(2, 3, 1), batch_size=0),
])
def test_the_float_backprop_matches_the_value_graph_and_torch(config):
    import torch

    from chainrule.train.batchgrad import loss_and_grads

    trainer = Trainer(TrainConfig(**config))
    for _ in range(5):  # away from the initial weights, some ReLUs dead
        trainer.step()
    batch = trainer.batch()
    loss, grads = loss_and_grads(trainer.model, batch, trainer.config.loss, trainer.config.alpha)
    graph = trainer.loss(batch)
    trainer.model.zero_grad()
    graph.backward()
    params = trainer.model.parameters()
    assert loss == graph.data
    assert grads == pytest.approx([p.grad for p in params], rel=1e-9, abs=1e-12)

    tensors = [torch.tensor(p.data, dtype=torch.float64, requires_grad=True) for p in params]
    it = iter(tensors)
    layers = [[([next(it) for _ in n.w], next(it)) for n in layer.neurons]
              for layer in trainer.model.layers]
    act = {"relu": torch.relu, "tanh": torch.tanh, None: lambda t: t}
    scores = []
    for x, _ in batch:
        h = [torch.tensor(c, dtype=torch.float64) for c in x]
        for layer, model_layer in zip(layers, trainer.model.layers):
            h = [act[n.nonlin](sum((w * xi for w, xi in zip(ws, h)), b))
                 for (ws, b), n in zip(layer, model_layer.neurons)]
        scores.append(h[0])
    ys = [y for _, y in batch]
    if trainer.config.loss == "max-margin":
        total = sum(torch.relu(1 - y * s) for y, s in zip(ys, scores)) / len(ys)
        total = total + trainer.config.alpha * sum(t * t for t in tensors)
    else:
        total = sum((s - y) ** 2 for y, s in zip(ys, scores)) / len(ys)
    total.backward()
    assert loss == pytest.approx(total.item(), rel=1e-12)
    assert grads == pytest.approx([t.grad.item() for t in tensors], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("config", [dict(), dict(activation="tanh", shape=(2, 5, 3, 1))])
def test_predict_many_is_predict_for_each(config):
    trainer = Trainer(TrainConfig(**config))
    trainer.step()
    xs = [x for x, _ in trainer.data]
    assert trainer.predict_many(xs) == [trainer.predict(x) for x in xs]
    assert trainer.predict_many([]) == []


def test_the_edge_of_a_domain_is_named_not_failed():
    from chainrule.core.gradcheck import headline
    from chainrule.view.gradcheck_report import report_html

    (x,) = check("x = 0\ny = sqrt(x)")  # backprop inf, the left side undefined
    assert x.verdict == "edge" and x.ok and not x.checked
    verdict, text = headline([x])
    assert verdict == "none" and text == "Nothing checked: x is at the edge of the domain."
    html = report_html([x])
    assert "edge of the domain" in html and "inf" not in html.split("</p>")[0]
    (y,) = check("x = 0\ny = log(x)")  # f itself is not finite
    assert y.verdict == "undefined" and y.ok
    (z,) = check("x = 1e-9\ny = log(x)")  # x - h is outside the domain
    assert z.verdict == "edge"


def test_a_headline_with_no_row_checked_is_no_pass():
    from chainrule.core.gradcheck import headline
    from chainrule.view.gradcheck_report import report_html

    checks = check("x = 0\ny = relu(x)")
    assert headline(checks) == ("none", "Nothing checked: x is at a kink.")
    assert "Largest relative error" not in report_html(checks)
    assert 'data-verdict="none"' in report_html(checks)
    checks = check("x = 0\nz = 0\ny = relu(x) + abs(z)")
    assert headline(checks)[1] == "Nothing checked: x, z are at a kink."
    checks = check("x = 0\nw = 2\ny = relu(x) + sqrt(w)")
    verdict, text = headline(checks)
    assert verdict == "ok" and text.startswith("Largest relative error: ")
    assert text.endswith("; 1 of 2 inputs not checked (see below)")


def test_an_inspected_sample_has_its_inputs_and_target_exactly():
    trainer = Trainer(TrainConfig())
    for _ in range(3):
        trainer.step()
    for index in (3, 50):
        program = parse(trainer.sample_source(index))
        (x1, x2), y = trainer.data[index]
        assert (program.inputs["x1"].data, program.inputs["x2"].data) == (x1, x2)
        assert program.inputs["y"].data == y
        score = trainer.model([x1, x2]).data
        assert program.output.data == pytest.approx(max(0.0, 1 - y * score), rel=1e-12)
