"""Boot time of the built site next to a bare PyScript page, in one run.

    .venv/bin/python bench/boot.py [--runs 5] [--site site]      (after `make build`)

Prints navigation -> <html data-state="ready"> times, cold (a new browser
profile: empty HTTP cache, no service worker) and warm (the same profile after
a first visit: chainrule from its service worker, the bare page from the HTTP
cache), as min / median / max over the runs, and the bytes the server sent
before ready. Profiles live on disk, as a real user's do: an incognito context's
memory cache would not keep the 9.6 MB wasm, which flatters the service worker.
The bare page boots Pyodide through PyScript, both as npm ships them (not the
site's copies: the site's standard library is cut down and compiled), and only
sets the marker. Last, where chainrule's warm boots spend their time: the medians of
the boot's Performance marks (web/shell/pyodide-boot.mjs) and of PyScript
starting the page's script, and the CPU time the page's main thread spent before
ready (from a trace, in extra warm boots): on a shared machine wall times move
with the load, CPU time much less, so it says whether a change removed work.
"""

import argparse
import collections
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

import chromium  # noqa: E402
from harness import SERVICE_WORKER_ACTIVE  # noqa: E402
from static_server import StaticServer  # noqa: E402

SITE = REPO / "site"
MODULES = REPO / "web" / "node_modules"
BARE_PAGE = """<!doctype html>
<html data-state="loading">
<head>
  <meta charset="utf-8">
  <script type="module" src="PYSCRIPT/core.js"></script>
</head>
<body>
  <script type="py" config='{"interpreter": "PYODIDE/pyodide.mjs"}'>
import js
js.document.documentElement.dataset.state = "ready"
  </script>
</body>
</html>
"""


def bare_page(pyscript, pyodide):
    """The bare PyScript page, taking PyScript and Pyodide from these folders (URLs)."""
    return BARE_PAGE.replace("PYSCRIPT", pyscript).replace("PYODIDE", pyodide)
# Stamps the moment the page turns ready, on the page's own clock (0 = navigation start).
STAMP_READY = """
new MutationObserver((_, observer) => {
  if (document.documentElement.dataset.state === 'ready') {
    window.readyAt = performance.now();
    observer.disconnect();
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-state']});
"""
# PyScript's "about to run the page's <script type=py>" event, as a mark.
STAMP_PYSCRIPT = """
document.addEventListener('py:ready', () => performance.mark('chainrule:pyscript-runs'), true);
"""
MARKS = """() => Object.fromEntries(performance.getEntriesByType('mark')
    .filter((mark) => mark.name.startsWith('chainrule:'))
    .map((mark) => [mark.name.slice('chainrule:'.length), mark.startTime / 1000]))"""
# The boot's stages (web/shell/pyodide-boot.mjs), printed in the order the boots passed them.
STAGES = {
    "boot-module": "boot module runs (HTML, service worker, boot.js)",
    "snapshot-read": "snapshot read and unpacked by the worker",
    "wasm-compiled": "wasm compiled by the worker, instantiated",
    "python-restored": "Python restored from the snapshot",
    "pyscript-asks": "PyScript asks for the interpreter",
    "pyscript-runs": "PyScript runs the page's script",
}
MAIN_THREAD = "CrRendererMain"
TASK = "ThreadControllerImpl::RunTask"


def visit(context, server, url):
    """One navigation to ready: (page, seconds, bytes the server sent meanwhile, marks)."""
    page = context.new_page()
    page.add_init_script(STAMP_READY + STAMP_PYSCRIPT)
    sent_before = server.bytes_sent
    page.goto(url)
    page.wait_for_function("window.readyAt !== undefined", timeout=120_000)
    seconds = page.evaluate("window.readyAt") / 1000
    sent = server.bytes_sent - sent_before
    return page, seconds, sent, page.evaluate(MARKS)


def primed_profile(playwright, server, url, has_service_worker):
    """A browser profile that has visited `url` once (and installed its worker)."""
    profile = tempfile.mkdtemp(prefix="chainrule-bench-")
    context = chromium.launch_profile(playwright, profile)
    page, *_ = visit(context, server, url)
    if has_service_worker:
        page.evaluate(SERVICE_WORKER_ACTIVE)
    page.close()
    return profile, context


def measure(playwright, server, pages, runs):
    """Cold and warm samples per page, the pages taking turns so that both see
    the same machine (other work on it slows every boot)."""
    cold = {name: [] for name in pages}
    warm = {name: [] for name in pages}
    warm_marks = {name: [] for name in pages}
    primed = {
        name: primed_profile(playwright, server, url, has_sw)
        for name, (url, has_sw) in pages.items()
    }
    for _ in range(runs):
        for name, (url, _) in pages.items():
            with tempfile.TemporaryDirectory() as profile:
                context = chromium.launch_profile(playwright, profile)
                _, seconds, sent, _ = visit(context, server, url)
                cold[name].append((seconds, sent))
                context.close()
            page, seconds, sent, marks = visit(primed[name][1], server, url)
            warm[name].append((seconds, sent))
            warm_marks[name].append({**marks, "ready": seconds})
            page.close()
    app_url, _ = pages["chainrule"]
    cpu = [main_thread_cpu(primed["chainrule"][1], app_url) for _ in range(runs)]
    for profile, context in primed.values():
        context.close()
        shutil.rmtree(profile, ignore_errors=True)
    return {name: (cold[name], warm[name]) for name in pages}, warm_marks, cpu


