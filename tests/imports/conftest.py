"""A real HTTP server on a loopback port, for the URL imports and the address guard."""

import http.server
import threading
import time

import pytest

from tests.api.conftest import api_as, token_for  # noqa: F401 (the API tests' fixtures)


class _Site:
    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.delays: dict[str, tuple[float, float]] = {}  # path: (before, between chunks)
        self.requests: list[str] = []
        handler = self._handler()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def page(self, path: str, body: str | bytes, *, content_type: str = "text/html") -> None:
        data = body.encode() if isinstance(body, str) else body
        self.pages[path] = (200, {"Content-Type": content_type}, data)

    def slow(self, path: str, body: str, *, before: float = 0.0, between: float = 0.0) -> None:
        """A page that waits `before` seconds to answer, then sends its body in 100-byte
        chunks `between` seconds apart (a slow or a trickling server)."""
        self.page(path, body)
        self.delays[path] = (before, between)

    def redirect(self, path: str, location: str) -> None:
        self.pages[path] = (302, {"Location": location}, b"")

    def _handler(self):
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                site.requests.append(self.path)
                status, headers, body = site.pages.get(self.path, (404, {}, b"missing"))
                before, between = site.delays.get(self.path, (0.0, 0.0))
                time.sleep(before)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    size = 100 if between else max(len(body), 1)
                    for start in range(0, len(body), size):
                        time.sleep(between)
                        self.wfile.write(body[start : start + size])
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the fetcher gave up waiting, as it should

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def site():
    site = _Site()
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()
