"""Training an MLP on a toy dataset, one gradient-descent step at a time (micrograd's demo).

The page calls `Trainer.step()` in small chunks between frames, so everything a step needs
is here and every step's numbers come back as a plain record for the plots.
"""

import math
import random
from dataclasses import dataclass, field

from . import batchgrad
from .datasets import CLASSIFICATION, DATASETS
from ..core.engine import Value
from ..core.expr import MAX_SOURCE_CHARS
from ..core.nn import MLP
from ..core.numbers import literal_text

LOSSES = ("max-margin", "mse")
# A loss this many times the first step's (or 1, if that was smaller) has diverged: it
# only grows from there, to inf and nan within a few more steps.
DIVERGED = 1e8


@dataclass(frozen=True)
class TrainConfig:
    dataset: str = "moons"
    samples: int = 100
    noise: float = 0.1
    shape: tuple = (2, 8, 8, 1)
    activation: str = "relu"
    loss: str = "max-margin"
    learning_rate: float = 0.5
    decay: bool = True  # linearly down to a tenth over `decay_steps`, as micrograd's demo
    decay_steps: int = 300
    batch_size: int = 32
    alpha: float = 1e-4  # L2 weight for max-margin
    seed: int = 1337

    def __post_init__(self):
        if self.dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {sorted(DATASETS)}")
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {LOSSES}")
        if len(self.shape) < 2 or self.shape[-1] != 1 or any(s < 1 for s in self.shape):
            raise ValueError("shape must be like 2-8-8-1: inputs, hidden sizes, one output")


@dataclass(frozen=True)
class StepRecord:
    step: int
    loss: float
    accuracy: float  # on the whole training set; for regression, the share within 0.1
    learning_rate: float


@dataclass
class Trainer:
    config: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self):
        c = self.config
        make = DATASETS[c.dataset]
        self.data = make(n=c.samples, noise=c.noise, seed=c.seed)
        nin = len(self.data[0][0])
        if c.shape[0] != nin:
            raise ValueError(f"the {c.dataset} dataset has {nin} input(s); the shape "
                             f"starts with {c.shape[0]}")
        self.classification = c.dataset in CLASSIFICATION
        self.reset_weights()

    def reset_weights(self):
        c = self.config
        self.model = MLP(c.shape[0], list(c.shape[1:]), nonlin=c.activation, seed=c.seed)
        self.rng = random.Random(c.seed)
        self.history = []

    def learning_rate(self, step):
        c = self.config
        if not c.decay:
            return c.learning_rate
        return c.learning_rate * (1.0 - 0.9 * min(step, c.decay_steps) / c.decay_steps)

    def batch(self):
        size = self.config.batch_size
        if not size or size >= len(self.data):
            return self.data
        return self.rng.sample(self.data, size)

    def loss(self, batch):
        """The batch's loss as a Value graph: what `step` computes in floats
        (batchgrad.py), kept as the reference and for looking at."""
        c = self.config
        scores = [self.model([Value(xi) for xi in x]) for x, _ in batch]
        if c.loss == "max-margin":
            losses = [(1 + -y * s).relu() for (_, y), s in zip(batch, scores)]
            data_loss = sum(losses, Value(0.0)) * (1.0 / len(losses))
            reg = sum((p * p for p in self.model.parameters()), Value(0.0)) * c.alpha
            return data_loss + reg
        losses = [(s - y) ** 2 for (_, y), s in zip(batch, scores)]
        return sum(losses, Value(0.0)) * (1.0 / len(losses))

    def predict(self, x):
        """The network's output for `x` in plain floats: no graph, for plots and accuracy."""
        return batchgrad.predict(batchgrad.weights(self.model), x)

    def predict_many(self, xs):
        return batchgrad.predict_many(batchgrad.weights(self.model), xs)

    def accuracy(self):
        scores = self.predict_many([x for x, _ in self.data])
        if self.classification:
            right = sum((s > 0) == (y > 0) for s, (_, y) in zip(scores, self.data))
        else:
            right = sum(abs(s - y) < 0.1 for s, (_, y) in zip(scores, self.data))
        return right / len(self.data)

    def sample_source(self, index):
        """Program text for sample `index`: the network with the current weights on its x,
        then this sample's loss L (for max-margin without the L2 term, which belongs to
        the batch). Weights are rounded only when the full text would not fit the editor."""
        x, y = self.data[index]
        for digits in (None, 4):
            if self.config.loss == "mse":
                text = self.model.source(x, y, digits=digits)
            else:
                text = self.model.source(x, digits=digits)
                # the blank line ends the last neuron's `# group:` block
                text += f"\ny = {literal_text(float(y))}\nL = relu(1 - y*{_last_name(text)})\n"
            if len(text) <= MAX_SOURCE_CHARS:
                break
        return text

    @property
    def diverged_at(self):
        """The step whose loss diverged (not finite, or exploding), or None: no step
        follows one that did, until the weights are reset."""
        history = self.history
        if not history:
            return None
        last = history[-1]
        if not math.isfinite(last.loss) or last.loss > DIVERGED * max(history[0].loss, 1.0):
            return last.step
        return None

    def step(self):
        """One gradient-descent step on a batch; returns its StepRecord."""
        c = self.config
        k = len(self.history)
        loss, grads = batchgrad.loss_and_grads(self.model, self.batch(), c.loss, c.alpha)
        lr = self.learning_rate(k)
        for p, g in zip(self.model.parameters(), grads):
            p.grad = g
            p.data -= lr * g
        record = StepRecord(k + 1, loss, self.accuracy(), lr)
        self.history.append(record)
        return record


def _last_name(text):
    """The name the last assignment in program `text` binds."""
    for line in reversed(text.splitlines()):
        if "=" in line and not line.lstrip().startswith("#"):
            return line.split("=", 1)[0].strip()
    raise ValueError("no assignment in the text")
