"""Lessons on CPython: every shipped lesson loads, bad lessons are refused naming the file,
the step and the field, a lesson's text is only ever text, tasks know when they are done,
and a lesson position survives storage and links."""

import re
from pathlib import Path

import pytest

from chainrule.state.embed import embed_code, embed_src, embed_title, is_embed
from chainrule.view.lesson_markup import body_html
from chainrule.state.lesson_position import LessonPosition, LessonState, read_position
from chainrule.state.lesson_tasks import Place, Progress, TaskError, read_place, read_task, status
from chainrule.state.lessons import MAX_LESSON_CHARS, SHIPPED, LessonError, parse_lesson
from chainrule.state.share import SharedState, ShareError, decode, encode
from test_share import packed

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
HEADER = "---\nlesson: A test lesson\n---\n"
STEP = "---\ntitle: One\nexample: lecture\n---\nSome words.\n"


def shipped():
    return sorted(LESSONS.glob("*.md"))


def test_the_shipped_lessons_are_the_ones_the_page_offers():
    assert {path.stem for path in shipped()} == set(SHIPPED)


@pytest.mark.parametrize("path", shipped(), ids=lambda path: path.name)
def test_every_shipped_lesson_loads(path):
    lesson = parse_lesson(path.read_text(encoding="utf-8"), path.name, path.stem)
    assert lesson.title == SHIPPED[path.stem]
    assert 8 <= len(lesson.steps) <= 12
    for step in lesson.steps:
        assert 1 <= len(re.findall(r"[.!?](\s|$)", step.body)) <= 8, step.title  # a few sentences
        assert step.task is not None, f"{step.title}: every step has one thing to do"


def test_the_micrograd_lesson_follows_the_lecture():
    lesson = parse_lesson((LESSONS / "micrograd.md").read_text(), "micrograd.md", "micrograd")
    kinds = [step.task.kind for step in lesson.steps]
    assert kinds[0] == "nudge" and "expand" in kinds and kinds.count("practice") >= 5
    programs = "\n".join(step.program for step in lesson.steps if step.program)
    assert "b = a + a" in programs and "tanh(" in programs and "loss = " in programs
    assert any(step.start == Place("tangent", 0, "a") for step in lesson.steps)


def test_a_step_without_a_program_keeps_the_one_before():
    lesson = parse_lesson(HEADER + STEP + "---\ntitle: Two\nstart: 3\n---\nMore words.\n")
    state = LessonState(lesson, 1)
    assert lesson.steps[1].program is None and state.program()[1] == "lecture"
    assert lesson.steps[1].start == Place("backward", 3)


