"""A first visit: each file downloaded once, what the user does while Python starts, faults."""

import collections
import re

import pytest
from playwright.sync_api import expect

from harness import SERVICE_WORKER_ACTIVE, SITE, SUBPATH, wait_for_state
from pages import LECTURE, assert_that, by_testid, eventually, read_canvas
from test_app_shell import (
    NEW_WORKER_WAITING, a_first_visit_to_a_served_copy, a_served_copy_of_the_site, cache_name,
    deploy_a_new_title, reopened_after_the_update,
)

WASM = "**/pyodide/pyodide.asm.wasm*"  # with its .xz twin, which a first visit downloads
STDLIB = "**/pyodide/python_stdlib.zip*"
CACHED_PATHS = """async () => {
    const [name] = (await caches.keys()).filter((key) => key !== 'chainrule-staged');
    const keys = await (await caches.open(name)).keys();
    return keys.map((request) => new URL(request.url).pathname);
}"""


def downloads(server):
    """{path: how many times its body was sent} (a 304 sends none)."""
    return {path: sum(1 for size in sizes if size) for path, sizes in server.served().items()}


def held_until_released(context, pattern):
    """Holds the first request matching `pattern`; returns a function that lets it go."""
    held = []
    context.route(pattern, lambda route: held.append(route))

    def release(page):
        eventually(page, lambda: assert_that(held, "the page never asked for it"))
        held[0].continue_()
        context.unroute(pattern)

    return release


def test_a_first_visit_downloads_each_file_once_and_caches_only_what_pages_use(
        context, server, app_url):
    page = context.new_page()
    page.goto(app_url)
    wait_for_state(page, "ready")
    asked_by_the_page = set(downloads(server))
    assert page.evaluate(SERVICE_WORKER_ACTIVE)

    twice = {path: n for path, n in downloads(server).items() if n > 1}
    assert twice == {}
    cached = set(page.evaluate(CACHED_PATHS)) - {SUBPATH + "__complete__"}
    snapshot = SUBPATH + "pyodide/python.snapshot"
    # The service worker keeps the snapshot decoded; the manifest and its icons are
    # the page's too, though a headless browser never asks for them, and so are the
    # lessons, fetched when one is opened (offline too).
    referenced = {SUBPATH + path for path in (
        "manifest.webmanifest", "icons/icon-192.png", "icons/icon-512.png")}
    referenced |= {f"{SUBPATH}lessons/{path.name}" for path in (SITE / "lessons").iterdir()}
    # The boot downloads each of these once, as the file or as its .xz or .gz twin
    # (web/build/xz.mjs, by the link's speed); the cache keeps them decoded.
    big = [SUBPATH + "pyodide/pyodide.asm.wasm", SUBPATH + "pyodide/python_stdlib.zip", snapshot]
    twins = {base: [path for path in asked_by_the_page if path.startswith(base)] for base in big}
    assert [len(twins[base]) for base in big[:2]] == [1, 1] and len(twins[snapshot]) <= 1, twins
    decoded = {path: base for base, paths in twins.items() for path in paths}
    asked = {decoded.get(path, path) for path in asked_by_the_page}
    assert cached - {snapshot} - referenced <= asked
    assert asked - {SUBPATH + "sw.js"} <= cached
    assert snapshot in cached


def test_the_loader_counts_the_bytes_it_downloads(context, app_url):
    release = held_until_released(context, WASM)
    page = context.new_page()
    page.goto(app_url + "?packing=xz&boot=normal", wait_until="domcontentloaded")
    stage = by_testid(page, "boot-stage")
    on_the_wire = sum((SITE / "pyodide" / name).stat().st_size
                      for name in ("pyodide.asm.wasm.xz", "python_stdlib.zip.xz"))
    # The standard library arrives while the wasm is held: all of it, and none of the wasm.
    arrived = (SITE / "pyodide" / "python_stdlib.zip.xz").stat().st_size
    eventually(page, lambda: assert_that(
        stage.text_content() == f"Downloading Python… {arrived / 1e6:.1f} of "
                                f"{on_the_wire / 1e6:.1f} MB", stage.text_content()))
    release(page)
    wait_for_state(page, "ready")


