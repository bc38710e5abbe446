"""Every setting flag of `run` (issue 16) through the real entry point, against servers on loopback:
what reaches the server, and what the report says."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.cli.conftest import Cli
from tests.server import LocalServer, hang, page, running, send


def ok(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, page("Fine"))


def cite(lc: Cli, server: LocalServer, *paths: str, name: str = "a.md") -> Path:
    """An article citing each path of the server (each served 200 unless a route says otherwise)."""
    for path in paths:
        server.routes.setdefault(path, ok)
    article = lc.cwd / name
    article.write_text("".join(f"- [source {i}]({server.url(path)})\n" for i, path in enumerate(paths)))
    return article


# --- which URLs are checked -----------------------------------------------------------------------


def test_exclude_and_its_linkchecker_name_skip_matching_urls_without_fetching(lc: Cli, server: LocalServer) -> None:
    cite(lc, server, "/keep", "/social/1", "/ads/2")
    done = lc("run", "a.md", "--exclude", "/social/", "--ignore-url", r"/ads/\d")
    assert done.code == 0, done.err
    citations = lc.citations()
    assert citations[server.url("/keep")]["verdict"] == "ok"
    assert citations[server.url("/social/1")]["verdict"] == "skipped"
    assert citations[server.url("/social/1")]["error"] == "excluded by pattern '/social/'"
    assert citations[server.url("/ads/2")]["error"] == "excluded by pattern '/ads/\\\\d'"
    assert server.hits["/social/1"] == server.hits["/ads/2"] == 0


def test_include_wins_over_exclude_and_alone_checks_only_what_it_matches(lc: Cli, server: LocalServer) -> None:
    cite(lc, server, "/blog/1", "/blog/2", "/shop/3")
    assert lc("run", "a.md", "--exclude", ".*", "--include", "/blog/2").code == 0
    verdicts = {url: c["verdict"] for url, c in lc.citations().items()}
    assert verdicts == {server.url("/blog/1"): "skipped", server.url("/blog/2"): "ok", server.url("/shop/3"): "skipped"}
    # lychee's rule: include patterns with no exclude pattern check only what they match.
    assert lc("run", "a.md", "--include", "/blog/", "--force").code == 0
    citations = lc.citations()
    assert [citations[server.url(p)]["verdict"] for p in ("/blog/1", "/blog/2")] == ["ok", "ok"]
    assert citations[server.url("/shop/3")]["error"] == "matches no include pattern"
    assert server.hits["/shop/3"] == 0


def test_linkcheckignore_adds_its_patterns_and_a_bad_line_is_named(lc: Cli, server: LocalServer) -> None:
    cite(lc, server, "/keep", "/tracker/x")
    ignore = lc.cwd / ".linkcheckignore"
    ignore.write_text("# links we never check\n\n/tracker/\n")
    assert lc("run", "a.md").code == 0
    assert lc.citations()[server.url("/tracker/x")]["error"] == "excluded by pattern '/tracker/'"
    assert server.hits["/tracker/x"] == 0
    ignore.write_text("# fine\n/tracker/\n(unclosed\n")
    done = lc("run", "a.md")
    assert done.code == 2
    assert f"{ignore}:3: '(unclosed' is not a regular expression" in done.err


# --- how answers are judged -------------------------------------------------------------------------


def test_accept_makes_the_listed_statuses_ok(lc: Cli, server: LocalServer) -> None:
    server.routes["/wall"] = lambda h: send(h, 403, page("Forbidden"))
    server.routes["/teapot"] = lambda h: send(h, 418, page("Teapot"))
    cite(lc, server, "/wall", "/teapot")
    assert lc("run", "a.md", "--fail-on", "warning").code == 1  # blocked is a warning
    assert lc("run", "a.md", "--fail-on", "warning", "--force", "-a", "200..=299,403,418").code == 0
    assert {c["verdict"] for c in lc.citations().values()} == {"ok"}
    assert lc("run", "a.md", "--fail-on", "warning", "--force", "--accept", "403").code == 1  # 418 not accepted
    assert lc("run", "a.md", "--accept", "2xx").code == 2


# --- what is sent ---------------------------------------------------------------------------------


def test_header_flags_reach_every_request_and_a_header_that_would_split_the_request_is_refused(
    lc: Cli, server: LocalServer
) -> None:
    cite(lc, server, "/a")
    done = lc("run", "a.md", "-H", "X-Team: fact-check desk", "--header", "Accept-Language: ru")
    assert done.code == 0, done.err
    sent = server.request_headers[0]
    assert (sent["X-Team"], sent["Accept-Language"]) == ("fact-check desk", "ru")
    refused = lc("run", "a.md", "-H", "X-Evil: a\r\nHost: elsewhere")
    assert refused.code == 2
    assert (
        refused.err.strip()
        == "linkcheck: --header: the value of X-Evil must not contain control characters (CR, LF, ...)"
    )
    assert lc("run", "a.md", "-H", "Host: elsewhere").code == 2


def test_a_sites_cookie_from_config_reaches_that_site_and_stays_out_of_the_archive(
    lc: Cli, server: LocalServer
) -> None:
    cite(lc, server, "/paywalled")
    config = lc.cwd / "config.toml"
    config.write_text(config.read_text() + '\n[domains."127.0.0.1"]\nheaders = { Cookie = "subscriber=s3cret" }\n')
    assert lc("run", "a.md").code == 0
    assert server.request_headers[0]["Cookie"] == "subscriber=s3cret"
    warcs = list((lc.cwd / "archive").rglob("*.warc.gz"))
    assert warcs and all(b"s3cret" not in gzip.decompress(path.read_bytes()) for path in warcs)
    assert b"(withheld by linkcheck)" in gzip.decompress(warcs[0].read_bytes())
    shown = lc("config")
    assert "s3cret" not in shown.out and 'Cookie = "(hidden: 17 characters)"' in shown.out


def test_cookie_jar_is_read_sent_and_written_back(lc: Cli, server: LocalServer) -> None:
    def members(handler: BaseHTTPRequestHandler) -> None:
        if "member=42" not in (handler.headers.get("Cookie") or ""):
            send(handler, 403, page("Members only"))
        else:
            send(handler, 200, page("Members"), headers={"Set-Cookie": "visited=1; Path=/"})

    server.routes["/members"] = members
    cite(lc, server, "/members")
    (lc.cwd / "jar.txt").write_text("# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t4102444800\tmember\t42\n")
    assert lc("run", "a.md", "--cookie-jar", "jar.txt", "--fail-on", "warning").code == 0
    assert "\tvisited\t1" in (lc.cwd / "jar.txt").read_text()
    assert lc("run", "a.md", "--force", "--fail-on", "warning").code == 1  # without the jar: blocked


def test_user_agent_flag_is_the_user_agent_sent(lc: Cli, server: LocalServer) -> None:
    cite(lc, server, "/a")
    assert lc("run", "a.md", "-u", "NewsroomBot/1.0 (+https://example.org/bot)").code == 0
    assert server.request_headers[0]["User-Agent"] == "NewsroomBot/1.0 (+https://example.org/bot)"
    assert lc("run", "a.md", "--user-agent", "bot\nX-Injected: 1").code == 2


# --- how long, how often, how many at once --------------------------------------------------------


def test_timeout_flag_gives_up_on_a_silent_server(lc: Cli, server: LocalServer) -> None:
    server.routes["/silent"] = hang
    cite(lc, server, "/silent", "/fine")
    began = time.monotonic()
    done = lc("run", "a.md", "--timeout", "0.5", "-t", "0.4")  # the last one given wins
    assert time.monotonic() - began < 5
    assert done.code == 0, done.err  # a timeout is a warning; the other URL answered
    assert lc.citations()[server.url("/silent")]["verdict"] == "timeout"


def test_retries_flag_and_its_lychee_name(lc: Cli, server: LocalServer) -> None:
    answers = iter([503, 200, 503, 503])
    server.routes["/flaky"] = lambda h: send(h, next(answers), page("Flaky"))
    cite(lc, server, "/flaky")
    assert lc("run", "a.md", "--retries", "1").code == 0
    assert server.hits["/flaky"] == 2 and lc.citations()[server.url("/flaky")]["verdict"] == "ok"
    assert lc("run", "a.md", "--force", "--max-retries", "0", "--fail-on", "warning").code == 1
    assert server.hits["/flaky"] == 3 and lc.citations()[server.url("/flaky")]["verdict"] == "server-error"


def slow(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(0.15)
    send(handler, 200, page("Slow"))


@pytest.mark.parametrize(
    ("flags", "most_at_once"),
    [
        ((), 2),  # the default per-host limit
        (("--concurrency", "1"), 1),
        (("--max-concurrency", "1"), 1),
        (("--per-host-concurrency", "1"), 1),
        (("--host-concurrency", "3"), 3),
    ],
)
def test_concurrency_flags_bound_the_requests_in_flight(
    lc: Cli, server: LocalServer, flags: tuple[str, ...], most_at_once: int
) -> None:
    paths = [f"/slow/{i}" for i in range(6)]
    for path in paths:
        server.routes[path] = slow
    cite(lc, server, *paths)
    assert lc("run", "a.md", "--no-state", *flags, environ={}).code == 0
    assert server.max_in_flight["127.0.0.1"] == most_at_once


def test_per_host_delay_spaces_the_requests_to_one_host(lc: Cli, server: LocalServer) -> None:
    starts: list[float] = []
    lock = threading.Lock()

    def timed(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            starts.append(time.monotonic())
        send(handler, 200, page("Timed"))

    paths = [f"/t/{i}" for i in range(3)]
    for path in paths:
        server.routes[path] = timed
    cite(lc, server, *paths)
    assert lc("run", "a.md", "--per-host-delay", "0.3", "--no-state").code == 0
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    assert len(starts) == 3 and min(gaps) >= 0.28


def test_processes_flag_checks_hosts_side_by_side_within_their_limits(lc: Cli, server: LocalServer) -> None:
    with running("127.0.0.2") as other:
        for local in (server, other):
            local.fallback = ok
        urls = [(server if n % 2 else other).url(f"/p/{n}") for n in range(240)]
        (lc.cwd / "a.md").write_text("".join(f"- [source {n}]({url})\n" for n, url in enumerate(urls)))
        done = lc("run", "a.md", "--processes", "2", "--no-state")
        assert done.code == 0, done.err
        assert {c["verdict"] for c in lc.citations().values()} == {"ok"}
        assert len(lc.citations()) == 240
        assert sum(server.hits.values()) + sum(other.hits.values()) == 240  # each URL once
        assert max(server.max_in_flight.values()) <= 2 and max(other.max_in_flight.values()) <= 2
    refused = lc("run", "a.md", "--processes", "-1")
    assert refused.code == 2
    assert "processes must not be negative" in refused.err


# --- which articles are read ----------------------------------------------------------------------


def test_files_from_a_list_or_standard_input(lc: Cli, server: LocalServer) -> None:
    cite(lc, server, "/one", name="one.md")
    cite(lc, server, "/two", name="two.md")
    (lc.cwd / "articles.txt").write_text("# this week's articles\none.md\n\n  two.md  \n")
    assert lc("run", "--files-from", "articles.txt").code == 0
    assert [a["source"] for a in lc.report()["articles"]] == ["one.md", "two.md"]
    assert lc("run", "one.md", "--files-from", "-", "--force", stdin=b"two.md\n").code == 0
    assert [a["source"] for a in lc.report()["articles"]] == ["one.md", "two.md"]
    assert "standard input cannot be both" in lc("run", "-", "--files-from", "-").err
    empty = lc("run", "--files-from", "-", stdin=b"# nothing\n")
    assert empty.code == 2 and "no SOURCE given (- lists none)" in empty.err
    missing = lc("run", "--files-from", "nope.txt")
    assert missing.code == 2 and "--files-from nope.txt: cannot read" in missing.err


def test_glob_sources_are_expanded_by_linkcheck_itself(lc: Cli, server: LocalServer) -> None:
    server.routes["/cited"] = ok
    for name in ("articles/2021/a.md", "articles/2022/deep/b.md", "articles/c.md", "articles/notes.docx"):
        path = lc.cwd / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"[cited]({server.url('/cited')})\n")
    done = lc("run", "articles/**/*.md")  # quoted in a shell: linkcheck expands it, not the shell
    assert done.code == 0, done.err
    sources = [a["source"] for a in lc.report()["articles"]]
    assert sources == ["articles/2021/a.md", "articles/2022/deep/b.md", "articles/c.md"]
    assert lc("run", "articles/*/*.md", "--force").code == 0
    assert [a["source"] for a in lc.report()["articles"]] == ["articles/2021/a.md"]
    nothing = lc("run", "drafts/*.md")
    assert nothing.code == 2 and "skipped drafts/*.md: no file matches this pattern" in nothing.err


# --- offline --------------------------------------------------------------------------------------


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every socket connection attempted, to any address."""
    made: list[Any] = []
    real = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        made.append(address)
        real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield made


