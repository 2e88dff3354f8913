"""How fast the graph appears: cold first node visible, submit -> painted by size, and
the MLP preset collapsed by neuron (submit, expand one neuron, collapse it again), and
how readable the first view of a small graph is in the windows people have.

    .venv/bin/python bench/render.py [--runs 5] [--readable-only]      (after `make build`)

First node: a fresh browser context (cold HTTP cache, no service worker), navigation ->
the first value node on screen (the build's prerendered graph, drawn before Python is up),
with navigation -> data-state="ready" beside it. Submit -> painted: the text goes into
the editor, Ctrl+Enter is pressed, and the clock stops at the first frame after the
canvas holds the new graph (Python parse + layout + one bridge call + React Flow render).
Every figure is min / median / max over the runs, in milliseconds.

Readable zoom: for each window and example, the zoom the page chose with no zooming by
hand, how many value nodes are at least partly in view, how many of those draw their
numbers, and the smallest number's height on screen (font size x zoom, CSS px).
"""

import argparse
import contextlib
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "py"))
sys.path.insert(0, str(REPO / "bench"))

import chromium  # noqa: E402
from pages import LECTURE_NEURON  # noqa: E402
from static_server import StaticServer  # noqa: E402
from boot import STAMP_READY  # noqa: E402

from chainrule import MLP, flow_graph, parse  # noqa: E402
from chainrule.state.presets import PRESETS  # noqa: E402

SITE = REPO / "site"
PREFIX = "/chainrule/"
# Checked at every frame from the start: the clock stops once the frame that shows a value
# node inside the canvas has been painted (the static first graph counts once it is
# fitted and visible, the flow's own nodes once they are drawn).
STAMP_FIRST_NODE = """
const nodeShown = () => {
  const canvas = document.querySelector('[data-testid="canvas"]');
  const node = canvas?.querySelector('[data-testid="value-node"]');
  if (!node || getComputedStyle(node).visibility !== 'visible') return false;
  const box = node.getBoundingClientRect();
  const frame = canvas.getBoundingClientRect();
  return box.width > 0 && box.right > frame.left && box.left < frame.right
    && box.bottom > frame.top && box.top < frame.bottom;
};
const watchFrame = () => {
  if (nodeShown()) setTimeout(() => { window.firstNodeAt = performance.now(); });
  else requestAnimationFrame(watchFrame);
};
requestAnimationFrame(watchFrame);
"""


def drawing(action):
    """JS: runs `action(arg)`, which must make the page draw a graph in its handler (the
    page draws synchronously); resolves with the ms until that graph is painted. Nothing
    drawn is an error, not a wait that never ends: a graph with as many nodes as the one
    on screen is drawn all the same, so the canvas's data-nodes is watched for being
    written, not for a new count."""
    return f"""(arg) => new Promise((resolve, reject) => {{
  const canvas = document.querySelector('[data-testid="canvas"]');
  const drawn = new MutationObserver(() => {{}});
  drawn.observe(canvas, {{attributes: true, attributeFilter: ['data-nodes']}});
  const started = performance.now();
  const refused = ({action})(arg);
  const drew = drawn.takeRecords().length > 0;
  drawn.disconnect();
  if (!drew) return reject(new Error(`nothing was drawn: ${{refused}}`));
  requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started)));
}})"""


# Puts the text in the editor and presses Ctrl+Enter; says why if nothing is drawn.
SUBMIT = drawing("""(text) => {
  const editor = document.querySelector('[data-testid="expression"]');
  editor.value = text;
  editor.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', ctrlKey: true, bubbles: true}));
  const error = document.querySelector('[data-testid="expression-error"]')?.textContent;
  return error || 'the text is the one on screen';
}""")
# Clicks a group's toggle.
TOGGLE = drawing("""(name) => {
  document.querySelector(`[data-group="${name}"] [data-testid="group-toggle"]`).click();
  return `the toggle of ${name} drew nothing`;
}""")
# Resolves once the canvas's viewport has kept one transform for `frames` frames in a row
# and that is painted: a fit, a zoom or the pan that follows a step has come to rest.
VIEW_AT_REST = """(frames) => new Promise((resolve) => {
  let last, same = 0;
  const look = () => {
    const now = document.querySelector('[data-testid="canvas"] .react-flow__viewport')
      .style.transform;
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= frames) setTimeout(resolve);
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})"""
# The nodes have slid to their places after a regroup.
REGROUPED = """!document.querySelector('[data-testid="canvas"]').classList.contains('is-regrouping')"""
WAIT_READY = "document.documentElement.dataset.state === 'ready'"


