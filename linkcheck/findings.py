"""Which citations are findings: a verdict's severity (with `[verdicts]` overrides), a citation's
worst severity, and whether it reaches `fail_on`. Pure rules over the records, shared by the gate,
the reports and the terminal summary."""

from __future__ import annotations

from collections.abc import Mapping

from linkcheck.models import VERDICT_SEVERITY, CheckedCitation, Severity, Verdict


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