def test_offline_makes_no_request_at_all_and_still_flags_what_needs_no_answer(
    lc: Cli, server: LocalServer, connections: list[Any]
) -> None:
    (lc.cwd / "a.md").write_text(
        "---\ndate: 2021-08-10\n---\n"
        f"[local]({server.url('/page')}) and [dated](https://news.example/2026/04/03/drills)"
        " and [tracked](https://news.example/story?utm_source=x&fbclid=abc)\n"
    )
    done = lc("run", "a.md", server.url("/online-article"), "--offline", "-f", "html")
    assert connections == [] and sum(server.hits.values()) == 0
    assert done.code == 2  # the online article could not be read
    assert f"skipped {server.url('/online-article')}: not read: an online article needs the network" in done.err
    citations = lc.citations()
    assert {c["verdict"] for c in citations.values()} == {"skipped"}
    assert {c["error"] for c in citations.values()} == {"not checked: offline run"}
    dated = citations["https://news.example/2026/04/03/drills"]
    assert [a["code"] for a in dated["anomalies"]] == ["future-dated-url"]
    assert "tracking-params" in [
        a["code"] for a in citations["https://news.example/story?utm_source=x&fbclid=abc"]["anomalies"]
    ]
    assert not (lc.cwd / "archive").exists()  # no snapshot, no state store
    assert (lc.cwd / "report" / "report.html").exists()
    local_only = lc("run", "a.md", "--offline")
    assert local_only.code == 1 and connections == []  # the future-dated URL is an error