def mlp_program(nin, hidden, groups=False):
    """An MLP's program; without `groups` every node is drawn (no neuron boxes)."""
    return MLP(nin, hidden + [1], seed=0).source([0.5] * nin, 1.0, digits=4, groups=groups)


WORKLOADS = {  # name -> program text; sizes are printed from the graphs themselves
    "~50 nodes": mlp_program(2, [3]),
    "~500 nodes": mlp_program(2, [8, 6]),
    "~1,600 nodes": mlp_program(2, [16, 16]),
    "~2,000 nodes": mlp_program(2, [18, 18]),  # issue 4's target size
}


VIEWPORT = {"width": 1280, "height": 800}

READABLE_WINDOWS = {
    "1366x768": {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1},
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 1},
    "390x844 phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
                      "is_mobile": True, "has_touch": True},
}
READABLE_EXAMPLES = {
    "lecture neuron (17 values)": LECTURE_NEURON,
    "tanh neuron (12 values)": PRESETS["neuron"][1],
    "default example": PRESETS["lecture"][1],
}
# The first view of the graph on the canvas: zoom, value nodes in view, those drawing
# their numbers, and the smallest number's height on screen (font size x zoom).
READ_READABLE = """() => {
  const canvas = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
  const zoom = Number(document.querySelector('.react-flow__viewport').style.transform
    .match(/scale\\(([^)]+)\\)/)[1]);
  const seen = [...document.querySelectorAll('[data-testid="value-node"]')].filter((el) => {
    const b = el.getBoundingClientRect();
    return b.right > canvas.left && b.left < canvas.right && b.bottom > canvas.top
      && b.top < canvas.bottom;
  });
  const numbers = seen.map((el) => [...el.querySelectorAll('.vnode__cell > span:last-child')]);
  const heights = numbers.flat().map((n) => parseFloat(getComputedStyle(n).fontSize) * zoom);
  return {zoom, inView: seen.length, withText: numbers.filter((n) => n.length === 2).length,
          smallest: heights.length ? Math.min(...heights) : 0};
}"""


def spread(values, form="7.0f"):
    """min / median / max of `values`, each formatted with `form`."""
    return " ".join(f"{x:{form}}" for x in (min(values), statistics.median(values), max(values)))


def require_site(site=SITE):
    if not (site / "index.html").is_file():
        sys.exit(f"{site} is not built: run `make build` first")


def site_argument(parser):
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (default: site/)")


@contextlib.contextmanager
def app_page(site=SITE):
    """A page of the built site with Python ready, for the benchmarks that click in it."""
    require_site(site)
    from playwright.sync_api import sync_playwright

    server = StaticServer({PREFIX: site})
    try:
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(server.url(PREFIX))
            page.wait_for_function(WAIT_READY, timeout=120_000)
            yield page
            browser.close()
    finally:
        server.stop()


def drawn_far(page):
    """True if the canvas draws its nodes as bare boxes (zoomed out too far for text)."""
    return page.locator('[data-testid="canvas"] .is-far').count() > 0


IN_VIEW = """() => {
  const pane = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
  return [...document.querySelectorAll('[data-testid="canvas"] .react-flow__node')]
    .map((node) => node.getBoundingClientRect())
    .filter((box) => box.right >= pane.left && box.left <= pane.right
                     && box.bottom >= pane.top && box.top <= pane.bottom).length;
}"""


def nodes_in_view(page):
    """How many graph nodes are at least partly inside the canvas."""
    return page.evaluate(IN_VIEW)


def view_at_rest(page):
    """Waits until the canvas's view has stopped moving and is painted."""
    page.evaluate(VIEW_AT_REST, 3)


