"""Lessons: short guided paths through the page, written as text files (lessons/*.md).

A lesson file is Markdown in blocks. It opens with a front matter block naming the lesson;
each step is a front matter block followed by the step's text:

    ---
    lesson: Backprop by hand
    about: One line on what it teaches.
    ---

    ---
    title: The chain rule through +
    example: lecture
    start: 3
    highlight: e, c
    practice: on
    task: practice 2
    ---
    A few sentences, in Markdown: paragraphs, lists, **bold**, *italics*, `code`.

The fields of a step: `title`; `example` (a key of presets.PRESETS) or `program` (`program: |`
and its lines indented below); `start`, where stepping starts (0, 3, end, forward, forward 2,
forward-mode x); `highlight`, names whose nodes are marked; `practice`, on or off (off when
not given); `collapsed`, all, none or group names; `task` (lesson_tasks.py lists them). A
line starting with # is a comment. A step without a program or example keeps the graph of
the step before. Everything is
checked when the file is read: a bad lesson raises LessonError naming the file, the step
and the field. A lesson can come from a link, so its size is capped and its text is only
ever shown as text (lesson_markup.py).
"""

import re
from dataclasses import dataclass

from ..core.expr import ExprError, parse
from ..view.groups import group_tree
from ..core.ids import node_ids
from .lesson_tasks import Place, TaskError, read_place, read_task
from .presets import PRESETS
from ..core.stepper import forward_step_count, step_count

MAX_LESSON_CHARS = 24_000
MAX_STEPS = 30
MAX_STEP_CHARS = 2_000  # one step's text
MAX_TITLE_CHARS = 80
LESSON_FIELDS = ("lesson", "about")
STEP_FIELDS = ("title", "program", "example", "start", "highlight", "practice", "collapsed",
               "task")
FIELD = re.compile(r"([a-z]+)\s*:\s?(.*)")
# The lessons the site ships, by key: lessons/<key>.md (the build copies the folder).
SHIPPED = {"micrograd": "Backprop by hand, along the micrograd lecture"}


class LessonError(ValueError):
    """A lesson that cannot be used: `where` (file, step, field) and what is wrong."""

    def __init__(self, message, source="lesson", step=None, title="", field=None):
        self.source, self.step, self.title, self.field = source, step, title, field
        self.message = message
        where = [source]
        if step is not None:
            where.append(f"step {step}" + (f" ({title})" if title else ""))
        if field:
            where.append(f"field {field}")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass(frozen=True)
class LessonStep:
    title: str
    body: str  # Markdown
    program: str = None  # the program this step sets up; None keeps the one on screen
    example: str = None  # the example it came from, if any
    start: Place = None  # where stepping starts; None: where it stands
    highlight: tuple = ()
    practice: bool = False
    collapsed: object = None  # None (as the program opens), "all", "none" or group names
    task: object = None  # a lesson_tasks.Task or None


@dataclass(frozen=True)
class Lesson:
    title: str
    about: str
    steps: tuple
    key: str = None  # the shipped lesson's key; None for one from a link


def parse_lesson(text, source="lesson", key=None):
    """The Lesson in a lesson file's `text`; LessonError for anything wrong with it."""
    if not isinstance(text, str):
        raise LessonError("a lesson is text", source)
    if len(text) > MAX_LESSON_CHARS:
        raise LessonError(f"the lesson is {len(text):,} characters long; the limit is "
                          f"{MAX_LESSON_CHARS:,}", source)
    blocks = _blocks(text, source)
    header, _ = blocks[0]
    fields = _fields(header, source, None, "", LESSON_FIELDS)
    title = fields.get("lesson", "").strip()
    if not title:
        raise LessonError("the first block must name the lesson (lesson: its title)", source,
                          field="lesson")
    if len(blocks) == 1:
        raise LessonError("the lesson has no steps", source)
    if len(blocks) - 1 > MAX_STEPS:
        raise LessonError(f"the lesson has {len(blocks) - 1} steps; the limit is {MAX_STEPS}",
                          source)
    steps, program = [], None
    for number, (matter, body) in enumerate(blocks[1:], start=1):
        step, program = _step(matter, body, source, number, program)
        steps.append(step)
    return Lesson(_one_line(title, MAX_TITLE_CHARS), fields.get("about", "").strip(),
                  tuple(steps), key)


