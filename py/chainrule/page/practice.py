"""Practice mode's part of the page: the Practice toggle, the question in the explanation,
the answer field (Enter checks, Escape leaves it), Show me, the feedback and the score.
What is asked and when an answer is right: state/practice.py."""

from pyscript import document

from ..state.practice import MOVES, Practice as PracticeState
from .dom import by_testid


class Practice:
    def __init__(self, page):
        self.page = page
        self.state = PracticeState()
        self.toggle = by_testid("practice")
        self.panel = by_testid("practice-panel")
        self.prompt = by_testid("practice-prompt")
        self.row = by_testid("practice-row")
        self.field = by_testid("practice-answer")
        self.feedback = by_testid("practice-feedback")
        self.score = by_testid("practice-score")
        self.shown = None  # what the panel last showed (False: practice off)

    def start(self):
        listen = self.page.guard.listen
        listen(self.toggle, "click", lambda e: self.set(not self.state.on))
        listen(self.panel, "submit", self.on_submit, "practice-feedback")
        listen(by_testid("practice-reveal"), "click", lambda e: self.on_reveal(),
               "practice-feedback")
        listen(self.field, "keydown", self.on_key, "practice-feedback")

    def set(self, on):
        """Practice on or off (the toggle, P, a link, a lesson step)."""
        if bool(on) == self.state.on:
            return
        patches = self.state.set_on(on, self.page.session)
        self.page.refresh("practice", patches=patches)

    # the learner's answers ---------------------------------------------------------------

    def on_submit(self, event):
        event.preventDefault()
        patches = self.state.answer(self.field.value, self.page.session)
        self.answered(patches)

    def on_reveal(self):
        self.answered(self.state.reveal(self.page.session))

    def answered(self, patches):
        self.page.refresh("answer", patches=patches)
        if patches:  # right or shown: the keyboard goes on from the Step button
            self.field.value = ""
            by_testid("step").focus()
        else:
            self.field.select()

    def on_key(self, event):
        if event.key == "Escape":
            event.preventDefault()
            by_testid("step").focus()  # out of the field: the page's shortcuts work again

    # what it shows (the refresh's part) ----------------------------------------------------

    def follow(self, change):
        """After a change: the question follows the session (a Step asks, anything else
        shows), the hidden number stays hidden on the canvas, and the panel is redrawn."""
        extra = self.cell_patches(change)
        if extra:
            self.page.canvas_view.update(extra)
        self.show()
        if moved_by(change) == "step" and self.state.asking:
            self.field.value = ""
            self.field.focus()

    def cell_patches(self, change):
        """The cell patches practice lays over what `change` drew, the first time it is
        asked for this change: a change whose patches are still to be drawn sends them
        with its own, in one update (a step is 5 ms)."""
        if change.get("practice-followed"):
            return {}
        change["practice-followed"] = True
        return self.state.follow(self.page.session, moved_by(change))

    def show(self):
        panel = self.state.panel()
        root = document.documentElement
        if panel is None:
            if self.shown is not False:  # off, and not drawn as off yet: a step is 5 ms
                self.toggle.setAttribute("aria-pressed", "false")
                self.panel.hidden = True
                root.removeAttribute("data-practice")
                self.shown = False
            return
        if panel == self.shown:
            return
        self.shown = panel
        self.toggle.setAttribute("aria-pressed", "true")
        root.dataset.practice = ""
        self.panel.hidden = False
        self.prompt.textContent = panel["prompt"]
        self.prompt.hidden = not panel["prompt"]
        self.row.hidden = not panel["asking"]
        self.feedback.dataset.kind = panel["kind"]
        self.feedback.textContent = panel["feedback"]
        if panel["hint"]:
            hint = document.createElement("span")
            hint.className = "practice__hint"
            hint.textContent = panel["hint"]
            self.feedback.appendChild(hint)
        if panel["kind"] == "refused":
            self.field.setAttribute("aria-invalid", "true")
        else:
            self.field.removeAttribute("aria-invalid")
        self.score.textContent = panel["score"]


def moved_by(change):
    """How a change moved the session, as state/practice.py's MOVES names it."""
    return change.get("move", MOVES.get(change.get("kind")))
