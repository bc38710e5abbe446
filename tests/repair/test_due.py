"""Which citations get a suggested URL."""

from __future__ import annotations

import pytest

from linkcheck.models import Anomaly, AnomalyCode, CheckedCitation, CheckResult, Citation, Severity, Verdict
from linkcheck.repair import suggestion_due

URL = "https://www.themoscowtimes.com/2026/04/03/russia-holds-drills-a74712"
FUTURE = Anomaly(AnomalyCode.FUTURE_DATED_URL, Severity.ERROR, "dated 2026-04-03")
HOME = Anomaly(AnomalyCode.REDIRECT_TO_HOMEPAGE, Severity.WARNING, "sent home")


def checked(verdict: Verdict, *anomalies: Anomaly, url: str = URL) -> CheckedCitation:
    return CheckedCitation(Citation(url, url, "text"), CheckResult(url, verdict), anomalies)


@pytest.mark.parametrize(
    ("item", "due"),
    [
        (checked(Verdict.BROKEN), True),
        (checked(Verdict.SOFT_404), True),
        (checked(Verdict.OK, FUTURE), True),
        (checked(Verdict.OK, HOME), True),
        (checked(Verdict.OK), False),
        (checked(Verdict.BLOCKED), False),
        (checked(Verdict.UNREACHABLE, FUTURE), False),  # its candidates would wait on the same silent host
        (checked(Verdict.TIMEOUT, FUTURE), False),
        (checked(Verdict.BROKEN, url="ftp://x.ru/2026/04/03/a"), False),
    ],
)
def test_suggestions_are_due_for_lost_or_misdated_pages_on_hosts_that_answer(item: CheckedCitation, due: bool) -> None:
    assert suggestion_due(item) is due
