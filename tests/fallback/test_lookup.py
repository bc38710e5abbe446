"""Lookups against a fake Wayback Machine on loopback: choice, verification, politeness, failures."""

from __future__ import annotations

import datetime as dt
import json
import socket
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from linkcheck.environment import Environment
from linkcheck.fallback import find_archived_copies, lookup_due
from linkcheck.fallback import lookup as lookup_module
from linkcheck.fallback.verify import Reference
from linkcheck.models import AnomalyCode, ArchivedCopy, CheckedArticle, CopyStatus, FetchResult, Verdict
from linkcheck.settings import Settings
from linkcheck.state.run import RunState
from tests.fallback.fake_wayback import FakeWayback, too_many
from tests.fallback.helpers import article, cited, fallback_settings, page
from tests.server import send

CITED = "http://news.example/2021/08/drills-in-central-asia-explained"
HEADLINE = "Drills in Central Asia explained by the defence desk"
GOOD = page("Drills in Central Asia explained", "Ten thousand troops took part in the exercise.")
PUBLISHED = dt.date(2021, 8, 10)
NOW = dt.datetime(2026, 11, 25, 8, 45, tzinfo=dt.UTC)


def look_up(articles: list[CheckedArticle], settings: Settings, tmp_path: Path) -> list[ArchivedCopy | None]:
    env = Environment(now=lambda: NOW, cwd=tmp_path)
    state = RunState(None, settings.state, env.now)
    done, interrupted = find_archived_copies(articles, settings, env, state, tmp_path / "archive")
    assert not interrupted
    return [checked.archived_copy for a in done for checked in a.citations]


def test_the_closest_capture_that_passes_is_chosen_and_the_others_are_listed(
    wayback: FakeWayback, tmp_path: Path
) -> None:
    wayback.add(CITED, "20210801090000", GOOD)
    wayback.add(CITED, "20210807000000", page("Example News", head='<link rel="canonical" href="/">'))
    wayback.add(CITED, "20210809120005", page("Page not found"))
    wayback.add(CITED, "20220101000000", GOOD)  # after the article: not needed
    settings = fallback_settings(wayback.url)
    [copy] = look_up([article(PUBLISHED, cited(CITED, Verdict.BROKEN, HEADLINE))], settings, tmp_path)
    assert copy is not None and copy.status is CopyStatus.FOUND
    assert copy.url == f"{wayback.url}/web/20210801090000/{CITED}"
    assert copy.archived_at == dt.datetime(2021, 8, 1, 9, 0, tzinfo=dt.UTC)
    assert (copy.archive, copy.before_target, copy.verified, copy.error) == ("127.0.0.2", True, True, None)
    assert [(r.url, r.archived_at.date().isoformat()) for r in copy.rejected] == [
        (f"{wayback.url}/web/20210809120005/{CITED}", "2021-08-09"),
        (f"{wayback.url}/web/20210807000000/{CITED}", "2021-08-07"),
    ]
    assert "soft-404" in copy.rejected[0].reason and "not found" in copy.rejected[0].reason
    assert "home page" in copy.rejected[1].reason
    assert len(wayback.capture_hits) == 3  # each examined once, the 2022 capture never fetched


def test_with_nothing_good_before_the_date_the_closest_after_is_marked_so(wayback: FakeWayback, tmp_path: Path) -> None:
    wayback.add(CITED, "20210809120005", page("404 Not Found"))
    wayback.add(CITED, "20230101000000", GOOD)
    wayback.add(CITED, "20220101000000", GOOD)
    settings = fallback_settings(wayback.url)
    [copy] = look_up([article(PUBLISHED, cited(CITED, Verdict.BROKEN, HEADLINE))], settings, tmp_path)
    assert copy is not None and copy.status is CopyStatus.FOUND
    assert copy.archived_at == dt.datetime(2022, 1, 1, tzinfo=dt.UTC) and copy.before_target is False
    assert [r.archived_at.year for r in copy.rejected] == [2021]


