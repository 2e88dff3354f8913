"""The lesson's part of the page: the Lesson button and panel (the step's text, its task and
whether it is done, Back, Next, close), what opening a step sets up on the page, and where
the learner is, kept in this browser and in the link. What a lesson is and when a task is
done: state/lessons.py, state/lesson_position.py, state/lesson_tasks.py."""

import js
from pyscript import document

from ..state.lesson_position import (LessonPosition, LessonState, base_of, marked_cells,
                                     progress_of, read_position, restore_arguments)
from ..state.lessons import SHIPPED, LessonError, parse_lesson
from .dom import by_testid, store, stored

FIRST = LessonPosition(key=next(iter(SHIPPED)))
# Changes that draw the canvas anew: the step's marked nodes are marked again.
REDRAWN = ("program", "canvas-program", "canvas-layout", "restored", "layout", "mode", "groups")


class Lesson:
    def __init__(self, page):
        self.page = page
        self.button = by_testid("lesson")
        self.panel = by_testid("lesson-panel")
        self.state = None  # the LessonState, once its text is here
        self.wanted = None  # the LessonPosition being opened (a shipped file on its way)
        self.open = False
        self.right_from = 0  # practice answers right before the step opened
        self.base = ({}, {}, "")  # the numbers when the step opened (a nudge starts there)
        self.marked = ()  # the names the step marks
        self.marks_due = False
        self.shown = None  # what the panel last showed

    def start(self):
        listen = self.page.guard.listen
        listen(self.button, "click", lambda e: self.on_button())
        listen(by_testid("lesson-next"), "click", lambda e: self.go(1))
        listen(by_testid("lesson-back"), "click", lambda e: self.go(-1))
        listen(by_testid("lesson-close"), "click", lambda e: self.close())

    # opening ------------------------------------------------------------------------------

    def on_button(self):
        if self.open:
            self.close()
        elif self.state is not None:
            self.open = True
            self.marks_due = True
            self.save()
            self.page.refresh("lesson")
        else:
            saved = read_position(stored("lesson"))
            self.load(saved or FIRST, set_up=True)

    def open_saved(self):
        """At boot without a link: the lesson that was open here, where it was (the page
        shows the saved program as it was, so the step is not set up again)."""
        saved = read_position(stored("lesson"))
        if saved is not None and saved.open:
            self.load(saved, set_up=False)

    def from_link(self, state):
        """A link's lesson: shipped (by key) or written by a teacher (its text)."""
        if state.lesson is not None:
            self.load(LessonPosition(key=state.lesson, step=state.lesson_step), set_up=False)
        elif state.lesson_text is not None:
            self.load(LessonPosition(text=state.lesson_text, step=state.lesson_step),
                      set_up=False, source="lesson")

    def load(self, position, set_up, source=None):
        """Opens the lesson at `position`: one from a link is its text; a shipped one is
        fetched (the service worker keeps it for offline use)."""
        self.open, self.wanted = True, position
        if position.text is not None:
            self.opened(position.text, position, set_up, source or "lesson")
            return
        url = f"lessons/{position.key}.md"
        guard = self.page.guard
        js.fetch(url).then(guard.once(lambda response: response.text() if response.ok else None)) \
            .then(guard.once(lambda text: self.opened(text, position, set_up, url))) \
            .catch(guard.once(lambda error: self.opened(None, position, set_up, url)))

    def opened(self, text, position, set_up, source):
        if self.wanted is not position:
            return  # another lesson was asked for since
        self.wanted = None
        try:
            if text is None:
                raise LessonError("could not be loaded: are you offline on a first visit?",
                                  source)
            lesson = parse_lesson(text, source, position.key)
        except LessonError as error:
            self.open = False
            what = "This link's lesson" if position.key is None else "The lesson"
            self.page.messages.notice(f"{what} could not be opened: {error}.")
            self.page.refresh("lesson")
            return
        self.state = LessonState(lesson, position.step, position.text)
        if set_up:
            self.set_up()
        else:
            self.began()
        self.save()
        self.page.refresh("lesson")

    # moving -------------------------------------------------------------------------------

    def go(self, delta):
        if self.state is not None and self.state.go(delta):
            self.set_up()
            self.save()
            self.page.refresh("lesson")

    def close(self):
        self.unmark()
        self.open = False
        self.save()
        self.page.refresh("lesson")

    def set_up(self):
        """The step's graph, groups, place to start, practice and marks."""
        page, session, step = self.page, self.page.session, self.state.step
        self.unmark()
        text, example = self.state.program()
        if text is not None and (step.program is not None or session.text != text):
            page.program.use_text(text, example)
        if step.collapsed is not None:
            view = {"all": session.collapse_all, "none": session.expand_all}.get(
                step.collapsed, lambda: session.set_collapsed(step.collapsed))()
            if view is not None:
                page.refresh("groups", view=view, fit=True)
        if step.start is not None:
            page.refresh("pass", patches=session.restore(*restore_arguments(step.start)))
        page.practice.set(step.practice)
        self.began()

    def began(self):
        """The step is on screen: its task counts from here."""
        self.marked = self.state.step.highlight
        self.marks_due = True
        self.base = base_of(self.page.session)
        self.right_from = self.page.practice.state.right_count

    def unmark(self):
        if self.marked:
            self.page.canvas_view.update(marked_cells(self.page.session, self.marked, on=False))
        self.marked = ()

    def position(self):
        """The LessonPosition a link keeps, or None when no lesson is open."""
        if not self.open:
            return None
        return self.state.position() if self.state is not None else self.wanted

    def save(self):
        position = self.state.position() if self.state is not None else None
        if position is not None and not self.page.embedded:
            position.open = self.open
            store("lesson", position.dumps())

    # what it shows (the refresh's part) ----------------------------------------------------

    def show(self, change):
        root = document.documentElement
        if not self.open or self.state is None:
            if not self.panel.hidden:
                self.panel.hidden = True
                root.removeAttribute("data-lesson")
                self.button.setAttribute("aria-expanded", "false")
                self.page.canvas_view.view.reframe()
            self.shown = None
            return
        session = self.page.session
        if self.marked and (self.marks_due or change.get("kind") in REDRAWN):
            self.page.canvas_view.update(marked_cells(session, self.marked))
        self.marks_due = False
        right = self.page.practice.state.right_count - self.right_from
        panel = self.state.panel(progress_of(session, right, self.base))
        if self.panel.hidden:
            self.panel.hidden = False
            root.dataset.lesson = ""
            self.button.setAttribute("aria-expanded", "true")
            self.page.canvas_view.view.reframe()
        if panel == self.shown:
            return
        self.shown = panel
        for testid, key in (("lesson-title", "title"), ("lesson-progress", "counter"),
                            ("lesson-heading", "heading"), ("lesson-task", "task")):
            by_testid(testid).textContent = panel[key]
        by_testid("lesson-body").innerHTML = panel["body"]  # escaped: lesson_markup.py
        by_testid("lesson-task").dataset.done = "true" if panel["done"] else "false"
        by_testid("lesson-back").disabled = panel["first"]
        by_testid("lesson-next").disabled = panel["last"]
