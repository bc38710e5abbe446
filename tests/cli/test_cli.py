"""The whole CLI in-process: exit codes, config errors, bad input, and end-to-end runs on loopback."""

from __future__ import annotations

import io
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from linkcheck import __version__, cli
from linkcheck.environment import Environment
from tests.server import LocalServer, page, send

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CASE_URLS = {
    "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews",
    "https://www.kommersant.ru/doc/4936744?from=four_mir",
    "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-amid-taliban-offensive",
}
runner = CliRunner()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No name but loopback resolves, as on a machine without internet (and no DNS traffic leaves)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name in ("localhost", "::1") or name.startswith("127."):
            return real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKCHECK_CONFIG", raising=False)
    yield tmp_path


SCHEMA = json.loads((ROOT / "linkcheck" / "reports" / "schema" / "report.schema.json").read_text())


def read_report(path: Path) -> dict[str, Any]:
    """report.json as written by a run, checked against the shipped JSON Schema."""
    report: dict[str, Any] = json.loads(path.read_text())
    jsonschema.validate(report, SCHEMA)
    return report


def invoke(*args: str, stdin: bytes | None = None) -> Any:
    env = Environment(stdin=io.BytesIO(stdin)) if stdin is not None else None
    return runner.invoke(cli.app, list(args), catch_exceptions=False, obj=env)


def loopback_config(directory: Path, **extra: str) -> Path:
    lines = ["[check]", "allow_private_networks = true", "timeout = 5.0", "retries = 0"]
    lines += [f"{key} = {value}" for key, value in extra.items()]
    path = directory / "test-config.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"linkcheck {__version__}"


def test_help_names_the_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for word in ("run", "harvest", "citations"):
        assert word in result.output


def test_bad_config_exits_2_naming_the_key(workdir: Path) -> None:
    (workdir / "config.toml").write_text("[check]\nconcurency = 4\n")
    result = invoke("run", str(EXAMPLES))
    assert result.exit_code == 2
    assert "config.toml" in result.output and "concurency" in result.output


def test_harvest_json_on_the_examples(workdir: Path) -> None:
    result = invoke("harvest", str(EXAMPLES), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    kinds = {Path(a["source"]).suffix for a in data["articles"]}
    assert {".txt", ".html", ".md"} <= kinds
    for article in data["articles"]:
        assert article["published"] == "2021-08-10", article["source"]
        assert CASE_URLS <= {c["normalized_url"] for c in article["citations"]}, article["source"]


def test_harvest_url_gives_a_saved_page_its_address(workdir: Path) -> None:
    # A saved page: relative links and no date of its own; the address it was published at has both.
    (workdir / "saved.html").write_text(
        "<html><body><article><p>" + "Text of the saved article. " * 20 + '<a href="/docs/report.pdf">report</a>'
        "</p></article></body></html>"
    )
    plain = json.loads(invoke("harvest", "saved.html", "--json").output)["articles"][0]
    assert plain["published"] is None and plain["citations"][0]["skip_reason"]
    result = invoke("harvest", "saved.html", "--json", "--url", "https://news.example/2021/08/10/saved/")
    assert result.exit_code == 0, result.output
    article = json.loads(result.output)["articles"][0]
    assert (article["published"], article["published_from"]) == ("2021-08-10", "url")
    assert article["citations"][0]["normalized_url"] == "https://news.example/docs/report.pdf"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["saved.html", "--url", "ftp://news.example/a"], "not an http(s):// address"),
        (["saved.html", "saved.html", "--url", "https://news.example/a"], "exactly one file"),
        (["https://news.example/a", "--url", "https://news.example/a"], "exactly one file"),
    ],
)
def test_harvest_url_is_refused_when_it_cannot_name_one_saved_page(
    workdir: Path, args: list[str], message: str
) -> None:
    (workdir / "saved.html").write_text("<p>x</p>")
    result = invoke("harvest", *args)
    assert result.exit_code == 2 and message in result.output


