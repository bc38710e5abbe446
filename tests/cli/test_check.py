"""`linkcheck check URL...`: URLs checked without an article, with run's verdicts, anomalies, snapshots,
reports and exit codes."""

from __future__ import annotations

import json

from tests.cli.conftest import Cli
from tests.server import LocalServer, page, send


def serve(server: LocalServer) -> None:
    server.routes["/ok"] = lambda h: send(h, 200, page("A good page"))
    server.routes["/gone"] = lambda h: send(h, 404, page("Not Found"))
    server.routes["/wall"] = lambda h: send(h, 403, page("Forbidden"))


def test_urls_get_verdicts_a_report_and_runs_exit_codes(lc: Cli, server: LocalServer) -> None:
    serve(server)
    done = lc("check", server.url("/ok"), "-f", "sarif", "-f", "junit")
    assert done.code == 0, done.err
    [article] = lc.report()["articles"]
    assert article["source"] == "(command line)"
    [citation] = article["citations"]
    assert (citation["url"], citation["verdict"], citation["line"]) == (server.url("/ok"), "ok", 1)
    assert citation["snapshot"] is not None  # captured, as in a run
    # Notes only (an IP-address host over plain http), located on the command line, not in a file.
    results = json.loads((lc.cwd / "report" / "report.sarif").read_text())["runs"][0]["results"]
    assert {r["level"] for r in results} == {"note"}
    assert {json.dumps(r["locations"]) for r in results} == {
        json.dumps([{"logicalLocations": [{"name": "command line", "kind": "resource"}]}])
    }
    assert (lc.cwd / "report" / "junit.xml").exists()
    broken = lc("check", server.url("/ok"), server.url("/gone"))
    assert broken.code == 1
    assert "1 broken" in broken.out and f"{server.url('/gone')}  ((command line):2; HTTP 404" in broken.out


def test_flags_apply_to_check_as_to_run(lc: Cli, server: LocalServer) -> None:
    serve(server)
    assert lc("check", server.url("/wall"), "--fail-on", "warning").code == 1
    assert lc("check", server.url("/wall"), "--fail-on", "warning", "-a", "403").code == 0
    assert lc("check", server.url("/ok"), "-H", "X-Desk: checks", "-u", "Desk/2").code == 0
    assert (server.request_headers[-1]["X-Desk"], server.request_headers[-1]["User-Agent"]) == ("checks", "Desk/2")
    excluded = lc("check", server.url("/gone"), "--exclude", "/gone")
    assert excluded.code == 0 and lc.citations()[server.url("/gone")]["verdict"] == "skipped"


def test_urls_from_standard_input_always_fetched_and_recorded(lc: Cli, server: LocalServer) -> None:
    serve(server)
    urls = f"{server.url('/ok')}\n# a comment\n{server.url('/gone')}\n".encode()
    assert lc("check", "-", stdin=urls).code == 1
    assert lc("check", "-", stdin=urls).code == 1
    assert server.hits["/ok"] == 2  # checked now each time, not reused from the store
    status = lc("status", "--json")
    assert json.loads(status.out)["runs"] == 2


def test_offline_check_flags_what_a_url_shows_by_itself(lc: Cli, server: LocalServer) -> None:
    done = lc("check", "news.example/2099/01/01/story", server.url("/ok"), "--offline")
    assert done.code == 1 and sum(server.hits.values()) == 0
    citations = lc.citations()
    dated = citations["https://news.example/2099/01/01/story"]  # https:// assumed
    assert dated["verdict"] == "skipped" and [a["code"] for a in dated["anomalies"]] == ["future-dated-url"]


def test_check_needs_a_url(lc: Cli) -> None:
    assert lc("check").code == 2
    assert lc("check", "-", stdin=b"\n").code == 2
