"""Captures a worker without the archive folder sends back: taken out of its private archive, adopted into the
coordinator's (a WARC file named after the worker, its CDXJ index, the readable copy), bounded in size; on
Dramatiq's StubBroker (no Redis)."""

from __future__ import annotations

import gzip
import json
import tempfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker
from dramatiq.rate_limits.backends import StubBackend
from warcio.archiveiterator import ArchiveIterator

from linkcheck.archive import Archive, list_captures
from linkcheck.check import Fetcher
from linkcheck.distributed.coordinator import check_remotely
from linkcheck.distributed.worker import ShardChecker, declare_actor
from linkcheck.models import Snapshot
from linkcheck.settings import with_overrides
from tests.conftest import loopback_settings
from tests.distributed.memory import MemoryChannel
from tests.server import LocalServer, page, running, send

BOUND = 60_000


def answer(handler: BaseHTTPRequestHandler) -> None:
    """/ok/N: a small page of its own; /big/N: a page whose capture is well over BOUND, even gzipped."""
    number = handler.path.rsplit("/", 1)[1]
    if handler.path.startswith("/big/"):
        noise = " ".join(f"{(n * 7919 + int(number)) ** 3:x}" for n in range(20_000))
        send(handler, 200, page(f"Big report {number}", f"<p>{noise}</p>"))
    else:
        send(handler, 200, page(f"Report number {number}", f"What report {number} says, in its own words. " * 5))


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with running("127.0.0.1") as local:
        local.fallback = answer
        yield local


@pytest.fixture
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the worker's private archives go, so the test can see them cleaned up."""
    folder = tmp_path / "worker-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def read_record(snapshot: Snapshot) -> tuple[str, str]:
    """(target URI, record id) of the record at the snapshot's offset in its WARC file."""
    assert snapshot.offset is not None
    with open(snapshot.warc, "rb") as stream:
        stream.seek(snapshot.offset)
        record = next(iter(ArchiveIterator(stream)))
        return record.rec_headers.get_header("WARC-Target-URI"), record.rec_headers.get_header("WARC-Record-ID")


def test_a_capture_taken_out_of_one_archive_is_kept_whole_by_another(server: LocalServer, tmp_path: Path) -> None:
    fetcher = Fetcher(loopback_settings())
    try:
        fetched = [fetcher.fetch(server.url(f"/ok/{n}")) for n in range(3)]
    finally:
        fetcher.close()
    made = Archive(tmp_path / "worker", run_id="far-1")
    snapshots = [made.capture(download).snapshot for download in fetched]
    made.close()
    keeper = Archive(tmp_path / "coordinator", run_id="from-far-1")
    kept = []
    for snapshot in snapshots:
        assert snapshot is not None
        carried = made.take_out(snapshot)
        assert carried is not None and carried.size < BOUND
        kept.append(keeper.adopt(carried))
    keeper.close()
    for download, before, after in zip(fetched, snapshots, kept, strict=True):
        assert before is not None
        assert Path(after.warc).parent == tmp_path / "coordinator" / "warc" and "from-far-1" in after.warc
        assert read_record(after) == (download.url, before.record_id)  # the very record, at its new place
        assert (after.sha256, after.captured_at) == (before.sha256, before.captured_at)
        meta = json.loads((Path(after.page or "") / "meta.json").read_text())
        assert meta["warc"] == f"warc/{Path(after.warc).name}" and meta["offset"] == after.offset
        copied, made_copy = Path(after.page or "") / "page.html", Path(before.page or "") / "page.html"
        assert copied.read_bytes() == made_copy.read_bytes()
    listed = {entry.url: entry for entry in list_captures(tmp_path / "coordinator")}
    for download, after in zip(fetched, kept, strict=True):
        entry = listed[download.url]
        assert entry.offset == after.offset and entry.page is not None
        assert (tmp_path / "coordinator" / entry.page) == Path(after.page or "")


def test_a_carried_copy_may_not_write_outside_its_folder(server: LocalServer, tmp_path: Path) -> None:
    fetcher = Fetcher(loopback_settings())
    try:
        download = fetcher.fetch(server.url("/ok/1"))
    finally:
        fetcher.close()
    with Archive(tmp_path / "worker") as made:
        snapshot = made.capture(download).snapshot
        assert snapshot is not None
        carried = made.take_out(snapshot)
    assert carried is not None
    hostile = type(carried)(carried.snapshot, carried.records, carried.offset, (("../../escape", b"x"), *carried.files))
    keeper = Archive(tmp_path / "coordinator")
    with pytest.raises(ValueError, match="outside its folder"):
        keeper.adopt(hostile)
    keeper.close()
    assert not (tmp_path / "escape").exists() and not list((tmp_path / "coordinator").rglob("escape"))


def test_workers_without_the_folder_send_captures_the_coordinator_keeps(
    server: LocalServer, tmp_path: Path, private_temp: Path
) -> None:
    broker = StubBroker()
    broker.emit_after("process_boot")
    channel = MemoryChannel()
    checker = ShardChecker(channel, StubBackend(), worker="far-away", shared_archive=False)
    declare_actor(broker, lambda: checker)
    worker = Worker(broker, worker_threads=2, worker_timeout=50)
    worker.start()
    settings = with_overrides(
        loopback_settings(retries=0), distributed={"broker": "redis://unused:6379/0", "max_capture_bytes": BOUND}
    )
    urls = [server.url(f"/ok/{n}") for n in range(6)] + [server.url("/big/1")]
    root = tmp_path / "archive"
    try:
        remote, interrupted = check_remotely(urls, settings, None, broker, channel, archive_root=root)
    finally:
        worker.stop()
        broker.close()
        checker.close()
    assert not interrupted and sorted(remote) == sorted(urls)
    listed = {entry.url: entry for entry in list_captures(root)}  # the coordinator's index
    for url in urls[:-1]:
        capture = remote[url].capture
        assert capture is not None and capture.snapshot is not None, url
        snapshot = capture.snapshot
        # in the coordinator's archive, in a WARC file named after the worker
        assert Path(snapshot.warc).parent == root / "warc" and "far-away" in Path(snapshot.warc).name
        assert read_record(snapshot)[0] == url
        assert listed[url].filename == Path(snapshot.warc).name and listed[url].offset == snapshot.offset
        assert Path(snapshot.page or "").is_relative_to(root / "pages")
        assert "Report number" in (Path(snapshot.page or "") / "text.txt").read_text()
    big = remote[urls[-1]].capture
    assert big is not None and big.snapshot is None
    assert "over [distributed] max_capture_bytes (60000)" in (big.skipped_reason or "")
    assert urls[-1] not in listed
    assert not list(private_temp.iterdir())  # the worker's private archives are gone
    assert not channel.attachments and len(channel.taken) == 6  # each capture read once, none left behind
    with gzip.open(next((root / "warc").glob("*far-away*.warc.gz"))) as warc:
        assert b"WARC-Type: warcinfo" in warc.read(2000)
