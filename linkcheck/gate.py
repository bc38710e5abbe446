"""The CI gate: which citations count as findings at a `fail_on` level, and the exit code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linkcheck.exitcodes import ExitCode
from linkcheck.models import VERDICT_SEVERITY, CheckedCitation, RunResult, Severity, Verdict
from linkcheck.reports import json_report


def verdict_severity(verdict: Verdict, overrides: Mapping[str, str]) -> Severity | None:
    """A verdict's severity: the default table, unless `[verdicts]` in config says otherwise."""
    level = overrides.get(verdict.value)
    if level == "off":
        return None
    return Severity(level) if level else VERDICT_SEVERITY[verdict]


def citation_severity(checked: CheckedCitation, overrides: Mapping[str, str] | None = None) -> Severity | None:
    """The worst of a citation's verdict and anomaly severities; None when all is well."""
    levels = [s for s in [verdict_severity(checked.result.verdict, overrides or {})] if s is not None]
    levels += [anomaly.severity for anomaly in checked.anomalies]
    if checked.history is not None and checked.history.confirmed_dead:
        levels.append(Severity.ERROR)  # failing for days, checked again and again: it is gone
    return max(levels, key=lambda s: s.rank, default=None)


def is_finding(checked: CheckedCitation, fail_on: str, overrides: Mapping[str, str] | None = None) -> bool:
    if fail_on == "never":
        return False
    severity = citation_severity(checked, overrides)
    return severity is not None and severity.rank >= Severity(fail_on).rank


Key = tuple[str, str]  # (article source, normalized URL or URL as written)


def finding_key(source: str, url: str | None, written: str) -> Key:
    return (source, url or written)


def known_findings(report: Mapping[str, Any], fail_on: str, overrides: Mapping[str, str] | None = None) -> set[Key]:
    """Citations that were already findings in an earlier report.json (a baseline), judged by the
    same rules as this run's."""
    earlier = json_report.load(dict(report))
    return {key for key, _ in _findings(earlier, fail_on, overrides)}


def _findings(run: RunResult, fail_on: str, overrides: Mapping[str, str] | None) -> list[tuple[Key, CheckedCitation]]:
    return [
        (finding_key(article.article.source, checked.citation.normalized_url, checked.citation.url), checked)
        for article in run.articles
        for checked in article.citations
        if is_finding(checked, fail_on, overrides)
    ]


def new_findings(
    run: RunResult, fail_on: str, overrides: Mapping[str, str] | None = None, known: set[Key] | None = None
) -> list[CheckedCitation]:
    """Each finding not already known from a baseline."""
    return [checked for key, checked in _findings(run, fail_on, overrides) if known is None or key not in known]


def exit_code(
    run: RunResult, fail_on: str, overrides: Mapping[str, str] | None = None, known: set[Key] | None = None
) -> ExitCode:
    """1 when a citation is at or above fail_on (and not known from the baseline), else 0.

    Input errors (exit 2) are decided by the CLI.
    """
    return ExitCode.FINDINGS if new_findings(run, fail_on, overrides, known) else ExitCode.OK
