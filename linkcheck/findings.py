"""Which citations are findings: a verdict's severity (with `[verdicts]` overrides), a citation's
worst severity, and whether it reaches `fail_on`. Pure rules over the records, shared by the gate,
the reports and the terminal summary."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from linkcheck.models import VERDICT_SEVERITY, CheckedCitation, CopyStatus, RunResult, Severity, Verdict


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
    return reaches(citation_severity(checked, overrides), fail_on)


def reaches(severity: Severity | None, fail_on: str) -> bool:
    """Whether a citation of this worst severity is a finding at `fail_on`."""
    return fail_on != "never" and severity is not None and severity.rank >= Severity(fail_on).rank


Key = tuple[str, str]  # (article source, normalized URL or URL as written): a finding across runs


def finding_key(source: str, checked: CheckedCitation) -> Key:
    return (source, checked.citation.normalized_url or checked.citation.url)


def new_findings(
    run: RunResult, fail_on: str, overrides: Mapping[str, str] | None = None, known: AbstractSet[Key] | None = None
) -> list[tuple[str, CheckedCitation]]:
    """(article source, citation) of each finding at fail_on that `known` (a baseline's) does not hold."""
    return [
        (article.article.source, checked)
        for article in run.articles
        for checked in article.citations
        if is_finding(checked, fail_on, overrides)
        and (known is None or finding_key(article.article.source, checked) not in known)
    ]


def archived_copy_text(checked: CheckedCitation) -> str | None:
    """What the archived-copy lookup found, in a few words for a person ("blocked here; archived copy
    of 2021-08-09 verified"); None when no lookup was due. The terminal and report.md add the link."""
    copy = checked.archived_copy
    if copy is None:
        return None
    if copy.status is CopyStatus.FOUND:
        day = copy.archived_at.date().isoformat() if copy.archived_at else "an unknown date"
        text = f"archived copy of {day} {'verified' if copy.verified else 'not verified'}"
        if copy.before_target is False:
            text += ", captured after the article"
        verdict = checked.result.verdict
        return f"{verdict.value} here; {text}" if verdict is not Verdict.OK else text
    if copy.status is CopyStatus.NONE:
        rejected = len(copy.rejected)
        if not rejected:
            return "no archived copy found"
        return f"no archived copy found ({rejected} capture{'s' if rejected != 1 else ''} rejected)"
    return f"archived copy: lookup failed ({copy.error or 'no reason given'})"


def suggested_url_text(checked: CheckedCitation) -> str | None:
    """The suggested URL's method, confidence and evidence in a few words ("suggested URL (url-date,
    confidence 0.95): title ..."); None when there is none. The terminal and report.md add the link."""
    suggestion = checked.suggested_url
    if suggestion is None:
        return None
    return f"suggested URL ({suggestion.method}, confidence {suggestion.confidence:.2f}): {suggestion.evidence}"
