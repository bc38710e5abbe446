"""Host shards in forked processes: how URLs are split, when a run shards, and real runs on loopback hosts
(limits held across processes, outcomes back in the caller's process, a failing child, stopping)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from linkcheck import cli
from linkcheck.check import check_urls
from linkcheck.check.client import Fetcher
from linkcheck.check.shards import ShardFailed, concurrency_shares, process_count, split_by_host
from linkcheck.models import Capture, FetchResult, Outcome, Verdict
from linkcheck.pacing import HostStarts
from linkcheck.settings import settings_from_mapping
from linkcheck.urls import host_of
from tests.conftest import loopback_settings
from tests.server import LocalServer, page, running, send

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="shards are forked processes")


def host_part(url: str) -> str:
    return url.split("/", 1)[0]


# --- splitting -----------------------------------------------------------------------------------------


def test_no_host_is_split_and_the_groups_are_even() -> None:
    urls = [f"big/{n}" for n in range(50)] + [f"mid/{n}" for n in range(30)] + [f"small{k}/1" for k in range(20)]
    groups = split_by_host(urls, host_part, 2)
    assert len(groups) == 2
    hosts = [{host_part(url) for url in group} for group in groups]
    assert not hosts[0] & hosts[1]
    assert sorted(len(group) for group in groups) == [50, 50]  # big alone; mid and the 20 small ones
    assert sorted(url for group in groups for url in group) == sorted(urls)
    for group in groups:  # the order given is kept within a group
        assert group == [url for url in urls if url in set(group)]


def test_fewer_hosts_than_shards_leaves_no_empty_group() -> None:
    assert split_by_host(["a/1", "a/2", "a/3"], host_part, 3) == [["a/1", "a/2", "a/3"]]


def test_concurrency_goes_where_it_shortens_the_run() -> None:
    two = lambda host: 2  # noqa: E731 - the per-host limit
    even = [[f"h{h}/{n}" for h in range(k, 20, 2) for n in range(100)] for k in (0, 1)]
    assert concurrency_shares(even, host_part, two, 32) == [16, 16]
    assert concurrency_shares(even, host_part, two, 7) in ([4, 3], [3, 4])
    # One shard is a single big host, bound by its per-host limit: more slots would sit idle there.
    skewed = [[f"big/{n}" for n in range(1000)], [f"h{h}/{n}" for h in range(50) for n in range(20)]]
    assert concurrency_shares(skewed, host_part, two, 32) == [2, 30]
    # Slots nobody can use are left out: the run never has more requests in flight than it could use.
    assert concurrency_shares([["a/1", "a/2", "a/3"], ["b/1"]], host_part, two, 32) == [2, 1]
    limits = {"slow": 1}
    one_for_slow = concurrency_shares(
        [[f"slow/{n}" for n in range(100)], [f"fast/{n}" for n in range(100)]],
        host_part,
        lambda h: limits.get(h, 4),
        16,
    )
    assert one_for_slow == [1, 4]


# --- when a run shards ----------------------------------------------------------------------------------


def test_processes_setting_and_the_run_size_decide() -> None:
    two = loopback_settings(processes=2, concurrency=16)
    assert process_count(two, 2000, 20, capturing=False, can_open_capture=False) == 2
    assert process_count(two, 150, 20, capturing=False, can_open_capture=False) == 1  # too few URLs to gain
    assert process_count(two, 2000, 1, capturing=False, can_open_capture=False) == 1  # one host: one shard
    assert process_count(loopback_settings(processes=1), 2000, 20, False, False) == 1
    assert process_count(loopback_settings(processes=8, concurrency=3), 5000, 20, False, False) == 3


def test_a_shared_cookie_jar_or_an_archive_no_child_can_open_keeps_one_process(tmp_path: Path) -> None:
    jar = loopback_settings(processes=2, cookie_jar=str(tmp_path / "cookies.txt"))
    assert process_count(jar, 2000, 20, False, False) == 1
    two = loopback_settings(processes=2)
    assert process_count(two, 2000, 20, capturing=True, can_open_capture=False) == 1
    assert process_count(two, 2000, 20, capturing=True, can_open_capture=True) == 2


def test_requisites_keep_every_per_host_limit_across_processes() -> None:
    delayed = loopback_settings(processes=2, per_host_delay=0.5)
    assert process_count(delayed, 2000, 20, True, True) == 1  # the delay cannot be kept across processes
    assert process_count(delayed, 2000, 20, False, False) == 2  # page hosts are never in two shards
    one_at_a_time = settings_from_mapping(
        {"check": {"processes": 4, "per_host_concurrency": 2}, "domains": {"mil.ru": {"per_host_concurrency": 1}}}
    )
    assert process_count(one_at_a_time, 2000, 20, True, True) == 1
    assert process_count(one_at_a_time, 2000, 20, False, False) == 4
    no_requisites = settings_from_mapping({"check": {"processes": 4}, "snapshot": {"requisites": False}})
    assert process_count(no_requisites, 2000, 20, True, True) == 4


def test_processes_must_not_be_negative() -> None:
    from linkcheck.errors import ConfigError

    with pytest.raises(ConfigError, match="processes must not be negative"):
        settings_from_mapping({"check": {"processes": -1}}, "config.toml")


# --- real runs on three loopback hosts ------------------------------------------------------------------


@pytest.fixture
def three_hosts() -> Iterator[list[LocalServer]]:
    """Servers on 127.0.0.1, .2 and .3; /gone/... is a 404, everything else a page after 5 ms."""
    with running("127.0.0.1") as one, running("127.0.0.2") as two, running("127.0.0.3") as three:
        for local in (one, two, three):

            def answer(handler: BaseHTTPRequestHandler) -> None:
                if handler.path.startswith("/gone/"):
                    send(handler, 404, page("Not here"))
                    return
                time.sleep(0.005)
                send(handler, 200, page(f"Article {handler.path}"))

            local.fallback = answer
        yield [one, two, three]


def urls_on(servers: list[LocalServer], count: int) -> list[str]:
    return [servers[n % 3].url(f"/gone/{n}" if n % 10 == 0 else f"/article/{n}") for n in range(count)]


class PidSink:
    """A child's 'archive': says which process captured each download."""

    def __init__(self, processes: int) -> None:
        self.processes = processes

    def capture(self, fetch: FetchResult, parsed: object | None = None) -> Capture:
        return Capture(None, f"pid {os.getpid()} of {self.processes}")

    def close(self) -> None:
        pass


