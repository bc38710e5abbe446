"""What archiving one download produced: a snapshot, or why there is none, and any content drift."""

from __future__ import annotations

from dataclasses import dataclass

from linkcheck.models import Snapshot


@dataclass(frozen=True)
class Drift:
    """The page's main text moved away from its previous capture's (similarity below the threshold)."""

    similarity: float  # 0.0 (nothing shared) .. 1.0 (same text)
    previous_captured_at: str  # WARC-Date of the capture compared with
    captured_at: str


@dataclass(frozen=True)
class Capture:
    """The outcome of Archive.capture(): a snapshot, or the reason nothing was archived."""

    snapshot: Snapshot | None
    skipped_reason: str | None = None
    drift: Drift | None = None
