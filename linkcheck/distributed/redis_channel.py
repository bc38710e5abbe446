"""The results channel and the status records on Redis: a stream per run, a set of done URLs per run,
a key that says the coordinator is waiting, and per-worker and in-flight records for `linkcheck status`.

Stream commands go through execute_command, which every redis-py release since 2.10 has.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from typing import Any

import redis

PREFIX = "linkcheck:"
KEEP_SECONDS = 86_400  # a finished run's stream and done-set stay a day for inspection, then expire
WORKERS = PREFIX + "workers"
IN_FLIGHT = PREFIX + "in-flight"


def client_for(url: str) -> redis.StrictRedis:
    """A client of the Redis server at `url` (redis://HOST:PORT/DB), connecting on first use."""
    return redis.StrictRedis.from_url(url)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisChannel:
    """ResultChannel on a redis-py client."""

    def __init__(self, client: redis.StrictRedis) -> None:
        self.client = client

    def publish(self, run: str, url: str, payload: str, worker: str) -> None:
        now = time.time()
        pipe = self.client.pipeline(transaction=True)
        pipe.execute_command("XADD", f"{PREFIX}run:{run}:results", "*", "url", url, "payload", payload)
        pipe.sadd(f"{PREFIX}run:{run}:done", url)
        pipe.expire(f"{PREFIX}run:{run}:results", KEEP_SECONDS)
        pipe.expire(f"{PREFIX}run:{run}:done", KEEP_SECONDS)
        key = f"{PREFIX}worker:{worker}"
        pipe.hsetnx(key, "started", now)
        pipe.hincrby(key, "checked", 1)
        pipe.hset(key, "last", now)
        pipe.expire(key, KEEP_SECONDS)
        pipe.sadd(WORKERS, worker)
        pipe.execute()

    def attach(self, run: str, content: bytes) -> str:
        key = f"{PREFIX}run:{run}:capture:{uuid.uuid4().hex}"
        self.client.set(key, content, ex=KEEP_SECONDS)
        return key

    def attachment(self, key: str) -> bytes | None:
        pipe = self.client.pipeline(transaction=True)
        pipe.get(key)
        pipe.delete(key)
        content, _ = pipe.execute()
        return bytes(content) if content is not None else None

    def done(self, run: str, urls: Iterable[str]) -> set[str]:
        wanted = list(urls)
        if not wanted:
            return set()
        pipe = self.client.pipeline(transaction=False)
        for url in wanted:
            pipe.sismember(f"{PREFIX}run:{run}:done", url)
        return {url for url, member in zip(wanted, pipe.execute(), strict=True) if member}

    def read(self, run: str, after: str, block_seconds: float) -> list[tuple[str, str]]:
        answer = self.client.execute_command(
            "XREAD", "COUNT", 1000, "BLOCK", max(1, int(block_seconds * 1000)), "STREAMS",
            f"{PREFIX}run:{run}:results", after,
        )  # fmt: skip
        entries: list[tuple[str, str]] = []
        for _stream, records in answer or []:
            for entry_id, fields in records:
                values = dict(zip(fields[::2], fields[1::2], strict=True))
                entries.append((_text(entry_id), _text(values[b"payload"])))
        return entries

    def keep_alive(self, run: str, seconds: float) -> None:
        self.client.set(f"{PREFIX}run:{run}:alive", "1", px=max(1, int(seconds * 1000)))

    def alive(self, run: str) -> bool:
        return bool(self.client.exists(f"{PREFIX}run:{run}:alive"))

    def forget(self, run: str) -> None:
        self.client.delete(f"{PREFIX}run:{run}:alive")

    def shard_started(self, shard_key: str, worker: str) -> None:
        self.client.hset(IN_FLIGHT, shard_key, json.dumps({"worker": worker, "since": time.time()}))

    def shard_finished(self, shard_key: str) -> None:
        self.client.hdel(IN_FLIGHT, shard_key)

    # --- for `linkcheck status` ---

    def in_flight(self) -> dict[str, dict[str, Any]]:
        """Shard key -> {worker, since} of each shard a worker holds now."""
        return {_text(key): json.loads(value) for key, value in self.client.hgetall(IN_FLIGHT).items()}

    def workers(self) -> dict[str, dict[str, float]]:
        """Worker id -> {started, last, checked} of each worker seen in the last day."""
        found: dict[str, dict[str, float]] = {}
        for member in sorted(_text(m) for m in self.client.smembers(WORKERS)):
            record = self.client.hgetall(f"{PREFIX}worker:{member}")
            if not record:
                self.client.srem(WORKERS, member)  # expired
                continue
            found[member] = {_text(key): float(value) for key, value in record.items()}
        return found
