"""report.html: one self-contained page (inline CSS, JS and SVG) to sort, filter and search every citation.

The page's template, style sheet and script are files beside this module (package data), inlined at render.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections import Counter
from html import escape
from importlib import resources
from typing import Any

from linkcheck import __version__
from linkcheck.findings import reaches, verdict_severity
from linkcheck.models import CheckedCitation, CopyStatus, RunResult, Severity, Verdict
from linkcheck.reports.options import ReportOptions
from linkcheck.urls import host_of

FILE_NAME = "report.html"
_ASSETS = resources.files(__name__)
# A newline before each asset keeps the inlined text (and so its CSP hash) as it has always been.
_STYLE = "\n" + (_ASSETS / "report.css").read_text(encoding="utf-8")
_SCRIPT = "\n" + (_ASSETS / "report.js").read_text(encoding="utf-8")
_PAGE = (_ASSETS / "page.html").read_text(encoding="utf-8")


def _is_web_url(url: str | None) -> bool:
    return bool(url and re.match(r"^https?://", url, re.I))


def _when(moment: dt.datetime) -> str:
    """A run time for people: UTC spelled out, other zones with their offset."""
    if moment.utcoffset() == dt.timedelta(0):
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return moment.isoformat(sep=" ", timespec="seconds")


def _moment(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.isoformat(timespec="minutes").replace("+00:00", "Z")


def _row(index: int, source: str, label: str, checked: CheckedCitation, options: ReportOptions) -> dict[str, Any]:
    citation, result, history = checked.citation, checked.result, checked.history
    severity = options.severity(checked)
    verdict_level = verdict_severity(result.verdict, options.verdict_overrides)
    final = result.final_url if result.final_url != (citation.normalized_url or citation.url) else None
    host = host_of(citation.normalized_url or citation.url)
    return {
        "index": index,
        "article": label,
        "source": source,
        "line": citation.line,
        "page": citation.page,
        "url": citation.url,
        "href": citation.url if _is_web_url(citation.url) else None,
        "context": citation.context,
        "domain": host[4:] if host.startswith("www.") else host,
        "verdict": result.verdict.value,
        "status": result.status,
        "error": result.error,
        "final_url": final,
        "final_href": final if _is_web_url(final) else None,
        "level": severity.value if severity else "",
        "verdict_level": verdict_level.value if verdict_level else "",
        "rank": severity.rank if severity else 0,
        "finding": reaches(severity, options.fail_on),  # options.is_finding, from the severity at hand
        "anomalies": [{"code": a.code, "severity": a.severity.value, "message": a.message} for a in checked.anomalies],
        **_archived(checked, options),
        "suggested": _suggested(checked),
        "quotes": [{"text": quote.text, "found": quote.found} for quote in checked.quotes],
        "quotes_from": checked.quotes_from,
        "capture": options.snapshot_href(checked),
        "captured_at": checked.snapshot.captured_at if checked.snapshot else None,
        "last_ok": _moment(history.last_ok) if history else None,
        "streak": history.failure_streak if history else None,
        "dead": bool(history and history.confirmed_dead),
        "flapping": bool(history and history.flapping),
    }


def _suggested(checked: CheckedCitation) -> dict[str, Any] | None:
    """The suggested URL for the row: where the page probably is now, how it was found, and why."""
    suggestion = checked.suggested_url
    if suggestion is None:
        return None
    return {
        "url": suggestion.url,
        "href": suggestion.url if _is_web_url(suggestion.url) else None,
        "method": suggestion.method,
        "confidence": suggestion.confidence,
        "evidence": suggestion.evidence,
    }


def _archived(checked: CheckedCitation, options: ReportOptions) -> dict[str, Any]:
    """The archived-copy lookup for the row: status ("" when none was due), link, date, and a note."""
    copy = checked.archived_copy
    if copy is None:
        return {"archived": "", "archived_href": None, "archived_at": None, "archived_note": None}
    note: str | None
    if copy.status is CopyStatus.FOUND:
        notes = ["verified" if copy.verified else "not verified", copy.archive or ""]
        if copy.before_target is False:
            notes.append("captured after the article")
        note = ", ".join(part for part in notes if part)
    elif copy.status is CopyStatus.NONE:
        rejected = len(copy.rejected)
        note = f"{rejected} capture{'s' if rejected != 1 else ''} rejected" if rejected else None
    else:
        note = copy.error
    return {
        "archived": copy.status.value,
        "archived_href": options.copy_href(checked),
        "archived_at": copy.archived_at.date().isoformat() if copy.archived_at else None,
        "archived_note": note,
    }


def page_data(run: RunResult, options: ReportOptions) -> dict[str, Any]:
    """Everything the page's script shows, as plain data (one row per citation, in document order)."""
    rows: list[dict[str, Any]] = []
    for checked_article in run.articles:
        article = checked_article.article
        for checked in checked_article.citations:
            rows.append(_row(len(rows), article.source, article.title or article.source, checked, options))
    return {"citations": rows}


