"""The page's glue: the only module that touches the browser (js, pyscript, pyodide).

Everything else in chainrule is plain Python, tested on CPython.
"""

import sys
import traceback

import js
import pyodide
from pyscript import document, js_modules

import chainrule

# Handle on the mounted renderer; Python owns the page's state.
view = None


def by_testid(testid):
    return document.querySelector(f'[data-testid="{testid}"]')


def show_versions():
    # Not platform.python_version(): importing platform costs ~0.4 s of boot.
    python = "{}.{}.{}".format(*sys.version_info[:3])
    label = by_testid("python-version")
    label.dataset.python = python
    label.textContent = (
        f"Python {python} · Pyodide {pyodide.__version__} · chainrule {chainrule.__version__}"
    )


def boot():
    global view
    show_versions()
    view = js_modules.renderer.mount(by_testid("canvas"))
    document.documentElement.dataset.state = "ready"


def show_boot_error(message):
    box = by_testid("boot-error")
    box.textContent = message
    box.hidden = False
    document.documentElement.dataset.state = "error"


def main():
    """Entry point of the page's <script type="py">."""
    try:
        boot()
    except Exception as error:
        show_boot_error(f"Python started but the page could not: {error}")
        js.console.error(traceback.format_exc())
