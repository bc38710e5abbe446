"""The pipeline under realistic trouble: hanging hosts, Ctrl-C, exclusions, one fetch per URL."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linkcheck import pipeline
from linkcheck.check import check_urls
from linkcheck.check.client import Fetcher
from linkcheck.environment import Environment
from linkcheck.models import Verdict
from linkcheck.pipeline import publish, run
from linkcheck.state.run import RunState
from linkcheck.state.store import Store
from tests.conftest import loopback_settings
from tests.server import LocalServer, page, running, send

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def hosts() -> Iterator[list[LocalServer]]:
    """Four servers on four loopback addresses: four hosts as far as the checker knows."""
    servers = [LocalServer(f"127.0.0.{n}").start() for n in (1, 2, 3, 4)]
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_a_hanging_host_does_not_hold_the_run(hosts: list[LocalServer]) -> None:
    release = threading.Event()
    healthy, hanging = hosts[:3], hosts[3]
    for server in healthy:
        server.routes["/page"] = lambda h: send(h, 200, page("fine"))
    hanging.routes["/page"] = lambda h: release.wait(20)
    urls = [server.url(f"/page?n={n}") for server in hosts for n in range(75)]
    settings = loopback_settings(timeout=0.5, deadline=1.0, retries=1, concurrency=16, per_host_concurrency=2)
    fetcher = Fetcher(settings)
    began = time.monotonic()
    try:
        outcomes, interrupted = check_urls(urls, settings, fetcher)
        results = {url: outcome.result for url, outcome in outcomes.items()}
    finally:
        release.set()
        fetcher.close()
    elapsed = time.monotonic() - began
    assert not interrupted and len(results) == 300
    stuck = [results[url] for url in urls if "127.0.0.4" in url]
    assert all(result.verdict is Verdict.TIMEOUT for result in stuck)
    assert sum(result.attempts > 0 for result in stuck) <= 4  # then the host is given up on
    assert any(
        "failed 3 times in a row" in (result.error or "") or "failed 4 times" in (result.error or "")
        for result in stuck
    )
    assert all(results[url].verdict is Verdict.OK for url in urls if "127.0.0.4" not in url)
    # Bound stated in the README: ceil(limit / per_host) x (retries + 1) x deadline for the
    # hanging host (2 x 2 x 1 s here), in parallel with the healthy hosts' work.
    assert elapsed < 12, f"run took {elapsed:.1f}s"


def test_each_distinct_url_is_fetched_once_and_exclusions_are_skipped(tmp_path: Path, server: LocalServer) -> None:
    server.routes["/a"] = lambda h: send(h, 200, page("A"))
    server.routes["/private/b"] = lambda h: send(h, 200, page("B"))
    article = tmp_path / "a.txt"
    article.write_text(
        f"First {server.url('/a')} then {server.url('/a')}#again and {server.url('/./a')}.\n"
        f"Excluded: {server.url('/private/b')}\n"
    )
    settings = loopback_settings(exclude=["/private/"])
    result = run([str(article)], settings, Environment(cwd=tmp_path))
    citations = result.articles[0].citations
    assert [c.result.verdict for c in citations] == [Verdict.OK, Verdict.OK, Verdict.OK, Verdict.SKIPPED]
    assert "excluded by pattern" in (citations[3].result.error or "")
    assert server.hits["/a"] == 1 and server.hits["/private/b"] == 0
    assert result.urls_checked == 1


def test_a_run_gives_the_cyclic_gc_back_as_it_found_it(tmp_path: Path, server: LocalServer) -> None:
    """A run freezes what its stages leave alive and pauses the GC around the record-building stages:
    afterwards nothing is left frozen and the GC is on again (and a freeze made by others is kept)."""
    server.routes["/a"] = lambda h: send(h, 200, page("A"))
    article = tmp_path / "a.txt"
    article.write_text(f"See {server.url('/a')}.\n")
    store = Store.open(tmp_path / "state.sqlite")
    frozen_during: list[int] = []
    original = pipeline.assemble

    def watched(*args: Any, **kwargs: Any) -> Any:
        frozen_during.append(gc.get_freeze_count())
        assert not gc.isenabled()  # paused while the records are built
        return original(*args, **kwargs)

    try:
        pipeline.assemble = watched  # type: ignore[assignment]
        result = run([str(article)], loopback_settings(), Environment(cwd=tmp_path), store=store)
        publish(result, loopback_settings(), Environment(cwd=tmp_path), store)
    finally:
        pipeline.assemble = original  # type: ignore[assignment]
        store.close()
    assert result.articles[0].citations[0].result.verdict is Verdict.OK
    assert frozen_during and frozen_during[0] > 0
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    gc.freeze()  # someone else's freeze (a forking server's) is theirs: left as it is
    try:
        kept = gc.get_freeze_count()
        run([str(article)], loopback_settings(), Environment(cwd=tmp_path))
        assert 0 < gc.get_freeze_count() <= kept and gc.isenabled()  # neither unfrozen nor added to
    finally:
        gc.unfreeze()


def test_stored_harvests_are_read_with_the_gc_paused_and_fresh_harvests_with_it_running(
    tmp_path: Path, server: LocalServer
) -> None:
    """A fresh harvest's parse trees make reference cycles: the collector runs while it lasts. Reusing a
    stored harvest makes records only: the collector is paused (a rerun's full collections walked them all)."""
    server.routes["/a"] = lambda h: send(h, 200, page("A"))
    article = tmp_path / "a.txt"
    article.write_text(f"See {server.url('/a')}.\n")
    store = Store.open(tmp_path / "state.sqlite")
    fresh: list[bool] = []
    reused: list[bool] = []
    original_harvest, original_known = pipeline.harvest, RunState.known_article

    def harvest(*args: Any, **kwargs: Any) -> Any:
        fresh.append(gc.isenabled())
        return original_harvest(*args, **kwargs)

    def known(*args: Any, **kwargs: Any) -> Any:
        found = original_known(*args, **kwargs)
        reused.append(gc.isenabled() if found is not None else True)
        return found

    try:
        pipeline.harvest = harvest  # type: ignore[assignment]
        RunState.known_article = known  # type: ignore[method-assign]
        first = run([str(article)], loopback_settings(), Environment(cwd=tmp_path), store=store)
        second = run([str(article)], loopback_settings(), Environment(cwd=tmp_path), store=store)
    finally:
        pipeline.harvest = original_harvest  # type: ignore[assignment]
        RunState.known_article = original_known  # type: ignore[method-assign]
        store.close()
    assert fresh == [True] and reused == [True, False]  # first run: harvested; second: reused, GC paused
    assert first.articles[0].article.citations == second.articles[0].article.citations
    assert second.articles_reused == 1 and gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.parametrize(
    ("check", "domains", "url", "why"),
    [
        ({}, {}, "https://a.example/x", None),
        ({"exclude": ["a\\.example"]}, {}, "https://a.example/x", "excluded by pattern 'a\\\\.example'"),
        ({"exclude": ["."], "include": ["/keep"]}, {}, "https://a.example/keep", None),  # include wins
        ({"exclude": ["/drop"], "include": ["/keep"]}, {}, "https://a.example/other", None),  # neither: checked
        ({"include": ["/keep"]}, {}, "https://a.example/other", "matches no include pattern"),  # include alone
        ({"include": ["/keep"]}, {"a.example": {"exclude": ["/drop"]}}, "https://b.example/other", None),
        ({}, {"a.example": {"exclude": ["/drop"]}}, "https://www.a.example/drop", "excluded by pattern '/drop'"),
    ],
)
def test_which_urls_are_left_out(
    check: dict[str, object], domains: dict[str, object], url: str, why: str | None
) -> None:
    from linkcheck.harvest.given import command_line_article
    from linkcheck.pipeline import exclusion
    from linkcheck.settings import settings_from_mapping

    settings = settings_from_mapping({"check": check, "domains": domains})
    [citation] = command_line_article([url]).citations
    assert exclusion(citation, settings) == why


def test_ctrl_c_stops_cleanly_and_keeps_what_was_checked(tmp_path: Path) -> None:
    release = threading.Event()
    with running() as server:
        server.routes["/fast"] = lambda h: send(h, 200, page("fast"))

        def slow(handler: object) -> None:
            release.wait(1.5)
            send(handler, 200, page("slow"))  # type: ignore[arg-type]

        server.routes["/slow"] = slow
        lines = [server.url(f"/fast?n={n}") for n in range(3)] + [server.url(f"/slow?n={n}") for n in range(40)]
        (tmp_path / "urls.txt").write_text("10 August 2021\n" + "\n".join(f"See {url} ." for url in lines) + "\n")
        (tmp_path / "config.toml").write_text(
            "[check]\nallow_private_networks = true\nretries = 0\nconcurrency = 2\nper_host_concurrency = 2\n"
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "linkcheck", "run", "urls.txt", "--out", "out"],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while server.hits["/slow"] < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=20)
        finally:
            release.set()
            process.kill()
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["run"]["interrupted"] is True
    verdicts = [c["verdict"] for c in report["articles"][0]["citations"]]
    assert verdicts[:3] == ["ok", "ok", "ok"]
    assert verdicts.count("skipped") >= 30
    assert b"interrupted" in out
    assert server.hits["/slow"] < 10
