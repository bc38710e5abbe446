"""The host scheduler: limits per host and overall, hosts in parallel, delays, errors, stopping."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from linkcheck.check import check_urls
from linkcheck.check.client import Fetcher
from linkcheck.check.schedule import HostScheduler, Limits
from linkcheck.models import Verdict
from linkcheck.settings import settings_from_mapping
from tests.conftest import loopback_settings
from tests.server import LocalServer, page, running, send


class InFlight:
    """Counts work in progress, per host and overall, and remembers the peaks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.total = 0
        self.peak_total = 0

    def enter(self, host: str) -> None:
        with self._lock:
            self.now[host] += 1
            self.total += 1
            self.peak[host] = max(self.peak[host], self.now[host])
            self.peak_total = max(self.peak_total, self.total)

    def leave(self, host: str) -> None:
        with self._lock:
            self.now[host] -= 1
            self.total -= 1


def host_part(item: str) -> str:
    return item.split("/", 1)[0]


def test_limits_per_host_and_overall_are_kept() -> None:
    counts = InFlight()

    def work(item: str) -> str:
        counts.enter(host_part(item))
        time.sleep(0.02)
        counts.leave(host_part(item))
        return item.upper()

    items = [f"h{n % 4}/{n}" for n in range(40)]
    scheduler: HostScheduler[str, str] = HostScheduler(work, host_part, Limits(concurrency=5, per_host=2))
    results = dict(scheduler.run(items))
    assert results == {item: item.upper() for item in items}
    assert max(counts.peak.values()) <= 2
    assert counts.peak_total <= 5
    assert counts.peak_total > 2  # hosts ran side by side


def test_per_host_limit_callback_overrides_the_default() -> None:
    counts = InFlight()

    def work(item: str) -> None:
        counts.enter(host_part(item))
        time.sleep(0.02)
        counts.leave(host_part(item))

    items = [f"{host}/{n}" for n in range(6) for host in ("slow", "fast")]
    limits = Limits(concurrency=8, per_host=3)
    scheduler: HostScheduler[str, None] = HostScheduler(work, host_part, limits, lambda h: 1 if h == "slow" else 3)
    assert len(list(scheduler.run(items))) == 12
    assert counts.peak["slow"] == 1 and counts.peak["fast"] <= 3


def test_a_busy_host_does_not_hold_up_the_others() -> None:
    finished: list[str] = []

    def work(item: str) -> str:
        time.sleep(0.15 if item.startswith("slow") else 0.0)
        return item

    items = [f"slow/{n}" for n in range(4)] + ["quick/1", "quick/2"]
    scheduler: HostScheduler[str, str] = HostScheduler(work, host_part, Limits(concurrency=4, per_host=1))
    for item, _ in scheduler.run(items):
        finished.append(item)
    assert finished.index("quick/2") < finished.index("slow/1")


def test_per_host_delay_spaces_the_starts_on_one_host() -> None:
    starts: dict[str, list[float]] = {"a": [], "b": []}
    lock = threading.Lock()

    def work(item: str) -> None:
        with lock:
            starts[host_part(item)].append(time.monotonic())

    items = [f"{host}/{n}" for n in range(4) for host in ("a", "b")]
    scheduler: HostScheduler[str, None] = HostScheduler(work, host_part, Limits(4, 2, per_host_delay=0.1))
    begin = time.monotonic()
    list(scheduler.run(items))
    for times in starts.values():
        # Measured where the work starts, so a worker thread that starts late shortens one gap:
        # half the delay is the margin for that.
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        assert len(times) == 4 and all(gap >= 0.05 for gap in gaps), gaps
    assert time.monotonic() - begin < 2.0  # the two hosts waited side by side, not in turn


def test_an_error_in_work_reaches_the_caller() -> None:
    def work(item: str) -> str:
        if item == "h/3":
            raise RuntimeError("tool bug")
        return item

    scheduler: HostScheduler[str, str] = HostScheduler(work, host_part, Limits(2, 1))
    with pytest.raises(RuntimeError, match="tool bug"):
        list(scheduler.run([f"h/{n}" for n in range(6)]))


