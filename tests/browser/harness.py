"""What the browser tests share: where the site is, the readiness and service worker
waits, and the record of everything that went wrong in a browser context."""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("CHAINRULE_SITE", REPO / "site"))
SUBPATH = "/chainrule/"
# Cold boots on a busy 2-core machine can be slow; a hung boot still fails.
BOOT_TIMEOUT_MS = 60_000
# True once the page's service worker is active and holds the whole build (the page asks
# it to precache once it is ready and idle), false if that fails or takes over 30 s.
SERVICE_WORKER_ACTIVE = """() => Promise.race([
    navigator.serviceWorker.ready.then((registration) => new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = ({data}) => resolve(data.precached);
        registration.active.postMessage({type: 'precached?'}, [channel.port2]);
    })),
    new Promise((resolve) => setTimeout(() => resolve(false), 30000)),
])"""


@dataclass
class Problems:
    """Everything that went wrong in a browser context, checked after the test."""

    origin: str
    found: list = field(default_factory=list)
    expected: list = field(default_factory=list)

    def expect(self, pattern):
        """Let problems matching `pattern` (a regex) pass: the test provokes them."""
        self.expected.append(re.compile(pattern))

    def add(self, kind, text):
        self.found.append(f"{kind}: {text}")

    def unexpected(self):
        return [p for p in self.found if not any(e.search(p) for e in self.expected)]

    def watch(self, context):
        context.on("page", self._watch_page)
        context.on("request", self._check_origin)
        context.on("requestfailed", self._check_failure)
        context.on("response", self._check_status)

    def _watch_page(self, page):
        page.on("console", lambda m: m.type == "error" and self.add("console error", m.text))
        page.on("pageerror", lambda e: self.add("page error", str(e)))

    def _check_failure(self, request):
        # ERR_ABORTED is the browser dropping a request it no longer needs (the page moved
        # on or closed, the favicon of a page navigated away); nothing failed to load.
        if request.failure != "net::ERR_ABORTED":
            self.add("failed request", f"{request.url} ({request.failure})")

    def _check_origin(self, request):
        url = request.url
        if url.startswith(("data:", f"blob:{self.origin}/")):
            return
        if not url.startswith(self.origin + "/"):
            self.add("foreign request", url)

    def _check_status(self, response):
        if response.status >= 400:
            self.add("failed request", f"{response.url} (HTTP {response.status})")


def wait_for_state(page, state, timeout=BOOT_TIMEOUT_MS):
    """Waits until <html data-state> leaves "loading"; fails unless it became `state`."""
    page.wait_for_function(
        "document.documentElement.dataset.state !== 'loading'", timeout=timeout
    )
    actual = page.evaluate("document.documentElement.dataset.state")
    if actual != state:
        message = page.locator('[data-testid="boot-error"]').text_content()
        pytest.fail(f"page reached data-state={actual!r}, not {state!r}: {message}")
