"""Cost of one backprop step on the page: click -> the updated nodes painted.

    .venv/bin/python bench/step.py [--steps 30]      (after `make build`)

For the lecture example (10 flow nodes) and a ~2,000-node MLP, clicks Step repeatedly
(from the start again, after Reset, when a graph has fewer steps) and times each from
the click to the next painted frame (Python's step, one batched bridge call, React
re-rendering only the touched nodes). Prints min / median / max in ms.

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
from chainrule.presets import LECTURE  # noqa: E402

CLICK_STEP = """() => new Promise((resolve) => {
  const button = document.querySelector('[data-testid="step"]');
  const started = performance.now();
  button.click();
  requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started)));
})"""
RESET = """document.querySelector('[data-testid="reset"]').click()"""
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
    site_argument(parser)
    args = parser.parse_args()
    results = {}
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
            total = len(parse(text).output.topological_order())
            nodes = len(flow_graph(parse(text).output)["nodes"])
            far = drawn_far(page)
            results[f"{nodes:5d} nodes, fitted{' (boxes only)' if far else ''}"] = (
                timed(CLICK_STEP), timed(CLICK_STEP_IN_FRAME))
            if far:  # and zoomed in, where what is in view is drawn in full
                zoom_in_to_detail(page)
                results[f"{nodes:5d} nodes, zoomed in, drawn in full"] = (
                    timed(CLICK_STEP), timed(CLICK_STEP_IN_FRAME))
    print("one Step (min / median / max, ms)")
    for name, clocks in results.items():
        for clock, times in zip(("click -> painted", "work"), clocks):
            print(f"  {name:40s} {len(times):2d} steps, {clock:16s} {spread(times, '6.1f')}")


if __name__ == "__main__":
    main()
