"""The page's glue: the only module that touches the browser (js, pyscript, pyodide).

It forwards events to `Session` (plain Python, tested on CPython) and hands what comes
back to the renderer in one call per trip. It holds no logic worth testing on its own.
"""

import copy
import json
import sys
import traceback
from html import escape

import js
import pyodide
from pyodide.ffi import create_once_callable, create_proxy
from pyscript import document, js_modules

import chainrule
from ..state.canvas_edit import CanvasEditor, EditRefused
from ..state.canvas_program import OP_TITLES, PALETTE
from ..view.export_svg import graph_svg
from ..core.expr import MAX_SOURCE_CHARS, ExprError
from ..core.gradcheck import gradient_check
from ..view.gradcheck_report import report_html
from ..view.groups import group_id
from ..state.inputs_panel import needs_filter, panel_html, slider_attributes
from ..state.keys import browses_select, focus_kind, shortcut
from ..train.plots import boundary_svg, fit_svg, loss_svg
from ..view.layout import DIRECTIONS
from ..state.presets import DEFAULT, PRESETS, example_of, examples_shown, reset_key
from ..state.scripts import python_script, pytorch_script
from ..state.session import Session
from ..core.step_text import step_blocks
from ..state.share import SharedState, ShareError, decode, encode, is_shared
from ..train.form import FormError, for_dataset, read_config, read_sample, rebuilds
from ..train.trainer import TrainConfig, Trainer
from ..train.runs import TrainingRun, stop_reason, summary
from ..core.numbers import InputError, literal_text, read_number
from ..state.input_edits import decimals
from ..view.wire import dumps

STORAGE_KEY = "chainrule:text"
COLLAPSED_KEY = "chainrule:collapsed"  # the saved text's collapsed groups, as JSON
EXAMPLE_KEY = "chainrule:example"  # the example the saved text came from
THEME_KEY = "chainrule:theme"
DIRECTION_KEY = "chainrule:direction"  # set once the user picks a direction
PANEL_KEY = "chainrule:panel"  # "open" or "collapsed"; index.html reads it before painting
THEMES = ("system", "light", "dark")
DEBOUNCE_MS = 250
PLAY_SPEEDS_MS = {"1": 900, "2": 450, "3": 200, "4": 80}
WIDE_WINDOW = "(min-width: 900px)"  # the Inputs panel starts open from here up
TOAST_MS = 2500
HASH_DELAY_MS = 200
EXPLAIN_DELAY_MS = 150  # a drag with live grads: the step's explanation once it pauses
ADD_AT = (100, 20)  # a new node's top-left corner from the point it is added at

renderer = js_modules.renderer
page = None  # the Page, once booted; kept so its proxies stay alive


def by_testid(testid):
    return document.querySelector(f'[data-testid="{testid}"]')


def as_json(value):
    # One string crosses the bridge far faster than thousands of converted dicts; strict
    # JSON, with nan and ±inf as text (wire.py), since JSON.parse refuses NaN and Infinity.
    return dumps(value)


