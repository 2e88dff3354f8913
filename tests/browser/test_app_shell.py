"""The app shell: boot, readiness contract, offline reloads, boot failures."""

import json
import re
import shutil
import subprocess

import pytest

from harness import REPO, SERVICE_WORKER_ACTIVE, SITE, wait_for_state
from pages import assert_that, eventually, run_python

SERVICE_WORKER_BUILD = REPO / "web" / "build" / "service-worker.mjs"
# The wasm and its .xz twin, which a first visit downloads (web/build/xz.mjs).
WASM = "**/pyodide/pyodide.asm.wasm*"
SNAPSHOT = "**/pyodide/python.snapshot.xz"
# The snapshot downloaded, from its .xz twin (the tests' routes answer for that one).
SNAPSHOT_BOOT = "?boot=snapshot&packing=xz"
# Activation comes after install, and install only succeeds once every asset is cached.
NEW_WORKER_WAITING = """async () => {
    const registration = await navigator.serviceWorker.ready;
    await registration.update();
    for (let i = 0; i < 300 && !registration.waiting; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return registration.waiting !== null;
}"""


def by_testid(page, name):
    return page.locator(f'[data-testid="{name}"]')


def python_boot(page):
    return page.evaluate("document.documentElement.dataset.pythonBoot")


def test_boot_reaches_ready_and_hides_the_loader(page, app_url):
    page.goto(app_url + SNAPSHOT_BOOT)
    wait_for_state(page, "ready")
    assert not by_testid(page, "loader").is_visible()
    assert by_testid(page, "boot-error").is_hidden()
    assert python_boot(page) == "snapshot"


def test_python_writes_its_version_into_the_page(page, app_url):
    page.goto(app_url)
    wait_for_state(page, "ready")
    lock = json.loads((SITE / "pyodide" / "pyodide-lock.json").read_text())
    version = by_testid(page, "python-version")
    assert version.get_attribute("data-python") == lock["info"]["python"]
    assert re.fullmatch(
        rf"Python {re.escape(lock['info']['python'])} · Pyodide [\d.]+ · chainrule \S+",
        version.text_content(),
    )


def test_a_boot_compiles_no_python(page, app_url):
    # The snapshot carries the code Pyodide and PyScript run at every boot,
    # compiled (web/build/snapshot_prepare.py); a miss means PyScript changed
    # what it runs and the build no longer matches it (web/build/pyscript-code.mjs).
    page.goto(app_url + SNAPSHOT_BOOT)
    wait_for_state(page, "ready")
    missed = page.evaluate("""async () => {
        const { whenDefined } = await import(new URL('pyscript/core.js', document.baseURI).href);
        const { interpreter } = await whenDefined('py');
        return interpreter.pyimport('pyodide.code').eval_code_async.missed.toJs();
    }""")
    assert missed == []


@pytest.mark.parametrize("boot", ["normal", "snapshot"])
def test_a_boot_imports_only_bytecode(page, app_url, boot):
    # Our package and PyScript's are bytecode in the site's zip, ahead of the source
    # PyScript writes into Python's home: nothing the page imports is compiled at boot.
    page.goto(f"{app_url}?boot={boot}&packing=xz")
    wait_for_state(page, "ready")
    assert page.evaluate("document.documentElement.dataset.pythonBoot") == boot
    sys_path = json.loads(run_python(page, "import json, sys; json.dumps(sys.path)"))
    assert sys_path[0].endswith(".zip") and "" in sys_path
    # Where each module was loaded from (Python's frozen modules name a file they were
    # never read from).
    files = json.loads(run_python(page, """
import json, sys
json.dumps({name: getattr(getattr(module, "__spec__", None), "origin", None)
            for name, module in list(sys.modules.items())})
"""))
    assert files["chainrule.page.app"].endswith(".zip/chainrule/page/app.pyc")
    assert files["pyscript"].endswith(".zip/pyscript/__init__.pyc")
    assert [name for name, file in files.items() if file and file.endswith(".py")] == []


def test_python_mounts_the_renderer_bundle(page, app_url):
    page.goto(app_url)
    wait_for_state(page, "ready")
    canvas = by_testid(page, "canvas")
    assert canvas.get_attribute("data-mounted") == "true"
    assert canvas.locator(".react-flow__renderer").count() == 1


