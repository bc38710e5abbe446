"""Coordinator and worker over Dramatiq's StubBroker (no Redis): shards out, each result back once, politely."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker
from dramatiq.rate_limits.backends import StubBackend

from linkcheck.archive import Archive
from linkcheck.check import Fetcher, check_urls
from linkcheck.distributed.coordinator import check_remotely, collect
from linkcheck.distributed.lease import LOCK_PREFIX
from linkcheck.distributed.messages import (
    ShardWork,
    carried_from_bytes,
    outcome_to_json,
    result_from_json,
    settings_snapshot,
)
from linkcheck.distributed.worker import Next, ShardChecker, declare_actor
from linkcheck.models import Outcome, Verdict
from linkcheck.settings import Settings, with_overrides
from linkcheck.state.run import RunState
from linkcheck.state.store import Store
from tests.conftest import loopback_settings
from tests.distributed.memory import MemoryChannel
from tests.server import LocalServer, page, running, send


def answer(handler: BaseHTTPRequestHandler) -> None:
    """/ok/N: a page of its own (so no soft-404 probe judges it), anything else a 404."""
    if handler.path.startswith("/ok/"):
        number = handler.path.rsplit("/", 1)[1]
        send(handler, 200, page(f"Report number {number}", f"What report {number} says, in its own words. " * 5))
    else:
        send(handler, 404, page("Not Found"))


@pytest.fixture
def servers() -> Iterator[list[LocalServer]]:
    with running("127.0.0.1") as first, running("127.0.0.2") as second:
        first.fallback = second.fallback = answer
        yield [first, second]


class CountingChecker(ShardChecker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.messages: list[ShardWork] = []
        self.lock = threading.Lock()

    def check(self, work: ShardWork) -> Next | None:
        with self.lock:
            self.messages.append(work)
        return super().check(work)


@dataclasses.dataclass
class Stub:
    broker: StubBroker
    channel: MemoryChannel
    locks: StubBackend
    checker: CountingChecker


@pytest.fixture
def stub() -> Iterator[Stub]:
    broker = StubBroker()
    broker.emit_after("process_boot")
    channel, locks = MemoryChannel(), StubBackend()
    checker = CountingChecker(channel, locks, worker="stub-worker")
    declare_actor(broker, lambda: checker)
    worker = Worker(broker, worker_threads=4, worker_timeout=50)
    worker.start()
    try:
        yield Stub(broker, channel, locks, checker)
    finally:
        worker.stop()
        broker.close()
        checker.close()


def urls_on(servers: list[LocalServer], count: int) -> list[str]:
    return [servers[n % 2].url(f"/{'gone' if n % 7 == 0 else 'ok'}/{n}") for n in range(count)]


def distributed(settings: Settings, **values: Any) -> Settings:
    return with_overrides(settings, distributed={"broker": "redis://unused:6379/0", **values})


def comparable(outcome: Outcome) -> dict[str, Any]:
    result = dataclasses.replace(outcome.result, elapsed_ms=0, checked_at=None)
    return {"result": result, "page": result.page}


def test_the_workers_results_equal_a_local_check(servers: list[LocalServer], stub: Stub) -> None:
    settings = distributed(loopback_settings(retries=0), shards=3)
    urls = urls_on(servers, 40)
    seen: list[str] = []
    remote, interrupted = check_remotely(urls, settings, lambda o: seen.append(o.result.url), stub.broker, stub.channel)
    assert not interrupted
    assert sorted(seen) == sorted(urls)  # each URL reported once
    fetcher = Fetcher(settings)
    try:
        local, _ = check_urls(urls, settings, fetcher)
    finally:
        fetcher.close()
    assert {url: comparable(o) for url, o in remote.items()} == {url: comparable(o) for url, o in local.items()}
    assert {o.result.verdict for o in remote.values()} == {Verdict.OK, Verdict.BROKEN}
    assert len(stub.checker.messages) == len({(m.run, m.shard) for m in stub.checker.messages}) <= 3


def test_time_slices_send_the_rest_on_and_lose_nothing(servers: list[LocalServer], stub: Stub) -> None:
    settings = distributed(loopback_settings(retries=0, per_host_delay=0.05), shards=1, slice_seconds=0.1)
    urls = urls_on(servers, 30)
    remote, interrupted = check_remotely(urls, settings, None, stub.broker, stub.channel)
    assert not interrupted and sorted(remote) == sorted(urls)
    # 15 URLs a host 0.05 s apart need ~0.75 s: several slices of one shard, one message each
    assert len(stub.checker.messages) >= 3
    sizes = [len(m.urls) for m in stub.checker.messages]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 30
    run = stub.checker.messages[0].run
    assert len(stub.channel.streams[run]) == 30  # no URL checked twice across slices
    assert sum(server.hits[path] for server in servers for path in server.hits) >= 30


def test_a_result_is_recorded_once_per_run_and_url_even_when_sent_twice(
    servers: list[LocalServer], stub: Stub, tmp_path: Path
) -> None:
    settings = distributed(loopback_settings(retries=0), shards=2)
    urls = urls_on(servers, 12)
    store = Store.open(tmp_path / "state.sqlite")
    now = lambda: dt.datetime.now(dt.UTC)  # noqa: E731
    state = RunState(store, settings.state, now)
    state.begin(now(), ["test"])
    run = "fixed-run"
    duplicated: list[str] = []

    def record(outcome: Outcome) -> None:
        state.record(outcome.result)
        if not duplicated:  # a redelivered shard's second answer for the same URL, arriving later
            broken = dataclasses.replace(outcome.result, verdict=Verdict.BROKEN, status=500)
            stub.channel.publish(run, outcome.result.url, outcome_to_json(Outcome(broken), "late"), "late")
            duplicated.append(outcome.result.url)

    remote, _ = check_remotely(urls, settings, record, stub.broker, stub.channel, run=run)
    assert len(stub.channel.streams[run]) == len(urls) + 1  # the duplicate did arrive
    assert remote[duplicated[0]].result.status in (200, 404)  # the first answer stands, not the late 500
    state.flush()  # results are committed in batches
    for url in urls:
        assert len(store.timeline(url)) == 1, url
    store.close()


def test_a_redelivered_shard_skips_what_its_dead_worker_already_sent(servers: list[LocalServer], stub: Stub) -> None:
    settings = distributed(loopback_settings(retries=0), shards=1, lease_seconds=0.5)
    urls = urls_on(servers, 20)
    run = "resumed"
    fetcher = Fetcher(settings)
    try:
        first, _ = check_urls(urls[:8], settings, fetcher)  # what the killed worker had checked and sent
    finally:
        fetcher.close()
    for outcome in first.values():
        stub.channel.publish(run, outcome.result.url, outcome_to_json(outcome, "killed"), "killed")
    for server in servers:
        server.hits.clear()
    # ... and its lock, which nobody renews any more
    assert stub.locks.add(LOCK_PREFIX + "1:0", 1, ttl=500)  # shard 0 of 1
    started = dt.datetime.now(dt.UTC)
    remote, interrupted = check_remotely(urls, settings, None, stub.broker, stub.channel, run=run)
    waited = (dt.datetime.now(dt.UTC) - started).total_seconds()
    assert not interrupted and sorted(remote) == sorted(urls)
    assert waited >= 0.45  # nobody took the shard while the dead worker's lease lasted
    fetched = {path for server in servers for path in server.hits}
    assert not fetched & {urlsplit(url).path for url in urls[:8]}  # not fetched again
    assert {urlsplit(url).path for url in urls[8:]} <= fetched
    assert len(stub.checker.messages) >= 2  # deferred at least once while locked


def test_a_finished_runs_leftover_shards_are_dropped(servers: list[LocalServer]) -> None:
    channel, locks = MemoryChannel(), StubBackend()
    checker = ShardChecker(channel, locks, worker="w")
    snapshot, digest = settings_snapshot(loopback_settings())
    work = ShardWork("gone-run", 0, (servers[0].url("/ok/1"),), snapshot, digest, 60.0, 30.0)
    assert checker.check(work) is None
    checker.close()
    assert not servers[0].hits and not channel.streams


def test_workers_capture_into_the_shared_archive_under_their_own_names(
    servers: list[LocalServer], stub: Stub, tmp_path: Path
) -> None:
    settings = distributed(loopback_settings(retries=0), shards=2)
    urls = urls_on(servers, 10)
    root = tmp_path / "archive"
    remote, _ = check_remotely(urls, settings, None, stub.broker, stub.channel, archive_root=root)
    ok = [url for url in urls if "/ok/" in url]
    with Archive(root) as archive:  # the coordinator's view: the shared folder's one index
        for url in ok:
            capture = remote[url].capture
            assert capture is not None and capture.snapshot is not None, url
            assert "stub-worker" in capture.snapshot.warc  # a worker's WARC files carry its id
            indexed = archive.latest(url)
            assert indexed is not None and indexed.filename == Path(capture.snapshot.warc).name
            assert indexed.offset == capture.snapshot.offset
    for url in set(urls) - set(ok):
        capture = remote[url].capture
        assert capture is not None and capture.snapshot is not None  # a 404 page is archived too, as it came


@pytest.mark.parametrize("local_folder", [False, True], ids=["no folder", "a folder of its own at the path"])
def test_a_worker_without_the_archive_folder_sends_its_capture_back(
    servers: list[LocalServer], tmp_path: Path, local_folder: bool
) -> None:
    channel, locks = MemoryChannel(), StubBackend()
    checker = ShardChecker(channel, locks, worker="far-away")
    if local_folder:  # the path exists on the worker, but without the run's marker: not the coordinator's folder
        (tmp_path / "not-mounted").mkdir()
    snapshot, digest = settings_snapshot(loopback_settings(), str(tmp_path / "not-mounted"))
    channel.keep_alive("run", 60)
    url = servers[0].url("/ok/1")
    assert checker.check(ShardWork("run", 0, (url,), snapshot, digest, 60.0, 30.0)) is None
    checker.close()
    [(_, payload)] = channel.read("run", "0", 0.1)
    outcome, _, key = result_from_json(payload)
    assert key is not None and outcome.capture is not None and outcome.capture.snapshot is not None
    attached = channel.attachment(key)
    assert attached is not None and len(payload) < 10_000  # the capture travels beside the result, not in it
    carried = carried_from_bytes(attached, outcome.capture.snapshot)
    assert outcome.result.verdict is Verdict.OK
    assert carried is not None and outcome.capture is not None and outcome.capture.snapshot == carried.snapshot
    assert carried.records.startswith(b"\x1f\x8b")  # gzip members: the WARC records as the worker wrote them
    assert {name for name, _ in carried.files} >= {"meta.json", "page.html", "text.txt"}
    written = list((tmp_path / "not-mounted").rglob("*")) if local_folder else []
    assert written == [] and (tmp_path / "not-mounted").exists() == local_folder  # nothing written there


def test_the_coordinator_gives_up_after_wait_and_says_when_no_worker_answers(caplog: pytest.LogCaptureFixture) -> None:
    ticks = iter(range(0, 10_000, 20))  # each look at the clock: 20 s later
    channel = MemoryChannel()
    with caplog.at_level("WARNING", logger="linkcheck"):
        outcomes, missing = collect("lonely", ["http://a.test/"], channel, None, wait=70, clock=lambda: next(ticks))
    assert outcomes == {} and missing
    assert "is a `linkcheck worker` running?" in caplog.text
    assert "1 URL(s) had no result after 70 s" in caplog.text


def test_a_finished_shard_keeps_its_lock_one_more_delay(servers: list[LocalServer]) -> None:
    """Another run's shard of the same hosts may be next: it must not start right after our last request."""
    channel, locks = MemoryChannel(), StubBackend()
    slept: list[float] = []
    checker = ShardChecker(channel, locks, worker="w", sleep=slept.append)
    snapshot, digest = settings_snapshot(loopback_settings(per_host_delay=0.25))
    channel.keep_alive("run", 60)
    work = ShardWork("run", 0, (servers[0].url("/ok/1"), servers[0].url("/ok/2")), snapshot, digest, 60.0, 30.0)
    assert checker.check(work) is None  # done
    checker.close()
    assert slept == [0.25]
    assert checker.check(work) is None  # nothing left to do: nothing fetched, no wait
    assert slept == [0.25]
