"""Choosing the copy: the closest capture before the target date that passes verification, else the
closest after it; every capture examined and not chosen is listed with its reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from linkcheck.fallback.candidates import Candidate, CaptureIndex, Side, closest_first
from linkcheck.models import ArchivedCopy, CopyStatus, PageText, RejectedCapture


@dataclass(frozen=True)
class Examination:
    """What looking at one capture showed: it passed, it was rejected (reason), or it could not be read (error)."""

    reason: str | None = None
    error: str | None = None
    fetched: bool = True  # a request was spent on it (local captures are read from disk)
    text: PageText | None = None  # a capture that passed: its main text, for quotes

    @property
    def passed(self) -> bool:
        return self.reason is None and self.error is None


def choose_copy(
    url: str,
    target: dt.datetime,
    indexes: Sequence[CaptureIndex],
    examine: Callable[[Candidate], Examination],
    max_fetches: int,
) -> ArchivedCopy:
    """Ask each index for captures up to the target date and verify them, closest first (the local
    archive's first: a capture linkcheck made while the page was good is the best copy); if none
    passes, do the same after the target date. At most `max_fetches` captures are fetched (and as
    many local ones read, per side).

    found: a capture passed. lookup-failed: none passed and an index could not answer or a listed
    capture could not be fetched (another try may find one). none: every archive answered, no copy.
    """
    rejected: list[RejectedCapture] = []
    errors: list[str] = []
    fetches = 0
    for side in (Side.BEFORE, Side.AFTER):
        local: list[Candidate] = []
        remote: list[Candidate] = []
        for index in indexes:
            listing = index.captures(url, target, side)
            if listing.error is not None:
                errors.append(f"{index.name}: {listing.error}")
            for candidate in listing.candidates:
                (local if candidate.is_local else remote).append(candidate)
        # Local captures cost no request, but a URL captured at every run would list hundreds.
        for candidate in [*local[:max_fetches], *closest_first(remote, target)]:
            if not candidate.is_local and fetches >= max_fetches:
                break
            examined = examine(candidate)
            fetches += examined.fetched
            if examined.error is not None:
                errors.append(f"{candidate.archive}: {examined.error}")
                continue
            if examined.reason is None:
                return ArchivedCopy(
                    CopyStatus.FOUND,
                    url=candidate.url,
                    archived_at=candidate.archived_at,
                    archive=candidate.archive,
                    before_target=side is Side.BEFORE,
                    verified=True,
                    rejected=tuple(rejected),
                    page=examined.text,
                )
            rejected.append(RejectedCapture(candidate.url, candidate.archived_at, examined.reason))
    if errors:
        return ArchivedCopy(CopyStatus.LOOKUP_FAILED, rejected=tuple(rejected), error="; ".join(_unique(errors)))
    return ArchivedCopy(CopyStatus.NONE, rejected=tuple(rejected))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
