"""The archive against hostile input and faults: non-ASCII URLs and headers, pages that try to run
script or leave, decompression bombs, and a damaged or half-written archive on disk."""

from __future__ import annotations

import datetime as dt
import gzip
import logging
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from filelock import FileLock
from lxml import etree
from warcio.archiveiterator import ArchiveIterator

from linkcheck.archive import Archive, list_captures, reindex, show_capture, similarity
from linkcheck.archive import archive as archive_module
from linkcheck.archive.cdxj_index import parse_line
from linkcheck.archive.paths import pages_folder
from linkcheck.archive.readable_copy import MAX_MARKUP_BYTES, MAX_TEXT_CHARS, ReadableCopy
from linkcheck.archive.target_uri import target_uri
from linkcheck.models import Hop
from linkcheck.pages import main_text, parse_html
from tests.archive.test_archive import (
    T0,
    all_records,
    built,
    counting_ids,
    fetch,
    fixed_clock,
    read_records,
    shifted,
    warc_files,
)
from tests.server import LocalServer, send

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
    # The status line goes on to replay tools as latin-1: the reason there is percent-encoded...
    assert block.startswith(b"HTTP/1.1 404 %D0%9D%D0%B5 %D0%BD%D0%B0%D0%B9%D0%B4%D0%B5%D0%BD%D0%BE\r\n")
    # ...and kept as received in a header, like every header value: the bytes the server sent.
    assert b"\r\nX-Linkcheck-Original-Reason: " + NOT_FOUND.encode() + b"\r\n" in block + b"\r\n"
    assert b"\r\nX-Title: " + "Москва".encode() + b"\r\n" in block
    assert b"\r\nX-Latin: caf\xe9\r\n" in block
    assert b'filename="' + "доклад".encode() + b'.pdf"' in block
    response = next(r for r in all_records(tmp_path) if r["type"] == "response")  # digests verified
    assert response["http"].get_statuscode() == "404"
    assert unquote(response["http"].statusline) == f"404 {NOT_FOUND}"
    assert response["http"].get_header("X-Linkcheck-Original-Reason") == NOT_FOUND  # warcio reads UTF-8 as text
    assert response["http"].get_header("X-Title") == "Москва"
    assert response["http"].get_header("X-Latin") == "café"  # not UTF-8: read back as latin-1


def test_latin1_reason_phrase_stays_in_the_status_line(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/cafe"] = raw_response(
        b"HTTP/1.1 200 Caf\xe9 ouvert", [(b"Content-Type", b"text/html")], b"<p>x</p>"
    )
    with Archive(tmp_path, id_factory=counting_ids()) as archive:
        snapshot = archive.capture(fetch(server, "/cafe")).snapshot
    assert snapshot is not None and snapshot.record_id is not None
    block = http_block(Path(snapshot.warc), snapshot.record_id)
    assert block.startswith(b"HTTP/1.1 200 Caf\xe9 ouvert\r\n") and b"Original-Reason" not in block


def test_reason_phrase_given_as_text_is_written_as_utf8(tmp_path: Path) -> None:
    """A download built in code (not received) may hold any text: written as UTF-8, never a crash."""
    headers = (("Content-Type", "text/html"), ("X-Note", "Привет\r\nInjected: 1"))
    with Archive(tmp_path, id_factory=counting_ids()) as archive:
        snapshot = archive.capture(built(body=b"<p>x</p>", status=404, reason=NOT_FOUND, headers=headers)).snapshot
    assert snapshot is not None
    response = next(r for r in all_records(tmp_path) if r["type"] == "response")
    assert response["http"].get_header("X-Linkcheck-Original-Reason") == NOT_FOUND
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


# --- 2. readable copies that cannot run the captured page's script ------------------------------

