"""The coordinator's side: one message per host shard, then each result recorded as it arrives, once per URL."""

from __future__ import annotations

import dataclasses
import logging
import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path

import dramatiq

from linkcheck.archive import Archive, ArchiveError
from linkcheck.distributed.channel import ResultChannel
from linkcheck.distributed.messages import (
    ShardWork,
    carried_from_bytes,
    result_from_json,
    run_marker,
    settings_snapshot,
    work_to_json,
)
from linkcheck.distributed.shards import group_by_shard
from linkcheck.distributed.worker import ACTOR, QUEUE
from linkcheck.errors import describe
from linkcheck.models import Capture, CarriedCapture, Outcome
from linkcheck.settings import Settings

log = logging.getLogger("linkcheck")

QUIET_HINT_SECONDS = 30.0  # no result at all this long after sending: say that workers may be missing


def send_shards(
    broker: dramatiq.Broker, run: str, urls: list[str], settings: Settings, archive_root: str | None = None
) -> int:
    """One message per non-empty shard of `urls`, to the workers' actor by name; how many were sent."""
    distributed = settings.distributed
    snapshot, digest = settings_snapshot(settings, archive_root)
    groups = group_by_shard(urls, distributed.shards)
    for shard, members in groups.items():
        work = ShardWork(
            run,
            shard,
            tuple(members),
            snapshot,
            digest,
            distributed.slice_seconds,
            distributed.lease_seconds,
            distributed.shards,
        )
        broker.enqueue(
            dramatiq.Message(queue_name=QUEUE, actor_name=ACTOR, args=(work_to_json(work),), kwargs={}, options={})
        )
    return len(groups)


def collect(
    run: str,
    urls: list[str],
    channel: ResultChannel,
    on_outcome: Callable[[Outcome], None] | None,
    wait: float = 0.0,
    clock: Callable[[], float] = time.monotonic,
    alive_seconds: float = 30.0,
    adopt: Callable[[Outcome, CarriedCapture, str], Outcome] | None = None,
    on_idle: Callable[[], None] | None = None,
) -> tuple[dict[str, Outcome], bool]:
    """Read the run's results until every URL has one, or `wait` seconds pass (0: no limit); each URL's first
    result is taken, a second one (a redelivered shard's) ignored. (outcomes, whether some are missing).
    A capture a result carries back is handed to `adopt`, which gives the outcome as the archive keeps it.
    `on_idle` is called after each read of the stream (at least once a second), results or not."""
    pending = set(urls)
    outcomes: dict[str, Outcome] = {}
    after = "0"
    gives_up = clock() + wait if wait > 0 else None
    renewed = float("-inf")
    hint_at: float | None = clock() + QUIET_HINT_SECONDS
    while pending:
        now = clock()
        if hint_at is not None and now >= hint_at and not outcomes:
            log.warning(
                "distributed run %s: no result yet after %g s: is a `linkcheck worker` running?",
                run,
                QUIET_HINT_SECONDS,
            )
            hint_at = None
        if gives_up is not None and now >= gives_up:
            log.warning("distributed run %s: %d URL(s) had no result after %g s", run, len(pending), wait)
            return outcomes, True
        if now - renewed >= alive_seconds / 3:
            channel.keep_alive(run, alive_seconds)
            renewed = now
        if on_idle is not None:
            on_idle()
        for entry, payload in channel.read(run, after, block_seconds=1.0):
            after = entry
            try:
                outcome, worker, carried = result_from_json(payload)
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("distributed run %s: unreadable result %s skipped: %s", run, entry, exc)
                continue
            url = outcome.result.url
            content = channel.attachment(carried) if carried is not None else None  # taken even if not wanted
            if url not in pending:
                continue  # a second result for the URL (a redelivered shard), or one not asked for
            pending.discard(url)
            if carried is not None:
                outcome = _kept(outcome, content, worker, adopt)
            outcomes[url] = outcome
            log.debug("result for %s from %s", url, worker)
            if on_outcome is not None:
                on_outcome(outcome)
    return outcomes, False


