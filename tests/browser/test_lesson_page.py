"""The guided lesson on the page: the shipped lesson from its first step to its last, its
tasks, a reload keeping the step, and lessons from links (hostile ones shown as text)."""

from pathlib import Path

from playwright.sync_api import expect

from chainrule.state.lesson_position import LessonState
from chainrule.state.lessons import parse_lesson
from chainrule.state.share import SharedState, encode
from harness import SERVICE_WORKER_ACTIVE, wait_for_state
from pages import (
    LECTURE, TIMEOUT_MS, Expected, by_testid, expect_counter, open_app, wait_for_graph,
)

LESSON_FILE = Path(__file__).resolve().parents[2] / "lessons" / "micrograd.md"
HOSTILE = '<img src=x onerror="window.pwned=1">'


def micrograd():
    return parse_lesson(LESSON_FILE.read_text(), "micrograd.md", "micrograd")


def open_lesson(page):
    by_testid(page, "lesson").click()
    expect(by_testid(page, "lesson-panel")).to_be_visible(timeout=TIMEOUT_MS)
    expect(by_testid(page, "lesson")).to_have_attribute("aria-expanded", "true")


def expect_step(page, lesson, index):
    step = lesson.steps[index]
    expect(by_testid(page, "lesson-progress")).to_have_text(
        f"{index + 1} / {len(lesson.steps)}", timeout=TIMEOUT_MS)
    expect(by_testid(page, "lesson-heading")).to_have_text(step.title)
    program, _ = LessonState(lesson, index).program()
    expect(by_testid(page, "expression")).to_have_value(program, timeout=TIMEOUT_MS)
    expect(by_testid(page, "practice")).to_have_attribute(
        "aria-pressed", "true" if step.practice else "false")


def test_the_shipped_lesson_from_first_step_to_last(page, app_url):
    lesson = micrograd()
    open_app(page, app_url)
    open_lesson(page)
    expect(by_testid(page, "lesson-title")).to_have_text(lesson.title)
    expect_step(page, lesson, 0)
    expect(by_testid(page, "lesson-back")).to_be_disabled()
    task = by_testid(page, "lesson-task")
    expect(task).to_have_attribute("data-done", "false")
    expect(task).to_contain_text("Nudge x a little")
    field = page.locator('[data-testid="input-x"]')
    field.fill("3.1")
    field.press("Enter")
    expect(task).to_contain_text("h = 0.1: (y(x+h) − y(x))/h = 14.3")
    expect(task).to_have_attribute("data-done", "false")
    field.fill("3.001")
    field.press("Enter")
    expect(task).to_have_attribute("data-done", "true", timeout=TIMEOUT_MS)

    by_testid(page, "lesson-next").click()  # the forward pass, in practice
    expect_step(page, lesson, 1)
    expect(by_testid(page, "step-counter")).to_have_text("forward 0 / 3")
    for value in ("-6", "4"):
        by_testid(page, "step").click()
        by_testid(page, "practice-answer").fill(value)
        by_testid(page, "practice-answer").press("Enter")
        expect(by_testid(page, "practice-feedback")).to_contain_text("Right")
    expect(task).to_have_attribute("data-done", "true")

    for index in range(2, len(lesson.steps)):  # Next is never held back by a task
        expect(by_testid(page, "lesson-next")).to_be_enabled()
        by_testid(page, "lesson-next").click()
        expect_step(page, lesson, index)
        marked = lesson.steps[index].highlight
        expect(page.locator(".vnode.is-marked")).to_have_count(len(marked))
    expect(by_testid(page, "lesson-next")).to_be_disabled()
    expect(by_testid(page, "step-counter")).to_have_text("forward mode 0 / 3")
    by_testid(page, "finish").click()
    expect(task).to_have_attribute("data-done", "true", timeout=TIMEOUT_MS)

    by_testid(page, "lesson-back").click()  # back a step: its graph and task again
    expect_step(page, lesson, len(lesson.steps) - 2)
    by_testid(page, "lesson-close").click()
    expect(by_testid(page, "lesson-panel")).to_be_hidden()
    open_lesson(page)  # opens where it was
    expect(by_testid(page, "lesson-progress")).to_have_text(f"{len(lesson.steps) - 1} / "
                                                           f"{len(lesson.steps)}")


def test_a_reload_keeps_the_lesson_step(page, app_url):
    lesson = micrograd()
    open_app(page, app_url)
    open_lesson(page)
    for _ in range(3):
        by_testid(page, "lesson-next").click()
    expect_step(page, lesson, 3)
    by_testid(page, "step").click()
    expect_counter(page, 4, 7)
    page.wait_for_function("(hash) => location.hash === hash", arg=encode(SharedState(
        LECTURE, step=4, example="lecture", practice=True, lesson="micrograd", lesson_step=3)))
    page.reload()
    wait_for_state(page, "ready")
    expect(by_testid(page, "lesson-panel")).to_be_visible(timeout=TIMEOUT_MS)
    expect_step(page, lesson, 3)
    expect_counter(page, 4, 7)  # the step on the canvas as it was, not set up again


def test_a_link_opens_the_lesson_at_its_step(page, app_url):
    lesson = micrograd()
    state = SharedState(LECTURE, step=5, lesson="micrograd", lesson_step=4, practice=True)
    page.goto(app_url + encode(state))
    wait_for_state(page, "ready")
    expect_step(page, lesson, 4)
    expect_counter(page, 5, 7)


def test_a_hostile_lesson_link_shows_text_only(page, app_url):
    text = (f"---\nlesson: Mine {HOSTILE}\n---\n\n---\ntitle: A <script>window.pwned=2"
            f"</script> step\nprogram: |\n  a = 2\n  L = a*a\nhighlight: a\n---\n"
            f"Look at **{HOSTILE}** and <a href='javascript:alert(1)'>this</a>.\n")
    page.goto(app_url + encode(SharedState("a = 2\nL = a*a", lesson_text=text)))
    wait_for_state(page, "ready")
    panel = by_testid(page, "lesson-panel")
    expect(panel).to_be_visible(timeout=TIMEOUT_MS)
    expect(by_testid(page, "lesson-title")).to_have_text(f"Mine {HOSTILE}")
    expect(by_testid(page, "lesson-heading")).to_have_text(
        "A <script>window.pwned=2</script> step")
    expect(by_testid(page, "lesson-body")).to_have_text(
        f"Look at {HOSTILE} and <a href='javascript:alert(1)'>this</a>.")
    assert panel.locator("img, script, a").count() == 0
    assert page.evaluate("window.pwned") is None
    expect(page.locator(".vnode.is-marked")).to_have_count(1)


def test_a_bad_lesson_link_is_reported_and_the_page_still_works(page, app_url):
    text = "---\nlesson: Broken\n---\n---\ntitle: One\nprogram: L = a *\n---\nWords.\n"
    page.goto(app_url + encode(SharedState(LECTURE, step=2, lesson_text=text)))
    wait_for_state(page, "ready")
    expect(by_testid(page, "notice")).to_have_text(
        "This link's lesson could not be opened: lesson, step 1 (One), field program: line 1, "
        "column 8: invalid syntax: 'L = a *'.")
    expect(by_testid(page, "lesson-panel")).to_be_hidden()
    wait_for_graph(page, Expected.of(LECTURE))
    expect_counter(page, 2, 7)


def test_the_lesson_opens_offline_after_a_first_visit(page, app_url):
    open_app(page, app_url)
    assert page.evaluate(SERVICE_WORKER_ACTIVE)
    page.context.set_offline(True)
    open_lesson(page)
    expect_step(page, micrograd(), 0)
