"""A real HTTP server on 127.0.0.x for tests: routes are plain functions, run in threads.

Each route gets the request handler and returns nothing (it writes the response itself), so a
test can answer any status, drip bytes, hang, or drop the connection. The server counts requests
per path and in-flight requests per host, for politeness tests.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[BaseHTTPRequestHandler], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512  # the stock 5 drops connections under load

    def __init__(self, address: tuple[str, int], app: LocalServer) -> None:
        self.app = app
        super().__init__(address, _Handler)

    def finish_request(self, request: socket.socket, client_address: tuple[str, int]) -> None:  # type: ignore[override]
        # TLS handshakes run here, in the connection's own thread, so a client that gives up
        # on the certificate never stalls the accept loop.
        if self.app.ssl_context is not None:
            try:
                request = self.app.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                request.close()
                return
        super().finish_request(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep tests quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.app.handle(self)

    def do_HEAD(self) -> None:  # noqa: N802
        self.server.app.handle(self)

    def do_POST(self) -> None:  # noqa: N802 - routes read the body themselves (Content-Length)
        self.server.app.handle(self)


class LocalServer:
    """Routes by path (query ignored unless a route is registered with it).

    A request counts as in flight from when it is read until the server starts answering it
    (`send` marks that), so a client that starts the next request as soon as it has the last
    byte is never counted twice. `released` is set on stop: hanging routes wait on it.
    """

    def __init__(self, host: str = "127.0.0.1", ssl_context: ssl.SSLContext | None = None) -> None:
        self.ssl_context = ssl_context
        self.released = threading.Event()
        self.routes: dict[str, Route] = {}
        self.fallback: Route | None = None  # answers paths with no route (default: a plain 404)
        self.hits: Counter[str] = Counter()
        self.methods: list[tuple[str, str]] = []
        self.in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()
        self.request_headers: list[dict[str, str]] = []
        self.raw_paths: list[str] = []
        self._lock = threading.Lock()
        self._httpd = _Server((host, 0), self)
        self.host = host
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str = "/", host: str | None = None) -> str:
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://{host or self.host}:{self.port}{path}"

    def route(self, path: str) -> Callable[[Route], Route]:
        def register(function: Route) -> Route:
            self.routes[path] = function
            return function

        return register

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        bare = path.split("?", 1)[0]
        host_header = handler.headers.get("Host", "").rsplit(":", 1)[0]
        with self._lock:
            self.hits[bare] += 1
            self.methods.append((handler.command, path))
            self.raw_paths.append(path)
            self.request_headers.append(dict(handler.headers.items()))
            self.in_flight[host_header] += 1
            self.max_in_flight[host_header] = max(self.max_in_flight[host_header], self.in_flight[host_header])
        handler.in_flight_host = host_header  # type: ignore[attr-defined]
        try:
            route = self.routes.get(path) or self.routes.get(bare) or self.fallback
            if route is None:
                send(handler, 404, b"<html><title>Not Found</title></html>", "text/html")
            else:
                route(handler)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass
        finally:
            self.answering(handler)

    def answering(self, handler: BaseHTTPRequestHandler) -> None:
        """The request is no longer in flight: the server has started to answer it (once only)."""
        host_header = getattr(handler, "in_flight_host", None)
        if host_header is None:
            return
        with self._lock:
            self.in_flight[host_header] -= 1
        handler.in_flight_host = None  # type: ignore[attr-defined]

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def seen(self, method: str | None = None) -> list[str]:
        """Paths requested so far (with the query as sent), optionally of one method only."""
        with self._lock:
            return [path for verb, path in self.methods if method is None or verb == method]


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    """Write a complete response with Content-Length."""
    handler.server.app.answering(handler)  # type: ignore[attr-defined]
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


def page(title: str, body: str = "") -> bytes:
    head = f"<!DOCTYPE html><html><head><title>{title}</title></head>"
    return f"{head}<body><h1>{title}</h1>{body}</body></html>".encode()


def reset_connection(handler: BaseHTTPRequestHandler) -> None:
    """Close the socket with RST instead of a response."""
    sock = handler.connection
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()
    handler.close_connection = True


def hang(handler: BaseHTTPRequestHandler, limit: float = 30.0) -> None:
    """Accept the request and never answer, until the server stops (or `limit` seconds)."""
    handler.server.app.released.wait(limit)  # type: ignore[attr-defined]
    handler.close_connection = True


def drip(handler: BaseHTTPRequestHandler, data: bytes, every: float = 0.2, limit: float = 30.0) -> None:
    """Write `data` one byte at a time, `every` seconds apart, forever (until stop or `limit`)."""
    app = handler.server.app  # type: ignore[attr-defined]
    app.answering(handler)
    handler.close_connection = True
    end = time.monotonic() + limit
    index = 0
    while time.monotonic() < end and not app.released.is_set():
        handler.wfile.write(data[index % len(data) : index % len(data) + 1])
        handler.wfile.flush()
        index += 1
        app.released.wait(every)


def drip_body(handler: BaseHTTPRequestHandler, headers: dict[str, str] | None = None, every: float = 0.2) -> None:
    """A 200 whose headers arrive at once and whose body then arrives a byte every `every` s."""
    handler.server.app.answering(handler)  # type: ignore[attr-defined]
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    drip(handler, b"<p>slow</p>", every)


def drip_headers(handler: BaseHTTPRequestHandler, every: float = 0.2) -> None:
    """A response whose status line and headers themselves arrive a byte every `every` s."""
    drip(handler, b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000, every)


@contextmanager
def running(host: str = "127.0.0.1", ssl_context: ssl.SSLContext | None = None) -> Iterator[LocalServer]:
    server = LocalServer(host, ssl_context).start()
    try:
        yield server
    finally:
        server.stop()