SCRIPT = "document.title='pwned';new Image().src='/beacon'"
HOSTILE_PAGES = {
    "script before head": f"<script>{SCRIPT}</script><html><head><title>Safe</title></head><body><p>x</p></body>",
    "head in a comment": f"<!-- <head> --><script>{SCRIPT}</script><title>Safe</title><p>x</p>",
    "head in the title": f"<title>Safe<head></title><script>{SCRIPT}</script><p>x</p>",
    "event handlers": f'<body onload="{SCRIPT}"><title>Safe</title><img src="/none" onerror="{SCRIPT}">'
    f'<svg onload="{SCRIPT}"></svg><p onmouseover="{SCRIPT}">x</p></body>',
    "javascript urls": "<title>Safe</title><a id=a href=' JaVaScRiPt:document.title=1'>a</a>"
    "<a href='jav&#x09;ascript:document.title=1'>b</a><form action='javascript:document.title=1'>"
    "<button formaction='javascript:document.title=1'>c</button></form>"
    "<svg><a xlink:href='javascript:document.title=1'><text>d</text></a>"
    "<animate attributeName='href' values='javascript:document.title=1'/></svg>",
    "nested documents": f'<title>Safe</title><iframe srcdoc="<script>parent.{SCRIPT}</script>"></iframe>'
    "<iframe src='/frame'></iframe><object data='/object'></object><embed src='/embed'>",
    "base elsewhere": "<head><base href='javascript:document.title=1//'><base href='http://elsewhere.invalid/'>"
    "<title>Safe</title></head><body><a href='relative'>r</a></body>",
    "meta refresh": "<head><meta http-equiv='refresh' content='0;url=/away'><title>Safe</title></head><p>x</p>",
    "meta refresh in the body": "<title>Safe</title><p>x</p><META HTTP-EQUIV='Refresh' CONTENT='0; URL=/away'>",
    "meta set-cookie": "<head><meta http-equiv='set-cookie' content='a=b'><title>Safe</title></head><p>x</p>",
    "style breakout in svg": f'<title>Safe</title><svg><style>&lt;img src=x onerror="{SCRIPT}"&gt;</style></svg>'
    f'<svg><style><img src=x onerror="{SCRIPT}"></style></svg>',
    "noscript attribute": f'<title>Safe</title><noscript><p title="</noscript><img src=x onerror={SCRIPT}>"></p>'
    "</noscript>",
    "math and style": f'<title>Safe</title><math><mtext><table><mglyph><style><img src=x onerror="{SCRIPT}">',
    "conditional comment": f"<title>Safe</title><!--[if gte IE 4]><script>{SCRIPT}</script><![endif]--><p>x</p>",
    "template": f"<title>Safe</title><template><script>{SCRIPT}</script></template><p>x</p>",
}


def copy_of(body: bytes, content_type: str = "text/html; charset=utf-8") -> dict[str, bytes]:
    url = "http://example.org/news/story"
    download = built(url, body, headers=(("Content-Type", content_type),))
    return ReadableCopy.of(download, "2025-03-14T12:00:00Z").files


def assert_inert(markup: str) -> None:
    """No element or attribute left that runs script, embeds a document or navigates by itself."""
    head_at = markup.index("<head")
    first = markup[markup.index(">", head_at) + 1 :]
    assert first.startswith('<meta http-equiv="Content-Security-Policy" content="script-src \'none\'')
    assert markup[:head_at] == "<!DOCTYPE html>\n<html>" or markup[:head_at].startswith("<!DOCTYPE html>\n<html ")
    soup = BeautifulSoup(markup, "lxml")
    assert soup.find_all(["script", "iframe", "frame", "object", "embed", "template"]) == []
    assert [meta.get("http-equiv") for meta in soup.find_all("meta", attrs={"http-equiv": True})] == [
        "Content-Security-Policy"
    ]
    assert len(soup.find_all("base")) <= 1
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else value
            assert not name.lower().startswith("on"), (tag.name, name)
            assert "javascript:" not in "".join(text.split()).lower(), (tag.name, name, text)
            assert name.lower() != "srcdoc"
    assert "<script" not in markup.lower()


@pytest.mark.parametrize("name", sorted(HOSTILE_PAGES))
def test_readable_copy_of_a_hostile_page_is_inert(name: str) -> None:
    files = copy_of(HOSTILE_PAGES[name].encode())
    assert_inert(files["page.html"].decode("utf-8"))


def test_policy_is_the_first_element_of_head_and_the_page_text_survives() -> None:
    body = b"<html lang=ru><script>x()</script><head><title>T</title></head><body class=a><p>Text</p></body></html>"
    markup = copy_of(body)["page.html"].decode()
    assert markup.startswith(
        '<!DOCTYPE html>\n<html lang="ru"><head><meta http-equiv="Content-Security-Policy" content="script-src'
    )
    assert '<meta charset="utf-8">' in markup and "<base" not in markup
    assert '<body class="a"><div id="linkcheck-archive-banner"' in markup
    assert "<title>T</title>" in markup and "<p>Text</p>" in markup


