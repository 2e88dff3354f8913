"""Edit graph: building the program by hand on the canvas (the palette, connecting,
deleting, renaming, moving), Tidy, New graph, and undo/redo of programs and edits."""

import json

from pyscript import document

from ..state.canvas_edit import EditRefused
from ..core.ops import OP_TITLES, PALETTE
from ..state.keys import undo_is_the_pages
from .dom import by_testid

ADD_AT = (100, 20)  # a new node's top-left corner from the point it is added at


class Editing:
    def __init__(self, page):
        self.page = page
        self.canvas = page.canvas  # the editable model and the undo history
        self.editing_shown = None

    def start(self):
        page = self.page

        def listen(element, event, handler):  # failures are told at the edit message
            page.guard.listen(element, event, handler, "edit-message")

        palette = by_testid("edit-palette")
        for symbol in PALETTE:
            button = document.createElement("button")
            button.type = "button"
            button.dataset.testid = f"add-op-{symbol}"
            button.dataset.op = symbol
            button.textContent = symbol
            button.title = f"Add a {OP_TITLES.get(symbol, symbol)} operator"
            palette.appendChild(button)
        listen(palette, "click", self.on_palette)
        listen(by_testid("new-graph"), "click", lambda e: self.on_new_graph())
        listen(by_testid("edit-mode"), "click", lambda e: self.set_editing(not self.canvas.editing))
        listen(by_testid("add-input"), "click",
               lambda e: self.edit(lambda: self.canvas.add_input(near=self.spot())))
        listen(by_testid("tidy"), "click", lambda e: self.on_tidy())
        listen(by_testid("undo"), "click", lambda e: self.undo_redo(redo=False))
        listen(by_testid("redo"), "click", lambda e: self.undo_redo(redo=True))
        page.canvas_view.view.setEditHandler(page.guard.keep(self.on_canvas_edit,
                                                             "edit-message"))

    # the mode ----------------------------------------------------------------------------

    def set_editing(self, on):
        """Edit mode on or off. Off, a program with groups is drawn as before edit mode:
        its boxes and frames, collapsed as they were (a new layout, so fitted)."""
        self.canvas.editing = on
        self.hide_message()
        self.page.refresh("mode", fit=bool(self.page.session.tree))
        if on:
            self.canvas.remember_positions(self.page.session.text)

    def loaded(self, record, elsewhere):
        """A text was drawn: the model follows it (a program from elsewhere leaves edit mode)."""
        self.canvas.text_loaded(self.page.session, record, elsewhere)

    def relay_out(self, draw):
        """A new layout (`draw` draws it): what the user placed by hand is tidied, and the
        places the layout gives are kept in the history's entry."""
        placed = self.canvas.shows(self.page.session)
        if placed:
            self.canvas.tidy()
        draw()
        if placed:
            self.canvas.remember_positions(self.page.session.text)

    def follow_tuning(self):
        """An input's number was set: the model takes it (a step of the history), and the
        canvas being edited computes the statements the output does not use yet too."""
        self.canvas.tuned(self.page.session)
        if self.canvas.shows(self.page.session):
            self.page.canvas_view.show_graph()

    # gestures ----------------------------------------------------------------------------

    def on_new_graph(self):
        self.canvas.new_graph()
        self.hide_message()
        self.draw_model()

    def on_tidy(self):
        self.relay_out(lambda: self.page.refresh("layout", fit=True))

    def on_palette(self, event):
        button = event.target.closest("button")
        if button is not None and button.dataset.op:
            self.edit(lambda: self.canvas.add_op(button.dataset.op, near=self.spot()))

    def spot(self):
        """Where a node added from the toolbar goes: near the middle of the view."""
        x, y = json.loads(self.page.canvas_view.view.viewCenter())
        return [x - ADD_AT[0], y - ADD_AT[1]]

    def on_canvas_edit(self, kind, detail):
        """A gesture on the canvas in edit mode; returns why it was refused, or ''."""
        detail = json.loads(detail)
        canvas = self.canvas
        if kind == "move":
            for moved in detail["moves"]:
                canvas.move(moved["id"], moved["x"], moved["y"])
            canvas.remember_positions(self.page.session.text)
            return ""
        if kind == "connect":
            return self.edit(lambda: canvas.connect(detail["source"], detail.get("sourceHandle"),
                                                    detail["target"], detail.get("targetHandle")))
        if kind == "delete":
            return self.edit(lambda: canvas.delete(detail["nodes"], detail["edges"]))
        if kind == "add-input":
            # centred on the double-click
            return self.edit(lambda: canvas.add_input((detail["x"] - ADD_AT[0],
                                                       detail["y"] - ADD_AT[1])))
        key = canvas.value_key(detail.get("id"))
        if key is None:
            return ""
        if kind == "rename":
            return self.edit(lambda: canvas.model.rename(key, detail["name"]))
        if kind == "make-output":
            return self.edit(lambda: canvas.model.make_output(key))
        return ""

    def edit(self, action):
        """Runs a canvas edit and draws its program; a refusal is shown and changes nothing."""
        try:
            action()
        except EditRefused as refusal:
            self.show_message(str(refusal))
            return str(refusal)
        self.hide_message()
        self.draw_model()
        return ""

    def draw_model(self, record=True):
        """Draws the canvas's program, and writes it into the editor."""
        page = self.page
        text = self.canvas.model.to_text()
        if text == page.session.text:
            page.program.show_text(own=True)
            page.refresh("canvas-layout")
        else:
            page.session.load(text)
            page.session.finish()  # a built graph shows its gradients at once
            page.refresh("canvas-program")
        if record:
            self.canvas.record(text)
            self.show_history()

    # undo --------------------------------------------------------------------------------

    def on_undo_key(self, event, redo):
        if undo_is_the_pages(event.target.tagName, self.canvas.editing,
                             self.page.program.undrawn):
            event.preventDefault()
            self.undo_redo(redo)

    def undo_redo(self, redo):
        restored = self.canvas.redo() if redo else self.canvas.undo()
        if restored is None:
            return
        text, from_canvas = restored
        self.hide_message()
        if from_canvas:
            self.draw_model(record=False)
        else:
            program = self.page.program
            program.cancel_redraw()
            program.editor.value = text
            program.clear_error()
            program.draw(text, fit=False, record=False)
        self.show_history()

    # what the tools show (the refresh's parts) -----------------------------------------

    def show(self):
        on = self.canvas.editing
        if on == self.editing_shown:
            return
        self.editing_shown = on
        by_testid("edit-mode").setAttribute("aria-pressed", "true" if on else "false")
        by_testid("edit-tools").hidden = not on
        self.page.canvas_view.view.setEditing(on)

    def show_history(self):
        history = self.canvas.history
        by_testid("undo").disabled = not history.can_undo
        by_testid("redo").disabled = not history.can_redo

    def show_message(self, message):
        box = by_testid("edit-message")
        # Not capitalised here: a message may start with a name, and names are case-sensitive.
        box.textContent = message + ("" if message.endswith(".") else ".")
        box.hidden = False

    def hide_message(self):
        box = by_testid("edit-message")
        box.hidden = True
        box.textContent = ""
