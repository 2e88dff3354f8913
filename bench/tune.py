"""Cost of tuning an input on the page: one value change -> every value and grad redrawn.

    .venv/bin/python bench/tune.py [--changes 40]      (after `make build`)

For the lecture example and a ~200-node MLP, runs Finish (so every gradient is live and
recomputed on each change), then moves the first input's slider again and again, as a
scrub does. Each change is timed from the slider's input event to the next painted frame
(Python's forward + backward pass, one batched bridge call, React redrawing the changed
nodes), and separately until the event handler returned (the work before paint).
Prints min / median / max in ms; the target is 16 ms (60 fps) at 200 nodes.
"""

import argparse
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "py"))

import chromium  # noqa: E402
from render import PREFIX, SITE, SUBMIT, WAIT_READY, mlp_program  # noqa: E402
from static_server import StaticServer  # noqa: E402

from chainrule import flow_graph, parse  # noqa: E402
from chainrule.presets import LECTURE  # noqa: E402

MOVE_SLIDER = """([name, value]) => new Promise((resolve) => {
  const slider = document.querySelector(`[data-testid="slider-${name}"]`);
  slider.value = String(value);
  const started = performance.now();
  slider.dispatchEvent(new Event('input', {bubbles: true}));
  const handled = performance.now() - started;
  requestAnimationFrame(() => setTimeout(() => resolve([handled, performance.now() - started])));
})"""


def spread(values):
    return f"{min(values):6.1f} {statistics.median(values):6.1f} {max(values):6.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=40)
    args = parser.parse_args()
    if not (SITE / "index.html").is_file():
        sys.exit("site/ is not built: run `make build` first")
    from playwright.sync_api import sync_playwright

    server = StaticServer({PREFIX: SITE})
    results = {}
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url(PREFIX))
        page.wait_for_function(WAIT_READY, timeout=120_000)
        for text in (mlp_program(2, [5, 4]), LECTURE):  # each differs from what is drawn
            program = parse(text)
            page.evaluate(SUBMIT, text)
            page.wait_for_timeout(500)
            page.click('[data-testid="finish"]')
            name, first = next(iter(program.inputs.items()))
            start = first.data
            times = [page.evaluate(MOVE_SLIDER, [name, round(start + 0.01 * (k + 1), 2)])
                     for k in range(args.changes)]
            results[len(flow_graph(program.output)["nodes"])] = times
        browser.close()
    server.stop()
    print("one input change -> handled / painted (min / median / max, ms)")
    for nodes, times in sorted(results.items()):
        handled = [t[0] for t in times]
        painted = [t[1] for t in times]
        print(f"  {nodes:5d} nodes, {len(times)} changes: handled {spread(handled)}"
              f"   painted {spread(painted)}")


if __name__ == "__main__":
    main()
