"""The Inputs panel and the inputs' numbers on the canvas: typed, slid, scrubbed or
stepped with the arrow keys; each change is a forward pass whose cells are patched. And
the gradient check, which compares the grads of these inputs with finite differences."""

from ..core.gradcheck import gradient_check
from ..core.numbers import InputError, literal_text, read_number
from ..state.input_edits import decimals
from ..state.inputs_panel import needs_filter, panel_html, slider_attributes
from ..view.gradcheck_report import report_html
from .dom import by_testid


class Inputs:
    def __init__(self, page):
        self.page = page
        self.list = by_testid("inputs-list")
        self.filter = by_testid("inputs-filter")
        self.input_errors = {}  # input name -> the message its row shows ("" for none)

    def start(self):
        page, listen = self.page, self.page.guard.listen
        listen(self.list, "change", self.on_change)
        listen(self.filter, "input", lambda event: self.show_all())
        listen(self.list, "input", self.on_slider)
        listen(self.list, "keydown", self.on_key)
        listen(by_testid("grad-check"), "click", lambda e: self.on_grad_check())
        page.canvas_view.view.setInputHandler(page.guard.keep(self.on_canvas_input,
                                                              "edit-message"))

    # changing a number ------------------------------------------------------------------

    def tune(self, name, value, recenter=True, final=True):
        """Input `name` becomes `value`; `final` unless in the middle of a drag."""
        page = self.page
        page.refresh("tuned" if final else "tuning", patches=page.session.tune(name, value),
                     name=name, recenter=recenter)
        node_id = page.session.shown_id(name)
        if node_id is not None:  # the node being tuned from the panel stays in view
            page.canvas_view.reveal([[node_id]], True)

    def commit(self, name, text):
        """Set input `name` from typed text; returns why it was refused, or ''."""
        try:
            value = read_number(text)
        except InputError as error:
            return str(error)
        page = self.page
        if page.canvas.shows(page.session) and name not in dict(page.session.inputs):
            # an input the output does not use yet: only the canvas has it on screen
            return page.editing.edit(lambda: page.canvas.model.set_number(name, value))
        self.tune(name, value)
        return ""

    def number(self, name):
        return self.page.session.program.inputs[name].data

    def on_change(self, event):
        target = event.target
        name = target.dataset.name
        if target.classList.contains("inputs__slider"):  # released
            self.page.refresh("tuned", name=name, recenter=True)
        elif target.classList.contains("inputs__number"):
            message = self.commit(name, target.value)
            if message:
                current = literal_text(self.number(name))
                target.value = current
                self.show_error(name, f"{message}; {name} stays {current}")
                target.select()

    def on_slider(self, event):
        target = event.target
        if target.classList.contains("inputs__slider"):
            self.tune(target.dataset.name, float(target.value), recenter=False, final=False)

    def on_key(self, event):
        target = event.target
        if not target.classList.contains("inputs__number"):
            return
        name = target.dataset.name
        if event.key == "Escape":
            target.value = literal_text(self.number(name))
            self.show_error(name, "")
        elif event.key in ("ArrowUp", "ArrowDown"):
            event.preventDefault()
            step = float(self.field("slider", name).step) * (10 if event.shiftKey else 1)
            self.tune(name, round(self.number(name) + (step if event.key == "ArrowUp" else -step),
                                  decimals(step)))

    def on_canvas_input(self, kind, name, amount=None, fine=False):
        """Gestures on an input's number on the canvas; returns a refusal's reason, or ''."""
        page = self.page
        if kind == "commit":
            return self.commit(name, amount)
        if name not in dict(page.session.inputs):
            return ""  # not used by the output yet (edit mode): it is typed, not scrubbed
        if kind == "scrub-start":
            page.stepping.stop_playing()
            page.session.start_scrub(name)
        elif kind == "scrub":
            patches = page.session.scrub_by(float(amount), bool(fine))
            if patches:
                page.refresh("tuning", patches=patches, name=name, recenter=False)
        elif kind == "scrub-end":
            page.session.end_scrub()
            page.refresh("tuned", name=name, recenter=True)
        return ""

    # what the panel shows (the refresh's parts) -----------------------------------------

    def show_all(self):
        """The Inputs panel for the program on screen, filtered when it has many."""
        inputs = self.page.session.inputs
        box = self.filter
        filtered = needs_filter(inputs)
        box.hidden = not filtered
        if filtered:
            box.placeholder = f"Filter {len(inputs):,} inputs by name, e.g. b2_"
        else:
            box.value = ""
        self.list.innerHTML = panel_html(inputs, box.value if filtered else "")
        self.input_errors = {}

    def field(self, kind, name):
        return self.list.querySelector(f'[data-testid="{kind}-{name}"]')

    def show_one(self, name, recenter):
        field, slider = self.field("input", name), self.field("slider", name)
        if field is None:
            return
        value = self.number(name)
        field.value = literal_text(value)
        self.show_error(name, "")
        if recenter and not float(slider.min) <= value <= float(slider.max):
            for key, text in slider_attributes(value).items():
                slider.setAttribute(key, text)
        slider.value = literal_text(value)

    def show_error(self, name, message):
        if self.input_errors.get(name, "") == message:
            return
        self.input_errors[name] = message
        field, error = self.field("input", name), self.field("input-error", name)
        error.textContent = message
        error.hidden = not message
        if message:
            field.setAttribute("aria-invalid", "true")
        else:
            field.removeAttribute("aria-invalid")

    # the gradient check -----------------------------------------------------------------

    def on_grad_check(self):
        s = self.page.session
        if s.program is None:
            return
        inputs = [(name, s.program.inputs[name]) for name, _ in s.inputs]
        checks = gradient_check(s.program.output, inputs, s.order)
        by_testid("grad-check-results").innerHTML = report_html(checks)

    def forget_grad_check(self):
        results = by_testid("grad-check-results")
        if results.innerHTML:
            results.innerHTML = ('<p class="gradcheck__stale">The numbers changed: check '
                                 'again.</p>')