def test_harvest_marks_excluded_urls_and_reads_no_online_article_offline(
    lc: Cli, server: LocalServer, connections: list[Any]
) -> None:
    cite(lc, server, "/keep", "/social/1")
    done = lc("harvest", "a.md", "--exclude", "/social/")
    assert done.code == 0
    assert f"{server.url('/social/1')}  [excluded by pattern '/social/']" in done.out
    assert f"{server.url('/keep')}\n" in done.out
    offline = lc("harvest", "a.md", server.url("/article"), "--offline")
    assert offline.code == 2 and "not read: an online article needs the network" in offline.err
    assert connections == []


def test_no_state_leaves_no_store_and_no_fallback_asks_no_archive(lc: Cli, server: LocalServer) -> None:
    server.routes["/gone"] = lambda h: send(h, 404, page("Not Found"))
    cite(lc, server, "/gone")
    config = lc.cwd / "config.toml"
    config.write_text(config.read_text().replace("enabled = false", f'wayback = "{server.url("/wayback")}"'))
    assert lc("run", "a.md", "--no-state", "--no-fallback").code == 1
    assert not (lc.cwd / "archive" / "state.sqlite").exists()
    assert not [path for path in server.hits if path.startswith("/wayback")]
    assert lc.citations()[server.url("/gone")].get("archived_copy") is None
    assert lc("run", "a.md").code == 1  # with both: the store is made and the archive asked
    assert (lc.cwd / "archive" / "state.sqlite").exists()
    assert [path for path in server.hits if path.startswith("/wayback")]


