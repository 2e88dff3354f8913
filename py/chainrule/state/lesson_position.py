"""Where a learner is in a lesson: the step on screen, what opening a step sets up, what the
lesson panel shows, and the position as this browser keeps it (local storage)."""

import json
from dataclasses import dataclass

from ..view.lesson_markup import body_html
from .lesson_tasks import Progress, status
from .lessons import MAX_LESSON_CHARS, SHIPPED


@dataclass
class LessonPosition:
    """A lesson and a step of it (0-based): the shipped lesson `key`, or the `text` of one
    that came from a link."""

    key: str = None
    text: str = None
    step: int = 0
    open: bool = True  # the panel was open (a closed lesson keeps its place for the button)

    def dumps(self):
        fields = {"step": self.step, "open": self.open}
        if self.key is not None:
            fields["key"] = self.key
        else:
            fields["text"] = self.text
        return json.dumps(fields)


def read_position(stored):
    """The LessonPosition kept in storage, or None for nothing usable (storage is edited by
    hand at times, so it is checked like a link)."""
    try:
        fields = json.loads(stored) if isinstance(stored, str) else None
    except ValueError:
        return None
    if not isinstance(fields, dict):
        return None
    step, key, text = fields.get("step"), fields.get("key"), fields.get("text")
    shown = fields.get("open", True) is not False
    if type(step) is not int or not 0 <= step < 1000:
        return None
    if key is not None:
        return LessonPosition(key=key, step=step, open=shown) if key in SHIPPED else None
    if isinstance(text, str) and len(text) <= MAX_LESSON_CHARS:
        return LessonPosition(text=text, step=step, open=shown)
    return None


class LessonState:
    """A lesson open on the page at step `index`."""

    def __init__(self, lesson, index=0, text=None):
        self.lesson = lesson
        self.text = text  # the lesson's file text when it came from a link
        self.index = max(0, min(index, len(lesson.steps) - 1))

    @property
    def step(self):
        return self.lesson.steps[self.index]

    @property
    def counter(self):
        return f"{self.index + 1} / {len(self.lesson.steps)}"

    @property
    def at_first(self):
        return self.index == 0

    @property
    def at_last(self):
        return self.index == len(self.lesson.steps) - 1

    def go(self, delta):
        """Moves `delta` steps (clamped); True if the step changed."""
        index = max(0, min(self.index + delta, len(self.lesson.steps) - 1))
        moved = index != self.index
        self.index = index
        return moved

    def program(self):
        """(text, example) of the program in effect at this step: its own, or that of the
        nearest step before it that set one up."""
        for step in reversed(self.lesson.steps[:self.index + 1]):
            if step.program is not None:
                return step.program, step.example
        return None, None

    def position(self):
        if self.lesson.key is not None:
            return LessonPosition(key=self.lesson.key, step=self.index)
        return LessonPosition(text=self.text, step=self.index)

    def panel(self, progress):
        """What the lesson panel shows: {title, counter, heading, body (escaped HTML),
        task, done, first, last}."""
        step = self.step
        task, done = "", False
        if step.task is not None:
            done, task = status(step.task, progress)
        return {"title": self.lesson.title, "counter": self.counter, "heading": step.title,
                "body": body_html(step.body), "task": task, "done": done,
                "first": self.at_first, "last": self.at_last}


def progress_of(session, right=0, base=({}, {}, "")):
    """The Progress a task is checked against, from the session on screen: `right` practice
    answers since the step opened, `base` as `base_of` gave it then."""
    if session.program is None:
        return Progress(right=right, base=base)
    program = session.program
    values = {name: v.data for name, v in program.values.items()}
    values.update((name, v.data) for name, v in program.inputs.items())
    forward = (session.forward.position, session.forward.total) if session.forward else None
    tangent = (session.tangent.position, session.tangent.total) if session.tangent else None
    return Progress((session.position, session.total), forward, tangent, session.tangent_input,
                    values, frozenset(session.collapsed), right, base)


def base_of(session):
    """(numbers, grads, output name) as a step opens: what a nudge is measured from."""
    if session.program is None:
        return {}, {}, ""
    program = session.program
    values = {name: v.data for name, v in program.values.items()}
    values.update((name, v.data) for name, v in program.inputs.items())
    grads = {name: v.grad for name, v in program.inputs.items()}
    output = next((name for name, v in program.values.items() if v is program.output), "")
    return values, grads, output


def marked_cells(session, names, on=True):
    """Cell patches that mark (or unmark) the value nodes of `names` for a lesson step."""
    ids = session.ids
    program = session.program
    found = {}
    for name in names:
        v = program.values.get(name) or program.inputs.get(name) if program else None
        if v is not None and v in ids:
            found[ids[v]] = {"mk": on}
    return found


def restore_arguments(place):
    """Session.restore's (step, forward, tangent, tangent_step) for a lesson step's start;
    an end is any number past the last step (restore clamps it)."""
    end = 10 ** 9
    position = end if place.position is None else place.position
    if place.phase == "forward":
        return 0, position, "", 0
    if place.phase == "tangent":
        return 0, None, place.wrt, position
    return position, None, "", 0