@pytest.mark.parametrize("text, where", [
    ("", "lesson: a lesson starts with a front matter block"),
    ("Hello\n" + HEADER + STEP, "lesson: a lesson starts with a front matter block"),
    ("---\nabout: x\n---\n" + STEP, "lesson, field lesson: the first block must name"),
    (HEADER, "lesson: the lesson has no steps"),
    (HEADER + "---\ntitle: One\n", "step 1: the front matter opened at line 4 is not closed"),
    (HEADER + "---\nexample: lecture\n---\nWords.", "step 1, field title: every step needs"),
    (HEADER + "---\ntitle: One\n---\nWords.", "step 1 (One), field program: the first step "
                                             "needs a program"),
    (HEADER + "---\ntitle: One\nexample: nope\n---\nWords.", "step 1 (One), field example: "
                                                            "'nope' is not an example"),
    (HEADER + "---\ntitle: One\nprogram: L = a *\n---\nWords.",
     "step 1 (One), field program: line 1, column"),
    (HEADER + "---\ntitle: One\nexample: lecture\nprogram: a\n---\nWords.",
     "field example: give a program or an example, not both"),
    (HEADER + "---\ntitle: One\nexample: lecture\n---\n", "step 1 (One): the step has no text"),
    (HEADER + "---\ntitle: One\nexample: lecture\ncolour: red\n---\nWords.",
     "step 1 (One), field colour: unknown field"),
    (HEADER + "---\ntitle: One\ntitle: Two\nexample: lecture\n---\nWords.",
     "field title: given twice"),
    (HEADER + "---\ntitle: One\nexample: lecture\njust words\n---\nWords.",
     "step 1 (One): line 7 is not `field: value`"),
    (HEADER + "---\ntitle: One\nexample: lecture\nstart: 99\n---\nWords.",
     "field start: step 99 is past the last (7)"),
    (HEADER + "---\ntitle: One\nexample: lecture\nstart: sideways\n---\nWords.",
     "field start: 'sideways' is not a place"),
    (HEADER + "---\ntitle: One\nexample: lecture\nstart: forward-mode zz\n---\nWords.",
     "field start: 'forward-mode zz': forward-mode needs an input of the program (a, b, c, f)"),
    (HEADER + "---\ntitle: One\nexample: lecture\nhighlight: a, zz\n---\nWords.",
     "field highlight: zz: not a name in the program"),
    (HEADER + "---\ntitle: One\nexample: lecture\npractice: maybe\n---\nWords.",
     "field practice: write on or off"),
    (HEADER + "---\ntitle: One\nexample: lecture\ncollapsed: L1\n---\nWords.",
     "field collapsed: L1: not a group of the program"),
    (HEADER + "---\ntitle: One\nexample: lecture\ntask: dance\n---\nWords.",
     "field task: 'dance' is not a task"),
    (HEADER + "---\ntitle: One\nexample: lecture\ntask: practice lots\n---\nWords.",
     "field task: 'practice lots': write practice and how many"),
    (HEADER + "---\ntitle: One\nexample: lecture\ntask: zz < 3\n---\nWords.",
     "field task: 'zz < 3': zz is not a name in the program"),
    (HEADER + "---\ntitle: One\nexample: lecture\ntask: L < many\n---\nWords.",
     "field task: 'L < many': many is not a number"),
    (HEADER + "---\ntitle: One\nexample: lecture\ntask: nudge e\n---\nWords.",
     "field task: 'nudge e': write nudge and an input"),
    (HEADER + "---\ntitle: One\nexample: lecture\ntask: nudge a\n---\nWords.",
     "field start: a nudge compares with the grads: give it start: end"),
    (HEADER + "---\ntitle: One\nexample: lecture\ntask: expand box\n---\nWords.",
     "field task: 'expand box': write expand and a group of the program (it has none)"),
    (HEADER + "---\ntitle: " + "T" * 81 + "\nexample: lecture\n---\nWords.",
     "field title: the title is longer than 80"),
    (HEADER + "---\ntitle: One\nexample: lecture\n---\n" + "Words. " * 300,
     "step 1 (One): the step's text is 2,099 characters"),
    (HEADER + STEP * 31, "lesson: the lesson has 31 steps; the limit is 30"),
    ("x" * (MAX_LESSON_CHARS + 1), "lesson: the lesson is 24,001 characters long"),
])
def test_a_bad_lesson_is_refused_naming_file_step_and_field(text, where):
    with pytest.raises(LessonError) as refused:
        parse_lesson(text, "lesson")
    assert where in str(refused.value), str(refused.value)


def test_the_error_names_the_file_it_came_from():
    with pytest.raises(LessonError, match=r"^mine\.md, step 2 \(Two\), field task:"):
        parse_lesson(HEADER + STEP + "---\ntitle: Two\ntask: fly\n---\nWords.", "mine.md")


def test_a_program_block_is_read_with_its_indentation_removed():
    lesson = parse_lesson(HEADER + "---\ntitle: One\nprogram: |\n  x = 3\n\n  # a comment\n"
                          "  y = x*x\ntask: reach end\n---\nWords.")
    assert lesson.steps[0].program == "x = 3\n\n# a comment\ny = x*x"


@pytest.mark.parametrize("markdown, html", [
    ("Hello **world**, *you* and `a*b`.",
     "<p>Hello <strong>world</strong>, <em>you</em> and <code>a*b</code>.</p>"),
    ("One\nline.\n\nTwo.", "<p>One line.</p><p>Two.</p>"),
    ("- first\n- second\n  goes on\n\nAfter.",
     "<ul><li>first</li><li>second goes on</li></ul><p>After.</p>"),
    ("1. one\n2. two", "<ol><li>one</li><li>two</li></ol>"),
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ("**<img src=x onerror=alert(1)>**",
     "<p><strong>&lt;img src=x onerror=alert(1)&gt;</strong></p>"),
    ("[a link](javascript:alert(1)) and <a href='x'>b</a>",
     "<p>[a link](javascript:alert(1)) and &lt;a href=&#x27;x&#x27;&gt;b&lt;/a&gt;</p>"),
    ("`<b>`", "<p><code>&lt;b&gt;</code></p>"), ("2 * 3 * 4", "<p>2 * 3 * 4</p>"),
])
def test_a_lessons_text_is_only_ever_text(markdown, html):
    assert body_html(markdown) == html


def test_no_tag_but_the_few_made_here_can_come_out_of_any_text():
    text = "".join(chr(c) for c in range(32, 127)) * 3 + "\n- <x>\n\n**`<y>`**"
    tags = set(re.findall(r"</?([a-z]+)", body_html(text)))
    assert tags <= {"p", "ul", "ol", "li", "strong", "em", "code"}


