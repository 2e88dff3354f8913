"""Serve folders of static files on 127.0.0.1 under URL prefixes, in a thread.

With `gzip=True` it serves as GitHub Pages does: text, JavaScript, JSON, wasm and
zip files gzip-compressed (`Content-Encoding: gzip`), files that are already
compressed as they are, with ETag, Last-Modified and `Cache-Control: max-age=600`
and 304 answers to revalidations. Either way it counts the bytes and requests it
serves, per path.
"""

import collections
import email.utils
import gzip as gzip_module
import hashlib
import http.server
import os
import socket
import sys
import threading
from pathlib import Path

# What GitHub Pages compresses (by type): everything but images and archives already compressed.
COMPRESSED_ON_THE_WAY = {
    ".html", ".js", ".mjs", ".css", ".json", ".wasm", ".zip", ".svg", ".webmanifest", ".py",
    ".txt", ".map",
}


class _Handler(http.server.SimpleHTTPRequestHandler):
    mounts: dict[str, Path] = {}
    server_stats = None
    gzip = False
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript", ".wasm": "application/wasm", ".gz": "application/gzip",
        ".webmanifest": "application/manifest+json",
    }

    def translate_path(self, path):
        url_path = path.split("?", 1)[0].split("#", 1)[0]
        for prefix, folder in self.mounts.items():
            if url_path.startswith(prefix):
                self.directory = str(folder)
                return super().translate_path("/" + url_path[len(prefix):])
        return str(Path("/nonexistent") / url_path.lstrip("/"))

    def copyfile(self, source, outputfile):
        size = len(source.data) if isinstance(source, _Body) else os.fstat(source.fileno()).st_size
        if self.server_stats.take_cut(self.path):
            # The connection drops half-way through the body.
            half = source.read(size // 2)
            outputfile.write(half)
            outputfile.flush()
            self.server_stats.count(self.path, len(half))
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        super().copyfile(source, outputfile)
        self.server_stats.count(self.path, size)

    def send_head(self):
        if not self.gzip:
            return super().send_head()
        return self._send_head_like_pages()

    def _send_head_like_pages(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            self.send_error(404, "File not found")
            return None
        body, etag, modified = self.server_stats.encoded(path)
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            self.server_stats.count(self.path, 0)
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if Path(path).suffix in COMPRESSED_ON_THE_WAY:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(modified, usegmt=True))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)

    def log_message(self, format, *args):
        pass


class _Body:
    """A response body in memory, as copyfile() and the byte count read it."""

    def __init__(self, data):
        self.data = data

    def read(self, size=-1):
        size = len(self.data) if size < 0 else size
        data, self.data = self.data[:size], self.data[size:]
        return data

    def close(self):
        pass


# Files as sent, compressed once per version for every server of the process.
_ENCODED = {}
_ENCODED_LOCK = threading.Lock()


class _Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.bytes_sent = 0
        # {path: [body bytes of each answer]} (0 for a 304)
        self.served = collections.defaultdict(list)
        self.cuts = {}  # path ending -> how many more answers to cut half-way

    def take_cut(self, path):
        path = path.split("?", 1)[0]
        with self._lock:
            for ending, left in self.cuts.items():
                if left and path.endswith(ending):
                    self.cuts[ending] = left - 1
                    return True
        return False

    def count(self, path, size):
        with self._lock:
            self.bytes_sent += size
            self.served[path.split("?", 1)[0]].append(size)

    def encoded(self, path):
        """(body as sent, ETag, mtime) of a file, compressed once per version."""
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        with _ENCODED_LOCK:
            found = _ENCODED.get(key)
        if found is None:
            data = Path(path).read_bytes()
            if Path(path).suffix in COMPRESSED_ON_THE_WAY:
                data = gzip_module.compress(data, compresslevel=6, mtime=0)
            etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
            found = (data, etag, stat.st_mtime)
            with _ENCODED_LOCK:
                _ENCODED[key] = found
        return found


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that closes a connection mid-download is no error here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StaticServer:
    """Serves each folder of `mounts` ({"/chainrule/": Path("site")}) until stopped."""

    def __init__(self, mounts, port=0, gzip=False):
        self.stats = _Stats()
        self._handler = type("Handler", (_Handler,), {
            "mounts": dict(mounts), "server_stats": self.stats, "gzip": gzip,
        })
        self._httpd = _QuietServer(("127.0.0.1", port), self._handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def cut(self, ending, times=1):
        """The next `times` answers for a path ending in `ending` drop the connection
        half-way through their body."""
        with self.stats._lock:
            self.stats.cuts[ending] = times

    def mount(self, prefix, folder):
        """Also serve `folder` under `prefix` from now on."""
        self._handler.mounts[prefix] = Path(folder)

    @property
    def bytes_sent(self):
        """Bytes of file bodies sent so far."""
        return self.stats.bytes_sent

    def served(self):
        """{path: [body bytes of each answer, 0 for a 304]} so far."""
        with self.stats._lock:
            return {path: list(sizes) for path, sizes in self.stats.served.items()}

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
