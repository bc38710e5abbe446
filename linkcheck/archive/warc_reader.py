"""Reading WARC files back: index entries for their response and revisit records (reindex, recovery)."""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from linkcheck.archive.cdxj_index import IndexEntry, mime_of, url_key
from linkcheck.archive.warc_writer import stream_ends

_GZIP_MAGIC = b"\x1f\x8b\x08"  # a gzip member's first bytes (deflate): where a record may start


@dataclass(frozen=True)
class Damage:
    """A stretch of a WARC file that holds no whole record: bytes lost to a crash or to corruption."""

    filename: str
    offset: int  # the first byte that is not part of a whole record
    end: int  # where the next whole record starts, or the file's size
    reason: str
    end_of_file: bool = False  # nothing whole follows: a write cut short, rather than damage in the middle

    def __str__(self) -> str:
        where = "to the end of the file" if self.end_of_file else f"to offset {self.end}"
        return f"{self.filename}: no whole record from offset {self.offset} {where} ({self.reason})"


@dataclass(frozen=True)
class WarcContents:
    """What a WARC file holds: index entries, and the stretches of it that hold no whole record."""

    entries: list[IndexEntry]
    damage: list[Damage] = field(default_factory=list)


def read_warc(path: Path, filename: str) -> WarcContents:
    """Index entries for every complete response/revisit record of one WARC file.

    At anything that is not a whole record (a torn write, corrupted bytes, not a WARC at all) the
    reading skips ahead to the next gzip member that holds a whole record, and says what it skipped.
    """
    entries: list[IndexEntry] = []
    damage: list[Damage] = []
    size = path.stat().st_size
    position = 0
    with path.open("rb") as stream:
        while position < size:
            stream.seek(position)
            found, whole_end, failure = _read_records(stream, path, filename)
            entries.extend(found)
            if failure is None:
                break
            restart = _next_record(stream, path, whole_end + 1, size)
            damage.append(Damage(filename, whole_end, size if restart is None else restart, failure, restart is None))
            if restart is None:
                break
            position = restart
    return WarcContents(entries, damage)


def read_records(stream: BinaryIO, path: Path, filename: str) -> tuple[list[IndexEntry], int, str | None]:
    """Index entries of the records from the stream's position to the end of the file (carried.py)."""
    return _read_records(stream, path, filename)


def _read_records(stream: BinaryIO, path: Path, filename: str) -> tuple[list[IndexEntry], int, str | None]:
    """Records from the stream's position on: their entries, where the last whole one ends, and
    why reading stopped early (None at a clean end of file)."""
    entries: list[IndexEntry] = []
    capture: list[tuple[str, int]] = []  # (record id, position in entries) since the last metadata record
    end = stream.tell()
    last: tuple[int, int] | None = None
    failure: str | None = None
    records = ArchiveIterator(stream, arc2warc=False)
    try:
        for record in records:
            fields = record_fields(record.content_stream().read()) if record.rec_type == "metadata" else {}
            records.read_to_end()
            offset, length = records.get_record_offset(), records.get_record_length()
            last = (offset, length)
            end = offset + length
            headers = record.rec_headers
            if record.rec_type == "metadata" and "readable-copy" in fields:
                # linkcheck's record closing a capture: the copy is the cited URL's and the final page's
                final_id = headers.get_header("WARC-Concurrent-To")
                cited = fields.get("cited-url") or headers.get_header("WARC-Target-URI")
                for record_id, position in capture:
                    if record_id == final_id or entries[position].url == cited:
                        entries[position] = replace(entries[position], page=fields["readable-copy"])
                capture = []
                continue
            if record.rec_type not in ("response", "revisit"):
                continue
            capture.append((headers.get_header("WARC-Record-ID") or "", len(entries)))
            entries.append(_entry(record, filename, offset, length))
    except Exception as exc:  # noqa: BLE001 - warcio raises anything on bad bytes (a torn header block: AttributeError)
        failure = _why(exc)
    if last is not None and not _whole_member(path, *last):
        # warcio reads a gzip member cut short without complaint: the last record is not whole
        end = last[0]
        entries = [entry for entry in entries if entry.offset != last[0]]
        failure = failure or "a record cut short"
    if failure is None and end < os.fstat(stream.fileno()).st_size:
        failure = "a record cut short"  # warcio also ends quietly at a member torn before its headers
    return entries, end, failure


def _why(exc: BaseException) -> str:
    """A short reason for a failed read (warcio's messages quote the bytes it choked on)."""
    if isinstance(exc, ArchiveLoadFailed):
        return "not a WARC record"
    if isinstance(exc, zlib.error):
        return "corrupt compressed data"
    if isinstance(exc, EOFError):
        return "a record cut short"
    return f"unreadable record ({type(exc).__name__})"


def _next_record(stream: BinaryIO, path: Path, start: int, size: int) -> int | None:
    """The offset of the next gzip member from `start` on that holds a whole WARC record, if any."""
    chunk = 1 << 20
    at = start
    while at < size:
        stream.seek(at)
        data = stream.read(chunk + 2)
        found = data.find(_GZIP_MAGIC)
        while found >= 0:
            candidate = at + found
            if _is_record(stream, path, candidate):
                return candidate
            found = data.find(_GZIP_MAGIC, found + 1)
        at += chunk
    return None


def _is_record(stream: BinaryIO, path: Path, offset: int) -> bool:
    """Whether a whole gzip member starting at offset holds a WARC record header."""
    stream.seek(offset)
    decompressor = zlib.decompressobj(zlib.MAX_WBITS + 16)
    try:
        head = decompressor.decompress(stream.read(4096), 16)
    except zlib.error:
        return False
    if not head.startswith(b"WARC/"):
        return False
    stream.seek(offset)
    records = ArchiveIterator(stream, arc2warc=False)
    try:
        next(iter(records))
        records.read_to_end()
        length = records.get_record_length()
    except Exception:  # noqa: BLE001 - as in _read_records: any failure means no whole record here
        return False
    return _whole_member(path, offset, length)


def _entry(record: ArcWarcRecord, filename: str, offset: int, length: int) -> IndexEntry:
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI") or ""
    digest = (headers.get_header("WARC-Payload-Digest") or "-").removeprefix("sha1:")
    status: int | None = None
    if record.rec_type == "revisit":
        mime = "warc/revisit"
    else:
        http = record.http_headers
        mime = mime_of(http.get_header("Content-Type") if http else None)
        code = http.get_statuscode() if http else None
        status = int(code) if code and code.isdigit() else None
    timestamp = _timestamp(headers.get_header("WARC-Date") or "")
    return IndexEntry(url_key(url), timestamp, url, mime, status, digest, length, offset, filename)


def _whole_member(path: Path, offset: int, length: int) -> bool:
    """Whether the gzip member at offset ends properly (warcio reads a torn one without complaint)."""
    with path.open("rb") as stream:
        stream.seek(offset)
        return stream_ends(stream.read(length), zlib.MAX_WBITS + 16)


def record_fields(body: bytes) -> dict[str, str]:
    """`name: value` lines of an application/warc-fields block."""
    fields = {}
    for line in body.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


def _timestamp(warc_date: str) -> str:
    digits = "".join(ch for ch in warc_date if ch.isdigit())
    return digits[:14].ljust(14, "0")
