"""The page from the keyboard alone (issue 21): Tab reaches every control, Space and Enter
press the focused one (it does its own job), and Play starts only from the canvas or the page.
"""

from playwright.sync_api import expect

from pages import LECTURE, TIMEOUT_MS, blur, by_testid, eventually, open_app

# What has the focus: a key that stays the same when the page redraws the element.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const node = el.closest('.react-flow__node');
    const details = el.tagName === 'SUMMARY' ? el.closest('details') : null;
    const key = el.dataset.testid
        ?? (details ? `${details.dataset.testid}:summary` : null)
        ?? (el.classList.contains('react-flow__node') ? `node:${el.dataset.id}` : null)
        ?? el.getAttribute('aria-label') ?? el.getAttribute('title')
        ?? `walk:${el.dataset.walk ??= String(window.__walk = (window.__walk ?? 0) + 1)}`;
    window.__focused = el;
    return {key, tag: el.tagName, role: el.getAttribute('role'), type: el.type ?? null,
            inCanvas: !!el.closest('[data-testid="canvas"]'), inNode: !!node,
            checked: el.checked ?? null};
}"""
# Counts clicks on the focused element: what Space and Enter on a button dispatch.
WATCH_CLICKS = """() => {
    window.__clicks = 0;
    document.addEventListener('click', (event) => {
        if (window.__focused && window.__focused.contains(event.target)) window.__clicks += 1;
    }, true);
}"""
# The step controls: each is pressed with backprop halfway, where all of them are enabled.
STEPPING = ("forward-pass", "reset", "back", "play", "step", "finish")
HALFWAY = """() => {
    const button = (name) => document.querySelector(`[data-testid="${name}"]`);
    if (!button('reset').disabled) button('reset').click();
    button('step').click();
    button('step').click();
}"""
# Programs that replace the lecture example when pressed; the walk goes back to it.
REPLACES = {"new-graph", "train-inspect"}
# Controls whose job is to open a panel, a list or a dialog: their effect is checked below.
DIALOG = "shortcuts-button"
REACHED = [
    "theme", "preset", "reset-example", "expression", "inputs:summary", "input-a", "slider-a",
    "grad-check-panel:summary", "grad-check", "train-panel:summary", "train-dataset",
    "train-shape", "train-activation", "train-loss-kind", "train-rate-input", "train-decay",
    "train-batch", "train", "train-step", "train-reset", "train-sample", "train-inspect",
    "direction", "fit-view", "share", "copy-pytorch", "copy-python", "export-svg", "export-png",
    "new-graph", "edit-mode", "add-input", "add-op-+", "add-op-tanh", "tidy", "undo", "redo",
    "value-a", "reset", "back", "play", "step", "finish", "speed", "shortcuts-button",
    "source-link",
]


def playing(page):
    return by_testid(page, "play").get_attribute("data-playing") == "true"


def clicks(page):
    return page.evaluate("window.__clicks")


def press(page, key):
    page.evaluate("window.__clicks = 0")
    page.keyboard.press(key)


def refocus(page, key):
    page.evaluate("""(key) => {
        const el = document.querySelector(`[data-testid="${key}"]`)
            ?? document.querySelector(`[data-testid="${key.split(':')[0]}"] > summary`);
        el.focus();
    }""", key)


def back_to_lecture(page, key, editing):
    """After a control that replaced the program: the lecture example again, edit mode as
    it was, and the focus back on the control."""
    by_testid(page, "reset-example").click()
    expect(by_testid(page, "expression")).to_have_value(LECTURE, timeout=TIMEOUT_MS)
    if editing != (by_testid(page, "edit-mode").get_attribute("aria-pressed") == "true"):
        by_testid(page, "edit-mode").click()
    refocus(page, key)


def check_control(page, info, jobs):
    """Space, then Enter, on a focused button, summary or role=button: each presses it."""
    key = info["key"]
    if info["tag"] == "A":  # Space scrolls, nothing more; Enter follows it (kept here)
        press(page, " ")
        assert not playing(page), key
        page.evaluate("""() => window.__focused.addEventListener(
            'click', (event) => event.preventDefault(), {once: true})""")
        press(page, "Enter")
        assert clicks(page) == 1 and not playing(page), key
        jobs.add(key)
        return
    if info["role"] == "button" and info["tag"] == "SPAN":  # an input's number on the canvas
        for k in (" ", "Enter"):
            press(page, k)
            field = page.locator(f'input[data-testid="{key}"]')
            expect(field).to_be_focused()
            assert not playing(page), (key, k)
            page.keyboard.press("Escape")
            expect(page.locator(f'span[data-testid="{key}"]')).to_be_focused()
        jobs.add(key)
        return
    editing = by_testid(page, "edit-mode").get_attribute("aria-pressed") == "true"
    for k in (" ", "Enter"):
        if key in STEPPING:
            page.evaluate(HALFWAY)
            refocus(page, key)
        before = state(page)
        press(page, k)
        assert clicks(page) >= 1, (key, k, "not pressed")
        if key == "play":  # halfway, paused: each press starts it
            assert playing(page), (key, k)
            page.evaluate("document.querySelector('[data-testid=\"play\"]').click()")
            assert not playing(page)
        else:
            assert not playing(page), (key, k, "started Play")
        after = state(page)
        check_job(page, key, k, before, after)
        if key == DIALOG:
            expect(by_testid(page, "shortcuts")).to_have_attribute("open", "")
            page.keyboard.press("Escape")
            expect(by_testid(page, "shortcuts")).not_to_have_attribute("open", "")
            refocus(page, key)
        if key in REPLACES:
            back_to_lecture(page, key, editing)
    jobs.add(key)
    if key in STEPPING:  # halfway again, so that Tab reaches the next one
        page.evaluate(HALFWAY)
        refocus(page, key)
    if key.endswith(":summary"):  # Space opened it, Enter closed it: open, to go inside
        page.evaluate("(key) => { document.querySelector(`[data-testid=\"${key}\"]`).open = true }",
                      key.split(":")[0])
    if key == "edit-mode" and by_testid(page, "edit-mode").get_attribute("aria-pressed") != "true":
        by_testid(page, "edit-mode").click()  # on, so that its tools come next
        refocus(page, key)


STATE = """() => ({
    theme: document.documentElement.dataset.theme,
    direction: document.querySelector('[data-testid="direction"]').dataset.direction,
    counter: document.querySelector('[data-testid="step-counter"]').textContent,
    editing: document.querySelector('[data-testid="edit-mode"]').getAttribute('aria-pressed'),
    text: document.querySelector('[data-testid="expression"]').value,
    details: Object.fromEntries([...document.querySelectorAll('details')].map(
        (d) => [d.dataset.testid, d.open])),
    toast: document.querySelector('[data-testid="toast"]').hidden ? ''
        : document.querySelector('[data-testid="toast"]').textContent,
    training: document.querySelector('[data-testid="train"]').dataset.training,
    trainSteps: document.querySelector('[data-testid="train-step-count"]').textContent,
    checked: document.querySelector('[data-testid="grad-check-results"]').innerHTML !== '',
    nodes: document.querySelectorAll('.react-flow__node').length,
    dialog: document.querySelector('[data-testid="shortcuts"]').open,
    trainError: document.querySelector('[data-testid="train-error"]').textContent,
    sample: document.querySelector('[data-testid="train-sample"]').value,
})"""


def state(page):
    return page.evaluate(STATE)


def check_job(page, key, k, before, after):
    """The control did what it is for (a click alone is checked for the rest)."""
    changed = {name for name in before if before[name] != after[name]}
    want = {
        "theme": "theme", "direction": "direction", "edit-mode": "editing",
        "new-graph": "text", "train": "training", "train-step": "trainSteps",
        "step": "counter", "shortcuts-button": "dialog", "add-input": "nodes",
        "add-op-+": "nodes", "train-inspect": "text",
    }.get(key)
    if key.endswith(":summary"):
        want = "details"
    if want:
        assert want in changed, (key, k, want, after["trainError"], after["sample"])
    if key in ("share", "copy-pytorch", "copy-python"):
        expect(by_testid(page, "toast")).to_contain_text("copied to the clipboard")
    if key == "grad-check":
        assert after["checked"], key


def check_field(page, info):
    """A field keeps Space and Enter: they type, tick or choose there, and never Play."""
    key = info["key"]
    field = page.locator(":focus")
    editable = info["tag"] == "TEXTAREA" or (
        info["tag"] == "INPUT" and info["type"] not in ("checkbox", "range"))
    value = field.input_value() if editable else None
    press(page, " ")
    assert not playing(page), (key, "Space started Play")
    if info["type"] in ("text", "search") or info["tag"] == "TEXTAREA":
        now = field.input_value()  # Tab selects a field's text: the space may replace it
        assert now.count(" ") == value.count(" ") + 1, (key, "Space did not type a space")
    if info["type"] == "checkbox":
        assert field.is_checked() != info["checked"], (key, "Space did not tick it")
    if info["tag"] == "SELECT":
        page.keyboard.press("Escape")  # Space opened its list; Escape closes it unchanged
    if editable:
        field.fill(value)
    if info["tag"] == "TEXTAREA":  # Enter types a new line
        press(page, "Enter")
        now = field.input_value()
        assert len(now) == len(value) + 1 and now.count("\n") == value.count("\n") + 1, key
        field.fill(value)
    elif key != "train-sample":  # Enter there inspects the sample: the same as its button
        press(page, "Enter")
    assert not playing(page), (key, "Enter started Play")
    refocus_if_lost(page, key)


def refocus_if_lost(page, key):
    if page.evaluate("document.activeElement === document.body"):
        refocus(page, key)


def test_every_control_from_the_keyboard(new_context, server, app_url):
    context, _ = new_context(accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    page = context.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    open_app(page, app_url)
    page.evaluate(WATCH_CLICKS)
    downloads = []
    page.on("download", lambda download: downloads.append(download))

    # the page itself: Space plays and pauses
    blur(page)
    page.keyboard.press(" ")
    assert playing(page)
    page.keyboard.press(" ")
    assert not playing(page)

    seen, jobs, canvas_played = [], set(), False
    for _ in range(600):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info is None or (seen and info["key"] == seen[0]):
            break  # past the last control, or round again
        if info["key"] in seen:
            continue
        seen.append(info["key"])
        if info["inCanvas"] and info["tag"] not in ("BUTTON", "INPUT") and info["role"] != "button":
            if not canvas_played:  # a node of the canvas: Space plays there, and pauses
                page.evaluate(HALFWAY)
                press(page, " ")
                assert playing(page), (info["key"], "Space on the canvas did not Play")
                press(page, " ")
                assert not playing(page)
                canvas_played = True
            continue
        if info["tag"] in ("INPUT", "TEXTAREA", "SELECT"):
            check_field(page, info)
            jobs.add(info["key"])
        else:
            check_control(page, info, jobs)
    missing = [key for key in REACHED if key not in seen]
    assert not missing, f"Tab never reached {missing}; it reached {seen}"
    assert canvas_played
    assert not [key for key in REACHED if key not in jobs]

    def downloaded():
        assert len(downloads) >= 4  # SVG and PNG, by Space and by Enter

    eventually(page, downloaded)
