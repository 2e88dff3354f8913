"""The page's look: the colour theme, the side panel folded to a rail, the shortcuts
dialog. None of it needs the program."""

import js
from pyscript import document

from ..state.look import known_theme, next_theme, panel_button, theme_button, toggled_panel
from .dom import by_testid, store

WIDE_WINDOW = "(min-width: 900px)"  # the Inputs panel starts open from here up


class Look:
    def __init__(self, page):
        self.page = page
        self.root = document.documentElement

    def start(self):
        listen = self.page.guard.listen
        listen(by_testid("theme"), "click", lambda e: self.on_theme())
        listen(by_testid("panel-toggle"), "click", lambda e: self.on_panel())
        listen(by_testid("shortcuts-button"), "click", lambda e: self.on_shortcuts())
        self.show_theme()
        self.show_panel()
        if not js.matchMedia(WIDE_WINDOW).matches:
            by_testid("inputs").open = False

    def on_theme(self):
        self.root.dataset.theme = next_theme(self.root.dataset.theme)
        store("theme", self.root.dataset.theme)
        self.show_theme()

    def show_theme(self):
        theme = known_theme(self.root.dataset.theme)
        if theme != self.root.dataset.theme:  # e.g. a value edited by hand into storage
            self.root.dataset.theme = theme
        set_attributes(by_testid("theme"), theme_button(theme))

    def on_panel(self):
        """Folds the left panel to a rail, or opens it again; remembered."""
        self.root.dataset.panel = toggled_panel(self.root.dataset.panel)
        store("panel", self.root.dataset.panel)
        self.show_panel()
        self.page.canvas_view.view.reframe()

    def show_panel(self):
        set_attributes(by_testid("panel-toggle"), panel_button(self.root.dataset.panel))

    def on_shortcuts(self):
        dialog = by_testid("shortcuts")
        if dialog.open:
            dialog.close()
        else:
            dialog.showModal()


def set_attributes(element, attributes):
    for name, text in attributes.items():
        if name in ("textContent", "title"):
            setattr(element, name, text)
        else:
            element.setAttribute(name, text)