def zoom_in_to_detail(page):
    """Zooms in (the flow's + button) until nodes are drawn in full, not as bare boxes."""
    for _ in range(40):
        if not drawn_far(page):
            return
        page.click(".react-flow__controls-zoomin")
        view_at_rest(page)
    sys.exit("the nodes never came near enough to be drawn in full")


def draw(page, text):
    """Puts `text` on the page (a text other than the one on screen) and waits until its
    first view is at rest."""
    page.evaluate(SUBMIT, text)
    view_at_rest(page)


def readable_table(browser, url):
    """{(window, example): first-view readings} (READ_READABLE) for every pair."""
    table = {}
    for window, options in READABLE_WINDOWS.items():
        context = browser.new_context(**options)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(WAIT_READY, timeout=120_000)
        for example, text in READABLE_EXAMPLES.items():
            page.evaluate(SUBMIT, "a = 1")  # so the example is a new graph, as submitted
            page.evaluate(SUBMIT, text)
            view_at_rest(page)  # the fit after the page around the canvas settled
            table[window, example] = page.evaluate(READ_READABLE)
        context.close()
    return table


def print_readable(table):
    print("readable zoom: first view with no zooming by hand")
    print(f"  {'window':14s} {'example':28s} {'zoom':>5s} {'in view':>7s} {'with numbers':>12s}"
          f" {'smallest number':>15s}")
    for (window, example), row in table.items():
        print(f"  {window:14s} {example:28s} {row['zoom']:5.2f} {row['inView']:7d} "
              f"{row['withText']:12d} {row['smallest']:12.1f} px")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--readable-only", action="store_true",
                        help="only the readable-zoom table")
    site_argument(parser)
    args = parser.parse_args()
    require_site(args.site)
    from playwright.sync_api import sync_playwright

    if args.readable_only:
        server = StaticServer({PREFIX: args.site})
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            print_readable(readable_table(browser, server.url(PREFIX)))
            browser.close()
        server.stop()
        return

    server = StaticServer({PREFIX: args.site})
    url = server.url(PREFIX)
    first, ready, collapsed, expand, collapse = [], [], [], [], []
    submit = {name: [] for name in WORKLOADS}
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        for _ in range(args.runs):
            context = browser.new_context(viewport=VIEWPORT)
            context.add_init_script(STAMP_FIRST_NODE + "\n" + STAMP_READY)
            page = context.new_page()
            page.goto(url)
            page.wait_for_function(WAIT_READY, timeout=120_000)
            page.wait_for_function("window.firstNodeAt !== undefined")
            first.append(page.evaluate("window.firstNodeAt"))
            ready.append(page.evaluate("window.readyAt"))
            for name, text in WORKLOADS.items():
                submit[name].append(page.evaluate(SUBMIT, text))
            # From a small graph, as from the examples menu (tearing down the biggest
            # graph first would add its own cost).
            draw(page, PRESETS["sanity"][1])
            collapsed.append(page.evaluate(SUBMIT, PRESETS["mlp"][1]))
            view_at_rest(page)
            expand.append(page.evaluate(TOGGLE, "L2.N7"))
            page.wait_for_function(REGROUPED)
            collapse.append(page.evaluate(TOGGLE, "L2.N7"))
            context.close()
        readable = readable_table(browser, url)
        browser.close()
    server.stop()
    print(f"graph rendering, {args.runs} runs (min / median / max, ms)")
    print(f"  cold: first value node visible  {spread(first)}")
    print(f"  cold: data-state=ready          {spread(ready)}")
    for name, text in WORKLOADS.items():
        nodes = len(flow_graph(parse(text).output)["nodes"])
        print(f"  submit -> painted, {nodes:5d} nodes {spread(submit[name])}")
    print(f"  MLP preset (2-16-16-1) collapsed by neuron, submit -> painted  {spread(collapsed)}")
    print(f"  expand one neuron (L2.N7) -> painted  {spread(expand)}")
    print(f"  collapse it again -> painted          {spread(collapse)}")
    print_readable(readable)


if __name__ == "__main__":
    main()
