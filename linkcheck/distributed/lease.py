"""A shard's lock: Dramatiq's concurrent rate limiter of size 1 (a mutex), renewed while it is held.

The lock expires `lease` seconds after its last renewal, so the lock of a worker killed mid-shard frees
itself; a live worker renews it every third of the lease, however long its slice runs.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

from dramatiq.rate_limits import ConcurrentRateLimiter, RateLimiterBackend

log = logging.getLogger("linkcheck")

LOCK_PREFIX = "linkcheck-shard-lock:"


@contextlib.contextmanager
def shard_lock(backend: RateLimiterBackend, shard_key: str, lease_seconds: float) -> Iterator[bool]:
    """Hold the shard's lock for the `with` block if no one else does; yields whether it was acquired."""
    key = LOCK_PREFIX + shard_key
    ttl = max(1, int(lease_seconds * 1000))
    mutex = ConcurrentRateLimiter(backend, key, limit=1, ttl=ttl)
    with mutex.acquire(raise_on_failure=False) as acquired:
        if not acquired:
            yield False
            return
        stop = threading.Event()
        renewer = threading.Thread(
            target=_renew, args=(backend, key, ttl, stop), name=f"lease {shard_key}", daemon=True
        )
        renewer.start()
        try:
            yield True
        finally:
            stop.set()
            renewer.join()


def _renew(backend: RateLimiterBackend, key: str, ttl: int, stop: threading.Event) -> None:
    # Adding 0 (at most 1) rewrites the holder's count with a fresh expiry: a renewal in Dramatiq's terms.
    while not stop.wait(ttl / 3000):
        try:
            backend.incr(key, 0, maximum=1, ttl=ttl)
        except Exception:  # noqa: BLE001 - a missed renewal is retried; the lease outlives two of them
            log.warning("could not renew the lock %s", key, exc_info=True)
