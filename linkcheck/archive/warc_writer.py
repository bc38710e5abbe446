"""WARC/1.1 records, gzip-per-record, written through warcio to any binary file-like object."""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import BinaryIO
from urllib.parse import quote_from_bytes, urlsplit

from linkcheck.archive.target_uri import target_uri
from linkcheck.models import FetchResult, Hop, header_value

ORIGINAL_TRANSFER_ENCODING = "X-Linkcheck-Original-Transfer-Encoding"
ORIGINAL_CONTENT_LENGTH = "X-Linkcheck-Original-Content-Length"
ORIGINAL_REASON = "X-Linkcheck-Original-Reason"
_WARC_DATE = "%Y-%m-%dT%H:%M:%SZ"  # as warcio writes WARC-Date


@dataclass(frozen=True)
class Exchange:
    """One response as received (a redirect hop or the final page) and whether its payload was cut."""

    response: Hop
    truncated: bool = False  # the payload was cut short (max_bytes)

    @property
    def url(self) -> str:
        return self.response.url

    @property
    def status(self) -> int:
        return self.response.status

    @property
    def reason(self) -> str:
        return self.response.reason

    @property
    def http_version(self) -> str:
        return self.response.http_version

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        return self.response.headers

    @property
    def request_headers(self) -> tuple[tuple[str, str], ...]:
        return self.response.request_headers

    @property
    def payload(self) -> bytes:
        """As received, content-encoding intact, chunking undone."""
        return self.response.raw_body

    @cached_property
    def payload_digest(self) -> str:
        """The WARC payload digest (`sha1:` + base32), as warcio writes it; computed once."""
        return sha1_digest(self.payload)

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)


@dataclass(frozen=True)
class Original:
    """The earlier capture an identical payload refers to (for a revisit record)."""

    url: str
    date: str  # its WARC-Date


@dataclass(frozen=True)
class WrittenRecord:
    """Where one record landed in the output, and what an index needs of it."""

    record_type: str  # response | revisit | request | warcinfo
    record_id: str
    url: str
    date: str
    offset: int
    length: int
    digest: str | None = None


def exchanges_of(fetch: FetchResult) -> list[Exchange]:
    """Every response of a download in order: each redirect hop, then the final response."""
    exchanges = [Exchange(hop, _declared_longer(hop.headers, hop.raw_body)) for hop in fetch.redirects]
    final = fetch.response
    if final is not None:
        exchanges.append(Exchange(final, payload_cut(fetch)))
    return exchanges


def _declared_longer(headers: tuple[tuple[str, str], ...], payload: bytes) -> bool:
    declared = _content_length(headers)
    return declared is not None and declared > len(payload)


