"""Pure rules for a URL's history: failure streaks, confirmed death, flapping, due rechecks.

A single failure is not death: a URL is confirmed dead only after `dead_after_failures`
consecutive failing checks spanning at least `dead_after_days`, as bots that maintain
citations at scale do. Blocked and rate-limited answers are inconclusive and neither
extend nor reset a streak.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from linkcheck.builders import positional
from linkcheck.models import FAILING, CheckResult, History, Verdict

_RECENT = 8  # outcomes remembered for flapping ("o" ok, "f" failing)
_FLAP_CHANGES = 3  # ok<->failing changes among them that make a URL flapping


class UrlState(NamedTuple):
    """What the store keeps per URL between runs (a named tuple: a rerun reads 100,000 of them, and a
    tuple is made several times faster than a frozen dataclass)."""

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


def is_confirmed_dead(state: UrlState, policy: DeathPolicy) -> bool:
    """Failed `dead_after_failures` checks in a row, spanning `dead_after_days` from the first failure
    to the last check. The span ends at the last check, not now: a URL nobody has looked at since
    has not been seen failing for longer."""
    if state.failure_streak < policy.dead_after_failures or not state.first_failure_at or not state.last_checked_at:
        return False
    span_days = (state.last_checked_at - state.first_failure_at).total_seconds() / 86400
    return span_days >= policy.dead_after_days


def history_of(state: UrlState, previous: UrlState | None, policy: DeathPolicy, cached: bool = False) -> History:
    return _history(state, previous.last_verdict if previous else None, policy, cached)


def _history(state: UrlState, previous_verdict: Verdict | None, policy: DeathPolicy, cached: bool) -> History:
    recent = state.recent
    changes = sum(1 for a, b in zip(recent, recent[1:], strict=False) if a != b) if len(recent) > _FLAP_CHANGES else 0
    dead = state.failure_streak >= policy.dead_after_failures and is_confirmed_dead(state, policy)
    # Every field, in History's order: a rerun makes one per reused URL.
    return _new_history(
        cached,
        state.last_ok_at,
        state.first_failure_at,
        state.failure_streak,
        dead,
        changes >= _FLAP_CHANGES,
        previous_verdict,
    )


_new_history = positional(History)


def cached_history(state: UrlState, policy: DeathPolicy) -> History:
    """History for a URL whose stored result is reused this run (not fetched again)."""
    return _history(state, state.last_verdict, policy, cached=True)


def is_due(state: UrlState | None, now: dt.datetime, recheck_after: float, recheck_failed_after: float) -> bool:
    """Whether a URL needs fetching now; failures come due sooner than successes."""
    if state is None or state.last_checked_at is None:
        return True
    age = (now - state.last_checked_at).total_seconds()
    limit = recheck_failed_after if state.last_verdict in FAILING else recheck_after
    return age >= limit