def main_thread_cpu(context, url):
    """One traced warm boot: CPU seconds of the page's main thread from navigation
    to ready, in all and by what each task started with."""
    page = context.new_page()
    page.add_init_script(STAMP_READY)
    session = context.new_cdp_session(page)
    events, done = [], []
    session.on("Tracing.dataCollected", lambda event: events.extend(event["value"]))
    session.on("Tracing.tracingComplete", lambda event: done.append(True))
    session.send("Tracing.start", {
        "categories": "toplevel,blink.user_timing,devtools.timeline,v8",
        "transferMode": "ReportEvents",
    })
    page.goto(url)
    page.wait_for_function("window.readyAt !== undefined", timeout=120_000)
    ready_ms = page.evaluate("window.readyAt")
    session.send("Tracing.end")
    while not done:
        page.wait_for_timeout(100)
    page.close()
    threads = {
        (e["pid"], e["tid"]): e["args"]["name"]
        for e in events if e.get("ph") == "M" and e.get("name") == "thread_name"
    }
    # Trace times are microseconds on their own clock; the page's count from navigation.
    start = min(e["ts"] for e in events if e.get("name") == "navigationStart")
    end = start + ready_ms * 1000
    on_main = [
        e for e in events
        if threads.get((e["pid"], e["tid"])) == MAIN_THREAD and e.get("ph") == "X"
        and start <= e["ts"] < end
    ]
    by_start = collections.Counter()
    for task in (e for e in on_main if e["name"] == TASK):
        inside = [
            e for e in on_main
            if e is not task and e["name"] != TASK
            and task["ts"] <= e["ts"] and e["ts"] + e["dur"] <= task["ts"] + task["dur"]
        ]
        first = min(inside, key=lambda e: (e["ts"], -e["dur"]), default=None)
        by_start[first["name"] if first else "(other)"] += task.get("tdur", 0) / 1e6
    return sum(by_start.values()), by_start


def breakdown(marks):
    """Median seconds from navigation to each stage of the warm boots, and the step to it."""
    medians = []
    for stage, label in [*STAGES.items(), ("ready", "ready: Python drew the page")]:
        times = [sample[stage] for sample in marks if stage in sample]
        if times:
            medians.append((statistics.median(times), label))
    lines = []
    previous = 0.0
    for at, label in sorted(medians):
        lines.append(f"  {at:5.2f}  {at - previous:+5.2f}  {label}")
        previous = at
    return lines


def cpu_summary(samples):
    """Median main-thread CPU seconds before ready, and the tasks that took most of it."""
    totals = [total for total, _ in samples]
    labels = collections.Counter()
    for _, by_start in samples:
        labels.update(by_start)
    lines = [f"  {statistics.median(totals):5.2f}  in all (min {min(totals):.2f}, max {max(totals):.2f})"]
    for label, _ in labels.most_common(6):
        lines.append(f"  {statistics.median(s.get(label, 0) for _, s in samples):5.2f}  tasks starting with {label}")
    return lines


def summary(samples):
    times = [seconds for seconds, _ in samples]
    sent = statistics.median(size for _, size in samples)
    return (
        f"{min(times):5.2f} {statistics.median(times):5.2f} {max(times):5.2f}"
        f"  {sent / 1e6:6.2f} MB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (default: site/)")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        sys.exit(f"{args.site} is not built: run `make build` first")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        bare = Path(scratch)
        (bare / "index.html").write_text(bare_page("../vendor/pyscript", "../vendor/pyodide"))
        server = StaticServer({
            "/chainrule/": args.site, "/bare/": bare,
            "/vendor/pyodide/": MODULES / "pyodide",
            "/vendor/pyscript/": MODULES / "@pyscript" / "core" / "dist",
        })
        pages = {
            "chainrule": (server.url("/chainrule/"), True),
            "bare PyScript": (server.url("/bare/"), False),
        }
        with sync_playwright() as playwright:
            results, marks, cpu = measure(playwright, server, pages, args.runs)
        server.stop()

    print(f"navigation -> ready, seconds over {args.runs} runs (min median max), bytes sent before ready")
    print(f"{'':15} {'cold':>17} {'':9}   {'warm':>17}")
    for name, (cold, warm) in results.items():
        print(f"{name:15} {summary(cold)}   {summary(warm)}")
    (app_cold, app_warm), (bare_cold, bare_warm) = results.values()
    median = lambda samples: statistics.median(s for s, _ in samples)  # noqa: E731
    print(
        f"chainrule / bare: cold {median(app_cold) / median(bare_cold):.2f}x,"
        f" warm {median(app_warm) / median(bare_warm):.2f}x"
    )
    print("chainrule warm boot, medians: seconds from navigation, step")
    print("\n".join(breakdown(marks["chainrule"])))
    print("chainrule warm boot, main thread CPU seconds before ready (traced boots), medians")
    print("\n".join(cpu_summary(cpu)))


if __name__ == "__main__":
    main()
