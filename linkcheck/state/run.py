"""The state stage: what a run remembers and reuses. With no store it changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

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
from linkcheck.state.history import DeathPolicy, advance, cached_history, is_due
from linkcheck.state.store import Store

# Raised whenever the harvesters change what they find: a stored harvest made by an older harvester is
# then not reused, even for an article whose bytes have not changed.
HARVEST_REVISION = "2026-12-issue-14-text-notes"


def content_hash(document: Document) -> str:
    """What decides whether a stored harvest is reused: the document's bytes and the harvester's revision."""
    return hashlib.sha256(HARVEST_REVISION.encode() + b"\0" + document.content).hexdigest()


def source_key(source: str, cwd: Path | None = None) -> str:
    """How the store knows a source: URLs and "-" as given, files by their resolved path."""
    if source == "-" or re.match(r"^https?://", source, re.I):
        return source
    return str(((cwd or Path.cwd()) / source).resolve())


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

    def begin(self, started: dt.datetime, sources: list[str]) -> None:
        if self.store:
            self.run_id = self.store.begin_run(started, sources)

    def known_article(self, document: Document) -> Article | None:
        """The stored harvest of a document whose content has not changed since, if any."""
        if not self.store or self.run_id is None:
            return None
        key = source_key(document.source, self._cwd)
        stored = self.store.stored_article(key)
        if stored is None or stored.content_hash != content_hash(document):
            return None
        if stored.article.url != document.base_url:
            return None  # harvested against another address (`--url`): links and date may differ
        self.store.touch_article(key, self.run_id)
        self.reused_articles += 1
        return replace(stored.article, source=document.source)

    def remember_article(self, document: Document, article: Article) -> None:
        if self.store and self.run_id is not None:
            self.store.save_article(
                replace(article, source=source_key(document.source, self._cwd)), content_hash(document), self.run_id
            )

    def split_due(self, urls: list[str], force: bool) -> tuple[list[str], dict[str, Outcome]]:
        """(URLs to fetch now, stored outcomes reused for the rest, with their latest capture)."""
        if not self.store or force:
            return urls, {}
        now = self._now()
        cached: dict[str, CheckResult] = {}
        recheck, recheck_failed = self._settings.recheck_after_s, self._settings.recheck_failed_after_s
        for state, last in self.store.states_with_last_checks(urls):
            if not is_due(state, now, recheck, recheck_failed):
                cached[state.url] = last
                self.histories[state.url] = cached_history(state, self._policy)
        snapshots = self.store.latest_snapshots(list(cached))
        reused = {
            url: Outcome(result, Capture(snapshots[url]) if url in snapshots else None)
            for url, result in cached.items()
        }
        return [url for url in urls if url not in cached], reused

    def record(self, result: CheckResult) -> None:
        """Commit one check as it comes in, and keep the URL's history for the report."""
        if not self.store or self.run_id is None:
            return
        at = result.checked_at or self._now()
        previous = self.store.url_state(result.url)
        state, history = advance(previous, result, at, self._policy)
        self.store.record_check(self.run_id, result, state)
        self.histories[result.url] = history

    def record_snapshot(self, url: str, snapshot: Snapshot) -> None:
        if self.store and self.run_id is not None:
            self.store.record_snapshot(self.run_id, url, snapshot)

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
        if self.store and self.run_id is not None:
            self.store.finish_run(self.run_id, finished, interrupted, failure)
