"""The page's glue: the only module that touches the browser (js, pyscript, pyodide).

It forwards events to `Session` (plain Python, tested on CPython) and hands what comes
back to the renderer in one call per trip. It holds no logic worth testing on its own.
"""

import json
import sys
import traceback

import js
import pyodide
from pyodide.ffi import create_proxy
from pyscript import document, js_modules

import chainrule
from chainrule.expr import ExprError
from chainrule.presets import DEFAULT, PRESETS
from chainrule.session import Session

STORAGE_KEY = "chainrule:text"
DEBOUNCE_MS = 250
PLAY_SPEEDS_MS = {"1": 900, "2": 450, "3": 200, "4": 80}

renderer = js_modules.renderer
page = None  # the Page, once booted; kept so its proxies stay alive


def by_testid(testid):
    return document.querySelector(f'[data-testid="{testid}"]')


def as_json(value):
    # One string crosses the bridge far faster than thousands of converted dicts.
    return json.dumps(value, separators=(",", ":"))


def run_dagre(request):
    """Lays out graphlib JSON with dagre: a few bridge calls, whatever the graph's size."""
    graph = renderer.graphlibJson.read(js.JSON.parse(as_json(request)))
    renderer.dagre.layout(graph)
    return json.loads(js.JSON.stringify(renderer.graphlibJson.write(graph)))


def stored_text():
    try:
        return js.localStorage.getItem(STORAGE_KEY)
    except Exception:  # storage can be disabled; the page works without it
        return None


def store_text(text):
    try:
        js.localStorage.setItem(STORAGE_KEY, text)
    except Exception:
        pass


class Page:
    """Wires the DOM's events to the session and the session's results to the renderer."""

    def __init__(self):
        self.session = Session(run_dagre)
        self.view = renderer.mount(by_testid("canvas"))
        self.editor = by_testid("expression")
        self.error = by_testid("expression-error")
        self.explanation = by_testid("step-explanation")
        self.counter = by_testid("step-counter")
        self.buttons = {name: by_testid(name)
                        for name in ("step", "back", "play", "reset", "finish")}
        self.timer = None
        self.player = None
        self.proxies = []

    def listen(self, element, event, handler):
        proxy = create_proxy(handler)
        self.proxies.append(proxy)
        element.addEventListener(event, proxy)

    # start ---------------------------------------------------------------------

    def start(self):
        self.fill_presets()
        self.listen(self.editor, "input", self.on_input)
        self.listen(self.editor, "keydown", self.on_editor_key)
        self.listen(by_testid("preset"), "change", self.on_preset)
        self.listen(by_testid("reset-example"), "click", lambda e: self.use_text(PRESETS[DEFAULT][1]))
        self.listen(by_testid("direction"), "click", self.on_direction)
        self.listen(by_testid("fit-view"), "click", lambda e: self.view.fitView())
        for name, button in self.buttons.items():
            self.listen(button, "click", getattr(self, f"on_{name}"))
        self.listen(document, "keydown", self.on_key)
        self.listen(by_testid("speed"), "input", self.on_speed)
        text = stored_text() or PRESETS[DEFAULT][1]
        if not self.try_load(text, fit=True):
            self.editor.value = PRESETS[DEFAULT][1]
            self.try_load(PRESETS[DEFAULT][1], fit=True)
        else:
            self.editor.value = text
        for control in document.querySelectorAll("[data-needs-python]"):
            control.disabled = False

    def fill_presets(self):
        select = by_testid("preset")
        for key, (title, _) in PRESETS.items():
            option = document.createElement("option")
            option.value = key
            option.textContent = title
            select.appendChild(option)

    # the expression ------------------------------------------------------------

    def try_load(self, text, fit=False):
        """Parse and draw `text`; on a bad expression show why and keep what is on screen."""
        if text == self.session.text:
            self.clear_error()  # back to the text on screen, which is valid
            return True
        try:
            view = self.session.load(text)
        except ExprError as error:
            self.show_error(error)
            return False
        self.clear_error()
        self.stop_playing()
        self.view.setGraph(as_json(view), fit)
        store_text(text)
        self.show_step()
        return True

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

    def use_text(self, text):
        self.editor.value = text
        self.try_load(text, fit=True)

    def on_input(self, event):
        if self.timer is not None:
            js.clearTimeout(self.timer)
        self.timer = js.setTimeout(self.debounced, DEBOUNCE_MS)

    @property
    def debounced(self):
        if not hasattr(self, "_debounced"):
            self._debounced = create_proxy(lambda: self.try_load(self.editor.value, fit=True))
        return self._debounced

    def on_editor_key(self, event):
        if event.key == "Enter" and (event.ctrlKey or event.metaKey):
            event.preventDefault()
            if self.timer is not None:
                js.clearTimeout(self.timer)
            self.try_load(self.editor.value, fit=True)

    def on_preset(self, event):
        key = event.target.value
        if key in PRESETS:
            self.use_text(PRESETS[key][1])
        event.target.value = ""

    def on_direction(self, event):
        direction = "TB" if self.session.direction == "LR" else "LR"
        view = self.session.set_direction(direction)
        by_testid("direction").dataset.direction = direction
        self.view.setGraph(as_json(view), True)

    # stepping ------------------------------------------------------------------

    def apply(self, patches):
        if patches:
            self.view.update(as_json(patches))
        self.show_step()

    def on_step(self, event=None):
        self.apply(self.session.step())
        if self.session.at_end:
            self.stop_playing()

    def on_back(self, event=None):
        self.stop_playing()
        self.apply(self.session.back())

    def on_reset(self, event=None):
        self.stop_playing()
        self.apply(self.session.reset())

    def on_finish(self, event=None):
        self.stop_playing()
        self.apply(self.session.finish())

    def on_play(self, event=None):
        if self.player is not None:
            self.stop_playing()
            return
        if self.session.at_end:
            self.apply(self.session.reset())
        self.player = js.setInterval(self.tick, self.play_interval())
        self.buttons["play"].dataset.playing = "true"
        self.buttons["play"].textContent = "⏸ Pause"
        self.show_step()

    @property
    def tick(self):
        if not hasattr(self, "_tick"):
            self._tick = create_proxy(lambda: self.on_step())
        return self._tick

    def play_interval(self):
        return PLAY_SPEEDS_MS.get(by_testid("speed").value, 450)

    def on_speed(self, event):
        if self.player is not None:
            js.clearInterval(self.player)
            self.player = js.setInterval(self.tick, self.play_interval())

    def stop_playing(self):
        if self.player is None:
            return
        js.clearInterval(self.player)
        self.player = None
        self.buttons["play"].dataset.playing = "false"
        self.buttons["play"].textContent = "▶ Play"
        self.show_step()

    def on_key(self, event):
        target = event.target
        if target.tagName in ("TEXTAREA", "INPUT", "SELECT") or event.ctrlKey or event.metaKey \
                or event.altKey:
            return
        action = {"ArrowRight": self.on_step, "ArrowLeft": self.on_back, " ": self.on_play,
                  "Home": self.on_reset, "End": self.on_finish}.get(event.key)
        if action is not None:
            event.preventDefault()
            action()

    def show_step(self):
        s = self.session
        self.counter.textContent = f"step {s.position} / {s.total}"
        playing = self.player is not None
        self.buttons["step"].disabled = s.at_end
        self.buttons["finish"].disabled = s.at_end
        self.buttons["back"].disabled = s.at_start
        self.buttons["reset"].disabled = s.at_start
        self.buttons["play"].disabled = s.total == 0 or (s.at_end and not playing)
        step = s.current
        if step is None:
            self.explanation.innerHTML = ""
            self.explanation.append(text_block(
                "explain-hint", "Press Step (→) to start backpropagation from the output."))
            return
        self.explanation.innerHTML = ""
        self.explanation.append(text_block("explain-formula", step.formula),
                                text_block("explain-rule", step.rule),
                                text_block("explain-arithmetic", step.arithmetic))


