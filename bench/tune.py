"""Cost of tuning an input on the page: one value change -> every value and grad redrawn.

    .venv/bin/python bench/tune.py [--changes 40]      (after `make build`)

For the lecture example and a ~200-node MLP, runs Finish (so every gradient is live and
recomputed on each change), then moves the first input's slider again and again, as a
scrub does. Each change is timed from the slider's input event to the next painted frame
(Python's forward + backward pass, one batched bridge call, React redrawing the changed
nodes), and separately until the event handler returned (the work before paint).
A third clock, "work", moves the slider at the start of a frame and stops when that
frame is painted, so it leaves out the wait for the next frame (up to 16.7 ms at 60 Hz)
that "painted" includes, as bench/step.py does.
Prints min / median / max in ms; the target is 16 ms (60 fps) at 200 nodes. Fitted to
the canvas, the MLP is drawn as bare boxes (too small for text), so it is timed again
zoomed in until its numbers are drawn, in the 1,280 x 800 window (numbers out of view
are written once they come into view), and last in a 4,000 x 2,500 window that shows
every node with its numbers at once: the most a change can have to redraw.
"""

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "py"))

from render import (  # noqa: E402
    VIEWPORT, app_page, draw, drawn_far, mlp_program, nodes_in_view, site_argument, spread,
    view_at_rest, zoom_in_to_detail,
)

from chainrule import flow_graph, parse  # noqa: E402
from chainrule.state.presets import LECTURE  # noqa: E402

MOVE_SLIDER = """([name, value]) => new Promise((resolve) => {
  const slider = document.querySelector(`[data-testid="slider-${name}"]`);
  slider.value = String(value);
  const started = performance.now();
  slider.dispatchEvent(new Event('input', {bubbles: true}));
  const handled = performance.now() - started;
  requestAnimationFrame(() => setTimeout(() => resolve([handled, performance.now() - started])));
})"""


BIG_WINDOW = {"width": 4000, "height": 2500}

# A task posted from a frame callback runs once that frame's rendering is done.
MOVE_SLIDER_IN_FRAME = """([name, value]) => new Promise((resolve) => requestAnimationFrame(() => {
  const slider = document.querySelector(`[data-testid="slider-${name}"]`);
  slider.value = String(value);
  const started = performance.now();
  slider.dispatchEvent(new Event('input', {bubbles: true}));
  setTimeout(() => resolve(performance.now() - started));
}))"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=40)
    site_argument(parser)
    args = parser.parse_args()
    results = {}
    with app_page(args.site) as page:
        for text in (mlp_program(2, [5, 4]), LECTURE):  # each differs from what is drawn
            program = parse(text)
            draw(page, text)
            page.click('[data-testid="finish"]')
            name, first = next(iter(program.inputs.items()))

            def changes():
                """(painted, work) times of `args.changes` moves each, around the first value."""
                return ([page.evaluate(MOVE_SLIDER, [name, round(first.data + 0.01 * (k + 1), 2)])
                         for k in range(args.changes)],
                        [page.evaluate(MOVE_SLIDER_IN_FRAME, [name, round(first.data - 0.01 * k, 2)])
                         for k in range(args.changes)])

            nodes = len(flow_graph(program.output)["nodes"])
            far = drawn_far(page)
            results[f"{nodes:5d} nodes, fitted{' (boxes only)' if far else ''}"] = changes()
            if far:  # and where the values and grads are drawn as text
                zoom_in_to_detail(page)
                results[f"{nodes:5d} nodes, zoomed in to read them: {nodes_in_view(page)} in view,"
                        " drawn in full"] = changes()
                page.set_viewport_size(BIG_WINDOW)
                page.click('[data-testid="fit-view"]')
                view_at_rest(page)
                zoom_in_to_detail(page)
                results[f"{nodes:5d} nodes in a {BIG_WINDOW['width']:,} x {BIG_WINDOW['height']:,}"
                        f" window: {nodes_in_view(page)} in view, drawn in full"] = changes()
                page.set_viewport_size(VIEWPORT)
    print(f"one input change, {args.changes} changes each -> handled / painted / work"
          " (min / median / max, ms)")
    for name, (times, work) in results.items():
        handled = spread([t[0] for t in times], "6.1f")
        painted = spread([t[1] for t in times], "6.1f")
        print(f"  {name}\n      handled {handled}   painted {painted}   work {spread(work, '6.1f')}")


if __name__ == "__main__":
    main()
