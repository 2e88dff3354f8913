"""The page: boots Python's side, builds one controller per part of the page, and holds
the one refresh that every change goes through (what it redraws: state/refresh.py).

The package `chainrule.page` is the only code that touches the browser (js, pyscript,
pyodide); each controller wires its own elements to the state and the renderer.
"""

import json
import sys
import traceback

import js
import pyodide
from pyscript import document, js_modules

import chainrule
from ..state.canvas_edit import CanvasEditor
from ..state.embed import is_embed
from ..state.opening import typed_while_starting
from ..state.refresh import redraws
from ..state.session import Session
from ..view.cells import merged
from .canvas import Canvas
from .dom import Guard, as_json, by_testid
from .editing import Editing
from .embed import Embed
from .inputs import Inputs
from .lesson import Lesson
from .links import Links
from .look import Look
from .messages import Messages
from .practice import Practice
from .program import Program
from .stepping import Stepping
from .takeover import Takeover
from .training import Training

renderer = js_modules.renderer
page = None  # the Page, once booted; kept so its proxies stay alive


def run_dagre(request):
    """Lays out graphlib JSON with dagre: a few bridge calls, whatever the graph's size."""
    graph = renderer.graphlibJson.read(js.JSON.parse(as_json(request)))
    renderer.dagre.layout(graph)
    return json.loads(js.JSON.stringify(renderer.graphlibJson.write(graph)))


class Page:
    def __init__(self, run_dagre):
        self.renderer = renderer
        self.run_dagre = run_dagre
        self.session = Session(run_dagre)
        self.embedded = is_embed(js.location.search)  # ?embed: inside a teacher's page
        self.canvas = CanvasEditor()  # the program as built by hand, and undo
        self.guard = Guard(lambda place, message: self.messages.say(place, message))
        self.messages = Messages(self.guard)
        self.takeover = Takeover(self)  # first: the shell's listeners stop
        self.canvas_view = Canvas(self, renderer.mount(by_testid("canvas")))
        self.program = Program(self)
        self.links = Links(self)
        self.stepping = Stepping(self)
        self.inputs = Inputs(self)
        self.editing = Editing(self)
        self.look = Look(self)
        self.training = Training(self)
        self.practice = Practice(self)
        self.lesson = Lesson(self)
        self.embed = Embed(self)
        self.painters = {
            "stop-playing": lambda c: self.stepping.stop_playing(),
            "graph": lambda c: self.canvas_view.show_graph(c.get("view"), c.get("fit", False)),
            "patches": lambda c: self.canvas_view.update(
                merged(c.get("patches") or {}, self.practice.cell_patches(c))),
            "regroup": lambda c: self.canvas_view.regroup(c.get("view"), c.get("fit", False)),
            "editor-text": lambda c: self.program.show_text(own=True),
            "editor-follows": lambda c: self.program.show_text(own=False),
            "edit-model": lambda c: self.editing.follow_tuning(),
            "inputs": lambda c: self.inputs.show_all(),
            "input": lambda c: self.inputs.show_one(c["name"], c.get("recenter", True)),
            "tangent-inputs": lambda c: self.stepping.show_tangent_inputs(),
            "grad-check": lambda c: self.inputs.forget_grad_check(),
            "editing": lambda c: self.editing.show(),
            "groups": lambda c: self.canvas_view.show_groups(),
            "history": lambda c: self.editing.show_history(),
            "step": lambda c: self.stepping.show_step(),
            "step-later": lambda c: self.stepping.show_step_later(),
            "saved": lambda c: self.links.save(),
            "examples": lambda c: self.program.show_examples(),
            "link": lambda c: self.links.remember_now(),
            "link-soon": lambda c: self.links.remember(),
            "practice": lambda c: self.practice.follow(c),
            "lesson": lambda c: self.lesson.show(c),
        }

    def refresh(self, kind, **change):
        """Redraws what a change of `kind` makes stale; `change` holds what it brought:
        view, fit, patches, name (of a tuned input), recenter, move (which step control)."""
        change["kind"] = kind
        for part in redraws(kind):
            self.painters[part](change)

    def start(self):
        for controller in (self.canvas_view, self.program, self.links, self.stepping,
                           self.inputs, self.editing, self.look, self.training, self.practice,
                           self.lesson, self.embed):
            controller.start()
        typed = typed_while_starting(self.program.editor.value,
                                     self.program.editor.defaultValue)
        if not self.links.open_link():
            self.links.open_saved()
            self.lesson.open_saved()
        if typed is not None:
            self.program.use_text(typed)
        self.takeover.finish()
        for control in document.querySelectorAll("[data-needs-python]"):
            control.disabled = False


def show_versions():
    # Not platform.python_version(): importing platform costs ~0.4 s of boot.
    python = "{}.{}.{}".format(*sys.version_info[:3])
    label = by_testid("python-version")
    label.dataset.python = python
    label.textContent = (
        f"Python {python} · Pyodide {pyodide.__version__} · chainrule {chainrule.__version__}"
    )


def show_boot_error(message):
    box = by_testid("boot-error")
    box.textContent = message
    box.hidden = False
    document.documentElement.dataset.state = "error"


def reuse_first_layout(run_dagre):
    """`run_dagre`, except that the build's own dagre requests for the default example (one
    per direction) get the build's answers (#first-layout, web/tools/prerender.py): the
    same dagre on the same request, so the same layout, without cold dagre calls on the
    boot's path."""
    first = document.getElementById("first-layout")
    if first is None:
        return run_dagre
    known = {as_json(entry["request"]): as_json(entry["layout"])
             for entry in json.loads(first.textContent)}

    def run_dagre_or_reuse(request):
        layout = known.get(as_json(request))
        return json.loads(layout) if layout is not None else run_dagre(request)

    return run_dagre_or_reuse


def main():
    """Entry point of the page's <script type="py">."""
    global page
    try:
        show_versions()
        page = Page(reuse_first_layout(run_dagre))
        page.start()
        document.documentElement.dataset.state = "ready"
    except Exception as error:
        show_boot_error(f"Python started but the page could not: {error}")
        js.console.error(traceback.format_exc())