@pytest.mark.parametrize("phrase, place", [
    ("0", Place("backward", 0)), ("3", Place("backward", 3)), ("end", Place("backward", None)),
    ("forward", Place("forward", 0)), ("forward 2", Place("forward", 2)),
    ("forward end", Place("forward", None)), ("forward-mode a", Place("tangent", 0, "a")),
    ("forward-mode a end", Place("tangent", None, "a")),
])
def test_places_to_start(phrase, place):
    assert read_place(phrase, ["a", "b"]) == place


@pytest.mark.parametrize("phrase", ["-1", "3 4", "forward x", "1000000", "forward-mode"])
def test_bad_places(phrase):
    with pytest.raises(TaskError):
        read_place(phrase, ["a"])


def test_practice_and_reach_tasks():
    practice = read_task("practice 3")
    assert status(practice, Progress(right=2)) == (
        False, "Answer 3 steps right in practice mode (2 so far).")
    assert status(practice, Progress(right=5))[0]
    reach = read_task("reach end")
    assert status(reach, Progress(backward=(6, 7))) == (False, "Step to the end of backprop.")
    assert status(reach, Progress(backward=(7, 7)))[0]
    assert status(read_task("reach 4"), Progress(backward=(4, 7)))[0]
    forward = read_task("reach forward end")
    assert not status(forward, Progress(forward=(1, 3)))[0]
    assert status(forward, Progress(forward=(3, 3)))[0]
    assert status(forward, Progress(backward=(1, 7)))[0]  # backprop started: it is behind
    mode = read_task("reach forward-mode end", inputs=["a"])
    assert not status(mode, Progress())[0] and status(mode, Progress(tangent=(3, 3)))[0]
    only_a = read_task("reach forward-mode a end", inputs=["a", "b"])
    assert not status(only_a, Progress(tangent=(3, 3), tangent_input="b"))[0]
    assert status(only_a, Progress(tangent=(3, 3), tangent_input="a"))[0]


def test_compare_and_expand_tasks():
    task = read_task("loss < 0.15", names=["loss"])
    assert status(task, Progress(values={"loss": 0.24})) == (
        False, "Tune the inputs until loss < 0.15 (now 0.24).")
    assert status(task, Progress(values={"loss": 0.1}))[0]
    assert status(read_task("L >= -2", names=["L"]), Progress(values={"L": -2.0}))[0]
    expand = read_task("expand neuron", groups=["neuron"])
    assert not status(expand, Progress(collapsed=frozenset({"neuron"})))[0]
    assert status(expand, Progress())[0]


def test_a_nudge_is_done_when_the_difference_quotient_comes_close_to_the_grad():
    task = read_task("nudge x", inputs=["x"])
    base = ({"x": 3.0, "y": 20.0}, {"x": 14.0}, "y")

    def at(x):
        return status(task, Progress(values={"x": x, "y": 3 * x * x - 4 * x + 5}, base=base))

    assert at(3.0) == (False, "Nudge x a little (drag its number, or type a new one in Inputs) "
                              "and watch (y(x+h) − y(x))/h come close to x's grad, 14.")
    assert at(3.1) == (False, "h = 0.1: (y(x+h) − y(x))/h = 14.3; x's grad at x = 3 is 14: "
                              "nudge by less, closer to 3.")
    assert at(3.01)[0] and at(2.999)[0]


def test_the_lesson_panel_and_moving_through_steps():
    lesson = parse_lesson(HEADER + STEP + "---\ntitle: Two\ntask: reach end\n---\n"
                          "Press **End**.\n", "mine.md")
    state = LessonState(lesson)
    panel = state.panel(Progress())
    assert panel["counter"] == "1 / 2" and panel["first"] and not panel["last"]
    assert panel["task"] == "" and not panel["done"]
    assert not state.go(-1) and state.go(1) and not state.go(1)
    panel = state.panel(Progress(backward=(7, 7)))
    assert panel["heading"] == "Two" and panel["body"] == "<p>Press <strong>End</strong>.</p>"
    assert panel["task"] == "Step to the end of backprop." and panel["done"] and panel["last"]


