"""The notebook widget's state as plain Python: a Session over the converted program, and
each action from the widget (or from `w.step()`) turned into the JSON the widget syncs.

Layout runs here, in the kernel, with the Python layered layout (layered.py): it needs no
JavaScript round trip, so `show()` returns a widget with its positions already set.
"""

from ..view.layered import layered_layout
from ..state.session import Session
from ..core.numbers import InputError, literal_text, read_number

STEP_HINT = "Press Step (→) to start backpropagation from the output."
INPUTS_LISTED_UP_TO = 12  # more inputs than this are tuned on the graph alone


class Controller:
    """One converted program on screen: its view, its steps, its tuning."""

    def __init__(self, converted, direction="LR", write_grads=False):
        self.originals = converted.originals  # copy -> the learner's object
        self.write_grads = write_grads
        self.session = Session(layered_layout, direction)
        self.view = self.session.load_program(converted.program)
        self.message = ""

    # what the widget syncs -----------------------------------------------------------

    def state(self):
        """The controls, counter, explanation, inputs list and message, as plain JSON."""
        s = self.session
        step = s.current
        if step is None:
            explanation = [["explain-hint", STEP_HINT]]
        else:
            explanation = [["explain-formula", step.formula], ["explain-rule", step.rule],
                           ["explain-arithmetic", step.arithmetic]]
            if s.step_group:
                explanation.append(["explain-group",
                                    f"In {s.step_group} (collapsed): G expands it."])
        inputs = s.inputs
        return {
            "position": s.position, "total": s.total,
            "disabled": {"step": s.at_end, "finish": s.at_end, "back": s.at_start,
                         "reset": s.at_start, "play": s.total == 0,
                         "expand-current": s.step_group is None},
            "explanation": explanation,
            "inputs": [[name, literal_text(value)] for name, value in inputs]
            if len(inputs) <= INPUTS_LISTED_UP_TO else [],
            "message": self.message,
            "groups": bool(s.tree),
        }

    # actions: each returns (a regrouped view or None, cell patches or None) -----------

    def act(self, message):
        """One action from the widget: {"action": ..., ...}. Unknown ones do nothing."""
        action = message.get("action") if isinstance(message, dict) else None
        s = self.session
        self.message = ""
        if action in ("step", "back", "finish", "reset"):
            return None, getattr(s, action)()
        if action == "group":
            return self._regroup(s.toggle_group(str(message.get("name"))))
        if action == "expand-current":
            return self._regroup(s.expand_current())
        if action == "input":
            return None, self._input(message)
        return None, None

    def _regroup(self, view):
        if view is None:
            return None, None
        self.view = view
        return view, None

    def _input(self, message):
        s = self.session
        kind, name = message.get("kind"), message.get("name")
        if name not in dict(s.inputs):
            return None
        if kind == "commit":
            return self.commit(name, message.get("text"))
        if kind == "scrub-start":
            s.start_scrub(name)
        elif kind == "scrub":
            try:
                dx = float(message.get("amount"))
            except (TypeError, ValueError):
                return None
            return s.scrub_by(dx, bool(message.get("fine")))
        elif kind == "scrub-end":
            s.end_scrub()
        return None

    def commit(self, name, text):
        """Set input `name` from typed text; a refusal becomes the message, nothing else
        changes."""
        try:
            value = read_number(text)
        except InputError as error:
            current = literal_text(dict(self.session.inputs)[name])
            self.message = f"{name}: {error}; {name} stays {current}"
            return None
        return self.session.tune(name, value)

    def write_back(self):
        """With write_grads: every number on screen into the learner's objects."""
        if not self.write_grads:
            return
        received = self.session.received
        for copy, original in self.originals.items():
            original.data = copy.data
            original.grad = copy.grad if copy in received else 0.0
