"""What the page opens and keeps: a link in the URL, the text saved in this browser, the
URL's hash written as the state changes (so the address is always a share), Share and the
scripts copied to the clipboard."""

import json

import js

from ..core.expr import ExprError
from ..state.lesson_position import LessonPosition
from ..state.opening import link_notices, link_origin, link_to_open, saved_choices
from ..state.scripts import python_script, pytorch_script
from ..state.share import SharedState, encode
from .dom import by_testid, clear_timer, restart_timer, store, stored

HASH_DELAY_MS = 200


class Links:
    def __init__(self, page):
        self.page = page
        self.hash_shown = None  # the URL hash the page last wrote
        self.hash_timer = None
        self.write_hash = page.guard.keep(lambda: self.remember_now())

    def start(self):
        page, listen = self.page, self.page.guard.listen
        listen(js.window, "hashchange", lambda e: self.open_link(), "expression-error")
        listen(by_testid("share"), "click", lambda e: self.on_share())
        listen(by_testid("copy-pytorch"), "click", lambda e: page.canvas_view.if_drawn(
            lambda: page.messages.copy(pytorch_script(page.session.program,
                                                      page.session.tangent_input),
                                       "PyTorch script")))
        listen(by_testid("copy-python"), "click", lambda e: page.canvas_view.if_drawn(
            lambda: page.messages.copy(python_script(page.session.program), "Python script")))

    # opening -------------------------------------------------------------------------

    def open_link(self):
        """The state in the URL's hash, if it holds one; False if there is nothing to open
        (state/opening.py says what happens to a damaged link or a bad program)."""
        page = self.page
        state, notice = link_to_open(js.location.hash, self.hash_shown)
        if notice:
            page.messages.notice(notice)
        if state is None:
            return False
        page.messages.hide_notice()
        s = page.session
        if state.direction is not None and (state.direction != s.direction
                                            or not s.direction_chosen):
            s.set_direction(state.direction)  # the link's direction was chosen: it sticks
            s.text = None  # lay out again, in the link's direction
        program = page.program
        program.editor.value = state.text
        program.origin = link_origin(state)
        if not program.try_load(state.text, fit=True, elsewhere=True,
                                collapsed=state.collapsed):
            if s.program is None:  # booting: draw something that works
                self.draw_saved()
            program.show_examples()
            return True
        try:
            page.refresh("pass", patches=s.restore(state.step, state.forward, state.tangent,
                                                   state.tangent_step))
            tangent_known = True
        except KeyError:
            tangent_known = False
        for notice in link_notices(state, s.total, tangent_known):
            page.messages.notice(notice)
        page.practice.set(state.practice)
        page.lesson.from_link(state)
        return True

    def open_saved(self):
        """The text saved in this browser, or the default example, in the editor too."""
        self.page.program.editor.value = self.draw_saved()
        self.page.program.show_examples()

    def draw_saved(self):
        """Draws the saved text (its groups collapsed as they were), or the default example
        if there is none or it does not parse (any more); returns the text drawn."""
        program = self.page.program
        for text, origin, collapsed in saved_choices(stored("text"), stored("example"),
                                                     stored("collapsed")):
            program.origin = origin
            try:
                program.draw(text, fit=True, collapsed=collapsed)
                return text
            except ExprError:
                continue
        raise AssertionError("the default example always parses")

    # keeping -------------------------------------------------------------------------

    def save(self):
        """The text on screen, its collapsed groups and its example, for the next visit
        (not from the embed view: a teacher's page must not change what the reader left)."""
        if self.page.embedded:
            return
        s = self.page.session
        store("text", s.text if s.text is not None else "")
        store("collapsed", json.dumps(sorted(s.collapsed) if s.tree else None))
        store("example", self.page.program.origin or "")

    def remember(self):
        """Puts the state in the URL's hash soon (no new history entry), so the link is a
        share: replaceState is too slow for every step. New text is written at once
        (`remember_now`): a reload must never bring back old text."""
        self.hash_timer = restart_timer(self.hash_timer, self.write_hash, HASH_DELAY_MS)

    def remember_now(self):
        self.hash_timer = clear_timer(self.hash_timer)
        s = self.page.session
        if s.program is None:  # an empty program: no link to keep
            self.hash_shown = None
            js.history.replaceState(None, "", js.location.pathname + js.location.search)
            return
        step, forward, tangent, tangent_step = s.where()
        direction = s.direction if s.direction_chosen else None  # else the reader's canvas picks
        lesson = self.page.lesson.position() or LessonPosition(step=0)
        self.hash_shown = encode(SharedState(
            s.text, direction, step, forward, tangent, tangent_step,
            collapsed=s.shared_collapsed, example=self.page.program.origin,
            practice=self.page.practice.state.on, lesson=lesson.key,
            lesson_text=lesson.text, lesson_step=lesson.step))
        js.history.replaceState(None, "", self.hash_shown)

    def on_share(self):
        self.remember_now()
        self.page.messages.copy(js.location.href, "Link")