def test_a_captured_redirect_or_error_is_never_the_copy(wayback: FakeWayback, tmp_path: Path) -> None:
    # A CDX server that ignores the status filter still cannot offer a captured 301 or 404.
    def unfiltered(handler: BaseHTTPRequestHandler) -> None:
        rows = [
            ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"],
            ["k", "20210801000000", CITED, "text/html", "301", "D", "1"],
            ["k", "20210802000000", CITED, "text/html", "404", "D", "1"],
        ]
        send(handler, 200, json.dumps(rows).encode(), "application/json")

    wayback.cdx_script = [unfiltered, unfiltered]
    settings = fallback_settings(wayback.url)
    [copy] = look_up([article(PUBLISHED, cited(CITED, Verdict.BROKEN))], settings, tmp_path)
    assert copy == ArchivedCopy(CopyStatus.NONE)
    assert wayback.capture_hits == []


def test_a_listed_capture_that_cannot_be_fetched_fails_the_lookup(wayback: FakeWayback, tmp_path: Path) -> None:
    wayback.add(CITED, "20210801000000", GOOD)
    wayback.captures[CITED][0].status = 200
    wayback.server.fallback = lambda handler: send(handler, 502, b"bad gateway", "text/plain")
    settings = fallback_settings(wayback.url)
    [copy] = look_up([article(PUBLISHED, cited(CITED, Verdict.BROKEN))], settings, tmp_path)
    assert copy is not None and copy.status is CopyStatus.LOOKUP_FAILED
    assert "could not be fetched: HTTP 502" in (copy.error or "")


def test_one_lookup_per_url_and_the_earliest_article_sets_the_target(wayback: FakeWayback, tmp_path: Path) -> None:
    wayback.add(CITED, "20200101000000", GOOD)
    wayback.add(CITED, "20210801000000", GOOD)
    settings = fallback_settings(wayback.url)
    articles = [
        article(PUBLISHED, cited(CITED, Verdict.BROKEN, HEADLINE), source="later.html"),
        article(dt.date(2020, 6, 1), cited(CITED, Verdict.BROKEN), source="earlier.html"),
    ]
    copies = look_up(articles, settings, tmp_path)
    assert copies[0] == copies[1] and copies[0] is not None
    assert copies[0].archived_at == dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    assert len(wayback.cdx_times) == 1


def test_which_citations_are_due_a_lookup() -> None:
    assert lookup_due(cited(CITED, Verdict.BROKEN))
    assert lookup_due(cited(CITED, Verdict.BLOCKED))
    assert lookup_due(cited(CITED, Verdict.TIMEOUT))
    assert not lookup_due(cited(CITED, Verdict.OK))
    assert not lookup_due(cited(CITED, Verdict.SKIPPED))
    assert not lookup_due(cited(CITED, Verdict.INVALID))
    for code in ("redirect-to-homepage", "cross-domain-redirect", "title-mismatch", "content-drift"):
        assert lookup_due(cited(CITED, Verdict.OK, anomalies=(AnomalyCode(code),))), code
    assert not lookup_due(cited(CITED, Verdict.OK, anomalies=(AnomalyCode.TRACKING_PARAMS,)))


def test_citations_not_due_keep_no_copy(wayback: FakeWayback, tmp_path: Path) -> None:
    settings = fallback_settings(wayback.url)
    copies = look_up([article(PUBLISHED, cited(CITED, Verdict.OK))], settings, tmp_path)
    assert copies == [None] and wayback.cdx_times == []


def test_with_nothing_due_and_no_submission_the_articles_come_back_as_they_are(
    wayback: FakeWayback, tmp_path: Path
) -> None:
    """A rerun whose links all work asks no archive and rebuilds none of its 100,000 citations."""
    settings = fallback_settings(wayback.url)
    articles = [
        article(PUBLISHED, cited(CITED, Verdict.OK), cited(CITED + "-b", Verdict.SKIPPED)),
        article(None, cited(CITED, Verdict.OK, anomalies=(AnomalyCode.TRACKING_PARAMS,)), source="b.html"),
    ]
    env = Environment(now=lambda: NOW, cwd=tmp_path)
    done, interrupted = find_archived_copies(articles, settings, env, RunState(None, settings.state, env.now), None)
    assert not interrupted and done == articles and wayback.cdx_times == []
    assert all(kept is given for kept, given in zip(done, articles, strict=True))


