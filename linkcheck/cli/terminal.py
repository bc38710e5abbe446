"""The few lines printed at the end of a run: counts per verdict and the worst findings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from linkcheck.findings import archived_copy_text, citation_severity, is_finding, suggested_url_text
from linkcheck.models import VERDICT_SEVERITY, CheckedCitation, History, RunResult, Verdict

_WORST_SHOWN = 10


def streak_text(history: History, dead_after: int) -> str:
    """'failing (1 of 3) since ...' until confirmed, then 'confirmed dead since ...'."""
    since = history.first_failure.isoformat(timespec="minutes") if history.first_failure else "?"
    if history.confirmed_dead:
        return f"confirmed dead: failing since {since}, {history.failure_streak} checks in a row"
    return f"failing ({history.failure_streak} of {dead_after}) since {since}"


def summary_lines(
    run: RunResult, fail_on: str, overrides: Mapping[str, str] | None = None, dead_after: int = 3
) -> list[str]:
    verdicts: Counter[str] = Counter()
    citations = 0
    findings = []
    for article in run.articles:
        for checked in article.citations:
            citations += 1
            verdicts[checked.result.verdict.value] += 1
            if is_finding(checked, fail_on, overrides):
                findings.append((article.article.source, checked))
    counts = ", ".join(f"{count} {verdict}" for verdict, count in verdicts.most_common())
    cached = run.urls_cached
    lines = [
        f"{len(run.articles)} articles, {citations} citations, {run.urls_checked} URLs checked"
        + (f" ({cached} more reused from earlier runs)" if cached else "")
        + (f": {counts}" if counts else "")
    ]
    if run.interrupted:
        lines.append("interrupted: the report holds what was checked before the stop")
    for article in run.articles:
        if article.article.cut_reason:
            lines.append(f"harvest of {article.article.source} cut short: {article.article.cut_reason}")
    for error in run.errors:
        lines.append(f"error: {error.source}: {error.message}")

    def rank(checked: CheckedCitation) -> int:
        severity = citation_severity(checked, overrides)
        return severity.rank if severity else 0

    findings.sort(key=lambda item: -rank(item[1]))
    for source, checked in findings[:_WORST_SHOWN]:
        where = f"{source}:{checked.citation.line}" if checked.citation.line else source
        reason = checked.result.error or checked.result.verdict.value
        lines.append(f"{checked.result.verdict.value:>12}  {checked.citation.url}  ({where}; {reason})")
        if checked.history and checked.history.failure_streak:
            lines.append(f"{'':>12}  {streak_text(checked.history, dead_after)}")
        for anomaly in checked.anomalies:
            lines.append(f"{anomaly.severity.value:>12}  {anomaly.code}: {anomaly.message}")
        copy_text = archived_copy_text(checked)
        if copy_text is not None:
            link = checked.archived_copy.url if checked.archived_copy else None
            lines.append(f"{'':>12}  {copy_text}" + (f": {link}" if link else ""))
        suggestion = suggested_url_text(checked)
        if suggestion is not None and checked.suggested_url is not None:
            lines.append(f"{'':>12}  {checked.suggested_url.url} <- {suggestion}")
    if len(findings) > _WORST_SHOWN:
        lines.append(f"... and {len(findings) - _WORST_SHOWN} more findings in the report")
    return lines


_COLOURS = {"error": "31", "warning": "33", "info": "36"}


def _verdict_level(word: str) -> str | None:
    """A verdict's default severity name, from the one table in check.py."""
    try:
        level = VERDICT_SEVERITY[Verdict(word)]
    except ValueError:
        return None
    return level.value if level else None


_FIRST_WORD = re.compile(r"^(\s*)(\S+)")


def paint(line: str) -> str:
    """Colour a summary line by its leading severity or verdict word (terminals only)."""
    match = _FIRST_WORD.match(line)
    if not match:
        return line
    word = match.group(2)
    severity = word if word in _COLOURS else _verdict_level(word)
    if severity is None:
        return line
    return f"{match.group(1)}\033[{_COLOURS[severity]}m{word}\033[0m{line[match.end() :]}"
