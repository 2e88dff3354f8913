"""Links and copies: the state in the URL, hostile links, and the copied scripts."""

from playwright.sync_api import expect

from chainrule.state.presets import PRESETS
from chainrule.state.share import SharedState, encode
from harness import SERVICE_WORKER_ACTIVE, wait_for_state
from pages import (
    LECTURE, Expected, by_testid, check_position, expect_counter, open_app, read_canvas,
    same_number, wait_for_graph,
)
from test_scripts import run as run_script  # tests/, on the path once pages is imported

NEURON = PRESETS["neuron"][1]
HOSTILE = '<img src=x onerror="window.pwned=1;alert(1)">'


def with_clipboard(context, server):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)


def clipboard(page):
    return page.evaluate("navigator.clipboard.readText()")


def test_a_shared_link_restores_text_direction_and_step_offline(new_context, server, app_url):
    context, _ = new_context()
    with_clipboard(context, server)
    page = context.new_page()
    open_app(page, app_url)
    by_testid(page, "preset").select_option("neuron")
    expected = Expected.of(NEURON)
    wait_for_graph(page, expected, exact=False)
    by_testid(page, "direction").click()
    for _ in range(3):
        by_testid(page, "step").click()
    expect_counter(page, 3, expected.total)
    by_testid(page, "share").click()
    expect(by_testid(page, "toast")).to_have_text("Link copied to the clipboard")
    link = clipboard(page)
    assert link.startswith(app_url) and "#s=" in link

    other, _ = new_context()  # another browser profile: it has visited once, now offline
    first = other.new_page()
    open_app(first, app_url)
    assert first.evaluate(SERVICE_WORKER_ACTIVE)
    other.set_offline(True)
    shared = other.new_page()
    shared.goto(link)
    wait_for_state(shared, "ready")
    expect(by_testid(shared, "expression")).to_have_value(NEURON)
    expect(by_testid(shared, "direction")).to_have_attribute("data-direction", "TB")
    check_position(shared, expected, 3, exact=False)


def test_the_url_follows_the_state_so_a_reload_keeps_the_step(page, app_url):
    open_app(page, app_url)
    by_testid(page, "step").click()
    by_testid(page, "step").click()
    expect_counter(page, 2, 7)
    page.wait_for_function("(hash) => location.hash === hash",
                           # direction: unchosen
                           arg=encode(SharedState(LECTURE, None, 2, example="lecture")))
    page.reload()
    wait_for_state(page, "ready")
    check_position(page, Expected.of(LECTURE), 2)


def test_a_step_past_the_end_shows_the_last_and_says_so(page, app_url):
    page.goto(app_url + encode(SharedState(LECTURE, "LR", 99)))
    wait_for_state(page, "ready")
    expect_counter(page, 7, 7)
    expect(by_testid(page, "notice")).to_contain_text("step 99 is past the last step (7)")


def test_a_damaged_link_says_so_and_falls_back(page, app_url):
    page.goto(app_url + "#s=eNqrVipRslJKVLBVMIr")
    wait_for_state(page, "ready")
    expect(by_testid(page, "notice")).to_contain_text("This link could not be opened")
    wait_for_graph(page, Expected.of(LECTURE))
    page.wait_for_function("(hash) => location.hash === hash",
                           arg=encode(SharedState(LECTURE, None, 0, example="lecture")))


def no_script_ran(page):
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("img").count() == 0


def test_hostile_links_are_only_ever_text(page, app_url):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app_url + "#s=" + HOSTILE)  # not even base64
    wait_for_state(page, "ready")
    expect(by_testid(page, "notice")).to_contain_text("damaged")
    no_script_ran(page)

    hostile_program = f"{HOSTILE}\na = 2"
    page.goto(app_url + encode(SharedState(hostile_program)))
    wait_for_state(page, "ready")
    expect(by_testid(page, "expression")).to_have_value(hostile_program)
    error = by_testid(page, "expression-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("<img")  # quoted as text
    assert read_canvas(page).values  # a graph is still drawn
    no_script_ran(page)
    assert not dialogs


def test_the_copied_pytorch_script_prints_the_grads_the_page_shows(new_context, server,
                                                                    app_url):
    context, _ = new_context()
    with_clipboard(context, server)
    page = context.new_page()
    open_app(page, app_url)
    by_testid(page, "preset").select_option("neuron")
    wait_for_graph(page, Expected.of(NEURON), exact=False)
    by_testid(page, "finish").click()
    by_testid(page, "copy-pytorch").click()
    expect(by_testid(page, "toast")).to_have_text("PyTorch script copied to the clipboard")
    printed = run_script(clipboard(page))
    shown = {n["label"]: n["grad"] for n in read_canvas(page).values.values()
             if n["role"] == "input"}
    assert printed.keys() == shown.keys()
    for name, grad in printed.items():
        assert same_number(shown[name], grad, exact=False), (name, shown[name], grad)

    by_testid(page, "copy-python").click()
    expect(by_testid(page, "toast")).to_have_text("Python script copied to the clipboard")
    printed = run_script(clipboard(page))  # CPython's libm may differ in the last bit
    assert printed.keys() == shown.keys()
    assert all(same_number(shown[name], grad, exact=False)
               for name, grad in printed.items())


def test_a_links_direction_holds_on_a_canvas_that_would_pick_the_other(new_context, app_url):
    """A link that says LR opens LR in a tall window (which picks TB for an unchosen
    direction), and the URL keeps saying LR, so a reload opens it the same."""
    context, _ = new_context(viewport={"width": 700, "height": 1000})
    page = context.new_page()
    deep = "x = 1\ny = tanh(exp(tanh(exp(tanh(x)))))"
    page.goto(app_url + encode(SharedState(deep, "LR", 0)))
    wait_for_state(page, "ready")
    expect(by_testid(page, "direction")).to_have_attribute("data-direction", "LR")
    page.wait_for_function("(hash) => location.hash === hash",
                           arg=encode(SharedState(deep, "LR", 0)))
    page.reload()
    wait_for_state(page, "ready")
    expect(by_testid(page, "direction")).to_have_attribute("data-direction", "LR")
