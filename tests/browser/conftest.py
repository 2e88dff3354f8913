"""Browser test harness: the built site/ served under a sub-path, real Chromium.

Every test fails on a console error, an uncaught page error, a failed request
or a request to any origin but the test server, unless the test itself says
which of those it expects (see `Problems.expect`).
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import chromium  # noqa: E402
from harness import SITE, SUBPATH, Problems  # noqa: E402
from static_server import StaticServer  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs the built site in Chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} is not built: run `make build` (or `make test`)")
    return SITE


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(chromium.EXECUTABLE).is_file():
        pytest.fail(f"no Chromium at {chromium.EXECUTABLE}: `apt-get install chromium` (as .ci/run does)")
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def server(site):
    server = StaticServer({SUBPATH: site}, gzip=True)
    yield server
    server.stop()


@pytest.fixture
def app_url(server):
    return server.url(SUBPATH)


@pytest.fixture
def new_context(browser, server):
    """Makes watched browser contexts; the test fails on their unexpected problems."""
    made = []

    def make(**options):
        context = browser.new_context(**options)
        problems = Problems(server.origin)
        problems.watch(context)
        made.append((context, problems))
        return context, problems

    yield make
    unexpected = []
    for context, problems in made:
        unexpected += problems.unexpected()
        context.close()
    assert not unexpected, "browser reported problems:\n" + "\n".join(unexpected)


@pytest.fixture
def context(new_context):
    return new_context()[0]


@pytest.fixture
def page(context):
    return context.new_page()
