"""report.html: one self-contained page (inline CSS, JS and SVG) to sort, filter and search every citation."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections import Counter
from html import escape
from typing import TYPE_CHECKING, Any

from linkcheck import __version__
from linkcheck.gate import verdict_severity
from linkcheck.models import CheckedCitation, RunResult, Severity, Verdict
from linkcheck.urls import host_of

if TYPE_CHECKING:
    from linkcheck.reports.formats import ReportOptions

FILE_NAME = "report.html"


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
        "finding": options.is_finding(checked),
        "anomalies": [{"code": a.code, "severity": a.severity.value, "message": a.message} for a in checked.anomalies],
        "capture": options.snapshot_href(checked),
        "captured_at": checked.snapshot.captured_at if checked.snapshot else None,
        "last_ok": _moment(history.last_ok) if history else None,
        "streak": history.failure_streak if history else None,
        "dead": bool(history and history.confirmed_dead),
        "flapping": bool(history and history.flapping),
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
        notices=_notices(run),
        data=script_json(page_data(run, options)),
    )


_STYLE = """
:root { --bg: #fff; --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --soft: #f6f8fa;
  --error: #cf222e; --warning: #bf8700; --info: #0969da; --ok: #1a7f37; --skipped: #8c959f; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --soft: #161b22;
    --error: #f85149; --warning: #d29922; --info: #4493f8; --ok: #3fb950; --skipped: #6e7681; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.25rem 1.5rem 3rem; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.4rem; margin: 0 0 .2rem; }
h2 { font-size: 1rem; margin: 1.2rem 0 .5rem; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.muted, .meta { color: var(--muted); }
.tiles { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: .5rem .9rem; min-width: 7.5rem;
  background: var(--soft); display: flex; flex-direction: column; }
.tile-n { font-size: 1.6rem; font-weight: 650; line-height: 1.1; }
.tile-label { color: var(--muted); font-size: .85rem; }
.tile.lvl-error .tile-n { color: var(--error); } .tile.lvl-warning .tile-n { color: var(--warning); }
.tile.lvl-ok .tile-n { color: var(--ok); }
.overview { display: flex; flex-wrap: wrap; gap: 2.5rem; align-items: flex-start; }
.chart { list-style: none; margin: 0; padding: 0; }
.bar { display: grid; grid-template-columns: 7.5rem 160px 3rem; align-items: center; gap: .5rem;
  width: 100%; padding: .15rem .3rem; border: 0; border-radius: 4px; background: none; color: inherit;
  font: inherit; text-align: left; cursor: pointer; }
.bar:hover, .bar:focus-visible { background: var(--soft); }
.bar-count { text-align: right; font-variant-numeric: tabular-nums; }
.track { fill: var(--soft); stroke: var(--line); }
.fill.lvl-error { fill: var(--error); } .fill.lvl-warning { fill: var(--warning); }
.fill.lvl-info { fill: var(--info); } .fill.lvl-ok { fill: var(--ok); } .fill.lvl-skipped { fill: var(--skipped); }
.badges { display: flex; flex-wrap: wrap; gap: .4rem; max-width: 42rem; }
.badge { border: 1px solid var(--line); border-radius: 999px; padding: .2rem .3rem .2rem .7rem;
  background: var(--soft); color: inherit; font: inherit; cursor: pointer; display: inline-flex; gap: .45rem;
  align-items: center; }
.badge b { background: var(--info); color: #fff; border-radius: 999px; padding: 0 .45rem; font-size: .85rem; }
.badge.lvl-error b { background: var(--error); } .badge.lvl-warning b { background: var(--warning); }
.badge:hover, .badge:focus-visible { border-color: var(--fg); }
.notice { border: 1px solid var(--warning); border-radius: 6px; padding: .5rem .8rem; margin: .8rem 0; }
.notice ul { margin: .3rem 0 0; padding-left: 1.2rem; }
.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin: 1.2rem 0 .6rem;
  position: sticky; top: 0; background: var(--bg); padding: .5rem 0; z-index: 2; }
.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); gap: .15rem; }
.filters select, .filters input, .filters button { font: inherit; color: var(--fg); background: var(--bg);
  border: 1px solid var(--line); border-radius: 6px; padding: .3rem .45rem; }
