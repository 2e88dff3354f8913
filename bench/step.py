"""Cost of one step on the page, backprop, forward pass and forward mode: click -> painted.

    .venv/bin/python bench/step.py [--steps 30] [--choices 5] [--sweeps backward,forward,tangent]

For the lecture example (10 flow nodes) and a ~2,000-node MLP, clicks Step repeatedly
(from the start again, after Reset, when a graph has fewer steps) and times each from
the click to the next painted frame (Python's step, one batched bridge call, React
re-rendering only the touched nodes). Each sweep is timed: backprop as the page opens,
the forward pass after Forward pass, forward mode after choosing the first input; and
choosing that input (from forward mode off) to painted. Prints min / median / max in ms.

Two clocks: "click -> painted" clicks at any moment, so it includes waiting for the next
frame (up to 16.7 ms at 60 Hz); "work" clicks at the start of a frame (in a
requestAnimationFrame callback) and stops when that same frame is painted, which is
the step's own cost: Python, React, and the browser's style, layout, paint and layerize.
Fitted to the canvas, the MLP is drawn as bare boxes (too small for text; a step shows as
their rings), so it is timed again zoomed in until the nodes in view are drawn in full.
Before each round of steps the page is Reset and left to write its link (a step's link
is written 200 ms after the last step), so no round pays for the one before.
"""

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "py"))

from render import (  # noqa: E402
    app_page, draw, drawn_far, mlp_program, site_argument, spread, view_at_rest,
    zoom_in_to_detail,
)

from chainrule import flow_graph, parse  # noqa: E402
from chainrule.state.presets import LECTURE  # noqa: E402

SWEEPS = ("backward", "forward", "tangent")  # as the step counter's data-phase names them


def at_any_moment(action):
    """JS: `action(arg)` now; resolves with the ms until the next frame is painted."""
    return f"""(arg) => new Promise((resolve) => {{
  const started = performance.now();
  ({action})(arg);
  requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started)));
}})"""


def in_frame(action):
    """JS: `action(arg)` at the start of a frame; resolves with the ms until that frame is
    painted (a task posted from a frame callback runs once the frame's rendering is done)."""
    return f"""(arg) => new Promise((resolve) => requestAnimationFrame(() => {{
  const started = performance.now();
  ({action})(arg);
  setTimeout(() => resolve(performance.now() - started));
}}))"""


CLOCKS = {"click -> painted": at_any_moment, "work": in_frame}
STEP = """() => document.querySelector('[data-testid="step"]').click()"""
# Forward mode for input `name` ('' is off, null the first input).
CHOOSE_TANGENT = """(name) => {
  const select = document.querySelector('[data-testid="tangent-input"]');
  select.value = name ?? select.options[1].value;
  select.dispatchEvent(new Event('change'));
}"""
# The page's link writes, counted, so a click can wait for the link it makes.
COUNT_LINK_WRITES = """() => {
  const write = history.replaceState.bind(history);
  window.linkWrites = 0;
  history.replaceState = (...args) => { window.linkWrites += 1; return write(...args); };
}"""
# Clicks the control `testid`; resolves once the page has written the link it makes (a
# step's link is written 200 ms after it), so no timed step pays for it.
CLICK_TILL_LINK_WRITTEN = """(testid) => new Promise((resolve, reject) => {
  const writes = window.linkWrites;
  const control = document.querySelector(`[data-testid="${testid}"]`);
  if (control.disabled) return reject(new Error(`${testid} is disabled`));
  control.click();
  const written = () => {
    if (window.linkWrites === writes) requestAnimationFrame(written);
    else resolve();
  };
  requestAnimationFrame(written);
})"""
# The step counter's sweep and words, e.g. ["forward", "forward 3 / 5"] (a build from
# before forward mode, timed for comparison, steps backprop only and names no sweep).
COUNTER = """(() => {
  const counter = document.querySelector('[data-testid="step-counter"]');
  return [counter.dataset.phase ?? 'backward', counter.textContent];
})()"""


def position(counter):
    """(steps taken, steps in the sweep) from the counter's words, e.g. "forward 3 / 5"."""
    taken, total = counter.rsplit(" ", 3)[-3::2]
    return int(taken), int(total)


