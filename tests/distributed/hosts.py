"""Test helpers for real distributed runs: a redis-server of the test's own, and loopback hosts that log
every request's host, start and end (one clock, the test's, for requests from every worker process)."""

from __future__ import annotations

import shutil
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LATENCY = 0.05


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A throwaway redis-server on 127.0.0.1 (no persistence), stopped after; its URL."""
    binary = shutil.which("redis-server")
    assert binary is not None
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    command += ["--dir", str(folder), "--protected-mode", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait(timeout=10)


@dataclass(frozen=True)
class Request:
    host: str
    path: str
    start: float
    end: float
    client: int = 0  # the client's port: which connection (and so which worker) sent it


class RequestLog:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.lock = threading.Lock()

    def add(self, request: Request) -> None:
        with self.lock:
            self.requests.append(request)

    def by_host(self) -> dict[str, list[Request]]:
        with self.lock:
            hosts: dict[str, list[Request]] = {}
            for request in sorted(self.requests, key=lambda r: r.start):
                hosts.setdefault(request.host, []).append(request)
            return hosts

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux: the kernel stamps each segment's arrival


def _arrival(ancillary: list[tuple[int, int, bytes]]) -> float | None:
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            seconds, nanoseconds = struct.unpack("qq", data[:16])
            return seconds + nanoseconds / 1e9
    return None


def _answer(path: str, host: str) -> bytes:
    number = path.rsplit("/", 1)[-1]
    if path.startswith("/ok/"):
        status = "200 OK"
        body = (
            f"<!doctype html><html><head><title>A cited report on {host}</title></head><body>"
            f"<p>{'What report ' + number + ' says, in its own words. ' * 6}</p></body></html>"
        ).encode()
    else:
        status = "404 Not Found"
        body = b"<!doctype html><html><head><title>Not Found</title></head><body>No such page</body></html>"
    head = f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def _serve_connection(connection: socket.socket, host: str, log: RequestLog) -> None:
    """Keep-alive GETs, one at a time. A request starts when the kernel received its first bytes (not when
    this thread got to run: on a busy machine that can be 100 ms later) and ends just before the answer is
    written (the client cannot send its next request on this host before that)."""
    connection.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    peer = connection.getpeername()[1]
    buffer, started = b"", None
    with connection:
        while True:
            try:
                data, ancillary, _, _ = connection.recvmsg(65536, socket.CMSG_SPACE(16))
            except OSError:
                return
            if not data:
                return
            if not buffer:
                started = _arrival(ancillary) or time.time()
            buffer += data
            while b"\r\n\r\n" in buffer and started is not None:
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                path = head.split(b"\r\n", 1)[0].split(b" ")[1].decode()
                time.sleep(LATENCY)
                ended = time.time()
                try:
                    connection.sendall(_answer(path, host))
                except OSError:
                    return
                finally:
                    log.add(Request(host, path, started, ended, peer))
                started = time.time() if buffer else None


def _accept(listener: socket.socket, host: str, log: RequestLog) -> None:
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:
            return  # closed: the test is over
        threading.Thread(target=_serve_connection, args=(connection, host, log), daemon=True).start()


@contextmanager
def logged_hosts(count: int) -> Iterator[tuple[list[str], RequestLog]]:
    """`count` HTTP/1.1 hosts on 127.0.0.2, 127.0.0.3, ... answering /ok/N (200) and anything else (404) after
    LATENCY; yields their base URLs and the shared request log."""
    log = RequestLog()
    listeners: list[socket.socket] = []
    try:
        for n in range(count):
            host = f"127.0.0.{2 + n}"
            listener = socket.socket()
            listener.bind((host, 0))
            listener.listen(256)
            listeners.append(listener)
            threading.Thread(target=_accept, args=(listener, host, log), daemon=True).start()
        yield [f"http://{ls.getsockname()[0]}:{ls.getsockname()[1]}" for ls in listeners], log
    finally:
        for listener in listeners:
            listener.shutdown(socket.SHUT_RDWR)
            listener.close()


class StallProbe:
    """How late this machine wakes a sleeping thread: the longest oversleep of 5 ms naps, while it runs. A
    process that waits that long for a core sends its request that much late, and the next one on time."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._measure, daemon=True)

    def _measure(self) -> None:
        while not self._stop.is_set():
            before = time.monotonic()
            time.sleep(0.005)
            self.worst = max(self.worst, time.monotonic() - before - 0.005)

    def __enter__(self) -> StallProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
