"""Per-attempt state and the watchdog that enforces each attempt's deadline by shutting its sockets."""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from urllib3.connection import HTTPConnection

# requests runs in the calling thread, so the connection classes find the attempt here.
_local = threading.local()


@dataclass
class Attempt:
    guard_peer: bool
    connections: list[HTTPConnection] = field(default_factory=list)
    # Sockets as connected: a response read until close keeps its socket after the
    # connection object has let go of it (http.client sets conn.sock to None).
    sockets: list[socket.socket] = field(default_factory=list)
    deadline_hit: bool = False
    target: str | None = None  # the request target exactly as it is to be sent
    received: int = 0  # body bytes read so far (what a drip managed to send before the deadline)

    def count_received(self, size: int) -> None:
        self.received += size


def current_attempt() -> Attempt | None:
    return getattr(_local, "attempt", None)


def set_current_attempt(attempt: Attempt | None) -> None:
    _local.attempt = attempt


class Watchdog:
    """One thread that enforces per-attempt deadlines by shutting the attempt's sockets.

    A server that drips a byte a second never trips a read timeout; this bounds it. The clock
    must be real time (the thread waits on it); once `cancel` returns, the attempt's sockets are
    never touched, so a connection handed back to the pool cannot be shut under the next request.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._heap: list[tuple[float, int]] = []
        self._attempts: dict[int, Attempt] = {}  # live attempts by token; a cancelled one is dropped at once
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._wakes_at: float | None = None  # when the sleeping thread will look again (None: when told)

    def watch(self, attempt: Attempt, seconds: float) -> int:
        token = next(self._counter)
        with self._cond:
            when = self._clock() + seconds
            # Only a deadline before the thread's planned wake-up needs it to re-plan: with one deadline
            # for all, that is almost never, so most attempts start without a thread hand-off.
            sooner = self._wakes_at is None or when < self._wakes_at
            heapq.heappush(self._heap, (when, token))
            self._attempts[token] = attempt
            self._closed = False
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="linkcheck-watchdog", daemon=True)
                self._thread.start()
            elif sooner:
                self._cond.notify()
        return token

    def cancel(self, token: int) -> None:
        # Without the lock (dict.pop is atomic): 32 threads ending attempts queued for it. An ended
        # attempt's heap entry is dropped by the thread when its time comes. If the thread took the
        # attempt first, its deadline is being enforced under the lock: wait for that to finish, so
        # no socket of the attempt is touched after this returns.
        if self._attempts.pop(token, None) is None:
            with self._cond:
                pass

    def close(self) -> None:
        """Stop the thread (a later `watch` starts a new one)."""
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                if not self._heap:
                    self._wakes_at = None
                    self._cond.wait()
                    continue
                when, token = self._heap[0]
                delay = when - self._clock()
                if delay > 0:
                    self._wakes_at = when
                    self._cond.wait(delay)
                    continue
                heapq.heappop(self._heap)
                attempt = self._attempts.pop(token, None)
                if attempt is None:
                    continue  # ended in time
                attempt.deadline_hit = True
                sockets = [getattr(conn, "sock", None) for conn in attempt.connections] + attempt.sockets
                for sock in sockets:
                    if sock is not None:
                        try:
                            sock.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass  # already closed
            self._heap.clear()
            self._attempts.clear()
            self._thread = None
            self._wakes_at = None