def test_a_lesson_position_survives_storage_and_hand_edits():
    kept = LessonPosition(key="micrograd", step=4)
    assert read_position(kept.dumps()) == kept
    mine = LessonPosition(text=HEADER + STEP, step=0)
    assert read_position(mine.dumps()) == mine
    for junk in (None, "", "{", "[]", '{"step": -1, "key": "micrograd"}',
                 '{"step": 1, "key": "other"}', '{"step": "1", "key": "micrograd"}',
                 '{"step": 1}', '{"step": 1, "text": 5}',
                 '{"step": 1, "text": "' + "x" * (MAX_LESSON_CHARS + 1) + '"}'):
        assert read_position(junk) is None, junk
    state = LessonState(parse_lesson(HEADER + STEP), 5)  # clamped to the lesson's steps
    assert state.index == 0


def test_links_keep_practice_and_the_lesson():
    state = SharedState("a = 2\nL = a*a", practice=True, lesson="micrograd", lesson_step=3)
    assert decode(encode(state)) == state
    mine = SharedState("a = 2\nL = a*a", lesson_text=HEADER + STEP, lesson_step=0)
    assert decode(encode(mine)) == mine
    assert decode(encode(SharedState("a*b"))).lesson is None


@pytest.mark.parametrize("fields, says", [
    ({"t": "a*b", "p": 2}, "practice mode"), ({"t": "a*b", "p": "yes"}, "practice mode"),
    ({"t": "a*b", "l": "other"}, "not one this page has"),
    ({"t": "a*b", "l": "micrograd", "lt": "x"}, "two lessons"),
    ({"t": "a*b", "lt": 5}, "not text"),
    ({"t": "a*b", "lt": "x" * (MAX_LESSON_CHARS + 1)}, "the limit is 24,000"),
    ({"t": "a*b", "l": "micrograd", "ls": -1}, "lesson step"),
    ({"t": "a*b", "l": "micrograd", "ls": 1.0}, "lesson step"),
])
def test_bad_lesson_links_are_refused(fields, says):
    with pytest.raises(ShareError, match=says):
        decode(packed(fields))


@pytest.mark.parametrize("search, embedded", [
    ("", False), ("?embed", True), ("?embed=1", True), ("?boot=normal&embed", True),
    ("?embedded", False), ("?x=embed", False),
])
def test_the_embed_view_is_asked_for_in_the_query(search, embedded):
    assert is_embed(search) is embedded


def test_embed_code_is_an_iframe_of_the_state_with_a_title():
    code = embed_code("https://x.github.io/chainrule/", "#s=abc", embed_title("L"))
    assert code == (
        '<iframe src="https://x.github.io/chainrule/?embed#s=abc" title="chainrule: the '
        'compute graph of L, stepping through backprop" width="720" height="480" '
        'style="max-width: 100%; border: 1px solid #d1d5db; border-radius: 6px" '
        'loading="lazy"></iframe>')
    assert embed_src("/p/", "") == "/p/?embed"
    hostile = embed_code("/p/", "#s=x", embed_title("x", 'lesson "><script>'))
    assert "<script>" not in hostile and "&quot;&gt;&lt;script&gt;" in hostile


def test_a_teachers_lesson_travels_in_a_link(tmp_path, capsys):
    from chainrule.state.lesson_link import lesson_link, main

    text = (LESSONS / "micrograd.md").read_text()
    link = lesson_link(text, "https://x.github.io/chainrule/#old")
    state = decode(link[link.index("#"):])
    assert link.startswith("https://x.github.io/chainrule/#s=")
    assert state.lesson_text == text and state.lesson_step == 0
    assert state.text == parse_lesson(text).steps[0].program
    with pytest.raises(LessonError, match="step 1"):
        lesson_link(HEADER + "---\ntitle: One\n---\nWords.", "./")
    bad = tmp_path / "bad.md"
    bad.write_text("no front matter")
    assert main([str(bad)]) == 1
    assert "bad.md: a lesson starts with a front matter block" in capsys.readouterr().err


def test_what_a_task_is_checked_against_comes_from_the_session():
    from chainrule.state.lesson_position import base_of, marked_cells, progress_of
    from chainrule.state.session import Session
    from dagre_node import run_dagre

    session = Session(run_dagre)
    session.load("x = 3\ny = 3*x**2 - 4*x + 5")
    session.finish()
    base = base_of(session)
    assert base == ({"x": 3.0, "y": 20.0}, {"x": 14.0}, "y")
    session.tune("x", 3.01)
    progress = progress_of(session, right=2, base=base)
    assert progress.backward == (10, 10) and progress.forward is None and progress.right == 2
    assert status(read_task("nudge x", inputs=["x"]), progress)[0]
    marks = marked_cells(session, ["x", "nope"])
    assert list(marks.values()) == [{"mk": True}]
    assert marked_cells(session, ["x"], on=False) == {next(iter(marks)): {"mk": False}}
