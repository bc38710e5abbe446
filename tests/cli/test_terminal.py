"""The terminal summary: what the archived-copy lookup found, on an indented line under each finding."""

from __future__ import annotations

from linkcheck.cli.terminal import summary_lines
from tests.reports.test_reports import MIL_RU, sample_run


def test_a_blocked_citation_with_a_verified_copy_reads_as_such() -> None:
    lines = summary_lines(sample_run(), "warning")
    at = next(index for index, line in enumerate(lines) if line.strip().startswith("blocked") and MIL_RU in line)
    following = lines[at + 1 : at + 4]
    playback = f"https://web.archive.org/web/20210809120005/{MIL_RU}"
    assert f"{'':>12}  blocked here; archived copy of 2021-08-09 verified: {playback}" in following


def test_no_copy_and_a_failed_lookup_are_said_too() -> None:
    lines = summary_lines(sample_run(), "warning")
    assert f"{'':>12}  no archived copy found (1 capture rejected)" in lines
    failed = [line for line in lines if "archived copy: lookup failed" in line]
    assert len(failed) == 1 and "HTTP 429 3 times in a row" in failed[0]


def test_citations_without_a_lookup_get_no_line() -> None:
    lines = summary_lines(sample_run(), "error")
    assert not any("archived copy of" in line for line in lines)  # the blocked one is not listed at error
