"""Which stored captures an export takes: a run's, an article's (as it was during a run), or both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkcheck.models import Article, Citation, Snapshot
from linkcheck.state.export_selection import SelectionError, select_captures
from linkcheck.state.store import Store

DAY0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def article(*urls: str) -> Article:
    return Article("/work/a.md", "A", None, None, tuple(Citation(url, url, "context") for url in urls))


def snapshot(day: int, offset: int) -> Snapshot:
    return Snapshot(f"/archive/warc/run{day}.warc.gz", "0" * 64, f"2026-11-0{day}T09:00:00Z", offset=offset)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Run 1: a.md cites A and B, both captured. Run 2: a.md cites B and C; B and C captured; D
    (cited by no article here) captured too."""
    opened = Store.open(tmp_path / "state.sqlite")
    first = opened.begin_run(DAY0, ["a.md"])
    opened.save_article(article("http://a.example/", "http://b.example/"), "h1", first)
    opened.record_snapshot(first, "http://a.example/", snapshot(1, 100))
    opened.record_snapshot(first, "http://b.example/", snapshot(1, 200))
    second = opened.begin_run(DAY0 + dt.timedelta(days=1), ["a.md"])
    opened.save_article(article("http://b.example/", "http://c.example/"), "h2", second)
    opened.record_snapshot(second, "http://b.example/", snapshot(2, 100))
    opened.record_snapshot(second, "http://c.example/", snapshot(2, 200))
    opened.record_snapshot(second, "http://d.example/", snapshot(2, 300))
    yield opened
    opened.close()


def urls_and_offsets(selected: list[tuple[str, Snapshot]]) -> list[tuple[str, int | None]]:
    return [(url, shot.offset) for url, shot in selected]


def test_a_run_selects_every_capture_it_made(store: Store) -> None:
    chosen = select_captures(store, 2, None)
    assert urls_and_offsets(chosen.captures) == [
        ("http://b.example/", 100),
        ("http://c.example/", 200),
        ("http://d.example/", 300),
    ]
    assert chosen.cited == []


def test_an_article_selects_the_captures_of_what_it_cites_now_in_every_run(store: Store) -> None:
    chosen = select_captures(store, None, "/work/a.md")
    assert chosen.cited == ["http://b.example/", "http://c.example/"]  # A was retired in run 2
    assert urls_and_offsets(chosen.captures) == [
        ("http://b.example/", 200),
        ("http://b.example/", 100),
        ("http://c.example/", 200),
    ]


def test_an_article_in_a_run_counts_the_citations_it_had_then(store: Store) -> None:
    chosen = select_captures(store, 1, "/work/a.md")
    assert chosen.cited == ["http://a.example/", "http://b.example/"]
    assert urls_and_offsets(chosen.captures) == [("http://a.example/", 100), ("http://b.example/", 200)]


def test_an_unknown_run_or_article_is_named(store: Store) -> None:
    with pytest.raises(SelectionError, match="no run 7 in the state store"):
        select_captures(store, 7, None)
    with pytest.raises(SelectionError, match="no article /work/b.md"):
        select_captures(store, None, "/work/b.md")
