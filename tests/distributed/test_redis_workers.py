"""Real distributed runs: a redis-server of the test's own, two `linkcheck worker` processes, 500 URLs over
10 loopback hosts at 50 ms latency. Politeness holds across workers (per host: one request at a time, starts
0.2 s apart), the report equals a single-process run's, and a worker killed with SIGKILL loses nothing."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from linkcheck.distributed.redis_channel import client_for
from linkcheck.state.store import Store
from tests.distributed.hosts import RequestLog, StallProbe, logged_hosts, redis_server
from tests.distributed.test_window import most_in_any_window
from tests.server import running, send

pytestmark = [
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="redis-server is not installed (apt-get install redis-server; .ci/run installs it)",
    ),
    pytest.mark.timeout(300),
]

HOSTS = 10
URLS = 500
DELAY = 0.2
# The server takes each request's start from the kernel (when its first bytes arrived), so its own load does
# not move it. The checker's scheduler spaces the moments each request's work begins; a request then reaches
# the wire after its thread's own lag (opening the connection, waiting for the interpreter lock while other
# threads parse pages: seen up to 65 ms in a worker checking four shards on a loaded 2-core machine). That
# lag is measured, not guessed: the checker logs each fetch's elapsed time, the server knows how long it
# took to answer, and the difference is how late the request left. So the rule checked is: the gap between
# two starts on a host, plus how late the earlier request left, is at least DELAY - SLACK. SLACK covers what
# is not measured: the moment between the scheduler's stamp and the fetch's own clock, where a thread can
# also wait for the lock (a gap of 0.171 s with 1 ms measured lag was seen on this loaded machine), and a
# response's transfer. 40 ms; a scheduler with no delay gives 0.05 s gaps here, and the bug this caught
# (a lock handed on without the delay) gave 0.108 s. A single-process run is held to the same rule.
# On a machine so busy that a sleeping thread of this process woke more than QUIET late during the run, the
# unmeasured waits grow too (0.089 s + 27 ms measured was seen at a load average of 11): the bound is then
# DELAY / 2, which still fails a host asked with no delay at all, and a warning says so.
SLACK = 0.04
QUIET = 0.02
GET_LINE = re.compile(r"GET (\S+) -> .*\(\d+ attempts?, (\d+) ms\)")


CONFIG = f"""
[check]
allow_private_networks = true
retries = 0
backoff = 0.0
timeout = 5.0
# Few threads per shard (a shard holds one or two of the 10 hosts): fewer threads contending for a core, less lag.
concurrency = 2
per_host_concurrency = 1
per_host_delay = {DELAY}
# The soft-404 probe is a second request inside the URL's slot: it would start 50 ms after the page's.
soft_404_probe = false

[snapshot]
enabled = false

[fallback]
enabled = false

[repair]
enabled = false

[state]
enabled = false

