"""Requisites captured from a loopback site through linkcheck's Fetcher: in the WARC (read back with the
archive's reader), beside the readable copy, capped, deduplicated, and refused by the guard like any URL."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from linkcheck.archive import Archive, RequisiteLimits
from linkcheck.archive import archive as archive_module
from linkcheck.archive.index_page import listed_captures
from linkcheck.archive.warc_reader import read_warc
from linkcheck.check.client import Fetcher
from linkcheck.models import Requisites, Snapshot
from linkcheck.settings import Settings
from tests.archive.png import solid_png
from tests.archive.test_archive import read_records, warc_files
from tests.conftest import loopback_settings
from tests.server import LocalServer, send

RED = solid_png(40, 40, (255, 0, 0))
PAGE = b"""<!DOCTYPE html><html><head><title>With requisites</title>
<link rel="stylesheet" href="/css/site.css"><link rel="icon" href="/favicon.png">
<script src="/app.js"></script></head><body>
<h1>With requisites</h1><p>A page that needs its images, styles and fonts.</p>
<img id="red" src="/img/red.png" srcset="/img/red-1x.png 1x, /img/red-2x.png 2x" width="40" height="40">
</body></html>"""
SITE_CSS = b"""@import url("extra.css");
@font-face { font-family: Cited; src: url("/fonts/cited.woff2") format("woff2") }
body { background: #fff url("../img/bg.png") no-repeat; font-family: Cited, sans-serif }"""
EXTRA_CSS = b"h1 { color: rgb(0, 0, 128) }"
REQUISITES = {
    "/css/site.css": (SITE_CSS, "text/css"),
    "/css/extra.css": (EXTRA_CSS, "text/css; charset=utf-8"),
    "/fonts/cited.woff2": (b"wOF2-not-really-a-font", "font/woff2"),
    "/img/bg.png": (solid_png(4, 4, (0, 255, 0)), "image/png"),
    "/img/red.png": (RED, "image/png"),
    "/img/red-1x.png": (RED, "image/png"),
    "/img/red-2x.png": (solid_png(80, 80, (255, 0, 0)), "image/png"),
    "/favicon.png": (solid_png(16, 16, (0, 0, 255)), "image/png"),
    "/app.js": (b"document.title = 'script ran'", "text/javascript"),
}


def serve_site(server: LocalServer, page: bytes = PAGE, path: str = "/story") -> None:
    server.routes[path] = lambda h: send(h, 200, page)
    for route, (body, kind) in REQUISITES.items():
        server.routes[route] = lambda h, body=body, kind=kind: send(h, 200, body, kind)


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    opened = Fetcher(loopback_settings(retries=0))
    try:
        yield opened
    finally:
        opened.close()


def capture(root: Path, fetcher: Fetcher, url: str, **limits: object) -> Snapshot:
    with Archive(root, fetch_requisite=fetcher.fetch, requisite_limits=RequisiteLimits(**limits)) as archive:  # type: ignore[arg-type]
        snapshot = archive.capture(fetcher.fetch(url)).snapshot
    assert snapshot is not None
    return snapshot


def test_every_requisite_is_in_the_warc_with_its_request(server: LocalServer, fetcher: Fetcher, tmp_path: Path) -> None:
    serve_site(server)
    snapshot = capture(tmp_path, fetcher, server.url("/story"))
    assert snapshot.requisites == Requisites(captured=len(REQUISITES), refused=0, cut=False)

    [warc] = warc_files(tmp_path)
    entries = read_warc(warc, warc.name).entries
    responses = {entry.url: entry for entry in entries}
    assert set(responses) == {server.url("/story"), *(server.url(path) for path in REQUISITES)}
    assert all(entry.status == 200 for entry in entries)
    assert responses[server.url("/fonts/cited.woff2")].mime == "font/woff2"
    records = read_records(warc)
    requested = {str(r["headers"].get_header("WARC-Target-URI")) for r in records if r["type"] == "request"}
    assert requested == set(responses)  # each response has its request record
    payloads = {
        str(r["headers"].get_header("WARC-Target-URI")): r["payload"] for r in records if r["type"] == "response"
    }
    assert payloads[server.url("/css/site.css")] == SITE_CSS  # as received, not as rewritten for the copy
    assert all(server.hits[path] == 1 for path in REQUISITES)

    folder = Path(snapshot.page or "")
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["requisites"]["captured"] == len(REQUISITES) and meta["title"] == "With requisites"
    saved = meta["requisites"]["files"]
    assert server.url("/app.js") not in saved  # a script stays in the WARC only
    for url, path in saved.items():
        assert (folder / path).is_file(), url
    html = (folder / "page.html").read_text()
    red = BeautifulSoup(html, "lxml").find(id="red")
    assert red["src"] == saved[server.url("/img/red.png")]  # type: ignore[index]
    site_css = (folder / saved[server.url("/css/site.css")]).read_text()
    for inner in ("/css/extra.css", "/fonts/cited.woff2", "/img/bg.png"):
        assert f'url("{Path(saved[server.url(inner)]).name}")' in site_css


def test_a_page_with_120_images_is_cut_at_60(server: LocalServer, fetcher: Fetcher, tmp_path: Path) -> None:
    images = "".join(f'<img src="/many/{n}.png">' for n in range(120))
    server.routes["/gallery"] = lambda h: send(h, 200, f"<html><body>{images}</body></html>".encode())
    server.fallback = lambda h: send(h, 200, solid_png(2, 2, (9, 9, 9)), "image/png")
    snapshot = capture(tmp_path, fetcher, server.url("/gallery"), max_count=60)
    assert snapshot.requisites == Requisites(captured=60, refused=0, cut=True)
    assert sum(count for path, count in server.hits.items() if path.startswith("/many/")) == 60
    [warc] = warc_files(tmp_path)
    assert len([e for e in read_warc(warc, warc.name).entries if "/many/" in e.url]) == 60


def test_a_requisite_on_a_private_address_is_refused_by_the_guard(server: LocalServer, tmp_path: Path) -> None:
    """The page is fetched by a test fetcher allowed onto loopback; its requisites by linkcheck's
    default one, whose guard refuses 127.0.0.1 as it refuses any private address."""
    serve_site(server, b'<html><body><img src="/img/red.png"><img src="http://10.0.0.1/x.png"></body></html>')
    page_fetcher = Fetcher(loopback_settings(retries=0))
    guarded = Fetcher(Settings())
    try:
        download = page_fetcher.fetch(server.url("/story"))
        with Archive(tmp_path, fetch_requisite=guarded.fetch) as archive:
            snapshot = archive.capture(download).snapshot
    finally:
        page_fetcher.close()
        guarded.close()
    assert snapshot is not None and snapshot.requisites == Requisites(captured=0, refused=2, cut=False)
    assert server.hits["/img/red.png"] == 0  # never asked
    html = (Path(snapshot.page or "") / "page.html").read_text()
    assert "red.png" not in html and "10.0.0.1" not in html  # not captured: pointed at nothing


def test_requisites_are_deduplicated_across_pages_and_runs(
    server: LocalServer, fetcher: Fetcher, tmp_path: Path
) -> None:
    serve_site(server, path="/one")
    serve_site(server, path="/two")
    with Archive(tmp_path, fetch_requisite=fetcher.fetch) as archive:
        archive.capture(fetcher.fetch(server.url("/one")))
        archive.capture(fetcher.fetch(server.url("/two")))
    with Archive(tmp_path, fetch_requisite=fetcher.fetch) as archive:
        archive.capture(fetcher.fetch(server.url("/one")))
    # In the order they were written: two runs in the same second have file names that sort by a random id.
    written = sorted(warc_files(tmp_path), key=lambda warc: warc.stat().st_mtime_ns)
    entries = [entry for warc in written for entry in read_warc(warc, warc.name).entries]
    css = [entry for entry in entries if entry.url == server.url("/css/site.css")]
    assert [entry.mime for entry in css] == ["text/css", "warc/revisit", "warc/revisit"]
    revisits = [r for warc in warc_files(tmp_path) for r in read_records(warc) if r["type"] == "revisit"]
    assert all(r["payload"] == b"" for r in revisits if "site.css" in str(r["headers"].get_header("WARC-Target-URI")))
    # Each copy still opens on its own: its files are beside it.
    for row in listed_captures(tmp_path):
        folder = tmp_path / Path(row.copy).parent
        meta = json.loads((folder / "meta.json").read_text())
        assert all((folder / path).is_file() for path in meta["requisites"]["files"].values())


def test_requisites_off_fetches_nothing_more_and_the_copy_still_loads_nothing(
    server: LocalServer, fetcher: Fetcher, tmp_path: Path
) -> None:
    serve_site(server)
    with Archive(tmp_path) as archive:
        snapshot = archive.capture(fetcher.fetch(server.url("/story"))).snapshot
    assert snapshot is not None and snapshot.requisites is None
    assert all(server.hits[path] == 0 for path in REQUISITES)
    soup = BeautifulSoup((Path(snapshot.page or "") / "page.html").read_text(), "lxml")
    assert soup.find(id="red").get("src") is None  # type: ignore[union-attr]
    assert soup.find("link", rel="stylesheet") is None


def test_a_server_in_trouble_is_not_asked_for_requisites(server: LocalServer, fetcher: Fetcher, tmp_path: Path) -> None:
    serve_site(server)
    server.routes["/busy"] = lambda h: send(h, 503, PAGE)
    snapshot = capture(tmp_path, fetcher, server.url("/busy"))
    assert snapshot.requisites is None
    assert all(server.hits[path] == 0 for path in REQUISITES)


def test_a_copy_cut_short_is_removed_with_its_page_files(
    server: LocalServer, fetcher: Fetcher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed write of a copy (here: meta.json) leaves neither the copy nor its page_files/."""
    serve_site(server)

    def failing(folder: str, data: bytes) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(archive_module, "write_meta", failing)
    with Archive(tmp_path, fetch_requisite=fetcher.fetch) as archive, pytest.raises(OSError, match="disk full"):
        archive.capture(fetcher.fetch(server.url("/story")))
    copies = tmp_path / "pages"
    assert [path for path in copies.rglob("*") if path.is_file()] == []
    assert not list(copies.rglob("page_files"))


def test_requisite_requests_keep_the_per_host_limit_across_workers(server: LocalServer, tmp_path: Path) -> None:
    """Four pages captured at once by four threads: their requisites on one host are asked for one at a
    time, as `[check] per_host_concurrency = 1` says (the server counts requests in flight)."""

    def slow_image(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(0.05)
        send(handler, 200, RED, "image/png")

    images = "".join(f'<img src="/slow/{n}.png">' for n in range(3))
    for n in range(4):
        server.routes[f"/page/{n}"] = lambda h, n=n: send(h, 200, f"<html><body>{n}{images}</body></html>".encode())
    server.fallback = slow_image
    settings = loopback_settings(retries=0, per_host_concurrency=1)
    fetcher = Fetcher(loopback_settings(retries=0, concurrency=8, per_host_concurrency=8))
    try:
        pages = [fetcher.fetch(server.url(f"/page/{n}")) for n in range(4)]
        server.max_in_flight.clear()
        with Archive(tmp_path, fetch_requisite=fetcher.fetch, requisite_limits=RequisiteLimits.of(settings)) as archive:
            with ThreadPoolExecutor(4) as pool:
                captures = list(pool.map(archive.capture, pages))
    finally:
        fetcher.close()
    assert [c.snapshot.requisites for c in captures if c.snapshot] == [Requisites(3, 0, False)] * 4
    assert sum(count for path, count in server.hits.items() if path.startswith("/slow/")) == 12
    assert max(server.max_in_flight.values()) == 1