def test_what_the_user_types_while_python_starts_is_drawn_at_ready(context, app_url):
    release = held_until_released(context, WASM)
    page = context.new_page()
    page.goto(app_url, wait_until="domcontentloaded")
    editor = by_testid(page, "expression")
    typed = LECTURE.rstrip() + "\ng = L*3"
    editor.fill(typed)
    editor.press("Control+Enter")
    release(page)
    wait_for_state(page, "ready")
    assert editor.input_value() == typed
    eventually(page, lambda: assert_that(
        "g" in {v["label"] for v in read_canvas(page).values.values()}, "g is not drawn"))


def test_controls_that_wait_for_python_say_so_until_it_is_ready(context, app_url):
    release = held_until_released(context, WASM)
    page = context.new_page()
    page.goto(app_url, wait_until="domcontentloaded")
    page.wait_for_function("document.readyState !== 'loading'")
    # (The step controls step the build's recording meanwhile: test_first_steps.py.)
    for name in ("share", "preset", "edit-mode", "forward-pass", "direction"):
        control = by_testid(page, name)
        assert control.is_disabled(), name
        assert control.get_attribute("title") == "Python is starting…", name
    release(page)
    wait_for_state(page, "ready")
    assert by_testid(page, "share").get_attribute("title") == "Copy a link to this graph and step"
    assert by_testid(page, "direction").get_attribute("title") == "Lay out left-to-right or top-to-bottom"


def test_a_connection_dropped_mid_download_offers_a_retry_that_downloads_only_what_never_arrived(
        new_context, server, app_url):
    context, problems = new_context()
    problems.expect(r"^failed request: \S+/pyodide/python_stdlib\.zip(\.xz)? ")
    problems.expect(r"^console error: Failed to load resource")
    problems.expect(r"^page error: (Python could not start|ExitStatus|Failed to fetch)")
    # What Pyodide itself logs when Python starts without its standard library.
    for line in ("Error occurred while installing the standard library", "TypeError: Failed to fetch",
                 "Fatal Python error", "Python runtime state", "ModuleNotFoundError", "Current thread",
                 "  <no Python frame>", "$"):
        problems.expect(rf"^console error: {line}")
    # The connection drops half-way through the standard library, and is still down
    # when the boot tries it again as a plain zip.
    server.cut("/pyodide/python_stdlib.zip.xz")
    context.route("**/pyodide/python_stdlib.zip", lambda route: route.abort("internetdisconnected"))
    page = context.new_page()
    page.goto(app_url + "?boot=normal&packing=xz")
    wait_for_state(page, "error")
    stdlib = SUBPATH + "pyodide/python_stdlib.zip.xz"
    assert 0 < server.served()[stdlib][0] < (SITE / "pyodide" / "python_stdlib.zip.xz").stat().st_size
    # The rest of the page agrees: no stage still downloading, nothing to edit or tune,
    # and the controls that need Python say why they stay disabled.
    assert by_testid(page, "boot-stage").text_content() == "Python could not start"
    assert by_testid(page, "expression").get_attribute("readonly") is not None
    assert "Python could not start" in by_testid(page, "inputs-list").text_content()
    for name in ("share", "preset", "edit-mode", "forward-pass"):
        assert by_testid(page, name).get_attribute("title") == "Python could not start", name
    by_testid(page, "value-a").click()
    field = page.locator('input[data-testid="value-a"]')
    field.fill("5")
    field.press("Enter")
    expect(by_testid(page, "value-error-a")).to_have_text("Python could not start")
    page.wait_for_function(  # the wasm arrived whole and was staged
        "caches.open('chainrule-staged').then((c) => c.keys()).then((k) => k.some("
        "(r) => r.url.includes('pyodide.asm.wasm')))")

    context.unroute("**/pyodide/python_stdlib.zip")
    by_testid(page, "retry").click()
    wait_for_state(page, "ready")
    wasm = SUBPATH + "pyodide/pyodide.asm.wasm"
    assert downloads(server)[wasm + ".xz"] == 1
    assert downloads(server)[stdlib] == 2  # the half that arrived, then the whole
    assert page.evaluate(SERVICE_WORKER_ACTIVE)
    assert downloads(server)[wasm + ".xz"] == 1 and wasm not in downloads(server)


