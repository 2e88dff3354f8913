"""Practice mode: the learner computes each step's number before the page shows it.

With practice on, a Step asks for the number the step computes (practice_questions.py)
and keeps that node's cell as it was (`conceal`) until the answer is right or the learner
asks to be shown. Wrong answers get a hint in three stages. Any other move (Back, Reset,
Finish, Play, a tuning, a new program) shows the step's number as usual; a Step past a
question not yet answered counts it as missed.
"""

from dataclasses import dataclass

from .answers import AnswerError, agrees, read_answer
from ..core.explain import fmt
from .practice_questions import question_for

# What moved the session: only a Step asks; the others show every number.
ASKING_MOVES = ("step",)
# The move each kind of page refresh (state/refresh.py) is, when its caller does not say:
# a new program, a tuning, a new picture of the same step, groups, a jump. None: nothing
# moved (practice's own changes).
MOVES = {"program": "load", "canvas-program": "load", "canvas-layout": "load",
         "restored": "load", "tuned": "tune", "tuning": "tune", "layout": "redraw",
         "mode": "redraw", "groups": "regroup", "step": "back", "pass": "restore",
         "practice": None, "answer": None}


@dataclass
class Score:
    """Right on the first try / answered, and the hardest rule answered right so far."""

    first_try: int = 0
    answered: int = 0
    hardest: str = ""
    hardest_level: int = -1

    def count(self, question, right_first_try, right):
        self.answered += 1
        self.first_try += right_first_try
        if right and question.level > self.hardest_level:
            self.hardest, self.hardest_level = question.rule, question.level

    def text(self):
        if not self.answered:
            return "Score: nothing answered yet."
        text = f"Score: {self.first_try} / {self.answered} right on the first try"
        return text + (f" · hardest rule so far: {self.hardest}" if self.hardest else "")


@dataclass
class Feedback:
    kind: str = ""  # "", "right", "wrong", "refused", "shown", "skipped"
    text: str = ""
    hint: str = ""


class Practice:
    """Practice mode's state over a Session: on or off, the question on screen, the
    feedback it got, the score."""

    def __init__(self):
        self.on = False
        self.score = Score()
        self.question = None  # the question waiting for an answer, or None
        self.current = None  # the question of the step on screen (answered or not)
        self.misses = 0
        self.answered = set()  # keys of the questions answered (or shown) since a Reset
        self.feedback = Feedback()
        self.right_count = 0  # answers right since `right_count` was last set to 0

    @property
    def asking(self):
        return self.question is not None

    def set_on(self, on, session):
        """Practice on or off; returns the cell patches (off shows a concealed number)."""
        patches = self._show(session) if not on else {}
        self.on = bool(on)
        self.current = None
        self.feedback = Feedback()
        if not on:
            self.answered.clear()
        return patches

    def follow(self, session, move):
        """After a change the page redraws (`move` as MOVES names it): the cell patches to
        apply over what the change drew ({} when practice is off)."""
        if not self.on or move is None:
            return {}
        if move == "redraw":  # a new picture of the same step: the number stays hidden
            return self.conceal({})
        if move == "regroup":
            self.regrouped(session)
            return self.conceal({})
        return self.moved(session, move)

    def moved(self, session, move):
        """After the session moved (`move`: "step", "back", "reset", "finish", "play",
        "tune", "load", "restore"): returns the cell patches to apply over the session's.
        A Step asks the new step's question; any move drops the question waiting, and shows
        its node as the session has it (a Step counts it as missed)."""
        patches = {}
        if self.question is not None:
            if move == "step":
                self.score.count(self.question, False, False)
                self.answered.add(self.question.key)
            if move != "load":  # a new program: its cells are all new
                patches = self._show(session)
            self.question = None
        if move in ("reset", "tune", "load", "restore"):
            self.answered.clear()
        self.misses = 0
        self.feedback = Feedback()
        self.current = question_for(session) if self.on else None
        if move in ASKING_MOVES and self.current is not None and self.current.askable \
                and self.current.key not in self.answered:
            self.question = self.current
            self.conceal(patches, session)
        return patches

    def regrouped(self, session):
        """Groups collapsed or expanded: the step on screen may now be on screen or not.
        Returns the cell patches over the new view's cells."""
        if not self.on or self.current is None:
            return {}
        waiting = self.question is not None
        self.current = question_for(session)
        if waiting and not (self.current and self.current.askable):
            self.question = None  # inside a box now: shown, not counted
            return {}
        if self.current and self.current.askable and self.current.key not in self.answered:
            self.question = self.current
        return {}

    def conceal(self, cells, session=None):
        """Puts the concealed number into `cells` (patches or a whole view's cells) for the
        question waiting; returns `cells`."""
        question = self.question
        if question is not None:
            cells.setdefault(question.node_id, {}).update(question.concealed)
        return cells

    def answer(self, text, session):
        """Checks a typed answer; returns the cell patches that show the number when it is
        right (None otherwise: the feedback says why)."""
        question = self.question
        if question is None:
            return None
        try:
            number = read_answer(text)
        except AnswerError as refusal:
            self.feedback = Feedback("refused", str(refusal), self.feedback.hint)
            return None
        if not agrees(number, question.true):
            self.misses += 1
            hint = question.hints[min(self.misses, len(question.hints)) - 1]
            stage = min(self.misses, len(question.hints))
            self.feedback = Feedback("wrong", f"Not quite: {fmt(number)} is not "
                                     f"{question.answer_name}. Hint {stage} of 3:", hint)
            return None
        self.score.count(question, self.misses == 0, True)
        self.right_count += 1
        tries = "first try" if self.misses == 0 else f"try {self.misses + 1}"
        self.feedback = Feedback("right", f"Right ({tries}): {question.answer_name} = "
                                 f"{fmt(question.true)}.")
        return self._close(session)

    def reveal(self, session):
        """Show me: the step's number, counted as answered but not right."""
        question = self.question
        if question is None:
            return None
        self.score.count(question, False, False)
        self.feedback = Feedback("shown", f"Shown: {question.answer_name} = "
                                 f"{fmt(question.true)}. The explanation below says how.")
        return self._close(session)

    def _close(self, session):
        self.answered.add(self.question.key)
        return self._show(session)

    def _show(self, session):
        question, self.question = self.question, None
        if question is None:
            return {}
        return {question.node_id: session.cell(question.value)}

    def blocks(self, blocks):
        """The explanation's blocks while a question waits: none that give the number."""
        if self.question is None:
            return blocks
        return [(testid, text) for testid, text in blocks if testid == "explain-group"]

    def panel(self):
        """What the practice panel shows: {prompt, asking, feedback, kind, hint, score}."""
        current = self.current
        if not self.on:
            return None
        if current is None:
            prompt = "Practice: press Step (→) and compute each step's number yourself."
        elif self.question is not None:
            prompt = self.question.prompt
        elif not current.askable:
            prompt = current.note
        else:
            prompt = ""
        return {"prompt": prompt, "asking": self.question is not None,
                "feedback": self.feedback.text, "kind": self.feedback.kind,
                "hint": self.feedback.hint, "score": self.score.text()}