.filters select { max-width: 16rem; }
.filters input { width: 16rem; }
.filters button { cursor: pointer; }
#shown { margin-left: auto; color: var(--muted); align-self: center; }
.table-wrap { overflow-x: auto; }
table { width: 100%; min-width: 1200px; border-collapse: collapse; table-layout: fixed; }
th, td { border-bottom: 1px solid var(--line); padding: .45rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
th button { all: unset; cursor: pointer; font-weight: 600; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; font-size: .7em; }
th[aria-sort="descending"] button::after { content: " \\25BC"; font-size: .7em; }
/* URL and anomalies share what the fixed columns leave. */
col.c-level { width: 6rem; } col.c-article { width: 12rem; } col.c-verdict { width: 9rem; }
col.c-status { width: 4.2rem; } col.c-capture { width: 5.4rem; } col.c-lastok { width: 6.6rem; }
col.c-streak { width: 4.6rem; }
td { overflow-wrap: anywhere; }
tr.lvl-error td:first-child { box-shadow: inset 4px 0 var(--error); }
tr.lvl-warning td:first-child { box-shadow: inset 4px 0 var(--warning); }
tr.lvl-info td:first-child { box-shadow: inset 4px 0 var(--info); }
.clamp { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
.small { font-size: .82rem; color: var(--muted); display: block; margin-top: .2rem; }
.pill { display: inline-block; border-radius: 999px; padding: 0 .5rem; font-size: .8rem;
  border: 1px solid var(--line); background: var(--soft); white-space: nowrap; max-width: 100%;
  overflow: hidden; text-overflow: ellipsis; vertical-align: bottom; }
.pill.lvl-error { color: var(--error); border-color: var(--error); }
.pill.lvl-warning { color: var(--warning); border-color: var(--warning); }
.pill.lvl-info { color: var(--info); border-color: var(--info); }
.anomaly { margin: 0 0 .35rem; } .anomaly:last-child { margin: 0; }
.num { font-variant-numeric: tabular-nums; }
.tag { font-size: .75rem; color: var(--error); margin-left: .3rem; }
.empty td { text-align: center; color: var(--muted); padding: 1.5rem; }
a { color: var(--info); }
"""

_SCRIPT = """
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const rows = data.citations;
  const table = document.getElementById("citations");
  const tbody = table.tBodies[0];
  const filters = {
    verdict: document.getElementById("filter-verdict"),
    anomaly: document.getElementById("filter-anomaly"),
    domain: document.getElementById("filter-domain"),
    article: document.getElementById("filter-article"),
  };
  const search = document.getElementById("search");
  const shown = document.getElementById("shown");
  const LEVELS = { error: 3, warning: 2, info: 1, "": 0 };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  // Only http(s) links become clickable; javascript: and data: URLs stay text.
  function webHref(url) {
    return typeof url === "string" && /^https?:\\/\\//i.test(url) ? url : null;
  }
  function captureHref(url) {
    if (typeof url !== "string") return null;
    return /^file:\\/\\//i.test(url) || /^https?:\\/\\//i.test(url) || !/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : null;
  }
  function link(url, text) {
    const href = webHref(url);
    if (!href) return el("span", "", text);
    const a = el("a", "", text);
    a.href = href;
    a.rel = "noopener noreferrer";
    return a;
  }

  function buildRow(row) {
    const tr = document.createElement("tr");
    tr.dataset.verdict = row.verdict;
    tr.dataset.level = row.level;
    tr.dataset.domain = row.domain;
    tr.dataset.anomalies = row.anomalies.map((a) => a.code).join(" ");
    if (row.level) tr.className = "lvl-" + row.level;

    const level = el("td");
    if (row.level) level.appendChild(el("span", "pill lvl-" + row.level, row.level));
    tr.appendChild(level);

    const article = el("td");
    const title = el("span", "clamp", row.article);
    title.title = row.article;
    article.appendChild(title);
    const where = row.line ? row.source + ":" + row.line : row.page ? row.source + " p. " + row.page : row.source;
    article.appendChild(el("span", "small", where));
    tr.appendChild(article);

    const url = el("td");
    url.appendChild(link(row.href, row.url));
    if (row.final_url) {
      const final = el("span", "small", "\\u2192 ");
      final.appendChild(link(row.final_href, row.final_url));
      url.appendChild(final);
    }
    if (row.context) url.appendChild(el("span", "small", row.context));
    tr.appendChild(url);

    const verdict = el("td");
    verdict.appendChild(el("span", "pill" + (row.verdict_level ? " lvl-" + row.verdict_level : ""), row.verdict));
    if (row.error) verdict.appendChild(el("span", "small", row.error));
    tr.appendChild(verdict);

    tr.appendChild(el("td", "num", row.status));

    const anomalies = el("td");
    for (const a of row.anomalies) {
      const p = el("p", "anomaly");
      p.appendChild(el("span", "pill lvl-" + a.severity, a.code));
      p.appendChild(document.createTextNode(" "));
      p.appendChild(el("span", "", a.message));
      anomalies.appendChild(p);
    }
    tr.appendChild(anomalies);

    const capture = el("td");
    const captureUrl = captureHref(row.capture);
    if (captureUrl) {
      const a = el("a", "", "snapshot");
      a.href = captureUrl;
      if (row.captured_at) a.title = "captured " + row.captured_at;
      capture.appendChild(a);
    }
    tr.appendChild(capture);

    tr.appendChild(el("td", "num", row.last_ok ? row.last_ok.replace("T", " ") : ""));
    const streak = el("td", "num", row.streak === null ? "" : row.streak);
    if (row.dead) streak.appendChild(el("span", "tag", "dead"));
    if (row.flapping) streak.appendChild(el("span", "tag", "flapping"));
    tr.appendChild(streak);

    row.tr = tr;
    row.codes = row.anomalies.map((a) => a.code);
    row.text = [row.article, row.source, row.url, row.final_url, row.context, row.verdict, row.error,
      row.status, row.domain].concat(row.anomalies.map((a) => a.code + " " + a.message))
      .filter((v) => v !== null && v !== undefined).join("\\n").toLowerCase();
    return tr;
  }

  function fillSelect(select, pairs) {
    for (const [value, label] of pairs) {
      const option = el("option", "", label);
      option.value = value;
      select.appendChild(option);
    }
  }
  function uniqueSorted(values) {
    return Array.from(new Set(values)).sort((a, b) => a.localeCompare(b));
  }

  const emptyRow = el("tr", "empty");
  const emptyCell = el("td", "", "No citation matches these filters.");
  emptyCell.colSpan = table.querySelectorAll("thead th").length;
  emptyRow.appendChild(emptyCell);
  emptyRow.hidden = true;

  function apply() {
    const verdict = filters.verdict.value;
    const anomaly = filters.anomaly.value;
    const domain = filters.domain.value;
    const article = filters.article.value;
    const query = search.value.trim().toLowerCase();
    let count = 0;
    for (const row of rows) {
      const visible = (!verdict || row.verdict === verdict) && (!anomaly || row.codes.includes(anomaly)) &&
        (!domain || row.domain === domain) && (!article || row.source === article) &&
        (!query || row.text.includes(query));
      row.tr.hidden = !visible;
      if (visible) count += 1;
    }
    emptyRow.hidden = count !== 0;
    shown.textContent = "Showing " + count + " of " + rows.length + " citations";
  }

  function clearFilters() {
    for (const select of Object.values(filters)) select.value = "";
    search.value = "";
  }

  const KEYS = {
    level: (r) => LEVELS[r.level],
    article: (r) => r.article.toLowerCase(),
    url: (r) => r.url.toLowerCase(),
    verdict: (r) => r.verdict,
    status: (r) => r.status,
    anomalies: (r) => r.anomalies.length,
    capture: (r) => r.captured_at,
    last_ok: (r) => r.last_ok,
    streak: (r) => r.streak,
  };
  let sortKey = null;
  let sortDir = 1;
  function compare(a, b) {
    const x = KEYS[sortKey](a);
    const y = KEYS[sortKey](b);
    // Blanks sort last in both directions.
    const xBlank = x === null || x === undefined || x === "";
    const yBlank = y === null || y === undefined || y === "";
    if (xBlank || yBlank) return xBlank && yBlank ? a.index - b.index : xBlank ? 1 : -1;
    if (x < y) return -sortDir;
    if (x > y) return sortDir;
    return a.index - b.index;
  }
  function sortBy(key) {
    sortDir = sortKey === key ? -sortDir : 1;
    sortKey = key;
    rows.sort(compare);
    for (const row of rows) tbody.appendChild(row.tr);
    tbody.appendChild(emptyRow);
    for (const th of table.querySelectorAll("thead th")) {
      if (th.dataset.key === key) th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
  }

  for (const row of rows) tbody.appendChild(buildRow(row));
  tbody.appendChild(emptyRow);
  fillSelect(filters.verdict, uniqueSorted(rows.map((r) => r.verdict)).map((v) => [v, v]));
  fillSelect(filters.anomaly, uniqueSorted(rows.flatMap((r) => r.codes)).map((v) => [v, v]));
  fillSelect(filters.domain, uniqueSorted(rows.map((r) => r.domain).filter((d) => d)).map((v) => [v, v]));
  const articles = new Map();
  for (const row of rows) if (!articles.has(row.source)) articles.set(row.source, row.article);
  fillSelect(filters.article, Array.from(articles.entries()));

  for (const control of Object.values(filters)) control.addEventListener("change", apply);
  search.addEventListener("input", apply);
  document.getElementById("reset").addEventListener("click", () => { clearFilters(); apply(); });
  for (const th of table.querySelectorAll("thead th[data-key]")) {
    th.querySelector("button").addEventListener("click", () => sortBy(th.dataset.key));
  }
  function focusTable() {
    apply();
    document.getElementById("filters").scrollIntoView({ block: "start" });
  }
  for (const badge of document.querySelectorAll("[data-anomaly]")) {
    badge.addEventListener("click", () => {
      clearFilters();
      filters.anomaly.value = badge.dataset.anomaly;
      focusTable();
    });
  }
  for (const bar of document.querySelectorAll("[data-verdict-filter]")) {
    bar.addEventListener("click", () => {
      clearFilters();
      filters.verdict.value = bar.dataset.verdictFilter;
      focusTable();
    });
  }
  apply();
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="linkcheck {version}">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header>
<h1>linkcheck report</h1>
<p class="meta">Run of {started}, {duration} · linkcheck {version} · findings counted at or above
<strong>{fail_on}</strong></p>
</header>
{notices}
{headline}
<section class="overview">
<div><h2>Verdicts</h2>{chart}</div>
<div><h2>Anomalies</h2>{badges}</div>
</section>
<h2>Citations</h2>
<noscript><p class="notice">The table needs JavaScript; the same data is in report.json.</p></noscript>
<div class="filters" id="filters" role="search">
<label>Verdict<select id="filter-verdict"><option value="">all verdicts</option></select></label>
<label>Anomaly<select id="filter-anomaly"><option value="">all anomalies</option></select></label>
<label>Domain<select id="filter-domain"><option value="">all domains</option></select></label>
<label>Article<select id="filter-article"><option value="">all articles</option></select></label>
<label>Search<input id="search" type="search" placeholder="URL, text, message…" autocomplete="off"></label>
<button type="button" id="reset">Reset</button>
<span id="shown" aria-live="polite"></span>
</div>
<div class="table-wrap">
<table id="citations">
<colgroup><col class="c-level"><col class="c-article"><col class="c-url"><col class="c-verdict">
<col class="c-status"><col class="c-anomalies"><col class="c-capture"><col class="c-lastok"><col class="c-streak">
</colgroup>
<thead><tr>
<th scope="col" data-key="level"><button type="button">Level</button></th>
<th scope="col" data-key="article"><button type="button">Article</button></th>
<th scope="col" data-key="url"><button type="button">URL</button></th>
<th scope="col" data-key="verdict"><button type="button">Verdict</button></th>
<th scope="col" data-key="status"><button type="button">Status</button></th>
<th scope="col" data-key="anomalies"><button type="button">Anomalies</button></th>
<th scope="col" data-key="capture"><button type="button">Capture</button></th>
<th scope="col" data-key="last_ok"><button type="button">Last ok</button></th>
<th scope="col" data-key="streak"><button type="button">Streak</button></th>
</tr></thead>
<tbody></tbody>
</table>
</div>
<script type="application/json" id="report-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""