def test_style_text_keeps_its_rules_but_cannot_open_a_tag() -> None:
    markup = copy_of(b"<style>ul > li::before { content: '<b>' } a&b {}</style><p>x</p>")["page.html"].decode()
    assert "<style>ul > li::before { content: '\\3c b>' } a&b {}</style>" in markup


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'><script>document.title='pwned'</script></svg>"),
        (
            "application/xml",
            b"<?xml version='1.0'?><a><html:script xmlns:html='http://www.w3.org/1999/xhtml'>"
            b"document.title='pwned'</html:script></a>",
        ),
        ("text/xml", b"<?xml version='1.0'?><?xml-stylesheet href='x.xsl' type='text/xsl'?><a/>"),
    ],
)
def test_svg_and_xml_payloads_are_never_written_as_documents(content_type: str, body: bytes) -> None:
    files = copy_of(body, content_type)
    assert all(not name.endswith((".svg", ".xml", ".xsl", ".xhtml")) for name in files)
    markup = files["page.html"].decode()
    assert_inert(markup)
    if content_type == "image/svg+xml":
        assert '<img alt="the captured SVG image" src="data:image/svg+xml;base64,' in markup
    else:
        assert "&lt;?xml version=&#x27;1.0&#x27;?&gt;" in markup or "&lt;?xml version='1.0'?&gt;" in markup


def test_xhtml_is_a_page_made_inert_like_html() -> None:
    body = (
        b"<?xml version='1.0' encoding='utf-8'?><html xmlns='http://www.w3.org/1999/xhtml'><head><title>X</title>"
        b"<script>document.title='pwned'</script></head><body><p>Readable</p></body></html>"
    )
    files = copy_of(body, "application/xhtml+xml")
    markup = files["page.html"].decode()
    assert_inert(markup)
    assert "<p>Readable</p>" in markup and files["text.txt"] == b"Readable\n"


# --- 3. decompression bombs: what a capture costs after the fetch is bounded --------------------


def test_a_decompression_bomb_gives_a_bounded_readable_copy(server: LocalServer, tmp_path: Path) -> None:
    bomb = gzip.compress(b"\0" * 12_000_000, 9)  # ~12 KB on the wire
    server.routes["/bomb"] = lambda h: send(h, 200, bomb, "text/html", {"Content-Encoding": "gzip"})
    downloaded = fetch(server, "/bomb")
    assert len(downloaded.body) == 10_000_000  # the fetcher's cap
    with Archive(tmp_path) as archive:
        snapshot = archive.capture(downloaded).snapshot
    assert snapshot is not None and snapshot.page is not None
    folder = Path(snapshot.page)
    text = (folder / "text.txt").read_text(encoding="utf-8")
    assert len(text) <= MAX_TEXT_CHARS + 1
    assert (folder / "page.html").stat().st_size <= 3 * MAX_MARKUP_BYTES + 10_000  # U+FFFD is 3 bytes
    assert "Only its first 1 MB are shown here" in (folder / "page.html").read_text(encoding="utf-8")
    [warc] = warc_files(tmp_path)
    assert warc.stat().st_size < 100_000  # the WARC holds the payload as received: compressed


@pytest.mark.parametrize("content_type", ["text/plain", "text/csv", "application/xml"])
def test_text_payloads_are_cut_like_pages(content_type: str) -> None:
    files = copy_of(b"word " * 1_000_000, content_type)
    assert all(len(content) <= 3 * MAX_MARKUP_BYTES for content in files.values())
    assert len(files.get("text.txt", b"")) <= MAX_TEXT_CHARS + 1


def test_main_text_walks_deep_pages_once_and_leaves_the_tree_alone() -> None:
    soup = parse_html(b"<body>" + b"<div><p>word</p>" * 20_000 + b"</body>")
    before = etree.tostring(soup)
    text = main_text(soup)
    assert etree.tostring(soup) == before  # the old extraction inserted line breaks around every block: O(depth) each
    assert text.splitlines() == ["word"] * 20_000


def test_drift_compares_at_most_the_kept_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Archive(tmp_path) as archive:
        first = archive.capture(built(body=b"<p>first version of the story</p>")).snapshot
    assert first is not None and first.page is not None
    # A copy written before the cap: 30 MB of text.
    (Path(first.page) / "text.txt").write_text("old words here " * 2_000_000, encoding="utf-8")
    compared: list[tuple[int, int]] = []
    real = archive_module.text_similarity
    monkeypatch.setattr(
        archive_module, "text_similarity", lambda old, new: compared.append((len(old), len(new))) or real(old, new)
    )
    with Archive(tmp_path) as archive:
        later = archive.capture(shifted(built(body=b"<p>second version</p>" * 100_000), days=1))
    assert later.drift is not None
    assert compared and all(old <= MAX_TEXT_CHARS and new <= MAX_TEXT_CHARS for old, new in compared)


