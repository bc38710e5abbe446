"""WARC records for one exchange: framing made replayable, truncation, request headers, determinism."""

from __future__ import annotations

import gzip
import io
import itertools
import random
import zlib

from linkcheck.archive.warc_writer import (
    Exchange,
    Original,
    WarcWriter,
    payload_cut,
    replayable_headers,
    request_headers_sent,
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
