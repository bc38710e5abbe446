"""The CI gate: which citations count as findings at a `fail_on` level, and the exit code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linkcheck.exitcodes import ExitCode
from linkcheck.findings import Key, finding_key, new_findings
from linkcheck.models import HOST_DOWN, RunResult, Verdict
from linkcheck.reports import json_report


def known_findings(report: Mapping[str, Any], fail_on: str, overrides: Mapping[str, str] | None = None) -> set[Key]:
    """Citations that were already findings in an earlier report.json (a baseline), judged by the
    same rules as this run's."""
    earlier = json_report.load(dict(report))
    return {finding_key(source, checked) for source, checked in new_findings(earlier, fail_on, overrides)}


def exit_code(
    run: RunResult, fail_on: str, overrides: Mapping[str, str] | None = None, known: set[Key] | None = None
) -> ExitCode:
    """1 when a citation is at or above fail_on (and not known from the baseline), else 0.

    Input errors (exit 2) are decided by the CLI.
    """
    return ExitCode.FINDINGS if new_findings(run, fail_on, overrides, known) else ExitCode.OK


def reached_nothing(run: RunResult) -> bool:
    """True when this run fetched URLs and not one of them answered (every host down or unreachable):
    the network is more likely down than every source gone, so the run proves nothing."""
    fetched = [
        checked.result
        for article in run.articles
        for checked in article.citations
        if checked.result.verdict not in (Verdict.SKIPPED, Verdict.INVALID)
        and not (checked.history is not None and checked.history.cached)
    ]
    return bool(fetched) and all(result.verdict in HOST_DOWN for result in fetched)


def run_problem(run: RunResult) -> str | None:
    """Why a run could not do its job (exit code 2), or None: the tool failed, it was interrupted,
    or nothing it fetched could be reached. Unreadable sources are named by the run itself."""
    if run.failure:
        return f"the run failed part way ({run.failure}); the report holds what was checked before"
    if run.interrupted:
        return "the run was interrupted; citations not checked are marked as such in the report"
    if reached_nothing(run):
        return "no cited URL could be reached (is the network down?); nothing was verified"
    return None
