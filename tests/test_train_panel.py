"""The Train panel's pure Python: its form, the chunked run, the plots, the inspected sample."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from chainrule import Value, parse
from chainrule.train.plots import GRID, boundary_svg, fit_svg, loss_svg
from chainrule.train.form import (FormError, for_dataset, read_config, read_sample, read_shape,
                                  rebuilds)
from chainrule.train.trainer import TrainConfig, Trainer
from chainrule.train.runs import MAX_STEPS, TrainingRun, stop_reason

SVG = "{http://www.w3.org/2000/svg}"
FIELDS = dict(dataset="moons", shape="2-8-8-1", activation="relu", loss="max-margin",
              learning_rate="0.5", decay=True, batch_size="32")


class FakeClock:
    """A clock that moves only when a step runs (each step takes `step_ms`)."""

    def __init__(self, step_ms):
        self.now = 0.0
        self.step_ms = step_ms

    def __call__(self):
        return self.now


def timed_trainer(clock):
    trainer = Trainer()
    step = trainer.step

    def slow_step():
        clock.now += clock.step_ms
        return step()

    trainer.step = slow_step
    return trainer


@pytest.mark.parametrize("step_ms, steps", [(4.0, 7), (10.0, 3), (29.0, 1), (100.0, 1)])
def test_a_chunk_runs_the_steps_that_fit_its_budget(step_ms, steps):
    clock = FakeClock(step_ms)
    run = TrainingRun(timed_trainer(clock), clock, budget_ms=30.0)
    assert len(run.chunk()) == steps  # the next step would pass 30 ms; always at least one
    assert run.step_ms == pytest.approx(step_ms)
    assert run.rate_text() == f"{step_ms:.1f} ms/step"


def test_a_run_stops_at_its_step_limit():
    clock = FakeClock(1.0)
    run = TrainingRun(timed_trainer(clock), clock, budget_ms=1e9)
    run.running = True
    records = run.chunk()
    assert len(records) == MAX_STEPS and not run.running
    assert run.chunk() == []


def test_plots_are_due_at_their_own_pace():
    clock = FakeClock(0)
    run = TrainingRun(Trainer(), clock)
    assert run.due("loss") and run.due("boundary")
    clock.now = 150
    assert run.due("loss") and not run.due("boundary")
    assert run.due("boundary", force=True)
    clock.now = 600
    assert not run.due("boundary") and run.due("loss")
    clock.now = 1200
    assert run.due("boundary")


def test_the_form_reads_into_a_config():
    config = read_config(dict(FIELDS, shape=" 2-4-1 ", learning_rate="0.05", decay=False,
                              batch_size="16", activation="tanh", loss="mse"))
    assert config == TrainConfig(shape=(2, 4, 1), learning_rate=0.05, decay=False,
                                 batch_size=16, activation="tanh", loss="mse")
    assert read_config(FIELDS) == TrainConfig()


@pytest.mark.parametrize("text, says", [
    ("", "Type the layer sizes, like 2-8-8-1"), ("2-a-1", "whole numbers"),
    ("2", "the inputs and the output"), ("3-8-1", "moons data has 2 inputs: start with 2"),
    ("2-8-2", "end with 1"), ("2-0-1", "1 to 32"), ("2-64-1", "1 to 32"),
    ("2-4-4-4-4-4-1", "At most 4 hidden"), ("2--1", "whole numbers"),
    ("2-²-1", "whole numbers"), ("2-٣-1", "whole numbers"), ("abc", "whole numbers"),
])
def test_bad_shapes_say_what_to_type(text, says):
    with pytest.raises(FormError, match=says) as error:
        read_shape(text, "moons")
    assert error.value.field == "shape"
    with pytest.raises(FormError, match="sine data has 1 input: start with 1"):
        read_shape("2-8-1", "sine")


@pytest.mark.parametrize("field, text", [
    ("learning_rate", "abc"), ("learning_rate", "0"), ("learning_rate", "-1"),
    ("learning_rate", "nan"), ("learning_rate", "inf"), ("batch_size", "0"),
    ("batch_size", "2.5"), ("batch_size", ""), ("dataset", "spiral"), ("batch_size", "³"),
    ("learning_rate", "1e9"),
])
def test_bad_fields_are_named(field, text):
    with pytest.raises(FormError) as error:
        read_config(dict(FIELDS, **{field: text}))
    assert error.value.field == field


def test_picking_a_dataset_fits_the_shape_and_the_loss():
    sine = for_dataset(dict(FIELDS, shape="2-16-1"), "sine")
    assert (sine["shape"], sine["loss"]) == ("1-16-1", "mse")
    read_config(sine)  # valid as it stands
    back = for_dataset(sine, "xor")
    assert (back["shape"], back["loss"]) == ("2-16-1", "max-margin")
    assert for_dataset(dict(FIELDS, shape="junk"), "sine")["shape"] == "1-8-8-1"


def test_only_the_network_fields_make_a_new_network():
    base = TrainConfig()
    assert not rebuilds(base, read_config(dict(FIELDS, learning_rate="0.1", batch_size="8",
                                               decay=False)))
    for change in (dict(shape="2-4-1"), dict(activation="tanh"), dict(loss="mse"),
                   dict(dataset="xor")):
        assert rebuilds(base, read_config(dict(FIELDS, **change)))


def points(polyline):
    return [tuple(map(float, p.split(","))) for p in polyline.get("points").split()]


def test_the_loss_plot_has_one_point_per_step_and_falls():
    trainer = Trainer()
    for _ in range(40):
        trainer.step()
    svg = ET.fromstring(loss_svg(trainer.history))
    loss, accuracy = svg.iter(f"{SVG}polyline")
    assert loss.get("data-series") == "loss" and accuracy.get("data-series") == "accuracy"
    xy = points(loss)
    assert len(xy) == len(points(accuracy)) == 40
    assert [x for x, _ in xy] == sorted(x for x, _ in xy)
    assert xy[-1][1] > xy[0][1]  # SVG's y grows downwards: a lower loss is further down
    names = {t.text for t in svg.iter(f"{SVG}text")}
    assert {"step", "loss"} <= names
    assert ET.fromstring(loss_svg([])).get("role") == "img"  # empty, still a picture


def test_the_boundary_has_a_cell_per_grid_square_and_a_dot_per_sample():
    trainer = Trainer()
    for _ in range(60):
        trainer.step()
    svg = ET.fromstring(boundary_svg(trainer.predict_many, trainer.data))
    cells = list(svg.find(f"{SVG}g[@class='plot__cells']"))
    assert len(cells) == GRID * GRID
    assert {c.get("class") for c in cells} == {"plot__neg", "plot__pos"}
    dots = list(svg.iter(f"{SVG}circle"))
    assert len(dots) == len(trainer.data)
    assert [d.get("class") for d in dots] == [
        "plot__pos" if y > 0 else "plot__neg" for _, y in trainer.data]
    assert {"x1", "x2"} <= {t.text for t in svg.iter(f"{SVG}text")}


def test_the_fit_plot_draws_the_curve_and_the_samples():
    trainer = Trainer(TrainConfig(dataset="sine", shape=(1, 8, 1), loss="mse"))
    svg = ET.fromstring(fit_svg(trainer.predict_many, trainer.data, samples=50))
    (curve,) = svg.iter(f"{SVG}polyline")
    assert len(points(curve)) == 50
    assert len(list(svg.iter(f"{SVG}circle"))) == len(trainer.data)


def test_plots_take_no_text_but_numbers():
    trainer = Trainer()
    for svg in (loss_svg([trainer.step()]), boundary_svg(trainer.predict_many, trainer.data)):
        words = set(re.findall(r">([^<]+)<", svg))
        allowed = r"[-+.\de]+|x1|x2|step|loss|dashed: accuracy, 0 to 100%"
        assert all(re.fullmatch(allowed, w) for w in words), words


@pytest.mark.parametrize("loss", ["max-margin", "mse"])
def test_an_inspected_sample_is_its_loss_with_the_current_weights(loss):
    trainer = Trainer(TrainConfig(loss=loss))
    for _ in range(3):
        trainer.step()
    (x, y) = trainer.data[5]
    program = parse(trainer.sample_source(5))
    assert program.values["y"].data == y
    # The text's inputs are x as source() writes them; the weights are exact.
    xs = [program.values[f"x{i + 1}"].data for i in range(len(x))]
    assert xs == pytest.approx(x, abs=1e-3)
    score = trainer.model([Value(c) for c in xs])
    expected = (1 + -y * score).relu() if loss == "max-margin" else (score - y) ** 2
    assert program.output.label == "L"
    assert program.output.data == pytest.approx(expected.data, rel=1e-12, abs=1e-15)
    assert program.values["w1_0_0"].data == trainer.model.layers[0].neurons[0].w[0].data


def test_a_big_network_is_inspected_with_rounded_weights():
    trainer = Trainer(TrainConfig(shape=(2, 16, 16, 1)))
    text = trainer.sample_source(0)
    assert len(text) <= 20_000
    parse(text)


def test_the_summary_shows_the_last_step():
    from chainrule.train.runs import summary

    trainer = Trainer()
    assert summary(trainer)["train-loss"] == "–"
    record = trainer.step()
    shown = summary(trainer)
    assert shown["train-step-count"] == "1" and float(shown["train-loss"]) == pytest.approx(
        record.loss, rel=1e-3)
    assert shown["train-accuracy"] == f"{round(record.accuracy * 100)}%"
    sine = Trainer(TrainConfig(dataset="sine", shape=(1, 4, 1), loss="mse"))
    assert summary(sine)["train-accuracy-label"] == "within 0.1"


def diverging_run():
    ticks = iter(range(10**9))
    return TrainingRun(Trainer(TrainConfig(loss="mse", learning_rate=10)), lambda: next(ticks))


def test_a_diverging_loss_stops_the_run_at_its_step_and_says_so():
    run = diverging_run()
    run.running = True
    while run.running:
        run.chunk()  # no OverflowError: the loss goes to inf as the graph's would
    trainer = run.trainer
    step = trainer.diverged_at
    assert step == len(trainer.history) and step < MAX_STEPS
    last = trainer.history[-1].loss
    assert not math.isfinite(last) or last > 1e8 * trainer.history[0].loss
    assert stop_reason(trainer) == (f"The loss diverged at step {step}: try a smaller "
                                    "learning rate, then reset the weights.")
    assert run.step() is None and len(trainer.history) == step  # no step after it
    svg = loss_svg(trainer.history)
    assert "nan" not in svg and "inf" not in svg.replace("loss now inf", "")
    trainer.reset_weights()
    assert trainer.diverged_at is None and stop_reason(trainer) == ""
    assert run.step() is not None


def test_a_loss_that_overflows_is_inf_not_an_error():
    from chainrule.train.batchgrad import loss_and_grads

    trainer = Trainer(TrainConfig(loss="mse"))
    for p in trainer.model.parameters():
        p.data = 1e200
    loss, grads = loss_and_grads(trainer.model, trainer.batch(), "mse")
    assert loss == math.inf
    assert loss == trainer.loss(trainer.batch()).data  # the graph's ** 2 says the same


def test_the_loss_plot_draws_the_finite_points_only():
    from chainrule.train.trainer import StepRecord

    history = [StepRecord(1, 2.0, 0.5, 0.1), StepRecord(2, 1.0, 0.5, 0.1),
               StepRecord(3, math.inf, 0.5, 0.1), StepRecord(4, math.nan, 0.5, 0.1)]
    svg = ET.fromstring(loss_svg(history))
    ns = {"s": "http://www.w3.org/2000/svg"}
    points = svg.find(".//s:polyline[@data-series='loss']", ns).get("points").split()
    assert len(points) == 2
    now = svg.find(".//s:circle", ns)
    assert now.get("cx") == points[-1].split(",")[0]


@pytest.mark.parametrize("text, index", [("0", 0), (" 99 ", 99)])
def test_a_sample_index_is_read(text, index):
    assert read_sample(text, 100) == index


@pytest.mark.parametrize("text", ["", "100", "-1", "1.5", "²", "abc"])
def test_a_bad_sample_index_says_which_to_pick(text):
    with pytest.raises(FormError, match="Pick a sample from 0 to 99"):
        read_sample(text, 100)