def check_remotely(
    urls: list[str],
    settings: Settings,
    on_outcome: Callable[[Outcome], None] | None,
    broker: dramatiq.Broker,
    channel: ResultChannel,
    run: str | None = None,
    archive_root: Path | None = None,
    on_idle: Callable[[], None] | None = None,
) -> tuple[dict[str, Outcome], bool]:
    """check_urls on the workers: (outcome per URL, whether interrupted or some never came). With
    `archive_root` (snapshots on), the workers capture into that folder, which they share."""
    run = run or secrets.token_hex(8)
    received: dict[str, Outcome] = {}
    keeper = CarriedKeeper(archive_root, settings) if archive_root is not None else None

    def record(outcome: Outcome) -> None:
        received[outcome.result.url] = outcome
        if on_outcome is not None:
            on_outcome(outcome)

    # The run's sign of life lasts a lease: a killed coordinator's leftover shards stop about as soon as a
    # killed worker's lock frees itself, and its rerun gets the shards' locks.
    alive = settings.distributed.lease_seconds
    channel.keep_alive(run, alive)
    try:
        broker.declare_queue(QUEUE)
        if archive_root is not None:
            marker = run_marker(archive_root, run)  # a worker that sees it shares this very folder
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        root = str(archive_root.resolve()) if archive_root is not None else None
        sent = send_shards(broker, run, urls, settings, root)
        log.info("distributed run %s: %d URL(s) in %d shard message(s)", run, len(urls), sent)
        adopt = keeper.adopt if keeper is not None else None
        return collect(
            run, urls, channel, record, settings.distributed.wait, alive_seconds=alive, adopt=adopt, on_idle=on_idle
        )
    except KeyboardInterrupt:
        return received, True
    finally:
        channel.forget(run)
        if keeper is not None:
            keeper.close()  # the captures workers sent back, into the folder's index
        if archive_root is not None:
            run_marker(archive_root, run).unlink(missing_ok=True)


class CarriedKeeper:
    """Keeps the captures workers without the archive folder send back: each worker's in WARC files of its
    own under the coordinator's archive (named after the worker), indexed in its CDXJ when the run ends."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root
        self.settings = settings
        self.archives: dict[str, Archive] = {}

    def adopt(self, outcome: Outcome, carried: CarriedCapture, worker: str) -> Outcome:
        """The outcome with its capture as this archive keeps it, or with why it could not be kept."""
        assert outcome.capture is not None
        try:
            snapshot = self._archive(worker).adopt(carried)
        except (ArchiveError, OSError, ValueError, KeyError) as exc:
            log.warning("the capture of %s sent by %s could not be kept: %s", outcome.result.url, worker, exc)
            why = f"not archived: the capture worker {worker} sent back could not be kept: {describe(exc)}"
            return dataclasses.replace(outcome, capture=Capture(None, why))
        return dataclasses.replace(outcome, capture=dataclasses.replace(outcome.capture, snapshot=snapshot))

    def _archive(self, worker: str) -> Archive:
        if worker not in self.archives:
            snapshot = self.settings.snapshot
            self.archives[worker] = Archive(
                self.root,
                max_warc_bytes=snapshot.max_warc_bytes,
                respect_noarchive=snapshot.respect_noarchive,
                drift_threshold=snapshot.drift_threshold,
                run_id=f"{re.sub(r'[^A-Za-z0-9.-]', '-', worker)}-{secrets.token_hex(4)}",
            )
        return self.archives[worker]

    def close(self) -> None:
        for archive in self.archives.values():
            archive.close()


def _kept(
    outcome: Outcome,
    content: bytes | None,
    worker: str,
    adopt: Callable[[Outcome, CarriedCapture, str], Outcome] | None,
) -> Outcome:
    """The outcome whose capture a worker sent back, with the capture as this run's archive keeps it, or why not."""
    assert outcome.capture is not None and outcome.capture.snapshot is not None
    if adopt is None:
        why = f"not archived: worker {worker} sent its capture back, and this run keeps no archive"
    elif content is None:
        why = f"not archived: the capture worker {worker} sent back was gone before it was read"
    else:
        try:
            return adopt(outcome, carried_from_bytes(content, outcome.capture.snapshot), worker)
        except (ValueError, KeyError, TypeError) as exc:
            why = f"not archived: the capture worker {worker} sent back is unreadable: {describe(exc)}"
    return dataclasses.replace(outcome, capture=Capture(None, why))