def test_a_half_finished_precache_never_serves_two_builds(new_context, server, tmp_path):
    site, url = a_served_copy_of_the_site(server, tmp_path)
    context, problems = new_context()
    problems.expect(r"^failed request: \S+/python\.snapshot\.xz ")
    # The connection drops while the service worker precaches: it never completes.
    context.route("**/python.snapshot.xz", lambda route: route.abort("connectionreset"))
    page = context.new_page()
    page.goto(url + "?boot=normal")
    wait_for_state(page, "ready")
    assert page.evaluate(SERVICE_WORKER_ACTIVE) is False
    old_name = cache_name(site)
    page.close()

    new_name = deploy_a_new_title(site)
    context.unroute("**/python.snapshot.xz")
    page = context.new_page()
    page.goto(url)
    wait_for_state(page, "ready")
    # The old build's cache holds part of it: the page comes whole from the network.
    assert page.locator("h1").text_content() == "chainrule 2"
    assert python_version_shown(page)
    page = reopened_after_the_update(page, context, server, url, tmp_path)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert old_name not in page.evaluate("caches.keys()")
    assert new_name in page.evaluate("caches.keys()")


def test_a_deploy_while_a_tab_is_open_leaves_it_working_and_the_next_visit_gets_the_new_build(
        new_context, server, tmp_path):
    site, url, context, page = a_first_visit_to_a_served_copy(new_context, server, tmp_path)
    page.close()
    page = context.new_page()  # a later visit: the old build's worker serves this tab
    page.goto(url)
    wait_for_state(page, "ready")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    new_name = deploy_a_new_title(site)
    assert page.evaluate(NEW_WORKER_WAITING)  # installed whole beside the open tab

    # The open tab keeps working on its own build: a new program, its steps, an example.
    by_testid(page, "expression").fill("x = 3\ny = x*x")
    eventually(page, lambda: assert_that(
        {v["label"] for v in read_canvas(page).values.values()} == {"x", "y"}, "not drawn"))
    by_testid(page, "step").click()
    expect(by_testid(page, "step-counter")).to_have_text("backward 1 / 3")
    by_testid(page, "preset").select_option("neuron")
    expect(by_testid(page, "step-counter")).to_have_text(re.compile(r"^backward 0 / \d+$"))
    assert page.locator("h1").text_content() == "chainrule"

    # Once it is closed, the next visit is the new build, whole.
    page = reopened_after_the_update(page, context, server, url, tmp_path)
    assert python_version_shown(page)
    assert page.evaluate("caches.keys()") == [new_name]


def python_version_shown(page):
    return by_testid(page, "python-version").text_content().startswith("Python 3.")


BOOT_RULE = "performance.getEntriesByName('chainrule:boot-rule')[0]?.detail ?? null"


def test_a_slow_first_visit_chooses_its_boot_by_what_the_link_and_the_device_cost(
        context, server, app_url):
    page = context.new_page()
    link = context.new_cdp_session(page)
    link.send("Network.enable")
    link.send("Network.emulateNetworkConditions", {  # 4 Mbps, 40 ms
        "offline": False, "latency": 40, "downloadThroughput": 4e6 / 8, "uploadThroughput": 4e6 / 8,
    })
    page.goto(app_url)
    wait_for_state(page, "ready", timeout=180_000)
    rule = page.evaluate(BOOT_RULE)
    assert 2 < rule["mbps"] <= 4.2, rule  # the link, timed on the wasm
    assert rule["probeMs"] > 0 and rule["normalBootSeconds"] > 0
    assert rule["packing"] == "xz"  # a slow link: the smallest files
    wire = (SITE / "pyodide" / "python.snapshot.xz").stat().st_size
    assert abs(rule["snapshotSeconds"] - wire * 8e-6 / rule["mbps"]) < 0.01
    faster = "normal" if rule["snapshotSeconds"] > rule["normalBootSeconds"] else "snapshot"
    assert page.evaluate("document.documentElement.dataset.pythonBoot") == faster, rule
    snapshot_downloaded = SUBPATH + "pyodide/python.snapshot.xz" in downloads(server)
    assert snapshot_downloaded == (faster == "snapshot")


