"""An in-memory ResultChannel and WindowStore, for tests on Dramatiq's StubBroker (no Redis)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable


class MemoryChannel:
    def __init__(self) -> None:
        self.streams: dict[str, list[str]] = {}
        self.done_urls: dict[str, set[str]] = {}
        self.live: set[str] = set()
        self.started: list[tuple[str, str]] = []
        self.holding: dict[str, str] = {}
        self.attachments: dict[str, bytes] = {}
        self.taken: list[str] = []
        self._cond = threading.Condition()

    def publish(self, run: str, url: str, payload: str, worker: str) -> None:
        with self._cond:
            self.streams.setdefault(run, []).append(payload)
            self.done_urls.setdefault(run, set()).add(url)
            self._cond.notify_all()

    def attach(self, run: str, content: bytes) -> str:
        with self._cond:
            key = f"{run}:capture:{len(self.attachments) + len(self.taken)}"
            self.attachments[key] = content
            return key

    def attachment(self, key: str) -> bytes | None:
        with self._cond:
            content = self.attachments.pop(key, None)
            if content is not None:
                self.taken.append(key)
            return content

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


class MemoryWindows:
    """A WindowStore in memory, on an injectable clock (seconds): the Redis script's sliding log in Python."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._logs: dict[str, list[int]] = {}
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()

    def claim(self, key: str, limit: int, window_ms: int) -> int:
        with self._lock:
            now = int(self._clock() * 1000)
            held = self._held.get(key, 0) - now
            if held > 0:
                return held
            log = [stamp for stamp in self._logs.get(key, []) if stamp > now - window_ms]
            self._logs[key] = log
            if len(log) < limit:
                log.append(now)
                return 0
            return max(1, min(log) + window_ms - now)

    def hold(self, key: str, ms: int) -> None:
        with self._lock:
            until = int(self._clock() * 1000) + ms
            self._held[key] = max(self._held.get(key, 0), until)
