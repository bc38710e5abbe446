"""Politeness toward archives: a token bucket per archive host, Retry-After and 429 honoured with a
bounded number of retries, and an archive given up on for the rest of the run once it keeps refusing
(a 429 storm) or cannot be reached (a connection failure that outlasts the retries)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from linkcheck.models import FailureKind, FetchResult
from linkcheck.pacing import BucketPerService, RequestLimiter, TokenBucket

__all__ = ["PoliteClient", "Reply", "TokenBucket", "archive_host"]

# Failures worth another try: the archive may answer in a moment. A name that does not resolve,
# a TLS failure or a refused private address will not, so the archive is given up on at once.
_TRANSIENT_FAILURES = frozenset(
    {FailureKind.TIMEOUT, FailureKind.REFUSED, FailureKind.RESET, FailureKind.CONNECTION, FailureKind.DNS_TEMPORARY}
)
# "Slow down": retried after Retry-After (or a backoff); still there after the retries, the archive is given up.
_SLOW_DOWN = frozenset({429, 503})
_SERVER_TROUBLE = frozenset({500, 502, 504})
_MAX_BACKOFF = 60.0


@dataclass(frozen=True)
class Reply:
    """An archive's answer to one request (any status the caller must judge), or why there is none."""

    fetch: FetchResult | None
    failure: str | None = None


def archive_host(url: str) -> str:
    """The host (and port) requests are counted against."""
    return urlsplit(url).netloc.lower()


class PoliteClient:
    """Every request to an archive goes through here: paced per archive host by `limiter` (by default a
    bucket per host for this process; with a broker, a window shared by every process on it),
    retries for 429, 503, 5xx and transient connection failures (at most `retries` per request), and
    an archive given up on for the rest of the run after a 429 storm or a connection failure that
    survives the retries; requests to it then fail at once, without a byte sent.
    """

    def __init__(
        self,
        fetch: Callable[..., FetchResult],
        rate: float,
        retries: int,
        backoff: float,
        max_retry_after: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        limiter: RequestLimiter | None = None,
    ) -> None:
        self._fetch = fetch
        self._retries = retries
        self._backoff = backoff
        self._max_retry_after = max_retry_after
        self.limiter: RequestLimiter = limiter if limiter is not None else BucketPerService(rate, clock, sleep)
        self._down: dict[str, str] = {}
        self._lock = threading.Lock()
        self.requests = 0  # sent, all archives together (for logs and tests)

    def down(self, url: str) -> str | None:
        """Why the archive serving `url` is not asked again in this run, or None."""
        with self._lock:
            return self._down.get(archive_host(url))

    def _give_up(self, host: str, why: str) -> Reply:
        with self._lock:
            self._down.setdefault(host, why)
            reason = self._down[host]
        return Reply(None, f"not asked again in this run: {reason}")

    def request(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        form: Mapping[str, str] | None = None,
    ) -> Reply:
        """One request to an archive, politely; the answer, or why there is none."""
        host = archive_host(url)
        reason = self.down(url)
        if reason is not None:
            return Reply(None, f"not asked again in this run: {reason}")
        for attempt in range(self._retries + 1):
            self.limiter.take(host)
            with self._lock:
                self.requests += 1
            result = self._fetch(url, method=method, headers=headers, form=form)
            last = attempt == self._retries
            backoff = min(_MAX_BACKOFF, self._backoff * 2**attempt)
            if result.failure is not None:
                if result.failure.kind in _TRANSIENT_FAILURES and not last:
                    self.limiter.hold(host, backoff)
                    continue
                tries = f" ({attempt + 1} attempts)" if attempt else ""
                return self._give_up(host, f"{result.failure.message}{tries}")
            status = result.status or 0
            if status in _SLOW_DOWN:
                wait = result.retry_after_s
                if wait is not None and wait > self._max_retry_after:
                    return self._give_up(host, f"HTTP {status}, asked to wait {wait:g}s (over max_retry_after)")
                if last:
                    return self._give_up(host, f"HTTP {status} {attempt + 1} times in a row")
                self.limiter.hold(host, wait if wait is not None else backoff)
                continue
            if status in _SERVER_TROUBLE and not last:
                self.limiter.hold(host, backoff)
                continue
            return Reply(result)
        raise AssertionError("unreachable: the last attempt always returns")  # pragma: no cover
