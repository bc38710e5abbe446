"""Lookup answers kept in the state store: found copies reused, "none" rechecked after recheck_after,
failed lookups never kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkcheck.environment import Environment
from linkcheck.fallback import find_archived_copies
from linkcheck.models import ArchivedCopy, CheckedArticle, CopyStatus, Verdict
from linkcheck.settings import Settings
from linkcheck.state.run import RunState
from linkcheck.state.store import Store
from tests.fallback.fake_wayback import FakeWayback
from tests.fallback.helpers import article, cited, fallback_settings, page
from tests.server import send

CITED = "http://news.example/2021/08/drills-in-central-asia-explained"
DAY0 = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "state.sqlite")
    try:
        yield opened
    finally:
        opened.close()


def articles() -> list[CheckedArticle]:
    return [article(dt.date(2021, 8, 10), cited(CITED, Verdict.BROKEN))]


def run_at(moment: dt.datetime, settings: Settings, store: Store, tmp_path: Path) -> ArchivedCopy | None:
    env = Environment(now=lambda: moment, cwd=tmp_path)
    state = RunState(store, settings.state, env.now)
    state.begin(moment, ["a.html"])
    done, _ = find_archived_copies(articles(), settings, env, state, None)
    return done[0].citations[0].archived_copy


def test_a_found_copy_is_reused_without_a_request(wayback: FakeWayback, store: Store, tmp_path: Path) -> None:
    wayback.add(CITED, "20210801000000", page("Drills"))
    settings = fallback_settings(wayback.url)
    first = run_at(DAY0, settings, store, tmp_path)
    assert first is not None and first.status is CopyStatus.FOUND
    asked = (len(wayback.cdx_times), len(wayback.capture_hits))
    later = run_at(DAY0 + dt.timedelta(days=400), settings, store, tmp_path)
    assert later == first
    assert (len(wayback.cdx_times), len(wayback.capture_hits)) == asked == (1, 1)


def test_none_is_asked_again_only_after_recheck_after(wayback: FakeWayback, store: Store, tmp_path: Path) -> None:
    settings = fallback_settings(wayback.url)  # recheck_after 20h
    assert run_at(DAY0, settings, store, tmp_path) == ArchivedCopy(CopyStatus.NONE)
    assert len(wayback.cdx_times) == 2  # before the date, then after it
    assert run_at(DAY0 + dt.timedelta(hours=19), settings, store, tmp_path) == ArchivedCopy(CopyStatus.NONE)
    assert len(wayback.cdx_times) == 2
    wayback.add(CITED, "20210801000000", page("Drills"))  # the archive has one now
    copy = run_at(DAY0 + dt.timedelta(hours=21), settings, store, tmp_path)
    assert copy is not None and copy.status is CopyStatus.FOUND
    assert len(wayback.cdx_times) == 3


def test_a_failed_lookup_is_not_kept(wayback: FakeWayback, store: Store, tmp_path: Path) -> None:
    wayback.cdx_script = [lambda handler: send(handler, 500, b"oops", "text/plain")] * 3
    settings = fallback_settings(wayback.url)
    failed = run_at(DAY0, settings, store, tmp_path)
    assert failed is not None and failed.status is CopyStatus.LOOKUP_FAILED
    assert "HTTP 500" in (failed.error or "")
    assert store.archived_copy(CITED, "2021-08-10") is None
    assert len(wayback.cdx_times) == 4  # three tries before the date, then the question after it
    wayback.add(CITED, "20210801000000", page("Drills"))
    again = run_at(DAY0 + dt.timedelta(minutes=5), settings, store, tmp_path)
    assert again is not None and again.status is CopyStatus.FOUND
    assert len(wayback.cdx_times) == 5  # asked again: nothing was kept


def test_undated_articles_look_before_the_first_sighting(wayback: FakeWayback, store: Store, tmp_path: Path) -> None:
    wayback.add(CITED, "20250101000000", page("Drills"))
    wayback.add(CITED, "20260101000000", page("Drills"))
    settings = fallback_settings(wayback.url)
    env = Environment(now=lambda: DAY0, cwd=tmp_path)
    state = RunState(store, settings.state, env.now)
    state.begin(dt.datetime(2025, 6, 1, tzinfo=dt.UTC), ["a.html"])  # the run that first saw the citation
    undated = article(None, cited(CITED, Verdict.BROKEN))
    store.save_article(undated.article, "hash", state.run_id or 0)
    done, _ = find_archived_copies([undated], settings, env, state, None)
    copy = done[0].citations[0].archived_copy
    assert copy is not None and copy.archived_at == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert copy.before_target is True
    assert store.archived_copy(CITED, "2025-06-01") is not None