def test_sharded_run_checks_every_url_in_child_processes_within_the_limits(three_hosts: list[LocalServer]) -> None:
    urls = urls_on(three_hosts, 300)
    settings = loopback_settings(processes=2, concurrency=8, per_host_concurrency=2, retries=0)
    seen: list[tuple[int, int]] = []  # (process, thread) on_outcome ran in

    def on_outcome(outcome: Outcome) -> None:
        seen.append((os.getpid(), threading.get_ident()))

    def open_capture(fetcher: Fetcher, starts: HostStarts, processes: int) -> PidSink:
        return PidSink(processes)

    fetcher = Fetcher(settings)
    try:
        outcomes, interrupted = check_urls(
            urls, settings, fetcher, on_outcome, capture=lambda f, p: Capture(None, "parent"), open_capture=open_capture
        )
    finally:
        fetcher.close()
    assert not interrupted
    assert set(outcomes) == set(urls)
    for url, outcome in outcomes.items():
        assert outcome.result.verdict == (Verdict.BROKEN if "/gone/" in url else Verdict.OK), url
        assert outcome.result.status == (404 if "/gone/" in url else 200)
        if "/article/" in url:
            assert outcome.result.page_title == f"Article {urlsplit(url).path}"
    captured_by = {outcome.capture.skipped_reason for outcome in outcomes.values() if outcome.capture}
    assert len(captured_by) == 2 and f"pid {os.getpid()} of 2" not in captured_by  # two children, not us
    assert all(reason.endswith("of 2") for reason in captured_by if reason)
    assert seen == [(os.getpid(), threading.get_ident())] * len(urls)  # the caller's thread, in order of arrival
    for local in three_hosts:
        assert local.max_in_flight[local.host] <= 2, local.max_in_flight
        assert sum(local.hits.values()) == sum(1 for url in urls if f"//{local.host}:" in url)


