"""Quotes of a lost page compared with its verified archived copy: held, no longer held, no copy."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from linkcheck.environment import Environment
from linkcheck.fallback import quotes_against_copies
from linkcheck.models import AnomalyCode, ArchivedCopy, CopyStatus, PageText, QuoteCheck, Verdict
from linkcheck.pipeline import run
from linkcheck.settings import settings_from_mapping
from tests.fallback.fake_wayback import FakeWayback
from tests.fallback.helpers import article, cited, fallback_settings, page
from tests.server import LocalServer, send

QUOTE = "We will hold the exercises near the border until the end of the month"
HEADLINE = "Troops gather for drills in Tajikistan"
HOLDS = page(
    HEADLINE,
    "The minister said: \u2018We will hold the exercises \u2014 near the border \u2014"
    " until the end of the month.\u2019",
)
EDITED = page(HEADLINE, "The minister said the troops would go home soon, and nothing more.")


def test_the_quotes_of_a_lost_page_are_compared_with_its_archived_copy(
    server: LocalServer, wayback: FakeWayback, tmp_path: Path
) -> None:
    server.fallback = lambda h: send(h, 404, page("Not found"))
    holds, edited, uncopied = (server.url(f"/news/{name}") for name in ("holds", "edited", "uncopied"))
    wayback.add(holds, "20210809120005", HOLDS)
    wayback.add(edited, "20210809120005", EDITED)
    source = tmp_path / "a.md"
    source.write_text(
        "".join(
            f"The minister said \u201c{QUOTE}\u201d ([{HEADLINE}]({url})).\n\n" for url in (holds, edited, uncopied)
        )
    )
    settings = settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "retries": 0, "timeout": 5.0, "soft_404_probe": False},
            "snapshot": {"enabled": False},
            "fallback": {"wayback": wayback.url, "requests_per_second": 50.0},
            "repair": {"enabled": False},
        },
        "test",
    )
    result = run([str(source)], settings, Environment(cwd=tmp_path))
    first, second, third = result.articles[0].citations
    assert [c.result.verdict for c in (first, second, third)] == [Verdict.BROKEN] * 3
    assert first.archived_copy is not None and first.archived_copy.status is CopyStatus.FOUND
    assert first.quotes == (QuoteCheck(QUOTE, True),) and first.quotes_from == first.archived_copy.url
    assert not [a for a in first.anomalies if a.code is AnomalyCode.QUOTE_NOT_FOUND]

    assert second.archived_copy is not None and second.archived_copy.url
    assert second.quotes == (QuoteCheck(QUOTE, False),)
    [finding] = [a for a in second.anomalies if a.code is AnomalyCode.QUOTE_NOT_FOUND]
    assert (
        f"the archived copy {second.archived_copy.url}" in finding.message and "live page is broken" in finding.message
    )
    assert QUOTE in finding.message

    assert third.archived_copy is not None and third.archived_copy.status is CopyStatus.NONE
    assert third.quotes == (QuoteCheck(QUOTE, None),) and third.quotes_from is None
    assert not [a for a in third.anomalies if a.code is AnomalyCode.QUOTE_NOT_FOUND]


def test_a_copy_without_text_or_an_ok_page_is_left_as_it_was() -> None:
    lost = cited("https://news.example/a", Verdict.BROKEN)
    lost = replace(
        lost,
        citation=replace(lost.citation, quotes=(QUOTE,)),
        quotes=(QuoteCheck(QUOTE, None),),
        archived_copy=ArchivedCopy(CopyStatus.FOUND, url="https://web.example/a", verified=True),  # from the store
    )
    ok = cited("https://news.example/b", Verdict.OK)
    ok = replace(
        ok,
        citation=replace(ok.citation, quotes=(QUOTE,)),
        quotes=(QuoteCheck(QUOTE, True),),
        archived_copy=ArchivedCopy(
            CopyStatus.FOUND, url="https://web.example/b", verified=True, page=PageText("nothing of the sort")
        ),
    )
    checked = article(dt.date(2021, 8, 10), lost, ok)
    [same] = quotes_against_copies([checked], dt.datetime(2026, 1, 1, tzinfo=dt.UTC), fallback_settings())
    assert same.citations[0].quotes == (QuoteCheck(QUOTE, None),) and same.citations[0].quotes_from is None
    assert same.citations[1].quotes == (QuoteCheck(QUOTE, True),) and same.citations[1].quotes_from is None
