"""One line for the user: the toast, the notice above the canvas, a message line by its
testid, the line counting values that are not finite; and the clipboard, which answers
with a toast."""

import js

from .dom import by_testid, restart_timer

TOAST_MS = 2500


class Messages:
    def __init__(self, guard):
        self.guard = guard
        self.toast_timer = None
        self.not_finite_shown = ""
        self.hide_toast = guard.keep(lambda: setattr(by_testid("toast"), "hidden", True))

    def say(self, place, message):
        """`message` at `place`: the toast, or a message line by its testid."""
        if place == "toast":
            self.toast(message)
            return
        box = by_testid(place)
        box.textContent = message
        box.hidden = False

    def toast(self, message):
        box = by_testid("toast")
        box.textContent = message
        box.hidden = False
        self.toast_timer = restart_timer(self.toast_timer, self.hide_toast, TOAST_MS)

    def notice(self, message):
        box = by_testid("notice")
        box.textContent = message  # text, never HTML: it may quote a link
        box.hidden = False

    def hide_notice(self):
        by_testid("notice").hidden = True

    def not_finite(self, text):
        """The line above the canvas that counts the values that are not finite."""
        if text != self.not_finite_shown:
            box = by_testid("not-finite")
            box.textContent = text
            box.hidden = not text
            self.not_finite_shown = text

    def copy(self, text, what):
        def copied(_=None):
            self.toast(f"{what} copied to the clipboard")

        def refused(_=None):
            self.toast(f"Could not copy the {what.lower()}: the browser refused the clipboard")

        try:
            js.navigator.clipboard.writeText(text).then(self.guard.once(copied),
                                                        self.guard.once(refused))
        except Exception:  # no clipboard API at all (an insecure origin)
            refused()
