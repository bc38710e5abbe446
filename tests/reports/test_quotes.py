"""Each citation's quotes in report.md and report.html: found, not found (standing out), not compared;
their text escaped."""

from __future__ import annotations

import datetime as dt
import json
import re

from linkcheck.models import (
    Anomaly,
    Article,
    CheckedArticle,
    CheckedCitation,
    CheckResult,
    Citation,
    QuoteCheck,
    RunResult,
    Severity,
    Verdict,
)
from linkcheck.reports import html, markdown
from linkcheck.reports.options import ReportOptions

FOUND = "We will hold the exercises near the border until the end of the month"
EDITED = "The troops will stay | *in place* until the **snow** comes and <b>then</b> leave"
HOSTILE = "<script>alert(1)</script> and the ministry said nothing more about the drills"
COPY = "https://web.archive.org/web/20210809120005/https://mil.example/1"
NOT_FOUND = Anomaly("quote-not-found", Severity.WARNING, "the quotation is not in the text of https://tass.example/2")


def a_run(fine_quote: bool = False) -> RunResult:
    citations = [
        Citation("https://mil.example/1", "https://mil.example/1", "Ministry", line=3, quotes=(FOUND,)),
        Citation("https://tass.example/2", "https://tass.example/2", "TASS", line=5, quotes=(EDITED,)),
        Citation("https://gone.example/3", "https://gone.example/3", "Gone", line=7, quotes=(HOSTILE,)),
    ]
    checked = (
        CheckedCitation(
            citations[0],
            CheckResult(citations[0].url, Verdict.BROKEN, 404),
            quotes=(QuoteCheck(FOUND, True),),
            quotes_from=COPY,
        ),
        CheckedCitation(
            citations[1],
            CheckResult(citations[1].url, Verdict.OK, 200),
            quotes=(QuoteCheck(EDITED, False),),
            anomalies=(NOT_FOUND,),
        ),
        CheckedCitation(
            citations[2], CheckResult(citations[2].url, Verdict.BROKEN, 404), quotes=(QuoteCheck(HOSTILE, None),)
        ),
    )
    if fine_quote:
        checked = (
            *checked[1:],
            CheckedCitation(
                citations[0], CheckResult(citations[0].url, Verdict.OK, 200), quotes=(QuoteCheck(FOUND, True),)
            ),
        )
    article = Article("a.md", "Drills", dt.date(2021, 8, 10), "meta", tuple(c.citation for c in checked))
    moment = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    return RunResult(moment, moment, (CheckedArticle(article, checked),))


def test_report_md_lists_each_quote_with_what_became_of_it() -> None:
    text = markdown.render(a_run(), ReportOptions(fail_on="info"))
    lines = text.splitlines()
    found = next(line for line in lines if "found in the archived copy" in line)
    assert "quote found in the archived copy" in found and "the end of the month" in found
    missing = next(line for line in lines if "quote not found" in line)
    assert missing.startswith("  - **quote not found**:")
    assert r"\| \*in place\* until the \*\*snow\*\* comes and \<b\>then\</b\> leave" in missing
    unknown = next(line for line in lines if "quote not compared" in line)
    assert r"\<script\>alert\(1\)\</script\>" in unknown and "<script>" not in text


def test_report_md_counts_the_quotes_of_citations_it_does_not_list() -> None:
    text = markdown.render(a_run(fine_quote=True), ReportOptions(fail_on="error"))
    assert "Quotes beside the citations not listed: 1 found, 1 not found." in text


def test_report_html_carries_each_quote_as_data_and_escapes_it() -> None:
    rows = html.page_data(a_run(), ReportOptions())["citations"]
    assert [row["quotes"] for row in rows] == [
        [{"text": FOUND, "found": True}],
        [{"text": EDITED, "found": False}],
        [{"text": HOSTILE, "found": None}],
    ]
    assert [row["quotes_from"] for row in rows] == [COPY, None, None]
    page = html.render(a_run(), ReportOptions())
    data = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert data is not None and "<script>alert" not in data.group(1)
    assert json.loads(data.group(1))["citations"][2]["quotes"][0]["text"] == HOSTILE
    assert page.count("<script") == 2, "the quote opens no script element"
