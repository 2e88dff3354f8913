"""Cost of one step on the page, backprop, forward pass and forward mode: click -> painted.

    .venv/bin/python bench/step.py [--steps 30] [--sweeps backward,forward,tangent]

For the lecture example (10 flow nodes) and a ~2,000-node MLP, clicks Step repeatedly
(from the start again, after Reset, when a graph has fewer steps) and times each from
the click to the next painted frame (Python's step, one batched bridge call, React
re-rendering only the touched nodes). Each sweep is timed: backprop as the page opens,
the forward pass after Forward pass, forward mode after choosing the first input (and the
choice itself, to painted). Prints min / median / max in ms.

Two clocks: "click -> painted" clicks at any moment, so it includes waiting for the next
frame (up to 16.7 ms at 60 Hz); "work" clicks at the start of a frame (in a
requestAnimationFrame callback) and stops when that same frame is painted, which is
the step's own cost: Python, React, and the browser's style, layout, paint and layerize.
Fitted to the canvas, the MLP is drawn as bare boxes (too small for text; a step shows as
their rings), so it is timed again zoomed in until the nodes in view are drawn in full.
"""

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "py"))

from render import (  # noqa: E402
    app_page, draw, drawn_far, mlp_program, site_argument, spread, zoom_in_to_detail,
)

from chainrule import flow_graph, parse  # noqa: E402
from chainrule.state.presets import LECTURE  # noqa: E402

CLICK_STEP = """() => new Promise((resolve) => {
  const button = document.querySelector('[data-testid="step"]');
  const started = performance.now();
  button.click();
  requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started)));
})"""
RESET = """document.querySelector('[data-testid="reset"]').click()"""
FORWARD_PASS = """document.querySelector('[data-testid="forward-pass"]').click()"""
# Forward mode for the first input (or off, with ''): from the change to painted.
CHOOSE_TANGENT = """(name) => new Promise((resolve) => requestAnimationFrame(() => {
  const select = document.querySelector('[data-testid="tangent-input"]');
  const started = performance.now();
  select.value = name ?? select.options[1].value;
  select.dispatchEvent(new Event('change'));
  requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started)));
}))"""
SWEEPS = ("backward", "forward", "tangent")
# A task posted from a frame callback runs once that frame's rendering is done.
CLICK_STEP_IN_FRAME = """() => new Promise((resolve) => requestAnimationFrame(() => {
  const button = document.querySelector('[data-testid="step"]');
  const started = performance.now();
  button.click();
  setTimeout(() => resolve(performance.now() - started));
}))"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--sweeps", default=",".join(SWEEPS),
                        help="which sweeps to step, comma-separated")
    site_argument(parser)
    args = parser.parse_args()
    sweeps = [sweep for sweep in args.sweeps.split(",") if sweep in SWEEPS]
    results = {}
    choices = {}
    with app_page(args.site) as page:

        def timed(clock):
            """`args.steps` steps from the start, in rounds if the graph has fewer."""
            times = []
            while len(times) < args.steps:
                page.evaluate(RESET)
                page.wait_for_timeout(200)
                times += [page.evaluate(clock) for _ in range(min(args.steps - len(times), total))]
            return times

        for text in (mlp_program(2, [18, 18]), LECTURE):  # each differs from what is drawn
            draw(page, text)
            drawn = text
            nodes = len(flow_graph(parse(text).output)["nodes"])
            far = drawn_far(page)
            for sweep in sweeps:
                if sweep == "forward":
                    page.evaluate(FORWARD_PASS)
                if sweep == "tangent":
                    choices[f"{nodes:5d} nodes"] = [
                        page.evaluate(CHOOSE_TANGENT, name) for name in [None, ""] * 3][::2]
                    page.evaluate(CHOOSE_TANGENT)
                # Backprop has one step per operand use; the two forward sweeps one per operator.
                order = parse(text).output.topological_order()
                total = len(order) if sweep == "backward" else sum(1 for v in order if v.parents)
                name = f"{nodes:5d} nodes, {sweep:8s}, fitted{' (boxes only)' if far else ''}"
                print(f"timing {name}", file=sys.stderr, flush=True)
                results[name] = (timed(CLICK_STEP), timed(CLICK_STEP_IN_FRAME))
                if far:  # and zoomed in, where what is in view is drawn in full
                    zoom_in_to_detail(page)
                    results[name.replace("fitted (boxes only)", "zoomed in, in full")] = (
                        timed(CLICK_STEP), timed(CLICK_STEP_IN_FRAME))
                    drawn = text if drawn != text else text + "\n"
                    draw(page, drawn)  # fitted again (a new text), back to backprop
            page.evaluate(CHOOSE_TANGENT, "")
    print("one Step (min / median / max, ms)")
    for name, clocks in results.items():
        for clock, times in zip(("click -> painted", "work"), clocks):
            print(f"  {name:50s} {len(times):2d} steps, {clock:16s} {spread(times, '6.1f')}")
    if choices:
        print("choosing a tangent input, change -> painted (min / median / max, ms)")
        for name, times in choices.items():
            print(f"  {name:50s} {len(times):2d} times {spread(times, '6.1f')}")


if __name__ == "__main__":
    main()
