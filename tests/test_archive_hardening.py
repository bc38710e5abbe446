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
from linkcheck.archive.readable_copy import MAX_MARKUP_BYTES, MAX_TEXT_CHARS
from linkcheck.archive.target_uri import target_uri
from linkcheck.models import Hop
from tests.server import LocalServer, send
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
    from linkcheck.archive.readable_copy import ReadableCopy

    url = "http://example.org/news/story"
    download = built(url, body, headers=(("Content-Type", content_type),))
    return ReadableCopy.of(download, "2025-03-14T12:00:00Z").files


def assert_inert(markup: str) -> None:
    """No element or attribute left that runs script, embeds a document or navigates by itself."""
    from linkcheck.harvest.html import parse_html

    head_at = markup.index("<head")
    first = markup[markup.index(">", head_at) + 1 :]
    assert first.startswith('<meta http-equiv="Content-Security-Policy" content="script-src \'none\'')
    assert markup[:head_at] == "<!DOCTYPE html>\n<html>" or markup[:head_at].startswith("<!DOCTYPE html>\n<html ")
    soup = parse_html(markup)
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
    assert '<meta charset="utf-8"><base href="http://example.org/news/story">' in markup
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
    from linkcheck.archive.readable_copy import main_text
    from linkcheck.harvest.html import parse_html

    soup = parse_html(b"<body>" + b"<div><p>word</p>" * 20_000 + b"</body>")
    before = str(soup)
    text = main_text(soup)
    assert str(soup) == before  # the old extraction inserted line breaks around every block: O(depth) each
    assert text.splitlines() == ["word"] * 20_000


def test_drift_compares_at_most_the_kept_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from linkcheck.archive import archive as archive_module

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
    from linkcheck.archive import similarity

    text = " ".join(f"w{i}" for i in range(similarity.MAX_WORDS * 2))
    assert len(similarity.shingles(text)) == similarity.MAX_WORDS - similarity.SHINGLE_WORDS + 1
