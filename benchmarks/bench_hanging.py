"""Benchmark: how long a run takes when some hosts hang, against the bound the README states.

Five loopback hosts (127.0.0.1-5), 80 URLs each; three answer in 50 ms, two accept and never
answer. Prints the wall time, the stated bound for a hanging host, and how many requests were made.
Run: PYTHONPATH=. python benchmarks/bench_hanging.py
"""

from __future__ import annotations

import math
import threading
import time

from linkcheck.check import Fetcher, check_urls
from linkcheck.models import Verdict
from linkcheck.settings import settings_from_mapping
from tests.server import LocalServer, page, send

LIMIT, PER_HOST, RETRIES, DEADLINE, BACKOFF, CONCURRENCY = 3, 2, 1, 2.0, 0.2, 16


def stated_bound() -> float:
    """ceil((limit + P - 1) / P) x ((retries + 1) x deadline + the backoff waits, jitter included)."""
    backoffs = sum(BACKOFF * 2**i + BACKOFF for i in range(RETRIES))
    return math.ceil((LIMIT + PER_HOST - 1) / PER_HOST) * ((RETRIES + 1) * DEADLINE + backoffs)


def main() -> None:
    servers = [LocalServer(f"127.0.0.{n}").start() for n in range(1, 6)]
    release = threading.Event()
    for server in servers[:3]:
        server.routes["/page"] = lambda h: (time.sleep(0.05), send(h, 200, page("fine")))
    for server in servers[3:]:
        server.routes["/page"] = lambda h: release.wait(60)
    urls = [server.url(f"/page?n={n}") for server in servers for n in range(80)]
    settings = settings_from_mapping(
        {
            "check": {
                "allow_private_networks": True,
                "timeout": DEADLINE / 2,
                "deadline": DEADLINE,
                "retries": RETRIES,
                "backoff": BACKOFF,
                "concurrency": CONCURRENCY,
                "per_host_concurrency": PER_HOST,
                "host_failure_limit": LIMIT,
            }
        },
        "bench",
    )
    fetcher = Fetcher(settings)
    began = time.monotonic()
    try:
        outcomes, _ = check_urls(urls, settings, fetcher)
        results = {url: outcome.result for url, outcome in outcomes.items()}
    finally:
        release.set()
        fetcher.close()
        for server in servers:
            server.stop()
    elapsed = time.monotonic() - began
    fetched = sum(1 for result in results.values() if result.attempts)
    timeouts = sum(1 for result in results.values() if result.verdict is Verdict.TIMEOUT)
    print(f"{len(urls)} URLs on 5 hosts, 2 of which hang: {elapsed:.1f} s wall")
    print(f"stated bound for a hanging host: {stated_bound():.1f} s; {fetched} URLs fetched, {timeouts} timeouts")


if __name__ == "__main__":
    main()
