"""The archive, read back with warcio: records, digests, revisits, drift, redirects, truncation, safety."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import itertools
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from linkcheck.archive import Archive, ArchiveError, list_captures, reindex, show_capture
from linkcheck.archive import archive as archive_module
from linkcheck.archive import cdxj_index as cdxj_module
from linkcheck.archive.paths import MAX_NAME, host_folder, pages_folder
from linkcheck.check.client import Fetcher
from linkcheck.models import FailureKind, FetchFailure, FetchResult, Hop
from linkcheck.pages import parse_page
from tests.conftest import loopback_settings
from tests.server import LocalServer, page, send

T0 = dt.datetime(2025, 3, 14, 12, 0, 0, tzinfo=dt.UTC)

# --- helpers -------------------------------------------------------------------------------------


def counting_ids() -> Callable[[], str]:
    counter = itertools.count()
    return lambda: f"<urn:uuid:00000000-0000-4000-8000-{next(counter):012d}>"


def fixed_clock(moment: dt.datetime = T0) -> Callable[[], dt.datetime]:
    return lambda: moment


def fetch(server: LocalServer, path: str, **check: object) -> FetchResult:
    """The real download path: linkcheck's Fetcher against the local server."""
    fetcher = Fetcher(loopback_settings(**check))
    try:
        return fetcher.fetch(server.url(path))
    finally:
        fetcher.close()


def shifted(download: FetchResult, **delta: float) -> FetchResult:
    """The same download, as if it had happened later (a later run)."""
    assert download.started_at is not None
    return replace(download, started_at=download.started_at + dt.timedelta(**delta))


