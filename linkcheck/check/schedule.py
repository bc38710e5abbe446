"""A bounded worker pool that schedules across hosts: at most N in flight per host, M overall.

Workers never wait on a busy host while another host has work: the dispatcher only hands a
worker a URL whose host has a free slot (and whose `per_host_delay` has passed).
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Limits:
    concurrency: int
    per_host: int
    per_host_delay: float = 0.0


class HostScheduler(Generic[T, R]):
    """Runs `work(item)` for every item, yielding (item, result) as each finishes."""

    def __init__(
        self,
        work: Callable[[T], R],
        host_of: Callable[[T], str],
        limits: Limits,
        per_host_limit: Callable[[str], int] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._work = work
        self._host_of = host_of
        self._limits = limits
        self._per_host_limit = per_host_limit or (lambda host: limits.per_host)
        self._clock = clock
        self._cond = threading.Condition()
        self._queues: dict[str, deque[T]] = {}
        self._hosts: deque[str] = deque()  # hosts with queued work, in round-robin order
        self._in_flight: dict[str, int] = {}
        self._next_start: dict[str, float] = {}
        self._done: deque[tuple[T, R | BaseException]] = deque()
        self._running = 0
        self.stopped = False

    def run(self, items: Iterable[T]) -> Generator[tuple[T, R], None, None]:
        """Schedule all items; yield results in completion order. Exceptions in work propagate."""
        for item in items:
            host = self._host_of(item)
            if host not in self._queues:
                self._queues[host] = deque()
                self._hosts.append(host)
            self._queues[host].append(item)
        pending = sum(len(queue) for queue in self._queues.values())
        pool = ThreadPoolExecutor(max_workers=self._limits.concurrency, thread_name_prefix="linkcheck")
        completed = False
        try:
            while pending:
                with self._cond:
                    wait = self._dispatch(pool)
                    while not self._done and (self._running or wait is not None):
                        self._cond.wait(timeout=wait if wait is not None else 0.5)
                        wait = self._dispatch(pool)
                    finished = list(self._done)
                    self._done.clear()
                    if not finished and not self._running:
                        break  # stopped: nothing queued, nothing in flight
                for item, outcome in finished:
                    pending -= 1
                    if isinstance(outcome, BaseException):
                        raise outcome
                    yield item, outcome
            completed = True
        finally:
            self.stop()
            # After Ctrl-C (or an error, or a caller that stopped reading), do not wait for work
            # in flight, even when nothing was left to dispatch: each attempt ends at its deadline.
            pool.shutdown(wait=completed and not self.stopped, cancel_futures=True)

    def stop(self) -> None:
        """Dispatch nothing more (Ctrl-C); work in flight finishes on its own deadline."""
        with self._cond:
            if any(self._queues.values()):
                self.stopped = True
            for queue in self._queues.values():
                queue.clear()
            self._hosts.clear()
            self._cond.notify_all()

    def _dispatch(self, pool: ThreadPoolExecutor) -> float | None:
        """Start what may start now; return seconds until a delayed host may start, if any."""
        now = self._clock()
        soonest: float | None = None
        for _ in range(len(self._hosts)):
            if self._running >= self._limits.concurrency:
                break
            host = self._hosts[0]
            self._hosts.rotate(-1)
            queue = self._queues[host]
            limit = max(1, self._per_host_limit(host))  # a limit below 1 would strand the host's work
            while queue and self._running < self._limits.concurrency and self._in_flight.get(host, 0) < limit:
                not_before = self._next_start.get(host, 0.0)
                if not_before > now:
                    if not_before != math.inf:  # inf: the last one has not begun yet; _begin() wakes us
                        soonest = not_before - now if soonest is None else min(soonest, not_before - now)
                    break
                item = queue.popleft()
                self._in_flight[host] = self._in_flight.get(host, 0) + 1
                self._running += 1
                if self._limits.per_host_delay:
                    self._next_start[host] = math.inf  # the delay counts from when the work really begins
                future = pool.submit(self._begin, item, host)
                future.add_done_callback(functools.partial(self._finished, item, host))
        for host in [h for h in self._hosts if not self._queues[h]]:
            self._hosts.remove(host)
        return soonest

    def _begin(self, item: T, host: str) -> R:
        """Run the work, starting the host's delay now: a pool thread that waited for a core (many threads,
        a busy machine) must not shorten the gap between this request and the host's next one."""
        if self._limits.per_host_delay:
            with self._cond:
                self._next_start[host] = self._clock() + self._limits.per_host_delay
                self._cond.notify_all()
        return self._work(item)

    def _finished(self, item: T, host: str, future: Future[R]) -> None:
        outcome: R | BaseException
        try:
            outcome = future.result()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            outcome = exc
        with self._cond:
            self._in_flight[host] -= 1
            self._running -= 1
            self._done.append((item, outcome))
            self._cond.notify_all()