def text_block(testid, text):
    element = document.createElement("p")
    element.dataset.testid = testid
    element.textContent = text  # text, never HTML: labels come from what users type
    return element


def show_versions():
    # Not platform.python_version(): importing platform costs ~0.4 s of boot.
    python = "{}.{}.{}".format(*sys.version_info[:3])
    label = by_testid("python-version")
    label.dataset.python = python
    label.textContent = (
        f"Python {python} · Pyodide {pyodide.__version__} · chainrule {chainrule.__version__}"
    )


def boot():
    global page
    show_versions()
    page = Page()
    page.start()
    document.documentElement.dataset.state = "ready"


def show_boot_error(message):
    box = by_testid("boot-error")
    box.textContent = message
    box.hidden = False
    document.documentElement.dataset.state = "error"


def reuse_first_layout(run_dagre):
    """`run_dagre`, except that the build's own dagre request for the default example
    gets the build's answer (#first-layout, web/tools/prerender.py): the same dagre on
    the same request, so the same layout, without a cold dagre call on the boot's path."""
    first = document.getElementById("first-layout")
    if first is None:
        return run_dagre
    first = json.loads(first.textContent)
    known_request = as_json(first["request"])
    known_layout = as_json(first["layout"])

    def run_dagre_or_reuse(request):
        if as_json(request) == known_request:
            return json.loads(known_layout)
        return run_dagre(request)

    return run_dagre_or_reuse


def main():
    """Entry point of the page's <script type="py">."""
    global run_dagre
    try:
        run_dagre = reuse_first_layout(run_dagre)
        boot()
    except Exception as error:
        show_boot_error(f"Python started but the page could not: {error}")
        js.console.error(traceback.format_exc())