# --- a lychee user's invocation, with the names of the README's table ------------------------------


def test_a_lychee_invocation_with_our_names_gives_our_verdicts(lc: Cli, server: LocalServer) -> None:
    """lychee 'docs/**/*.md' --exclude RE --include RE -a 200..=299,403 -H ... -u ... -t 20
    --max-retries 1 --max-concurrency 8 --host-concurrency 2 --cookie-jar jar.txt, as README maps it."""
    server.routes["/wall"] = lambda h: send(h, 403, page("Forbidden"))
    server.routes["/gone"] = lambda h: send(h, 404, page("Not Found"))
    server.routes["/soft"] = lambda h: send(h, 200, page("Page not found"))
    (lc.cwd / "docs" / "2021").mkdir(parents=True)
    (lc.cwd / "docs" / "2021" / "a.md").write_text(
        f"[ok]({server.url('/ok')}) [wall]({server.url('/wall')}) [gone]({server.url('/gone')})\n"
        f"[soft]({server.url('/soft')}) [ads]({server.url('/ads/1')}) [kept ad]({server.url('/ads/keep')})\n"
    )
    server.routes["/ok"] = ok
    server.routes["/ads/keep"] = ok
    done = lc(
        "run",
        "docs/**/*.md",
        "--exclude",
        "/ads/",
        "--include",
        "/ads/keep",
        "-a",
        "200..=299,403",
        "-H",
        "Accept-Language: en",
        "-u",
        "curl/8.5.0",
        "-t",
        "20",
        "--max-retries",
        "1",
        "--max-concurrency",
        "8",
        "--host-concurrency",
        "2",
        "--cookie-jar",
        "jar.txt",
    )
    assert done.code == 1, done.err  # the broken link and the soft-404 are errors
    verdicts = {urlsplit(url).path: c["verdict"] for url, c in lc.citations().items()}
    assert verdicts == {
        "/ok": "ok",
        "/wall": "ok",  # accepted
        "/gone": "broken",
        "/soft": "soft-404",  # 2xx is still judged
        "/ads/1": "skipped",  # excluded
        "/ads/keep": "ok",  # included
    }
    assert {h["User-Agent"] for h in server.request_headers} == {"curl/8.5.0"}
    assert (lc.cwd / "jar.txt").exists()