def test_a_sharded_run_finds_what_one_process_finds(three_hosts: list[LocalServer]) -> None:
    urls = urls_on(three_hosts, 240)
    found = []
    for processes in (1, 2):
        settings = loopback_settings(processes=processes, concurrency=6, retries=0)
        fetcher = Fetcher(settings)
        try:
            outcomes, _ = check_urls(urls, settings, fetcher)
        finally:
            fetcher.close()
        found.append(
            {
                url: (o.result.verdict, o.result.status, o.result.page_title, o.result.final_url)
                for url, o in outcomes.items()
            }
        )
    assert found[0] == found[1]
    assert len(found[0]) == 240


def test_a_failing_child_is_reported_and_what_came_before_is_kept(three_hosts: list[LocalServer]) -> None:
    urls = urls_on(three_hosts, 300)
    settings = loopback_settings(processes=2, concurrency=4, retries=0)
    groups = split_by_host(urls, host_of, 2)
    failing_host = host_of(groups[1][0])
    delivered: list[str] = []

    class Broken(PidSink):
        def capture(self, fetch: FetchResult, parsed: object | None = None) -> Capture:
            if host_of(fetch.url) == failing_host:
                raise RuntimeError("disk full")
            return super().capture(fetch, parsed)

    fetcher = Fetcher(settings)
    try:
        with pytest.raises(ShardFailed, match=r"check process 2 of 2 \(\d+ URLs\): RuntimeError: disk full"):
            check_urls(
                urls,
                settings,
                fetcher,
                lambda outcome: delivered.append(outcome.result.url),
                capture=lambda f, p: Capture(None),
                open_capture=lambda fetcher, starts, processes: Broken(processes),
            )
    finally:
        fetcher.close()
    # The failure stops the run, as an error in one process does: the healthy shard stops starting URLs,
    # and what it had checked arrived.
    assert delivered and set(delivered) <= set(groups[0])


def test_stopping_early_returns_what_was_checked(three_hosts: list[LocalServer]) -> None:
    urls = urls_on(three_hosts, 600)
    settings = loopback_settings(processes=2, concurrency=4, retries=0)
    delivered: list[Outcome] = []
    fetcher = Fetcher(settings)
    try:
        outcomes, interrupted = check_urls(
            urls, settings, fetcher, delivered.append, keep_going=lambda: len(delivered) < 50
        )
    finally:
        fetcher.close()
    assert not interrupted  # as in one process: a caller that stops the run is not a Ctrl-C
    assert 50 <= len(outcomes) < len(urls)
    assert {o.result.url for o in delivered} == set(outcomes)
    served = sum(sum(local.hits.values()) for local in three_hosts)
    assert served == len(outcomes)  # nothing fetched that was not returned


