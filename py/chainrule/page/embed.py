"""For teachers: Copy embed code (an <iframe> of the state on screen, state/embed.py), and in
the embed view (?embed) the link that opens the same state in the full page, in a new tab."""

import js

from ..core.explain import display_name
from ..state.embed import embed_code, embed_title
from .dom import by_testid


class Embed:
    def __init__(self, page):
        self.page = page
        self.open_full = by_testid("open-full")

    def start(self):
        listen = self.page.guard.listen
        listen(by_testid("copy-embed"), "click",
               lambda e: self.page.canvas_view.if_drawn(self.on_copy))
        listen(self.open_full, "click", lambda e: self.on_open_full())

    def page_url(self):
        """The page's address without its query (?embed) or hash."""
        return js.location.origin + js.location.pathname

    def on_copy(self):
        page = self.page
        page.links.remember_now()
        lesson = page.lesson.state if page.lesson.open else None
        title = embed_title(display_name(page.session.program.output),
                            lesson.lesson.title if lesson is not None else None)
        page.messages.copy(embed_code(self.page_url(), js.location.hash, title), "Embed code")

    def on_open_full(self):
        """Before the browser follows the link: it points at the state on screen now."""
        self.page.links.remember_now()
        self.open_full.href = self.page_url() + js.location.hash
