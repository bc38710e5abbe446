"""The state stage: what a run remembers and reuses. With no store it changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from linkcheck.builders import positional
from linkcheck.models import (
    ArchivedCopy,
    Article,
    Capture,
    CheckResult,
    CopyStatus,
    Document,
    History,
    Outcome,
    Snapshot,
    Verdict,
)
from linkcheck.settings import StateSettings
from linkcheck.state.history import DeathPolicy, UrlState, advance, cached_history
from linkcheck.state.store import Store

# Raised whenever the harvesters change what they find: a stored harvest made by an older harvester is
# then not reused, even for an article whose bytes have not changed.
HARVEST_REVISION = "2026-12-issue-14-text-notes"
# Results are committed in batches: when this many wait, or when the oldest has waited this long (and
# at the end of the check stage). While the checker waits, what has waited that long is committed too:
# a killed run loses about the last second of checks at most.
BATCH_RESULTS = 200
BATCH_SECONDS = 0.25


def content_hash(document: Document) -> str:
    """What decides whether a stored harvest is reused: the document's bytes and the harvester's revision."""
    return hashlib.sha256(HARVEST_REVISION.encode() + b"\0" + document.content).hexdigest()


def source_key(source: str, cwd: Path | None = None) -> str:
    """How the store knows a source: URLs and "-" as given, files by their resolved path."""
    if source == "-" or re.match(r"^https?://", source, re.I):
        return source
    return str(((cwd or Path.cwd()) / source).resolve())


_new_outcome = positional(Outcome)


class RunState:
    """Incremental harvests, due rechecks, and history for one run over an optional Store."""

    def __init__(
        self,
        store: Store | None,
        settings: StateSettings,
        now: Callable[[], dt.datetime],
        cwd: Path | None = None,
    ) -> None:
        self.store = store
        self._cwd = cwd
        self._settings = settings
        self._now = now
        self._policy = DeathPolicy(settings.dead_after_failures, settings.dead_after_days)
        self.run_id: int | None = None
        self.histories: dict[str, History] = {}
        self.reused_articles = 0
        self._states: dict[str, UrlState] = {}  # known and recorded URLs' states, read once per run
        self._pending: list[tuple[CheckResult, UrlState]] = []
        self._pending_snapshots: list[tuple[str, Snapshot]] = []
        self._pending_since = 0.0
        self._touched: list[str] = []  # sources of reused articles, their last_run still to be written
        self._folders: dict[str, str] = {}  # folder as named -> resolved

    def begin(self, started: dt.datetime, sources: list[str]) -> None:
        if self.store:
            self.run_id = self.store.begin_run(started, sources)

    def known_article(self, document: Document) -> Article | None:
        """The stored harvest of a document whose content has not changed since, if any."""
        if not self.store or self.run_id is None:
            return None
        key = self._key(document.source)
        stored = self.store.stored_article(key, content_hash(document))
        if stored is None:
            return None
        if stored.article.url != document.base_url:
            return None  # harvested against another address (`--url`): links and date may differ
        self._touched.append(key)  # written with the next batch of checks
        self.reused_articles += 1
        return replace(stored.article, source=document.source)

    def remember_article(self, document: Document, article: Article) -> None:
        if self.store and self.run_id is not None:
            self.store.save_article(
                replace(article, source=self._key(document.source)), content_hash(document), self.run_id
            )

    def _key(self, source: str) -> str:
        """source_key, with each folder resolved once per run (a rerun asks for thousands of files in a
        few folders, and resolving a path asks the system about each of its parts)."""
        if source == "-" or re.match(r"^https?://", source, re.I):
            return source
        folder, name = os.path.split(os.path.join(self._cwd or Path.cwd(), source))
        if name in ("", ".", "..") or os.path.islink(os.path.join(folder, name)):
            return source_key(source, self._cwd)
        if folder not in self._folders:
            self._folders[folder] = os.path.realpath(folder)
        return os.path.join(self._folders[folder], name)

    def split_due(self, urls: list[str], force: bool) -> tuple[list[str], dict[str, Outcome]]:
        """(URLs to fetch now, stored outcomes reused for the rest, with their latest capture).

        The store says which URLs are due; the URLs' stored states are kept for recording this run's checks.
        """
        if not self.store:
            return urls, {}
        if force:
            self._states.update(self.store.url_states(urls))
            return urls, {}
        cached: dict[str, CheckResult] = {}
        settings = self._settings
        rows = self.store.states_for_rerun(urls, self._now(), settings.recheck_after_s, settings.recheck_failed_after_s)
        for state, last in rows:
            self._states[state.url] = state
            if last is not None:
                cached[state.url] = last
                self.histories[state.url] = cached_history(state, self._policy)
        snapshots = self.store.latest_snapshots(list(cached))
        reused = {
            url: _new_outcome(result, Capture(snapshots[url]) if url in snapshots else None)
            for url, result in cached.items()
        }
        return [url for url in urls if url not in cached], reused

    def record(self, result: CheckResult, snapshot: Snapshot | None = None) -> None:
        """Keep one check (and its capture) for the report and the store; the store commits in batches."""
        if not self.store or self.run_id is None:
            return
        at = result.checked_at or self._now()
        previous = self._states[result.url] if result.url in self._states else self.store.url_state(result.url)
        state, history = advance(previous, result, at, self._policy)
        self._states[result.url] = state
        self.histories[result.url] = history
        if not self._pending:
            self._pending_since = time.monotonic()
        self._pending.append((result, state))
        if snapshot is not None:
            self._pending_snapshots.append((result.url, snapshot))
        if len(self._pending) >= BATCH_RESULTS:
            self.flush()
        else:
            self.flush_if_due()

    def flush_if_due(self) -> None:
        """Commit what has waited BATCH_SECONDS; called after each result and while the checker is idle, so
        a check is kept within about that time even when results trickle in."""
        if self._pending and time.monotonic() - self._pending_since >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Commit the checks recorded since the last commit."""
        if self.store and self.run_id is not None and (self._pending or self._pending_snapshots or self._touched):
            pending, snapshots, touched = self._pending, self._pending_snapshots, self._touched
            self._pending, self._pending_snapshots, self._touched = [], [], []
            self.store.record_checks(self.run_id, pending, snapshots, touched)

    # --- archived copies ---

    def first_seen(self, urls: list[str]) -> dict[str, dt.datetime]:
        """When linkcheck first saw each URL cited (no store: nothing known)."""
        return self.store.first_seen(urls) if self.store else {}

    def capture_verdicts(self, url: str) -> list[tuple[str, Verdict]]:
        """(captured_at, verdict of the check made with it) of each stored capture of a URL."""
        return self.store.capture_verdicts(url) if self.store else []

    def cached_copy(self, url: str, target: str) -> ArchivedCopy | None:
        """A stored lookup answer still worth reusing: a found copy always, a "none" until
        recheck_after has passed (errors are never stored)."""
        if not self.store:
            return None
        stored = self.store.archived_copy(url, target)
        if stored is None:
            return None
        looked_up_at, copy = stored
        if copy.status is CopyStatus.FOUND:
            return copy
        if (self._now() - looked_up_at).total_seconds() < self._settings.recheck_after_s:
            return copy
        return None

    def remember_copy(self, url: str, target: str, copy: ArchivedCopy) -> None:
        """Keep a lookup's answer for later runs; a failed lookup is not an answer and is not kept."""
        if self.store and copy.status is not CopyStatus.LOOKUP_FAILED:
            self.store.save_archived_copy(url, target, self._now(), copy)

    def cached_registration(self, domain: str) -> tuple[bool, dt.date | None]:
        """(known, registration date) of a domain from a lookup younger than recheck_after."""
        stored = self.store.domain_registration(domain) if self.store else None
        if stored is None:
            return False, None
        looked_up_at, registered = stored
        if (self._now() - looked_up_at).total_seconds() >= self._settings.recheck_after_s:
            return False, None
        return True, registered

    def remember_registration(self, domain: str, registered: dt.date | None) -> None:
        """Keep what RDAP answered (a failed lookup is no answer and is not kept)."""
        if self.store:
            self.store.save_domain_registration(domain, self._now(), registered)

    def found_copies(self, urls: list[str]) -> dict[str, ArchivedCopy]:
        """The latest copy found of each URL, whatever the target date it was found for."""
        return self.store.found_copies(urls) if self.store else {}

    def submitted_recently(self, url: str) -> bool:
        """Whether Save Page Now was given this URL, or it was found captured, within recheck_after
        (a submission that ended in an error does not count)."""
        if not self.store:
            return False
        last = self.store.last_submission(url)
        if last is None or last[1] == "error":
            return False
        return (self._now() - last[0]).total_seconds() < self._settings.recheck_after_s

    def record_submission(self, url: str, status: str, job_id: str | None, detail: str | None) -> None:
        if self.store:
            self.store.record_submission(url, self._now(), status, job_id, detail)

    def finish(self, finished: dt.datetime, interrupted: bool, failure: str | None = None) -> None:
        self.flush()
        if self.store and self.run_id is not None:
            self.store.finish_run(self.run_id, finished, interrupted, failure)