PYTHON_VIEW = """async () => {
    const { whenDefined } = await import(new URL('pyscript/core.js', document.baseURI).href);
    const { interpreter } = await whenDefined('py');
    return interpreter.runPython(
        'import json; from chainrule.page import app; json.dumps(app.page.session.whole_view())');
}"""
FIRST_LAYOUT = re.compile(r'(<script type="application/json" id="first-layout">)(.*?)(</script>)', re.S)


def node_boxes(view):
    return {node["id"]: (node["position"], node["width"], node["height"]) for node in view["nodes"]}


def first_graph(page):
    """The build's view of the default example that the page drew first: the one in the
    direction the first paint chose for the canvas."""
    direction = by_testid(page, "canvas").get_attribute("data-first-direction")
    return json.loads(page.evaluate("document.getElementById('first-graph').textContent"))[direction]


def test_python_draws_the_prerendered_graph_where_it_already_is(page, app_url):
    page.goto(app_url)
    wait_for_state(page, "ready")
    assert node_boxes(json.loads(page.evaluate(PYTHON_VIEW))) == node_boxes(first_graph(page))


def test_the_builds_layout_is_what_dagre_gives_in_the_page(page, app_url):
    # Python's first boot takes the build's dagre answer for the default example
    # instead of running dagre: only right while the page's dagre agrees with it.
    page.goto(app_url)
    wait_for_state(page, "ready")
    built, fresh = page.evaluate("""async () => {
        const { dagre, graphlibJson } = await import(new URL('renderer/renderer.js', document.baseURI).href);
        const first = JSON.parse(document.getElementById('first-layout').textContent);
        return [first.map((entry) => entry.layout), first.map((entry) => {
            const graph = graphlibJson.read(entry.request);
            dagre.layout(graph);
            return JSON.parse(JSON.stringify(graphlibJson.write(graph)));
        })];
    }""")
    assert len(built) == 2, "a layout each way, left to right and top to bottom"
    assert fresh == built


def test_the_first_boot_takes_the_builds_layout_instead_of_running_dagre(page, app_url):
    moved = 1000

    def shift_the_builds_layout(route):
        html = route.fetch().text()
        head, layouts, tail = FIRST_LAYOUT.search(html).groups()
        layouts = json.loads(layouts)
        for layout in layouts:
            for node in layout["layout"]["nodes"]:
                node["value"]["x"] += moved
        html = FIRST_LAYOUT.sub(lambda _: head + json.dumps(layouts) + tail, html)
        route.fulfill(body=html, content_type="text/html")

    page.route(re.compile(r".*/chainrule/(index\.html)?$"), shift_the_builds_layout)
    page.goto(app_url)
    wait_for_state(page, "ready")
    drawn = node_boxes(json.loads(page.evaluate(PYTHON_VIEW)))
    expected = {
        node: ({"x": position["x"] + moved, "y": position["y"]}, width, height)
        for node, (position, width, height) in node_boxes(first_graph(page)).items()
    }
    assert drawn == expected


# Run before the page's own scripts: notes, when PyScript's module is added to the page,
# whether the page's <script type="py">, which holds PyScript's config, is there yet.
WATCH_PYSCRIPT = """
new MutationObserver((records, observer) => {
  for (const { addedNodes } of records) {
    for (const node of addedNodes) {
      if (node.tagName === 'SCRIPT' && (node.src || '').endsWith('/pyscript/core.js')) {
        window.pyscriptFoundConfig = Boolean(document.querySelector('script[type="py"][config]'));
        observer.disconnect();
      }
    }
  }
}).observe(document, { childList: true, subtree: true });
"""


def test_pyscript_starts_only_once_the_page_holds_its_config(context, app_url):
    # PyScript reads its config (our boot module as the interpreter) when its module runs;
    # run earlier, it fetched Pyodide from its CDN. A page the service worker serves boots
    # at once, before the parser has reached the end of the page.
    context.add_init_script(WATCH_PYSCRIPT)
    page = context.new_page()
    page.goto(app_url)
    wait_for_state(page, "ready")
    assert page.evaluate("window.pyscriptFoundConfig") is True
    assert page.evaluate(SERVICE_WORKER_ACTIVE), "the service worker never activated"
    page.reload()
    wait_for_state(page, "ready")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert page.evaluate("window.pyscriptFoundConfig") is True


