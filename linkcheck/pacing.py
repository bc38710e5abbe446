"""How often a shared service (an archive, an RDAP registry) may be asked: the RequestLimiter the fallback and
repair stages take, and the in-process one, a token bucket per service. With a broker, the pipeline hands them
a limiter shared through Redis instead (linkcheck.distributed.window), so every process on the broker shares
one window per service."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class RequestLimiter(Protocol):
    """Paces the requests to each service: take() before each one; hold() when the service asked to wait."""

    def take(self, service: str) -> None:
        """Wait until one more request to `service` may start, and claim it (waits, never refuses)."""

    def hold(self, service: str, seconds: float) -> None:
        """No request to `service` starts before `seconds` from now (a Retry-After, a backoff)."""


class TokenBucket:
    """At most `rate` request starts per second, never two closer than 1/rate: a bucket of size 1.

    take() waits for the next free slot; hold() keeps the bucket closed for a while (Retry-After).
    Slots are handed out in order, so threads never start two requests at once. `clock` and `sleep`
    are injectable so a test can run the bucket on a fake clock.
    """

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None  # the earliest start of the next request
        self._lock = threading.Lock()

    def take(self) -> None:
        """Wait until a request may start, and claim that slot."""
        with self._lock:
            now = self._clock()
            start = now if self._next is None else max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)

    def hold(self, seconds: float) -> None:
        """No request starts before `seconds` from now (the service asked to wait)."""
        with self._lock:
            until = self._clock() + seconds
            self._next = until if self._next is None else max(self._next, until)


class BucketPerService:
    """The in-process RequestLimiter: one TokenBucket per service, for this process only."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._rate = rate
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def bucket(self, service: str) -> TokenBucket:
        with self._lock:
            if service not in self._buckets:
                self._buckets[service] = TokenBucket(self._rate, self._clock, self._sleep)
            return self._buckets[service]

    def take(self, service: str) -> None:
        self.bucket(service).take()

    def hold(self, service: str, seconds: float) -> None:
        self.bucket(service).hold(seconds)


class HostStarts:
    """Each host's earliest next request start, shared by everything that asks the hosts of one run: the
    checker's scheduler (which claims a start when it hands a URL out), and the requests made beside it
    (the soft-404 probe, a page's requisites), which wait() for theirs. So `delay` spaces them all."""

    def __init__(
        self,
        delay: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self.times: dict[str, float] = {}  # host -> earliest next start (the scheduler's own table)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        """Sleep until a request to `host` may start, and claim that start."""
        if self.delay <= 0:
            return
        with self._lock:
            now = self._clock()
            start = max(now, self.times.get(host, now))
            self.times[host] = start + self.delay
        if start > now:
            self._sleep(start - now)