def test_after_a_first_visit_without_the_snapshot_the_next_visit_restores_it(
        context, server, app_url):
    page = context.new_page()
    page.goto(app_url + "?boot=normal&packing=xz")
    wait_for_state(page, "ready")
    assert page.evaluate("document.documentElement.dataset.pythonBoot") == "normal"
    assert page.evaluate(BOOT_RULE) is None  # forced: no rule
    # Fetched for the next visit, once, after ready.
    assert page.evaluate(SERVICE_WORKER_ACTIVE)
    assert downloads(server)[SUBPATH + "pyodide/python.snapshot.xz"] == 1
    page.reload()
    wait_for_state(page, "ready")
    assert page.evaluate("document.documentElement.dataset.pythonBoot") == "cached snapshot"


# Before any script of the page: what pyodide-boot.mjs hands the staging cache from the
# page itself, and the standard library's progress as the loader hears it.
WATCH_THE_BOOT = """
window.stagedByThePage = [];
const put = globalThis.Cache?.prototype.put;  // (about:blank has no Cache)
if (put) Cache.prototype.put = function (request, response) {
    const url = new URL(String(request.url ?? request), location.href);
    stagedByThePage.push(url.pathname + url.search);
    return put.call(this, request, response);
};
window.stdlibProgress = [];
addEventListener('chainrule:boot-progress', ({detail}) => {
    if (detail[0] === 'stdlib') stdlibProgress.push(detail);
});
"""
NATIVE = ("() => [fetch, WebAssembly.instantiateStreaming].every("
          "(f) => Function.prototype.toString.call(f).includes('[native code]'))")


@pytest.mark.parametrize("boot", ["snapshot", "normal"])
def test_pyodide_boots_through_the_fetch_and_instantiate_the_boot_module_lends_it(
        context, app_url, boot):
    """pyodide-boot.mjs replaces `fetch` and `WebAssembly.instantiateStreaming` while Python
    boots, and Pyodide must call both at the time it downloads: should an upgrade capture
    `fetch` early or compile the wasm another way, the wasm would download twice and the
    standard library would go unstaged and uncounted, with no error anywhere. (The
    snapshot worker downloads the wasm and the standard library, here as their .xz twins;
    Pyodide's own requests for them get the worker's answers.)"""
    asked = collections.Counter()

    def count(route):
        asked[route.request.url.rsplit("/", 1)[1]] += 1
        route.continue_()

    context.route("**/pyodide/*", count)  # the page's and its snapshot worker's requests
    context.add_init_script(WATCH_THE_BOOT)
    page = context.new_page()
    page.goto(f"{app_url}?boot={boot}&packing=xz")
    wait_for_state(page, "ready")
    assert page.evaluate("document.documentElement.dataset.pythonBoot") == boot
    # The worker downloads and compiles the wasm; Pyodide's own request for it got the
    # stand-in answer and its instantiateStreaming our module (the mark is set there).
    assert asked["pyodide.asm.wasm.xz"] == 1 and asked["pyodide.asm.wasm"] == 0
    assert page.evaluate("performance.getEntriesByName('chainrule:wasm-compiled').length") == 1
    # The standard library came from the worker, counted; the lockfile went through the
    # boot's fetch and was staged once.
    assert asked["python_stdlib.zip.xz"] == 1 and asked["python_stdlib.zip"] == 0
    assert asked["pyodide-lock.json"] == 1
    staged = page.evaluate("stagedByThePage")
    assert staged.count(f"{SUBPATH}pyodide/pyodide-lock.json?staged") == 1
    progress = page.evaluate("stdlibProgress")
    assert progress and progress[-1][1] == progress[-1][2] > 0
    # and both are the browser's own again once Python is up
    assert page.evaluate(NATIVE)
