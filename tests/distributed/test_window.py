"""The shared request window on a fake store (no Redis): N callers in one window never exceed its limit,
callers over it wait rather than drop, a hold closes the service for every caller sharing the store."""

from __future__ import annotations

import threading
import time

from linkcheck.distributed.window import WindowLimiter, window_for
from linkcheck.fallback.politeness import PoliteClient
from linkcheck.models import FetchResult
from tests.distributed.memory import MemoryWindows


class FakeClock:
    """Time that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def most_in_any_window(starts: list[float], window: float) -> int:
    """The largest number of starts in any half-open interval of `window` seconds."""
    ordered = sorted(starts)
    return max(sum(1 for other in ordered[i:] if other < start + window) for i, start in enumerate(ordered))


def test_the_window_for_a_rate() -> None:
    assert window_for(1.0) == (1, 1000)
    assert window_for(0.5) == (1, 2000)
    assert window_for(5.0) == (5, 1000)
    assert window_for(2.5) == (2, 800)


def test_callers_sharing_a_store_never_exceed_the_window_and_all_get_through() -> None:
    clock = FakeClock()
    store = MemoryWindows(clock)
    # Three processes' limiters, one store: each has its own idea of nothing, the store counts for all.
    limiters = [WindowLimiter(store, rate=3.0, sleep=clock.sleep) for _ in range(3)]
    starts: list[float] = []
    for _ in range(8):
        for limiter in limiters:
            limiter.take("web.archive.org")
            starts.append(clock.now)
    assert len(starts) == 24  # nobody was dropped
    assert most_in_any_window(starts, 1.0) == 3  # the rate, across the three
    assert starts[-1] - starts[0] >= 7.0  # 24 starts at 3 per second: at least 7 windows after the first
    # Another service has its own window: it starts at once.
    before = clock.now
    limiters[0].take("rdap:rdap.org")
    assert clock.now == before


def test_threads_on_one_store_stay_within_the_rate() -> None:
    store = MemoryWindows(time.monotonic)
    starts: list[float] = []
    lock = threading.Lock()

    def user() -> None:
        limiter = WindowLimiter(store, rate=10.0)
        for _ in range(7):
            limiter.take("archive")
            with lock:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=user) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(starts) == 21
    # Stamped after take() returned, so a start may look later than its claim, never earlier: any 0.95 s
    # holds at most the 10 claimed in its window (3 unpaced threads would put all 21 in one).
    assert most_in_any_window(starts, 0.95) <= 10
    assert max(starts) - min(starts) >= 1.9  # 21 starts at 10 per second span two more windows


def test_a_hold_closes_the_service_for_every_caller() -> None:
    clock = FakeClock()
    store = MemoryWindows(clock)
    first, second = WindowLimiter(store, 5.0, clock.sleep), WindowLimiter(store, 5.0, clock.sleep)
    first.hold("web.archive.org", 30)
    second.hold("web.archive.org", 2)  # a shorter hold does not shorten the longer one
    start = clock.now
    second.take("web.archive.org")
    assert clock.now - start >= 30
    start = clock.now
    second.take("other.archive")
    assert clock.now == start


def test_a_retry_after_seen_by_one_client_holds_back_the_other() -> None:
    """PoliteClient on the shared limiter: a Retry-After is honoured, and two clients share one window."""
    clock = FakeClock()
    store = MemoryWindows(clock)
    starts: list[tuple[str, float]] = []
    answers = {"a": [FetchResult("u", "u", status=429, retry_after_s=20), FetchResult("u", "u", status=200)]}

    def fetch_as(name: str):  # type: ignore[no-untyped-def]
        def fetch(url: str, **request: object) -> FetchResult:
            starts.append((name, clock.now))
            queue = answers.get(name)
            return queue.pop(0) if queue else FetchResult(url, url, status=200)

        return fetch

    clients = {
        name: PoliteClient(
            fetch_as(name),
            1.0,
            retries=2,
            backoff=0.5,
            max_retry_after=60,
            clock=clock,
            sleep=clock.sleep,
            limiter=WindowLimiter(store, 1.0, clock.sleep),
        )  # fmt: skip
        for name in ("a", "b")
    }
    url = "https://web.archive.org/cdx/search/cdx?url=example.com"
    assert clients["a"].request(url).fetch is not None  # 429, held 20 s, then 200
    assert clients["b"].request(url).fetch is not None
    (_, first), (_, retried), (who, last) = starts
    assert retried - first >= 20
    assert who == "b" and last - retried >= 1.0  # b, another client, waited for the window a used