def test_shell_paints_before_python_and_shows_boot_stages(page, app_url):
    held = []
    page.route(WASM, lambda route: held.append(route))
    page.goto(app_url, wait_until="domcontentloaded")
    assert page.evaluate("document.documentElement.dataset.state") == "loading"
    assert by_testid(page, "boot-stage").text_content().startswith("Downloading Python… ")
    for part in ("expression", "canvas", "controls", "loader"):
        assert by_testid(page, part).is_visible(), part
    assert page.locator("header h1").text_content() == "chainrule"
    assert by_testid(page, "expression").input_value().startswith("a = 2")

    eventually(page, lambda: assert_that(held, "the page never asked for the wasm"))
    page.evaluate("""() => {
        window.seenStages = [];
        new MutationObserver(() => seenStages.push(document.documentElement.dataset.bootStage))
            .observe(document.documentElement, {attributeFilter: ['data-boot-stage']});
    }""")
    held[0].continue_()
    wait_for_state(page, "ready")
    stages = page.evaluate("window.seenStages")
    assert stages == ["start", "ready"], stages
    assert not by_testid(page, "loader").is_visible()


def test_reload_works_offline_after_one_visit(context, page, server, app_url):
    page.goto(app_url)
    wait_for_state(page, "ready")
    assert page.evaluate(SERVICE_WORKER_ACTIVE), "the service worker never activated"

    context.set_offline(True)
    server.stop()
    page.reload()
    wait_for_state(page, "ready")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert by_testid(page, "python-version").text_content().startswith("Python 3.")
    assert python_boot(page) == "cached snapshot"


def boot_with_broken_wasm(new_context, app_url, answer):
    context, problems = new_context()
    problems.expect(r"^failed request: \S+/pyodide/pyodide\.asm\.wasm(\.xz)? ")
    # Chromium's own line for a failed load names no file, so the harness
    # accepts it only here, next to the wasm failure it comes from.
    problems.expect(r"^console error: Failed to load resource")
    # The boot's rejection, left unhandled by PyScript once the page shows it.
    problems.expect(r"^page error: pyodide\.asm\.wasm could not be downloaded")
    context.route(WASM, answer)
    page = context.new_page()
    page.goto(app_url)
    wait_for_state(page, "error")
    message = by_testid(page, "boot-error")
    assert message.is_visible()
    assert "Python could not start" in message.text_content()
    assert "pyodide.asm.wasm" in message.text_content()
    assert not by_testid(page, "loader").is_visible()
    assert by_testid(page, "expression").is_visible()
    return problems


def test_missing_wasm_shows_the_error_state(new_context, app_url):
    problems = boot_with_broken_wasm(new_context, app_url, lambda route: route.fulfill(status=404))
    assert any("HTTP 404" in p for p in problems.found)


def test_unreachable_wasm_shows_the_error_state(new_context, app_url):
    problems = boot_with_broken_wasm(new_context, app_url, lambda route: route.abort())
    assert any(p.startswith("failed request") for p in problems.found)


def test_boot_without_the_snapshot_falls_back_to_a_normal_boot(new_context, app_url):
    context, problems = new_context()
    # The service worker's precaching, after ready, fails on it too.
    problems.expect(r"^failed request: \S+/pyodide/python\.snapshot\.xz ")
    problems.expect(r"^console error: Failed to load resource: .* 404")
    context.route(SNAPSHOT, lambda route: route.fulfill(status=404))
    messages = booted_normally_instead(context, app_url)
    assert any("booting normally" in m for m in messages)


def booted_normally_instead(context, app_url):
    """Opens the site asking for the snapshot; returns the console's messages once it is
    ready, Python having booted normally instead."""
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(app_url + SNAPSHOT_BOOT)
    wait_for_state(page, "ready")
    assert python_boot(page) == "normal"
    assert by_testid(page, "python-version").text_content().startswith("Python 3.")
    return messages


