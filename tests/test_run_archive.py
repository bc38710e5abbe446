"""`linkcheck run` end to end with snapshots: WARCs warcio reads and pywb replays, readable copies,
revisits for unchanged pages on a second run, content-drift when a page changed."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from linkcheck import cli
from tests.archive.test_pywb import _tool, get, stamp_of, wayback, wb_collection
from tests.server import LocalServer, page, send

STORY = "<p>The ministry announced joint exercises with the participation of ten thousand troops.</p>" * 5
REWRITTEN = "<p>Weather forecast: snow is expected in the capital at the weekend, with frost.</p>" * 5


def run_cli(workdir: Path, *args: str) -> Any:
    return CliRunner().invoke(cli.app, ["run", *args], catch_exceptions=False)


def records(warc_dir: Path) -> list[tuple[str, str, bytes, dict[str, str]]]:
    found = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                headers = dict(record.rec_headers.headers)
                payload = record.content_stream().read()
                found.append((record.rec_type, headers.get("WARC-Target-URI", ""), payload, headers))
    return found


@pytest.fixture
def served(server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[LocalServer, Path]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKCHECK_CONFIG", raising=False)
    texts = {"/story": STORY}
    server.routes["/story"] = lambda h: send(h, 200, page("Joint exercises", texts["/story"]))
    server.routes["/stable"] = lambda h: send(h, 200, page("Stable page", STORY))
    server.routes["/old"] = lambda h: send(h, 301, b"", headers={"Location": "/stable"})
    server.routes["/private"] = lambda h: send(
        h, 200, page("Members only", STORY), headers={"X-Robots-Tag": "noarchive"}
    )
    server.texts = texts  # type: ignore[attr-defined]
    article = tmp_path / "article.md"
    article.write_text(
        "---\ndate: 2021-08-10\n---\n"
        f"The [announcement]({server.url('/story')}), an [older link]({server.url('/old')}),"
        f" a [stable page]({server.url('/stable')}) and a [members page]({server.url('/private')}).\n"
    )
    (tmp_path / "config.toml").write_text("[check]\nallow_private_networks = true\nretries = 0\n")
    return server, article


def test_two_runs_archive_revisit_and_drift(served: tuple[LocalServer, Path], tmp_path: Path) -> None:
    server, article = served
    first = run_cli(tmp_path, str(article), "--out", "one", "--fail-on", "never")
    assert first.exit_code == 0, first.output
    report = json.loads((tmp_path / "one" / "report.json").read_text())
    cited = {c["context"]: c for c in report["articles"][0]["citations"]}
    story = cited["announcement"]["snapshot"]
    assert story is not None and Path(story["page"]).is_dir()
    readable = (Path(story["page"]) / "page.html").read_text()
    assert "Joint exercises" in readable and server.url("/story") in readable  # banner names the URL
    assert "<base" not in readable  # self-contained: nothing resolves against the live site
    assert (Path(story["page"]) / "text.txt").read_text().count("ten thousand troops") >= 1
    assert cited["members page"]["snapshot"] is None
    assert "noarchive" in cited["members page"]["snapshot_skipped"]

    warc = records(tmp_path / "archive" / "warc")
    responses = {uri: payload for kind, uri, payload, _ in warc if kind == "response"}
    assert responses[server.url("/story")] == page("Joint exercises", STORY)
    assert server.url("/old") in responses  # the redirect hop is captured too
    assert server.url("/private") not in responses
    for kind, _, payload, headers in warc:
        if kind == "response":
            algorithm, value = headers["WARC-Payload-Digest"].split(":", 1)
            assert value == base64.b32encode(hashlib.new(algorithm, payload).digest()).decode()
    story_record = [h for k, u, p, h in warc if k == "response" and u == server.url("/story")][0]
    assert story_record["WARC-Target-URI"] == server.url("/story")
    assert hashlib.sha256(responses[server.url("/story")]).hexdigest() == story["sha256"]

    server.texts["/story"] = REWRITTEN  # type: ignore[attr-defined]
    second = run_cli(tmp_path, str(article), "--out", "two", "--fail-on", "never", "--force")
    assert second.exit_code == 0, second.output
    report = json.loads((tmp_path / "two" / "report.json").read_text())
    cited = {c["context"]: c for c in report["articles"][0]["citations"]}
    drift = [a for a in cited["announcement"]["anomalies"] if a["code"] == "content-drift"]
    assert len(drift) == 1 and "alike" in drift[0]["message"]
    assert [a["code"] for a in cited["stable page"]["anomalies"] if a["code"] == "content-drift"] == []

    kinds = [(kind, uri) for kind, uri, _, _ in records(tmp_path / "archive" / "warc")]
    assert ("revisit", server.url("/stable")) in kinds  # unchanged page: no second copy of the body
    assert kinds.count(("response", server.url("/story"))) == 2  # changed page: stored again

    history = CliRunner().invoke(cli.app, ["archive", "list", server.url("/story")])
    assert history.exit_code == 0 and history.output.count(server.url("/story")) == 2
    shown = CliRunner().invoke(cli.app, ["archive", "show", server.url("/story")])
    assert shown.exit_code == 0 and "readable copy:" in shown.output and ".warc.gz" in shown.output
    timeline = CliRunner().invoke(cli.app, ["history", server.url("/story")])
    assert timeline.exit_code == 0
    assert timeline.output.count(" check ") == 2 and timeline.output.count(" capture ") == 2
    reindexed = CliRunner().invoke(cli.app, ["archive", "reindex"])
    assert reindexed.exit_code == 0 and "indexed" in reindexed.output


def test_snapshot_command_captures_without_an_article(served: tuple[LocalServer, Path], tmp_path: Path) -> None:
    server, _ = served
    result = CliRunner().invoke(cli.app, ["snapshot", server.url("/stable"), server.url("/private")])
    assert result.exit_code == 0, result.output
    assert "page" in result.output or "pages" in result.output
    assert "not captured" in result.output and "noarchive" in result.output


@pytest.mark.pywb
@pytest.mark.skipif(
    importlib.util.find_spec("pywb") is None or _tool("wayback") is None,
    reason="pywb is not installed (pip install pywb)",
)
def test_pywb_replays_what_a_run_archived(served: tuple[LocalServer, Path], tmp_path: Path) -> None:
    server, article = served
    result = run_cli(tmp_path, str(article), "--out", "out", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    story = [c for c in report["articles"][0]["citations"] if c["context"] == "announcement"][0]["snapshot"]
    replay = tmp_path / "replay"
    wb_collection(replay, sorted((tmp_path / "archive" / "warc").glob("*.warc.gz")))
    with wayback(replay, tmp_path / "wayback.log") as port:
        stamp = stamp_of(story["captured_at"])
        status, _, body = get(port, f"/coll/{stamp}id_/{server.url('/story')}")
        assert status == 200 and body == page("Joint exercises", STORY)
        status, headers, _ = get(port, f"/coll/{stamp}id_/{server.url('/old')}")
        assert status == 301 and headers["Location"] == "/stable"
