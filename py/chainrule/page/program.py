"""The program's text: the editor (drawn as the user pauses, Ctrl+Enter at once), the
Examples select, and drawing a program so that a failure keeps what was on screen."""

import traceback

import js
from pyscript import document

from ..core.expr import ExprError
from ..state.keys import browses_select
from ..state.presets import PRESETS, examples_shown, reset_key
from .dom import by_testid, clear_timer, one_line, restart_timer

DEBOUNCE_MS = 250


class Program:
    def __init__(self, page):
        self.page = page
        self.editor = by_testid("expression")
        self.error = by_testid("expression-error")
        self.examples = by_testid("preset")
        self.text_shown = None  # the text the editor last got from a load or a tuning
        self.origin = None  # the key of the example the text came from, if any
        self.browsing = False  # the Examples select shows a choice the keyboard has not made
        self.timer = None
        self.debounced = page.guard.keep(lambda: self.try_load(self.editor.value, fit=True),
                                         "expression-error")

    def start(self):
        listen = self.page.guard.listen
        for key, (title, _) in PRESETS.items():
            option = document.createElement("option")
            option.value = key
            option.textContent = title
            self.examples.appendChild(option)
        listen(self.editor, "input", self.on_input, "expression-error")
        listen(self.editor, "keydown", self.on_editor_key, "expression-error")
        listen(self.examples, "change", self.on_preset, "expression-error")
        listen(self.examples, "keydown", self.on_preset_key, "expression-error")
        listen(self.examples, "blur", lambda e: self.show_examples())
        # a pointer opens the list, whose own commit chooses
        listen(self.examples, "pointerdown", lambda e: setattr(self, "browsing", False))
        listen(by_testid("reset-example"), "click", lambda e: self.on_reset_text(),
               "expression-error")

    # drawing a program -----------------------------------------------------------------

    def try_load(self, text, fit=False, elsewhere=False, collapsed=None):
        """Parse and draw `text`; on a bad expression, or a graph that could not be drawn,
        show why and keep what is on screen.

        A program from `elsewhere` (an example, a sample, a link) leaves edit mode and
        opens with its groups; `collapsed` names the groups drawn collapsed.
        """
        page = self.page
        if text == page.session.text:
            self.clear_error()  # back to the text on screen, which is valid
            if elsewhere and page.canvas.editing:
                page.editing.set_editing(False)
            if collapsed is not None:
                page.refresh("groups", view=page.session.set_collapsed(collapsed), fit=fit)
            self.show_examples()
            return True
        try:
            self.draw(text, fit, elsewhere=elsewhere, collapsed=collapsed)
        except ExprError as error:
            self.show_error(error)
            self.show_examples()
            return False
        except Exception as error:
            js.console.error(traceback.format_exc())
            page.messages.say("expression-error",
                              f"This graph could not be drawn: {one_line(error)}")
            self.editor.setAttribute("aria-invalid", "true")
            return False
        self.clear_error()
        return True

    def draw(self, text, fit, record=True, elsewhere=False, collapsed=None):
        """Parse, lay out and draw `text` (ExprError when it does not parse). If anything
        on the way fails, the state and the picture go back to what they were."""
        page = self.page
        kept = (vars(page.session).copy(), page.canvas.kept(), self.text_shown)
        try:
            page.canvas_view.measure()
            view = page.session.load(text, collapsed)
            page.editing.loaded(record, elsewhere)
            self.text_shown = text
            page.refresh("program", view=view, fit=fit)
        except ExprError:
            raise  # nothing changed: parse comes first
        except Exception:
            self.put_back(kept)
            raise

    def put_back(self, kept):
        session, canvas, self.text_shown = kept
        page = self.page
        vars(page.session).update(session)
        page.canvas.put_back(canvas)
        try:  # the picture of that state, if a part of the new one got through
            page.refresh("restored")
        except Exception:
            js.console.error(traceback.format_exc())

    def use_text(self, text, origin=None):
        """Opens a program from elsewhere: example `origin`'s, or a sample's (None)."""
        self.cancel_redraw()
        self.editor.value = text
        before, self.origin = self.origin, origin
        if not self.try_load(text, fit=True, elsewhere=True):
            self.origin = before  # what is on screen still came from there
            self.show_examples()

    # the editor --------------------------------------------------------------------------

    def show_text(self, own=False):
        """The editor shows the session's text: always when the canvas wrote it (`own`),
        else only if the user has not typed something not drawn yet."""
        text = self.page.session.text
        text = "" if text is None else text
        if own or self.editor.value == self.text_shown:
            if own:
                self.cancel_redraw()
                self.clear_error()
            if self.editor.value != text:
                self.editor.value = text
        self.text_shown = text

    @property
    def undrawn(self):
        """True while the editor holds text the canvas does not show yet."""
        return self.editor.value != self.text_shown

    def clear_error(self):
        self.error.hidden = True
        self.error.textContent = ""
        self.editor.removeAttribute("aria-invalid")

    def show_error(self, error):
        self.error.textContent = f"Line {error.line}, column {error.col}: {error.message}"
        self.error.dataset.line = str(error.line)
        self.error.dataset.col = str(error.col)
        self.error.hidden = False
        self.editor.setAttribute("aria-invalid", "true")

    def on_input(self, event):
        self.timer = restart_timer(self.timer, self.debounced, DEBOUNCE_MS)
        self.show_examples()

    def cancel_redraw(self):
        """Drops the debounced redraw of what is being typed (the text is drawn now)."""
        self.timer = clear_timer(self.timer)

    def on_editor_key(self, event):
        if event.key == "Enter" and (event.ctrlKey or event.metaKey):
            event.preventDefault()
            self.cancel_redraw()
            self.try_load(self.editor.value, fit=True)

    # the examples ------------------------------------------------------------------------

    def show_examples(self):
        """The Examples select shows the example the text came from, "(edited)" once the
        text changed, and Reset text says what it brings back."""
        self.browsing = False
        value, label = examples_shown(self.origin, self.editor.value)
        self.examples.options.item(0).textContent = label
        self.examples.value = value
        by_testid("reset-example").title = \
            f"Reset the text to the example it came from: {PRESETS[reset_key(self.origin)][0]}"

    def on_reset_text(self):
        key = reset_key(self.origin)
        self.use_text(PRESETS[key][1], key)

    def on_preset_key(self, event):
        if event.key == "Enter":
            event.preventDefault()
            self.choose_example(event.target.value)
        elif event.key == "Escape":
            self.show_examples()
        else:
            # Arrows only move the choice (Chromium fires `change` for each); Enter, or the
            # opened list's own commit, chooses.
            self.browsing = browses_select(event.key, event.altKey)

    def on_preset(self, event):
        if not self.browsing:
            self.choose_example(event.target.value)

    def choose_example(self, key):
        if key in PRESETS and not (key == self.origin and self.editor.value == PRESETS[key][1]):
            self.use_text(PRESETS[key][1], key)
        else:
            self.show_examples()