def test_run_url_reaches_the_harvest_and_a_folder_is_refused(workdir: Path, offline: None) -> None:
    (workdir / "saved.md").write_text("# T\n\n[rel](/a)\n")
    result = invoke("run", "saved.md", "--url", "https://news.example/2021/08/10/p", "--out", "out", "--no-state")
    article = read_report(workdir / "out" / "report.json")["articles"][0]
    assert article["published"] == "2021-08-10"
    assert article["citations"][0]["normalized_url"] == "https://news.example/a", result.output
    (workdir / "folder").mkdir()
    (workdir / "folder" / "a.md").write_text("x")
    result = invoke("harvest", "folder", "--url", "https://news.example/p")
    assert result.exit_code == 2 and "this is a folder" in result.output


def test_run_on_the_examples_offline_is_quick_and_complete(workdir: Path, offline: None) -> None:
    began = time.monotonic()
    result = invoke("run", str(EXAMPLES), "--out", "out")
    elapsed = time.monotonic() - began
    report = read_report(workdir / "out" / "report.json")
    assert report["schema_version"] == 1
    assert report["errors"] == []
    for article in report["articles"]:
        assert article["published"] == "2021-08-10"
        cited = {c["normalized_url"]: c for c in article["citations"]}
        assert CASE_URLS <= set(cited)
        for url in CASE_URLS:
            assert cited[url]["verdict"] == "unreachable"
            assert "not resolved" in cited[url]["error"]
        moscow_times = [c for c in article["citations"] if "themoscowtimes" in c["normalized_url"]][0]
        assert [(a["code"], a["severity"]) for a in moscow_times["anomalies"]] == [("future-dated-url", "error")]
        assert "1697 days after the article (2021-08-10)" in moscow_times["anomalies"][0]["message"]
        kommersant = [c for c in article["citations"] if "kommersant" in c["normalized_url"]][0]
        assert [a["code"] for a in kommersant["anomalies"]] == ["tracking-params"]
        assert "https://www.kommersant.ru/doc/4936744" in kommersant["anomalies"][0]["message"]
    # Three hosts, fetched once each even though every example cites them.
    assert report["summary"]["urls_checked"] == len(
        {c["normalized_url"] for a in report["articles"] for c in a["citations"] if c["verdict"] != "skipped"}
    )
    assert report["summary"]["anomalies"]["future-dated-url"] == len(report["articles"])
    assert elapsed < 30, f"offline run took {elapsed:.1f}s"
    # Offline nothing was verified: exit 2 says so, and the report still shows the future-dated link.
    assert result.exit_code == 2
    assert "future-dated-url" in result.output and "no cited URL could be reached" in result.output


