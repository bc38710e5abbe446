"""report.csv: one row per citation, for spreadsheets."""

from __future__ import annotations

import csv
import io

from linkcheck.models import RunResult
from linkcheck.printable import visible
from linkcheck.reports.options import ReportOptions

FILE_NAME = "report.csv"
COLUMNS = (
    "article_source",
    "title",
    "published",
    "url",
    "normalized_url",
    "line",
    "page",
    "verdict",
    "severity",
    "status",
    "final_url",
    "error",
    "anomaly_codes",
    "anomaly_messages",
    "snapshot_page",
    "last_ok",
    "failure_streak",
)
# Excel reads a CSV file without a byte-order mark in the local ANSI code page, which garbles the
# Cyrillic, Chinese or accented titles articles cite; with the UTF-8 BOM it reads UTF-8. LibreOffice,
# Google Sheets and Python's "utf-8-sig" codec take the BOM in their stride.
BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel and LibreOffice ("CSV injection"); text
# taken from articles and pages gets a leading apostrophe, which spreadsheets show as plain text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str | None) -> str:
    if not value:
        return ""
    value = visible(value, keep_newlines=True)  # a spreadsheet or terminal must not obey a control character
    return "'" + value if value.startswith(_FORMULA_START) else value


def render(run: RunResult, options: ReportOptions) -> str:
    """The CSV text, BOM first; lines end in CRLF (RFC 4180); anomaly messages one per line in a cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for checked_article in run.articles:
        article = checked_article.article
        for checked in checked_article.citations:
            citation, result, history = checked.citation, checked.result, checked.history
            severity = options.severity(checked)
            snapshot = options.snapshot_path(checked)
            writer.writerow(
                (
                    _text(article.source),
                    _text(article.title),
                    article.published.isoformat() if article.published else "",
                    _text(citation.url),
                    _text(citation.normalized_url),
                    citation.line if citation.line is not None else "",
                    citation.page if citation.page is not None else "",
                    result.verdict.value,
                    severity.value if severity else "",
                    result.status if result.status is not None else "",
                    _text(result.final_url),
                    _text(result.error),
                    ";".join(anomaly.code for anomaly in checked.anomalies),
                    _text("\n".join(anomaly.message for anomaly in checked.anomalies)),
                    _text(str(snapshot) if snapshot else None),
                    history.last_ok.isoformat(timespec="seconds") if history and history.last_ok else "",
                    history.failure_streak if history else "",
                )
            )
    return BOM + out.getvalue()