def click_settled(page, testid):
    """Clicks a control and waits until its link is written and the view is at rest."""
    page.evaluate(CLICK_TILL_LINK_WRITTEN, testid)
    view_at_rest(page)


def reset(page, sweep):
    """Reset (disabled when already there), settled; the number of steps in `sweep`, which
    must be the one Step walks."""
    if page.is_enabled('[data-testid="reset"]'):
        click_settled(page, "reset")
    phase, counter = page.evaluate(COUNTER)
    if phase != sweep or position(counter)[0] != 0:
        sys.exit(f"after Reset the page is at {counter!r} ({phase}), not the start of {sweep}")
    return position(counter)[1]


def timed_steps(page, sweep, steps):
    """{clock: ms of each of `steps` steps}, in rounds from Reset when the sweep is shorter."""
    times = {}
    for clock, timing in CLOCKS.items():
        script = timing(STEP)
        times[clock] = []
        while len(times[clock]) < steps:
            total = reset(page, sweep)
            now = [page.evaluate(script) for _ in range(min(steps - len(times[clock]), total))]
            counter = page.evaluate(COUNTER)[1]
            if position(counter)[0] != len(now):
                sys.exit(f"{len(now)} clicks on Step took the page to {counter!r}")
            times[clock] += now
    return times


def timed_choices(page, choices):
    """{clock: ms of each of `choices` choices of the first input}, each from forward mode
    off; leaves forward mode on for that input."""
    times = {}
    for clock, timing in CLOCKS.items():
        script = timing(CHOOSE_TANGENT)
        times[clock] = []
        for _ in range(choices):
            page.evaluate(script, "")
            times[clock].append(page.evaluate(script, None))
    return times


def start(page, sweep, choices):
    """Puts the page into `sweep` (a new graph opens in backprop); for forward mode, returns
    the times of choosing its input."""
    if sweep == "forward":
        click_settled(page, "forward-pass")
    if sweep == "tangent":
        return timed_choices(page, choices)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--choices", type=int, default=5,
                        help="how many times to time choosing a tangent input")
    parser.add_argument("--sweeps", default=",".join(SWEEPS),
                        help="which sweeps to step, comma-separated")
    site_argument(parser)
    args = parser.parse_args()
    asked = set(args.sweeps.split(","))
    if not asked <= set(SWEEPS):
        parser.error(f"--sweeps takes {', '.join(SWEEPS)}")
    sweeps = [sweep for sweep in SWEEPS if sweep in asked]  # a new graph opens in backprop
    steps, choices = {}, {}
    with app_page(args.site) as page:
        page.evaluate(COUNT_LINK_WRITES)
        for text in (mlp_program(2, [18, 18]), LECTURE):  # each differs from what is drawn
            draw(page, text)
            drawn = text
            nodes = len(flow_graph(parse(text).output)["nodes"])
            far = drawn_far(page)
            views = ["fitted (boxes only)", "zoomed in, in full"] if far else ["fitted"]
            for sweep in sweeps:
                for view in views:
                    if view == "zoomed in, in full":
                        zoom_in_to_detail(page)
                    name = f"{nodes:5d} nodes, {sweep:8s}, {view}"
                    print(f"timing {name}", file=sys.stderr, flush=True)
                    chosen = start(page, sweep, args.choices)
                    if chosen:
                        choices[f"{nodes:5d} nodes, {view}"] = chosen
                    steps[name] = timed_steps(page, sweep, args.steps)
                if far:  # fitted again for the next sweep: a new text opens in backprop
                    drawn = text if drawn != text else text + "\n"
                    draw(page, drawn)
            if "tangent" in sweeps:
                page.evaluate(CHOOSE_TANGENT, "")
    print("one Step (min / median / max, ms)")
    for name, clocks in steps.items():
        for clock, times in clocks.items():
            print(f"  {name:50s} {len(times):2d} steps, {clock:16s} {spread(times, '6.1f')}")
    if choices:
        print("choosing a tangent input, forward mode off -> on, painted (min / median / max, ms)")
        for name, clocks in choices.items():
            for clock, times in clocks.items():
                print(f"  {name:50s} {len(times):2d} times, {clock:16s} {spread(times, '6.1f')}")


if __name__ == "__main__":
    main()