def test_stop_dispatches_nothing_more() -> None:
    started: list[str] = []

    def work(item: str) -> str:
        started.append(item)
        time.sleep(0.01)
        return item

    scheduler: HostScheduler[str, str] = HostScheduler(work, host_part, Limits(1, 1))
    got = []
    for item, _ in scheduler.run([f"h/{n}" for n in range(20)]):
        got.append(item)
        scheduler.stop()
    assert scheduler.stopped
    assert len(started) <= 2 and got == started[: len(got)]


def test_nothing_to_do() -> None:
    scheduler: HostScheduler[str, str] = HostScheduler(str.upper, host_part, Limits(2, 1))
    assert list(scheduler.run([])) == []


# --- the real thing: three loopback hosts through pipeline.check_urls ---------------------------------


@pytest.fixture
def three_hosts() -> Iterator[tuple[list[LocalServer], InFlight]]:
    """Servers on 127.0.0.1, .2 and .3 whose pages take 0.05 s; `InFlight` counts across all three."""
    counts = InFlight()
    with running("127.0.0.1") as one, running("127.0.0.2") as two, running("127.0.0.3") as three:
        for local in (one, two, three):

            def slow(handler: BaseHTTPRequestHandler, host: str = local.host) -> None:
                counts.enter(host)
                time.sleep(0.05)
                counts.leave(host)  # before answering: the client cannot have moved on yet
                send(handler, 200, page("Article"))

            local.fallback = slow
        yield [one, two, three], counts


def test_per_host_concurrency_is_never_exceeded_on_real_servers(
    three_hosts: tuple[list[LocalServer], InFlight],
) -> None:
    servers, counts = three_hosts
    urls = [servers[n % 3].url(f"/article/{n}") for n in range(40)]
    settings = loopback_settings(per_host_concurrency=2, concurrency=8, retries=0)
    fetcher = Fetcher(settings)
    try:
        outcomes, interrupted = check_urls(urls, settings, fetcher)
        results = {url: outcome.result for url, outcome in outcomes.items()}
    finally:
        fetcher.close()
    assert not interrupted
    assert {url: result.verdict for url, result in results.items()} == dict.fromkeys(urls, Verdict.OK)
    for local in servers:
        assert local.max_in_flight[local.host] <= 2, local.max_in_flight
        assert sum(local.hits.values()) == len([url for url in urls if local.host in url])
    assert max(counts.peak.values()) <= 2
    assert counts.peak_total > 2  # hosts were worked on at the same time


def test_domain_rule_per_host_concurrency_on_real_servers(three_hosts: tuple[list[LocalServer], InFlight]) -> None:
    servers, counts = three_hosts
    settings = settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "retries": 0, "per_host_concurrency": 3, "concurrency": 8},
            "domains": {"127.0.0.2": {"per_host_concurrency": 1}},
        }
    )
    urls = [servers[n % 3].url(f"/page/{n}") for n in range(24)]
    fetcher = Fetcher(settings)
    try:
        outcomes, _ = check_urls(urls, settings, fetcher)
        results = {url: outcome.result for url, outcome in outcomes.items()}
    finally:
        fetcher.close()
    assert len(results) == 24
    assert counts.peak["127.0.0.2"] == 1
    assert counts.peak["127.0.0.1"] <= 3 and counts.peak["127.0.0.3"] <= 3
    assert servers[1].max_in_flight["127.0.0.2"] == 1


def test_interrupt_with_nothing_left_to_dispatch_does_not_wait_for_work_in_flight() -> None:
    release = threading.Event()

    def work(item: str) -> str:
        if item == "a/1":
            raise KeyboardInterrupt
        release.wait(5.0)  # a fetch in flight, bounded by its own deadline
        return item

    scheduler: HostScheduler[str, str] = HostScheduler(work, host_part, Limits(4, 1))
    begin = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            list(scheduler.run(["b/1", "a/1"]))
        assert time.monotonic() - begin < 2.0
    finally:
        release.set()


def test_a_caller_that_stops_reading_does_not_wait_for_work_in_flight() -> None:
    release = threading.Event()

    def work(item: str) -> str:
        if item != "a/1":
            release.wait(5.0)
        return item

    scheduler: HostScheduler[str, str] = HostScheduler(work, host_part, Limits(4, 1))
    results = scheduler.run(["b/1", "a/1"])
    begin = time.monotonic()
    try:
        assert next(results) == ("a/1", "a/1")
        results.close()
        assert time.monotonic() - begin < 2.0
    finally:
        release.set()


