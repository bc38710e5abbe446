"""A loopback HTTP/1.1 server for benchmarks: one port on many 127.x addresses, latency per response.

asyncio protocol, keep-alive, listen backlog 4096; each address 127.0.0.2, 127.0.0.3, ... is a
distinct "host" to the checkers. 127.0.0.1 serves the control paths with no latency: /index.html,
/__stats (JSON counters), /__reset, /__latency/SECONDS. Run it as a process:
`python loopback_server.py --hosts 20 --latency 0.05`; it prints `ready PORT` on stdout once every
address is bound, and stops on SIGTERM/SIGINT or at --lifetime.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections import Counter
from pathlib import Path

CONTROL_HOST = "127.0.0.1"
_BACKLOG = 4096
_MAX_HEADER = 65536
_REASONS = {200: "OK", 301: "Moved Permanently", 404: "Not Found", 503: "Service Unavailable"}


def host_addresses(count: int) -> list[str]:
    """`count` distinct loopback addresses from 127.0.0.2 on (skipping .0 and .255 last octets)."""
    addresses: list[str] = []
    for n in range(2, 2 + count * 2):
        second, third, fourth = (n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF
        if fourth in (0, 255):
            continue
        addresses.append(f"127.{second}.{third}.{fourth}")
        if len(addresses) == count:
            return addresses
    raise ValueError(f"cannot make {count} loopback addresses")


def page(title: str, body: str = "") -> bytes:
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{body}</p></body></html>"
    ).encode()


def route(path: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """The answer for a path: /ok/*, /gone/*, /moved/* (-> /ok/*-moved), /busy/*, /robots.txt."""
    html = [("Content-Type", "text/html; charset=utf-8")]
    if path.startswith("/ok/"):
        # The id stays out of title and heading: a title like "Page 404" reads as a soft 404.
        return 200, html, page("A benchmark page", f"Page {path[4:]}. " + "A small page that a checker can parse. " * 8)
    if path.startswith("/gone/"):
        return 404, html, page("404 Not Found")
    if path.startswith("/moved/"):
        return 301, [("Location", f"/ok/{path[7:]}-moved"), *html], page("Moved")
    if path.startswith("/busy/"):
        return 503, html, page("503 Service Unavailable")
    if path == "/robots.txt":
        return 200, [("Content-Type", "text/plain")], b"User-agent: *\nDisallow:\n"
    return 404, html, page("404 Not Found")


class Stats:
    """Counts what the checkers asked for: requests, distinct URLs, methods, peak in-flight per host."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.requests = 0
        self.methods: Counter[str] = Counter()
        self.urls: set[str] = set()
        self.in_flight: Counter[str] = Counter()
        self.peak_in_flight: Counter[str] = Counter()
        self.connections = 0

    def as_json(self) -> bytes:
        return json.dumps(
            {
                "requests": self.requests,
                "distinct_urls": len(self.urls),
                "methods": dict(self.methods),
                "connections": self.connections,
                "peak_in_flight_per_host": max(self.peak_in_flight.values(), default=0),
            }
        ).encode()


class HttpProtocol(asyncio.Protocol):
    """One connection: requests answered in order, each after the latency, kept alive."""

    def __init__(self, app: App, local_host: str) -> None:
        self.app = app
        self.local_host = local_host
        self.buffer = b""
        self.busy = False
        self.closing = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.app.stats.connections += 1

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _MAX_HEADER and b"\r\n\r\n" not in self.buffer:
            self._close()
            return
        self._next()

    def _next(self) -> None:
        if self.busy or self.closing or self.transport is None:
            return
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head, self.buffer = self.buffer[:end].decode("latin-1"), self.buffer[end + 4 :]
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3:
            self._close()
            return
        method, target, version = parts
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body_length = int(headers.get("content-length", "0") or 0)
        self.buffer = self.buffer[body_length:]  # GET/HEAD bodies are ignored
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" and (version == "HTTP/1.1" or connection == "keep-alive")
        path = target.split("?", 1)[0]
        if "://" in path:  # absolute-form request target
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        self.busy = True
        if self.local_host == CONTROL_HOST:
            self._respond(*self.app.control(path), method, keep_alive, None)
            return
        stats = self.app.stats
        stats.requests += 1
        stats.methods[method] += 1
        stats.urls.add(f"{self.local_host}{path}")
        stats.in_flight[self.local_host] += 1
        if stats.in_flight[self.local_host] > stats.peak_in_flight[self.local_host]:
            stats.peak_in_flight[self.local_host] = stats.in_flight[self.local_host]
        answer = route(path)
        if self.app.latency > 0:
            asyncio.get_running_loop().call_later(
                self.app.latency, self._respond, *answer, method, keep_alive, self.local_host
            )
        else:
            self._respond(*answer, method, keep_alive, self.local_host)

    def _respond(
        self,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        method: str,
        keep_alive: bool,
        counted_host: str | None,
    ) -> None:
        if counted_host is not None:
            self.app.stats.in_flight[counted_host] -= 1
        self.busy = False
        if self.transport is None:
            return
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in headers]
        # LinkChecker paces each host to <= 10 requests/s unless the site answers with a header named
        # "LinkChecker" (its opt-in for "check me at full speed"); the other checkers ignore it.
        lines.append("LinkChecker: unthrottled")
        lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.transport.write(head if method == "HEAD" else head + body)
        if not keep_alive:
            self._close()
            return
        if self.buffer:
            self._next()

    def _close(self) -> None:
        self.closing = True
        if self.transport is not None:
            self.transport.close()


class App:
    """The shared state of all listening addresses."""

    def __init__(self, latency: float, index: Path | None) -> None:
        self.latency = latency
        self.index = index
        self.stats = Stats()

    def control(self, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
        html = [("Content-Type", "text/html; charset=utf-8")]
        if path == "/index.html" and self.index is not None:
            return 200, html, self.index.read_bytes()
        if path == "/__stats":
            return 200, [("Content-Type", "application/json")], self.stats.as_json()
        if path.startswith("/__latency/"):
            self.latency = float(path.rsplit("/", 1)[1])
            return 200, [("Content-Type", "application/json")], b"{}"
        if path == "/__reset":
            self.stats.reset()
            return 200, [("Content-Type", "application/json")], b"{}"
        return 404, html, page("404 Not Found")


async def serve(hosts: int, latency: float, port: int, index: Path | None, lifetime: float) -> None:
    loop = asyncio.get_running_loop()
    app = App(latency, index)
    servers: list[asyncio.Server] = []
    for address in [CONTROL_HOST, *host_addresses(hosts)]:

        def protocol(address: str = address) -> HttpProtocol:
            return HttpProtocol(app, address)

        server = await loop.create_server(protocol, address, port, backlog=_BACKLOG, reuse_address=True)
        port = port or server.sockets[0].getsockname()[1]
        servers.append(server)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"ready {port}", flush=True)
    try:
        await asyncio.wait_for(stop.wait(), timeout=lifetime)
    except TimeoutError:
        print("loopback_server: lifetime reached, stopping", file=sys.stderr)
    for server in servers:
        server.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds to wait before each answer")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--index", type=Path, help="HTML file served at http://127.0.0.1:PORT/index.html")
    parser.add_argument("--lifetime", type=float, default=3600.0, help="stop by itself after this many seconds")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.hosts, args.latency, args.port, args.index, args.lifetime))


if __name__ == "__main__":
    main()
