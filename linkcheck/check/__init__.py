"""The check stage: the only network code. URLs in, one Outcome (verdict and capture) per URL out.

client.py fetches (with guard.py, deadline.py, connections.py, wire.py, failures.py, policy.py);
verdict.py and soft404.py judge a fetch; hosts.py and schedule.py decide what runs when.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from linkcheck.check.client import Fetcher
from linkcheck.check.hosts import HostHealth
from linkcheck.check.policy import policy_for
from linkcheck.check.schedule import HostScheduler, Limits
from linkcheck.check.shards import OpenCapture, check_in_processes, process_count, split_by_host
from linkcheck.check.soft404 import SoftNotFoundProbe
from linkcheck.check.verdict import check_result, parsed_page
from linkcheck.models import Capture, FetchResult, Outcome
from linkcheck.pacing import HostStarts
from linkcheck.settings import Settings
from linkcheck.urls import host_of

if TYPE_CHECKING:
    from linkcheck.html_tags import Element

__all__ = ["Fetcher", "check_urls"]

log = logging.getLogger("linkcheck")


def check_urls(
    urls: list[str],
    settings: Settings,
    fetcher: Fetcher,
    on_outcome: Callable[[Outcome], None] | None = None,
    capture: Callable[[FetchResult, Element | None], Capture] | None = None,
    keep_going: Callable[[], bool] | None = None,
    host_starts: HostStarts | None = None,
    on_idle: Callable[[], None] | None = None,
    open_capture: OpenCapture | None = None,
) -> tuple[dict[str, Outcome], bool]:
    """Check each URL once, across hosts concurrently; (outcome per URL, whether interrupted).

    With `capture` (the archive's), each download is also archived from the same bytes: no second fetch,
    and the page's parsed tree goes with it, so its readable copy does not parse it again.
    Once `keep_going()` says no (a distributed shard's time slice is over), no new URL is started; the
    ones in flight still finish and are returned, the rest are left out. `host_starts` (each host's earliest
    next request start) is shared with the archive's requisite fetches, so per_host_delay spaces them, the
    pages' requests and the soft-404 probes alike.
    `on_idle` is called in this thread while no result has come for half a second (batched writes commit).
    With `[check] processes` above 1 and enough URLs, hosts are checked in forked processes (shards.py);
    each captures through its own archive writer, which `open_capture` opens, instead of `capture`.
    """
    hosts = {host_of(url) for url in urls}
    processes = process_count(settings, len(urls), len(hosts), capture is not None, open_capture is not None)
    if processes > 1:
        groups = split_by_host(urls, host_of, processes)
        return check_in_processes(
            groups, host_of, settings, fetcher, _check_here, on_outcome, open_capture, keep_going, on_idle
        )
    return _check_here(urls, settings, fetcher, on_outcome, capture, keep_going, host_starts, on_idle)


def _check_here(
    urls: list[str],
    settings: Settings,
    fetcher: Fetcher,
    on_outcome: Callable[[Outcome], None] | None = None,
    capture: Callable[[FetchResult, Element | None], Capture] | None = None,
    keep_going: Callable[[], bool] | None = None,
    host_starts: HostStarts | None = None,
    on_idle: Callable[[], None] | None = None,
) -> tuple[dict[str, Outcome], bool]:
    """check_urls in this process: worker threads under the host scheduler."""
    check = settings.check
    health = HostHealth(check.host_failure_limit)
    starts = host_starts if host_starts is not None else HostStarts(check.per_host_delay)

    def paced(url: str) -> FetchResult:
        """A request beside the scheduler's (the soft-404 probe), waiting for its host's next start."""
        starts.wait(host_of(url))
        return fetcher.fetch(url)

    probe = SoftNotFoundProbe(paced) if check.soft_404_probe else None

    def work(url: str) -> Outcome:
        host = host_of(url)
        given_up = health.given_up(host, url)
        if given_up is not None:
            return Outcome(given_up)
        fetched = fetcher.fetch(url)
        parsed = parsed_page(fetched)
        result = check_result(fetched, policy_for(settings, host).accept_status, probe, parsed)
        health.record(host, result)
        if log.isEnabledFor(logging.INFO):  # the arguments are built only if the line is written
            log.info(
                "GET %s -> %s %s (%d attempts, %d ms)%s",
                url,
                result.verdict.value,
                result.status or "-",
                result.attempts,
                result.elapsed_ms,
                f": {result.error}" if result.error else "",
            )
        return Outcome(result, capture(fetched, parsed) if capture is not None else None)

    scheduler: HostScheduler[str, Outcome] = HostScheduler(
        work,
        host_of,
        Limits(check.concurrency, check.per_host_concurrency, check.per_host_delay),
        settings.per_host_limit,
        starts=starts.times,
    )
    outcomes: dict[str, Outcome] = {}
    try:
        for url, outcome in scheduler.run(urls, on_idle):
            outcomes[url] = outcome
            if on_outcome:
                on_outcome(outcome)
            if keep_going is not None and not keep_going():
                scheduler.stop()
    except KeyboardInterrupt:
        scheduler.stop()
        return outcomes, True
    return outcomes, False