def payload_cut(fetch: FetchResult) -> bool:
    """Whether the raw payload itself was cut (FetchResult.truncated also covers a decoded body cut)."""
    if _declared_longer(fetch.headers, fetch.raw_body):
        return True
    if not fetch.truncated:
        return False
    codings = [c.strip().lower() for c in (fetch.header("Content-Encoding") or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return True
    if codings in (["gzip"], ["x-gzip"], ["deflate"]):
        return not _complete_stream(fetch.raw_body, codings[0])
    return True  # an encoding we cannot check: assume the cap cut it


def _complete_stream(data: bytes, coding: str) -> bool:
    """Whether a gzip/deflate stream ends properly."""
    if coding == "deflate":
        return stream_ends(data, zlib.MAX_WBITS if data[:1] == b"\x78" else -zlib.MAX_WBITS)
    return stream_ends(data, 47)


def stream_ends(data: bytes, wbits: int) -> bool:
    """Whether a zlib/gzip/deflate stream (by `wbits`, as zlib takes it) ends properly; the output is
    discarded in bounded steps, so a bomb costs no memory. warcio reads a torn member without a word."""
    decompressor = zlib.decompressobj(wbits)
    pending = data
    try:
        while pending and not decompressor.eof:
            decompressor.decompress(pending, 1 << 20)
            pending = decompressor.unconsumed_tail
    except zlib.error:
        return False
    return decompressor.eof


def _content_length(headers: tuple[tuple[str, str], ...]) -> int | None:
    for name, value in headers:
        if name.lower() == "content-length":
            try:
                return int(value.strip())
            except ValueError:
                return None
    return None


def replayable_headers(exchange: Exchange) -> list[tuple[str, str]]:
    """Response headers as received, except framing that no longer matches the stored payload.

    requests/urllib3 undo chunking, so Transfer-Encoding is dropped and Content-Length set to the
    payload stored; likewise for a payload cut at max_bytes. Original values stay in X-Linkcheck-
    headers. Replay tools would otherwise try to de-chunk, or wait for bytes that never come.
    """
    headers: list[tuple[str, str]] = []
    length = str(len(exchange.payload))
    chunked = any(name.lower() == "transfer-encoding" for name, _ in exchange.headers)
    placed = False
    for name, value in exchange.headers:
        lower = name.lower()
        if lower == "transfer-encoding":
            headers.append((ORIGINAL_TRANSFER_ENCODING, value))
            if not placed:
                headers.append(("Content-Length", length))
                placed = True
        elif lower == "content-length" and (chunked or exchange.truncated):
            if value.strip() != length:
                headers.append((ORIGINAL_CONTENT_LENGTH, value))
            if not placed:
                headers.append(("Content-Length", length))
                placed = True
        else:
            headers.append((name, value))
    if exchange.truncated and not placed:
        headers.append(("Content-Length", length))
    return headers


def replayable_reason(reason: str) -> tuple[str, list[tuple[str, str]]]:
    """The reason phrase for the status line, and the header keeping the one received, if changed.

    warcio reads a status line back as UTF-8 where it can, and replay tools must send it on as
    latin-1 (WSGI): pywb answers 500 to `404 Не найдено`. Such a reason goes in the status line
    percent-encoded, and as received (the bytes themselves) in X-Linkcheck-Original-Reason, where
    header values of any bytes replay.
    """
    received = wire_bytes(reason)
    try:
        read_back = received.decode("utf-8")
    except UnicodeDecodeError:
        return reason, []  # read back as latin-1: replays as it came
    if all(ord(ch) < 256 for ch in read_back):
        return reason, []
    return quote_from_bytes(received, safe=" !\"#$&'()*+,-./:;<=>?@[\\]^_`{|}~"), [(ORIGINAL_REASON, reason)]


def request_headers_sent(exchange: Exchange, url: str | None = None) -> list[tuple[str, str]]:
    """The request headers, with the Host header urllib3 adds itself (requests never lists it);
    `url` is target_uri(exchange.url) when the caller has it already."""
    headers = list(exchange.request_headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", urlsplit(url or target_uri(exchange.url)).netloc.rsplit("@", 1)[-1]))
    return headers


def wire_bytes(line: str) -> bytes:
    """One header line as bytes: latin-1 (what was received) where it can be, else UTF-8; never CR or LF."""
    line = line.replace("\r", " ").replace("\n", " ")  # a stray line break would end the header block early
    try:
        return line.encode("latin-1")
    except UnicodeEncodeError:
        return line.encode("utf-8", "surrogatepass")


def warc_date(moment: dt.datetime) -> str:
    """WARC-Date in whole UTC seconds, so the index's 14-digit timestamp gives it back exactly."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime(_WARC_DATE)  # warcio's datetime_to_iso_date, seconds only


class WarcWriter:
    """Writes gzip-per-record WARC/1.1 records to `out`; every date and id is passed in.

    `out` needs write() and tell(); the same inputs always give the same bytes. The records are the
    bytes warcio's WARCWriter writes for the same inputs (same header order, digests, gzip level;
    tests/archive/test_warc_writer.py compares them), built directly: through warcio's record
    builder, a small page's three records cost about 0.4 ms of CPU, most of it header bookkeeping and
    each digest computed twice.
    """

    def __init__(self, out: BinaryIO, id_factory: Callable[[], str]) -> None:
        self.out = out
        self._new_id = id_factory

    def write_warcinfo(self, filename: str, date: str, fields: Mapping[str, str]) -> WrittenRecord:
        """The record that opens a WARC file: which software wrote it, to which format."""
        return self._write_fields("warcinfo", "", date, fields, {"WARC-Filename": filename})

    def write_exchange(
        self, exchange: Exchange, date: str, original: Original | None = None
    ) -> tuple[WrittenRecord, WrittenRecord]:
        """A response (or, when `original` is given, a revisit) record, then its request record."""
        response_id = self._new_id()
        url = target_uri(exchange.url)
        reason, original_reason = replayable_reason(exchange.reason)
        http_headers = http_block(
            f"{exchange.http_version} {exchange.status} {reason}".strip(),
            replayable_headers(exchange) + original_reason,
        )
        digest = exchange.payload_digest
        headers = [("WARC-Type", "response"), ("WARC-Record-ID", response_id), ("WARC-Date", date)]
        if original is not None:
            headers[0] = ("WARC-Type", "revisit")
            headers += [
                ("WARC-Target-URI", url),
                ("WARC-Profile", REVISIT_PROFILE),
                ("WARC-Refers-To-Target-URI", target_uri(original.url)),
                ("WARC-Refers-To-Date", original.date),
                ("WARC-Payload-Digest", digest),
                ("WARC-Block-Digest", block_digest(http_headers)),
            ]
            block: tuple[bytes, ...] = (http_headers,)  # a revisit keeps the headers only
        else:
            if exchange.truncated:
                headers.append(("WARC-Truncated", "length"))
            headers += [
                ("WARC-Target-URI", url),
                ("WARC-Payload-Digest", digest),
                ("WARC-Block-Digest", block_digest(http_headers, exchange.payload)),
            ]
            block = (http_headers, exchange.payload)
        headers.append(("Content-Type", "application/http; msgtype=response"))
        response = self._write(headers, block, headers[0][1], response_id, url, date, digest)

        request_id = self._new_id()
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_line = http_block(f"GET {target} HTTP/1.1", request_headers_sent(exchange, url))
        request_headers = [
            ("WARC-Type", "request"),
            ("WARC-Record-ID", request_id),
            ("WARC-Date", date),
            ("WARC-Concurrent-To", response_id),
            ("WARC-Target-URI", url),
            ("WARC-Payload-Digest", EMPTY_DIGEST),  # a GET has no body
            ("WARC-Block-Digest", block_digest(request_line)),
            ("Content-Type", "application/http; msgtype=request"),
        ]
        request = self._write(request_headers, (request_line,), "request", request_id, url, date)
        return response, request

    def write_metadata(self, url: str, date: str, concurrent_to: str, fields: Mapping[str, str]) -> WrittenRecord:
        """A metadata record (application/warc-fields) about a capture; replay tools skip these."""
        return self._write_fields("metadata", target_uri(url), date, fields, {"WARC-Concurrent-To": concurrent_to})

    def _write_fields(
        self, kind: str, url: str, date: str, fields: Mapping[str, str], extra: Mapping[str, str]
    ) -> WrittenRecord:
        """A record whose block is `name: value` lines (warcinfo, metadata)."""
        body = "".join(f"{name}: {value}\r\n" for name, value in fields.items() if value).encode("utf-8")
        record_id = self._new_id()
        headers = [("WARC-Type", kind), ("WARC-Record-ID", record_id), ("WARC-Date", date), *extra.items()]
        if url:
            headers.append(("WARC-Target-URI", url))
        digest = block_digest(body)
        if kind != "warcinfo":  # a warcinfo record has no payload, as WARC 1.1 defines one
            headers.append(("WARC-Payload-Digest", digest))
        headers += [("WARC-Block-Digest", digest), ("Content-Type", "application/warc-fields")]
        return self._write(headers, (body,), kind, record_id, url, date)

    def _write(
        self,
        headers: list[tuple[str, str]],
        block: tuple[bytes, ...],
        record_type: str,
        record_id: str,
        url: str,
        date: str,
        digest: str | None = None,
    ) -> WrittenRecord:
        """One record as its own gzip member: WARC headers (UTF-8), the block, two line ends."""
        length = sum(len(part) for part in block)
        head = "".join(f"{name}: {value}\r\n" for name, value in headers)
        record = b"".join([f"WARC/1.1\r\n{head}Content-Length: {length}\r\n\r\n".encode(), *block, b"\r\n\r\n"])
        # Level 9, as warcio compresses: the same bytes as its writer's for the same record (one call:
        # the same deflate settings as a compressobj's, without the object).
        member = zlib.compress(record, 9, zlib.MAX_WBITS + 16)
        start = self.out.tell()
        self.out.write(member)
        return WrittenRecord(record_type, record_id, url, date, start, len(member), digest)


REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


def sha1_digest(data: bytes) -> str:
    """A WARC digest: `sha1:` and the base32 of the SHA-1, as warcio writes them."""
    return "sha1:" + base32_of_sha1(hashlib.sha1(data).digest())


def block_digest(*parts: bytes) -> str:
    digester = hashlib.sha1()
    for part in parts:
        digester.update(part)
    return "sha1:" + base32_of_sha1(digester.digest())


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_BASE32_PAIRS = [first + second for first in _BASE32 for second in _BASE32]  # each 10 bits as two letters
_SHIFTS = range(150, -1, -10)


def base32_of_sha1(digest: bytes) -> str:
    """base64.b32encode of a 20-byte digest (32 letters, no padding), as text; b32encode is pure Python
    in 3.11 and four of these a capture took 3% of its time."""
    number = int.from_bytes(digest)
    return "".join([_BASE32_PAIRS[(number >> shift) & 0x3FF] for shift in _SHIFTS])


EMPTY_DIGEST = sha1_digest(b"")


def http_block(first_line: str, headers: list[tuple[str, str]]) -> bytes:
    """An HTTP status or request line and headers as the bytes that came off the wire.

    http.client decodes every header line as latin-1, so encoding back to latin-1 restores the
    bytes the server sent (a UTF-8 reason phrase `Не найдено` included). Text that cannot be latin-1
    (built by hand, not received) is written as UTF-8, which warcio reads back first.
    """
    lines = [first_line, *(f"{name}: {value}" for name, value in headers)]
    return b"".join(wire_bytes(line) + b"\r\n" for line in lines) + b"\r\n"