def test_a_per_host_limit_below_one_still_runs_the_work() -> None:
    scheduler: HostScheduler[str, str] = HostScheduler(str.upper, host_part, Limits(2, 1), lambda host: 0)
    assert sorted(item for item, _ in scheduler.run(["h/1", "h/2"])) == ["h/1", "h/2"]


def test_a_worker_keeps_to_its_host_so_a_host_stays_on_its_connections() -> None:
    # Round-robin over many hosts opened a new connection for most requests (the pool cannot keep
    # one per host); a worker that finishes takes the next URL of the same host.
    done_by: dict[str, list[str]] = {}
    lock = threading.Lock()

    def work(item: str) -> None:
        with lock:
            done_by.setdefault(threading.current_thread().name, []).append(host_part(item))
        time.sleep(0.001)

    items = [f"h{n % 10}/{n}" for n in range(100)]  # interleaved, as harvested URLs come
    scheduler: HostScheduler[str, None] = HostScheduler(work, host_part, Limits(concurrency=3, per_host=1))
    assert len(list(scheduler.run(items))) == 100
    # A "visit": a run of one host's URLs on one worker (one connection). Round-robin makes ~100.
    visits = sum(1 + sum(a != b for a, b in zip(hosts, hosts[1:], strict=False)) for hosts in done_by.values())
    assert visits <= 25, done_by


def test_the_host_with_the_most_urls_starts_first() -> None:
    started: list[str] = []

    def work(item: str) -> None:
        started.append(item)

    items = ["a/1", "b/1", "c/1"] + [f"big/{n}" for n in range(5)]
    scheduler: HostScheduler[str, None] = HostScheduler(work, host_part, Limits(concurrency=1, per_host=1))
    list(scheduler.run(items))
    assert host_part(started[0]) == "big"  # the longest queue bounds the run: it must not start last


def test_a_freed_slot_on_a_delayed_host_is_taken_once_the_delay_passes() -> None:
    starts: list[float] = []

    def work(item: str) -> None:
        starts.append(time.monotonic())

    scheduler: HostScheduler[str, None] = HostScheduler(work, host_part, Limits(4, 4, per_host_delay=0.05))
    begin = time.monotonic()
    list(scheduler.run([f"one/{n}" for n in range(5)]))
    assert len(starts) == 5 and time.monotonic() - begin < 2.0
    assert all(later - earlier >= 0.025 for earlier, later in zip(starts, starts[1:], strict=False))


def test_a_host_that_would_finish_last_is_started_before_the_others_run_out() -> None:
    # Keeping to one host must not leave a host untouched until the others are done: then it would
    # run alone at its per-host limit while the other workers idle (5 hosts x 8 URLs, C=4, P=2: the
    # fifth host would start after 32 URLs and add two rounds to a ten-round run).
    started: list[str] = []
    lock = threading.Lock()

    def work(item: str) -> None:
        with lock:
            started.append(host_part(item))
        time.sleep(0.005)

    items = [f"h{n % 5}/{n}" for n in range(40)]
    scheduler: HostScheduler[str, None] = HostScheduler(work, host_part, Limits(concurrency=4, per_host=2))
    assert len(list(scheduler.run(items))) == 40
    first_start = {host: started.index(host) for host in {f"h{n}" for n in range(5)}}
    assert max(first_start.values()) <= 24, started


def test_on_idle_is_called_in_the_callers_thread_while_no_result_comes() -> None:
    """A slow URL leaves the caller idle: on_idle runs there (the run's batched writes commit meanwhile)."""
    idle_threads: list[int] = []

    def slow(item: int) -> int:
        time.sleep(1.2 if item == 0 else 0.0)
        return item

    scheduler: HostScheduler[int, int] = HostScheduler(slow, lambda item: f"h{item}", Limits(2, 1))
    done = dict(scheduler.run([0, 1], on_idle=lambda: idle_threads.append(threading.get_ident())))
    assert done == {0: 0, 1: 1}
    assert idle_threads and set(idle_threads) == {threading.get_ident()}
