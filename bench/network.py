"""A first visit over a throttled link: the built site next to a bare PyScript page.

    .venv/bin/python bench/network.py [--runs 3] [--site site] [--old OLD_SITE]
                                      [--links 50/20,10/40,3/100]

A static server on 127.0.0.1 serves gzip as GitHub Pages does (Content-Encoding:
gzip for text, JavaScript, JSON, wasm and zip; already-compressed files as they
are) and counts what it serves per path. Chromium's network emulation
(`Network.emulateNetworkConditions` over CDP) throttles each link: down
Mbps / round trip ms. Each visit is
cold: a new browser context, no HTTP cache, no service worker.

Per link, medians over the runs: navigation -> the first graph painted, -> the
first Step's grad on screen (Step clicked as soon as it is enabled), -> ready
(<html data-state="ready">); the bytes served before ready; the bytes of the
whole first visit (until the service worker has cached what it caches and the
server has been quiet for two seconds); and any path served more than once in a
visit. The bare page boots the same Pyodide (web/node_modules/pyodide, as npm
ships it) through PyScript and only sets the marker. `--old` adds another build
(an older commit's site/) to the same run, so old and new see the same machine.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

sys.path.insert(0, str(REPO / "bench"))

import chromium  # noqa: E402
from boot import bare_page  # noqa: E402
from static_server import StaticServer  # noqa: E402

SITE = REPO / "site"
MODULES = REPO / "web" / "node_modules"
# Stamps, on the page's own clock (0 = navigation start): the first graph drawn, ready,
# and the first Step's grad on screen, Step being clicked the moment it is enabled.
STAMPS = """
(() => {
  const now = () => performance.now();
  const step = () => document.querySelector('[data-testid="step"]');
  const grads = () => [...document.querySelectorAll('[data-testid="value-node"]')]
    .map((node) => node.getAttribute('data-grad')).join('|');
  let before = null;
  new MutationObserver((_, observer) => {
    if (document.documentElement.dataset.state === 'ready' && window.readyAt === undefined) {
      window.readyAt = now();
    }
    if (window.graphAt === undefined && document.querySelector('[data-testid="value-node"]')) {
      window.graphAt = now();
    }
    const button = step();
    if (before === null && button && !button.disabled && window.graphAt !== undefined) {
      before = grads();
      window.stepClickedAt = now();
      button.click();
    }
    if (before !== null && window.stepAt === undefined && grads() !== before) {
      window.stepAt = now();
    }
    if (window.readyAt !== undefined && window.stepAt !== undefined) observer.disconnect();
  }).observe(document, {attributes: true, childList: true, subtree: true});
})();
"""
STAMPED = """() => ({ready: window.readyAt, graph: window.graphAt, step: window.stepAt,
    origin: performance.timeOrigin, boot: document.documentElement.dataset.pythonBoot ?? null,
    rule: performance.getEntriesByName('chainrule:boot-rule')[0]?.detail ?? null})"""
WORKER_DONE = """async () => {
  if (!navigator.serviceWorker) return false;
  const registration = await navigator.serviceWorker.ready;
  // Builds that say when their precache is done answer 'precached'; older ones are done once active.
  const worker = registration.active;
  return await new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(true);
    worker.postMessage({type: 'precached?'}, [channel.port2]);
    setTimeout(() => resolve(true), 2000);
  });
}"""
QUIET_SECONDS = 2.0


def link(spec):
    mbps, rtt = spec.split("/")
    return float(mbps), float(rtt)


def throttle(context, page, mbps, rtt):
    """Emulates the link for the page; Chromium applies it to the page's dedicated workers'
    requests too (the snapshot worker's downloads), not to the service worker's, which
    only precaches after ready."""
    if not mbps:
        return None
    conditions = {
        "offline": False,
        "latency": rtt,
        "downloadThroughput": mbps * 1e6 / 8,
        "uploadThroughput": mbps * 1e6 / 8,
    }
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", conditions)
    return session


class Server:
    """The served folders, and what was served when (wall clock, for the page's stamps)."""

    def __init__(self, mounts):
        self.static = StaticServer(mounts, gzip=True)
        self.log = []
        stats = self.static.stats
        original = stats.count

        def count(path, size):
            original(path, size)
            self.log.append((time.time() * 1000, path.split("?", 1)[0], size))

        stats.count = count

    def since(self, index):
        return self.log[index:]


def visit(browser, server, url, mbps, rtt, has_worker):
    context = browser.new_context()
    page = context.new_page()
    throttle(context, page, mbps, rtt)
    page.add_init_script(STAMPS)
    first = len(server.log)
    page.goto(url, wait_until="commit", timeout=120_000)
    page.wait_for_function("window.readyAt !== undefined", timeout=600_000)
    if has_worker:
        page.wait_for_function("window.stepAt !== undefined", timeout=120_000)
    stamps = page.evaluate(STAMPED)
    ready_wall = stamps["origin"] + stamps["ready"]
    if has_worker:
        page.evaluate(WORKER_DONE)
    while not server.log or time.time() - server.log[-1][0] / 1000 < QUIET_SECONDS:
        time.sleep(0.2)
    served = server.since(first)
    context.close()
    before_ready = sum(size for at, _, size in served if at <= ready_wall)
    counts = {}
    for _, path, size in served:
        if size:
            counts[path] = counts.get(path, 0) + 1
    return {
        "graph": stamps["graph"] / 1000 if stamps["graph"] is not None else None,
        "step": stamps["step"] / 1000 if stamps.get("step") is not None else None,
        "ready": stamps["ready"] / 1000,
        "before_ready": before_ready,
        "total": sum(size for _, _, size in served),
        "twice": sorted(path for path, n in counts.items() if n > 1),
        "boot": stamps["boot"],
        "rule": stamps["rule"],
    }


def median(samples, key):
    values = [s[key] for s in samples if s[key] is not None]
    return statistics.median(values) if values else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (default: site/)")
    parser.add_argument("--old", type=Path, help="another built site to measure in the same run")
    parser.add_argument("--links", default="50/20,10/40,3/100",
                        help="Mbps/RTT ms, comma-separated; 0/0 is no throttling")
    parser.add_argument("--both-boots", action="store_true",
                        help="also the site forced to boot with the snapshot and without (?boot=)")
    parser.add_argument("--variants", default="",
                        help="also the site with these queries, comma-separated (e.g. ?packing=xz)")
    args = parser.parse_args()
    for site in filter(None, (args.site, args.old)):
        if not (site / "index.html").is_file():
            sys.exit(f"{site} is not built: run `make build` first")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        bare = Path(scratch)
        (bare / "index.html").write_text(bare_page("../vendor/pyscript", "../vendor/pyodide"))
        mounts = {
            "/chainrule/": args.site, "/bare/": bare,
            "/vendor/pyodide/": MODULES / "pyodide",
            "/vendor/pyscript/": MODULES / "@pyscript" / "core" / "dist",
        }
        pages = {"chainrule": ("/chainrule/", True)}
        if args.both_boots:
            pages["  ?boot=snapshot"] = ("/chainrule/?boot=snapshot", True)
            pages["  ?boot=normal"] = ("/chainrule/?boot=normal", True)
        for query in filter(None, args.variants.split(",")):
            pages[f"  {query}"] = (f"/chainrule/{query}", True)
        if args.old:
            mounts["/old/"] = args.old
            pages["old build"] = ("/old/", True)
        pages["bare PyScript"] = ("/bare/", False)
        server = Server(mounts)
        links = [link(spec) for spec in args.links.split(",")]
        results = {}
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            for mbps, rtt in links:
                samples = {name: [] for name in pages}
                for _ in range(args.runs):
                    for name, (path, has_worker) in pages.items():
                        samples[name].append(visit(
                            browser, server, server.static.url(path), mbps, rtt, has_worker))
                results[(mbps, rtt)] = samples
                report_link(mbps, rtt, samples, args.runs)
            browser.close()
        server.static.stop()


def boots(visits):
    """How Python came up in the visits: "snapshot ×3", "normal ×2, snapshot"."""
    counts = {}
    for visit in visits:
        if visit["boot"]:
            counts[visit["boot"]] = counts.get(visit["boot"], 0) + 1
    return ", ".join(f"{how} ×{n}" if n > 1 else how for how, n in counts.items()) or "-"


def report_link(mbps, rtt, samples, runs):
    bare_ready = median(samples["bare PyScript"], "ready")
    bare_bytes = median(samples["bare PyScript"], "before_ready")
    link = f"{mbps:g} Mbps, {rtt:g} ms RTT" if mbps else "no throttling"
    print(f"\n{link}: medians of {runs} cold visits")
    print(f"  {'':16} {'graph':>6} {'step':>6} {'ready':>6} {'/bare':>6}"
          f" {'MB<ready':>9} {'/bare':>6} {'MB visit':>9}  {'boots':17} served twice")
    fmt = lambda v, spec: format(v, spec) if v is not None else " " * len(format(0, spec))  # noqa: E731
    for name, visits in samples.items():
        ready = median(visits, "ready")
        before = median(visits, "before_ready")
        twice = sorted({path for v in visits for path in v["twice"]})
        print(
            f"  {name:16} {fmt(median(visits, 'graph'), '6.2f')} {fmt(median(visits, 'step'), '6.2f')}"
            f" {ready:6.2f} {ready / bare_ready:5.2f}x {before / 1e6:9.2f} {before / bare_bytes:5.2f}x"
            f" {median(visits, 'total') / 1e6:9.2f}  {boots(visits):17} {', '.join(twice) or '-'}"
        )
        rules = [v["rule"] for v in visits if v["rule"]]
        if rules:
            print(f"  {'':16} the rule: probe {statistics.median(r['probeMs'] for r in rules):.1f} ms,"
                  f" link {statistics.median(r['mbps'] for r in rules):.1f} Mbps, snapshot"
                  f" {statistics.median(r['snapshotSeconds'] for r in rules):.2f} s vs a normal boot's"
                  f" {statistics.median(r['normalBootSeconds'] for r in rules):.2f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
