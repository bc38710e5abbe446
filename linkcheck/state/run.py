"""The state stage: what a run remembers and reuses. With no store it changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from linkcheck.models import Article, Capture, CheckResult, Document, History, Outcome, Snapshot
from linkcheck.settings import StateSettings
from linkcheck.state.history import DeathPolicy, advance, cached_history, is_due
from linkcheck.state.store import Store


def content_hash(document: Document) -> str:
    return hashlib.sha256(document.content).hexdigest()


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

    def finish(self, finished: dt.datetime, interrupted: bool, failure: str | None = None) -> None:
        if self.store and self.run_id is not None:
            self.store.finish_run(self.run_id, finished, interrupted, failure)
