"""One rule for the exit code: 0 clean, 1 findings, 2 the tool could not do its job, with the report of
what was gathered written and one line on stderr naming what failed (issue 11)."""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from linkcheck import cli, files, pipeline
from linkcheck.archive import Archive
from linkcheck.check.client import Fetcher
from linkcheck.environment import Environment
from linkcheck.state.store import Store
from tests.server import LocalServer, page, send


def setup(tmp_path: Path, server: LocalServer, *paths: str) -> Path:
    for path in paths:
        server.routes[path] = lambda h: send(h, 200, page("Fine"))
    (tmp_path / "config.toml").write_text("[check]\nallow_private_networks = true\nretries = 0\n")
    (tmp_path / "a.txt").write_text("".join(f"See {server.url(path)} here.\n" for path in paths))
    return tmp_path


def invoke(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(args), Environment(stdout=out, stderr=err, cwd=tmp_path, environ={}))
    return code, out.getvalue(), err.getvalue()


def report(tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / "report" / "report.json").read_text())
    return data


def test_a_clean_run_exits_0(tmp_path: Path, server: LocalServer) -> None:
    setup(tmp_path, server, "/a")
    assert invoke(tmp_path, "run", "a.txt")[0] == 0


def test_one_crashing_article_is_named_and_the_others_are_checked(
    tmp_path: Path, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(tmp_path, server, "/a")
    (tmp_path / "b.md").write_text("[x](https://example.org/)\n")
    real = pipeline.harvest

    def harvest(document: Any) -> Any:
        if document.source.endswith("b.md"):
            raise ValueError("Invalid IPv6 URL")
        return real(document)

    monkeypatch.setattr(pipeline, "harvest", harvest)
    code, _, err = invoke(tmp_path, "run", "a.txt", "b.md")
    assert code == 2
    assert "b.md: could not be harvested: ValueError: Invalid IPv6 URL" in err
    data = report(tmp_path)
    assert [a["source"] for a in data["articles"]] == ["a.txt"]
    assert data["articles"][0]["citations"][0]["verdict"] == "ok"
    assert "Invalid IPv6 URL" in data["errors"][0]["message"]


def test_a_crash_while_checking_keeps_the_report_and_marks_the_run(
    tmp_path: Path, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(tmp_path, server, "/a", "/b")
    (tmp_path / "config.toml").write_text(  # one at a time, so the first result is in before the crash
        "[check]\nallow_private_networks = true\nretries = 0\nconcurrency = 1\nper_host_concurrency = 1\n"
    )
    calls: list[str] = []
    real = Archive.capture

    def capture(self: Archive, fetch: Any, parsed: Any = None) -> Any:
        calls.append(fetch.url)
        if len(calls) == 2:
            raise UnicodeEncodeError("latin-1", "Москва", 0, 1, "ordinal not in range(256)")
        return real(self, fetch, parsed)

    monkeypatch.setattr(Archive, "capture", capture)
    code, _, err = invoke(tmp_path, "run", "a.txt")
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("linkcheck:")]
    assert len(lines) == 1 and "UnicodeEncodeError" in lines[0] and "Traceback" not in err
    data = report(tmp_path)
    assert "UnicodeEncodeError" in data["run"]["failure"]
    assert sorted(c["verdict"] for c in data["articles"][0]["citations"]) == ["ok", "skipped"]
    store = Store.open(tmp_path / "archive" / "state.sqlite")
    try:
        [(_, _, finished, interrupted, failure)] = list(store.runs())
    finally:
        store.close()
    assert finished is not None and not interrupted and "UnicodeEncodeError" in (failure or "")


def test_ctrl_c_is_not_a_clean_exit(tmp_path: Path, server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    setup(tmp_path, server, "/a")

    def interrupted(self: Fetcher, url: str) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(Fetcher, "fetch", interrupted)
    code, _, err = invoke(tmp_path, "run", "a.txt")
    assert code == 2 and "interrupted" in err
    [citation] = report(tmp_path)["articles"][0]["citations"]
    assert citation["verdict"] == "skipped" and "interrupted" in citation["error"]


def test_an_unexpected_error_in_any_command_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "state.sqlite").write_bytes(b"")

    def broken(path: Path) -> Store:
        raise RuntimeError("the store fell over")

    monkeypatch.setattr(Store, "open", staticmethod(broken))
    code, out, err = invoke(tmp_path, "status")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == ["linkcheck: RuntimeError: the store fell over"]


def test_a_run_that_reached_nothing_exits_2(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[check]\nallow_private_networks = true\nretries = 0\n")
    (tmp_path / "a.txt").write_text("See http://127.0.0.1:9/a and http://127.0.0.1:9/b here.\n")  # port 9: refused
    code, _, err = invoke(tmp_path, "run", "a.txt", "--no-state")
    assert code == 2 and "no cited URL could be reached" in err
    assert {c["verdict"] for c in report(tmp_path)["articles"][0]["citations"]} == {"unreachable"}


def test_a_run_with_fewer_formats_leaves_no_old_report_behind(tmp_path: Path, server: LocalServer) -> None:
    setup(tmp_path, server, "/a")
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "notes.html").write_text("the user's own file")
    assert invoke(tmp_path, "run", "a.txt", "-f", "json", "-f", "html", "-f", "junit")[0] == 0
    assert {p.name for p in (tmp_path / "report").iterdir()} == {
        "report.json",
        "report.html",
        "junit.xml",
        "notes.html",
    }
    assert invoke(tmp_path, "run", "a.txt", "--force")[0] == 0
    assert {p.name for p in (tmp_path / "report").iterdir()} == {"report.json", "notes.html"}


def test_a_damaged_state_store_is_named_with_exit_2(tmp_path: Path, server: LocalServer) -> None:
    setup(tmp_path, server, "/a")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "state.sqlite").write_bytes(b"this is not a database, it was overwritten" * 100)
    code, _, err = invoke(tmp_path, "run", "a.txt")
    assert code == 2 and "state.sqlite" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_file_size_limit_mid_run_ends_in_one_line_and_exit_2(tmp_path: Path, server: LocalServer) -> None:
    """`ulimit -f`: writes past the limit fail with EFBIG (Python ignores SIGXFSZ); the run says so."""
    big = page("Big", "<p>" + "words of a long page " * 20_000 + "</p>")  # ~400 KB: past the limit in the WARC
    server.routes["/big"] = lambda h: send(h, 200, big)
    setup(tmp_path, server)
    (tmp_path / "a.txt").write_text(f"See {server.url('/big')} here.\n")
    root = Path(__file__).resolve().parents[2]

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    finished = subprocess.run(
        [sys.executable, "-m", "linkcheck", "run", "a.txt"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_file_size,
    )
    assert finished.returncode == 2, finished.stderr
    assert "Traceback" not in finished.stderr and "File too large" in finished.stderr
    assert report(tmp_path)["run"]["failure"]  # the report of what was gathered is still written


def test_a_run_killed_while_writing_its_report_leaves_the_last_one_whole(tmp_path: Path, server: LocalServer) -> None:
    setup(tmp_path, server, "/a", "/b")
    assert invoke(tmp_path, "run", "a.txt")[0] == 0
    before = (tmp_path / "report" / "report.json").read_text()
    ready = tmp_path / "writing"
    # The second run stops inside the atomic write of report.json, its new content half on disk.
    script = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "import linkcheck.files as files\n"
        "real = files.os.replace\n"
        "def replace(source, target):\n"
        "    if str(target).endswith('report.json'):\n"
        f"        Path({str(ready)!r}).write_text('x')\n"
        "        time.sleep(60)\n"
        "    return real(source, target)\n"
        "files.os.replace = replace\n"
        "from linkcheck.cli import main\n"
        "sys.exit(main(['run', 'a.txt', '--force']))\n"
    )
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(root)}
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists()
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert (tmp_path / "report" / "report.json").read_text() == before  # the old report, whole
    [leftover] = (tmp_path / "report").glob(".report.json.*.tmp")
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))  # as if the kill was an hour ago
    assert invoke(tmp_path, "run", "a.txt", "--force")[0] == 0
    after = report(tmp_path)
    assert [c["verdict"] for c in after["articles"][0]["citations"]] == ["ok", "ok"]
    assert not list((tmp_path / "report").glob(".*.tmp"))  # the killed run's temporary file is gone
    store = Store.open(tmp_path / "archive" / "state.sqlite")
    try:
        runs = list(store.runs())
    finally:
        store.close()
    # The killed run had finished its checks (recorded as they came in); the rerun reused them.
    assert len(runs) == 3 and all(finished for _, _, finished, _, _ in runs) and runs[2][4] is None


def test_reports_and_readable_copies_follow_the_umask_not_0600(tmp_path: Path, server: LocalServer) -> None:
    setup(tmp_path, server, "/a")
    assert invoke(tmp_path, "run", "a.txt", "-f", "json", "-f", "html")[0] == 0
    expected = 0o666 & ~files.UMASK
    written = [tmp_path / "report" / "report.json", tmp_path / "report" / "report.html"]
    written += [path for path in (tmp_path / "archive" / "pages").rglob("*") if path.is_file()]
    assert len(written) > 3
    assert {path: stat.S_IMODE(path.stat().st_mode) for path in written} == dict.fromkeys(written, expected)
    assert expected & 0o044  # with the usual umask 022, others and the group may read them
