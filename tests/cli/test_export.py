"""`linkcheck export --wacz` end to end: an archive made by real runs on a loopback site, packaged,
checked by the `wacz` validator, by our own reading of the ZIP, and replayed by pywb with the site down."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from linkcheck import cli
from linkcheck.environment import Environment
from tests.archive.test_pywb import _tool, get, wayback
from tests.cli.conftest import LOOPBACK_CONFIG, Outcome
from tests.server import LocalServer, page, send

ROOT = Path(__file__).resolve().parents[2]
REQUISITE_ONLY = "/backdrop.png"  # served, named by the stylesheet, cited by no article
CREATED = dt.datetime(2026, 12, 1, 12, 30, 5, tzinfo=dt.UTC)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5274ede0000000049454e44ae426082"
)
# The background image is named by the stylesheet only: no article cites it, so only the page's
# requisites bring it into the archive and the package.
CSS = b"body { background: #fafafa url(/backdrop.png); color: #222; }\nh1 { font-family: serif; }\n"
STORY = page(
    "Joint exercises",
    '<link rel="stylesheet" href="/style.css"><img src="/photo.png" alt="troops">'
    "<p>The ministry announced joint exercises with ten thousand troops.</p>",
)
OTHER = page("Harvest report", "<p>The grain harvest was the largest in a decade.</p>")


@dataclass
class Site:
    server: LocalServer
    cwd: Path
    bodies: dict[str, bytes]

    def __call__(self, *args: str, now: dt.datetime = CREATED) -> Outcome:
        """`linkcheck ARGS...` in the site's working folder, its clock fixed at `now`."""
        out, err = io.StringIO(), io.StringIO()
        env = Environment(stdin=io.BytesIO(), stdout=out, stderr=err, cwd=self.cwd, environ={}, now=lambda: now)
        return Outcome(cli.main(list(args), env), out.getvalue(), err.getvalue())

    def url(self, path: str) -> str:
        return self.server.url(path)


@pytest.fixture
def site(server: LocalServer, tmp_path: Path) -> Site:
    """Two articles on a loopback site, run twice (the second run finds every page unchanged: revisits)."""
    bodies = {
        "/story": STORY,
        "/photo.png": PNG,
        "/style.css": CSS,
        "/backdrop.png": PNG[:-1] + b"\x83",
        "/other": OTHER,
    }
    types = {
        "/story": "text/html; charset=utf-8",
        "/photo.png": "image/png",
        "/backdrop.png": "image/png",
        "/style.css": "text/css",
    }
    for path, body in bodies.items():
        kind = types.get(path, "text/html; charset=utf-8")
        server.routes[path] = lambda h, body=body, kind=kind: send(h, 200, body, kind)
    (tmp_path / "config.toml").write_text(LOOPBACK_CONFIG)
    (tmp_path / "a.md").write_text(
        f"# Drills\n\nThe [announcement]({server.url('/story')}), its [photo]({server.url('/photo.png')})"
        f" and [stylesheet]({server.url('/style.css')}).\n"
    )
    (tmp_path / "b.md").write_text(f"# Harvest\n\nThe [harvest report]({server.url('/other')}).\n")
    built = Site(server, tmp_path, bodies)
    for day, folder, extra in ((1, "one", ()), (2, "two", ("--force",))):
        when = dt.datetime(2026, 11, day, 9, 0, tzinfo=dt.UTC)
        result = built("run", "a.md", "b.md", "--out", folder, "--fail-on", "never", *extra, now=when)
        assert result.code == 0, result.err
    return built


def package_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def index_lines(files: dict[str, bytes]) -> list[tuple[str, str, dict[str, str]]]:
    lines = []
    for line in files["indexes/index.cdxj"].decode().splitlines():
        key, stamp, fields = line.split(" ", 2)
        lines.append((key, stamp, json.loads(fields)))
    return lines