def test_a_truncated_snapshot_falls_back_to_a_normal_boot(new_context, app_url):
    context, _ = new_context()
    whole = (SITE / "pyodide" / "python.snapshot.xz").read_bytes()
    context.route(SNAPSHOT, lambda route: route.fulfill(body=whole[:len(whole) // 2]))
    # Nothing to expect: a bad snapshot must not show up as an error anywhere.
    booted_normally_instead(context, app_url)


def test_a_snapshot_of_another_build_is_never_restored(new_context, app_url):
    # A deploy between the page and its snapshot's download: another build's snapshot,
    # the same size as this one's.
    sparse = bytearray(subprocess.run(["xz", "-dc", str(SITE / "pyodide" / "python.snapshot.xz")],
                                      capture_output=True, check=True).stdout)
    sparse[len(sparse) // 2] ^= 0xFF
    other = subprocess.run(["xz", "-1", "-c"], input=bytes(sparse), capture_output=True,
                           check=True).stdout
    context, _ = new_context()
    context.route(SNAPSHOT, lambda route: route.fulfill(body=other))
    assert any("not this build's" in m for m in booted_normally_instead(context, app_url))


def a_served_copy_of_the_site(server, tmp_path):
    """A copy of the built site that a test can deploy over, and its URL."""
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    server.mount("/update/", site)
    return site, server.url("/update/")


def cache_name(site):
    return re.search(r"const CACHE = '(chainrule-[0-9a-f]+)'", (site / "sw.js").read_text())[1]


def deploy_a_new_title(site):
    """What a rebuild does to `site`: a changed page and the service worker written for it
    (a new cache name and the new page's hash). Returns the new cache name."""
    index = site / "index.html"
    title = '<h1 class="masthead__title">chainrule'
    index.write_text(index.read_text().replace(title, title + " 2"))
    subprocess.run(
        ["node", "--input-type=module", "-e",
         f"import {{ writeServiceWorker }} from {json.dumps(str(SERVICE_WORKER_BUILD))};"
         f"await writeServiceWorker({json.dumps(str(site))});"],
        check=True, timeout=120,
    )
    return cache_name(site)


def wait_until_the_new_worker_took_over(context, server, url, tmp_path):
    """Once every tab of the old build has closed, the waiting worker activates: watched
    from a page of the same origin outside the site's scope."""
    probe = tmp_path / "probe"
    probe.mkdir(exist_ok=True)
    (probe / "index.html").write_text("<!doctype html><title>probe</title><link rel=icon href='data:,'>")
    server.mount("/probe/", probe)
    page = context.new_page()
    page.goto(server.url("/probe/"))
    page.wait_for_function("""async (url) => {
        const registration = await navigator.serviceWorker.getRegistration(url);
        return registration && !registration.waiting && !registration.installing
            && registration.active?.state === 'activated';
    }""", arg=url, polling=100)
    page.close()


def reopened_after_the_update(page, context, server, url, tmp_path):
    """Closes `page` once the new build's worker waits, and opens the new build."""
    assert page.evaluate(NEW_WORKER_WAITING)
    page.close()
    wait_until_the_new_worker_took_over(context, server, url, tmp_path)
    page = context.new_page()
    page.goto(url)
    wait_for_state(page, "ready")
    assert page.locator("h1").text_content() == "chainrule 2"
    return page


def a_first_visit_to_a_served_copy(new_context, server, tmp_path):
    """(site, url, context, page): a copy of the site to deploy over, visited once, its
    service worker holding the whole build."""
    site, url = a_served_copy_of_the_site(server, tmp_path)
    context, _ = new_context()
    page = context.new_page()
    page.goto(url)
    wait_for_state(page, "ready")
    assert page.evaluate(SERVICE_WORKER_ACTIVE)
    return site, url, context, page


def test_a_new_deploy_replaces_the_cache_whole(new_context, server, tmp_path):
    site, url, context, page = a_first_visit_to_a_served_copy(new_context, server, tmp_path)
    old_caches = page.evaluate("caches.keys()")
    page.close()

    old_name = cache_name(site)
    new_name = deploy_a_new_title(site)

    page = context.new_page()
    page.goto(url)
    wait_for_state(page, "ready")
    # The old version is served whole until the new one takes over.
    assert page.locator("h1").text_content() == "chainrule"
    page = reopened_after_the_update(page, context, server, url, tmp_path)
    assert old_caches == [old_name]
    assert page.evaluate("caches.keys()") == [new_name]
