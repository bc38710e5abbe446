"""The worker's side: check one shard's URLs for one time slice under the shard's lock, send each result
back (as it comes; with snapshots on, once the slice's captures are indexed), and say what is left; and the
Dramatiq actor that does it for each message."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dramatiq
from dramatiq.rate_limits import RateLimiterBackend

from linkcheck.archive import Archive, RequisiteHosts, RequisiteLimits
from linkcheck.check import Fetcher, check_urls
from linkcheck.distributed.channel import ResultChannel
from linkcheck.distributed.lease import shard_lock
from linkcheck.distributed.messages import (
    ShardWork,
    carried_to_bytes,
    outcome_to_json,
    run_marker,
    settings_from_snapshot,
    work_from_json,
    work_to_json,
)
from linkcheck.models import Capture, CarriedCapture, Outcome
from linkcheck.pacing import HostStarts
from linkcheck.settings import Settings

if TYPE_CHECKING:
    pass

log = logging.getLogger("linkcheck")

ACTOR = "linkcheck_check_shard"
QUEUE = "linkcheck"
TIME_LIMIT_MS = 3_600_000  # Dramatiq's limit per message; slices ([distributed] slice_seconds) stay well under it
MAX_RETRIES = 5  # a message whose worker failed (not a dead link: a tool error) is retried this often


@dataclass(frozen=True)
class Next:
    """What follows a message: the same shard again, with what is left of it, after `delay` seconds."""

    work: ShardWork
    delay: float = 0.0


def worker_id() -> str:
    """This process's name in results and status: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class ShardChecker:
    """Checks shards with linkcheck's own checker; one per worker process, shared by its threads."""

    def __init__(
        self,
        channel: ResultChannel,
        locks: RateLimiterBackend,
        worker: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        fetcher_for: Callable[[Settings], Fetcher] | None = None,
        shared_archive: bool = True,
    ) -> None:
        self.channel = channel
        self.shared_archive = shared_archive  # false: never write into the coordinator's folder, send captures back
        self.locks = locks
        self.worker = worker or worker_id()
        self._clock = clock
        self._sleep = sleep
        self._fetcher_for = fetcher_for or (lambda settings: Fetcher(settings, environ=os.environ))
        self._prepared: dict[str, tuple[Settings, Fetcher]] = {}
        # Per host, across this process's slices: the earliest next request start (pages and requisites alike),
        # and the requisite limits of each run's settings (in flight, give-ups), kept from slice to slice.
        self._host_starts: dict[str, HostStarts] = {}
        self._requisite_hosts: dict[str, RequisiteHosts] = {}
        self._lock = threading.Lock()

    def prepared(self, work: ShardWork) -> tuple[Settings, Fetcher]:
        """The run's settings and a fetcher for them, made once per process and settings: its kept-alive
        connections serve the next slices too (a new connection's handshake delays a host's first request)."""
        with self._lock:
            if work.digest not in self._prepared:
                settings = settings_from_snapshot(work.settings)
                # A worker is already one of many processes, with Dramatiq's threads and Redis connections:
                # it checks its shard in its own process, never forking check processes of its own.
                settings = dataclasses.replace(settings, check=dataclasses.replace(settings.check, processes=1))
                self._prepared[work.digest] = settings, self._fetcher_for(settings)
            return self._prepared[work.digest]

    def close(self) -> None:
        with self._lock:
            for _, fetcher in self._prepared.values():
                fetcher.close()
            self._prepared.clear()

    def check(self, work: ShardWork) -> Next | None:
        """Check what is left of the shard for one slice; what follows, if anything."""
        if not self.channel.alive(work.run):
            log.info("shard %s: its run is over, dropped", work.shard_key)
            return None
        with shard_lock(self.locks, work.lock_key, work.lease_seconds) as held:
            if not held:
                # Another worker has it (or a dead worker's lease has not run out yet): try again later.
                return Next(work, delay=max(0.5, work.lease_seconds / 2))
            self.channel.shard_started(work.shard_key, self.worker)
            try:
                return self._check_slice(work)
            finally:
                self.channel.shard_finished(work.shard_key)

    def _check_slice(self, work: ShardWork) -> Next | None:
        done = self.channel.done(work.run, work.urls)
        todo = [url for url in work.urls if url not in done]
        if not todo:
            return None
        settings, fetcher = self.prepared(work)
        ends = self._clock() + work.slice_seconds
        asked = [self._clock(), True]  # when the run was last seen alive, and whether it was

        def keep_going() -> bool:
            """Until the slice is over, or the run's coordinator is gone (asked at most once a second)."""
            now = self._clock()
            if now - asked[0] >= 1.0:
                asked[:] = [now, self.channel.alive(work.run)]
            return now < ends and bool(asked[1])

        archive, private = self._archive(settings, fetcher, work.run, work.digest)
        held: list[Outcome] = []

        def send(outcome: Outcome) -> None:
            if archive is not None:
                held.append(outcome)  # sent once the slice's captures are in the index (below)
            else:
                self.channel.publish(work.run, outcome.result.url, outcome_to_json(outcome, self.worker), self.worker)

        try:
            try:
                capture = archive.capture if archive is not None else None
                outcomes, _ = check_urls(
                    todo,
                    settings,
                    fetcher,
                    send,
                    capture,
                    keep_going=keep_going,
                    host_starts=self._starts_for(settings, work.digest),
                )
            finally:
                if archive is not None:
                    archive.close()  # merges this slice's captures into the archive's CDXJ index (its file lock)
            for outcome in held:
                key = None
                if private is not None and archive is not None:
                    outcome, carried = self._carried(archive, outcome, settings.distributed.max_capture_bytes)
                    if carried is not None:  # beside the result, so the results stream stays small
                        key = self.channel.attach(work.run, carried_to_bytes(carried))
                payload = outcome_to_json(outcome, self.worker, key)
                self.channel.publish(work.run, outcome.result.url, payload, self.worker)
        finally:
            if private is not None:
                shutil.rmtree(private, ignore_errors=True)
        if outcomes:
            # Hold the lock one more per-host delay: whoever takes the shard next (this run's rest, another run's
            # shard of the same hosts) starts no sooner after our last request.
            self._sleep(settings.check.per_host_delay)
        rest = [url for url in todo if url not in outcomes]
        if not rest or not asked[1]:
            return None  # done, or nobody waits for the rest
        log.info("shard %s: slice over, %d checked, %d sent on", work.shard_key, len(outcomes), len(rest))
        return Next(work.rest(rest))

    def _archive(
        self, settings: Settings, fetcher: Fetcher, run: str, digest: str
    ) -> tuple[Archive | None, Path | None]:
        """(this slice's archive, its private folder if it has one). In the shared folder when this machine sees
        it (the run's marker in it, not just a folder at that path): WARC files named after this worker. Else in
        a private temporary folder, whose captures travel back with the results (_carried). None when
        snapshots are off."""
        if not settings.snapshot.enabled:
            return None, None
        root = Path(settings.snapshot.dir)
        private = None
        if not (self.shared_archive and run_marker(root, run).is_file()):
            private = Path(tempfile.mkdtemp(prefix="linkcheck-worker-"))
            root = private
        archive = Archive(
            root,
            max_warc_bytes=settings.snapshot.max_warc_bytes,
            respect_noarchive=settings.snapshot.respect_noarchive,
            drift_threshold=settings.snapshot.drift_threshold,
            run_id=f"{re.sub(r'[^A-Za-z0-9.-]', '-', self.worker)}-{uuid.uuid4().hex[:8]}",
            # the page's requisites through the same fetcher (guard, caps, per-host limits), as in one process
            fetch_requisite=fetcher.fetch if settings.snapshot.requisites else None,
            requisite_limits=RequisiteLimits.of(settings),
            requisite_hosts=self._requisite_hosts_for(settings, digest),
            write_index_page=False,  # the coordinator's archive writes index.html once, at the end of the run
        )
        return archive, private

    def _starts_for(self, settings: Settings, digest: str) -> HostStarts:
        with self._lock:
            if digest not in self._host_starts:
                self._host_starts[digest] = HostStarts(settings.check.per_host_delay)
            return self._host_starts[digest]

    def _requisite_hosts_for(self, settings: Settings, digest: str) -> RequisiteHosts:
        starts = self._starts_for(settings, digest)
        with self._lock:
            if digest not in self._requisite_hosts:
                self._requisite_hosts[digest] = RequisiteHosts.of(RequisiteLimits.of(settings), starts)
            return self._requisite_hosts[digest]

    def _carried(self, archive: Archive, outcome: Outcome, limit: int) -> tuple[Outcome, CarriedCapture | None]:
        """The outcome and its capture out of the private archive, to travel with it; over `limit` bytes the
        capture stays behind and the outcome says why it was not archived."""
        capture = outcome.capture
        if capture is None or capture.snapshot is None:
            return outcome, None
        taken = archive.take_out(capture.snapshot)
        if taken is None:
            why = f"not archived: worker {self.worker} could not read back its capture"
            return dataclasses.replace(outcome, capture=Capture(None, why)), None
        if taken.size > limit:
            why = (
                f"not archived: worker {self.worker} cannot reach the archive folder, and the capture "
                f"({taken.size} bytes) is over [distributed] max_capture_bytes ({limit}) to send back"
            )
            return dataclasses.replace(outcome, capture=Capture(None, why)), None
        return outcome, taken


def declare_actor(broker: dramatiq.Broker, checker: Callable[[], ShardChecker]) -> dramatiq.Actor[Any, Any]:
    """The shard actor on a worker's `broker` (the coordinator sends to it by name, without declaring it)."""

    def check_shard(body: dict[str, Any]) -> None:
        step = checker().check(work_from_json(body))
        if step is not None:
            delay = int(step.delay * 1000) or None
            actor.send_with_options(args=(work_to_json(step.work),), delay=delay)

    actor: dramatiq.Actor[Any, Any] = dramatiq.actor(
        check_shard,
        actor_name=ACTOR,
        queue_name=QUEUE,
        broker=broker,
        max_retries=MAX_RETRIES,
        time_limit=TIME_LIMIT_MS,
    )
    return actor
