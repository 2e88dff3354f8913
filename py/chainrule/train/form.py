"""The Train panel's fields read into a TrainConfig, with a message per bad field."""

import math
from dataclasses import replace

from .datasets import CLASSIFICATION, DATASETS
from .trainer import LOSSES, TrainConfig

ACTIVATIONS = ("relu", "tanh")
MAX_WIDTH = 32
MAX_HIDDEN = 4
INPUTS = {name: len(make(n=1, seed=0)[0][0]) for name, make in DATASETS.items()}
# Changing any of these makes a new network; the others apply to the next step.
REBUILDS = ("dataset", "shape", "activation", "loss")


class FormError(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def is_whole(text):
    """True for text like '12': ASCII digits only ('²'.isdigit() is true, int('²') fails)."""
    return text.isascii() and text.isdigit()


def read_sample(text, count):
    """The sample index typed, from 0 to count - 1, or FormError saying which to pick."""
    text = text.strip()
    if not is_whole(text) or int(text) >= count:
        raise FormError("sample", f"Pick a sample from 0 to {count - 1}.")
    return int(text)


def read_shape(text, dataset):
    """'2-8-8-1' -> (2, 8, 8, 1) for `dataset`, or FormError saying what to type."""
    text = text.strip()
    example = f"{INPUTS[dataset]}-8-8-1"
    if not text:
        raise FormError("shape", f"Type the layer sizes, like {example}.")
    parts = [p.strip() for p in text.split("-")]
    if not all(is_whole(p) for p in parts):
        raise FormError("shape", f"Sizes are whole numbers joined by '-', like {example}.")
    sizes = tuple(int(p) for p in parts)
    if len(sizes) < 2:
        raise FormError("shape", f"Give the inputs and the output at least, like {example}.")
    if sizes[0] != INPUTS[dataset]:
        raise FormError("shape", f"The {dataset} data has {INPUTS[dataset]} input"
                                 f"{'s' if INPUTS[dataset] > 1 else ''}: start with "
                                 f"{INPUTS[dataset]}, like {example}.")
    if sizes[-1] != 1:
        raise FormError("shape", "The network has one output: end with 1.")
    if len(sizes) - 2 > MAX_HIDDEN:
        raise FormError("shape", f"At most {MAX_HIDDEN} hidden layers.")
    if any(not 1 <= s <= MAX_WIDTH for s in sizes[1:-1]):
        raise FormError("shape", f"Hidden layers have 1 to {MAX_WIDTH} neurons.")
    return sizes


def read_config(fields, base=None):
    """A TrainConfig from the panel's `fields` ({name: text or bool}) over `base`."""
    base = base or TrainConfig()
    dataset = fields["dataset"]
    if dataset not in DATASETS:
        raise FormError("dataset", f"Pick one of {', '.join(DATASETS)}.")
    if fields["activation"] not in ACTIVATIONS:
        raise FormError("activation", f"Pick {' or '.join(ACTIVATIONS)}.")
    if fields["loss"] not in LOSSES:
        raise FormError("loss", f"Pick {' or '.join(LOSSES)}.")
    try:
        rate = float(fields["learning_rate"])
    except ValueError:
        rate = math.nan
    if not (math.isfinite(rate) and 0 < rate <= 10):
        raise FormError("learning_rate", "The learning rate is a number above 0, at most 10.")
    batch = fields["batch_size"].strip()
    if not is_whole(batch) or int(batch) < 1:
        raise FormError("batch_size", "The batch size is a whole number, 1 or more.")
    return replace(base, dataset=dataset, shape=read_shape(fields["shape"], dataset),
                   activation=fields["activation"], loss=fields["loss"],
                   learning_rate=rate, decay=bool(fields["decay"]), batch_size=int(batch))


def rebuilds(old, new):
    """True if going from config `old` to `new` needs a new network (and data)."""
    return any(getattr(old, name) != getattr(new, name) for name in REBUILDS)


def for_dataset(fields, dataset):
    """The panel's fields after picking `dataset`: the shape starts with its number of
    inputs, and regression (sine) trains with MSE at a smaller rate, classification with
    max-margin."""
    fields = dict(fields, dataset=dataset)
    rest = fields["shape"].strip().split("-")[1:]
    inputs = str(INPUTS[dataset])
    fields["shape"] = "-".join([inputs, *rest]) if rest else f"{inputs}-8-8-1"
    regression = dataset not in CLASSIFICATION
    fields["loss"] = "mse" if regression else "max-margin"
    fields["learning_rate"] = "0.1" if regression else "0.5"
    return fields
