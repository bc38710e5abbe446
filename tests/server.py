"""A real HTTP server on 127.0.0.x for tests: routes are plain functions, run in threads.

Each route gets the request handler and returns nothing (it writes the response itself), so a
test can answer any status, drip bytes, hang, or drop the connection. The server counts requests
per path and in-flight requests per host, for politeness tests.
"""

from __future__ import annotations

import socket
import threading
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


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep tests quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.app.handle(self)

    def do_HEAD(self) -> None:  # noqa: N802
        self.server.app.handle(self)


class LocalServer:
    """Routes by path (query ignored unless a route is registered with it)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
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
        return f"http://{host or self.host}:{self.port}{path}"

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
        try:
            route = self.routes.get(path) or self.routes.get(bare)
            if route is None:
                send(handler, 404, b"<html><title>Not Found</title></html>", "text/html")
            else:
                route(handler)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self._lock:
                self.in_flight[host_header] -= 1

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    """Write a complete response with Content-Length."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


def page(title: str, body: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>".encode()


def reset_connection(handler: BaseHTTPRequestHandler) -> None:
    """Close the socket with RST instead of a response."""
    sock = handler.connection
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()
    handler.close_connection = True


@contextmanager
def running(host: str = "127.0.0.1") -> Iterator[LocalServer]:
    server = LocalServer(host).start()
    try:
        yield server
    finally:
        server.stop()
