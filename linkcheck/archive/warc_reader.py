"""Reading WARC files back: index entries for their response and revisit records (reindex, recovery)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from linkcheck.archive.cdxj_index import IndexEntry, mime_of, url_key


@dataclass(frozen=True)
class WarcContents:
    """What a WARC file holds: index entries, and where its last whole record ends."""

    entries: list[IndexEntry]
    whole_length: int  # bytes up to the end of the last complete record; the rest is a torn write


def read_warc(path: Path, filename: str) -> WarcContents:
    """Index entries for every complete response/revisit record of one WARC file.

    Reading stops at the first thing that is not a record (a torn write, or not a WARC at all).
    """
    entries: list[IndexEntry] = []
    capture: list[tuple[str, int]] = []  # (record id, position in entries) since the last metadata record
    end = 0
    last: tuple[int, int] | None = None
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, arc2warc=False)
        try:
            for record in records:
                fields = _fields(record.content_stream().read()) if record.rec_type == "metadata" else {}
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
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error):
            pass  # the rest is not a whole record
    if last is not None and not _whole_member(path, *last):
        end = last[0]
        entries = [entry for entry in entries if entry.offset != last[0]]
    return WarcContents(entries, end)


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
        data = stream.read(length)
    decompressor = zlib.decompressobj(zlib.MAX_WBITS + 16)
    try:
        while data and not decompressor.eof:
            decompressor.decompress(data, 1 << 20)
            data = decompressor.unconsumed_tail
    except zlib.error:
        return False
    return decompressor.eof


def _fields(body: bytes) -> dict[str, str]:
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
