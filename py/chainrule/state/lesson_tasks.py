"""A lesson step's place to start and its one thing to do, and when that is done.

Written in a lesson file as short phrases (lessons.py reads them):

    start: 0 | 3 | end | forward | forward 2 | forward-mode x
    task:  practice 3        three answers right in practice mode
           reach end         step (or Finish) to a place: reach 4, reach forward end,
                             reach forward-mode end (of any input's sweep)
           L < -2            a value of the program, after tuning (<, >, <=, >=)
           nudge x           nudge input x and watch (f(x+h) - f(x))/h approach its grad
           expand neuron     open the collapsed box of group `neuron`
"""

import math
import re
from dataclasses import dataclass, field

from ..core.explain import fmt

COMPARE = re.compile(r"(\S+)\s*(<=|>=|<|>)\s*(\S+)")
COMPARISONS = {"<": lambda a, b: a < b, ">": lambda a, b: a > b,
               "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}
NUDGE_CLOSE = 0.01  # the difference quotient within 1% of the grad (of 1 for small grads)


class TaskError(ValueError):
    """A start or task phrase that cannot be used; the message says why, `field` which
    field of the lesson step it is in."""

    def __init__(self, message, field="task"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Place:
    """A place in one sweep: `phase` "backward", "forward" or "tangent" (forward mode for
    input `wrt`), `position` steps into it; None is its end."""

    phase: str = "backward"
    position: int = 0
    wrt: str = ""

    def text(self):
        where = "the end" if self.position is None else f"step {self.position}"
        sweep = {"backward": "backprop", "forward": "the forward pass",
                 "tangent": "forward mode"}[self.phase]
        return f"{where} of {sweep}"


@dataclass(frozen=True)
class Task:
    kind: str  # "practice", "reach", "compare", "nudge", "expand"
    count: int = 0
    place: Place = None
    name: str = ""
    op: str = ""
    number: float = 0.0


@dataclass
class Progress:
    """What the page shows now, as far as a task can tell: where each sweep stands as
    (position, total) (None when not on), the program's numbers by name, the collapsed
    groups, practice answers right since the step opened, and `base`: (numbers, grads,
    output name) when the step opened, for a nudge."""

    backward: tuple = (0, 0)
    forward: tuple = None
    tangent: tuple = None
    tangent_input: str = ""
    values: dict = field(default_factory=dict)
    collapsed: frozenset = frozenset()
    right: int = 0
    base: tuple = ({}, {}, "")


def read_place(text, inputs=(), sweep_start=0):
    """A Place from a phrase: 3, end, forward, forward 2, forward-mode x. A sweep named
    without a position is at `sweep_start` (0 where stepping starts, None: its end)."""
    phrase = " ".join(text.split())
    default = sweep_start
    if phrase.startswith("forward-mode"):
        rest = phrase[len("forward-mode"):].split()
        if sweep_start is None and (not rest or rest[0] == "end" or rest[0].isdigit()):
            return Place("tangent", _position(rest, phrase, default))  # any input's sweep
        if not rest or rest[0] not in inputs:
            raise TaskError(f"'{phrase}': forward-mode needs an input of the program "
                            f"({', '.join(inputs) or 'it has none'})")
        return Place("tangent", _position(rest[1:], phrase, default), rest[0])
    if phrase.startswith("forward"):
        return Place("forward", _position(phrase[len("forward"):].split(), phrase, default))
    return Place("backward", _position(phrase.split(), phrase, None))


def _position(words, phrase, default):
    if not words:
        return default
    if len(words) > 1:
        raise TaskError(f"'{phrase}' is not a place: write e.g. 3, end, forward 2")
    if words[0] == "end":
        return None
    if not words[0].isdigit() or len(words[0]) > 6:
        raise TaskError(f"'{phrase}' is not a place: write a step number or end")
    return int(words[0])


def read_task(text, names=(), inputs=(), groups=()):
    """A Task from `task:`'s phrase, checked against the program's names, inputs and
    groups."""
    phrase = " ".join(text.split())
    words = phrase.split()
    if not words:
        raise TaskError("the task is empty")
    head = words[0]
    if head == "practice":
        count = words[1] if len(words) > 1 else "1"
        if len(words) > 2 or not count.isdigit() or not 1 <= int(count) <= 100:
            raise TaskError(f"'{phrase}': write practice and how many answers, e.g. practice 3")
        return Task("practice", count=int(count))
    if head == "reach":
        place = read_place(" ".join(words[1:]) or "end", inputs, sweep_start=None)
        return Task("reach", place=place)
    if head == "nudge":
        if len(words) != 2 or words[1] not in inputs:
            raise TaskError(f"'{phrase}': write nudge and an input of the program "
                            f"({', '.join(inputs) or 'it has none'})")
        return Task("nudge", name=words[1])
    if head == "expand":
        if len(words) != 2 or words[1] not in groups:
            raise TaskError(f"'{phrase}': write expand and a group of the program "
                            f"({', '.join(groups) or 'it has none'})")
        return Task("expand", name=words[1])
    compared = COMPARE.fullmatch(phrase)
    if compared:
        name, op, number = compared.groups()
        if name not in names:
            raise TaskError(f"'{phrase}': {name} is not a name in the program")
        try:
            value = float(number.replace("−", "-"))
        except ValueError:
            raise TaskError(f"'{phrase}': {number} is not a number") from None
        if not math.isfinite(value):
            raise TaskError(f"'{phrase}': compare with a finite number")
        return Task("compare", name=name, op=op, number=value)
    raise TaskError(f"'{phrase}' is not a task: write practice N, reach end, nudge x, "
                    "expand group, or a comparison such as L < 0.5")


def reached(place, progress):
    """True once stepping has come to `place` (or past it)."""
    if place.phase == "tangent":
        sweep = progress.tangent
        if place.wrt and progress.tangent_input != place.wrt:
            return False
    elif place.phase == "forward":
        if progress.backward[0] > 0:
            return True  # backprop started: the forward pass is behind
        sweep = progress.forward
    else:
        sweep = progress.backward
    if sweep is None:
        return False
    position, total = sweep
    return position >= (total if place.position is None else min(place.position, total))


def status(task, progress):
    """(done, what to do or what was done) of `task`, as the lesson panel says it."""
    if task.kind == "practice":
        right = min(progress.right, task.count)
        plural = "s" if task.count != 1 else ""
        return right >= task.count, (f"Answer {task.count} step{plural} right in practice "
                                     f"mode ({right} so far).")
    if task.kind == "reach":
        return reached(task.place, progress), f"Step to {task.place.text()}."
    if task.kind == "compare":
        value = progress.values.get(task.name)
        done = value is not None and COMPARISONS[task.op](value, task.number)
        now = "" if value is None else f" (now {fmt(value)})"
        return done, f"Tune the inputs until {task.name} {task.op} {fmt(task.number)}{now}."
    if task.kind == "expand":
        done = task.name not in progress.collapsed
        return done, f"Open the collapsed box {task.name} (click it, or press G at its step)."
    return _nudge_status(task, progress)


def _nudge_status(task, progress):
    base_values, base_grads, output = progress.base
    x0, y0 = base_values.get(task.name), base_values.get(output)
    grad = base_grads.get(task.name)
    x, y = progress.values.get(task.name), progress.values.get(output)
    ask = (f"Nudge {task.name} a little (drag its number, or type a new one in Inputs) and "
           f"watch ({output}({task.name}+h) − {output}({task.name}))/h come close to "
           f"{task.name}'s grad")
    if None in (x0, y0, grad, x, y) or not all(map(math.isfinite, (x0, y0, grad, x, y))):
        return False, ask + "."
    h = x - x0
    if h == 0:
        return False, f"{ask}, {fmt(grad)}."
    slope = (y - y0) / h
    close = abs(slope - grad) <= NUDGE_CLOSE * max(1.0, abs(grad))
    said = (f"h = {fmt(h)}: ({output}({task.name}+h) − {output}({task.name}))/h = "
            f"{_digits(slope)}; {task.name}'s grad at {task.name} = {fmt(x0)} is {fmt(grad)}")
    return close, said + ("." if close else ": nudge by less, closer to " f"{fmt(x0)}.")


def _digits(x):
    return f"{x:.6g}"
