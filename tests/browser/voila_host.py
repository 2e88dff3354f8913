"""A real notebook host for the widget: Voila serving a notebook of given cells on
127.0.0.1 and a free port, stopped on exit. Used by test_notebook_host.py and
bench/widget.py."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat

# Voila's lab template without its Font Awesome links to a CDN (the notebook_host dir).
TEMPLATES = Path(__file__).parent / "notebook_host"
START_TIMEOUT_S = 120  # a cold Jupyter server on a busy 2-core machine


class HostError(RuntimeError):
    """Voila exited or did not answer; the message ends with its log."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def voila(folder, cells):
    """Writes `cells` (code) as folder/show.ipynb and serves it; yields the page's URL."""
    folder = Path(folder)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, folder / "show.ipynb")
    env = {**os.environ, "JUPYTER_PATH": str(TEMPLATES),
           "JUPYTER_CONFIG_DIR": str(folder / "config"), "JUPYTER_DATA_DIR": str(folder / "data"),
           "JUPYTER_RUNTIME_DIR": str(folder / "runtime")}
    port = free_port()
    log_path = folder / "voila.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "voila", "show.ipynb", "--no-browser", f"--port={port}",
             "--Voila.ip=127.0.0.1", "--template=offline", "--show_tracebacks=True"],
            cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(url, server, log_path)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_serving(url, server, log):
    """Until Voila answers HTTP at all (a condition, not a fixed time)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.poll() is not None:
            raise HostError(f"Voila exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/voila/static/", timeout=5):
                return
        except urllib.error.HTTPError:  # an answer, if not a page: it is serving
            return
        except OSError:
            if time.monotonic() > deadline:
                raise HostError(f"Voila did not start in {START_TIMEOUT_S} s:\n"
                                f"{log.read_text()[-3000:]}") from None
        time.sleep(0.2)
