"""The archive against hostile input and faults: non-ASCII URLs and headers, pages that try to run
script or leave, decompression bombs, and a damaged or half-written archive on disk."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from linkcheck.archive import Archive, list_captures, reindex, show_capture
from linkcheck.archive.target_uri import target_uri
from linkcheck.models import Hop
from tests.server import LocalServer
from tests.test_archive import T0, all_records, built, counting_ids, fetch, fixed_clock, shifted, warc_files

MOSCOW_IRI = "https://ru.wikipedia.org/wiki/Москва"
MOSCOW_URI = "https://ru.wikipedia.org/wiki/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0"
NOT_FOUND = "Не найдено"


def raw_response(status_line: bytes, headers: list[tuple[bytes, bytes]], body: bytes) -> Callable[..., None]:
    """A route answering with exactly these bytes (http.server can only write latin-1 text)."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.server.app.answering(handler)  # type: ignore[attr-defined]
        lines = [status_line, *(name + b": " + value for name, value in headers)]
        lines.append(b"Content-Length: " + str(len(body)).encode())
        handler.wfile.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        handler.close_connection = True

    return route


def http_block(path: Path, record_id: str) -> bytes:
    """The HTTP status line and headers of one record, as stored (before warcio parses them)."""
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, no_record_parse=True):
            if record.rec_headers.get_header("WARC-Record-ID") == record_id:
                return bytes(record.raw_stream.read()).split(b"\r\n\r\n", 1)[0]
    raise AssertionError(f"no record {record_id}")


# --- 1. non-ASCII URLs, reason phrases and header values ---------------------------------------


