"""The canvas: the graph the renderer draws, its groups, its direction, Fit, and the
pictures exported from it."""

import json

from ..view.export_svg import graph_svg
from ..view.groups import group_id
from ..view.layout import DIRECTIONS
from .dom import as_json, by_testid, store, stored


class Canvas:
    def __init__(self, page, view):
        self.page = page
        self.view = view  # the renderer's mounted flow

    def start(self):
        page, listen = self.page, self.page.guard.listen
        listen(by_testid("direction"), "click", lambda e: self.on_direction())
        listen(by_testid("fit-view"), "click", lambda e: self.view.fitView())
        self.view.setGroupHandler(page.guard.keep(self.on_group))
        # All collapsed or all expanded is a new picture: fit it, as a new graph is.
        listen(by_testid("collapse-all"), "click",
               lambda e: page.refresh("groups", view=page.session.collapse_all(), fit=True))
        listen(by_testid("expand-all"), "click",
               lambda e: page.refresh("groups", view=page.session.expand_all(), fit=True))
        listen(by_testid("expand-current"), "click", lambda e: self.on_expand_current())
        listen(by_testid("export-svg"), "click", lambda e: self.if_drawn(
            lambda: self.page.renderer.download(graph_svg(self.shown_view()), "image/svg+xml",
                                                "chainrule.svg")))
        listen(by_testid("export-png"), "click", lambda e: self.on_export_png())
        chosen = stored("direction")
        if chosen in DIRECTIONS:
            page.session.set_direction(chosen)

    def measure(self):
        """Tells the session the canvas's shape, which picks a direction that suits it."""
        size = json.loads(self.view.canvasSize())
        self.page.session.canvas = tuple(size) if all(size) else None  # hidden: no shape

    # drawing (the refresh's parts) ---------------------------------------------------

    def show_graph(self, view=None, fit=False):
        page = self.page
        if page.session.view is None:
            return  # nothing was ever drawn (a first draw failed): the first paint stays
        if view is None or page.canvas.shows(page.session):
            view = self.shown_view()
        by_testid("direction").dataset.direction = page.session.direction
        if page.takeover.keeps_view(view) and fit:
            self.view.setGraph(as_json(view), False)
            self.view.reframe()
        else:
            self.view.setGraph(as_json(view), fit)
        by_testid("canvas-hint").hidden = bool(view["nodes"])
        page.messages.not_finite(page.session.notice)

    def update(self, patches):
        if patches:
            self.view.update(as_json(patches))
            self.page.messages.not_finite(self.page.session.notice)

    def regroup(self, view, fit=False):
        if view is not None:
            self.view.regroup(as_json(view), fit)

    def show_groups(self):
        page = self.page
        groups = page.session.groups
        # The canvas being edited shows every node: no boxes there.
        by_testid("group-controls").hidden = not groups or page.canvas.shows(page.session)
        by_testid("collapse-all").disabled = not groups
        by_testid("expand-all").disabled = not any(groups.values())

    def shown_view(self):
        """The view on the canvas now: the canvas editor's, or the session's."""
        page = self.page
        return page.canvas.view(page.session, page.run_dagre, page.session.direction)

    def reveal(self, ids, when_following=False):
        """Brings `ids` = [nodes, fallback nodes] into view; with `when_following`, only
        if the user has not moved the view by hand since the last Reset, Fit or graph."""
        self.view.reveal(as_json(ids), when_following)

    # the user's actions ----------------------------------------------------------------

    def on_group(self, name):
        session = self.page.session
        self.page.refresh("groups", view=session.toggle_group(name))
        if session.groups.get(name):  # collapsed: its box, smaller than its frame, in view
            self.reveal([[group_id(name)]])

    def on_expand_current(self):
        session = self.page.session
        name = session.step_group
        self.page.refresh("groups", view=session.expand_current())
        if name is not None:  # the opened frame and the step's nodes in view
            step = session.step_nodes
            self.reveal([[group_id(name), *step], step])

    def on_direction(self):
        page = self.page
        direction = "TB" if page.session.direction == "LR" else "LR"
        view = page.session.set_direction(direction)
        store("direction", direction)
        page.editing.relay_out(lambda: page.refresh("layout", view=view, fit=True))

    def if_drawn(self, action):
        if self.page.session.program is None:
            self.page.messages.toast("The program is empty: build or type one first")
        else:
            action()

    def on_export_png(self):
        if self.page.session.program is None:
            return
        done = self.page.renderer.downloadPng(graph_svg(self.shown_view()), "chainrule.png")
        done.catch(self.page.guard.once(
            lambda error: self.page.messages.toast(f"Could not make the PNG: {error}")))