def one_line(error):
    """An exception as the one line a user reads."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:159] + "…"


def guarded(function, report):
    """`function` run so that no exception reaches the page as a traceback: one is logged
    with console.error, `report(message)` tells the user in one line at the place of the
    action, and the page stays as it was. What it returns to JS: `function`'s result, or
    the message (handlers that answer with a refusal's text show it where they were used).
    """
    def run(*args):
        try:
            return function(*args)
        except Exception as error:
            js.console.error(traceback.format_exc())
            message = f"Something went wrong: {one_line(error)}. The page is still usable."
            try:
                report(message)
            except Exception:
                js.console.error(traceback.format_exc())
            return message
    return run


def run_dagre(request):
    """Lays out graphlib JSON with dagre: a few bridge calls, whatever the graph's size."""
    graph = renderer.graphlibJson.read(js.JSON.parse(as_json(request)))
    renderer.dagre.layout(graph)
    return json.loads(js.JSON.stringify(renderer.graphlibJson.write(graph)))


def stored(key):
    try:
        return js.localStorage.getItem(key)
    except Exception:  # storage can be disabled; the page works without it
        return None


def stored_text():
    return stored(STORAGE_KEY)


def stored_collapsed():
    """The collapsed groups saved with the text, or None (then the program's default)."""
    try:
        names = json.loads(stored(COLLAPSED_KEY) or "null")
    except ValueError:
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    return names


def store(key, text):
    try:
        js.localStorage.setItem(key, text)
    except Exception:  # storage can be disabled or full; the page works without it
        pass


def store_text(text):
    store(STORAGE_KEY, text)


class Page:
    """Wires the DOM's events to the session and the session's results to the renderer."""

    def __init__(self):
        self.session = Session(run_dagre)
        self.canvas = CanvasEditor()
        self.view = renderer.mount(by_testid("canvas"))
        self.editor = by_testid("expression")
        self.error = by_testid("expression-error")
        self.explanation = by_testid("step-explanation")
        self.counter = by_testid("step-counter")
        self.inputs = by_testid("inputs-list")
        self.inputs_filter = by_testid("inputs-filter")
        self.buttons = {name: by_testid(name)
                        for name in ("step", "back", "play", "reset", "finish")}
        self.step_controls = {**self.buttons, "expand-current": by_testid("expand-current")}
        self.tangent_select = by_testid("tangent-input")
        self.disabled_shown = {}  # step control -> the `disabled` the page last got from us
        self.input_errors = {}  # input name -> the message its row shows ("" for none)
        self.text_shown = None  # the text the editor last got from a load or a tuning
        self.notice_shown = ""  # the line counting the values that are not finite
        self.origin = None  # the key of the example the text came from, if any
        self.browsing = False  # the Examples select shows a choice the keyboard has not made
        self.hash_shown = None  # the URL hash the page last wrote
        self.toast_timer = None
        self.hash_timer = None
        self.timer = None
        self.player = None
        self.proxies = []
        # Python functions JS calls later (timers): each made into a proxy once.
        self.debounced = self.keep(lambda: self.try_load(self.editor.value, fit=True),
                                   "expression-error")
        self.tick = self.keep(lambda: self.on_step(), self.failed_playing)
        self.write_hash = self.keep(lambda: self.remember_now())
        self.explain_timer = None
        self.explain_later = self.keep(lambda: self.show_step())
        self.hide_toast = self.keep(lambda: setattr(by_testid("toast"), "hidden", True))

    def keep(self, function, place="toast"):
        """`function` as a JS-callable proxy that lives as long as the page, guarded: a
        failure is reported at `place` (the testid of the action's message line, or a
        function of the message)."""
        proxy = create_proxy(guarded(function, self.reporter(place)))
        self.proxies.append(proxy)
        return proxy

    def once(self, function, place="toast"):
        """`function` as a guarded JS callback called once (a promise's)."""
        return create_once_callable(guarded(function, self.reporter(place)))

    def failed_playing(self, message):
        """A failure in a step of Play: playing stops (the next tick would fail again)."""
        self.stop_playing()
        self.toast(message)

    def reporter(self, place):
        return place if callable(place) else (lambda message: self.say(place, message))

    def listen(self, element, event, handler, place="toast"):
        element.addEventListener(event, self.keep(handler, place))

    def say(self, place, message):
        """One line for the user at `place`: the toast, or a message line by its testid."""
        if place == "toast":
            self.toast(message)
            return
        box = by_testid(place)
        box.textContent = message
        box.hidden = False

    # start ---------------------------------------------------------------------

    def start(self):
        self.fill_presets()
        self.listen(self.editor, "input", self.on_input, "expression-error")
        self.listen(self.editor, "keydown", self.on_editor_key, "expression-error")
        examples = by_testid("preset")
        self.listen(examples, "change", self.on_preset, "expression-error")
        self.listen(examples, "keydown", self.on_preset_key, "expression-error")
        self.listen(examples, "blur", lambda e: self.show_examples())
        # a pointer opens the list, whose own commit chooses
        self.listen(examples, "pointerdown", lambda e: setattr(self, "browsing", False))
        self.listen(by_testid("reset-example"), "click", lambda e: self.on_reset_text(),
                    "expression-error")
        self.listen(by_testid("direction"), "click", self.on_direction)
        self.listen(by_testid("fit-view"), "click", lambda e: self.view.fitView())
        for name, button in self.buttons.items():
            self.listen(button, "click", getattr(self, f"on_{name}"))
        self.listen(document, "keydown", self.on_key)
        self.listen(by_testid("speed"), "input", self.on_speed)
        self.listen(by_testid("forward-pass"), "click", self.on_forward_pass)
        self.listen(self.tangent_select, "change", self.on_tangent_input)
        self.listen(self.inputs, "change", self.on_input_change)
        self.listen(self.inputs_filter, "input", lambda event: self.show_inputs())
        self.listen(self.inputs, "input", self.on_slider)
        self.listen(self.inputs, "keydown", self.on_input_key)
        self.view.setInputHandler(self.keep(self.on_canvas_input, "edit-message"))
        self.view.setGroupHandler(self.keep(self.on_group))
        # All collapsed or all expanded is a new picture: fit it, as a new graph is.
        self.listen(by_testid("collapse-all"), "click",
                    lambda e: self.regroup(self.session.collapse_all(), fit=True))
        self.listen(by_testid("expand-all"), "click",
                    lambda e: self.regroup(self.session.expand_all(), fit=True))
        self.listen(by_testid("expand-current"), "click", lambda e: self.on_expand_current())
        self.listen(by_testid("share"), "click", self.on_share)
        self.listen(by_testid("copy-pytorch"), "click", lambda e: self.if_drawn(
            lambda: self.copy(pytorch_script(self.session.program, self.session.tangent_input),
                              "PyTorch script")))
        self.listen(by_testid("copy-python"), "click", lambda e: self.if_drawn(
            lambda: self.copy(python_script(self.session.program), "Python script")))
        self.listen(by_testid("export-svg"), "click", lambda e: self.if_drawn(
            lambda: renderer.download(graph_svg(self.shown_view()), "image/svg+xml",
                                      "chainrule.svg")))
        self.listen(by_testid("export-png"), "click", self.on_export_png)
        self.listen(js.window, "hashchange", lambda e: self.open_link(), "expression-error")
        self.listen(by_testid("theme"), "click", self.on_theme)
        self.listen(by_testid("panel-toggle"), "click", lambda e: self.on_panel())
        self.listen(by_testid("grad-check"), "click", self.on_grad_check)
        self.listen(by_testid("shortcuts-button"), "click", lambda e: self.on_shortcuts())
        self.start_editing_tools()
        self.training = Training(self)
        self.training.start()
        self.show_theme()
        self.show_panel()
        chosen = stored(DIRECTION_KEY)
        if chosen in DIRECTIONS:
            self.session.set_direction(chosen)
        if not js.matchMedia(WIDE_WINDOW).matches:
            by_testid("inputs").open = False
        typed = self.typed_while_starting()
        if not self.open_link():
            self.open_saved()
        if typed is not None:
            self.use_text(typed)
        for control in document.querySelectorAll("[data-needs-python]"):
            control.disabled = False

    def typed_while_starting(self):
        """What the user typed in the editor before Python was up, or None: drawn in place
        of the saved text or link (with its error at its place if it does not parse)."""
        typed = self.editor.value
        return None if typed == self.editor.defaultValue else typed

    def open_saved(self):
        """The text saved in this browser, or the default example, in the editor too."""
        self.editor.value = self.draw_saved()
        self.show_examples()

    def draw_saved(self):
        """Draws the saved text (its groups collapsed as they were), or the default example
        if there is none or it does not parse (any more); returns the text drawn."""
        saved = stored_text()
        if isinstance(saved, str):  # "" too: an empty program is a normal state
            origin = stored(EXAMPLE_KEY)
            self.origin = origin if origin in PRESETS else example_of(saved)
            try:
                self.draw(saved, fit=True, collapsed=stored_collapsed())
                return saved
            except ExprError:
                pass
        self.origin = DEFAULT
        self.draw(PRESETS[DEFAULT][1], fit=True)
        return PRESETS[DEFAULT][1]

    def open_link(self):
        """The state in the URL's hash, if it holds one; False if there is nothing to open.

        A damaged link is reported and the page falls back to the saved text. A link whose
        program does not parse keeps its text in the editor, with the error at its place.
        """
        url_hash = js.location.hash
        if not is_shared(url_hash) or url_hash == self.hash_shown:
            return False
        try:
            state = decode(url_hash)
        except ShareError as error:
            self.show_notice(f"This link could not be opened: {error}.")
            return False
        self.hide_notice()
        s = self.session
        if state.direction is not None and (state.direction != s.direction
                                            or not s.direction_chosen):
            s.set_direction(state.direction)  # the link's direction was chosen: it sticks
            s.text = None  # lay out again, in the link's direction
        self.editor.value = state.text
        self.origin = state.example if state.example in PRESETS else example_of(state.text)
        if not self.try_load(state.text, fit=True, elsewhere=True, collapsed=state.collapsed):
            if self.session.program is None:  # booting: draw something that works
                self.draw_saved()
            self.show_examples()
            return True
        try:
            self.apply(self.session.restore(state.step, state.forward, state.tangent,
                                            state.tangent_step))
        except KeyError:
            self.show_notice(f"This link's forward mode is for {state.tangent}, which is not "
                             "an input of its program; showing backprop.")
        self.show_tangent_inputs()
        if state.step > self.session.total:
            self.show_notice(f"This link's step {state.step} is past the last step "
                             f"({self.session.total}); showing the last one.")
        return True

    def fill_presets(self):
        select = by_testid("preset")
        for key, (title, _) in PRESETS.items():
            option = document.createElement("option")
            option.value = key
            option.textContent = title
            select.appendChild(option)

    # the expression ------------------------------------------------------------

    def try_load(self, text, fit=False, elsewhere=False, collapsed=None):
        """Parse and draw `text`; on a bad expression, or a graph that could not be drawn,
        show why and keep what is on screen.

        A program from `elsewhere` (an example, a sample, a link) leaves edit mode and
        opens with its groups; `collapsed` names the groups drawn collapsed.
        """
        if text == self.session.text:
            self.clear_error()  # back to the text on screen, which is valid
            if elsewhere and self.canvas.editing:
                self.set_editing(False)
            if collapsed is not None:
                self.regroup(self.session.set_collapsed(collapsed), fit=fit)
            self.show_examples()
            return True
        try:
            self.draw(text, fit, elsewhere=elsewhere, collapsed=collapsed)
        except ExprError as error:
            self.show_error(error)
            self.show_examples()
            return False
        except Exception as error:
            js.console.error(traceback.format_exc())
            self.say("expression-error", f"This graph could not be drawn: {one_line(error)}")
            self.editor.setAttribute("aria-invalid", "true")
            return False
        self.clear_error()
        return True

    def draw(self, text, fit, record=True, elsewhere=False, collapsed=None):
        """Parse, lay out and draw `text` (ExprError when it does not parse). If anything
        on the way fails, the state and the picture go back to what they were."""
        kept = self.kept_state()
        try:
            self.draw_unguarded(text, fit, record, elsewhere, collapsed)
        except ExprError:
            raise  # nothing changed: parse comes first
        except Exception:
            self.restore_state(kept)
            raise

    def kept_state(self):
        """What a draw changes in the session and the canvas editor, to put back."""
        canvas = self.canvas
        return (vars(self.session).copy(), vars(canvas).copy(), copy.copy(canvas.history),
                list(canvas.history.entries), self.text_shown)

    def restore_state(self, kept):
        session, canvas, history, entries, self.text_shown = kept
        vars(self.session).update(session)
        vars(self.canvas).update(canvas)
        self.canvas.history = history
        history.entries = entries
        try:  # the picture of that state, if a part of the new one got through
            if self.session.program is not None or self.session.text is not None:
                self.set_graph(self.shown_view(), False)
            self.show_inputs()
            self.show_editing()  # edit mode too, which a program from elsewhere leaves
            self.show_groups()
            self.show_step()
            self.show_history()
        except Exception:
            js.console.error(traceback.format_exc())

    def draw_unguarded(self, text, fit, record=True, elsewhere=False, collapsed=None):
        size = json.loads(self.view.canvasSize())
        self.session.canvas = tuple(size) if all(size) else None  # hidden: no shape to suit
        view = self.session.load(text, collapsed)
        by_testid("direction").dataset.direction = self.session.direction
        editing = self.canvas.editing
        self.canvas.text_loaded(self.session, record, elsewhere)
        if self.canvas.editing != editing:
            self.show_editing()
        self.show_history()
        self.stop_playing()
        if self.canvas.shows(self.session):
            view = self.canvas.view(self.session, run_dagre, self.session.direction)
        self.set_graph(view, fit)
        self.show_inputs()
        self.show_tangent_inputs()
        self.forget_grad_check()
        self.show_groups()
        self.text_shown = text
        self.save_text()
        self.show_step()
        self.show_examples()
        self.remember_now()

    def save_text(self):
        """The text on screen, its collapsed groups and its example, for the next visit."""
        s = self.session
        store_text(s.text if s.text is not None else "")
        store(COLLAPSED_KEY, json.dumps(sorted(s.collapsed) if s.tree else None))
        store(EXAMPLE_KEY, self.origin or "")

    # groups ----------------------------------------------------------------------

    def on_group(self, name):
        self.regroup(self.session.toggle_group(name))
        if self.session.groups.get(name):  # collapsed: its box, smaller than its frame, in view
            self.view.reveal(as_json([[group_id(name)]]))

    def on_expand_current(self):
        name = self.session.step_group
        self.regroup(self.session.expand_current())
        if name is not None:  # the opened frame and the step's nodes in view
            step = self.session.step_nodes
            self.view.reveal(as_json([[group_id(name), *step], step]))

    def regroup(self, view, fit=False):
        if view is not None:
            self.view.regroup(as_json(view), fit)
            self.show_groups()
            self.show_step()  # the explanation says whether the step is in a box
            self.save_text()
            self.remember()  # the link keeps what is collapsed

    def show_groups(self):
        groups = self.session.groups
        # The canvas being edited shows every node: no boxes there.
        by_testid("group-controls").hidden = not groups or self.canvas.shows(self.session)
        by_testid("collapse-all").disabled = not groups
        by_testid("expand-all").disabled = not any(groups.values())

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

    def use_text(self, text, origin=None):
        """Opens a program from elsewhere: example `origin`'s, or a sample's (None)."""
        self.cancel_redraw()
        self.editor.value = text
        before, self.origin = self.origin, origin
        if not self.try_load(text, fit=True, elsewhere=True):
            self.origin = before  # what is on screen still came from there
            self.show_examples()

    def on_input(self, event):
        self.timer = restart_timer(self.timer, self.debounced, DEBOUNCE_MS)
        self.show_examples()

    def cancel_redraw(self):
        """Drops the debounced redraw of what is being typed (the text is drawn now)."""
        if self.timer is not None:
            js.clearTimeout(self.timer)
            self.timer = None

    def on_editor_key(self, event):
        if event.key == "Enter" and (event.ctrlKey or event.metaKey):
            event.preventDefault()
            self.cancel_redraw()
            self.try_load(self.editor.value, fit=True)

    # the examples ------------------------------------------------------------------

    def show_examples(self):
        """The Examples select shows the example the text came from, "(edited)" once the
        text changed, and Reset text says what it brings back."""
        self.browsing = False
        value, label = examples_shown(self.origin, self.editor.value)
        select = by_testid("preset")
        select.options.item(0).textContent = label
        select.value = value
        by_testid("reset-example").title = \
            f"Reset the text to the example it came from: {PRESETS[reset_key(self.origin)][0]}"

    def on_reset_text(self):
        key = reset_key(self.origin)
        self.use_text(PRESETS[key][1], key)

    def on_preset_key(self, event):
        if event.key == "Enter":
            event.preventDefault()
            self.choose_example(event.target.value)
        elif event.key == "Escape":
            self.show_examples()
        else:
            # Arrows only move the choice (Chromium fires `change` for each); Enter, or the
            # opened list's own commit, chooses.
            self.browsing = browses_select(event.key, event.altKey)

    def on_preset(self, event):
        if not self.browsing:
            self.choose_example(event.target.value)

    def choose_example(self, key):
        if key in PRESETS and not (key == self.origin and self.editor.value == PRESETS[key][1]):
            self.use_text(PRESETS[key][1], key)
        else:
            self.show_examples()

    def on_direction(self, event):
        direction = "TB" if self.session.direction == "LR" else "LR"
        view = self.session.set_direction(direction)
        store(DIRECTION_KEY, direction)
        by_testid("direction").dataset.direction = direction
        if self.canvas.shows(self.session):  # a new direction is a new layout: tidy
            self.canvas.tidy()
            view = self.canvas.view(self.session, run_dagre, direction)
            self.canvas.remember_positions(self.session.text)
        self.set_graph(view, True)
        self.remember_now()

    def on_grad_check(self, event=None):
        s = self.session
        if s.program is None:
            return
        inputs = [(name, s.program.inputs[name]) for name, _ in s.inputs]
        checks = gradient_check(s.program.output, inputs, s.order)
        by_testid("grad-check-results").innerHTML = report_html(checks)

    def forget_grad_check(self):
        results = by_testid("grad-check-results")
        if results.innerHTML:
            results.innerHTML = ('<p class="gradcheck__stale">The numbers changed: check '
                                 'again.</p>')

    def on_shortcuts(self):
        dialog = by_testid("shortcuts")
        if dialog.open:
            dialog.close()
        else:
            dialog.showModal()

    # theme -----------------------------------------------------------------------

    def on_theme(self, event):
        now = document.documentElement.dataset.theme
        theme = THEMES[(THEMES.index(now) + 1) % len(THEMES)] if now in THEMES else THEMES[0]
        document.documentElement.dataset.theme = theme
        store(THEME_KEY, theme)
        self.show_theme()

    def on_panel(self):
        """Collapses the left panel to a rail, or opens it again; remembered."""
        root = document.documentElement
        root.dataset.panel = "open" if root.dataset.panel == "collapsed" else "collapsed"
        store(PANEL_KEY, root.dataset.panel)
        self.show_panel()
        self.view.reframe()

    def show_panel(self):
        collapsed = document.documentElement.dataset.panel == "collapsed"
        button = by_testid("panel-toggle")
        button.setAttribute("aria-expanded", "false" if collapsed else "true")
        button.setAttribute("aria-label", "Show the panel" if collapsed else "Hide the panel")
        button.title = ("Show the panel: editor, inputs, training ([)" if collapsed
                        else "Hide the panel: more room for the graph ([)")
        button.textContent = "»" if collapsed else "«"

    def show_theme(self):
        theme = document.documentElement.dataset.theme
        if theme not in THEMES:  # e.g. a value edited by hand into storage
            theme = document.documentElement.dataset.theme = THEMES[0]
        button = by_testid("theme")
        button.textContent = f"◐ Theme: {theme}"
        button.setAttribute("aria-label", f"Colour theme: {theme} (click to change)")

    # sharing -------------------------------------------------------------------

    def remember(self):
        """Puts the state in the URL's hash soon (no new history entry), so the link is a
        share. For steps: replaceState costs ~1.5 ms, a step's whole budget is 5 ms. New
        text is written at once (`remember_now`): a reload must never bring back old text."""
        self.hash_timer = restart_timer(self.hash_timer, self.write_hash, HASH_DELAY_MS)

    def remember_now(self):
        if self.hash_timer is not None:
            js.clearTimeout(self.hash_timer)
            self.hash_timer = None
        s = self.session
        if s.program is None:  # an empty program: no link to keep
            self.hash_shown = None
            js.history.replaceState(None, "", js.location.pathname + js.location.search)
            return
        step, forward, tangent, tangent_step = s.where()
        direction = s.direction if s.direction_chosen else None  # else the reader's canvas picks
        self.hash_shown = encode(SharedState(s.text, direction, step, forward, tangent,
                                             tangent_step, collapsed=s.shared_collapsed,
                                             example=self.origin))
        js.history.replaceState(None, "", self.hash_shown)

    def on_export_png(self, event):
        if self.session.program is None:
            return
        done = renderer.downloadPng(graph_svg(self.shown_view()), "chainrule.png")
        done.catch(self.once(lambda error: self.toast(f"Could not make the PNG: {error}")))

    def on_share(self, event):
        self.remember_now()
        self.copy(js.location.href, "Link")

    def copy(self, text, what):
        def copied(_=None):
            self.toast(f"{what} copied to the clipboard")

        def refused(_=None):
            self.toast(f"Could not copy the {what.lower()}: the browser refused the clipboard")

        try:
            js.navigator.clipboard.writeText(text).then(self.once(copied), self.once(refused))
        except Exception:  # no clipboard API at all (an insecure origin)
            refused()

    def toast(self, message):
        box = by_testid("toast")
        box.textContent = message
        box.hidden = False
        self.toast_timer = restart_timer(self.toast_timer, self.hide_toast, TOAST_MS)

    def show_notice(self, message):
        box = by_testid("notice")
        box.textContent = message  # text, never HTML: it may quote a link
        box.hidden = False

    def hide_notice(self):
        by_testid("notice").hidden = True

    # tuning inputs -------------------------------------------------------------

    def tune(self, name, value, recenter=True, final=True):
        self.show_tuned(name, self.session.tune(name, value), recenter, final)
        node_id = self.session.shown_id(name)
        if node_id is not None:  # the node being tuned from the panel stays in view
            self.view.reveal(as_json([[node_id]]), True)

    def show_tuned(self, name, patches, recenter, final):
        """After a forward pass: redraw the cells and the panel; with `final` (not in the
        middle of a drag), write the new literal into the editor and storage too."""
        self.stop_playing()
        if patches:
            self.view.update(as_json(patches))
            self.show_not_finite()
        if final:
            self.forget_grad_check()
        self.show_input(name, recenter)
        if final or not self.session.replay_pending:
            self.show_step()
        else:  # the numbers of the step explained are replayed once the drag pauses
            self.explain_timer = restart_timer(self.explain_timer, self.explain_later,
                                               EXPLAIN_DELAY_MS)
        if final:
            self.sync_text()

    def sync_text(self):
        if self.editor.value == self.text_shown:  # never overwrite what the user is typing
            self.editor.value = self.session.text
        self.text_shown = self.session.text
        self.save_text()
        self.show_examples()
        self.remember_now()
        self.canvas.tuned(self.session)
        self.show_history()
        if self.canvas.shows(self.session):  # statements the output does not use were computed again
            self.set_graph(self.canvas.view(self.session, run_dagre, self.session.direction),
                           False)

    def show_inputs(self):
        """The Inputs panel for the program on screen, filtered when it has many."""
        inputs = self.session.inputs
        box = self.inputs_filter
        filtered = needs_filter(inputs)
        box.hidden = not filtered
        if filtered:
            box.placeholder = f"Filter {len(inputs):,} inputs by name, e.g. b2_"
        else:
            box.value = ""
        self.inputs.innerHTML = panel_html(inputs, box.value if filtered else "")
        self.input_errors = {}

    def field(self, kind, name):
        return self.inputs.querySelector(f'[data-testid="{kind}-{name}"]')

    def show_input(self, name, recenter):
        field, slider = self.field("input", name), self.field("slider", name)
        if field is None:
            return
        value = self.session.program.inputs[name].data
        field.value = literal_text(value)
        self.show_input_error(name, "")
        if recenter and not float(slider.min) <= value <= float(slider.max):
            for key, text in slider_attributes(value).items():
                slider.setAttribute(key, text)
        slider.value = literal_text(value)

    def show_input_error(self, name, message):
        if self.input_errors.get(name, "") == message:
            return
        self.input_errors[name] = message
        field, error = self.field("input", name), self.field("input-error", name)
        error.textContent = message
        error.hidden = not message
        if message:
            field.setAttribute("aria-invalid", "true")
        else:
            field.removeAttribute("aria-invalid")

    def commit(self, name, text):
        """Set input `name` from typed text; returns why it was refused, or ''."""
        try:
            value = read_number(text)
        except InputError as error:
            return str(error)
        if self.canvas.shows(self.session) and name not in dict(self.session.inputs):
            # an input the output does not use yet: only the canvas has it on screen
            return self.edit(lambda: self.canvas.model.set_number(name, value))
        self.tune(name, value)
        return ""

    def on_input_change(self, event):
        target = event.target
        if target.classList.contains("inputs__slider"):  # released
            self.sync_text()
        elif target.classList.contains("inputs__number"):
            name = target.dataset.name
            message = self.commit(name, target.value)
            if message:
                current = literal_text(self.session.program.inputs[name].data)
                target.value = current
                self.show_input_error(name, f"{message}; {name} stays {current}")
                target.select()

    def on_slider(self, event):
        target = event.target
        if target.classList.contains("inputs__slider"):
            self.tune(target.dataset.name, float(target.value), recenter=False, final=False)

    def on_input_key(self, event):
        target = event.target
        if not target.classList.contains("inputs__number"):
            return
        name = target.dataset.name
        if event.key == "Escape":
            target.value = literal_text(self.session.program.inputs[name].data)
            self.show_input_error(name, "")
        elif event.key in ("ArrowUp", "ArrowDown"):
            event.preventDefault()
            step = float(self.field("slider", name).step) * (10 if event.shiftKey else 1)
            value = self.session.program.inputs[name].data
            self.tune(name, round(value + (step if event.key == "ArrowUp" else -step),
                                  decimals(step)))

    def on_canvas_input(self, kind, name, amount=None, fine=False):
        """Gestures on an input's number on the canvas; returns a refusal's reason, or ''."""
        if kind == "commit":
            return self.commit(name, amount)
        if name not in dict(self.session.inputs):
            return ""  # not used by the output yet (edit mode): it is typed, not scrubbed
        if kind == "scrub-start":
            self.stop_playing()
            self.session.start_scrub(name)
        elif kind == "scrub":
            patches = self.session.scrub_by(float(amount), bool(fine))
            if patches:
                self.show_tuned(name, patches, recenter=False, final=False)
        elif kind == "scrub-end":
            self.session.end_scrub()
            self.show_input(name, recenter=True)
            self.sync_text()
        return ""

    # building the graph by hand (canvas_edit.py) -----------------------------------

    def start_editing_tools(self):
        palette = by_testid("edit-palette")
        for symbol in PALETTE:
            button = document.createElement("button")
            button.type = "button"
            button.dataset.testid = f"add-op-{symbol}"
            button.dataset.op = symbol
            button.textContent = symbol
            button.title = f"Add a {OP_TITLES.get(symbol, symbol)} operator"
            palette.appendChild(button)
        self.listen(palette, "click", self.on_palette, "edit-message")
        self.listen(by_testid("new-graph"), "click", self.on_new_graph, "edit-message")
        self.listen(by_testid("edit-mode"), "click",
                    lambda e: self.set_editing(not self.canvas.editing), "edit-message")
        self.listen(by_testid("add-input"), "click",
                    lambda e: self.edit(lambda: self.canvas.add_input(near=self.spot())),
                    "edit-message")
        self.listen(by_testid("tidy"), "click", self.on_tidy, "edit-message")
        self.listen(by_testid("undo"), "click", lambda e: self.undo_redo(redo=False),
                    "edit-message")
        self.listen(by_testid("redo"), "click", lambda e: self.undo_redo(redo=True),
                    "edit-message")
        self.view.setEditHandler(self.keep(self.on_canvas_edit, "edit-message"))

    def set_graph(self, view, fit):
        self.view.setGraph(as_json(view), fit)
        by_testid("canvas-hint").hidden = bool(view["nodes"])
        self.show_not_finite()

    def show_not_finite(self):
        """The line above the canvas that counts the values that are not finite."""
        text = self.session.notice
        if text != self.notice_shown:
            box = by_testid("not-finite")
            box.textContent = text
            box.hidden = not text
            self.notice_shown = text

    def shown_view(self):
        """The view on the canvas now, for export."""
        if self.canvas.shows(self.session):
            return self.canvas.view(self.session, run_dagre, self.session.direction)
        return self.session.whole_view()

    def if_drawn(self, action):
        if self.session.program is None:
            self.toast("The program is empty: build or type one first")
        else:
            action()

    def set_editing(self, on):
        """Edit mode on or off. Off, a program with groups is drawn as before edit mode:
        its boxes and frames, collapsed as they were (a new layout, so fitted)."""
        self.canvas.editing = on
        self.show_editing()
        self.hide_edit_message()
        self.set_graph(self.canvas.view(self.session, run_dagre, self.session.direction),
                       bool(self.session.tree))
        if on:
            self.canvas.remember_positions(self.session.text)

    def show_editing(self):
        on = self.canvas.editing
        by_testid("edit-mode").setAttribute("aria-pressed", "true" if on else "false")
        by_testid("edit-tools").hidden = not on
        self.view.setEditing(on)
        self.show_groups()

    def on_new_graph(self, event):
        self.canvas.new_graph()
        self.show_editing()
        self.hide_edit_message()
        self.draw_model()

    def on_tidy(self, event):
        self.canvas.tidy()
        self.set_graph(self.canvas.view(self.session, run_dagre, self.session.direction), True)
        self.canvas.remember_positions(self.session.text)

    def on_palette(self, event):
        button = event.target.closest("button")
        if button is not None and button.dataset.op:
            self.edit(lambda: self.canvas.add_op(button.dataset.op, near=self.spot()))

    def spot(self):
        """Where a node added from the toolbar goes: near the middle of the view."""
        x, y = json.loads(self.view.viewCenter())
        return [x - ADD_AT[0], y - ADD_AT[1]]

    def on_canvas_edit(self, kind, detail):
        """A gesture on the canvas in edit mode; returns why it was refused, or ''."""
        detail = json.loads(detail)
        canvas = self.canvas
        if kind == "move":
            for moved in detail["moves"]:
                canvas.move(moved["id"], moved["x"], moved["y"])
            canvas.remember_positions(self.session.text)
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
            self.show_edit_message(str(refusal))
            return str(refusal)
        self.hide_edit_message()
        self.draw_model()
        return ""

    def draw_model(self, record=True):
        """Writes the canvas's program into the editor and draws it."""
        text = self.canvas.model.to_text()
        self.cancel_redraw()
        self.stop_playing()
        if text != self.session.text:
            self.session.load(text)
            self.session.finish()  # a built graph shows its gradients at once
            self.show_inputs()
            self.forget_grad_check()
        self.editor.value = text
        self.text_shown = text
        self.clear_error()
        self.save_text()
        self.set_graph(self.canvas.view(self.session, run_dagre, self.session.direction), False)
        self.show_groups()
        self.show_step()
        self.show_examples()
        self.remember_now()
        if record:
            self.canvas.record(text)
        self.show_history()

    def show_edit_message(self, message):
        box = by_testid("edit-message")
        # Not capitalised here: a message may start with a name, and names are case-sensitive.
        box.textContent = message + ("" if message.endswith(".") else ".")
        box.hidden = False

    def hide_edit_message(self):
        box = by_testid("edit-message")
        box.hidden = True
        box.textContent = ""

    def on_undo_key(self, event):
        tag = event.target.tagName
        typing = tag == "TEXTAREA" and (not self.canvas.editing
                                        or self.editor.value != self.text_shown)
        if tag in ("INPUT", "SELECT") or typing:
            return  # the field's own undo (in the editor: of what is not drawn yet)
        event.preventDefault()
        self.undo_redo(redo=event.shiftKey)

    def undo_redo(self, redo):
        text = self.canvas.redo() if redo else self.canvas.undo()
        if text is None:
            return
        self.hide_edit_message()
        if self.canvas.history.entries[self.canvas.history.index][1] is not None:
            self.draw_model(record=False)
        else:
            self.cancel_redraw()
            self.editor.value = text
            self.clear_error()
            self.draw(text, fit=False, record=False)
        self.show_history()

    def show_history(self):
        history = self.canvas.history
        by_testid("undo").disabled = history.index <= 0
        by_testid("redo").disabled = history.index >= len(history.entries) - 1

    # stepping ------------------------------------------------------------------

    def apply(self, patches):
        if patches:
            self.view.update(as_json(patches))
        self.show_step()
        self.remember()

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
        self.view.followAgain()

    def on_finish(self, event=None):
        self.stop_playing()
        self.apply(self.session.finish())

    def on_forward_pass(self, event=None):
        self.stop_playing()
        self.apply(self.session.start_forward_pass())
        self.show_tangent_inputs()

    def on_tangent_input(self, event):
        self.stop_playing()
        self.apply(self.session.set_tangent_input(self.tangent_select.value))

    def show_tangent_inputs(self):
        """The forward-mode selector's options (off, then each input) and the sweep counts."""
        s = self.session
        names = [name for name, _ in s.inputs]
        options = [("", "off")] + [(name, f"∂/∂{name}") for name in names]
        self.tangent_select.innerHTML = "".join(
            f'<option value="{escape(value)}"{" selected" if value == s.tangent_input else ""}>'
            f'{escape(text)}</option>' for value, text in options)
        self.tangent_select.disabled = not names
        forward, backward = s.sweeps
        by_testid("sweep-counts").textContent = (
            f"Every derivative of the output: forward mode {forward} "
            f"sweep{'s' if forward != 1 else ''} (one per input), backprop {backward} "
            f"(one per output)." if names else "")

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
        focus = focus_kind(target.tagName, target.getAttribute("role"),
                           bool(getattr(target, "isContentEditable", False)),  # not on SVG
                           target.closest('[data-testid="canvas"]') is not None)
        action = shortcut(event.key, focus, event.ctrlKey, event.metaKey, event.altKey,
                          event.shiftKey)
        if action in ("undo", "redo"):
            self.on_undo_key(event)
            return
        handler = {"step": self.on_step, "back": self.on_back, "play": self.on_play,
                   "reset": self.on_reset, "finish": self.on_finish,
                   "expand-current": self.on_expand_current, "forward-pass": self.on_forward_pass,
                   "panel": self.on_panel, "shortcuts": self.on_shortcuts}.get(action)
        if handler is not None:
            event.preventDefault()
            handler()

    def show_step(self):
        s = self.session
        self.counter.textContent = s.counter
        self.counter.dataset.phase = s.phase
        playing = self.player is not None
        self.show_disabled({"step": s.at_end, "finish": s.at_end, "back": s.at_start,
                            "reset": s.at_start, "play": s.total == 0 or (s.at_end and not playing),
                            "expand-current": s.step_group is None})
        blocks = step_blocks(s)
        if s.step_group:
            blocks.append(("explain-group", f"In {s.step_group} (collapsed): G expands it."))
        # One bridge call for the lot (a step's budget is 5 ms, each call ~0.05 ms).
        self.explanation.innerHTML = "".join(
            f'<p data-testid="{testid}">{escape(text)}</p>' for testid, text in blocks)

    def show_disabled(self, states):
        """Sets the step controls' `disabled` that changed since we last set them."""
        for name, disabled in states.items():
            if self.disabled_shown.get(name) != disabled:
                self.step_controls[name].disabled = disabled
                self.disabled_shown[name] = disabled


class Training:
    """The Train panel: its form, training in chunks on a timer, the plots, Inspect."""

    FIELDS = ("dataset", "shape", "activation", "loss", "learning_rate", "decay", "batch_size")

    def __init__(self, page):
        self.page = page
        self.panel = by_testid("train-panel")
        self.form = by_testid("train-form")
        self.button = by_testid("train")
        self.config = TrainConfig()
        self.run = TrainingRun(Trainer(self.config), js.performance.now)
        self.timer = None
        self.form_error = ""  # why the form's settings cannot train, or ""
        self.next_chunk = page.keep(lambda: self.on_chunk(), self.failed)

    def failed(self, message):
        """A failure in the panel (the guard's report): training stops, the line says so."""
        self.pause()
        self.show_error(None, message)

    def start(self):
        def listen(element, event, handler):  # a failure in the panel stops training
            self.page.listen(element, event, handler, self.failed)

        listen(self.form, "change", self.on_change)
        listen(self.form, "input", self.on_typed)
        listen(self.form, "keydown", self.on_form_key)
        listen(self.form, "submit", lambda e: e.preventDefault())
        listen(self.button, "click", lambda e: self.pause() if self.run.running else self.play())
        listen(by_testid("train-step"), "click", lambda e: self.one_step())
        listen(by_testid("train-reset"), "click", lambda e: self.reset())
        listen(by_testid("train-inspect"), "click", lambda e: self.inspect())
        listen(by_testid("train-sample"), "keydown", lambda e: e.key == "Enter" and self.inspect())
        listen(self.panel, "toggle", lambda e: self.show(force=True))

    # the form ------------------------------------------------------------------

    def element(self, name):
        return self.form.elements.namedItem(name)

    def fields(self):
        return {name: (self.element(name).checked if name == "decay" else self.element(name).value)
                for name in self.FIELDS}

    def on_form_key(self, event):
        if event.key == "Enter" and event.target.tagName == "INPUT":
            event.preventDefault()
            self.apply(self.fields())

    def on_typed(self, event):
        """A field typed in: its settings apply (or are refused) as they are typed."""
        if event.target.tagName == "INPUT" and event.target.type != "checkbox":
            self.apply(self.fields())

    def on_change(self, event):
        fields = self.fields()
        if event.target.name == "dataset":
            fields = for_dataset(fields, fields["dataset"])
            for name in ("shape", "loss", "learning_rate"):
                self.element(name).value = fields[name]
        self.apply(fields)

    def apply(self, fields):
        """A valid form becomes the config (a new network if its shape or data changed);
        a bad one is reported and changes nothing, training included."""
        try:
            config = read_config(fields, self.config)
        except FormError as error:
            self.pause()
            self.show_error(error.field, error.message)
            self.show_ready(error.message)
            return
        self.show_ready("")
        self.show_error(None, stop_reason(self.run.trainer))
        if config == self.config:
            return
        if rebuilds(self.config, config):
            self.pause()
            self.run = TrainingRun(Trainer(config), js.performance.now)
            by_testid("train-sample").max = str(len(self.run.trainer.data) - 1)
        else:
            self.run.trainer.config = config
        self.config = config
        self.show(force=True)

    def show_ready(self, form_error):
        """Train and One step work only with valid settings; the reason is their tooltip."""
        if form_error == self.form_error:
            return
        self.form_error = form_error
        for testid in ("train", "train-step"):
            button = by_testid(testid)
            button.disabled = bool(form_error)
            if form_error:
                button.title = form_error
            else:
                button.removeAttribute("title")

    def show_error(self, field, message):
        box = by_testid("train-error")
        box.textContent = message
        box.hidden = not message
        for name in self.FIELDS:
            if name == field:
                self.element(name).setAttribute("aria-invalid", "true")
            else:
                self.element(name).removeAttribute("aria-invalid")

    # training ------------------------------------------------------------------

    def play(self):
        if self.run.at_limit:
            self.page.toast("Training stops here: reset the weights to train again")
            return
        if self.stopped():
            return
        self.run.running = True
        self.button.dataset.training = "true"
        self.button.textContent = "⏸ Pause"
        self.schedule()

    def schedule(self):
        # A task per chunk: the browser handles input and paints between two of them.
        self.timer = js.setTimeout(self.next_chunk, 0)

    def on_chunk(self):
        self.timer = None
        if not self.run.running:
            return
        # One thing per task, each well under a frame or two: a plot that is due, or a
        # chunk of steps (whose budget is for the steps alone).
        if self.panel.open and self.run.due("boundary"):
            self.show_boundary()
        elif self.panel.open and self.run.due("loss"):
            self.show_loss()
        else:
            self.run.chunk()
            if not self.run.running:  # the step limit, or the loss diverged
                self.pause()
                self.show(force=True)  # the run stopped itself: pause() saw no run
                self.stopped()
                return
            self.show_numbers()
        self.schedule()

    def pause(self):
        if self.timer is not None:
            js.clearTimeout(self.timer)
            self.timer = None
        was_running = self.run.running
        self.run.running = False
        self.button.dataset.training = "false"
        self.button.textContent = "▶ Train"
        if was_running:
            self.show(force=True)

    def stopped(self):
        """True (and the reason in the error line) if the loss diverged."""
        reason = stop_reason(self.run.trainer)
        if reason:
            self.show_error("learning_rate", reason)
        return bool(reason)

    def one_step(self):
        self.pause()
        if not self.stopped():
            self.run.step()
            self.stopped()
        self.show(force=True)

    def reset(self):
        self.pause()
        self.run.trainer.reset_weights()
        self.show_error(None, "")
        self.show(force=True)

    def show(self, force=False):
        """The numbers, and the pictures if they are seen (`force`: at once)."""
        self.show_numbers()
        if self.panel.open:
            if self.run.due("loss", force):
                self.show_loss()
            if self.run.due("boundary", force):
                self.show_boundary()

    def show_numbers(self):
        for testid, text in summary(self.run.trainer).items():
            by_testid(testid).textContent = text
        rate = by_testid("train-rate")
        rate.textContent = self.run.rate_text()
        rate.dataset.stepMs = repr(self.run.step_ms)  # for bench/train.py

    def show_loss(self):
        trainer = self.run.trainer
        by_testid("loss-plot").innerHTML = loss_svg(
            trainer.history, "accuracy" if trainer.classification else "within 0.1")

    def show_boundary(self):
        trainer = self.run.trainer
        flat = not trainer.classification
        by_testid("boundary-plot").hidden = flat
        by_testid("fit-plot").hidden = not flat
        picture = fit_svg if flat else boundary_svg
        by_testid("fit-plot" if flat else "boundary-plot").innerHTML = picture(
            trainer.predict_many, trainer.data)

    # inspect -------------------------------------------------------------------

    def inspect(self):
        trainer = self.run.trainer
        field = by_testid("train-sample")
        try:
            index = read_sample(field.value, len(trainer.data))
        except FormError as error:
            self.show_error(None, error.message)
            field.setAttribute("aria-invalid", "true")
            return
        field.removeAttribute("aria-invalid")
        self.show_error(None, "")
        self.pause()
        source = trainer.sample_source(index)
        if len(source) > MAX_SOURCE_CHARS:
            self.show_error(None, "This network is too big to inspect in the editor: "
                                  "try fewer or narrower hidden layers.")
            return
        self.page.use_text(source)  # from no example: Reset text goes to the default


def restart_timer(timer, callback, ms):
    """A debounce: `callback` in `ms`, with the pending `timer` (if any) cleared first."""
    if timer is not None:
        js.clearTimeout(timer)
    return js.setTimeout(callback, ms)


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