def test_linkcheck_run_with_two_processes_archives_every_page(
    three_hosts: list[LocalServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKCHECK_CONFIG", raising=False)
    urls = urls_on(three_hosts, 240)
    article = tmp_path / "article.md"
    article.write_text(
        "---\ndate: 2021-08-10\n---\n" + "".join(f"A [source {n}]({url}).\n" for n, url in enumerate(urls))
    )
    (tmp_path / "config.toml").write_text(
        "[check]\nallow_private_networks = true\nretries = 0\nprocesses = 2\nsoft_404_probe = false\n"
    )
    result = CliRunner().invoke(cli.app, ["run", str(article), "--out", "out", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    citations = report["articles"][0]["citations"]
    assert len(citations) == 240
    archived = [c for c in citations if c["snapshot"]]
    assert len(archived) == 240  # every answer, the 404s too
    for citation in archived:
        if "/article/" in citation["url"]:
            assert (Path(citation["snapshot"]["page"]) / "page.html").is_file()
    warcs = sorted((tmp_path / "archive" / "warc").glob("*.warc.gz"))
    assert len(warcs) == 2  # one per check process
    index = (tmp_path / "archive" / "indexes" / "index.cdxj").read_text()
    for citation in archived:
        assert f'"url": "{citation["url"]}"' in index
    listing = (tmp_path / "archive" / "index.html").read_text()
    assert listing.count("<tr") - 1 >= len(archived)


def test_ctrl_c_stops_the_check_processes_and_keeps_what_was_checked(
    three_hosts: list[LocalServer], tmp_path: Path
) -> None:
    release = threading.Event()
    for local in three_hosts:

        def slow(handler: BaseHTTPRequestHandler) -> None:
            if "/fast/" not in handler.path:
                release.wait(1.5)
            send(handler, 200, page("page"))

        local.fallback = slow
    fast = [three_hosts[n % 3].url(f"/fast/{n}") for n in range(6)]
    urls = fast + [three_hosts[n % 3].url(f"/slow/{n}") for n in range(300)]
    (tmp_path / "urls.txt").write_text("10 August 2021\n" + "\n".join(f"See {url} ." for url in urls) + "\n")
    (tmp_path / "config.toml").write_text(
        "[check]\nallow_private_networks = true\nretries = 0\nconcurrency = 4\nprocesses = 2\nsoft_404_probe = false\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "linkcheck", "run", "urls.txt", "--out", "out"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while sum(local.hits["/slow/" + str(n)] for local in three_hosts for n in range(300)) < 4 or any(
            three_hosts[n % 3].hits[f"/fast/{n}"] == 0 for n in range(6)
        ):
            assert time.monotonic() < deadline, "the check never started"
            time.sleep(0.05)
        time.sleep(0.3)  # the fast pages' outcomes reach the parent (a child sends what it holds every 50 ms)
        process.send_signal(signal.SIGINT)  # the parent alone: it stops its check processes itself
        out, err = process.communicate(timeout=20)
    finally:
        release.set()
        process.kill()
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["run"]["interrupted"] is True, err.decode()
    verdicts = {c["url"]: c["verdict"] for c in report["articles"][0]["citations"]}
    assert [verdicts[url] for url in fast] == ["ok"] * 6
    assert list(verdicts.values()).count("skipped") >= 250
    slow_hits = sum(sum(local.hits.values()) for local in three_hosts) - len(fast)
    assert slow_hits <= 12  # the requests in flight when Ctrl-C came, and no new ones


def test_a_child_that_dies_is_named(three_hosts: list[LocalServer]) -> None:
    urls = urls_on(three_hosts, 300)
    settings = loopback_settings(processes=2, concurrency=4, retries=0)

    class Dying(PidSink):
        def capture(self, fetch: FetchResult, parsed: object | None = None) -> Capture:
            os._exit(3)  # as if killed: no message, no clean-up

    fetcher = Fetcher(settings)
    try:
        with pytest.raises(ShardFailed, match=r"ended without finishing \(exit code 3\)"):
            check_urls(
                urls,
                settings,
                fetcher,
                capture=lambda f, p: Capture(None),
                open_capture=lambda fetcher, starts, processes: Dying(processes),
            )
    finally:
        fetcher.close()


def children_of(parent: int) -> list[int]:
    """Processes whose parent is `parent`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_check_processes_stop_when_the_run_is_killed(three_hosts: list[LocalServer], tmp_path: Path) -> None:
    """SIGKILL of the parent: its children start no more URLs and exit once what is in flight ends."""
    release = threading.Event()
    for local in three_hosts:

        def slow(handler: BaseHTTPRequestHandler) -> None:
            release.wait(10)
            send(handler, 200, page("page"))

        local.fallback = slow
    urls = [three_hosts[n % 3].url(f"/slow/{n}") for n in range(300)]
    (tmp_path / "urls.txt").write_text("10 August 2021\n" + "\n".join(f"See {url} ." for url in urls) + "\n")
    (tmp_path / "config.toml").write_text(
        "[check]\nallow_private_networks = true\nretries = 0\nconcurrency = 4\nprocesses = 2\nsoft_404_probe = false\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "linkcheck", "run", "urls.txt", "--out", "out", "--no-state"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    shards: list[int] = []
    try:
        deadline = time.monotonic() + 20
        while sum(sum(local.hits.values()) for local in three_hosts) < 4 or len(shards) < 2:
            assert time.monotonic() < deadline, "the check processes never started"
            shards = children_of(process.pid)
            time.sleep(0.05)
        process.kill()
        process.wait(10)
        release.set()  # what was in flight is answered; nothing new should be asked
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in shards):
            assert time.monotonic() < deadline, "check processes outlived the run"
            time.sleep(0.1)
    finally:
        release.set()
        process.kill()
        for pid in shards:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert sum(sum(local.hits.values()) for local in three_hosts) <= 12  # the first requests, nothing after
