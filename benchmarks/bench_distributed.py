"""Distributed throughput: the same URLs checked by 1, 2 and 4 `linkcheck worker` processes (prints figures).

A redis-server of its own and benchmarks/loopback_server.py (many 127.x hosts, latency per answer) run as
subprocesses; the coordinator is linkcheck's own (`check_on_workers`, as `linkcheck run --broker` calls it).
Each worker process checks `--threads` shards at once. The ideal polite schedule for W workers is what a
perfect scheduler would need under the same limits: every host's URLs one after another, `per_host_delay`
apart (or one latency, if longer), and no more than W x threads shards at once. Printed side by side:
seconds (median of --repeat), URLs/s, speed-up over one worker, and the ratio of the ideal to the measured
time (1.0 = as fast as politeness and the workers allow).

    PYTHONPATH=. python benchmarks/bench_distributed.py --hosts 24 --per-host 10 --repeat 3
"""

from __future__ import annotations

import argparse
import heapq
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from loopback_server import host_addresses  # noqa: E402

from linkcheck.distributed.broker import check_on_workers  # noqa: E402
from linkcheck.distributed.shards import group_by_shard  # noqa: E402
from linkcheck.settings import Settings, settings_from_mapping  # noqa: E402
from linkcheck.urls import host_of  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("bench_distributed: redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    client = redis.StrictRedis(port=port)
    for _ in range(200):
        try:
            client.ping()
            return process, f"redis://127.0.0.1:{port}/0"
        except redis.ConnectionError:
            time.sleep(0.05)
    sys.exit("bench_distributed: redis-server did not start")


def start_hosts(hosts: int, latency: float) -> tuple[subprocess.Popen[str], int]:
    command = [sys.executable, str(HERE / "loopback_server.py"), "--hosts", str(hosts), "--latency", str(latency)]
    process = subprocess.Popen(command + ["--lifetime", "1800"], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().split()
    if line[:1] != ["ready"]:
        sys.exit("bench_distributed: loopback_server did not start")
    return process, int(line[1])


def start_workers(count: int, broker: str, threads: int, folder: Path) -> list[subprocess.Popen[bytes]]:
    code = "from linkcheck.cli import console_main; console_main()"
    workers = []
    for n in range(count):
        log = (folder / f"worker-{count}-{n}.log").open("wb")
        command = [sys.executable, "-c", code, "worker", "--broker", broker, "--processes", "1"]
        workers.append(
            subprocess.Popen(
                command + ["--threads", str(threads)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        )
    client = redis.StrictRedis.from_url(broker)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # each worker process heartbeats once its consumers run
        if len(client.zrangebyscore("dramatiq:__heartbeats__", (time.time() - 2) * 1000, "+inf")) >= count:
            return workers
        time.sleep(0.1)
    stop_workers(workers)
    sys.exit("bench_distributed: the workers did not start")


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for process in workers:
        os.killpg(process.pid, signal.SIGTERM)
    for process in workers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def ideal_seconds(urls: list[str], settings: Settings, slots: int, latency: float) -> float:
    """The shortest time under the limits: shards run whole on `slots` workers' threads at once (longest
    first), each host's URLs one after another per_host_delay apart (per_host_concurrency 1)."""
    step = max(settings.check.per_host_delay, latency)
    shard_times = []
    for members in group_by_shard(urls, settings.distributed.shards).values():
        per_host: dict[str, int] = {}
        for url in members:
            per_host[host_of(url)] = per_host.get(host_of(url), 0) + 1
        shard_times.append(max((count - 1) * step + latency for count in per_host.values()))
    finishing = [0.0] * slots
    for length in sorted(shard_times, reverse=True):
        start = heapq.heappop(finishing)
        heapq.heappush(finishing, start + length)
    return max(finishing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=24)
    parser.add_argument("--per-host", type=int, default=10, help="URLs on each host")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--delay", type=float, default=0.2, help="[check] per_host_delay")
    parser.add_argument("--threads", type=int, default=2, help="shards each worker process checks at once")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-distributed-"))
    redis_process, broker = start_redis(folder)
    hosts_process, port = start_hosts(args.hosts, args.latency)
    try:
        addresses = host_addresses(args.hosts)
        urls = [f"http://{address}:{port}/ok/{n}" for n in range(args.per_host) for address in addresses]
        settings = settings_from_mapping(
            {
                "check": {
                    "allow_private_networks": True,
                    "retries": 0,
                    "per_host_concurrency": 1,
                    "per_host_delay": args.delay,
                    "concurrency": 4,
                    "soft_404_probe": False,
                },
                "distributed": {"broker": broker, "shards": 64, "slice_seconds": 30},
            },
            "bench",
        )
        rows = []
        for count in args.workers:
            workers = start_workers(count, broker, args.threads, folder)
            try:
                times = []
                for _ in range(args.repeat):
                    started = time.monotonic()
                    outcomes, interrupted = check_on_workers(urls, settings, None)
                    times.append(time.monotonic() - started)
                    if interrupted or len(outcomes) != len(urls):
                        sys.exit(f"bench_distributed: {len(outcomes)} results of {len(urls)}")
                    bad = [o for o in outcomes.values() if o.result.verdict.value != "ok"]
                    if bad:
                        sys.exit(f"bench_distributed: {len(bad)} URLs not ok, e.g. {bad[0].result}")
            finally:
                stop_workers(workers)
            ideal = ideal_seconds(urls, settings, count * args.threads, args.latency)
            rows.append((count, statistics.median(times), ideal))
        print(
            f"{len(urls)} URLs on {args.hosts} hosts, latency {args.latency * 1000:.0f} ms,"
            f" per_host_delay {args.delay} s, per_host_concurrency 1,"
            f" {args.threads} shard threads per worker process; median of {args.repeat}"
        )
        print(f"{'workers':>7} {'seconds':>8} {'URLs/s':>7} {'speed-up':>8} {'ideal s':>8} {'ideal/measured':>14}")
        base = rows[0][1]
        for count, seconds, ideal in rows:
            print(
                f"{count:>7} {seconds:>8.2f} {len(urls) / seconds:>7.1f} {base / seconds:>8.2f}"
                f" {ideal:>8.2f} {ideal / seconds:>14.2f}"
            )
    finally:
        hosts_process.terminate()
        redis_process.terminate()
        hosts_process.wait()
        redis_process.wait()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