def built(url: str = "http://example.org/a", body: bytes = b"", **fields: Any) -> FetchResult:
    """A hand-built download for edge cases the server cannot easily produce."""
    values: dict[str, Any] = {
        "url": url,
        "final_url": url,
        "status": 200,
        "reason": "OK",
        "headers": (("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))),
        "request_headers": (("User-Agent", "linkcheck-test"),),
        "raw_body": body,
        "body": body,
        "started_at": T0,
    }
    values.update(fields)
    return FetchResult(**values)


def warc_files(root: Path) -> list[Path]:
    return sorted((root / "warc").glob("*.warc.gz"))


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every record of a WARC file, digests verified by warcio (raises on a mismatch)."""
    found = []
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, check_digests="raise")
        for record in records:
            payload = record.raw_stream.read()  # as stored: content-encoding intact
            records.read_to_end()
            found.append(
                {
                    "type": record.rec_type,
                    "headers": record.rec_headers,
                    "http": record.http_headers,
                    "payload": payload,
                    "offset": records.get_record_offset(),
                    "length": records.get_record_length(),
                }
            )
    return found


def all_records(root: Path) -> list[dict[str, Any]]:
    return [record for path in warc_files(root) for record in read_records(path)]


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def article(words: str, repeat: int = 30) -> bytes:
    paragraphs = "".join(f"<p>{words} paragraph {i}.</p>" for i in range(repeat))
    return page("Report", f"<nav>Home News</nav><main>{paragraphs}</main><footer>(c) site</footer>")


def serve(
    server: LocalServer,
    path: str,
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    server.route(path)(lambda handler: send(handler, 200, body, content_type, headers))


def serve_chunked(server: LocalServer, path: str, chunks: list[bytes]) -> None:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.server.app.answering(handler)  # type: ignore[attr-defined]
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for chunk in chunks:
            handler.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        handler.wfile.write(b"0\r\n\r\n")

    server.route(path)(route)


# --- records -------------------------------------------------------------------------------------


def test_capture_writes_warcinfo_request_and_response_with_digests(server: LocalServer, tmp_path: Path) -> None:
    body = page("Cited", "<p>What the article relies on.</p>")
    serve(server, "/cited", body, headers={"Set-Cookie": "a=1", "X-Extra": "kept"})
    fetched = fetch(server, "/cited")
    with Archive(tmp_path) as archive:
        result = archive.capture(fetched)

    assert result.skipped_reason is None and result.drift is None
    [path] = warc_files(tmp_path)
    records = read_records(path)
    assert [r["type"] for r in records] == ["warcinfo", "response", "request", "metadata"]
    warcinfo, response, request, metadata = records
    assert warcinfo["headers"].protocol == "WARC/1.1"
    assert warcinfo["headers"].get_header("WARC-Filename") == path.name
    assert b"software: linkcheck/" in warcinfo["payload"]

    url = server.url("/cited")
    assert response["headers"].get_header("WARC-Target-URI") == url
    assert fetched.started_at is not None
    assert response["headers"].get_header("WARC-Date") == fetched.started_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert response["payload"] == body
    assert response["headers"].get_header("WARC-Payload-Digest") == sha1_b32(body)
    assert response["headers"].get_header("WARC-Block-Digest")  # checked by warcio above
    assert response["http"].get_statuscode() == "200"
    assert response["http"].get_header("X-Extra") == "kept"
    assert response["http"].get_header("Set-Cookie") == "a=1"
    assert response["http"].get_header("Content-Length") == str(len(body))

    assert request["headers"].get_header("WARC-Concurrent-To") == response["headers"].get_header("WARC-Record-ID")
    assert request["http"].protocol == "GET" and request["http"].statusline == "/cited HTTP/1.1"
    assert request["http"].get_header("Host") == f"127.0.0.1:{server.port}"
    assert request["http"].get_header("User-Agent").startswith("linkcheck/")

    assert metadata["headers"].get_header("WARC-Concurrent-To") == response["headers"].get_header("WARC-Record-ID")
    assert b"readable-copy: pages/" in metadata["payload"]


def test_snapshot_fields_locate_the_record_and_the_readable_copy(server: LocalServer, tmp_path: Path) -> None:
    body = page("Cited", "<script>var x = 1;</script><p>Main text of the page.</p><aside>ads</aside>")
    serve(server, "/cited", body)
    with Archive(tmp_path) as archive:
        snapshot = archive.capture(fetch(server, "/cited")).snapshot
    assert snapshot is not None
    assert snapshot.sha256 == hashlib.sha256(body).hexdigest()
    assert Path(snapshot.warc) == warc_files(tmp_path)[0]
    with open(snapshot.warc, "rb") as stream:
        stream.seek(snapshot.offset or 0)
        record = next(iter(ArchiveIterator(stream)))
        assert record.rec_headers.get_header("WARC-Record-ID") == snapshot.record_id
        assert record.content_stream().read() == body
    folder = Path(snapshot.page or "")
    assert folder.parent.parent.parent == tmp_path / "pages"
    assert folder.name == snapshot.captured_at.replace("-", "").replace(":", "").replace("T", "")[:14]
    assert sorted(p.name for p in folder.iterdir()) == ["meta.json", "page.html", "text.txt"]
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["url"] == server.url("/cited") and meta["status"] == 200
    assert meta["sha256"] == snapshot.sha256 and meta["captured_at"] == snapshot.captured_at
    assert meta["warc"] == f"warc/{Path(snapshot.warc).name}" and meta["offset"] == snapshot.offset
    assert ["Content-Type", "text/html; charset=utf-8"] in meta["headers"]
    assert meta["truncated"] is False
    assert (folder / "text.txt").read_text() == "Cited\nMain text of the page.\n"
    html = (folder / "page.html").read_text()
    assert "<base" not in html and "linkcheck-archive-banner" in html  # self-contained: no <base> to the site


def test_unchanged_page_in_a_later_run_is_a_revisit(server: LocalServer, tmp_path: Path) -> None:
    body = article("the same words every time")
    serve(server, "/same", body)
    first_fetch = fetch(server, "/same")
    with Archive(tmp_path) as archive:
        first = archive.capture(first_fetch).snapshot
    later = shifted(fetch(server, "/same"), days=7)
    with Archive(tmp_path) as archive:
        second = archive.capture(later)

    assert first is not None and second.snapshot is not None and second.drift is None
    assert len(warc_files(tmp_path)) == 2
    revisit = next(r for r in all_records(tmp_path) if r["type"] == "revisit")
    original = next(r for r in all_records(tmp_path) if r["type"] == "response")
    headers = revisit["headers"]
    assert headers.get_header("WARC-Profile") == "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    assert headers.get_header("WARC-Refers-To-Target-URI") == server.url("/same")
    assert headers.get_header("WARC-Refers-To-Date") == original["headers"].get_header("WARC-Date")
    assert headers.get_header("WARC-Payload-Digest") == sha1_b32(body)
    assert revisit["payload"] == b""  # headers only: the body is not stored again
    assert revisit["http"].get_statuscode() == "200"
    assert second.snapshot.sha256 == first.sha256
    kinds = [entry.mime for entry in list_captures(tmp_path, server.url("/same"))]
    assert kinds == ["text/html", "warc/revisit"]


def test_revisit_within_one_run_and_of_a_revisit_refers_to_the_original(tmp_path: Path) -> None:
    body = b"<html><body><p>stable</p></body></html>"
    with Archive(tmp_path, clock=fixed_clock(), id_factory=counting_ids()) as archive:
        for day in range(3):
            archive.capture(built(body=body, started_at=T0 + dt.timedelta(days=day)))
    records = [r for r in all_records(tmp_path) if r["type"] in ("response", "revisit")]
    assert [r["type"] for r in records] == ["response", "revisit", "revisit"]
    for revisit in records[1:]:
        assert revisit["headers"].get_header("WARC-Refers-To-Date") == "2025-03-14T12:00:00Z"


def test_changed_page_reports_drift_with_both_capture_times(server: LocalServer, tmp_path: Path) -> None:
    versions = [
        article("the minister said the drills were routine"),
        article("this domain is for sale contact the broker today"),
    ]
    server.route("/drifting")(lambda handler: send(handler, 200, versions[min(server.hits["/drifting"], 2) - 1]))
    first_fetch = fetch(server, "/drifting")
    with Archive(tmp_path) as archive:
        first = archive.capture(first_fetch)
    later = shifted(fetch(server, "/drifting"), days=30)
    with Archive(tmp_path) as archive:
        second = archive.capture(later)

    assert first.drift is None and first.snapshot and second.snapshot
    assert second.drift is not None
    assert second.drift.similarity < 0.8
    assert second.drift.previous_captured_at == first.snapshot.captured_at
    assert second.drift.captured_at == second.snapshot.captured_at
    meta = json.loads((Path(second.snapshot.page or "") / "meta.json").read_text())
    assert meta["similarity_to_previous"] == second.drift.similarity


def test_small_edit_is_not_drift_and_threshold_is_configurable(tmp_path: Path) -> None:
    old = article("the minister said the drills were routine")
    new = old.replace(b"paragraph 7.", b"paragraph seven, updated.")
    with Archive(tmp_path / "a") as archive:
        archive.capture(built(body=old))
        result = archive.capture(built(body=new, started_at=T0 + dt.timedelta(days=1)))
    assert result.drift is None
    with Archive(tmp_path / "b", drift_threshold=0.999) as archive:
        archive.capture(built(body=old))
        strict = archive.capture(built(body=new, started_at=T0 + dt.timedelta(days=1)))
    assert strict.drift is not None and 0.9 < strict.drift.similarity < 0.999


def test_a_rotating_most_read_box_is_not_drift(tmp_path: Path) -> None:
    """The article stays, the "most read" list beside it changes every hour: no content-drift (issue 11)."""
    story = "".join(f"<p>Paragraph {n} of the report on the joint exercises near the border.</p>" for n in range(6))

    def page_with(headlines: list[str]) -> bytes:
        box = "".join(f"<li><a href='/s/{n}'>{title}</a></li>" for n, title in enumerate(headlines))
        return (
            f"<html><body><div class='layout has-sidebar'><div class='story'>{story}</div>"
            f"<div class='most-read'><h2>Most read</h2><ol>{box}</ol></div>"
            f"<section id='related'><ul>{box}</ul></section></div></body></html>"
        ).encode()

    morning = [f"Morning headline number {n} about weather, football and prices" for n in range(12)]
    evening = [f"Evening story {n}: elections, markets and a celebrity wedding" for n in range(12)]
    with Archive(tmp_path) as archive:
        archive.capture(built(body=page_with(morning)))
        later = archive.capture(built(body=page_with(evening), started_at=T0 + dt.timedelta(hours=9)))
    assert later.drift is None
    assert later.snapshot is not None and later.snapshot.page is not None
    text = (Path(later.snapshot.page) / "text.txt").read_text()
    assert "Paragraph 5 of the report" in text and "Evening story" not in text


# --- redirects, framing, truncation --------------------------------------------------------------


def test_redirect_chain_is_captured_hop_by_hop(server: LocalServer, tmp_path: Path) -> None:
    server.route("/old")(lambda h: send(h, 301, b"moved", "text/plain", {"Location": "/middle"}))
    server.route("/middle")(lambda h: send(h, 302, b"", "text/html", {"Location": server.url("/new")}))
    serve(server, "/new", page("New home"))
    fetched = fetch(server, "/old")
    with Archive(tmp_path) as archive:
        snapshot = archive.capture(fetched).snapshot
        assert [e.status for e in archive.captures(server.url("/middle"))] == [302]

    responses = [r for r in all_records(tmp_path) if r["type"] == "response"]
    requests_ = [r for r in all_records(tmp_path) if r["type"] == "request"]
    assert [r["headers"].get_header("WARC-Target-URI") for r in responses] == [
        server.url("/old"),
        server.url("/middle"),
        server.url("/new"),
    ]
    assert [r["http"].get_statuscode() for r in responses] == ["301", "302", "200"]
    assert responses[0]["http"].get_header("Location") == "/middle"
    assert responses[0]["payload"] == b"moved"
    assert responses[1]["http"].get_header("Location") == server.url("/new")
    assert [r["headers"].get_header("WARC-Target-URI") for r in requests_] == [
        server.url("/old"),
        server.url("/middle"),
        server.url("/new"),
    ]
    assert snapshot is not None and snapshot.offset == responses[2]["offset"]
    pages = {e.url: e.page for e in list_captures(tmp_path)}
    assert pages[server.url("/old")] == pages[server.url("/new")] is not None  # cited URL and final page
    assert pages[server.url("/middle")] is None
    meta = json.loads((Path(snapshot.page or "") / "meta.json").read_text())
    assert [hop["status"] for hop in meta["redirects"]] == [301, 302]
    assert meta["final_url"] == server.url("/new")


def test_chunked_response_is_stored_with_a_content_length(server: LocalServer, tmp_path: Path) -> None:
    chunks = [b"<html><body>", b"<p>first chunk</p>", b"<p>second chunk</p>", b"</body></html>"]
    serve_chunked(server, "/chunked", chunks)
    fetched = fetch(server, "/chunked")
    assert fetched.header("Transfer-Encoding") == "chunked"
    with Archive(tmp_path) as archive:
        archive.capture(fetched)
    [response] = [r for r in all_records(tmp_path) if r["type"] == "response"]
    http = response["http"]
    assert http.get_header("Transfer-Encoding") is None
    assert http.get_header("X-Linkcheck-Original-Transfer-Encoding") == "chunked"
    assert http.get_header("Content-Length") == str(len(b"".join(chunks)))
    assert response["payload"] == b"".join(chunks)


def test_content_encoding_is_kept_and_the_copy_is_decoded(server: LocalServer, tmp_path: Path) -> None:
    body = page("Compressed", "<p>" + "words of the page " * 100 + "</p>")
    squeezed = gzip.compress(body, mtime=0)
    serve(server, "/gz", squeezed, headers={"Content-Encoding": "gzip"})
    fetched = fetch(server, "/gz", max_bytes=len(body) // 2)  # the decoded body is cut, the raw one is whole
    assert fetched.truncated and fetched.raw_body == squeezed
    with Archive(tmp_path) as archive:
        snapshot = archive.capture(fetched).snapshot
    [response] = [r for r in all_records(tmp_path) if r["type"] == "response"]
    assert response["payload"] == squeezed and gzip.decompress(response["payload"]) == body
    assert response["http"].get_header("Content-Encoding") == "gzip"
    assert response["headers"].get_header("WARC-Truncated") is None
    assert response["headers"].get_header("WARC-Payload-Digest") == sha1_b32(squeezed)
    assert snapshot is not None and snapshot.sha256 == hashlib.sha256(squeezed).hexdigest()
    assert "words of the page" in (Path(snapshot.page or "") / "page.html").read_text()


def test_truncated_payload_is_marked_in_the_warc_and_meta(server: LocalServer, tmp_path: Path) -> None:
    body = b"<html><body>" + b"x" * 5000 + b"</body></html>"
    serve(server, "/big", body)
    fetched = fetch(server, "/big", max_bytes=1000)
    assert fetched.truncated and len(fetched.raw_body) == 1000
    with Archive(tmp_path) as archive:
        snapshot = archive.capture(fetched).snapshot
        again = archive.capture(fetched).snapshot  # a cut payload is never deduplicated
    records = [r for r in all_records(tmp_path) if r["type"] in ("response", "revisit")]
    assert [r["type"] for r in records] == ["response", "response"]
    response = records[0]
    assert response["headers"].get_header("WARC-Truncated") == "length"
    assert response["payload"] == body[:1000]
    assert response["http"].get_header("Content-Length") == "1000"
    assert response["http"].get_header("X-Linkcheck-Original-Content-Length") == str(len(body))
    assert snapshot is not None and again is not None
    meta = json.loads((Path(snapshot.page or "") / "meta.json").read_text())
    assert meta["truncated"] is True and meta["truncated_in_warc"] is True


def test_pdf_is_stored_as_received(server: LocalServer, tmp_path: Path) -> None:
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n"
    serve(server, "/paper.pdf", pdf, "application/pdf")
    with Archive(tmp_path) as archive:
        result = archive.capture(fetch(server, "/paper.pdf"))
    assert result.snapshot is not None
    folder = Path(result.snapshot.page or "")
    assert sorted(p.name for p in folder.iterdir()) == ["meta.json", "payload.pdf"]
    assert (folder / "payload.pdf").read_bytes() == pdf
    [response] = [r for r in all_records(tmp_path) if r["type"] == "response"]
    assert response["payload"] == pdf


# --- what is not archived ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "headers", "says"),
    [
        (page("Private", '<meta name="robots" content="noindex, noarchive">'), {}, '<meta name="robots"'),
        (page("Private"), {"X-Robots-Tag": "noarchive"}, "X-Robots-Tag: noarchive"),
        (page("Private"), {"X-Robots-Tag": "googlebot: nofollow, noarchive"}, "X-Robots-Tag"),
    ],
    ids=["meta", "header", "header-for-a-bot"],
)
def test_noarchive_pages_are_not_archived(
    server: LocalServer, tmp_path: Path, body: bytes, headers: dict[str, str], says: str
) -> None:
    serve(server, "/private", body, headers=headers)
    fetched = fetch(server, "/private")
    with Archive(tmp_path) as archive:
        result = archive.capture(fetched)
    assert result.snapshot is None
    assert result.skipped_reason is not None and "not to be archived" in result.skipped_reason
    assert says in result.skipped_reason
    assert warc_files(tmp_path) == [] and not (tmp_path / "pages").exists()

    with Archive(tmp_path / "ignoring", respect_noarchive=False) as archive:
        assert archive.capture(fetched).snapshot is not None


def test_failed_download_is_not_archived(tmp_path: Path) -> None:
    failed = FetchResult(
        "http://example.org/x",
        "http://example.org/x",
        failure=FetchFailure(FailureKind.TIMEOUT, "no data from the server for 10s"),
    )
    with Archive(tmp_path) as archive:
        result = archive.capture(failed)
    assert result.snapshot is None and result.skipped_reason == "nothing to archive: no data from the server for 10s"
    assert warc_files(tmp_path) == []


def test_banner_text_is_escaped(tmp_path: Path) -> None:
    url = 'http://example.org/search?q="><script>alert(1)</script>'
    with Archive(tmp_path) as archive:
        snapshot = archive.capture(built(url=url, body=b"<html><body><p>hi</p></body></html>")).snapshot
    html = (Path(snapshot.page or "") / "page.html").read_text()  # type: ignore[union-attr]
    banner = html.split('id="linkcheck-archive-banner"', 1)[1].split("</div>", 1)[0]
    assert "<script>" not in banner
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in banner and "&quot;&gt;" in banner


# --- file names and atomicity ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://../etc/passwd",
        "http://./x",
        "http://con/x",
        "http://AUX:8080/x",
        "http://nul.example/x",
        "http://com1/x",
        "http://lpt9/x",
        "http://a%00b/x",
        "http://" + "a" * 250 + ".example/x",
        "http://[::1]:8080/x",
        "http://xn--80ak6aa92e.com/",
        "http:///no-host",
    ],
)
def test_folder_names_from_hostile_urls_stay_inside_the_archive(tmp_path: Path, url: str) -> None:
    with Archive(tmp_path) as archive:
        snapshot = archive.capture(built(url=url, body=b"<p>x</p>")).snapshot
    assert snapshot is not None and snapshot.page is not None
    folder = Path(snapshot.page).resolve()
    assert folder.is_relative_to((tmp_path / "pages").resolve())
    host = folder.parent.parent.name
    assert host == host_folder(url)
    assert len(host) <= MAX_NAME and "/" not in host and "\\" not in host and "\x00" not in host
    assert host.split(".")[0].lower() not in {"con", "aux", "nul", "com1", "lpt9", "", ".."}
    assert (folder / "meta.json").is_file()


def test_pages_symlinked_out_of_the_archive_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "archive"
    root.mkdir()
    (root / "pages").symlink_to(outside)
    with Archive(root) as archive, pytest.raises(ArchiveError, match="outside the archive"):
        archive.capture(built(body=b"<p>x</p>"))
    assert list(outside.iterdir()) == []


def test_a_url_folder_symlinked_out_is_refused_after_its_host_folder_was_checked(tmp_path: Path) -> None:
    """The host folder is resolved once a run; a URL folder already there is resolved every time."""
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "archive"
    with Archive(root) as archive:
        archive.capture(built("http://example.org/first", b"<p>x</p>"))
        (pages_folder(root, "http://example.org/second")).symlink_to(outside)
        with pytest.raises(ArchiveError, match="outside the archive"):
            archive.capture(built("http://example.org/second", b"<p>y</p>"))
        assert archive.capture(built("http://example.org/first", b"<p>z</p>")).snapshot is not None
    assert list(outside.iterdir()) == []


def test_index_is_replaced_by_rename_and_a_failed_write_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Archive(tmp_path) as archive:
        archive.capture(built(url="http://example.org/one", body=b"<p>1</p>"))
    index = tmp_path / "indexes" / "index.cdxj"
    before = index.read_bytes()

    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def recording_replace(source: str, target: str) -> None:
        if str(target) == str(index):
            renames.append((str(source), str(target)))
        real_replace(source, target)

    monkeypatch.setattr(cdxj_module.os, "replace", recording_replace)
    with Archive(tmp_path) as archive:
        archive.capture(built(url="http://example.org/two", body=b"<p>2</p>"))
    [(source, target)] = renames
    assert target == str(index) and Path(source).parent == index.parent and not Path(source).exists()

    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    after_second = index.read_bytes()
    assert after_second != before
    archive = Archive(tmp_path)
    archive.capture(built(url="http://example.org/three", body=b"<p>3</p>"))
    monkeypatch.setattr(cdxj_module.os, "fsync", failing_fsync)  # the disk fills up as the run ends
    with pytest.raises(OSError):
        archive.close()
    assert index.read_bytes() == after_second
    assert [p.name for p in index.parent.iterdir() if p.name.endswith(".tmp")] == []
    monkeypatch.undo()
    # the WARC is still pending, so the next run indexes it
    assert Archive(tmp_path).recovered == 1
    assert [e.url for e in list_captures(tmp_path)] == [f"http://example.org/{n}" for n in ("one", "three", "two")]


def test_two_runs_never_write_the_same_file(tmp_path: Path) -> None:
    first = Archive(tmp_path, clock=fixed_clock())
    second = Archive(tmp_path, clock=fixed_clock())
    first.capture(built(body=b"<p>1</p>"))
    second.capture(built(body=b"<p>2</p>"))
    first.close()
    second.close()
    names = [path.name for path in warc_files(tmp_path)]
    assert len(set(names)) == 2

    taken = tmp_path / "warc" / "linkcheck-20250314120000-fixed-00000.warc.gz"
    taken.write_bytes(b"someone else's")
    with Archive(tmp_path, clock=fixed_clock(), run_id="fixed") as archive:
        snapshot = archive.capture(built(body=b"<p>3</p>")).snapshot
    assert snapshot is not None and snapshot.warc.endswith("-fixed-00001.warc.gz")
    assert taken.read_bytes() == b"someone else's"

    holder = Archive(tmp_path, clock=fixed_clock(), run_id="same")
    holder.capture(built(body=b"<p>4</p>"))
    with pytest.raises(ArchiveError, match="another run"):
        Archive(tmp_path, clock=fixed_clock(), run_id="same").capture(built(body=b"<p>5</p>"))
    holder.close()


def test_warc_rolls_over_at_the_size_limit(tmp_path: Path) -> None:
    with Archive(tmp_path, max_warc_bytes=3000, clock=fixed_clock(), id_factory=counting_ids()) as archive:
        for n in range(6):
            body = f"<html><body><p>{n}</p>{os.urandom(600).hex()}</body></html>".encode()
            archive.capture(built(url=f"http://example.org/{n}", body=body))
    files = warc_files(tmp_path)
    assert len(files) >= 3
    for path in files:
        records = read_records(path)
        assert records[0]["type"] == "warcinfo"
        assert records[0]["headers"].get_header("WARC-Filename") == path.name
        assert path.stat().st_size <= 3000 or len([r for r in records if r["type"] == "response"]) == 1
    for entry in list_captures(tmp_path):
        with entry.warc_path(tmp_path).open("rb") as stream:
            stream.seek(entry.offset)
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Target-URI") == entry.url


def test_concurrent_captures_from_many_threads(server: LocalServer, tmp_path: Path) -> None:
    paths = [f"/page/{n}" for n in range(40)]
    for path in paths:
        serve(server, path, page(f"Page {path}", "<p>" + path * 50 + "</p>"))
    fetcher = Fetcher(loopback_settings())
    try:
        downloads = [fetcher.fetch(server.url(path)) for path in paths]
    finally:
        fetcher.close()
    with Archive(tmp_path, max_warc_bytes=20_000) as archive, ThreadPoolExecutor(8) as pool:
        results = list(pool.map(archive.capture, downloads))
    assert all(result.snapshot is not None for result in results)
    records = all_records(tmp_path)  # every record parses and its digests hold
    assert len([r for r in records if r["type"] == "response"]) == 40
    entries = list_captures(tmp_path)
    assert sorted(e.url for e in entries) == sorted(server.url(path) for path in paths)
    for result in results:
        snapshot = result.snapshot
        assert snapshot is not None
        with open(snapshot.warc, "rb") as stream:
            stream.seek(snapshot.offset or 0)
            assert next(iter(ArchiveIterator(stream))).rec_headers.get_header("WARC-Record-ID") == snapshot.record_id


def test_crash_loses_at_most_the_capture_in_progress(tmp_path: Path) -> None:
    crashed = Archive(tmp_path, clock=fixed_clock(), id_factory=counting_ids())
    for n in range(3):
        crashed.capture(built(url=f"http://example.org/{n}", body=f"<p>{n}</p>".encode()))
    [path] = warc_files(tmp_path)
    whole = path.stat().st_size
    # The process dies halfway through appending the next capture: half a record, and no close().
    torn = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + b"x" * 4000)
    assert crashed.warc_files._file is not None
    crashed.warc_files._file.write(torn[: len(torn) // 2])
    crashed.warc_files._file.flush()
    assert crashed.warc_files._run_lock is not None
    crashed.warc_files._run_lock.release()  # what the operating system does when the process dies
    assert list_captures(tmp_path) == []  # not in the index yet

    assert Archive(tmp_path).recovered == 1
    assert path.stat().st_size == whole  # the torn record is cut off
    assert [e.url for e in list_captures(tmp_path)] == [f"http://example.org/{n}" for n in range(3)]
    assert all(e.page for e in list_captures(tmp_path))
    assert not list((tmp_path / "indexes" / "pending").glob("*.warc.gz"))
    assert len(read_records(path)) == 1 + 3 * 3


def test_failed_append_leaves_no_partial_record(tmp_path: Path) -> None:
    class FullDisk:
        """Takes half of what is written, then fails, as a filling disk does."""

        def __init__(self, raw: Any) -> None:
            self.raw = raw

        def write(self, data: memoryview) -> int:
            self.raw.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.raw, name)

    archive = Archive(tmp_path)
    archive.capture(built(url="http://example.org/1", body=b"<p>1</p>"))
    [path] = warc_files(tmp_path)
    size = path.stat().st_size
    real = archive.warc_files._file
    archive.warc_files._file = FullDisk(real)  # type: ignore[assignment]
    with pytest.raises(OSError):
        archive.capture(built(url="http://example.org/2", body=b"<p>2</p>"))
    assert path.stat().st_size == size
    archive.warc_files._file = real
    archive.capture(built(url="http://example.org/3", body=b"<p>3</p>"))
    archive.close()
    assert [r["headers"].get_header("WARC-Target-URI") for r in read_records(path) if r["type"] == "response"] == [
        "http://example.org/1",
        "http://example.org/3",
    ]
    assert [e.url for e in list_captures(tmp_path)] == ["http://example.org/1", "http://example.org/3"]
    assert len(list((tmp_path / "pages" / "example.org").glob("*/*"))) == 2  # no copy left for the failed one


# --- index and lookups ---------------------------------------------------------------------------


def test_index_is_sorted_cdxj_and_rebuildable_from_the_warcs(server: LocalServer, tmp_path: Path) -> None:
    server.route("/r")(lambda h: send(h, 301, b"", "text/html", {"Location": "/z"}))
    for path in ("/z", "/a", "/a/b", "/a?x=1"):
        serve(server, path, page(path))
    with Archive(tmp_path) as archive:
        for path in ("/z", "/a", "/r", "/a/b", "/a?x=1", "/a"):
            archive.capture(fetch(server, path))
    index = tmp_path / "indexes" / "index.cdxj"
    written = index.read_text()
    lines = written.splitlines()
    assert lines == sorted(lines) and len(lines) == 7
    key, stamp, fields = lines[0].split(" ", 2)
    assert key == f"1,0,0,127:{server.port})/a" and len(stamp) == 14
    assert set(json.loads(fields)) >= {"url", "mime", "status", "digest", "length", "offset", "filename"}

    index.unlink()
    assert reindex(tmp_path) == 7
    assert index.read_text() == written


def test_latest_and_captures_include_this_run_and_earlier_ones(tmp_path: Path) -> None:
    url = "http://example.org/story"
    with Archive(tmp_path) as archive:
        archive.capture(built(url=url, body=b"<p>one</p>"))
    archive = Archive(tmp_path)
    archive.capture(built(url=url, body=b"<p>two</p>", started_at=T0 + dt.timedelta(days=2)))
    assert [e.timestamp for e in archive.captures(url)] == ["20250314120000", "20250316120000"]
    latest = archive.latest("http://EXAMPLE.org/story")  # looked up by SURT form
    assert latest is not None and latest.timestamp == "20250316120000"
    assert archive.latest("http://example.org/other") is None
    archive.close()

    assert [e.timestamp for e in list_captures(tmp_path, url)] == ["20250314120000", "20250316120000"]
    shown = show_capture(tmp_path, url)
    assert shown is not None and shown.timestamp == "20250316120000"
    earlier = show_capture(tmp_path, url, at="2025-03-14")
    assert earlier is not None and earlier.timestamp == "20250314120000"
    page_path = earlier.page_path(tmp_path)
    assert page_path is not None and (page_path / "page.html").is_file()
    assert show_capture(tmp_path, url, at="2024") is None
    assert show_capture(tmp_path / "empty", url) is None


# --- reproducibility -----------------------------------------------------------------------------


def test_same_clock_and_ids_give_byte_identical_warcs(server: LocalServer, tmp_path: Path) -> None:
    server.route("/moved")(lambda h: send(h, 301, b"", "text/html", {"Location": "/here"}))
    serve(server, "/here", article("reproducible content"))
    downloads = [fetch(server, "/moved"), fetch(server, "/here")]
    downloads.append(replace(downloads[1], started_at=T0 + dt.timedelta(days=1)))  # a revisit
    downloads.append(
        built(
            url="http://example.org/cut",
            body=b"x" * 100,
            truncated=True,
            headers=(("Content-Type", "text/plain"), ("Content-Length", "900")),
        )
    )
    downloads.append(
        built(
            url="http://example.org/chunked",
            body=b"<p>c</p>",
            headers=(("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")),
        )
    )
    outputs = []
    for name in ("one", "two"):
        root = tmp_path / name
        with Archive(root, clock=fixed_clock(), id_factory=counting_ids(), run_id="run") as archive:
            for download in downloads:
                archive.capture(download)
        [path] = warc_files(root)
        metas = sorted(p.relative_to(root).as_posix() for p in root.glob("pages/*/*/*/meta.json"))
        outputs.append((path.name, path.read_bytes(), (root / "indexes" / "index.cdxj").read_bytes(), metas))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == "linkcheck-20250314120000-run-00000.warc.gz"
    assert b"\x1f\x8b" == outputs[0][1][:2]


def test_hand_built_hops_are_captured_without_a_server(tmp_path: Path) -> None:
    hop = Hop(
        "http://example.org/a",
        308,
        "Permanent Redirect",
        headers=(("Location", "/b"),),
        request_headers=(("User-Agent", "t"),),
    )
    download = built(url="http://example.org/a", final_url="http://example.org/b", body=b"<p>b</p>", redirects=(hop,))
    with Archive(tmp_path, clock=fixed_clock(), id_factory=counting_ids()) as archive:
        snapshot = archive.capture(download).snapshot
    assert snapshot is not None and snapshot.record_id == "<urn:uuid:00000000-0000-4000-8000-000000000002>"
    targets = [(r["type"], r["headers"].get_header("WARC-Target-URI")) for r in all_records(tmp_path)]
    assert targets[1:] == [
        ("response", "http://example.org/a"),
        ("request", "http://example.org/a"),
        ("response", "http://example.org/b"),
        ("request", "http://example.org/b"),
        ("metadata", "http://example.org/a"),
    ]


def test_a_page_parsed_by_the_checker_gives_the_same_readable_copy(tmp_path: Path) -> None:
    body = b"<html><head><title>T</title><base href='/x/'></head><body><main><p>Text here</p></main></body></html>"
    fetched = built("http://example.org/story", body)
    again = built("http://example.org/other", body)
    with Archive(tmp_path / "one") as first, Archive(tmp_path / "two") as second:
        kept = first.capture(fetched, parse_page(fetched)).snapshot
        fresh = second.capture(again).snapshot
    assert kept is not None and fresh is not None
    one, two = tmp_path / "one" / kept.page, tmp_path / "two" / fresh.page
    assert (one / "text.txt").read_bytes() == (two / "text.txt").read_bytes()
    assert (one / "page.html").read_text().replace("/story", "/other") == (two / "page.html").read_text()


def test_readable_copies_are_synced_once_when_the_archive_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three files a page, each fsynced, cost more than the check itself: one sync of the archive's
    # filesystem at close instead, before the index names the copies; the WARC file is fsynced when
    # it is finished.
    fsyncs: list[int] = []
    syncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[1])
    monkeypatch.setattr(archive_module, "sync_filesystem", lambda path: syncs.append(1))
    archive = Archive(tmp_path)
    for n in range(5):
        archive.capture(built(f"http://example.org/{n}", f"<p>page {n}</p>".encode()))
    assert fsyncs == [] and syncs == []
    archive.close()
    assert syncs == [1] and len(fsyncs) >= 1  # the WARC file, then the index written atomically
    assert len(list_captures(tmp_path)) == 5


@pytest.mark.parametrize("relative_root", [".", "archive", "archive/./nested/"])
def test_a_snapshot_names_its_files_as_the_root_joined_by_pathlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative_root: str
) -> None:
    """The capture's paths are built as text: they read as `Path(root) / ...` would, a root of "." too."""
    monkeypatch.chdir(tmp_path)
    url = "http://Exämple.org:8080/a"
    with Archive(relative_root) as archive:
        snapshot = archive.capture(built(url, b"<p>x</p>")).snapshot
    assert snapshot is not None and snapshot.warc is not None and snapshot.page is not None
    root = Path(relative_root)
    folder = pages_folder(root, url) / snapshot.captured_at.replace("-", "").replace(":", "").replace("T", "")[:14]
    assert snapshot.page == str(folder)
    assert (folder / "meta.json").is_file()
    assert snapshot.warc == str(root / "warc" / Path(snapshot.warc).name)
    [entry] = list_captures(root)
    assert entry.page == folder.relative_to(root).as_posix()


def test_an_archive_syncs_its_filesystem_once_before_indexing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Copies in two host folders on one filesystem: one sync at close, before the index names them."""
    synced: list[tuple[str, bool]] = []
    index = tmp_path / "indexes" / "index.cdxj"

    def recording_sync(path: Path | str) -> None:
        synced.append((str(path), index.exists()))

    monkeypatch.setattr(archive_module, "sync_filesystem", recording_sync)
    with Archive(tmp_path) as archive:
        archive.capture(built("http://example.org/a", b"<p>a</p>"))
        archive.capture(built("http://example.net/b", b"<p>b</p>"))
    assert synced == [(str(tmp_path), False)]
    assert len(list_captures(tmp_path)) == 2


def test_an_archive_whose_host_folder_is_elsewhere_syncs_that_filesystem_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    monkeypatch.setattr(archive_module, "sync_filesystem", lambda path: synced.append(str(path)))
    real_stat = os.stat

    def host_folder_on_another_device(path: str | Path, *args: object, **kwargs: object) -> os.stat_result:
        result = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if str(path).endswith("example.net"):
            fields = list(result)
            fields[2] += 1  # st_dev: as a mount point under pages/ would show
            return os.stat_result(fields)
        return result

    monkeypatch.setattr(archive_module.os, "stat", host_folder_on_another_device)
    with Archive(tmp_path) as archive:
        archive.capture(built("http://example.org/a", b"<p>a</p>"))
        archive.capture(built("http://example.net/b", b"<p>b</p>"))
    assert synced == [str(tmp_path), str(tmp_path / "pages" / "example.net")]


def test_an_archive_without_captures_syncs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[str] = []
    monkeypatch.setattr(archive_module, "sync_filesystem", lambda path: synced.append(str(path)))
    with Archive(tmp_path):
        pass
    assert synced == []


@pytest.mark.parametrize("content", [b"", b"<p>x</p>", bytes(range(256)) * 1000])
def test_a_copy_file_is_created_whole_with_the_modes_atomic_write_gives(tmp_path: Path, content: bytes) -> None:
    from linkcheck.files import UMASK, atomic_write

    made, reference = tmp_path / "made", tmp_path / "reference"
    archive_module.create_file(str(made), content)
    atomic_write(reference, content, durable=False)
    assert made.read_bytes() == content
    assert made.stat().st_mode == reference.stat().st_mode == 0o100000 | (0o666 & ~UMASK)
    with pytest.raises(FileExistsError):
        archive_module.create_file(str(made), b"other")
    assert made.read_bytes() == content


@pytest.mark.parametrize("random", [bytes(16), b"\xff" * 16, bytes(range(16)), hashlib.md5(b"seed").digest()])
def test_a_record_id_is_the_version_4_uuid_of_its_random_bytes(random: bytes) -> None:
    import uuid

    assert archive_module.record_id_of(random) == f"<urn:uuid:{uuid.UUID(bytes=random, version=4)}>"


def test_record_ids_are_random_version_4_uuids() -> None:
    import uuid

    ids = {archive_module.new_record_id() for _ in range(1000)}
    assert len(ids) == 1000
    for record_id in ids:
        parsed = uuid.UUID(record_id.removeprefix("<urn:uuid:").removesuffix(">"))
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122 and record_id == f"<urn:uuid:{parsed}>"


def test_record_ids_read_the_system_random_source_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []
    real = os.urandom

    def counted(count: int) -> bytes:
        reads.append(count)
        return real(count)

    monkeypatch.setattr(archive_module.os, "urandom", counted)
    source = archive_module._RandomBytes()
    taken = [source.take(16) for _ in range(600)]
    assert len(set(taken)) == 600 and all(len(piece) == 16 for piece in taken)
    assert reads == [4096, 4096, 4096]  # 256 ids a read


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_never_repeats_its_parents_record_ids() -> None:
    archive_module.new_record_id()  # the buffer holds unused bytes when the fork comes
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        os.write(writer, "\n".join(archive_module.new_record_id() for _ in range(5)).encode())
        os._exit(0)
    os.close(writer)
    os.waitpid(child, 0)
    with os.fdopen(reader) as stream:
        childs = set(stream.read().split("\n"))
    parents = {archive_module.new_record_id() for _ in range(5)}
    assert len(childs) == 5 and not childs & parents
