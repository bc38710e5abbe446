"""One lookup per cited URL: the archives to ask, and how a capture from each is examined."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from linkcheck.fallback.candidates import Candidate, CaptureIndex, stamp14
from linkcheck.fallback.cdx import WaybackIndex
from linkcheck.fallback.choose import Examination, choose_copy
from linkcheck.fallback.local import LocalIndex, local_page
from linkcheck.fallback.memento import MementoIndex
from linkcheck.fallback.politeness import PoliteClient, Reply
from linkcheck.fallback.verify import Reference, capture_text, rejection
from linkcheck.models import ArchivedCopy, FetchResult, header_value
from linkcheck.settings import FallbackSettings


@dataclass(frozen=True)
class LookupRequest:
    """What to find for one cited URL: a copy as close as possible before `target`, about `reference`."""

    url: str
    target: dt.datetime  # UTC: the end of the article's publication day, the first sighting, or now
    target_key: str  # how the cache knows this target: YYYY-MM-DD, or "latest" when it is now
    reference: Reference = field(default_factory=Reference)
    # Local captures made while the live check found the page lost (14-digit stamp -> why, in words).
    unfit: Mapping[str, str] = field(default_factory=dict)


class Archives:
    """The archives of one run (local, Wayback, Memento TimeMaps), all asked through one polite client."""

    def __init__(self, settings: FallbackSettings, client: PoliteClient, archive_root: Path | None) -> None:
        self.settings = settings
        self.client = client
        self.indexes: list[CaptureIndex] = []
        if archive_root is not None:
            self.indexes.append(LocalIndex(archive_root))
        if settings.wayback:
            self.indexes.append(WaybackIndex(settings.wayback, self._get, settings.max_candidates))
        self.indexes += [MementoIndex(prefix, self._get) for prefix in settings.memento]

    def _get(self, url: str) -> Reply:
        return self.client.request(url)

    def look_up(self, request: LookupRequest) -> ArchivedCopy:
        """The copy chosen for one URL (found, none, or lookup-failed)."""
        return choose_copy(
            request.url,
            request.target,
            self.indexes,
            lambda candidate: self.examine(candidate, request),
            self.settings.max_candidates,
        )

    def examine(self, candidate: Candidate, request: LookupRequest) -> Examination:
        """Read or fetch one capture and judge it with the rules that judge live pages."""
        if candidate.is_local:
            page = local_page(candidate, request.url)
            if page is None:
                return Examination(error=f"the capture at {candidate.url} cannot be read", fetched=False)
            unfit = request.unfit.get(stamp14(candidate.archived_at))
            if unfit is not None:
                return Examination(reason=f"captured while {unfit}", fetched=False)
            return _judged(page, request.reference, fetched=False)
        assert candidate.raw_url is not None
        reply = self.client.request(candidate.raw_url)
        if reply.fetch is None:
            return Examination(error=reply.failure)
        page, reason, error = _as_capture(reply.fetch, request.url, candidate)
        if error is not None:
            return Examination(error=error)
        if reason is not None:
            return Examination(reason=reason)
        assert page is not None
        return _judged(page, request.reference)


def _judged(page: FetchResult, reference: Reference, fetched: bool = True) -> Examination:
    """The verification of one capture; one that passes keeps its main text (quotes are compared with it)."""
    reason = rejection(page, reference)
    if reason is not None:
        return Examination(reason=reason, fetched=fetched)
    return Examination(fetched=fetched, text=capture_text(page))


def _as_capture(
    got: FetchResult, cited: str, candidate: Candidate
) -> tuple[FetchResult | None, str | None, str | None]:
    """(the capture as a download of the cited URL, a reason to reject it, an error) from a raw fetch."""
    if got.redirects:
        first = got.redirects[0]
        if header_value(first.headers, "Memento-Datetime") is not None:
            return None, f"archived status {first.status} (a captured redirect is never the copy)", None
        return None, f"the archive sent another capture instead ({got.final_url})", None
    if got.status != 200:
        if got.header("Memento-Datetime") is not None and candidate.status is None:
            return None, f"archived status {got.status}", None
        return None, None, f"a listed capture could not be fetched: HTTP {got.status} {got.reason}".strip()
    page = FetchResult(cited, cited, 200, got.reason, headers=got.headers, body=got.body, truncated=got.truncated)
    return page, None, None
