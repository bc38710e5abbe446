"""WARC records for one exchange: framing made replayable, truncation, request headers, determinism."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import io
import itertools
import random
import zlib
from collections.abc import Iterator
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from linkcheck.archive.target_uri import target_uri
from linkcheck.archive.warc_writer import (
    Exchange,
    Original,
    WarcWriter,
    base32_of_sha1,
    payload_cut,
    replayable_headers,
    replayable_reason,
    request_headers_sent,
    warc_date,
    wire_bytes,
)
from linkcheck.models import FetchResult, Hop


def exchange(headers: tuple[tuple[str, str], ...], payload: bytes = b"hello", truncated: bool = False) -> Exchange:
    return Exchange(
        Hop("http://example.org/a?b=1", 200, "OK", "HTTP/1.1", headers, (("User-Agent", "t"),), payload), truncated
    )


def test_chunked_framing_becomes_a_content_length() -> None:
    headers = replayable_headers(
        exchange((("Content-Type", "text/html"), ("Transfer-Encoding", "chunked"), ("X-After", "1")))
    )
    assert headers == [
        ("Content-Type", "text/html"),
        ("X-Linkcheck-Original-Transfer-Encoding", "chunked"),
        ("Content-Length", "5"),
        ("X-After", "1"),
    ]


def test_truncated_payload_gets_its_stored_length() -> None:
    headers = replayable_headers(exchange((("Content-Length", "900"),), b"x" * 100, truncated=True))
    assert headers == [("X-Linkcheck-Original-Content-Length", "900"), ("Content-Length", "100")]


def test_plain_headers_are_untouched() -> None:
    original = (("Content-Length", "5"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"))
    assert replayable_headers(exchange(original)) == list(original)


def test_host_header_is_added_as_urllib3_sends_it() -> None:
    assert request_headers_sent(exchange(())) == [("Host", "example.org"), ("User-Agent", "t")]
    with_port = Exchange(Hop("http://u:p@example.org:8080/", 200, "", "HTTP/1.1", (), (), b""))
    assert request_headers_sent(with_port) == [("Host", "example.org:8080")]


def download(raw: bytes, encoding: str | None, truncated: bool, length: str | None = None) -> FetchResult:
    headers = [("Content-Type", "text/plain")]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    if length:
        headers.append(("Content-Length", length))
    return FetchResult(
        "http://e.org/", "http://e.org/", status=200, headers=tuple(headers), raw_body=raw, truncated=truncated
    )


def test_payload_cut_tells_a_raw_cut_from_a_decoded_cut() -> None:
    whole = gzip.compress(random.Random(1).randbytes(10_000))
    assert payload_cut(download(whole, "gzip", truncated=True)) is False  # only the decoded body was capped
    assert payload_cut(download(whole[:50], "gzip", truncated=True)) is True
    deflated = zlib.compress(b"b" * 10_000)
    assert payload_cut(download(deflated, "deflate", truncated=True)) is False
    assert payload_cut(download(b"x" * 10, None, truncated=True)) is True
    assert payload_cut(download(b"x" * 10, None, truncated=False, length="20")) is True
    assert payload_cut(download(b"x" * 10, "br", truncated=True)) is True
    assert payload_cut(download(b"x" * 10, None, truncated=False)) is False


def test_writer_output_depends_only_on_its_inputs() -> None:
    def write() -> bytes:
        counter = itertools.count()
        out = io.BytesIO()
        writer = WarcWriter(out, lambda: f"<urn:uuid:{next(counter)}>")
        writer.write_warcinfo("f.warc.gz", "2025-03-14T12:00:00Z", {"software": "test"})
        ex = exchange((("Content-Type", "text/html"),))
        writer.write_exchange(ex, "2025-03-14T12:00:00Z")
        writer.write_exchange(ex, "2025-03-15T12:00:00Z", Original(ex.url, "2025-03-14T12:00:00Z"))
        writer.write_metadata(ex.url, "2025-03-15T12:00:00Z", "<urn:uuid:3>", {"readable-copy": "pages/x"})
        return out.getvalue()

    first = write()
    assert first == write()
    text = b"".join(gzip.decompress(first).split(b"\r\n\r\n\r\n"))  # every member is a whole gzip stream
    assert text.count(b"WARC/1.1\r\n") == 6


def test_records_report_where_they_landed() -> None:
    out = io.BytesIO(b"prefix")
    out.seek(0, io.SEEK_END)
    writer = WarcWriter(out, lambda: "<urn:uuid:x>")
    response, request = writer.write_exchange(exchange(()), "2025-03-14T12:00:00Z")
    assert response.offset == 6 and request.offset == response.offset + response.length
    assert out.tell() == request.offset + request.length
    assert response.digest == "sha1:" + "VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N"  # sha1(b"hello"), base32


class _AsReceived(StatusAndHeaders):  # type: ignore[misc]
    """warcio's headers, written as the bytes received (what the writer did through warcio)."""

    def compute_headers_buffer(self, header_filter: object = None) -> None:
        lines = [f"{self.protocol} {self.statusline}".strip(), *(f"{name}: {value}" for name, value in self.headers)]
        self.headers_buff = b"".join(wire_bytes(line) + b"\r\n" for line in lines) + b"\r\n"


