"""The step bar: Step, Back, Reset, Finish and Play, the forward pass and forward mode's
input, the counter and the explanation; and the page's keyboard shortcuts."""

import js

from ..state.keys import focus_kind, shortcut
from ..state.step_controls import (PLAY_LABELS, PLAY_SPEEDS_MS, disabled_controls,
                                   explanation_html, follows_again, move, start_playing,
                                   sweep_counts_text, tangent_options_html)
from .dom import by_testid, restart_timer

EXPLAIN_DELAY_MS = 150  # a drag with live grads: the step's explanation once it pauses


class Stepping:
    CONTROLS = ("step", "back", "play", "reset", "finish")

    def __init__(self, page):
        self.page = page
        self.explanation = by_testid("step-explanation")
        self.counter = by_testid("step-counter")
        self.tangent_select = by_testid("tangent-input")
        self.tangent_names = None  # the inputs the select offers
        self.buttons = {name: by_testid(name) for name in self.CONTROLS}
        self.controls = {**self.buttons, "expand-current": by_testid("expand-current")}
        self.disabled_shown = {}  # step control -> the `disabled` the page last got from us
        self.player = None
        self.tick = page.guard.keep(lambda: self.on_step("play"), self.failed_playing)
        self.explain_timer = None
        self.explain_later = page.guard.keep(lambda: self.show_step())

    def start(self):
        listen = self.page.guard.listen
        for name, button in self.buttons.items():
            listen(button, "click", lambda e, name=name: self.do(name))
        listen(js.document, "keydown", self.on_key)
        listen(by_testid("speed"), "input", lambda e: self.on_speed())
        listen(by_testid("forward-pass"), "click", lambda e: self.do("forward-pass"))
        listen(self.tangent_select, "change", lambda e: self.on_tangent_input())

    def failed_playing(self, message):
        """A failure in a step of Play: playing stops (the next tick would fail again)."""
        self.stop_playing()
        self.page.messages.toast(message)

    # moving through the passes ---------------------------------------------------------

    def do(self, action):
        """Step, Back, Reset, Finish, Play or the forward pass, from a button or a key."""
        if action == "play":
            self.on_play()
        elif action == "step":
            self.on_step()
        else:
            self.stop_playing()
            s = self.page.session
            if action == "forward-pass":
                self.page.refresh("pass", patches=s.start_forward_pass())
                return
            self.page.refresh("step", patches=move(s, action), move=action)
            if follows_again(action):
                self.page.canvas_view.view.followAgain()

    def on_step(self, how="step"):
        """One step; `how` is "play" when Play takes it (practice asks only on a Step)."""
        self.page.refresh("step", patches=move(self.page.session, "step"), move=how)
        if self.page.session.at_end:
            self.stop_playing()

    def on_tangent_input(self):
        self.page.refresh("pass",
                          patches=self.page.session.set_tangent_input(self.tangent_select.value))

    # Play -------------------------------------------------------------------------------

    def on_play(self):
        if self.player is not None:
            self.stop_playing()
            return
        restart = start_playing(self.page.session)
        if restart is not None:
            self.page.refresh("step", patches=restart, move="reset")
        self.player = js.setInterval(self.tick, self.play_interval())
        self.buttons["play"].dataset.playing = "true"
        self.buttons["play"].textContent = PLAY_LABELS["pause"]
        self.show_step()

    def play_interval(self):
        return PLAY_SPEEDS_MS.get(by_testid("speed").value, 450)

    def on_speed(self):
        if self.player is not None:
            js.clearInterval(self.player)
            self.player = js.setInterval(self.tick, self.play_interval())

    def stop_playing(self):
        if self.player is None:
            return
        js.clearInterval(self.player)
        self.player = None
        self.buttons["play"].dataset.playing = "false"
        self.buttons["play"].textContent = PLAY_LABELS["play"]
        self.show_step()

    # what the bar shows (the refresh's parts) -----------------------------------------

    def show_step(self):
        s = self.page.session
        self.counter.textContent = s.counter
        self.counter.dataset.phase = s.phase
        for name, disabled in disabled_controls(s, self.player is not None).items():
            if self.disabled_shown.get(name) != disabled:  # only what changed: a step is 5 ms
                self.controls[name].disabled = disabled
                self.disabled_shown[name] = disabled
        # one bridge call for the lot
        self.explanation.innerHTML = explanation_html(s, self.page.practice.state)

    def show_step_later(self):
        """The explanation once a drag pauses: its numbers are replayed then."""
        if self.page.session.replay_pending:
            self.explain_timer = restart_timer(self.explain_timer, self.explain_later,
                                               EXPLAIN_DELAY_MS)
        else:
            self.show_step()

    def show_tangent_inputs(self):
        """Forward mode's select (off, then each input; rebuilt only when the inputs
        change) and the sweep counts."""
        s = self.page.session
        names = [name for name, _ in s.inputs]
        if names != self.tangent_names:
            self.tangent_select.innerHTML = tangent_options_html(names)
            self.tangent_names = names
        self.tangent_select.value = s.tangent_input
        self.tangent_select.disabled = not names
        counts = by_testid("sweep-counts")
        text = sweep_counts_text(s)
        if counts.textContent != text:  # new text lays out the page: only when it changes
            counts.textContent = text

    # the keyboard -----------------------------------------------------------------------

    def on_key(self, event):
        target = event.target
        focus = focus_kind(target.tagName, target.getAttribute("role"),
                           bool(getattr(target, "isContentEditable", False)),  # not on SVG
                           target.closest('[data-testid="canvas"]') is not None)
        action = shortcut(event.key, focus, event.ctrlKey, event.metaKey, event.altKey,
                          event.shiftKey)
        if action in ("undo", "redo"):
            self.page.editing.on_undo_key(event, redo=action == "redo")
            return
        page = self.page
        handler = {"expand-current": page.canvas_view.on_expand_current,
                   "panel": page.look.on_panel, "shortcuts": page.look.on_shortcuts,
                   "practice": lambda: page.practice.set(not page.practice.state.on),
                   }.get(action)
        if handler is None and action in (*self.CONTROLS, "forward-pass"):
            handler = lambda: self.do(action)  # noqa: E731
        if handler is not None:
            event.preventDefault()
            handler()
