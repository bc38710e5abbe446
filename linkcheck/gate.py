"""The CI gate: which citations count as findings at a `fail_on` level, and the exit code."""

from __future__ import annotations

from linkcheck.check import VERDICT_SEVERITY
from linkcheck.exitcodes import ExitCode
from linkcheck.models import CheckedCitation, RunResult, Severity


def citation_severity(checked: CheckedCitation) -> Severity | None:
    """The worst of a citation's verdict and anomaly severities; None when all is well."""
    levels = [s for s in [VERDICT_SEVERITY[checked.result.verdict]] if s is not None]
    levels += [anomaly.severity for anomaly in checked.anomalies]
    return max(levels, key=lambda s: s.rank, default=None)


def is_finding(checked: CheckedCitation, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    severity = citation_severity(checked)
    return severity is not None and severity.rank >= Severity(fail_on).rank


def exit_code(run: RunResult, fail_on: str) -> ExitCode:
    """1 when any citation is at or above fail_on, else 0 (input errors are decided by the CLI)."""
    for article in run.articles:
        if any(is_finding(checked, fail_on) for checked in article.citations):
            return ExitCode.FINDINGS
    return ExitCode.OK
