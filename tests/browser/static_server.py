"""Serve folders of static files on 127.0.0.1 under URL prefixes, in a thread."""

import http.server
import os
import sys
import threading
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    mounts: dict[str, Path] = {}
    server_stats = None

    def translate_path(self, path):
        url_path = path.split("?", 1)[0].split("#", 1)[0]
        for prefix, folder in self.mounts.items():
            if url_path.startswith(prefix):
                self.directory = str(folder)
                return super().translate_path("/" + url_path[len(prefix):])
        return str(Path("/nonexistent") / url_path.lstrip("/"))

    def copyfile(self, source, outputfile):
        super().copyfile(source, outputfile)
        self.server_stats.count(os.fstat(source.fileno()).st_size)

    def log_message(self, format, *args):
        pass


class _Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.bytes_sent = 0

    def count(self, size):
        with self._lock:
            self.bytes_sent += size


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that closes a connection mid-download is no error here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StaticServer:
    """Serves each folder of `mounts` ({"/chainrule/": Path("site")}) until stopped."""

    def __init__(self, mounts, port=0):
        self.stats = _Stats()
        self._handler = type("Handler", (_Handler,), {"mounts": dict(mounts), "server_stats": self.stats})
        self._httpd = _QuietServer(("127.0.0.1", port), self._handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def mount(self, prefix, folder):
        """Also serve `folder` under `prefix` from now on."""
        self._handler.mounts[prefix] = Path(folder)

    @property
    def bytes_sent(self):
        """Bytes of file bodies sent so far."""
        return self.stats.bytes_sent

    @property
    def origin(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path=""):
        return self.origin + path

    def stop(self):
        if not self._thread.is_alive():
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
