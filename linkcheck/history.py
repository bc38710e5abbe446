"""Pure rules for a URL's history: failure streaks, confirmed death, flapping, due rechecks.

A single failure is not death: a URL is confirmed dead only after `dead_after_failures`
consecutive failing checks spanning at least `dead_after_days`, as bots that maintain
citations at scale do. Blocked and rate-limited answers are inconclusive and neither
extend nor reset a streak.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from linkcheck.models import FAILING, CheckResult, History, Verdict

_RECENT = 8  # outcomes remembered for flapping ("o" ok, "f" failing)
_FLAP_CHANGES = 3  # ok<->failing changes among them that make a URL flapping


@dataclass(frozen=True)
class UrlState:
    """What the store keeps per URL between runs."""

    url: str
    last_checked_at: dt.datetime | None = None
    last_verdict: Verdict | None = None
    last_ok_at: dt.datetime | None = None
    first_failure_at: dt.datetime | None = None
    failure_streak: int = 0
    recent: str = ""  # oldest first, e.g. "oofof"


@dataclass(frozen=True)
class DeathPolicy:
    dead_after_failures: int = 3
    dead_after_days: float = 3.0


def advance(
    previous: UrlState | None, result: CheckResult, at: dt.datetime, policy: DeathPolicy
) -> tuple[UrlState, History]:
    """The URL's new state after one check, and the History the report shows for it."""
    state = previous or UrlState(result.url)
    verdict = result.verdict
    recent = state.recent
    if verdict in FAILING:
        streak = state.failure_streak + 1
        first_failure = state.first_failure_at if state.failure_streak else at
        last_ok = state.last_ok_at
        recent = (recent + "f")[-_RECENT:]
    elif verdict is Verdict.OK:
        streak, first_failure, last_ok = 0, None, at
        recent = (recent + "o")[-_RECENT:]
    else:  # inconclusive: the streak neither grows nor resets
        streak, first_failure, last_ok = state.failure_streak, state.first_failure_at, state.last_ok_at
    new = UrlState(result.url, at, verdict, last_ok, first_failure, streak, recent)
    return new, history_of(new, previous, policy)


def history_of(state: UrlState, previous: UrlState | None, policy: DeathPolicy, cached: bool = False) -> History:
    span_days = 0.0
    if state.first_failure_at and state.last_checked_at:
        span_days = (state.last_checked_at - state.first_failure_at).total_seconds() / 86400
    confirmed = state.failure_streak >= policy.dead_after_failures and span_days >= policy.dead_after_days
    changes = sum(1 for a, b in zip(state.recent, state.recent[1:], strict=False) if a != b)
    return History(
        cached=cached,
        last_ok=state.last_ok_at,
        first_failure=state.first_failure_at,
        failure_streak=state.failure_streak,
        confirmed_dead=confirmed,
        flapping=changes >= _FLAP_CHANGES,
        previous_verdict=previous.last_verdict if previous else None,
    )


def cached_history(state: UrlState, policy: DeathPolicy) -> History:
    """History for a URL whose stored result is reused this run (not fetched again)."""
    return replace(history_of(state, None, policy, cached=True), previous_verdict=state.last_verdict)


def is_due(state: UrlState | None, now: dt.datetime, recheck_after: float, recheck_failed_after: float) -> bool:
    """Whether a URL needs fetching now; failures come due sooner than successes."""
    if state is None or state.last_checked_at is None:
        return True
    age = (now - state.last_checked_at).total_seconds()
    limit = recheck_failed_after if state.last_verdict in FAILING else recheck_after
    return age >= limit


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.I)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """Seconds in "20h", "90m", "3d", "45s", "1w" or a bare number of seconds."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 45s, 30m, 20h, 3d, 1w)")
    return float(match.group(1)) * _UNITS[match.group(2).lower()]