def script_json(data: object) -> str:
    """DATA as JSON that cannot end its <script> element: '<', '>' and '&' become \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _verdict_chart(verdicts: Counter[str], options: ReportOptions) -> str:
    if not verdicts:
        return '<p class="muted">No citations.</p>'
    largest = max(verdicts.values())
    items = []
    for verdict, count in sorted(verdicts.items(), key=lambda item: (-item[1], item[0])):
        severity = verdict_severity(Verdict(verdict), options.verdict_overrides)
        level = severity.value if severity else ("skipped" if verdict == Verdict.SKIPPED else "ok")
        width = max(2, round(160 * count / largest))
        items.append(
            f'<li><button type="button" class="bar" data-verdict-filter="{escape(verdict)}" '
            f'title="Show only {escape(verdict)} citations">'
            f'<span class="bar-label">{escape(verdict)}</span>'
            f'<svg class="bar-svg" width="160" height="12" viewBox="0 0 160 12" aria-hidden="true">'
            f'<rect class="track" width="160" height="12" rx="3"></rect>'
            f'<rect class="fill lvl-{level}" width="{width}" height="12" rx="3"></rect></svg>'
            f'<span class="bar-count">{count}</span></button></li>'
        )
    return '<ul class="chart" aria-label="Citations by verdict">' + "".join(items) + "</ul>"


def _anomaly_badges(run: RunResult) -> str:
    counts: Counter[str] = Counter()
    worst: dict[str, Severity] = {}
    for checked_article in run.articles:
        for checked in checked_article.citations:
            for anomaly in checked.anomalies:
                counts[anomaly.code] += 1
                if anomaly.code not in worst or anomaly.severity.rank > worst[anomaly.code].rank:
                    worst[anomaly.code] = anomaly.severity
    if not counts:
        return '<p class="muted">No anomalies.</p>'
    badges = [
        f'<button type="button" class="badge lvl-{worst[code].value}" data-anomaly="{escape(code)}" '
        f'title="Show only citations with {escape(code)}">{escape(code)} <b>{count}</b></button>'
        for code, count in sorted(counts.items(), key=lambda item: (-worst[item[0]].rank, -item[1], item[0]))
    ]
    return '<div class="badges">' + "".join(badges) + "</div>"


def _headline(run: RunResult, options: ReportOptions) -> str:
    levels: Counter[str] = Counter()
    citations = findings = 0
    for checked_article in run.articles:
        for checked in checked_article.citations:
            citations += 1
            findings += options.is_finding(checked)
            severity = options.severity(checked)
            if severity:
                levels[severity.value] += 1
    tiles = [
        (str(len(run.articles)), "articles", ""),
        (str(citations), "citations", ""),
        (str(run.urls_checked), "URLs checked", ""),
        (str(findings), f"at or above {options.fail_on}", "lvl-error" if findings else "lvl-ok"),
        (str(levels["error"]), "errors", "lvl-error" if levels["error"] else ""),
        (str(levels["warning"]), "warnings", "lvl-warning" if levels["warning"] else ""),
        (str(levels["info"]), "info", ""),
    ]
    return (
        '<div class="tiles">'
        + "".join(
            f'<div class="tile {cls}"><span class="tile-n">{escape(n)}</span>'
            f'<span class="tile-label">{escape(label)}</span></div>'
            for n, label, cls in tiles
        )
        + "</div>"
    )


def _baseline(run: RunResult, options: ReportOptions) -> str:
    """With a baseline: which findings are new (the ones that set the exit code)."""
    fresh = options.new_findings(run)
    if fresh is None:
        return ""
    items = "".join(f"<li><code>{escape(c.citation.url)}</code> in {escape(source)}</li>" for source, c in fresh)
    count = f"{len(fresh)} new finding{'s' if len(fresh) != 1 else ''} since the baseline"
    lead = f"<p><strong>{escape(count)}</strong> (only these set the exit code)</p>"
    return f'<div class="notice">{lead}<ul>{items}</ul></div>'


def _notices(run: RunResult) -> str:
    parts = []
    if run.interrupted:
        parts.append('<p class="notice">The run was interrupted: citations not reached are <code>skipped</code>.</p>')
    if run.errors:
        items = "".join(
            f"<li><code>{escape(error.source)}</code>: {escape(error.message)}</li>" for error in run.errors
        )
        parts.append(f'<div class="notice"><strong>Sources not read</strong><ul>{items}</ul></div>')
    return "".join(parts)


def render(run: RunResult, options: ReportOptions) -> str:
    """The whole page; every string from an article or a page is escaped or handed over as data."""
    verdicts: Counter[str] = Counter(
        checked.result.verdict.value for article in run.articles for checked in article.citations
    )
    started = _when(run.started_at)
    seconds = round((run.finished_at - run.started_at).total_seconds())
    csp = (
        f"default-src 'none'; script-src {_csp_hash(_SCRIPT)}; style-src {_csp_hash(_STYLE)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return _PAGE.format(
        csp=escape(csp),
        title=escape(f"linkcheck report {started}"),
        style=_STYLE,
        script=_SCRIPT,
        version=escape(__version__),
        started=escape(started),
        duration=escape(f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"),
        fail_on=escape(options.fail_on),
        headline=_headline(run, options),
        chart=_verdict_chart(verdicts, options),
        badges=_anomaly_badges(run),
        notices=_notices(run) + _baseline(run, options),
        data=script_json(page_data(run, options)),
    )
