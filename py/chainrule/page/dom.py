"""The browser at hand: elements by testid, JSON for the renderer, timers, storage, and
the guard that keeps a Python failure from painting a traceback over the page."""

import traceback

import js
from pyodide.ffi import create_once_callable, create_proxy
from pyscript import document

from ..state.storage import STORAGE
from ..view.wire import dumps

def by_testid(testid):
    return document.querySelector(f'[data-testid="{testid}"]')


def as_json(value):
    # One string crosses the bridge far faster than thousands of converted dicts; strict
    # JSON, with nan and ±inf as text (view/wire.py), since JSON.parse refuses NaN and Infinity.
    return dumps(value)


def restart_timer(timer, callback, ms):
    """A debounce: `callback` in `ms`, with the pending `timer` (if any) cleared first."""
    if timer is not None:
        js.clearTimeout(timer)
    return js.setTimeout(callback, ms)


def clear_timer(timer):
    if timer is not None:
        js.clearTimeout(timer)
    return None


def stored(name):
    try:
        return js.localStorage.getItem(STORAGE[name])
    except Exception:  # storage can be disabled; the page works without it
        return None


def store(name, text):
    try:
        js.localStorage.setItem(STORAGE[name], text)
    except Exception:  # storage can be disabled or full; the page works without it
        pass


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


class Guard:
    """Makes Python functions into JS callbacks that live as long as the page, each
    guarded: a failure is told at `place`, the testid of the action's message line, the
    toast ("toast"), or a function of the message."""

    def __init__(self, say):
        self.say = say  # say(place, message): one line for the user at `place`
        self.proxies = []  # kept: a proxy JS still calls must not be collected

    def keep(self, function, place="toast"):
        proxy = create_proxy(guarded(function, self.reporter(place)))
        self.proxies.append(proxy)
        return proxy

    def once(self, function, place="toast"):
        """`function` as a guarded JS callback called once (a promise's)."""
        return create_once_callable(guarded(function, self.reporter(place)))

    def listen(self, element, event, handler, place="toast"):
        element.addEventListener(event, self.keep(handler, place))

    def reporter(self, place):
        return place if callable(place) else (lambda message: self.say(place, message))
