"""The suggested URL in every report a person reads: report.md, the HTML report, the terminal."""

from __future__ import annotations

import datetime as dt

from linkcheck.cli.terminal import summary_lines
from linkcheck.models import (
    Article,
    CheckedArticle,
    CheckedCitation,
    CheckResult,
    Citation,
    RunResult,
    SuggestedUrl,
    Verdict,
)
from linkcheck.reports import html, markdown
from linkcheck.reports.options import ReportOptions

CITED = "https://www.themoscowtimes.com/2026/04/03/russia-holds-drills-a74712"
SUGGESTED = SuggestedUrl(
    "https://www.themoscowtimes.com/2021/08/05/russia-holds-drills-a74712",
    "url-date",
    "the cited URL with the date 2021/08/05: title 'Russia holds drills' matches 'Russia holds drills' (1.00)",
    0.95,
)


def a_run(suggestion: SuggestedUrl | None) -> RunResult:
    citation = Citation(CITED, CITED, "Russia holds drills", line=3)
    checked = CheckedCitation(citation, CheckResult(CITED, Verdict.BROKEN, 404), suggested_url=suggestion)
    article = Article("article.md", "Drills", dt.date(2021, 8, 7), "meta", (citation,))
    moment = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    return RunResult(moment, moment, (CheckedArticle(article, (checked,)),))


def test_report_md_links_the_suggestion_with_its_evidence() -> None:
    text = markdown.render(a_run(SUGGESTED), ReportOptions())
    assert SUGGESTED.url in text and "url-date" in text and "0.95" in text and "2021/08/05" in text
    assert SUGGESTED.url not in markdown.render(a_run(None), ReportOptions())


def test_the_html_rows_carry_the_suggestion() -> None:
    [row] = html.page_data(a_run(SUGGESTED), ReportOptions())["citations"]
    assert row["suggested"] == {
        "url": SUGGESTED.url,
        "href": SUGGESTED.url,
        "method": "url-date",
        "confidence": 0.95,
        "evidence": SUGGESTED.evidence,
    }
    [row] = html.page_data(a_run(None), ReportOptions())["citations"]
    assert row["suggested"] is None


def test_the_terminal_names_the_suggestion_under_the_finding() -> None:
    lines = summary_lines(a_run(SUGGESTED), "error")
    assert any(SUGGESTED.url in line and "url-date" in line for line in lines)
