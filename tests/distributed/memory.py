"""An in-memory ResultChannel, for tests on Dramatiq's StubBroker (no Redis)."""

from __future__ import annotations

import threading
from collections.abc import Iterable


class MemoryChannel:
    def __init__(self) -> None:
        self.streams: dict[str, list[str]] = {}
        self.done_urls: dict[str, set[str]] = {}
        self.live: set[str] = set()
        self.started: list[tuple[str, str]] = []
        self.holding: dict[str, str] = {}
        self._cond = threading.Condition()

    def publish(self, run: str, url: str, payload: str, worker: str) -> None:
        with self._cond:
            self.streams.setdefault(run, []).append(payload)
            self.done_urls.setdefault(run, set()).add(url)
            self._cond.notify_all()

    def done(self, run: str, urls: Iterable[str]) -> set[str]:
        with self._cond:
            return set(urls) & self.done_urls.get(run, set())

    def read(self, run: str, after: str, block_seconds: float) -> list[tuple[str, str]]:
        start = int(after)  # entry ids are 1-based positions; "0" reads from the start
        with self._cond:
            self._cond.wait_for(lambda: len(self.streams.get(run, [])) > start, timeout=block_seconds)
            entries = self.streams.get(run, [])[start:]
        return [(str(start + n + 1), payload) for n, payload in enumerate(entries)]

    def keep_alive(self, run: str, seconds: float) -> None:
        self.live.add(run)

    def alive(self, run: str) -> bool:
        return run in self.live

    def forget(self, run: str) -> None:
        self.live.discard(run)

    def shard_started(self, shard_key: str, worker: str) -> None:
        with self._cond:
            self.started.append((shard_key, worker))
            self.holding[shard_key] = worker

    def shard_finished(self, shard_key: str) -> None:
        with self._cond:
            self.holding.pop(shard_key, None)
