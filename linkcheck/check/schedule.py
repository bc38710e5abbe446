"""A bounded worker pool that schedules across hosts: at most N in flight per host, M overall.

Workers never wait on a busy host while another host has work: a worker only takes a URL whose
host has a free slot (and whose `per_host_delay` has passed). Which host: a worker that finishes a
URL takes the next one of the same host, so a host's work stays on the connections already open to
it (with 1,000 hosts, round-robin opened a new connection for three requests in four) -- unless
another host has become critical: so many URLs left that, at its per-host limit, it would finish
after the rest of the run. Then, and for a worker without a host, the host with the most URLs left
goes first. That keeps the run near the polite bound max(N / C, max over hosts of n_h / P) rounds.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
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
    """Runs `work(item)` for every item, yielding (item, result) as each finishes.

    `concurrency` worker threads each take an item, run it and take the next, under one lock: a freed
    slot wakes at most one waiting worker, and results reach the caller's thread in batches.
    """

    def __init__(
        self,
        work: Callable[[T], R],
        host_of: Callable[[T], str],
        limits: Limits,
        per_host_limit: Callable[[str], int] | None = None,
        clock: Callable[[], float] = time.monotonic,
        starts: dict[str, float] | None = None,
    ) -> None:
        """`starts`: each host's earliest next request start, shared with whoever else asks the same hosts
        in this run (the snapshot's requisite fetches), so `per_host_delay` spaces all their requests."""
        self._work = work
        self._host_of = host_of
        self._limits = limits
        self._per_host_limit = per_host_limit or (lambda host: limits.per_host)
        self._clock = clock
        self._cond = threading.Condition()  # guards the queues; idle workers wait on it
        self._queues: dict[str, deque[T]] = {}
        self._limit: dict[str, int] = {}
        self._in_flight: dict[str, int] = {}
        self._next_start: dict[str, float] = starts if starts is not None else {}
        # Hosts that may start now, most URLs left first: (-queued, order, host), checked when taken;
        # _listed says which queue length each host's live entry was made with.
        self._ready: list[tuple[int, int, str]] = []
        self._listed: dict[str, int | None] = {}
        self._order = itertools.count()
        self._delayed: list[tuple[float, str]] = []  # (not before, host): per_host_delay pending
        self._in_delayed: set[str] = set()
        self._queued = 0
        self._results = threading.Condition(threading.Lock())  # guards _done; the caller waits on it
        self._done: deque[tuple[T, R | BaseException]] = deque()
        self._workers_left = 0
        self.stopped = False

    def run(self, items: Iterable[T], on_idle: Callable[[], None] | None = None) -> Generator[tuple[T, R], None, None]:
        """Schedule all items; yield results in completion order. Exceptions in work propagate.

        `on_idle` is called in the caller's thread when half a second passes with no result."""
        for item in items:
            host = self._host_of(item)
            queue = self._queues.get(host)
            if queue is None:
                queue = self._queues[host] = deque()
                self._in_flight[host] = 0
                self._limit[host] = max(1, self._per_host_limit(host))  # below 1 would strand the host's work
            queue.append(item)
        self._queued = pending = sum(len(queue) for queue in self._queues.values())
        with self._cond:
            for host in self._queues:
                self._offer(host, 0.0)
        workers = [
            threading.Thread(target=self._worker, name=f"linkcheck_{number}")
            for number in range(min(self._limits.concurrency, pending))
        ]
        self._workers_left = len(workers)
        for worker in workers:
            worker.start()
        completed = False
        try:
            while pending:
                with self._results:
                    if not self._done and self._workers_left:
                        self._results.wait(0.5)
                    finished = list(self._done)
                    self._done.clear()
                    workers_left = self._workers_left
                if not finished:
                    if not workers_left:
                        break  # stopped: every worker has left
                    if on_idle is not None:
                        on_idle()
                    continue
                for item, outcome in finished:
                    pending -= 1
                    if isinstance(outcome, BaseException):
                        raise outcome
                    yield item, outcome
            completed = True
        finally:
            self.stop()
            # After Ctrl-C (or an error, or a caller that stopped reading), do not wait for work
            # in flight: each attempt ends at its own deadline.
            if completed and not self.stopped:
                for worker in workers:
                    worker.join()

    def stop(self) -> None:
        """Start nothing more (Ctrl-C); work in flight finishes on its own deadline."""
        with self._cond:
            if self._queued:
                self.stopped = True
            for queue in self._queues.values():
                queue.clear()
            self._queued = 0
            self._ready.clear()
            self._listed.clear()
            self._cond.notify_all()

    def _worker(self) -> None:
        host: str | None = None
        try:
            while True:
                with self._cond:
                    taken = self._take(host)
                if taken is None:
                    return
                item, host = taken
                outcome: R | BaseException
                try:
                    outcome = self._work(item)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                    outcome = exc
                with self._results:
                    self._done.append((item, outcome))
                    if len(self._done) == 1:
                        self._results.notify()
        finally:
            with self._results:
                self._workers_left -= 1
                self._results.notify()

    def _take(self, finished: str | None) -> tuple[T, str] | None:
        """The next item for a worker (its last host first), waiting while every host is busy or
        delayed; None once nothing is left to start. Called with the lock held."""
        if finished is not None:
            self._in_flight[finished] -= 1
        while self._queued:
            now = self._clock()
            while self._delayed and self._delayed[0][0] <= now:
                _, due = heapq.heappop(self._delayed)
                self._in_delayed.discard(due)
                self._offer(due, now)
            best = self._best_host(now)
            host = best
            if finished is not None and self._may_start(finished, now):
                if best is None or not self._critical(best) or len(self._queues[finished]) >= len(self._queues[best]):
                    host = finished
            if host is not None:
                item = self._queues[host].popleft()
                self._queued -= 1
                self._in_flight[host] += 1
                if self._limits.per_host_delay:
                    self._next_start[host] = now + self._limits.per_host_delay
                self._offer(host, now)  # another worker may fill its other slots
                if finished is not None and finished != host:
                    self._offer(finished, now)  # the slot it left is free for another worker
                if not self._queued:
                    self._cond.notify_all()  # the idle workers may leave
                return item, host
            if finished is not None:
                self._offer(finished, now)  # its slot is free, but its delay has not passed
                finished = None
            wait = self._delayed[0][0] - now if self._delayed else None
            self._cond.wait(wait)
        return None

    def _may_start(self, host: str, now: float) -> bool:
        return (
            bool(self._queues[host])
            and self._in_flight[host] < self._limit[host]
            and self._next_start.get(host, 0.0) <= now
        )

    def _critical(self, host: str) -> bool:
        """Whether the host's URLs left, at its limit, take (nearly) as many rounds as the whole queue
        at full concurrency: then it must not wait for a worker to run out of its own host."""
        left = len(self._queues[host]) / self._limit[host]
        return left + 2 >= self._queued / self._limits.concurrency

    def _best_host(self, now: float) -> str | None:
        """The host with the most URLs left that may start now; stale entries are dropped or renewed."""
        while self._ready:
            negative, _, host = self._ready[0]
            queued = -negative
            if self._listed.get(host) == queued == len(self._queues[host]) and self._may_start(host, now):
                return host
            heapq.heappop(self._ready)
            if self._listed.get(host) == queued:
                self._listed[host] = None
                self._offer(host, now)  # listed again with its length now, or set aside until its delay
        return None

    def _offer(self, host: str, now: float) -> None:
        """Make a host with work and a free slot findable: ready now, or once its delay has passed."""
        if not self._queues[host] or self._in_flight[host] >= self._limit[host]:
            return
        not_before = self._next_start.get(host, 0.0)
        if not_before > now:
            if host not in self._in_delayed:
                self._in_delayed.add(host)
                heapq.heappush(self._delayed, (not_before, host))
                if self._delayed[0][1] == host:
                    self._cond.notify()  # a sooner wake-up than the waiting workers planned
        elif self._listed.get(host) != len(self._queues[host]):
            self._listed[host] = len(self._queues[host])
            heapq.heappush(self._ready, (-len(self._queues[host]), next(self._order), host))
            self._cond.notify()  # one waiting worker, if any, for the freed slot