# --- politeness --------------------------------------------------------------------------------


def test_retry_after_is_honoured_between_requests(wayback: FakeWayback, tmp_path: Path) -> None:
    wayback.add(CITED, "20210801000000", GOOD)
    wayback.cdx_script = [too_many("2"), too_many("2")]
    settings = fallback_settings(wayback.url, requests_per_second=1.0)
    [copy] = look_up([article(PUBLISHED, cited(CITED, Verdict.BROKEN, HEADLINE))], settings, tmp_path)
    assert copy is not None and copy.status is CopyStatus.FOUND
    times = wayback.cdx_times
    assert len(times) == 3
    assert [round(later - earlier, 2) >= 2.0 for earlier, later in zip(times, times[1:], strict=False)] == [True, True]


def test_a_429_storm_fails_the_lookup_and_spares_the_archive_for_the_run(wayback: FakeWayback, tmp_path: Path) -> None:
    wayback.cdx_script = [too_many()] * 50
    settings = fallback_settings(wayback.url)
    other = CITED + "-follow-up"
    copies = look_up(
        [article(PUBLISHED, cited(CITED, Verdict.BROKEN), cited(other, Verdict.BROKEN))], settings, tmp_path
    )
    assert [c.status if c else None for c in copies] == [CopyStatus.LOOKUP_FAILED] * 2
    assert len(wayback.cdx_times) == 3  # [check] retries = 2: three tries, then the archive is left alone
    assert all("HTTP 429 3 times in a row" in (c.error or "") for c in copies if c)


def test_a_refused_connection_fails_every_lookup_at_once(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.3", 0))
        port = probe.getsockname()[1]  # nothing listens once the probe is closed
    settings = fallback_settings(f"http://127.0.0.3:{port}")
    urls = [f"{CITED}-{n}" for n in range(5)]
    copies = look_up([article(PUBLISHED, *(cited(url, Verdict.BROKEN) for url in urls))], settings, tmp_path)
    assert all(c is not None and c.status is CopyStatus.LOOKUP_FAILED for c in copies)
    assert all((c.error or "").startswith("127.0.0.3: not asked again in this run") for c in copies if c)
    assert all("connection refused" in (c.error or "") for c in copies if c)


def test_an_archive_that_cannot_be_asked_makes_lookup_failed_not_none(tmp_path: Path) -> None:
    settings = fallback_settings("http://127.0.0.3:9")
    [copy] = look_up([article(PUBLISHED, cited(CITED, Verdict.BROKEN))], settings, tmp_path)
    assert copy is not None and copy.status is CopyStatus.LOOKUP_FAILED


def test_a_capture_that_breaks_the_tool_fails_its_own_lookup_only(
    wayback: FakeWayback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = "http://news.example/2021/08/drills-in-central-asia-explained-again"
    wayback.add(CITED, "20210801000000", page("Hostile"))
    wayback.add(other, "20210801000000", GOOD)
    judge = lookup_module.rejection

    def fragile(page_: FetchResult, reference: Reference) -> str | None:
        if b"Hostile" in page_.body:
            raise ValueError("cannot parse this")
        return judge(page_, reference)

    monkeypatch.setattr(lookup_module, "rejection", fragile)
    settings = fallback_settings(wayback.url)
    copies = look_up(
        [article(PUBLISHED, cited(CITED, Verdict.BROKEN), cited(other, Verdict.BROKEN))], settings, tmp_path
    )
    assert copies[0] is not None and copies[0].status is CopyStatus.LOOKUP_FAILED
    assert copies[0].error == "the lookup failed: ValueError: cannot parse this"
    assert copies[1] is not None and copies[1].status is CopyStatus.FOUND