def _through_warcio(exchanges: list[tuple[Exchange, Original | None]], ids: Iterator[str]) -> bytes:
    """The same records written by warcio's own WARCWriter: the reference our writer must match byte for byte."""
    out = io.BytesIO()
    warcio = WARCWriter(out, gzip=True, warc_version="1.1")
    date = "2025-03-14T12:00:00Z"

    def fields(kind: str, url: str, body: bytes, extra: dict[str, str]) -> None:
        headers = {"WARC-Type": kind, "WARC-Record-ID": next(ids), "WARC-Date": date, **extra}
        record = warcio.create_warc_record(
            url, kind, payload=io.BytesIO(body), length=len(body), warc_headers_dict=headers
        )
        warcio.write_record(record)

    fields("warcinfo", "", b"software: test\r\nformat: WARC File Format 1.1\r\n", {"WARC-Filename": "f.warc.gz"})
    for ex, original in exchanges:
        response_id, url = next(ids), target_uri(ex.url)
        reason, kept = replayable_reason(ex.reason)
        http = _AsReceived(f"{ex.status} {reason}".rstrip(), replayable_headers(ex) + kept, protocol=ex.http_version)
        headers = {"WARC-Type": "response", "WARC-Record-ID": response_id, "WARC-Date": date}
        if original is not None:
            headers["WARC-Type"] = "revisit"
            record = warcio.create_revisit_record(
                url,
                ex.payload_digest,
                target_uri(original.url),
                original.date,
                http_headers=http,
                warc_headers_dict=headers,
            )
        else:
            if ex.truncated:
                headers["WARC-Truncated"] = "length"
            record = warcio.create_warc_record(
                url, "response", payload=io.BytesIO(ex.payload), length=len(ex.payload),
                warc_headers_dict=headers, http_headers=http,
            )  # fmt: skip
        warcio.write_record(record)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = _AsReceived(f"GET {target} HTTP/1.1", request_headers_sent(ex), is_http_request=True)
        request_headers = {"WARC-Type": "request", "WARC-Record-ID": next(ids), "WARC-Date": date}
        request_headers["WARC-Concurrent-To"] = response_id
        warcio.write_record(
            warcio.create_warc_record(url, "request", warc_headers_dict=request_headers, http_headers=request)
        )
    fields(
        "metadata",
        target_uri(exchanges[0][0].url),
        b"readable-copy: pages/x\r\n",
        {"WARC-Concurrent-To": "<urn:uuid:1>"},
    )
    return out.getvalue()


def test_records_are_the_bytes_warcio_writes() -> None:
    big = random.Random(2).randbytes(300_000)  # past warcio's 16 KB read size and zlib's window
    cases = [
        (exchange((("Content-Type", "text/html"), ("Transfer-Encoding", "chunked"))), None),
        (exchange((("Content-Length", "900"),), b"x" * 100, truncated=True), None),
        (exchange((("Content-Type", "image/png"),), big), None),
        (exchange((), b""), None),
        (exchange((("Set-Cookie", "a=1"),)), Original("http://example.org/a?b=1", "2025-03-13T12:00:00Z")),
        (
            Exchange(Hop("http://bücher.example/ä b", 404, "Не найдено", "HTTP/1.1", (("X-Name", "café"),), (), b"no")),
            None,
        ),
        (
            Exchange(
                Hop("https://u:p@example.org:8443/", 301, "", "HTTP/1.0", (("Location", "/x"),), (("Host", "h"),), b"")
            ),
            None,
        ),
    ]
    date = "2025-03-14T12:00:00Z"
    out = io.BytesIO()
    writer = WarcWriter(out, iter(f"<urn:uuid:{n}>" for n in itertools.count()).__next__)
    writer.write_warcinfo("f.warc.gz", date, {"software": "test", "format": "WARC File Format 1.1", "empty": ""})
    for ex, original in cases:
        writer.write_exchange(ex, date, original)
    writer.write_metadata(cases[0][0].url, date, "<urn:uuid:1>", {"readable-copy": "pages/x"})
    expected = _through_warcio(cases, iter(f"<urn:uuid:{n}>" for n in itertools.count()))
    assert gzip.decompress(out.getvalue()) == gzip.decompress(expected)
    assert out.getvalue() == expected  # the compressed members too


def test_digests_are_spelled_as_base64_spells_them() -> None:
    rng = random.Random(5)
    digests = [bytes(20), b"\xff" * 20, bytes(range(20))] + [rng.randbytes(20) for _ in range(5000)]
    for digest in digests:
        assert base32_of_sha1(digest) == base64.b32encode(digest).decode("ascii")


def test_warc_dates_are_spelled_as_warcio_spells_them() -> None:
    moments = [
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2025, 3, 14, 23, 59, 59, 999_999, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
        dt.datetime(999, 5, 6, 7, 8, 9, 123),  # naive: taken as UTC
        dt.datetime(2024, 2, 29, 0, 0, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=-11))),
    ]
    for moment in moments:
        utc = moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment
        assert warc_date(moment) == datetime_to_iso_date(utc.replace(microsecond=0))
