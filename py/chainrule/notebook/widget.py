"""The anywidget host: traitlets of plain JSON synced to the renderer's ES module.

`graph` is a whole view (new layout) as JSON text, which the renderer's setGraph reads
as it is: ipywidgets would otherwise walk the 2,000 nodes' dicts for binary buffers, and
the widget turn them back into text. `patch` is the cell patches of one action, `redraw`
how to draw the next graph, `state` the controls and explanation. An action crosses once
each way: one message from the widget, and what changed sent in one message back
(hold_sync).
"""

import pathlib

import anywidget
import traitlets

from ..view.wire import dumps
from .controller import Controller

STATIC = pathlib.Path(__file__).parent / "static"


ESM, CSS = STATIC / "widget.js", STATIC / "widget.css"


class GraphWidget(anywidget.AnyWidget):
    """The compute graph of one Value, stepped and tuned in the notebook."""

    _esm = ESM  # read by anywidget when the class is made, if `make build` has run
    _css = CSS
    graph = traitlets.Unicode().tag(sync=True)
    redraw = traitlets.Unicode("fit").tag(sync=True)  # fit, keep (the viewport) or regroup
    patch = traitlets.Dict().tag(sync=True)
    state = traitlets.Dict().tag(sync=True)
    height = traitlets.Int(480).tag(sync=True)

    def __init__(self, converted, direction="LR", write_grads=False, height=480):
        if not (ESM.is_file() and CSS.is_file()):
            raise RuntimeError(f"chainrule's notebook widget is not built ({ESM.parent} has no "
                               f"widget.js and widget.css): run `make build` in the chainrule "
                               f"checkout, or install chainrule from a wheel")
        self._controller = Controller(converted, direction, write_grads)
        self._patches = 0
        self._patched = False  # the graph text's cells are older than the last patch
        super().__init__(graph=_text(self._controller.view), state=self._controller.state(),
                         height=height)
        self.on_msg(self._on_message)

    # the learner's side ---------------------------------------------------------

    @property
    def session(self):
        """The Session behind the widget: its program, order, steps and grads."""
        return self._controller.session

    @property
    def position(self):
        return self.session.position

    @property
    def total(self):
        return self.session.total

    def step(self):
        """One chain-rule contribution, as the Step button."""
        self._act({"action": "step"})

    def back(self):
        self._act({"action": "back"})

    def finish(self):
        """Every remaining step: all grads known."""
        self._act({"action": "finish"})

    def reset(self):
        """Back to before the first step."""
        self._act({"action": "reset"})

    def tune(self, name, value):
        """Set input `name` to `value` and run the forward pass again."""
        if name not in dict(self.session.inputs):
            raise KeyError(f"no input named {name!r}; the inputs are "
                           f"{', '.join(n for n, _ in self.session.inputs) or 'none'}")
        self._act({"action": "input", "kind": "commit", "name": name, "text": repr(float(value))})
        if self._controller.message:
            raise ValueError(self._controller.message)

    @property
    def grads(self):
        """{label: grad} of the labelled values whose grads the steps so far have set."""
        s = self.session
        return {v.label: v.grad for v in s.order if v.label and v in s.received}

    # the widget's side ----------------------------------------------------------

    def _on_message(self, _widget, content, _buffers):
        if isinstance(content, dict) and content.get("action") == "ready":
            self._catch_up()
        else:
            self._act(content)

    def _catch_up(self):
        """A new view drew the graph text: if steps came after it, every view gets the
        graph as it is now (keeping its viewport)."""
        if self._patched:
            with self.hold_sync():
                self.redraw = "keep"
                self.graph = _text(self._controller.view)
            self._patched = False

    def get_state(self, key=None, drop_defaults=False):
        # The whole state, for a front end that connects later (a reloaded notebook):
        # the graph with the cells as they are now.
        if key is None and self._patched:
            self._trait_values["graph"] = _text(self._controller.view)  # not sent on its own
            self._patched = False
        return super().get_state(key, drop_defaults)

    def _act(self, message):
        controller = self._controller
        view, patches = controller.act(message)
        if patches:
            cells = controller.view["cells"]
            for node_id, patch in patches.items():
                cells.setdefault(node_id, {}).update(patch)
            self._patched = True
        with self.hold_sync():
            if view is not None:
                self.redraw = "regroup"
                self.graph = _text(view)
                self._patched = False
            if patches:
                self._patches += 1
                self.patch = {"n": self._patches, "cells": patches}
            self.state = controller.state()
        controller.write_back()


def _text(view):
    """{nodes, edges, cells} as strict JSON (a non-finite number crosses as text)."""
    return dumps({"nodes": view["nodes"], "edges": view["edges"], "cells": view["cells"]})
