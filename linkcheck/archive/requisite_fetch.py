"""Fetching one page's requisites within its budget, through the check's fetcher (passed in as a callable).

The archive never talks HTTP itself: `fetch` is the checker's Fetcher.fetch (private-network guard,
size cap, deadline, retries, per-domain headers), handed over by the pipeline. Requisites are fetched
one at a time in the worker that checked the page; `RequisiteHosts` holds, across workers, at most
`per_host_concurrency` requisite requests in flight per host, spaces their starts (`[check]
per_host_delay`) and gives up on a host that keeps failing to answer, for the whole run.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from linkcheck.archive.requisites import Requisite, css_references, css_text
from linkcheck.models import FailureKind, FetchResult, Requisites
from linkcheck.pacing import HostStarts
from linkcheck.settings import Settings
from linkcheck.urls import host_of

Fetch = Callable[[str], FetchResult]
# A host that fails like this is not answering: a page's other requisites there would each wait as long.
HOST_DOWN = frozenset(
    {
        FailureKind.TIMEOUT,
        FailureKind.DNS,
        FailureKind.DNS_TEMPORARY,
        FailureKind.REFUSED,
        FailureKind.RESET,
        FailureKind.CONNECTION,
        FailureKind.TLS,
    }
)


@dataclass(frozen=True)
class RequisiteLimits:
    """A page's budget for its requisites (`[snapshot]` max_requisites, _bytes, _seconds)."""

    max_count: int = 60  # requests
    max_bytes: int = 10_000_000  # payload bytes kept, all requisites together
    max_seconds: float = 30.0  # no new request after this; one under way ends at the check's deadline
    per_host_delay: float = 0.0  # `[check] per_host_delay`: seconds between two starts on one host
    host_failure_limit: int = 3  # `[check] host_failure_limit`: a host failing this often in a row is given up
    # Requisite requests in flight per host (`[check] per_host_concurrency`, a domain's own); None: no limit.
    per_host_limit: Callable[[str], int] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, settings: Settings, processes: int = 1) -> RequisiteLimits:
        """The limits `[snapshot]` and `[check]` set; with the check in `processes` processes, each one's
        share of a host's requisite requests (the check makes sure each gets at least one)."""
        snapshot, check = settings.snapshot, settings.check

        def per_host_limit(host: str) -> int:
            return max(1, settings.per_host_limit(host) // processes)

        return cls(
            snapshot.max_requisites,
            snapshot.max_requisite_bytes,
            snapshot.max_requisite_seconds,
            check.per_host_delay,
            check.host_failure_limit,
            per_host_limit,
        )


@dataclass
class Gathered:
    """The requisites kept (their downloads, in fetch order) and what the counts say."""

    downloads: list[FetchResult] = field(default_factory=list)
    refused: int = 0
    cut: bool = False

    @property
    def counts(self) -> Requisites:
        return Requisites(len(self.downloads), self.refused, self.cut)


class RequisiteHosts:
    """Per host, across a run's pages and workers: at most `per_host_limit(host)` requests in flight,
    at least `delay` seconds between two request starts, and, after `failure_limit` host-level
    failures in a row (0: never), no more requests."""

    def __init__(
        self,
        delay: float = 0.0,
        failure_limit: int = 3,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        per_host_limit: Callable[[str], int] | None = None,
        starts: HostStarts | None = None,
    ) -> None:
        """`starts`: each host's earliest next request start, shared with the checker when given
        (check_urls' `host_starts`), so the delay also spaces requisites from the pages' requests."""
        self.delay = delay
        self.failure_limit = failure_limit
        self._clock = clock
        self._sleep = sleep
        self._per_host_limit = per_host_limit
        self._starts = starts if starts is not None else HostStarts(delay, clock, sleep)
        self._streak: dict[str, int] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    @classmethod
    def of(cls, limits: RequisiteLimits, starts: HostStarts | None = None) -> RequisiteHosts:
        return cls(
            limits.per_host_delay, limits.host_failure_limit, per_host_limit=limits.per_host_limit, starts=starts
        )

    def acquire(self, host: str, timeout: float) -> bool:
        """Take one of the host's request slots, waiting at most `timeout` seconds; whether taken."""
        if self._per_host_limit is None:
            return True
        with self._lock:
            slots = self._slots.get(host)
            if slots is None:
                slots = self._slots[host] = threading.BoundedSemaphore(max(1, self._per_host_limit(host)))
        return slots.acquire(timeout=max(0.0, timeout))

    def release(self, host: str) -> None:
        if self._per_host_limit is not None:
            self._slots[host].release()

    def wait(self, host: str) -> None:
        """Sleep until a request to `host` may start, and claim that start."""
        self._starts.wait(host)

    def given_up(self, host: str) -> bool:
        with self._lock:
            return 0 < self.failure_limit <= self._streak.get(host, 0)

    def record(self, host: str, download: FetchResult) -> None:
        with self._lock:
            down = download.failure is not None and download.failure.kind in HOST_DOWN
            self._streak[host] = self._streak.get(host, 0) + 1 if down else 0


def kept(download: FetchResult) -> bool:
    """Whether a requisite's download is worth keeping: a whole 2xx answer."""
    status = download.status or 0
    return download.failure is None and 200 <= status < 300 and not download.truncated


def gather_requisites(
    found: list[Requisite],
    fetch: Fetch,
    limits: RequisiteLimits,
    hosts: RequisiteHosts | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Gathered:
    """Fetch the requisites in order, a stylesheet's own (depth 1) right after it, within `limits`.

    Stops, with `cut` set, at the first requisite the count, byte or time budget leaves no room for
    (waiting for a slot on a busy host counts against the time). One on a host given up on (`hosts`)
    is refused without a request.
    """
    hosts = hosts or RequisiteHosts.of(limits)
    gathered = Gathered()
    queue = deque(found)
    seen = {requisite.url for requisite in found}
    asked, kept_bytes = 0, 0
    deadline = clock() + limits.max_seconds
    while queue:
        if asked >= limits.max_count or kept_bytes >= limits.max_bytes or clock() >= deadline:
            gathered.cut = True
            break
        requisite = queue.popleft()
        host = host_of(requisite.url)
        if hosts.given_up(host):
            gathered.refused += 1
            continue
        if not hosts.acquire(host, deadline - clock()):
            gathered.cut = True
            break
        try:
            hosts.wait(host)
            asked += 1
            download = fetch(requisite.url)
            hosts.record(host, download)
        finally:
            hosts.release(host)
        if not kept(download):
            gathered.refused += 1
            continue
        if kept_bytes + len(download.raw_body) > limits.max_bytes:
            gathered.cut = True
            break
        kept_bytes += len(download.raw_body)
        gathered.downloads.append(download)
        if requisite.kind == "stylesheet" and requisite.depth == 0:
            css = css_text(download.body, download.header("Content-Type"))
            inner = [ref for ref in css_references(css, download.final_url, depth=1) if ref.url not in seen]
            seen.update(ref.url for ref in inner)
            queue.extendleft(reversed(inner))
    return gathered
