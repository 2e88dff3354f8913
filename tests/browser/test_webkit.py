"""Every iPhone and iPad browser is WebKit: a smoke test in WebKitGTK (Debian's
webkit2gtk-driver, WebKitWebDriver) driven by Selenium, in a virtual X display (xvfb-run).

Boot to ready, the default graph drawn, Finish gives the lecture's gradients, a typed
program redraws, and no console error or uncaught error on the way.
"""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from chainrule import parse
from pages import LECTURE, Expected, same_number

DRIVER = shutil.which("WebKitWebDriver")
XVFB_RUN = shutil.which("xvfb-run")
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
TIMEOUT_S = 90

# Console errors and uncaught errors from here on, kept on the page for the test to read.
WATCH_ERRORS = """
window.__errors = [];
const error = console.error.bind(console);
console.error = (...args) => { window.__errors.push(args.map(String).join(' ')); error(...args); };
window.addEventListener('error', (e) => window.__errors.push('error: ' + e.message));
window.addEventListener('unhandledrejection', (e) => window.__errors.push('rejection: ' + e.reason));
"""
VALUES = """return [...document.querySelectorAll('[data-testid="value-node"]')].map((el) =>
    [el.dataset.id, el.getAttribute('data-value'), el.getAttribute('data-grad')]);"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, what, timeout=TIMEOUT_S):
    """Polls `check()` until it returns something truthy; fails naming `what`."""
    end = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > end:
            pytest.fail(f"WebKit: timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def webkit():
    if not (DRIVER and XVFB_RUN):
        pytest.fail("WebKitWebDriver or xvfb-run missing: apt-get install webkit2gtk-driver "
                    "xvfb xauth (as .ci/run does)")
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.options import Options

    port = free_port()
    driver_process = subprocess.Popen(
        [XVFB_RUN, "-a", "-s", "-screen 0 1366x768x24", DRIVER, f"--port={port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    options = Options()
    options.binary_location = MINIBROWSER
    options.add_argument("--automation")
    try:
        def connect():
            try:
                return webdriver.Remote(f"http://127.0.0.1:{port}", options=options)
            except Exception:  # the driver is not listening yet
                return None

        browser = wait_until(connect, "WebKitWebDriver to start", timeout=30)
        browser.set_window_size(1366, 768)
        yield browser
        browser.quit()
    finally:
        os.killpg(driver_process.pid, signal.SIGTERM)  # xvfb-run, Xvfb and the driver
        driver_process.wait(timeout=10)


def errors(browser):
    return browser.execute_script("return window.__errors || []")


def shows(browser, expected, grads=None):
    """True when the canvas shows `expected`'s values (and these grads, if given)."""
    got = {vid: (value, grad) for vid, value, grad in browser.execute_script(VALUES)}
    if set(got) != set(expected.values):
        return False
    for vid, (_, _, data) in expected.values.items():
        if not same_number(got[vid][0], data, exact=False):
            return False
        if grads is not None and not same_number(got[vid][1], grads[vid], exact=False):
            return False
    return True


def test_webkit_boots_draws_steps_and_redraws(webkit, app_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser = webkit
    started = time.monotonic()
    browser.get(app_url)
    browser.execute_script(WATCH_ERRORS)
    state = wait_until(lambda: browser.execute_script(
        "const s = document.documentElement.dataset.state; return s !== 'loading' && s"),
        "the page to boot")
    boot_error = browser.find_element(By.CSS_SELECTOR, '[data-testid="boot-error"]').text
    assert state == "ready", boot_error
    ready_s = time.monotonic() - started
    lecture = Expected.of(LECTURE)
    wait_until(lambda: shows(browser, lecture), "the default graph")

    browser.find_element(By.CSS_SELECTOR, '[data-testid="finish"]').click()
    grads = lecture.grads_after(lecture.total)
    wait_until(lambda: shows(browser, lecture, grads), "Finish's gradients")
    counter = browser.find_element(By.CSS_SELECTOR, '[data-testid="step-counter"]')
    assert counter.text == f"backward {lecture.total} / {lecture.total}"

    text = "x = 1.5\ny = tanh(x*x - 2)"
    editor = browser.find_element(By.CSS_SELECTOR, '[data-testid="expression"]')
    editor.click()
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    for k, line in enumerate(text.splitlines()):
        editor.send_keys(*([Keys.ENTER] if k else []), line)
    typed = Expected.of(text)

    wait_until(lambda: shows(browser, typed), "the typed program's graph")
    assert parse(text).output.data == pytest.approx(
        float(browser.execute_script(
            "return document.querySelector('[data-role=\"output\"]').getAttribute('data-value')")))
    assert errors(browser) == [], errors(browser)
    print(f"WebKit ready in {ready_s:.1f} s")
