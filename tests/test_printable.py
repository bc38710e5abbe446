"""Everything printed is sanitized: control characters from servers, articles and file names are shown,
never obeyed, in the terminal, GitHub annotations, report.md and report.csv (issue 11, item 7)."""

from __future__ import annotations

import csv
import io
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from linkcheck import cli
from linkcheck.environment import Environment
from linkcheck.printable import visible, visible_json
from linkcheck.reports import csv_report, markdown
from linkcheck.reports.options import ReportOptions
from tests.reports.test_reports import hostile_run
from tests.server import LocalServer

TITLE_CHANGE = "\x1b]0;pwned\x07"  # sets the terminal's title when printed raw


def test_visible_escapes_controls_and_bidi_marks() -> None:
    assert visible(f"a{TITLE_CHANGE}b") == "a\\x1b]0;pwned\\x07b"
    assert visible("x\u202egnp.exe") == "x\\u202egnp.exe"
    assert visible("one\ntwo", keep_newlines=True) == "one\ntwo"
    assert visible("Москва — ok") == "Москва — ok"
    text = json.dumps({"reason": "a\x9bb\u202ec"}, ensure_ascii=False)
    assert json.loads(visible_json(text)) == {"reason": "a\x9bb\u202ec"} and "\x9b" not in visible_json(text)


def _hostile_reason(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(404, f"Not Found{TITLE_CHANGE}")
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def test_a_reason_phrase_with_escapes_reaches_no_terminal_raw(tmp_path: Path, server: LocalServer) -> None:
    server.routes["/gone"] = _hostile_reason
    (tmp_path / "config.toml").write_text("[check]\nallow_private_networks = true\nretries = 0\n")
    (tmp_path / "a.txt").write_text(f"See {server.url('/gone')} here.\n")
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, cwd=tmp_path, environ={"GITHUB_ACTIONS": "true"})
    code = cli.main(["run", "a.txt", f"bad{TITLE_CHANGE}.txt"], env)
    assert code == 2  # the unreadable source
    printed = out.getvalue() + err.getvalue()
    assert "\x1b" not in printed and "\x07" not in printed
    assert "Not Found\\x1b]0;pwned\\x07" in out.getvalue()  # in the summary, shown
    assert any(line.startswith("::error") and "\\x1b" in line for line in out.getvalue().splitlines())
    assert "bad\\x1b]0;pwned\\x07.txt" in err.getvalue()


def test_report_md_makes_no_link_from_article_text() -> None:
    assert markdown.escape("see www.evil.example and WWW.Other.example") == (
        "see www\\.evil.example and WWW\\.Other.example"
    )
    assert "\x1b" not in markdown.escape(f"x{TITLE_CHANGE}") and "\u202e" not in markdown.escape("a\u202eb")
    text = markdown.render(hostile_run(), ReportOptions())
    assert "\x1b" not in text and "\u202e" not in text


def test_report_csv_carries_no_raw_control_character() -> None:
    text = csv_report.render(hostile_run(), ReportOptions())
    for row in csv.reader(io.StringIO(text.removeprefix(csv_report.BOM))):
        for cell in row:
            assert not any(ch < " " and ch not in "\n" or "\x7f" <= ch <= "\x9f" for ch in cell), cell
