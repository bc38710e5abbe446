"""Per-host health within one run: stop hammering a host that keeps timing out.

Without this, a host that hangs costs (retries + 1) x deadline for every URL on it, one
per_host_concurrency slot at a time: hours for a few hundred citations of one dead site.
"""

from __future__ import annotations

import threading
from collections import Counter

from linkcheck.models import HOST_DOWN, CheckResult


class HostHealth:
    """Counts consecutive host-level failures; after `limit` of them the host is given up on."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._streak: Counter[str] = Counter()
        self._last: dict[str, CheckResult] = {}
        self._lock = threading.Lock()

    def record(self, host: str, result: CheckResult) -> None:
        with self._lock:
            if result.verdict in HOST_DOWN:
                self._streak[host] += 1
                self._last[host] = result
            else:
                self._streak[host] = 0

    def given_up(self, host: str, url: str) -> CheckResult | None:
        """A stand-in result for a URL on a host that failed `limit` times in a row, else None."""
        if self._limit <= 0:
            return None
        with self._lock:
            if self._streak[host] < self._limit:
                return None
            last = self._last[host]
        return CheckResult(
            url=url,
            verdict=last.verdict,
            error=f"not fetched: {host} failed {self._streak[host]} times in a row in this run (last: {last.error})",
            attempts=0,
            checked_at=last.checked_at,
        )
