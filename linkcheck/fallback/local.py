"""linkcheck's own archive as a source of archived copies: earlier captures of a URL, read from disk.

A capture is a candidate when its download ended in a 200; its readable copy (page.html or the
payload) and meta.json (status, final URL, headers, redirects) give back the page to verify.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkcheck.archive import list_captures
from linkcheck.fallback.candidates import Candidate, Listing, Side, from_stamp14
from linkcheck.models import FetchResult, Hop

NAME = "local"
_READABLE = ("page.html", "text.txt")


@dataclass(frozen=True)
class _Copy:
    folder: Path
    meta: dict[str, Any]


class LocalIndex:
    """Captures of a URL in the local archive under `root` whose download ended in a 200."""

    name = NAME

    def __init__(self, root: Path) -> None:
        self.root = root

    def captures(self, url: str, target: dt.datetime, side: Side) -> Listing:
        try:
            entries = list_captures(self.root, url)
        except (OSError, ValueError) as exc:
            return Listing(error=f"the local archive's index cannot be read: {exc}")
        candidates: dict[Path, Candidate] = {}
        for entry in entries:
            folder = entry.page_path(self.root)
            moment = from_stamp14(entry.timestamp)
            if folder is None or moment is None or folder in candidates:
                continue
            copy = _read_meta(folder)
            if copy is None or copy.meta.get("status") != 200:
                continue  # a capture of an error or a redirect's end that failed is never the copy
            if (side is Side.BEFORE) != (moment <= target):
                continue
            candidates[folder] = Candidate(NAME, moment, str(_opened_file(copy)), page_dir=folder, status=200)
        ordered = sorted(candidates.values(), key=lambda c: c.archived_at, reverse=side is Side.BEFORE)
        return Listing(ordered)


def _read_meta(folder: Path) -> _Copy | None:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # still being written, or damaged: not a capture to offer
    return _Copy(folder, meta) if isinstance(meta, dict) else None


def _opened_file(copy: _Copy) -> Path:
    """The file a person opens: page.html, else the payload as received, else text.txt."""
    files = [str(name) for name in copy.meta.get("files") or ()]
    payloads = [name for name in files if name.startswith("payload.")]
    for name in ("page.html", *payloads, "text.txt"):
        if name in files or (copy.folder / name).is_file():
            return copy.folder / name
    return copy.folder


def local_page(candidate: Candidate, cited_url: str) -> FetchResult | None:
    """The captured page as a download of `cited_url` (for verification), or None if it cannot be read."""
    if candidate.page_dir is None:
        return None
    copy = _read_meta(candidate.page_dir)
    if copy is None:
        return None
    try:
        body = Path(candidate.url).read_bytes() if Path(candidate.url).is_file() else b""
    except OSError:
        return None
    meta = copy.meta
    headers = tuple((str(pair[0]), str(pair[1])) for pair in meta.get("headers") or () if len(pair) == 2)
    if Path(candidate.url).name in _READABLE:
        # The readable copy is written as UTF-8 whatever the page's charset.
        headers = tuple(pair for pair in headers if pair[0].lower() != "content-type")
        kind = "text/html" if Path(candidate.url).suffix == ".html" else "text/plain"
        headers += (("Content-Type", f"{kind}; charset=utf-8"),)
    redirects = tuple(
        Hop(str(hop.get("url", "")), int(hop.get("status") or 0))
        for hop in meta.get("redirects") or ()
        if isinstance(hop, dict)
    )
    return FetchResult(
        url=str(meta.get("url") or cited_url),
        final_url=str(meta.get("final_url") or meta.get("url") or cited_url),
        status=int(meta.get("status") or 0),
        headers=headers,
        body=body,
        redirects=redirects,
    )