[distributed]
shards = 16
slice_seconds = 4
lease_seconds = 3
heartbeat_timeout = 3
wait = 150
"""


@dataclass
class Setup:
    folder: Path
    broker: str
    urls: list[str]
    log: RequestLog
    worker_logs: list[Path] = field(default_factory=list)  # the current test's workers' output


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    folder = tmp_path_factory.mktemp("distributed")
    with redis_server(folder) as broker, logged_hosts(HOSTS) as (bases, log):
        urls = [f"{bases[n % HOSTS]}/{'gone' if n % 10 == 3 else 'ok'}/{n}" for n in range(URLS)]
        lines = ["# Sources", ""] + [f"- [Source {n}]({url})" for n, url in enumerate(urls)]
        (folder / "article.md").write_text("\n".join(lines) + "\n")
        (folder / "config.toml").write_text(CONFIG)
        yield Setup(folder, broker, urls, log)


def linkcheck(*args: str) -> list[str]:
    return [sys.executable, "-c", "from linkcheck.cli import console_main; console_main()", *args]


@pytest.fixture
def workers(setup: Setup) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Two `linkcheck worker` commands of one process each (own sessions, so a test can kill one whole)."""
    started = []
    setup.worker_logs = []
    for n in range(2):
        setup.worker_logs.append(setup.folder / f"worker-{n}-{time.monotonic_ns()}.log")
        log = setup.worker_logs[-1].open("wb")
        started.append(
            subprocess.Popen(
                linkcheck("worker", "--broker", setup.broker, "--processes", "1", "--threads", "4"),
                cwd=setup.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def run(setup: Setup, out: str, *extra: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        linkcheck("run", "article.md", "--out", out, *extra),
        cwd=setup.folder,
        capture_output=True,
        text=True,
        timeout=200,
    )
    assert done.returncode in (0, 1), done.stderr
    return done


_VARYING = {
    "checked_at",
    "elapsed_ms",
    "started_at",
    "finished_at",
    "run_id",
    "duration_ms",
    "duration_s",
    "generated_at",
}


def comparable(report: Any) -> Any:
    """A report without what differs between any two runs: timings, moments and run ids."""
    if isinstance(report, dict):
        return {key: comparable(value) for key, value in report.items() if key not in _VARYING}
    if isinstance(report, list):
        return [comparable(item) for item in report]
    return report


def results_of(report: dict[str, Any]) -> dict[str, str]:
    """Cited URL -> verdict, for every citation of the report."""
    found: dict[str, str] = {}
    for article in report["articles"]:
        for citation in article["citations"]:
            found[citation["url"]] = citation["verdict"]
    return found


def fetch_times(*outputs: str) -> dict[tuple[str, str], float]:
    """(host, path) -> seconds the checker's fetch took, from its log lines (the longest, if fetched twice)."""
    found: dict[tuple[str, str], float] = {}
    for output in outputs:
        for url, ms in GET_LINE.findall(output):
            key = (urlsplit(url).hostname or "", urlsplit(url).path)
            found[key] = max(found.get(key, 0.0), int(ms) / 1000)
    return found


def worker_output(setup: Setup) -> str:
    return "".join(path.read_text(errors="replace") for path in setup.worker_logs)


def assert_polite(log: RequestLog, fetched: dict[tuple[str, str], float], stalls: StallProbe) -> None:
    """Per host: one request at a time; and starts DELAY apart, less how late the earlier one left its
    client (its fetch time less the server's answering time) and SLACK; DELAY / 2 on a busy machine."""
    dump = Path(os.environ.get("LINKCHECK_TEST_REQUEST_LOG", ""))  # for a look at what the server saw
    if dump.name:
        dump.write_text(json.dumps([vars(r) for r in sorted(log.requests, key=lambda r: r.start)], indent=0))
    bound = DELAY - SLACK
    if stalls.worst > QUIET:
        bound = DELAY / 2
        warnings.warn(f"busy machine (a {stalls.worst * 1000:.0f} ms stall): spacing held to {bound} s", stacklevel=2)
    by_host = log.by_host()
    assert len(by_host) == HOSTS
    for host, requests in by_host.items():
        for earlier, later in zip(requests, requests[1:], strict=False):
            assert later.start >= earlier.end, f"{host}: two requests in flight at once ({earlier}, {later})"
            late = max(0.0, fetched[host, earlier.path] - (earlier.end - earlier.start))
            gap = later.start - earlier.start
            assert gap + late >= bound, f"{host}: {earlier.path}, {later.path} {gap:.3f} s apart ({late:.3f} late)"


def test_two_workers_are_polite_per_host_and_report_as_one_process(
    setup: Setup, workers: list[subprocess.Popen[bytes]]
) -> None:
    setup.log.clear()
    with StallProbe() as stalls:
        run(setup, "distributed", "--broker", setup.broker)
    assert all(process.poll() is None for process in workers)
    assert_polite(setup.log, fetch_times(worker_output(setup)), stalls)
    paths = sorted(request.path for request in setup.log.requests)
    assert paths == sorted(urlsplit(url).path for url in setup.urls)  # each URL fetched once
    shown = subprocess.run(
        linkcheck("status", "--broker", setup.broker, "--json"), cwd=setup.folder, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    queue = json.loads(shown.stdout)["distributed"]
    assert queue["queued_shards"] == queue["failed_shards"] == 0 and not queue["in_flight_shards"]
    assert len(queue["workers"]) == 2  # both workers took part
    assert sum(pace["checked"] for pace in queue["workers"].values()) == URLS
    assert all(pace["per_minute"] > 0 for pace in queue["workers"].values())
    said = subprocess.run(
        linkcheck("status", "--broker", setup.broker), cwd=setup.folder, capture_output=True, text=True
    )
    assert "shards: 0 queued, 0 delayed, 0 being checked, 0 failed" in said.stdout, said.stdout + said.stderr
    assert said.stdout.count("\nworker ") == 2
    setup.log.clear()
    with StallProbe() as stalls:
        single_run = run(setup, "single", "--verbose")
    assert_polite(setup.log, fetch_times(single_run.stderr), stalls)
    distributed = json.loads((setup.folder / "distributed" / "report.json").read_text())
    single = json.loads((setup.folder / "single" / "report.json").read_text())
    assert len(results_of(distributed)) == URLS
    assert set(results_of(distributed).values()) == {"ok", "broken"}
    assert comparable(distributed) == comparable(single)


def test_a_worker_killed_mid_run_loses_nothing(setup: Setup, workers: list[subprocess.Popen[bytes]]) -> None:
    setup.log.clear()
    stalls = StallProbe().__enter__()
    coordinator = subprocess.Popen(
        linkcheck("run", "article.md", "--out", "killed", "--broker", setup.broker),
        cwd=setup.folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(setup.log.requests) < 60:  # some results are in, most are not
        assert time.monotonic() < deadline and coordinator.poll() is None
        time.sleep(0.05)
    os.killpg(workers[0].pid, signal.SIGKILL)
    killed_at = len(setup.log.requests)
    out, err = coordinator.communicate(timeout=200)
    stalls.__exit__()
    assert coordinator.returncode in (0, 1), err
    assert workers[1].poll() is None
    report = json.loads((setup.folder / "killed" / "report.json").read_text())
    results = results_of(report)
    assert sorted(results) == sorted(setup.urls)  # every URL once, none missing
    assert set(results.values()) == {"ok", "broken"}  # none "not checked"
    assert all(verdict == ("broken" if "/gone/" in url else "ok") for url, verdict in results.items())
    assert killed_at < URLS - 100  # the kill came mid-run
    # across the kill too: the dead worker's lease kept its hosts until it ran out
    assert_polite(setup.log, fetch_times(worker_output(setup)), stalls)


def test_a_killed_coordinators_rerun_sends_only_what_is_missing(
    setup: Setup, workers: list[subprocess.Popen[bytes]]
) -> None:
    config = setup.folder / "resume.toml"
    config.write_text(
        CONFIG.replace("[state]\nenabled = false", '[state]\nenabled = true\npath = "state/state.sqlite"')
    )
    setup.log.clear()
    stalls = StallProbe().__enter__()
    first = subprocess.Popen(
        linkcheck("run", "article.md", "-c", str(config), "--out", "first", "--broker", setup.broker),
        cwd=setup.folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(setup.log.requests) < 150:
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.05)
    first.kill()
    first.wait()
    store = Store.open(setup.folder / "state" / "state.sqlite")
    try:
        stored = {url for url in setup.urls if store.last_check(url) is not None}
    finally:
        store.close()
    assert 100 <= len(stored) < URLS  # committed one by one as they came, up to the kill
    before_rerun = len(setup.log.requests)
    second = run(setup, "second", "-c", str(config), "--broker", setup.broker)
    stalls.__exit__()
    rerun_paths = {request.path for request in setup.log.requests[before_rerun:]}
    assert not rerun_paths & {urlsplit(url).path for url in stored}  # nothing stored is fetched again
    report = json.loads((setup.folder / "second" / "report.json").read_text())
    results = results_of(report)
    assert sorted(results) == sorted(setup.urls)
    assert all(verdict == ("broken" if "/gone/" in url else "ok") for url, verdict in results.items())
    assert report["summary"]["urls_reused"] == len(stored)
    assert report["summary"]["urls_checked"] == URLS - len(stored)
    assert_polite(
        setup.log, fetch_times(worker_output(setup)), stalls
    )  # the dead run's leftovers and the rerun's took turns
    assert second.returncode in (0, 1)


def test_workers_snapshots_land_in_the_shared_archive_and_its_index(
    setup: Setup, workers: list[subprocess.Popen[bytes]]
) -> None:
    urls = [url for url in setup.urls if "/ok/" in url][:20]
    (setup.folder / "few.md").write_text("\n".join(f"- [{n}]({url})" for n, url in enumerate(urls)) + "\n")
    config = setup.folder / "snapshots.toml"
    config.write_text(CONFIG.replace("[snapshot]\nenabled = false", '[snapshot]\nenabled = true\ndir = "shared"'))
    done = subprocess.run(
        linkcheck("run", "few.md", "-c", str(config), "--out", "snapshots", "--broker", setup.broker),
        cwd=setup.folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads((setup.folder / "snapshots" / "report.json").read_text())
    snapshots = [c["snapshot"] for a in report["articles"] for c in a["citations"]]
    assert all(snapshot is not None for snapshot in snapshots)
    # WARC files named after the worker that wrote them: its host name and process id
    host = re.escape(re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname()))
    named = re.compile(rf"linkcheck-\d{{14}}-{host}-\d+-[0-9a-f]{{8}}-\d{{5}}\.warc\.gz")
    assert all(named.fullmatch(Path(snapshot["warc"]).name) for snapshot in snapshots), snapshots[0]["warc"]
    listed = subprocess.run(
        linkcheck("archive", "list", "-c", str(config)), cwd=setup.folder, capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    for url in urls:  # the coordinator's index covers every worker's captures
        assert url in listed.stdout, url


def test_a_worker_without_the_shared_folder_sends_its_captures_back(setup: Setup) -> None:
    """A worker started elsewhere, told not to use the coordinator's folder (`shared_archive = false`, as on a
    machine without the mount): its captures come back with its results, and the coordinator keeps them."""
    far = setup.folder / "far"
    far.mkdir(exist_ok=True)
    (far / "config.toml").write_text('[distributed]\nshared_archive = false\n\n[snapshot]\ndir = "not-here"\n')
    urls = setup.urls[:20]  # all 10 hosts, pages and 404s
    (setup.folder / "carried.md").write_text("\n".join(f"- [{n}]({url})" for n, url in enumerate(urls)) + "\n")
    kept = CONFIG.replace("[snapshot]\nenabled = false", '[snapshot]\nenabled = true\ndir = "kept"')
    (setup.folder / "carried.toml").write_text(kept)
    (setup.folder / "too-big.toml").write_text(kept.replace("wait = 150", "wait = 150\nmax_capture_bytes = 100"))
    log = (setup.folder / f"far-{time.monotonic_ns()}.log").open("wb")
    worker = subprocess.Popen(
        linkcheck("worker", "--broker", setup.broker, "--processes", "1", "--threads", "4"),
        cwd=far,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for config, out in (("carried.toml", "carried"), ("too-big.toml", "too-big")):
            done = subprocess.run(
                linkcheck("run", "carried.md", "-c", config, "--out", out, "--broker", setup.broker),
                cwd=setup.folder,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode in (0, 1), done.stderr
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        log.close()
    assert not (far / "not-here").exists()  # the worker wrote nothing on its side
    assert client_for(setup.broker).keys("linkcheck:run:*:capture:*") == []  # each capture taken once read
    citations = [
        c
        for a in json.loads((setup.folder / "carried" / "report.json").read_text())["articles"]
        for c in a["citations"]
    ]
    assert sorted(c["url"] for c in citations) == sorted(urls)
    archive = setup.folder / "kept"
    host = re.escape(re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname()))
    named = re.compile(rf"linkcheck-\d{{14}}-{host}-\d+-[0-9a-f]{{8}}-\d{{5}}\.warc\.gz")
    for citation in citations:
        snapshot = citation["snapshot"]
        assert snapshot is not None, citation
        warc = Path(snapshot["warc"])
        assert warc.parent == archive / "warc" and named.fullmatch(warc.name), warc  # named after the worker
        assert (Path(snapshot["page"]) / "meta.json").is_file()
        meta = json.loads((Path(snapshot["page"]) / "meta.json").read_text())
        assert (meta["url"], meta["warc"], meta["offset"]) == (citation["url"], f"warc/{warc.name}", snapshot["offset"])
    listed = subprocess.run(
        linkcheck("archive", "list", "-c", "carried.toml"), cwd=setup.folder, capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    for url in urls:  # the coordinator's index lists every capture the worker sent back
        assert url in listed.stdout, url
    dropped = [
        c
        for a in json.loads((setup.folder / "too-big" / "report.json").read_text())["articles"]
        for c in a["citations"]
    ]
    assert len(dropped) == len(urls)
    for citation in dropped:
        assert citation["snapshot"] is None
        assert "over [distributed] max_capture_bytes (100)" in citation["snapshot_skipped"], citation


def test_two_coordinators_share_one_window_on_the_archive(setup: Setup, workers: list[subprocess.Popen[bytes]]) -> None:
    """Two runs at once on one broker look up archived copies of their broken citations at one loopback
    Wayback Machine: together they stay within its `requests_per_second`, through the window in Redis."""
    asked: list[float] = []
    lock = threading.Lock()

    def empty_index(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            asked.append(time.monotonic())
        send(handler, 200, b"", "text/plain")

    gone = [url for url in setup.urls if "/gone/" in url][:16]
    with running("127.0.0.1") as wayback:
        wayback.fallback = empty_index
        archive = f'[fallback]\nenabled = true\nwayback = "{wayback.url("")}"\nrequests_per_second = 2.0'
        coordinators = []
        for n, urls in enumerate((gone[:8], gone[8:])):
            (setup.folder / f"lost-{n}.md").write_text("\n".join(f"- [{i}]({url})" for i, url in enumerate(urls)))
            (setup.folder / f"lost-{n}.toml").write_text(CONFIG.replace("[fallback]\nenabled = false", archive))
            coordinators.append(
                subprocess.Popen(
                    linkcheck(
                        "run", f"lost-{n}.md", "-c", f"lost-{n}.toml", "--out", f"lost-{n}", "--broker", setup.broker
                    ),
                    cwd=setup.folder,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        for coordinator in coordinators:
            _, err = coordinator.communicate(timeout=120)
            assert coordinator.returncode in (0, 1), err
    for n in range(2):
        report = json.loads((setup.folder / f"lost-{n}" / "report.json").read_text())
        copies = [c["archived_copy"] for a in report["articles"] for c in a["citations"]]
        assert len(copies) == 8 and all(copy and copy["status"] == "none" for copy in copies), copies
    assert len(asked) >= 16  # every lookup asked the archive
    # 2 per second across both runs; each alone at its own 2 per second would have put 4 in most windows
    assert most_in_any_window(asked, 1.0 - 0.05) <= 2