def test_shingles_take_at_most_max_words() -> None:
    text = " ".join(f"w{i}" for i in range(similarity.MAX_WORDS * 2))
    assert len(similarity.shingles(text)) == similarity.MAX_WORDS - similarity.SHINGLE_WORDS + 1


# --- 4. a damaged index, damaged WARC files, and what a killed run leaves ----------------------


def small_archive(root: Path, count: int = 12) -> list[str]:
    """An archive of `count` captures in one WARC file (one run); their URLs."""
    urls = [f"http://example.org/page/{i:02d}" for i in range(count)]
    with Archive(root, id_factory=counting_ids()) as archive:
        for i, url in enumerate(urls):
            archive.capture(built(url, f"<p>page {i}</p>".encode() * 20, started_at=T0 + dt.timedelta(seconds=i)))
    return urls


def index_file(root: Path) -> Path:
    return root / "indexes" / "index.cdxj"


def test_damaged_index_lines_are_skipped_and_lookups_still_work(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    urls = small_archive(tmp_path)
    lines = index_file(tmp_path).read_bytes().splitlines(keepends=True)
    damaged = (
        lines[:3]
        + [b"garbage line\n", b"\xff\xfe\x00binary junk\x00\n", b"com,example)/x 2025 {not json}\n"]
        + lines[3:6]
        + [b"\xff\xff sorts after everything\n"]
        + lines[6:-1]
        + [lines[-1][: len(lines[-1]) // 2]]  # the last line cut short
    )
    index_file(tmp_path).write_bytes(b"".join(damaged))

    with caplog.at_level(logging.WARNING):
        for url in urls[:-1]:
            assert [entry.url for entry in list_captures(tmp_path, url)] == [url], url
        assert list_captures(tmp_path, urls[-1]) == []  # its line was cut: reindex brings it back
        assert len(list_captures(tmp_path)) == len(urls) - 1
        shown = show_capture(tmp_path, urls[5])
        assert shown is not None and shown.url == urls[5]
    assert "damaged" in caplog.text and "index.cdxj" in caplog.text

    caplog.clear()
    with caplog.at_level(logging.WARNING), Archive(tmp_path, id_factory=counting_ids()) as archive:
        assert archive.latest(urls[0]) is not None
        archive.capture(built("http://example.org/new", b"<p>new</p>"))
    assert "left out 5 damaged line(s) while merging" in caplog.text
    repaired = index_file(tmp_path).read_bytes().splitlines(keepends=True)
    assert repaired == sorted(repaired) and len(repaired) == len(urls)  # 11 kept + the new capture
    assert all(parse_line(line) is not None for line in repaired)
    reindex(tmp_path)
    assert len(list_captures(tmp_path)) == len(urls) + 1


def test_an_unsorted_index_is_sorted_again_by_the_next_merge(tmp_path: Path) -> None:
    urls = small_archive(tmp_path, 6)
    lines = index_file(tmp_path).read_bytes().splitlines(keepends=True)
    index_file(tmp_path).write_bytes(b"".join([*lines[:2], lines[3], lines[2], *lines[4:]]))
    with Archive(tmp_path) as archive:
        archive.capture(built("http://example.org/new", b"<p>new</p>"))
    repaired = index_file(tmp_path).read_bytes().splitlines(keepends=True)
    assert repaired == sorted(repaired) and len(repaired) == 7
    assert all(len(list_captures(tmp_path, url)) == 1 for url in urls)


def corrupt(path: Path, at: int, data: bytes) -> None:
    content = path.read_bytes()
    path.write_bytes(content[:at] + data + content[at + len(data) :])


def test_reindex_recovers_every_whole_record_around_damage_and_reports_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    urls = small_archive(tmp_path, 6)
    entries = {entry.url: entry for entry in list_captures(tmp_path)}
    [warc] = warc_files(tmp_path)
    hit = entries[urls[2]]
    corrupt(warc, hit.offset + 40, b"\x00" * 30)  # inside the third capture's response record
    with caplog.at_level(logging.WARNING):
        assert reindex(tmp_path) == 5
    assert [entry.url for entry in list_captures(tmp_path)] == urls[:2] + urls[3:]
    assert f"warc/{warc.name}: no whole record from offset {hit.offset} to offset" in caplog.text
    for url in urls[3:]:  # the captures after the damage keep their readable copies too
        found = show_capture(tmp_path, url)
        assert found is not None and found.page is not None


def test_reindex_reports_a_torn_end_and_keeps_everything_before_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    urls = small_archive(tmp_path, 4)
    last = next(entry for entry in list_captures(tmp_path) if entry.url == urls[-1])
    [warc] = warc_files(tmp_path)
    with warc.open("r+b") as handle:
        handle.truncate(last.offset + last.length // 2)
    with caplog.at_level(logging.WARNING):
        assert reindex(tmp_path) == 3
    assert [entry.url for entry in list_captures(tmp_path)] == urls[:3]
    assert f"warc/{warc.name}: no whole record from offset {last.offset} to the end of the file" in caplog.text


def crashed_run(root: Path, urls: list[str]) -> Archive:
    """An archive whose run stopped without close(), as after kill -9 (its run lock is free again)."""
    archive = Archive(root, id_factory=counting_ids())
    for i, url in enumerate(urls):
        archive.capture(built(url, f"<p>page {i}</p>".encode() * 20, started_at=T0 + dt.timedelta(seconds=i)))
    assert archive.warc_files._run_lock is not None and archive.warc_files._file is not None
    archive.warc_files._file.close()
    archive.warc_files._run_lock.release()
    return archive


def test_recovery_keeps_the_whole_records_after_damage_in_the_middle(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    urls = [f"http://example.org/{i}" for i in range(4)]
    crashed_run(tmp_path, urls)
    [warc] = warc_files(tmp_path)
    size = warc.stat().st_size
    offsets = sorted(record["offset"] for record in all_records(tmp_path) if record["type"] == "response")
    corrupt(warc, offsets[1] + 40, b"\x00" * 30)
    with caplog.at_level(logging.WARNING), Archive(tmp_path) as archive:
        assert archive.recovered == 1
    assert warc.stat().st_size == size  # not cut at the damage: whole records follow it
    assert [entry.url for entry in list_captures(tmp_path)] == [urls[0], *urls[2:]]
    assert f"no whole record from offset {offsets[1]}" in caplog.text


def test_a_readable_copy_left_half_written_is_not_indexed_and_is_removed(tmp_path: Path) -> None:
    urls = ["http://example.org/whole", "http://example.org/half"]
    crashed_run(tmp_path, urls)
    folders = {url: next(pages_folder(tmp_path, url).iterdir()) for url in urls}
    (folders[urls[1]] / "meta.json").unlink()  # killed before its last file was written...
    (folders[urls[1]] / ".text.txt.a1b2c3.tmp").write_bytes(b"x" * 1000)  # ...while writing one
    with Archive(tmp_path) as archive:
        assert archive.recovered == 1
    pages = {entry.url: entry.page for entry in list_captures(tmp_path)}
    assert pages[urls[0]] == folders[urls[0]].relative_to(tmp_path).as_posix()
    assert pages[urls[1]] is None  # the capture stays (its records are whole), without a copy
    assert not folders[urls[1]].exists()
    assert reindex(tmp_path) == 2 and {e.url: e.page for e in list_captures(tmp_path)} == pages


def test_stale_index_temporaries_are_removed_unless_a_merge_holds_the_lock(tmp_path: Path) -> None:
    small_archive(tmp_path, 1)
    stale = tmp_path / "indexes" / ".index.cdxj.k3j4h5.tmp"
    stale.write_bytes(b"com,example)/ 2025" * 1000)
    with FileLock(str(index_file(tmp_path)) + ".lock"):  # a merge in progress: its file is not stale
        Archive(tmp_path).close()
    assert stale.exists()
    Archive(tmp_path).close()
    assert not stale.exists()


def test_reindex_removes_temporaries_older_than_an_hour(tmp_path: Path) -> None:
    small_archive(tmp_path, 1)
    folder = next((tmp_path / "pages").glob("*/*/*"))
    old, fresh = folder / ".page.html.old123.tmp", folder / ".page.html.new456.tmp"
    for path in (old, fresh):
        path.write_bytes(b"partial")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    reindex(tmp_path)
    assert not old.exists() and fresh.exists()  # a live run may be writing the fresh one


def test_a_failed_copy_write_leaves_no_copy_and_no_page_in_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full_on_meta(folder: str, data: bytes) -> None:
        (Path(folder) / ".meta.json.tmp").write_bytes(data[:10])  # cut short, as a full disk leaves it
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive_module, "write_meta", disk_full_on_meta)
    with Archive(tmp_path) as archive, pytest.raises(OSError, match="No space"):
        archive.capture(built("http://example.org/full", b"<p>x</p>"))
    [entry] = list_captures(tmp_path)
    assert entry.page is None and not any(pages_folder(tmp_path, "http://example.org/full").iterdir())


CRASHING_RUN = """
import sys, time
from pathlib import Path
from linkcheck.archive import Archive
from linkcheck.archive import archive as archive_module
from linkcheck.archive import warc_files
from tests.archive.test_archive import built

root, mode = Path(sys.argv[1]), sys.argv[2]
calls = {"append": 0, "url": ""}
real_write_all = warc_files.write_all
real_write_new_file = archive_module.write_new_file


def write_half_of_the_third_capture(handle, data):
    calls["append"] += 1
    if calls["append"] == 4:  # the warcinfo record, two captures, then this one
        real_write_all(handle, data[: len(data) // 2])
        print("blocked", flush=True)
        time.sleep(60)
    real_write_all(handle, data)


def write_part_of_the_third_copy(folder, name, data):
    if name == "page.html" and calls["url"].endswith("/2"):
        with open(f"{folder}/{name}", "xb") as out:
            out.write(data[: len(data) // 2])
            out.flush()
            print("blocked", flush=True)
            time.sleep(60)
    real_write_new_file(folder, name, data)


if mode == "warc":
    warc_files.write_all = write_half_of_the_third_capture
elif mode == "copy":
    archive_module.write_new_file = write_part_of_the_third_copy
archive = Archive(root)
for i in range(int(sys.argv[3])):
    url = f"http://example.org/{mode}/{i}"
    calls["url"] = url
    archive.capture(built(url, f"<p>{mode} capture {i}</p>".encode() * 200))
    print("captured", url, flush=True)
print("done", flush=True)
time.sleep(60)
"""


def run_and_kill(root: Path, script: Path, mode: str, captures: int, after_lines: int | None) -> list[str]:
    """Run a capturing process, kill -9 it when it blocks (or after `after_lines` captures); the
    URLs it reported captured."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen(
        [sys.executable, str(script), str(root), mode, str(captures)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    reported = []
    try:
        for line in child.stdout:
            if line.startswith("captured "):
                reported.append(line.split()[1])
            if line.startswith(("blocked", "done")) or (after_lines is not None and len(reported) >= after_lines):
                break
        if after_lines is not None:
            time.sleep(random.Random(after_lines).uniform(0, 0.05))  # somewhere inside the next capture
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    return reported


def test_kill_9_mid_capture_loses_no_whole_record_and_duplicates_nothing(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    script = tmp_path / "crashing_run.py"
    script.write_text(CRASHING_RUN)
    reported = run_and_kill(root, script, "warc", 5, None)  # killed halfway through a WARC append
    assert reported == ["http://example.org/warc/0", "http://example.org/warc/1"]
    reported += run_and_kill(root, script, "copy", 5, None)  # killed while writing a readable copy
    assert reported[-2:] == ["http://example.org/copy/0", "http://example.org/copy/1"]
    for after in (1, 4):  # killed wherever the next capture happens to be
        reported += run_and_kill(root, script, f"random{after}", 8, after)

    with Archive(root) as archive:
        assert archive.recovered >= 1
        archive.capture(built("http://example.org/after", b"<p>after the crashes</p>"))
    index = sorted(index_file(root).read_text(encoding="utf-8").splitlines())
    assert reindex(root) == len(index)
    assert sorted(index_file(root).read_text(encoding="utf-8").splitlines()) == index  # the same, line for line

    entries = list_captures(root)
    records = [
        (path.name, record["offset"])
        for path in warc_files(root)
        for record in read_records(path)  # warcio reads every file to the end, digests checked
        if record["type"] in ("response", "revisit")
    ]
    assert sorted((entry.filename, entry.offset) for entry in entries) == sorted(records)  # none lost
    urls = [entry.url for entry in entries]
    assert len(urls) == len(set(urls))  # none twice
    assert set(reported) | {"http://example.org/after"} <= set(urls)
    pages = {entry.url: entry.page for entry in entries}
    assert pages.get("http://example.org/warc/2") is None  # half its records reached the file: no copy
    assert "http://example.org/copy/2" in pages  # its records were whole: it stays...
    assert pages["http://example.org/copy/2"] is None  # ...without the half-written copy
    for entry in entries:
        assert entry.page is None or (root / entry.page / "meta.json").is_file()
    assert list(root.rglob("*.tmp")) == []