def pages_of(files: dict[str, bytes]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    header, *pages = [json.loads(line) for line in files["pages/pages.jsonl"].decode().splitlines()]
    return header, pages


def warc_records(files: dict[str, bytes]) -> list[tuple[str, str]]:
    found = []
    for name, data in files.items():
        if name.startswith("archive/"):
            for record in ArchiveIterator(io.BytesIO(data)):
                found.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI") or ""))
    return found


def wacz_validator() -> str | None:
    """The `wacz` command: $LINKCHECK_WACZ, else the .venv-wacz that .ci/run makes, else on PATH.

    It lives in its own virtual environment: it pulls in chardet, which would take over charset
    detection from charset-normalizer in BeautifulSoup and requests beside linkcheck.
    """
    for candidate in (os.environ.get("LINKCHECK_WACZ"), str(ROOT / ".venv-wacz" / "bin" / "wacz")):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("wacz")


def test_export_of_the_whole_archive_is_a_valid_wacz(site: Site) -> None:
    result = site("export", "--wacz", "out/all.wacz")
    assert result.code == 0, result.err
    path = site.cwd / "out" / "all.wacz"
    files = package_files(path)

    manifest = json.loads(files["datapackage.json"])
    assert manifest["profile"] == "data-package" and manifest["wacz_version"] == "1.1.1"
    assert manifest["created"] == "2026-12-01T12:30:05Z"
    assert manifest["software"].startswith("linkcheck ") and manifest["title"]
    assert "mainPageUrl" not in manifest  # no single article
    listed = {resource["path"]: resource for resource in manifest["resources"]}
    assert set(listed) == set(files) - {"datapackage.json", "datapackage-digest.json"}
    for name, resource in listed.items():  # every hash and size is the bytes in the ZIP
        assert resource["hash"] == "sha256:" + hashlib.sha256(files[name]).hexdigest(), name
        assert resource["bytes"] == len(files[name]), name
    digest = json.loads(files["datapackage-digest.json"])
    manifest_hash = "sha256:" + hashlib.sha256(files["datapackage.json"]).hexdigest()
    assert digest == {"path": "datapackage.json", "hash": manifest_hash}

    # every WARC file of the archive, byte for byte, stored (not recompressed)
    archive_warcs = sorted((site.cwd / "archive" / "warc").glob("*.warc.gz"))
    assert len(archive_warcs) == 2
    for warc in archive_warcs:
        assert files[f"archive/{warc.name}"] == warc.read_bytes()
    with zipfile.ZipFile(path) as package:
        stored = {i.compress_type for i in package.infolist() if i.filename.startswith("archive/")}
    assert stored == {zipfile.ZIP_STORED}

    lines = index_lines(files)
    assert [line[:2] for line in lines] == sorted(line[:2] for line in lines)
    ours = (site.cwd / "archive" / "indexes" / "index.cdxj").read_text().splitlines()
    archive_index = {
        (k, s, json.dumps({f: v for f, v in json.loads(j).items() if f != "page"}))
        for k, s, j in (line.split(" ", 2) for line in ours)
    }
    assert {(k, s, json.dumps(f)) for k, s, f in lines} == archive_index  # the archive's own index, page aside
    assert len(lines) >= 8  # 4 URLs, a response in run 1 and a revisit in run 2 (and requisites, once captured)
    for _key, stamp, fields in lines:
        assert len(stamp) == 14 and set(fields) >= {"url", "mime", "digest", "length", "offset", "filename"}
        assert "page" not in fields and f"archive/{fields['filename']}" in files

    header, pages = pages_of(files)
    assert header["format"] == "json-pages-1.0" and header["id"] == "pages" and header["title"]
    assert sorted({p["url"] for p in pages}) == sorted(site.url(p) for p in site.bodies if p != REQUISITE_ONLY)
    assert len(pages) == 8  # each URL captured by each run
    titles = {p["url"]: p.get("title") for p in pages}
    assert titles[site.url("/story")] == "Joint exercises" and titles[site.url("/other")] == "Harvest report"
    assert titles[site.url("/photo.png")] is None
    for line in pages:
        dt.datetime.strptime(line["ts"], "%Y-%m-%dT%H:%M:%SZ")  # RFC 3339


def test_wacz_validate_accepts_the_package(site: Site) -> None:
    validator = wacz_validator()
    if validator is None:
        pytest.skip("the `wacz` validator is not installed (.ci/run puts it in .venv-wacz: pip install wacz)")
    for name, args in (("all", ()), ("article", ("--source", "a.md", "--run", "2"))):
        result = site("export", "--wacz", f"{name}.wacz", *args)
        assert result.code == 0, result.err
        command = [validator, "validate", "--file", str(site.cwd / f"{name}.wacz")]
        checked = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "Validation succeeded" in checked.stdout

    # the validator does catch a package whose files do not match its manifest
    files = package_files(site.cwd / "all.wacz")
    with zipfile.ZipFile(site.cwd / "tampered.wacz", "w") as tampered:
        for name, data in files.items():
            tampered.writestr(name, data.replace(b"Joint exercises", b"Joint exercisez"))
    command = [validator, "validate", "--file", str(site.cwd / "tampered.wacz")]
    checked = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert checked.returncode != 0 and "Validation failed" in checked.stdout


def test_source_exports_only_that_articles_citations(site: Site) -> None:
    result = site("export", "--wacz", "a.wacz", "--source", "a.md")
    assert result.code == 0, result.err
    files = package_files(site.cwd / "a.wacz")
    cited = {site.url("/story"), site.url("/photo.png"), site.url("/style.css")}
    _header, pages = pages_of(files)
    assert {p["url"] for p in pages} == cited and len(pages) == 6  # both runs' captures
    # the index has the cited pages and the story's requisite: its stylesheet's background image
    assert {fields["url"] for _k, _s, fields in index_lines(files)} == cited | {site.url(REQUISITE_ONLY)}
    # the WARC files are shared with article b: they carry a's captures only, records unchanged
    assert site.url("/other") not in {uri for _kind, uri in warc_records(files)}
    manifest = json.loads(files["datapackage.json"])
    assert manifest["mainPageUrl"] == site.url("/story")  # the article's first citation
    assert manifest["mainPageDate"] == max(p["ts"] for p in pages if p["url"] == site.url("/story"))
    archive_bytes = b"".join(w.read_bytes() for w in (site.cwd / "archive" / "warc").glob("*.warc.gz"))
    for name, data in files.items():
        if name.startswith("archive/"):
            for _key, _stamp, fields in index_lines(files):
                if fields["filename"] == name.removeprefix("archive/"):
                    record = data[int(fields["offset"]) : int(fields["offset"]) + int(fields["length"])]
                    assert record in archive_bytes  # each gzip member copied byte for byte


def test_run_exports_that_runs_captures_and_the_originals_its_revisits_need(site: Site) -> None:
    run_id = json.loads((site.cwd / "two" / "report.json").read_text())["run"]["id"]  # where users find it
    assert run_id == 2
    result = site("export", "--wacz", "run2.wacz", "--run", str(run_id))
    assert result.code == 0, result.err
    files = package_files(site.cwd / "run2.wacz")
    _header, pages = pages_of(files)
    assert len(pages) == 4 and {p["url"] for p in pages} == {site.url(p) for p in site.bodies if p != REQUISITE_ONLY}
    lines = index_lines(files)
    revisits = [fields for _k, _s, fields in lines if fields["mime"] == "warc/revisit"]
    responses = [fields for _k, _s, fields in lines if fields["mime"] != "warc/revisit"]
    # run 2's revisits of the 4 cited URLs, and run 1's originals they point to, from run 1's file
    assert {f["url"] for f in revisits} == {f["url"] for f in responses} == {site.url(p) for p in site.bodies}
    run1_file, run2_file = sorted({f["filename"] for _k, _s, f in lines})  # named by their run's start
    assert {f["filename"] for f in responses} == {run1_file}
    assert {f["url"] for f in revisits if f["filename"] == run2_file} == {site.url(p) for p in site.bodies}
    assert {f["digest"] for f in revisits} == {f["digest"] for f in responses}
    # pages.jsonl lists run 2's captures only
    run2_stamps = {s for _k, s, fields in lines if fields["mime"] == "warc/revisit"}
    assert {p["ts"].replace("-", "").replace(":", "").replace("T", "").rstrip("Z") for p in pages} <= run2_stamps

    both = site("export", "--wacz", "b1.wacz", "--run", "1", "--source", "b.md")
    assert both.code == 0, both.err
    files = package_files(site.cwd / "b1.wacz")
    assert [fields["url"] for _k, _s, fields in index_lines(files)] == [site.url("/other")]
    assert [p["url"] for p in pages_of(files)[1]] == [site.url("/other")]


def test_unknown_run_or_article_is_named_and_exits_2(site: Site) -> None:
    result = site("export", "--wacz", "x.wacz", "--run", "9")
    assert result.code == 2 and "no run 9" in result.err
    result = site("export", "--wacz", "x.wacz", "--source", "missing.md")
    assert result.code == 2 and "missing.md" in result.err and "no article" in result.err
    assert not (site.cwd / "x.wacz").exists()
    result = site("export", "--run", "1")
    assert result.code == 2 and "--wacz" in result.err


def test_what_cannot_be_packaged_is_named_and_the_rest_is_written(site: Site) -> None:
    (site.cwd / "c.md").write_text("# Gone\n\nThe [old site](http://127.0.0.1:1/closed).\n")
    unreachable = site("run", "c.md", "--out", "three", "--fail-on", "never")
    assert unreachable.code == 2 and "1 unreachable" in unreachable.out  # nothing reached: nothing captured
    result = site("export", "--wacz", "c.wacz", "--source", "c.md")
    assert result.code == 2 and "nothing to export: no capture of the URLs cited by c.md" in result.err
    assert not (site.cwd / "c.wacz").exists()

    first_run = min((site.cwd / "archive" / "warc").glob("*.warc.gz"))
    first_run.unlink()  # run 2's revisits lose their originals
    result = site("export", "--wacz", "run2.wacz", "--run", "2")
    assert result.code == 2
    assert result.err.count(f"warc/{first_run.name} is not in the archive") == 1
    assert f"revisit of {site.url('/story')}" in result.err and "cannot replay it" in result.err
    _header, pages = pages_of(package_files(site.cwd / "run2.wacz"))
    assert len(pages) == 4  # written with what there is


def test_export_without_a_state_store_needs_one_for_run_and_source(lc: Any) -> None:
    result = lc("export", "--wacz", "x.wacz", "--run", "1")
    assert result.code == 2 and "no state store" in result.err
    result = lc("export", "--wacz", "x.wacz")
    assert result.code == 2 and "no captures" in result.err


@pytest.mark.pywb
@pytest.mark.skipif(
    importlib.util.find_spec("pywb") is None or _tool("wayback") is None or _tool("wb-manager") is None,
    reason="pywb is not installed (pip install pywb)",
)
def test_pywb_replays_every_url_of_the_package_with_the_site_down(site: Site, tmp_path: Path) -> None:
    result = site("export", "--wacz", "a.wacz", "--source", "a.md", "--run", "2")
    assert result.code == 0, result.err
    replay = tmp_path / "replay"
    replay.mkdir()
    subprocess.run([_tool("wb-manager") or "wb-manager", "init", "coll"], cwd=replay, check=True, capture_output=True)
    collection = replay / "collections" / "coll"
    with zipfile.ZipFile(site.cwd / "a.wacz") as package:
        for info in package.infolist():
            if info.filename.startswith("archive/"):
                (collection / "archive" / Path(info.filename).name).write_bytes(package.read(info))
        # pywb is given the package's own index, not one it builds itself
        (collection / "indexes" / "index.cdxj").write_bytes(package.read("indexes/index.cdxj"))
        files = {info.filename: package.read(info) for info in package.infolist()}
    lines = index_lines(files)
    # story, photo and stylesheet: run 2's revisits and run 1's originals; the backdrop as the page's requisite
    cited_and_requisites = ("/story", "/photo.png", "/style.css", REQUISITE_ONLY)
    assert {fields["url"] for _k, _s, fields in lines} == {site.url(p) for p in cited_and_requisites}
    assert len(lines) >= 6
    site.server.stop()
    hits_before = dict(site.server.hits)
    with wayback(replay, tmp_path / "wayback.log") as port:
        for _key, stamp, fields in lines:
            status, _headers, body = get(port, f"/coll/{stamp}id_/{fields['url']}")
            path = fields["url"].removeprefix(site.url(""))
            assert status == 200 and body == site.bodies[path], fields
        for cited in pages_of(files)[1]:
            stamp = cited["ts"].replace("-", "").replace(":", "").replace("T", "").rstrip("Z")
            status, _headers, body = get(port, f"/coll/{stamp}/{cited['url']}")
            assert status == 200 and body, cited  # the page as replay shows it (rewritten)
    assert dict(site.server.hits) == hits_before
