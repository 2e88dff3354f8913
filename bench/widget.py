"""The notebook widget in a real host (Voila, as tests/browser/test_notebook_host.py
starts it): opening a ~2,000-node graph, and one Step's round trip.

    .venv/bin/python bench/widget.py [--steps 30] [--opens 3]     (after `make build`)

"Open" clicks a button in the notebook whose handler (in the kernel) calls show() on the
MLP program and displays the widget; it is timed from the click to the frame that
paints the widget's nodes: the kernel's parse, layered layout and JSON, the message, the
widget's first render. "Step" clicks Step and times until the counter shows the new step
and that frame is painted: the message to the kernel, Session.step, the one message
back with the patches and the state, and the renderer's update. Prints min / median / max
in ms, for the lecture example and the ~2,000-node MLP.
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "py"))

import chromium  # noqa: E402
import voila_host  # noqa: E402
from render import mlp_program  # noqa: E402

from chainrule import flow_graph, parse  # noqa: E402
from chainrule.state.presets import LECTURE  # noqa: E402

BIG = mlp_program(2, [18, 18])  # the page's 2,000-node benchmark graph
CELL = f"""\
import ipywidgets
from IPython.display import display
from chainrule import show
PROGRAMS = {{"lecture": {LECTURE!r}, "big": {BIG!r}}}
out = ipywidgets.Output()

def open_graph(button):
    out.clear_output()
    with out:
        display(show(PROGRAMS[button.description]))

buttons = [ipywidgets.Button(description=name) for name in PROGRAMS]
for button in buttons:
    button.on_click(open_graph)
display(ipywidgets.HBox(buttons), out)"""

# From the click to the frame painted after the widget's nodes are in the page.
OPEN = """(name) => new Promise((resolve) => {
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent === name);
  const started = performance.now();
  const done = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started)));
  const observer = new MutationObserver(() => {
    const canvas = document.querySelector('.chainrule-widget [data-testid="canvas"][data-nodes]');
    if (canvas && canvas.querySelector('.react-flow__node')) { observer.disconnect(); done(); }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  button.click();
})"""
STEP = """() => new Promise((resolve) => {
  const widget = document.querySelector('.chainrule-widget');
  const counter = widget.querySelector('[data-testid="step-counter"]');
  const before = counter.textContent;
  const started = performance.now();
  const observer = new MutationObserver(() => {
    if (counter.textContent === before) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started)));
  });
  observer.observe(counter, { childList: true, characterData: true, subtree: true });
  widget.querySelector('[data-testid="step"]').click();
})"""
RESET = """() => document.querySelector('.chainrule-widget [data-testid="reset"]').click()"""
AT_START = """() => document.querySelector('.chainrule-widget [data-testid="step-counter"]')
  .textContent.startsWith('step 0 /')"""


def spread(times):
    return f"{min(times):7.1f} {statistics.median(times):7.1f} {max(times):7.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--opens", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    sizes = {name: len(flow_graph(parse(text).output)["nodes"])
             for name, text in (("lecture", LECTURE), ("big", BIG))}
    with tempfile.TemporaryDirectory() as folder, voila_host.voila(folder, [CELL]) as url, \
            sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url, timeout=120_000)
        page.get_by_role("button", name="big").wait_for(timeout=120_000)
        print(f"{'ms (min median max)':32} {'open':>23} {'step':>23}")
        for name in ("lecture", "big"):
            opens = [page.evaluate(OPEN, name) for _ in range(args.opens)]
            steps = []
            while len(steps) < args.steps:
                steps.append(page.evaluate(STEP))
                if page.locator('.chainrule-widget [data-testid="step"]').is_disabled():
                    page.evaluate(RESET)
                    page.wait_for_function(AT_START)
            print(f"{name + f' ({sizes[name]:,} nodes)':32} {spread(opens)} {spread(steps)}")
        browser.close()


if __name__ == "__main__":
    main()