def test_offline_archived_copy_lookups_end_after_one_try(
    workdir: Path, offline: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    resolve = socket.getaddrinfo

    def counting(host: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(host.decode() if isinstance(host, bytes) else str(host))
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    result = invoke("run", str(EXAMPLES), "--out", "out")
    assert result.exit_code == 2
    report = read_report(workdir / "out" / "report.json")
    copies = [c["archived_copy"] for a in report["articles"] for c in a["citations"] if c["verdict"] == "unreachable"]
    assert copies and all(copy["status"] == "lookup-failed" for copy in copies)
    assert all(
        copy["error"] == "web.archive.org: not asked again in this run: host name not resolved" for copy in copies
    )
    # One request to the archive, then every lookup on it fails at once. (A request looks its host up
    # more than once; function.mil.ru, fetched once with retries = 0 for DNS failures, shows how often.)
    assert asked.count("web.archive.org") == asked.count("function.mil.ru") > 0
    skipped = [c["archived_copy"] for a in report["articles"] for c in a["citations"] if c["verdict"] == "skipped"]
    assert skipped == [None] * len(skipped)


def test_unreadable_source_is_named_and_the_run_goes_on(workdir: Path, offline: None) -> None:
    good = workdir / "good.txt"
    good.write_text("Published 10 August 2021\nSee https://example.invalid/page for more.\n")
    (workdir / "notes.docx").write_bytes(b"PK\x03\x04")
    result = invoke("run", str(good), "missing.md", "notes.docx", "--out", "out")
    assert result.exit_code == 2
    assert "missing.md" in result.output and "notes.docx" in result.output
    report = read_report(workdir / "out" / "report.json")
    assert [e["source"] for e in report["errors"]] == ["missing.md", "notes.docx"]
    assert report["articles"][0]["citations"][0]["url"] == "https://example.invalid/page"


def _serve_citations(server: LocalServer) -> None:
    server.routes["/cited"] = lambda h: send(h, 200, page("A cited page"))
    server.routes["/gone"] = lambda h: send(h, 410, page("Gone"))
    server.routes["/moved"] = lambda h: send(h, 301, b"", headers={"Location": "/cited"})
    server.routes["/forbidden"] = lambda h: send(h, 403, page("Forbidden"))
    server.routes["/news/more.htm"] = lambda h: send(h, 200 if h.path.endswith("@egNews") else 404, page(h.path))


def test_end_to_end_run_against_a_local_server(workdir: Path, server: LocalServer) -> None:
    _serve_citations(server)
    article = workdir / "article.md"
    article.write_text(
        "---\ndate: 2021-08-10\n---\n# Local sources\n\n"
        f"The [first source]({server.url('/cited')}) and [again]({server.url('/cited')}#section).\n"
        f"A [vanished page]({server.url('/gone')}), a [moved one]({server.url('/moved')}),\n"
        f"a [walled one]({server.url('/forbidden')}) and the"
        f" [ministry]({server.url('/news/more.htm?id=12376355@egNews')}).\n"
        "Write to [the desk](mailto:desk@example.org).\n"
    )
    config = loopback_config(workdir)
    result = invoke("run", str(article), "--config", str(config), "--out", "out")
    assert result.exit_code == 1, result.output  # a broken link is at fail_on = error
    report = read_report(workdir / "out" / "report.json")
    citations = report["articles"][0]["citations"]
    verdicts = [(c["context"], c["verdict"]) for c in citations]
    assert verdicts == [
        ("first source", "ok"),
        ("again", "ok"),
        ("vanished page", "broken"),
        ("moved one", "ok"),
        ("walled one", "blocked"),
        ("ministry", "ok"),
        ("the desk", "skipped"),
    ]
    moved = citations[3]
    assert moved["redirects"] == [{"url": server.url("/moved"), "status": 301}]
    assert moved["final_url"] == server.url("/cited")
    assert server.hits["/cited"] == 2  # once cited (twice, one fetch), once as the redirect target
    assert server.hits["/moved"] == 1
    assert server.url("/news/more.htm?id=12376355@egNews").split(str(server.port))[1] in server.raw_paths
    assert report["summary"]["verdicts"] == {"blocked": 1, "broken": 1, "ok": 4, "skipped": 1}
    assert "1 broken" in result.output

    relaxed = invoke("run", str(article), "--config", str(config), "--out", "out", "--fail-on", "never")
    assert relaxed.exit_code == 0


def test_online_article_is_fetched_and_its_relative_links_resolved(workdir: Path, server: LocalServer) -> None:
    _serve_citations(server)
    html = (
        b'<html><head><meta property="article:published_time" content="2021-08-10T10:00:00Z"></head>'
        b'<body><nav><a href="/menu">Menu</a></nav><article><h1>An online article</h1>'
        b'<p>It cites <a href="ok">a relative source</a> and <a href="/gone">a gone one</a>.</p>'
        b"</article></body></html>"
    )
    server.routes["/2021/08/10/story.html"] = lambda h: send(h, 200, html)
    config = loopback_config(workdir)
    result = invoke("run", server.url("/2021/08/10/story.html"), "--config", str(config), "--out", "out")
    report = read_report(workdir / "out" / "report.json")
    article = report["articles"][0]
    assert article["source"] == server.url("/2021/08/10/story.html")
    assert article["published"] == "2021-08-10" and article["published_from"] == "meta"
    assert [(c["url"], c["verdict"]) for c in article["citations"]] == [
        (server.url("/2021/08/10/ok"), "broken"),
        (server.url("/gone"), "broken"),
    ]
    assert server.hits["/menu"] == 0
    assert result.exit_code == 1


def test_unreachable_online_article_is_an_input_error(workdir: Path, server: LocalServer) -> None:
    config = loopback_config(workdir)
    result = invoke("run", server.url("/no-such-article"), "--config", str(config), "--out", "out")
    assert result.exit_code == 2
    report = read_report(workdir / "out" / "report.json")
    assert report["errors"][0]["source"] == server.url("/no-such-article")
    assert "HTTP 404" in report["errors"][0]["message"]


def test_text_on_standard_input(workdir: Path, server: LocalServer) -> None:
    _serve_citations(server)
    config = loopback_config(workdir)
    text = f"10.08.2021\nThe source: {server.url('/cited')}.\n".encode()
    result = invoke("run", "-", "--config", str(config), "--out", "out", stdin=text)
    assert result.exit_code == 0, result.output
    report = read_report(workdir / "out" / "report.json")
    article = report["articles"][0]
    assert article["source"] == "-" and article["published"] == "2021-08-10"
    assert article["citations"][0]["url"] == server.url("/cited")
    assert article["citations"][0]["verdict"] == "ok"


def test_private_addresses_are_refused_by_default(workdir: Path, server: LocalServer) -> None:
    _serve_citations(server)
    article = workdir / "a.txt"
    article.write_text(f"See {server.url('/cited')} and http://169.254.169.254/latest/meta-data/ today.\n")
    result = invoke("run", str(article), "--out", "out", "--fail-on", "never")
    assert result.exit_code == 0
    report = read_report(workdir / "out" / "report.json")
    for citation in report["articles"][0]["citations"]:
        assert citation["verdict"] == "skipped"
        assert "private" in citation["error"]
    assert server.hits["/cited"] == 0


def test_every_format_from_one_run_and_ci_behaviour(
    workdir: Path, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve_citations(server)
    article = workdir / "article.md"
    article.write_text(f"---\ndate: 2021-08-10\n---\nA [vanished page]({server.url('/gone')}).\n")
    config = loopback_config(workdir)
    summary = workdir / "step-summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    args = ["run", str(article), "--config", str(config), "--out", "out"]
    result = invoke(*args, *[f"--format={name}" for name in ("md", "html", "junit", "sarif", "csv")])
    assert result.exit_code == 1
    for name in ("report.json", "report.md", "report.html", "junit.xml", "report.sarif", "report.csv"):
        assert (workdir / "out" / name).stat().st_size > 0, name
    assert f"::error file={article}" in result.output or "::error file=article.md" in result.output
    assert "vanished page" in summary.read_text() or server.url("/gone") in summary.read_text()


def test_baseline_and_new_only(workdir: Path, server: LocalServer) -> None:
    states = {"/later": 200}
    _serve_citations(server)
    server.routes["/later"] = lambda h: send(h, states["/later"], page("Later"))
    article = workdir / "article.md"
    article.write_text(f"A [vanished page]({server.url('/gone')}) and [one]({server.url('/later')}).\n")
    config = loopback_config(workdir)
    base = ["run", str(article), "--config", str(config), "--force"]
    first = invoke(*base, "--out", "first")
    assert first.exit_code == 1  # the 410 is a finding
    # With a baseline that already knew the 410, nothing new: exit 0.
    known = invoke(*base, "--out", "second", "--baseline", str(workdir / "first" / "report.json"))
    assert known.exit_code == 0, known.output
    assert "0 new findings since the baseline" in known.output
    # A citation that breaks afterwards is new: exit 1, both with --baseline and --new-only.
    states["/later"] = 404
    broke = invoke(
        *base, "--out", "third", "--baseline", str(workdir / "first" / "report.json"), "-f", "md", "-f", "html"
    )
    assert broke.exit_code == 1 and "1 new findings" in broke.output
    # Every output names which finding is new, not only how many (issue 11).
    later = server.url("/later")
    assert f"new  {later}" in broke.output
    third = workdir / "third"
    assert [f["url"] for f in read_report(third / "report.json")["baseline"]["new_findings"]] == [later]
    assert "**1 new finding since the baseline**" in (third / "report.md").read_text()
    assert f"`{later}`" in (third / "report.md").read_text().split("###")[0]
    assert "1 new finding since the baseline" in (third / "report.html").read_text()
    again = invoke(*base, "--out", "fourth", "--new-only")
    assert again.exit_code == 0  # the previous run (third) already had both failures
    bad = invoke(*base, "--baseline", str(workdir / "nope.json"))
    assert bad.exit_code == 2 and "nope.json" in bad.output


def test_report_command_regenerates_a_past_run_without_fetching(workdir: Path, server: LocalServer) -> None:
    _serve_citations(server)
    article = workdir / "article.md"
    article.write_text(f"A [vanished page]({server.url('/gone')}) and [a page]({server.url('/cited')}).\n")
    config = loopback_config(workdir)
    invoke("run", str(article), "--config", str(config), "--out", "out")
    hits = dict(server.hits)
    original = read_report(workdir / "out" / "report.json")
    result = invoke("report", "--config", str(config), "--out", "again", "--format", "json", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert dict(server.hits) == hits
    regenerated = read_report(workdir / "again" / "report.json")
    assert regenerated == original
    assert (workdir / "again" / "report.csv").exists()
    missing = invoke("report", "--config", str(config), "--run", "99")
    assert missing.exit_code == 2


def test_history_and_status_commands(workdir: Path, server: LocalServer) -> None:
    _serve_citations(server)
    article = workdir / "article.txt"
    article.write_text(f"See {server.url('/gone')} for details.\n")
    config = loopback_config(workdir)
    invoke("run", str(article), "--config", str(config))
    timeline = invoke("history", server.url("/gone"), "--config", str(config))
    assert timeline.exit_code == 0 and "broken" in timeline.output and "410" in timeline.output
    status = invoke("status", "--config", str(config), "--json")
    data = json.loads(status.output)
    assert data["articles"] == 1 and data["urls"] == 1 and data["verdicts"] == {"broken": 1}


def test_a_cited_page_published_after_the_article_is_flagged(workdir: Path, server: LocalServer) -> None:
    later = (
        b'<html><head><meta property="article:published_time" content="2022-03-01T10:00:00Z">'
        b"<title>Drills announced</title></head><body><article><h1>Drills announced</h1></article></body></html>"
    )
    server.routes["/later"] = lambda h: send(h, 200, later)
    article = workdir / "article.txt"
    article.write_text(f"10 August 2021\nThe drills were announced: {server.url('/later')}\n")
    result = invoke("run", str(article), "--config", str(loopback_config(workdir)), "--out", "out")
    report = read_report(workdir / "out" / "report.json")
    codes = [a["code"] for a in report["articles"][0]["citations"][0]["anomalies"]]
    assert "published-after-article" in codes
    assert result.exit_code == 0  # a warning, below the default fail_on


def test_summary_is_coloured_on_a_terminal_and_plain_otherwise() -> None:
    from linkcheck.cli.terminal import paint

    assert paint("      broken  https://example.com/x") == "      \033[31mbroken\033[0m  https://example.com/x"
    assert paint("     warning  newly-broken: ...").count("\033[33m") == 1
    assert paint("3 articles, 9 citations") == "3 articles, 9 citations"
    plain = Environment(stdout=io.StringIO(), environ={})
    assert plain.stdout_is_terminal is False  # StringIO is no terminal: CI logs stay plain

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert Environment(stdout=Terminal(), environ={}).stdout_is_terminal is True
    assert Environment(stdout=Terminal(), environ={"CI": "true"}).stdout_is_terminal is False
    assert Environment(stdout=Terminal(), environ={"NO_COLOR": "1"}).stdout_is_terminal is False


def test_main_runs_in_process_with_its_own_environment(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(
        stdin=io.BytesIO(b"See https://example.org/report today.\n"), stdout=out, stderr=err, cwd=tmp_path
    )
    code = cli.main(["harvest", "-", "--json"], env)
    assert code == 0, err.getvalue()
    assert json.loads(out.getvalue())["articles"][0]["citations"][0]["url"] == "https://example.org/report"


def test_one_error_handler_turns_a_tool_error_into_exit_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("[check]\ntimeout = 'soon'\n")
    err = io.StringIO()
    env = Environment(stdout=io.StringIO(), stderr=err, cwd=tmp_path)
    assert cli.main(["status", "--config", str(tmp_path / "broken.toml")], env) == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("linkcheck: ") and "timeout" in lines[0]
    assert cli.main(["status"], Environment(stdout=io.StringIO(), stderr=err, cwd=tmp_path)) == 2
    assert "no state store" in err.getvalue()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert cli.main(["run", "--no-such-flag", "x"], Environment(cwd=tmp_path)) == 2
