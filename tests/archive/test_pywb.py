"""Real replay: pywb serves a captured page, its redirect and a revisit exactly as the server sent them."""

from __future__ import annotations

import http.client
import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from linkcheck.archive import Archive
from tests.archive.test_archive import fetch, serve_chunked, shifted
from tests.archive.test_hardening import raw_response
from tests.server import LocalServer, page, send

START_DEADLINE_S = 60.0


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


pytestmark = [
    pytest.mark.pywb,
    pytest.mark.skipif(
        importlib.util.find_spec("pywb") is None or _tool("wayback") is None or _tool("wb-manager") is None,
        reason="pywb is not installed (pip install pywb): the WARC replay test needs wb-manager and wayback",
    ),
]


def cdxj_lines(paths: list[Path]) -> list[tuple[str, str, dict[str, str]]]:
    """(urlkey, timestamp, fields) of every line, without our own `page` field."""
    found = []
    for path in paths:
        for line in path.read_text().splitlines():
            key, stamp, fields = line.split(" ", 2)
            found.append((key, stamp, {k: v for k, v in json.loads(fields).items() if k != "page"}))
    return sorted(found, key=lambda line: (line[0], line[1], line[2]["offset"]))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_until_serving(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_DEADLINE_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"wayback exited with {process.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            get(port, "/")
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"wayback did not answer within {START_DEADLINE_S:g}s:\n{log.read_text(errors='replace')[-2000:]}")


def wb_collection(replay: Path, warcs: list[Path]) -> None:
    """A pywb collection `coll` in `replay` holding these WARC files (pywb indexes them itself)."""
    replay.mkdir(exist_ok=True)
    for command in (["init", "coll"], *(["add", "coll", str(warc)] for warc in warcs)):
        subprocess.run(
            [_tool("wb-manager") or "wb-manager", *command], cwd=replay, check=True, capture_output=True, timeout=120
        )


@contextmanager
def wayback(replay: Path, log: Path) -> Iterator[int]:
    """pywb's server on 127.0.0.1 over the collections in `replay`; yields its port, stops it after."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [_tool("wayback") or "wayback", "-p", str(port), "--bind", "127.0.0.1"],
            cwd=replay,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_serving(process, port, log)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def stamp_of(captured_at: str) -> str:
    """A capture time as pywb writes it in replay URLs (14 digits)."""
    return captured_at.replace("-", "").replace(":", "").replace("T", "").rstrip("Z")


def test_pywb_replays_captured_pages(server: LocalServer, tmp_path: Path) -> None:
    story = page("Story", "<p>What the minister said, word for word.</p>")
    server.route("/story")(lambda h: send(h, 200, story))
    server.route("/old")(lambda h: send(h, 301, b"", "text/html", {"Location": "/story"}))
    chunks = [b"<html><body>", b"<p>sent in chunks</p>", b"</body></html>"]
    serve_chunked(server, "/chunked", chunks)

    first = fetch(server, "/old")
    later = shifted(fetch(server, "/story"), days=3)
    chunked = fetch(server, "/chunked")
    with Archive(tmp_path / "archive") as archive:
        original = archive.capture(first).snapshot
        revisit = archive.capture(later).snapshot
        archive.capture(chunked)
    assert original is not None and revisit is not None
    [warc] = sorted((tmp_path / "archive" / "warc").glob("*.warc.gz"))

    replay = tmp_path / "replay"
    wb_collection(replay, [warc])

    # pywb's own indexer files the records exactly as our index does (ours adds the readable copy)
    ours = cdxj_lines([tmp_path / "archive" / "indexes" / "index.cdxj"])
    theirs = cdxj_lines(sorted((replay / "collections" / "coll" / "indexes").glob("*.cdxj")))
    assert ours == theirs and len(ours) == 4

    hits_before = dict(server.hits)
    with wayback(replay, tmp_path / "wayback.log") as port:
        stamp = stamp_of(original.captured_at)
        status, headers, body = get(port, f"/coll/{stamp}id_/{server.url('/story')}")
        assert status == 200 and body == story
        assert headers["Content-Type"] == "text/html; charset=utf-8"

        status, headers, body = get(port, f"/coll/{stamp}id_/{server.url('/old')}")
        assert status == 301 and headers["Location"] == "/story"  # replay follows the chain from here

        later_stamp = stamp_of(revisit.captured_at)
        status, headers, body = get(port, f"/coll/{later_stamp}id_/{server.url('/story')}")
        assert status == 200 and body == story  # the revisit record resolved to the original payload
        assert "Memento-Datetime" in headers

        status, headers, body = get(port, f"/coll/{stamp}id_/{server.url('/chunked')}")
        assert status == 200 and body == b"".join(chunks)
    assert dict(server.hits) == hits_before  # everything came from the archive, nothing from the server


def test_pywb_indexes_and_replays_a_cyrillic_capture_as_we_do(server: LocalServer, tmp_path: Path) -> None:
    body = "<p>Москва — столица России.</p>".encode()
    server.routes["/wiki/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0"] = raw_response(
        "HTTP/1.1 200 Всё хорошо".encode(),
        [(b"Content-Type", b"text/html; charset=utf-8"), (b"X-Title", "Москва".encode())],
        body,
    )
    with Archive(tmp_path / "archive") as archive:
        snapshot = archive.capture(fetch(server, "/wiki/Москва")).snapshot
    assert snapshot is not None
    [warc] = sorted((tmp_path / "archive" / "warc").glob("*.warc.gz"))
    replay = tmp_path / "replay"
    wb_collection(replay, [warc])
    ours = cdxj_lines([tmp_path / "archive" / "indexes" / "index.cdxj"])
    theirs = cdxj_lines(sorted((replay / "collections" / "coll" / "indexes").glob("*.cdxj")))
    assert ours == theirs and len(ours) == 1

    hits_before = dict(server.hits)
    with wayback(replay, tmp_path / "wayback.log") as port:
        stamp = stamp_of(snapshot.captured_at)
        status, _headers, replayed = get(
            port, f"/coll/{stamp}id_/{server.url('/wiki/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0')}"
        )
    assert status == 200 and replayed == body  # pywb sends the status line on as latin-1: 500 if it could not
    assert dict(server.hits) == hits_before