def _blocks(text, source):
    """[(front matter lines with their line numbers, body text)], the first the header's."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks, i = [], 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines) or lines[i].strip() != "---":
        raise LessonError("a lesson starts with a front matter block: a line ---, then "
                          "lesson: its title, then ---", source)
    while i < len(lines):
        start = i + 1
        end = next((j for j in range(start, len(lines)) if lines[j].strip() == "---"), None)
        if end is None:
            raise LessonError(f"the front matter opened at line {i + 1} is not closed "
                              "by a line ---", source, len(blocks) or None)
        nxt = next((j for j in range(end + 1, len(lines)) if lines[j].strip() == "---"),
                   len(lines))
        matter = [(n + 1, lines[n]) for n in range(start, end)]
        blocks.append((matter, "\n".join(lines[end + 1:nxt]).strip()))
        i = nxt
    return blocks


def _fields(matter, source, step, title, allowed):
    """{field: value} of front matter lines: `key: value`, or `key: |` and an indented
    block below it."""
    fields, lines, k = {}, matter, 0
    while k < len(lines):
        number, line = lines[k]
        k += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        found = FIELD.fullmatch(line.strip())
        if found is None or line[:1].isspace():
            raise LessonError(f"line {number} is not `field: value`: '{_one_line(line, 40)}'",
                              source, step, title)
        name, value = found.group(1), found.group(2).strip()
        if name not in allowed:
            raise LessonError(f"unknown field (the fields are {', '.join(allowed)})", source,
                              step, title, name)
        if name in fields:
            raise LessonError("given twice", source, step, title, name)
        if value == "|":
            block = []
            while k < len(lines) and (not lines[k][1].strip() or lines[k][1][:1].isspace()):
                block.append(lines[k][1])
                k += 1
            value = _dedent(block)
        fields[name] = value
    return fields


def _dedent(lines):
    while lines and not lines[-1].strip():
        lines.pop()
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines)


def _one_line(text, limit):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _step(matter, body, source, number, program):
    """The LessonStep of one block, and the program in effect after it."""
    titled = [FIELD.fullmatch(line.strip()) for _, line in matter if line.startswith("title:")]
    raw = _fields(matter, source, number, _one_line(titled[0].group(2), 40) if titled else "",
                  STEP_FIELDS)
    title = raw.get("title", "").strip()

    def error(message, name=None):
        return LessonError(message, source, number, _one_line(title, 40), name)

    if not title:
        raise error("every step needs a title", "title")
    if len(title) > MAX_TITLE_CHARS:
        raise error(f"the title is longer than {MAX_TITLE_CHARS} characters", "title")
    if not body:
        raise error("the step has no text: say in a few sentences what to do or watch")
    if len(body) > MAX_STEP_CHARS:
        raise error(f"the step's text is {len(body):,} characters; the limit is "
                    f"{MAX_STEP_CHARS:,}")
    text, example = None, None
    if "program" in raw and "example" in raw:
        raise error("give a program or an example, not both", "example")
    if "example" in raw:
        example = raw["example"]
        if example not in PRESETS:
            raise error(f"'{example}' is not an example (the examples are "
                        f"{', '.join(PRESETS)})", "example")
        text = PRESETS[example][1]
    elif "program" in raw:
        text = raw["program"]
    if text is not None:
        try:
            program = parse(text)
        except ExprError as e:
            raise error(f"line {e.line}, column {e.col}: {e.message}",
                        "example" if example else "program") from None
    if program is None:
        raise error("the first step needs a program or an example", "program")
    facts = _facts(program)
    fields = {"title": title, "body": body, "program": text, "example": example}
    try:
        fields.update(_settings(raw, facts, error))
    except TaskError as e:
        raise error(str(e), e.field) from None
    return LessonStep(**fields), program


def _facts(program):
    order = program.output.topological_order()
    names = [name for name, v in program.values.items() if v in set(order)]
    names += [name for name in program.inputs if name not in names]
    tree = group_tree(program, order, node_ids(order))
    return {"names": names, "inputs": [n for n, v in program.inputs.items() if v in set(order)],
            "groups": tree.names, "backward": step_count(program.output, order),
            "forward": forward_step_count(program.output, order)}


def _settings(raw, facts, error):
    settings = {}
    if "start" in raw:
        try:
            start = read_place(raw["start"], facts["inputs"])
        except TaskError as e:
            raise TaskError(str(e), "start") from None  # not the task: the start
        total = facts["backward" if start.phase == "backward" else "forward"]
        if start.position is not None and start.position > total:
            raise error(f"step {start.position} is past the last ({total})", "start")
        settings["start"] = start
    if "highlight" in raw:
        names = tuple(n.strip() for n in raw["highlight"].split(",") if n.strip())
        unknown = [n for n in names if n not in facts["names"]]
        if unknown:
            raise error(f"{', '.join(unknown)}: not a name in the program", "highlight")
        settings["highlight"] = names
    if "practice" in raw:
        if raw["practice"] not in ("on", "off"):
            raise error("write on or off", "practice")
        settings["practice"] = raw["practice"] == "on"
    if "collapsed" in raw:
        value = raw["collapsed"]
        if value in ("all", "none"):
            settings["collapsed"] = value
        else:
            names = tuple(n.strip() for n in value.split(",") if n.strip())
            unknown = [n for n in names if n not in facts["groups"]]
            if unknown or not names:
                named = ", ".join(unknown) or repr(value)
                raise error(f"{named}: not a group of the program (write all, none, or "
                            "group names)", "collapsed")
            settings["collapsed"] = names
    if "task" in raw:
        task = read_task(raw["task"], facts["names"], facts["inputs"], facts["groups"])
        if task.kind == "practice":
            settings["practice"] = True
        if task.kind == "nudge" and (settings.get("start") is None
                                     or settings["start"].position is not None
                                     or settings["start"].phase != "backward"):
            raise error("a nudge compares with the grads: give it start: end", "start")
        settings["task"] = task
    return settings
