"""Training an MLP on a toy dataset, one gradient-descent step at a time (micrograd's demo).

The page calls `Trainer.step()` in small chunks between frames, so everything a step needs
is here and every step's numbers come back as a plain record for the plots.
"""

import math
import random
from dataclasses import dataclass, field

from .datasets import CLASSIFICATION, DATASETS
from .engine import Value
from .nn import MLP

LOSSES = ("max-margin", "mse")


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
        """The batch's loss as a Value graph (for backprop)."""
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
        for layer in self.model.layers:
            x = [_activate(n.nonlin, n.b.data + sum(w.data * xi for w, xi in zip(n.w, x)))
                 for n in layer.neurons]
        return x[0]

    def accuracy(self):
        if self.classification:
            right = sum((self.predict(x) > 0) == (y > 0) for x, y in self.data)
        else:
            right = sum(abs(self.predict(x) - y) < 0.1 for x, y in self.data)
        return right / len(self.data)

    def step(self):
        """One gradient-descent step on a batch; returns its StepRecord."""
        k = len(self.history)
        loss = self.loss(self.batch())
        self.model.zero_grad()
        loss.backward()
        lr = self.learning_rate(k)
        for p in self.model.parameters():
            p.data -= lr * p.grad
        record = StepRecord(k + 1, loss.data, self.accuracy(), lr)
        self.history.append(record)
        return record


def _activate(nonlin, z):
    if nonlin == "relu":
        return z if z > 0 else 0.0
    if nonlin == "tanh":
        return math.tanh(z)
    return z
