"""Captures an archive lists for a URL, before or after the target date: what the chooser tries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol


class Side(Enum):
    """Which captures are asked for: up to the target date, or after it."""

    BEFORE = "before"
    AFTER = "after"


@dataclass(frozen=True)
class Candidate:
    """One capture worth verifying: where a person opens it, and where its raw bytes are fetched."""

    archive: str  # "local", "web.archive.org", or a Memento archive's host
    archived_at: dt.datetime  # UTC
    url: str  # what a person opens: the playback URL, or the local readable copy's path
    raw_url: str | None = None  # fetched to verify it; None for a local capture (read from disk)
    page_dir: Path | None = None  # a local capture's readable-copy folder
    status: int | None = None  # the archived status when the index says (CDX); None: learnt on fetching

    @property
    def is_local(self) -> bool:
        return self.raw_url is None


@dataclass(frozen=True)
class Listing:
    """What one index answered: its candidates, closest to the target first, or why it could not answer."""

    candidates: list[Candidate] = field(default_factory=list)
    error: str | None = None


class CaptureIndex(Protocol):
    """An archive's list of captures (the local archive, the Wayback CDX API, a Memento TimeMap)."""

    name: str

    def captures(self, url: str, target: dt.datetime, side: Side) -> Listing: ...


def stamp14(moment: dt.datetime) -> str:
    """A moment as the 14 digits archives key captures by (UTC)."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")


def from_stamp14(stamp: str) -> dt.datetime | None:
    """The UTC moment of a 14-digit (or shorter, padded) archive timestamp; None if it is not one."""
    digits = stamp.strip()
    if not digits.isascii() or not digits.isdigit() or not 4 <= len(digits) <= 14:
        return None
    digits = digits + "0101000000"[len(digits) - 4 :] if len(digits) < 14 else digits
    try:
        return dt.datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def closest_first(candidates: list[Candidate], target: dt.datetime) -> list[Candidate]:
    """Candidates ordered by their distance to the target (stable: ties keep the archives' order)."""
    return sorted(candidates, key=lambda candidate: abs((candidate.archived_at - target).total_seconds()))
