"""report.md: a summary table and what needs attention, sized for a GitHub job summary or PR comment."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from linkcheck.findings import archived_copy_text, suggested_url_text
from linkcheck.models import CheckedArticle, CheckedCitation, QuoteCheck, RunResult
from linkcheck.reports.options import ReportOptions

FILE_NAME = "report.md"
# A pull-request comment holds at most 65,536 characters; a job summary 1 MiB. Stay under the smaller.
MAX_CHARS = 64_000

# ASCII punctuation that starts Markdown or HTML syntax inside a line, plus what GitHub adds: '@'
# mentions, '#' issue links, ':' autolinks and emoji, '$' math. CommonMark lets any ASCII punctuation
# be backslash-escaped, so escaping a little more than needed is harmless.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>~&@:$])")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# GitHub turns a bare `www.host` into a link; an escaped dot keeps it text.
_WWW = re.compile(r"\b(www)\.", re.I)
_LINK_SAFE = "/:?#[]@!$&'*+,;=%~-._"
QUOTE_CHARS = 160  # a quote is shown up to this length; report.json has it whole


def escape(text: str) -> str:
    """Text from an article or a page, safe inside a Markdown paragraph, list item or table cell."""
    return _WWW.sub(r"\1\\.", _SPECIAL.sub(r"\\\1", _one_line(text)))


def _one_line(text: str) -> str:
    return _CONTROL.sub("\ufffd", " ".join(text.split()))


def code(text: str, in_table: bool = False) -> str:
    """TEXT as a code span: shown literally, no mentions or autolinks (in a table cell '|' is escaped)."""
    text = _one_line(text)
    if in_table:  # GFM splits cells on '|' before it sees code spans
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _link(label: str, url: str | None) -> str:
    """LABEL as a code span, linked to URL only when it is http(s) (never javascript: and the like)."""
    if url and re.match(r"^https?://", url, re.I):
        return f"[{code(label)}]({quote(url, safe=_LINK_SAFE).replace('(', '%28').replace(')', '%29')})"
    return code(label)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _summary_table(run: RunResult) -> list[str]:
    verdicts: Counter[str] = Counter()
    anomalies: Counter[str] = Counter()
    for article in run.articles:
        for checked in article.citations:
            verdicts[checked.result.verdict.value] += 1
            anomalies.update(anomaly.code for anomaly in checked.anomalies)
    rows = ["| result | citations |", "|---|---:|"]
    rows += [f"| verdict {code(verdict, True)} | {count} |" for verdict, count in verdicts.most_common()]
    by_count = sorted(anomalies.items(), key=lambda item: (-item[1], item[0]))
    rows += [f"| anomaly {code(name, True)} | {count} |" for name, count in by_count]
    return rows


def _citation_item(checked: CheckedCitation, options: ReportOptions) -> list[str]:
    citation, result = checked.citation, checked.result
    severity = options.severity(checked)
    parts = [f"**{severity.value if severity else 'ok'}**", _link(citation.url, citation.url)]
    if citation.line is not None:
        parts.append(f"line {citation.line}")
    if citation.page is not None:
        parts.append(f"page {citation.page}")
    status = f" {result.status}" if result.status is not None else ""
    parts.append(f"{code(result.verdict.value)}{status}")
    snapshot = options.snapshot_href(checked)
    if snapshot:
        parts.append(f"[snapshot]({snapshot})")
    lines = ["- " + " · ".join(parts)]
    if result.error:
        lines.append(f"  - {escape(result.error)}")
    for anomaly in checked.anomalies:
        lines.append(f"  - {code(anomaly.code)} ({anomaly.severity.value}): {escape(anomaly.message)}")
    copy_text = archived_copy_text(checked)
    if copy_text is not None:
        copy = checked.archived_copy
        where = f": {_link(copy.url, copy.url)}" if copy is not None and copy.url else ""
        lines.append(f"  - {escape(copy_text)}{where}")
    if checked.suggested_url is not None:
        url = checked.suggested_url.url
        lines.append(f"  - {_link(url, url)}: {escape(suggested_url_text(checked) or '')}")
    if result.final_url and result.final_url != (citation.normalized_url or citation.url):
        lines.append(f"  - ended at {_link(result.final_url, result.final_url)}")
    if checked.history and checked.history.failure_streak > 1:
        last_ok = checked.history.last_ok.date().isoformat() if checked.history.last_ok else "never"
        lines.append(f"  - failing {checked.history.failure_streak} checks in a row; last ok: {last_ok}")
    if citation.context:
        lines.append(f"  - cited as: {escape(citation.context)}")
    lines += [_quote_line(quote, checked.quotes_from is not None) for quote in checked.quotes]
    return lines


def _quote_line(quote: QuoteCheck, in_copy: bool) -> str:
    """One quotation tied to the citation: found, not found (in bold), or not compared."""
    text = quote.text if len(quote.text) <= QUOTE_CHARS else quote.text[: QUOTE_CHARS - 1].rstrip() + "…"
    where = " in the archived copy" if in_copy else ""
    label = {True: f"quote found{where}", False: f"**quote not found{where}**", None: "quote not compared"}
    return f"  - {label[quote.found]}: \u201c{escape(text)}\u201d"


def _article_section(checked_article: CheckedArticle, options: ReportOptions) -> list[str]:
    article = checked_article.article
    heading = escape(article.title) if article.title else escape(article.source)
    meta = [_link(article.source, article.url or article.source)]
    meta.append(f"published {article.published.isoformat()}" if article.published else "date unknown")
    lines = [f"### {heading}", "", " · ".join(meta), ""]
    if article.cut_reason:
        lines += [f"**Harvest cut short**: {escape(article.cut_reason)}", ""]
    total = len(checked_article.citations)
    findings = [c for c in checked_article.citations if options.is_finding(c)]
    fine = [c for c in checked_article.citations if options.severity(c) is None]
    below = [c for c in checked_article.citations if c not in findings and c not in fine]
    if options.fail_on == "never":
        lines.append(f"{_count(total, 'citation')} (fail\\_on is never: nothing is listed).")
        return lines
    items = [line for checked in findings for line in _citation_item(checked, options)]
    notes = []
    if len(fine) == total:
        notes.append("The citation is fine." if total == 1 else f"All {total} citations fine.")
    elif fine:
        notes.append(f"{len(fine)} other citation{'s' if len(fine) != 1 else ''} fine.")
    if below:
        # Not findings at this fail_on, and not fine either: say what they are rather than call them fine.
        kinds = Counter(_worst_label(c) for c in below)
        what = ", ".join(f"{count} {code(label)}" for label, count in kinds.most_common())
        notes.append(f"{_count(len(below), 'citation')} below fail\\_on ({escape(options.fail_on)}): {what}.")
    quotes = [quote.found for checked in fine + below for quote in checked.quotes]
    if quotes:
        # The citations not listed: their quotes, counted (report.json and report.html show each).
        counted = Counter(quotes)
        states = ((True, "found"), (False, "not found"), (None, "not compared"))
        what = ", ".join(f"{counted[state]} {label}" for state, label in states if counted[state])
        notes.append(f"Quotes beside the citations not listed: {what}.")
    blocks = ([items] if items else []) + [[note] for note in notes]
    for index, block in enumerate(blocks):
        lines += ([""] if index else []) + block
    return lines


def _worst_label(checked: CheckedCitation) -> str:
    """The verdict, unless it is ok: then the first anomaly's code."""
    if checked.result.verdict.value != "ok" or not checked.anomalies:
        return checked.result.verdict.value
    return str(checked.anomalies[0].code)


