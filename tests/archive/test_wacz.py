"""WACZ packages written from an archive built here: which captures go in, cut WARC files that keep
every record byte for byte, redirects, revisits, reproducible bytes, and errors that name the input."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from linkcheck.archive import Archive
from linkcheck.archive.wacz import CaptureRef, ExportError, Selection, write_wacz
from linkcheck.archive.wacz_layout import read_layout
from linkcheck.models import Snapshot
from tests.archive.test_archive import fetch, shifted
from tests.server import LocalServer, page, send

CREATED = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def archive_of(server: LocalServer, root: Path, paths: list[str]) -> dict[str, Snapshot]:
    """One archive, one WARC file, a capture per path (each cited URL as given)."""
    found = {}
    with Archive(root) as archive:
        for path in paths:
            snapshot = archive.capture(fetch(server, path)).snapshot
            assert snapshot is not None
            found[path] = snapshot
    return found


def ref(server: LocalServer, path: str, snapshot: Snapshot) -> CaptureRef:
    assert snapshot.offset is not None
    return CaptureRef(server.url(path), snapshot.warc, snapshot.offset, snapshot.captured_at)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def record_bytes(data: bytes) -> list[bytes]:
    """Each record of a gzip-per-record WARC, as the bytes of its gzip member."""
    found = []
    records = ArchiveIterator(io.BytesIO(data))
    for _record in records:
        records.read_to_end()
        offset, length = records.get_record_offset(), records.get_record_length()
        found.append(data[offset : offset + length])
    return found


@pytest.fixture
def pages_served(server: LocalServer) -> LocalServer:
    for name in ("one", "two", "three"):
        server.routes[f"/{name}"] = lambda h, name=name: send(h, 200, page(f"Page {name}", f"<p>{name}</p>"))
    server.routes["/old"] = lambda h: send(h, 301, b"", headers={"Location": "/two"})
    return server


def test_a_shared_warc_file_is_cut_to_the_selected_capture_record_for_record(
    pages_served: LocalServer, tmp_path: Path
) -> None:
    server = pages_served
    snapshots = archive_of(server, tmp_path / "archive", ["/one", "/two", "/three"])
    [warc] = (tmp_path / "archive" / "warc").glob("*.warc.gz")
    selection = Selection((ref(server, "/two", snapshots["/two"]),), "two only")
    summary = write_wacz(tmp_path / "archive", tmp_path / "two.wacz", selection, CREATED)
    assert summary.sliced == (warc.name,) and summary.warnings == ()

    packaged = members(tmp_path / "two.wacz")[f"archive/{warc.name}"]
    original = warc.read_bytes()
    cut, whole = record_bytes(packaged), record_bytes(original)
    assert cut[0] == whole[0]  # the file's warcinfo
    assert all(record in whole for record in cut)  # nothing rewritten
    uris = {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(io.BytesIO(packaged))}
    assert server.url("/two") in uris and not uris & {server.url("/one"), server.url("/three")}
    layout = read_layout(warc, warc.name)
    assert len(layout.captures) == 3 and not layout.unclosed
    assert len(packaged) == layout.header_end + (layout.captures[1].end - layout.captures[1].start)
    assert [p["url"] for p in summary.pages] == [server.url("/two")] and summary.pages[0]["title"] == "Page two"


def test_a_redirected_citation_packages_its_hops_and_takes_the_final_pages_title(
    pages_served: LocalServer, tmp_path: Path
) -> None:
    server = pages_served
    snapshots = archive_of(server, tmp_path / "archive", ["/one", "/old"])
    selection = Selection((ref(server, "/old", snapshots["/old"]),), "redirect", main_urls=(server.url("/old"),))
    summary = write_wacz(tmp_path / "archive", tmp_path / "old.wacz", selection, CREATED)
    files = members(tmp_path / "old.wacz")
    lines = [json.loads(line.split(" ", 2)[2]) for line in files["indexes/index.cdxj"].decode().splitlines()]
    assert sorted((f["url"], f["status"]) for f in lines) == [(server.url("/old"), "301"), (server.url("/two"), "200")]
    assert [(p["url"], p["title"]) for p in summary.pages] == [(server.url("/old"), "Page two")]
    manifest = json.loads(files["datapackage.json"])
    assert manifest["mainPageUrl"] == server.url("/old") and manifest["mainPageDate"] == summary.pages[0]["ts"]


def test_a_revisit_brings_the_capture_of_its_original_from_another_file(
    pages_served: LocalServer, tmp_path: Path
) -> None:
    server = pages_served
    root = tmp_path / "archive"
    first = fetch(server, "/one")
    with Archive(root) as archive:
        archive.capture(first)
    with Archive(root) as archive:
        later = archive.capture(shifted(first, days=2)).snapshot
        archive.capture(fetch(server, "/three"))
    assert later is not None
    summary = write_wacz(root, tmp_path / "later.wacz", Selection((ref(server, "/one", later),)), CREATED)
    assert len(summary.warcs) == 2 and len(summary.pages) == 1  # the original's file, but not as a cited page
    assert summary.sliced == (Path(later.warc).name,)  # /three stays out
    files = members(tmp_path / "later.wacz")
    kinds = sorted(
        json.loads(line.split(" ", 2)[2])["mime"] for line in files["indexes/index.cdxj"].decode().splitlines()
    )
    assert kinds == ["text/html", "warc/revisit"]
    assert summary.pages[0]["title"] == "Page one"  # read from the original's payload


def test_the_package_bytes_depend_only_on_the_archive_and_the_clock(pages_served: LocalServer, tmp_path: Path) -> None:
    archive_of(pages_served, tmp_path / "archive", ["/one", "/two"])
    write_wacz(tmp_path / "archive", tmp_path / "a.wacz", Selection(), CREATED)
    write_wacz(tmp_path / "archive", tmp_path / "b.wacz", Selection(), CREATED)
    assert (tmp_path / "a.wacz").read_bytes() == (tmp_path / "b.wacz").read_bytes()
    later = CREATED + dt.timedelta(hours=1)
    write_wacz(tmp_path / "archive", tmp_path / "b.wacz", Selection(), later)  # replaced
    manifest = json.loads(members(tmp_path / "b.wacz")["datapackage.json"])
    assert manifest["created"] == "2026-12-01T09:00:00Z"
    with zipfile.ZipFile(tmp_path / "b.wacz") as package:
        assert {info.date_time for info in package.infolist()} == {(2026, 12, 1, 9, 0, 0)}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_what_cannot_be_packaged_is_named(pages_served: LocalServer, tmp_path: Path) -> None:
    server = pages_served
    snapshots = archive_of(server, tmp_path / "archive", ["/one", "/two"])
    gone = CaptureRef(server.url("/two"), "linkcheck-19990101000000-1-x-00000.warc.gz", 0)
    wrong = CaptureRef(server.url("/two"), snapshots["/two"].warc, 3)  # inside the warcinfo: no capture
    good = ref(server, "/one", snapshots["/one"])
    summary = write_wacz(tmp_path / "archive", tmp_path / "p.wacz", Selection((good, gone, wrong)), CREATED)
    assert [p["url"] for p in summary.pages] == [server.url("/one")]
    assert any("linkcheck-19990101000000-1-x-00000.warc.gz is not in the archive" in w for w in summary.warnings)
    assert any("no whole capture at offset 3" in w for w in summary.warnings)

    (tmp_path / "keep.wacz").write_bytes(b"an earlier package")
    with pytest.raises(ExportError, match="not in the archive"):
        write_wacz(tmp_path / "archive", tmp_path / "keep.wacz", Selection((gone,)), CREATED)
    assert (tmp_path / "keep.wacz").read_bytes() == b"an earlier package"  # nothing half-written over it
    with pytest.raises(ExportError, match="lists no captures"):
        write_wacz(tmp_path / "empty", tmp_path / "none.wacz", Selection(), CREATED)
    assert not (tmp_path / "none.wacz").exists()


def test_a_torn_warc_file_is_packaged_whole_with_only_its_whole_records_indexed(
    pages_served: LocalServer, tmp_path: Path
) -> None:
    server = pages_served
    archive_of(server, tmp_path / "archive", ["/one", "/two"])
    [warc] = (tmp_path / "archive" / "warc").glob("*.warc.gz")
    with warc.open("ab") as torn:
        torn.write(b"\x1f\x8b\x08\x00 a record cut short")
    summary = write_wacz(tmp_path / "archive", tmp_path / "all.wacz", Selection(), CREATED)
    files = members(tmp_path / "all.wacz")
    assert files[f"archive/{warc.name}"] == warc.read_bytes()
    assert summary.records == 2 and len(summary.pages) == 2
    assert summary.warnings == () and any("damaged WARC file" in note for note in summary.notes)
