"""Captures that travel between archives: taken out of the archive that made them (a worker's private one,
when it cannot reach the shared folder) and adopted by the archive that keeps them (the coordinator's).

The records travel as written (gzip members, one capture's append), so the adopting archive appends them
byte for byte to a WARC file of its own and indexes them as it indexes its own; the readable copy travels as
its files, its meta.json pointed at the records' new place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from linkcheck.archive.json_text import indented_json
from linkcheck.archive.paths import COPY_COMPLETE, inside
from linkcheck.models import CarriedCapture, Snapshot


def read_span(warc: Path, start: int, length: int) -> bytes:
    with warc.open("rb") as handle:
        handle.seek(start)
        return handle.read(length)


def copy_files(folder: Path) -> tuple[tuple[str, bytes], ...]:
    """Every file of a readable copy (its requisites' too), by path relative to its folder; meta.json last."""
    found = sorted(
        (path.relative_to(folder).as_posix(), path.read_bytes()) for path in folder.rglob("*") if path.is_file()
    )
    return tuple(sorted(found, key=lambda item: item[0] == COPY_COMPLETE))


def carried(snapshot: Snapshot, warc: Path, start: int, length: int) -> CarriedCapture:
    """The capture whose records are `length` bytes at `start` of `warc`, with its readable copy."""
    assert snapshot.offset is not None
    folder = Path(snapshot.page) if snapshot.page else None
    files = copy_files(folder) if folder is not None and folder.is_dir() else ()
    return CarriedCapture(snapshot, read_span(warc, start, length), snapshot.offset - start, files)


def moved_meta(content: bytes, warc_name: str, shift: int) -> bytes:
    """A copy's meta.json with its WARC file and offsets moved to where the adopting archive put the records."""
    meta: dict[str, Any] = json.loads(content)
    meta["warc"] = f"warc/{warc_name}"
    if isinstance(meta.get("offset"), int):
        meta["offset"] += shift
    for hop in meta.get("redirects") or []:
        if isinstance(hop, dict) and isinstance(hop.get("offset"), int):
            hop["offset"] += shift
    return indented_json(meta)


def safe_file(folder: Path, relative: str) -> Path:
    """Where a travelling copy's file goes: inside its folder, or ValueError (a path that climbs out)."""
    target = folder / relative
    if relative.startswith("/") or ".." in Path(relative).parts or not inside(folder, target):
        raise ValueError(f"a carried copy's file {relative!r} is outside its folder")
    return target
