"""The state stage: what a run remembers and reuses. With no store it changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from linkcheck.history import DeathPolicy, advance, cached_history, is_due
from linkcheck.models import Article, CheckResult, Document, History, Snapshot
from linkcheck.settings import StateSettings
from linkcheck.store import Store


def content_hash(document: Document) -> str:
    return hashlib.sha256(document.content).hexdigest()


class RunState:
    """Incremental harvests, due rechecks, and history for one run over an optional Store."""

    def __init__(self, store: Store | None, settings: StateSettings, now: Callable[[], dt.datetime]) -> None:
        self.store = store
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
        stored = self.store.stored_article(document.source)
        if stored is None or stored.content_hash != content_hash(document):
            return None
        self.store.touch_article(document.source, self.run_id)
        self.reused_articles += 1
        return stored.article

    def remember_article(self, document: Document, article: Article) -> None:
        if self.store and self.run_id is not None:
            self.store.save_article(article, content_hash(document), self.run_id)

    def split_due(self, urls: list[str], force: bool) -> tuple[list[str], dict[str, CheckResult]]:
        """(URLs to fetch now, stored results reused for the rest)."""
        if not self.store or force:
            return urls, {}
        now = self._now()
        due: list[str] = []
        cached: dict[str, CheckResult] = {}
        for url in urls:
            state = self.store.url_state(url)
            last = None
            if state and not is_due(state, now, self._settings.recheck_after_s, self._settings.recheck_failed_after_s):
                last = self.store.last_check(url)
            if state is None or last is None:
                due.append(url)
            else:
                cached[url] = last
                self.histories[url] = cached_history(state, self._policy)
        return due, cached

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

    def finish(self, finished: dt.datetime, interrupted: bool, report: dict[str, object]) -> None:
        if self.store and self.run_id is not None:
            self.store.finish_run(self.run_id, finished, interrupted, report)
