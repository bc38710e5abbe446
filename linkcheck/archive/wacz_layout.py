"""Where each capture lies in a WARC file, so a package can take some captures of a file and not others.

linkcheck appends a capture's records in one write and closes it with a metadata record naming the
cited URL (archive.py), one gzip member per record: a capture is one stretch of bytes, and copying
the stretches of the selected captures after the file's warcinfo gives a valid WARC file whose
records are byte for byte the archive's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from linkcheck.archive.warc_reader import record_fields
from linkcheck.html_tags import first_named, get_text
from linkcheck.pages import charset_of, parse_html

TITLE_BYTES = 2_000_000  # a page's <title> is near its start; a 50 MB page is not parsed whole for it


@dataclass(frozen=True)
class RecordInfo:
    """One record of a WARC file: where it is and what the package needs to know of it."""

    offset: int
    length: int
    rec_type: str
    url: str
    record_id: str
    date: str  # WARC-Date
    digest: str  # payload digest without "sha1:", "-" if none
    refers_to_url: str | None = None  # a revisit's original
    refers_to_date: str | None = None


@dataclass(frozen=True)
class CaptureSpan:
    """The records of one capture: bytes [start, end) of its WARC file, closed by linkcheck's metadata record."""

    filename: str
    start: int
    end: int
    records: tuple[RecordInfo, ...]
    cited_url: str
    date: str  # when it was captured (the metadata record's WARC-Date)
    final_id: str | None  # the record of the page the cited URL led to (after redirects)

    def holds(self, offset: int) -> bool:
        return self.start <= offset < self.end

    @property
    def final(self) -> RecordInfo | None:
        """The response or revisit of the final page (the last one, if the metadata does not name it)."""
        payloads = [record for record in self.records if record.rec_type in ("response", "revisit")]
        named = [record for record in payloads if record.record_id == self.final_id]
        found = named or payloads[-1:]
        return found[0] if found else None


@dataclass
class WarcLayout:
    """A WARC file cut into its leading warcinfo, its captures, and anything else (a capture not
    closed, a damaged stretch) that only a whole copy of the file carries."""

    filename: str
    size: int
    header_end: int = 0
    captures: list[CaptureSpan] = field(default_factory=list)
    unclosed: bool = False  # bytes after the last capture: records of an unfinished capture, or damage


def read_layout(path: Path, filename: str) -> WarcLayout:
    """The captures of one WARC file, in file order; reading stops at the first damaged record."""
    layout = WarcLayout(filename, path.stat().st_size)
    pending: list[RecordInfo] = []
    start = 0
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, arc2warc=False)
        try:
            for record in records:
                fields = record_fields(record.content_stream().read()) if record.rec_type == "metadata" else {}
                records.read_to_end()
                info = _info(record.rec_headers, records.get_record_offset(), records.get_record_length())
                end = info.offset + info.length
                if record.rec_type == "warcinfo" and not layout.captures and not pending:
                    layout.header_end = start = end
                    continue
                if record.rec_type == "metadata" and "readable-copy" in fields:
                    cited = fields.get("cited-url") or info.url
                    concurrent = record.rec_headers.get_header("WARC-Concurrent-To")
                    span = CaptureSpan(filename, start, end, tuple(pending), cited, info.date, concurrent)
                    layout.captures.append(span)
                    pending, start = [], end
                    continue
                pending.append(info)
        except Exception:  # noqa: BLE001 - warcio raises anything on bad bytes; what follows is damage
            layout.unclosed = True
    if start < layout.size:
        layout.unclosed = True
    return layout


def _info(headers: object, offset: int, length: int) -> RecordInfo:
    get = headers.get_header  # type: ignore[attr-defined]
    return RecordInfo(
        offset=offset,
        length=length,
        rec_type=get("WARC-Type") or "",
        url=get("WARC-Target-URI") or "",
        record_id=get("WARC-Record-ID") or "",
        date=get("WARC-Date") or "",
        digest=(get("WARC-Payload-Digest") or "-").removeprefix("sha1:"),
        refers_to_url=get("WARC-Refers-To-Target-URI"),
        refers_to_date=get("WARC-Refers-To-Date"),
    )


def page_title(path: Path, offset: int) -> str | None:
    """The <title> of the HTML page in the response record at `offset`, if it is one and has one."""
    with path.open("rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream, arc2warc=False)), None)
        if record is None or record.rec_type != "response" or record.http_headers is None:
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
        if "html" not in content_type.lower():
            return None
        body = record.content_stream().read(TITLE_BYTES)
    title_tag = first_named(parse_html(body, charset_of(content_type)), "title")
    title = get_text(title_tag, " ", strip=True) if title_tag is not None else ""
    return " ".join(title.split()) or None
