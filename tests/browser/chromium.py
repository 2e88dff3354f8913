"""How the tests and benchmarks start Debian's Chromium (never a downloaded browser)."""

import os

EXECUTABLE = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach
# Google's hosts, which this machine's closed network refuses.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright):
    return playwright.chromium.launch(executable_path=EXECUTABLE, args=ARGS)


def launch_profile(playwright, user_data_dir):
    """A browser with an on-disk profile: its HTTP cache behaves like a real user's."""
    return playwright.chromium.launch_persistent_context(
        user_data_dir, executable_path=EXECUTABLE, args=ARGS
    )