@pytest.mark.parametrize(
    ("url", "uri"),
    [
        (MOSCOW_IRI, MOSCOW_URI),
        (MOSCOW_URI, MOSCOW_URI),  # already encoded: left as it is, never %25D0...
        ("http://пример.рф/путь?q=ж#x", "http://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C?q=%D0%B6#x"),
        ("http://example.org/a b/c d?e f", "http://example.org/a%20b/c%20d?e%20f"),
        ("http://example.org/50%/x%2Fy", "http://example.org/50%25/x%2Fy"),
        ('http://example.org/<a>"{|}^`\\', "http://example.org/%3Ca%3E%22%7B%7C%7D%5E%60%5C"),
        ("http://example.org/?id=12376355@egNews&a=1;b=2", "http://example.org/?id=12376355@egNews&a=1;b=2"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_target_uri_is_a_valid_uri_and_encodes_once(url: str, uri: str) -> None:
    assert target_uri(url) == uri
    assert target_uri(uri) == uri
    assert uri.isascii() and " " not in uri


def test_cyrillic_url_is_archived_under_its_percent_encoded_uri(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/wiki/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0"] = raw_response(
        b"HTTP/1.1 200 OK", [(b"Content-Type", b"text/html; charset=utf-8")], "<p>Столица</p>".encode()
    )
    iri = server.url("/wiki/Москва")
    encoded = server.url("/wiki/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0")
    downloaded = fetch(server, "/wiki/Москва")
    assert downloaded.status == 200
    with Archive(tmp_path, clock=fixed_clock(), id_factory=counting_ids()) as archive:
        capture = archive.capture(downloaded)
        assert capture.snapshot is not None
        assert [entry.url for entry in archive.captures(iri)] == [encoded]
        assert archive.latest(encoded) == archive.latest(iri)

    records = all_records(tmp_path)
    assert {r["headers"].get_header("WARC-Target-URI") for r in records if r["type"] != "warcinfo"} == {encoded}
    request = next(r for r in records if r["type"] == "request")
    assert request["http"].statusline == "/wiki/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0 HTTP/1.1"
    assert [entry.url for entry in list_captures(tmp_path, iri)] == [encoded]
    shown = show_capture(tmp_path, iri)
    assert shown is not None and shown == show_capture(tmp_path, encoded)
    folder = shown.page_path(tmp_path)
    assert folder is not None and "Столица" in (folder / "page.html").read_text(encoding="utf-8")
    assert (folder / "text.txt").read_text(encoding="utf-8") == "Столица\n"
    index = (tmp_path / "indexes" / "index.cdxj").read_text(encoding="utf-8")
    assert reindex(tmp_path) == 1
    assert (tmp_path / "indexes" / "index.cdxj").read_text(encoding="utf-8") == index  # the same line again


def test_iri_and_its_encoded_form_are_one_url(tmp_path: Path) -> None:
    body = "<p>Москва — столица России.</p>".encode()
    with Archive(tmp_path, id_factory=counting_ids()) as archive:
        archive.capture(built(MOSCOW_IRI, body))
        later = archive.capture(shifted(built(MOSCOW_URI, body), days=1))
    assert later.snapshot is not None
    records = [r for r in all_records(tmp_path) if r["type"] in ("response", "revisit")]
    assert [r["type"] for r in records] == ["response", "revisit"]  # the same payload at the same URI
    assert [r["headers"].get_header("WARC-Target-URI") for r in records] == [MOSCOW_URI, MOSCOW_URI]
    assert records[1]["headers"].get_header("WARC-Refers-To-Target-URI") == MOSCOW_URI
    assert len(list_captures(tmp_path, MOSCOW_IRI)) == len(list_captures(tmp_path, MOSCOW_URI)) == 2
    folders = {Path(entry.page or "").parent for entry in list_captures(tmp_path, MOSCOW_IRI)}
    assert len(folders) == 1  # one folder of readable copies, whichever form was cited


def test_reason_phrase_and_header_bytes_are_stored_as_received(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/gone"] = raw_response(
        b"HTTP/1.1 404 " + NOT_FOUND.encode("utf-8"),
        [
            (b"Content-Type", b"text/html; charset=utf-8"),
            (b"X-Title", "Москва".encode()),
            (b"X-Latin", "café".encode("latin-1")),
            (b"Content-Disposition", 'inline; filename="доклад.pdf"'.encode()),
        ],
        b"<p>no such page</p>",
    )
    downloaded = fetch(server, "/gone")
    assert downloaded.status == 404
    with Archive(tmp_path, id_factory=counting_ids()) as archive:
        snapshot = archive.capture(downloaded).snapshot
    assert snapshot is not None and snapshot.record_id is not None

    block = http_block(Path(snapshot.warc), snapshot.record_id)
    assert block.startswith(b"HTTP/1.1 404 " + NOT_FOUND.encode("utf-8") + b"\r\n")
    assert b"\r\nX-Title: " + "Москва".encode() + b"\r\n" in block
    assert b"\r\nX-Latin: caf\xe9\r\n" in block
    assert b'filename="' + "доклад".encode() + b'.pdf"' in block
    response = next(r for r in all_records(tmp_path) if r["type"] == "response")  # digests verified
    assert response["http"].get_statuscode() == "404"
    assert response["http"].statusline == f"404 {NOT_FOUND}"  # warcio reads UTF-8 back as text
    assert response["http"].get_header("X-Title") == "Москва"
    assert response["http"].get_header("X-Latin") == "café"  # not UTF-8: read back as latin-1


def test_reason_phrase_given_as_text_is_written_as_utf8(tmp_path: Path) -> None:
    """A download built in code (not received) may hold any text: written as UTF-8, never a crash."""
    headers = (("Content-Type", "text/html"), ("X-Note", "Привет\r\nInjected: 1"))
    with Archive(tmp_path, id_factory=counting_ids()) as archive:
        snapshot = archive.capture(built(body=b"<p>x</p>", status=404, reason=NOT_FOUND, headers=headers)).snapshot
    assert snapshot is not None
    response = next(r for r in all_records(tmp_path) if r["type"] == "response")
    assert response["http"].statusline == f"404 {NOT_FOUND}"
    assert response["http"].get_header("X-Note") == "Привет  Injected: 1"  # a line break cannot end the headers
    assert response["http"].get_header("Injected") is None


def test_target_uri_never_holds_a_space(tmp_path: Path) -> None:
    url = "http://example.org/my page?q=a b"
    with Archive(tmp_path, id_factory=counting_ids()) as archive:
        archive.capture(built(url, b"<p>x</p>"))
    records = [r for r in all_records(tmp_path) if r["type"] != "warcinfo"]
    assert {r["headers"].get_header("WARC-Target-URI") for r in records} == {"http://example.org/my%20page?q=a%20b"}
    request = next(r for r in records if r["type"] == "request")
    assert request["http"].statusline == "/my%20page?q=a%20b HTTP/1.1"
    for path in warc_files(tmp_path):
        for line in gzip.decompress(path.read_bytes()).split(b"\r\n"):
            assert not line.startswith(b"WARC-Target-URI:") or b" " not in line.split(b": ", 1)[1]
    assert [entry.url for entry in list_captures(tmp_path, url)] == ["http://example.org/my%20page?q=a%20b"]


def test_hand_built_hops_with_non_ascii_urls_are_captured(tmp_path: Path) -> None:
    hop = Hop("http://example.org/старый", 301, "Перемещено", "HTTP/1.1", (("Location", "/новый"),), (), b"")
    download = built("http://example.org/старый", b"<p>x</p>", final_url="http://example.org/новый", redirects=(hop,))
    with Archive(tmp_path, clock=fixed_clock(T0), id_factory=counting_ids()) as archive:
        assert archive.capture(download).snapshot is not None
    uris = [r["headers"].get_header("WARC-Target-URI") for r in all_records(tmp_path) if r["type"] == "response"]
    assert uris == [
        "http://example.org/%D1%81%D1%82%D0%B0%D1%80%D1%8B%D0%B9",
        "http://example.org/%D0%BD%D0%BE%D0%B2%D1%8B%D0%B9",
    ]