def render(run: RunResult, options: ReportOptions, max_chars: int = MAX_CHARS) -> str:
    """The Markdown report; article sections past max_chars are left out, with a note saying so."""
    citations = sum(len(article.citations) for article in run.articles)
    findings = sum(options.is_finding(c) for article in run.articles for c in article.citations)
    head = [
        "## linkcheck report",
        "",
        f"{_count(len(run.articles), 'article')} · {_count(citations, 'citation')} · "
        f"{_count(run.urls_checked, 'URL')} checked · "
        f"**{findings} at or above {options.fail_on}** · "
        f"{run.started_at.isoformat(timespec='seconds')}",
        "",
    ]
    if run.interrupted:
        head += ["**The run was interrupted**: citations not reached are `skipped`.", ""]
    fresh = options.new_findings(run)
    if fresh is not None:
        head += [f"**{_count(len(fresh), 'new finding')} since the baseline** (only these set the exit code)", ""]
        head += [f"- {code(checked.citation.url)} in {code(source)}" for source, checked in fresh[:50]]
        head += [f"- … and {len(fresh) - 50} more (report.json lists them all)"] if len(fresh) > 50 else []
        head.append("")
    head += _summary_table(run) + [""]
    if run.errors:
        head += ["**Sources not read**", ""]
        head += [f"- {code(error.source)}: {escape(error.message)}" for error in run.errors]
        head.append("")
    text = "\n".join(head)
    for index, article in enumerate(run.articles):
        section = "\n" + "\n".join(_article_section(article, options)) + "\n"
        left = len(run.articles) - index
        note = f"\n_{left} more article{'s' if left != 1 else ''} left out to fit; see report.json._\n"
        if len(text) + len(section) + len(note) > max_chars:
            return text + note
        text += section
    return text


def append_job_summary(text: str, environ: Mapping[str, str]) -> Path | None:
    """Append TEXT to the file named by GITHUB_STEP_SUMMARY when it is set; return that path."""
    name = environ.get("GITHUB_STEP_SUMMARY")
    if not name:
        return None
    path = Path(name)
    with path.open("a", encoding="utf-8") as out:
        out.write(text if text.endswith("\n") else text + "\n")
    return path
