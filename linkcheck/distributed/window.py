"""One request window per shared service (an archive, an RDAP registry) for every process on the broker: at
most `limit` request starts in any `window` milliseconds, counted by the Redis server's clock, so the
coordinators and workers on one broker together stay within the polite rate. A caller over the limit waits
for the window to move on; it is never refused.

The window is a sliding log (a sorted set of grant times per service) kept by a Lua script, so a claim is one
atomic round trip and machines with skewed clocks still share one window. hold() (a Retry-After, a backoff)
closes the service for everyone until it runs out.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

PREFIX = "linkcheck:limit:"

_CLAIM = """
if redis.replicate_commands then redis.replicate_commands() end
local held = redis.call('PTTL', KEYS[2])
if held > 0 then return held end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""

_HOLD = """
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 0
"""


class WindowStore(Protocol):
    """Where the windows live: Redis (RedisWindows), or memory in tests."""

    def claim(self, key: str, limit: int, window_ms: int) -> int:
        """Claim a request start in the key's window: 0 when claimed, else how many ms to wait before asking again."""

    def hold(self, key: str, ms: int) -> None:
        """No claim on the key succeeds for `ms` ms (a longer hold already in place stays)."""


class RedisWindows:
    """WindowStore on a redis-py client (the broker's server): two Lua scripts."""

    def __init__(self, client: Any) -> None:
        self._claim = client.register_script(_CLAIM)
        self._hold = client.register_script(_HOLD)

    def claim(self, key: str, limit: int, window_ms: int) -> int:
        token = secrets.token_hex(8)  # a member of the log of its own, however many claims share a millisecond
        return int(self._claim(keys=[key, key + ":hold"], args=[limit, window_ms, token]))

    def hold(self, key: str, ms: int) -> None:
        self._hold(keys=[key + ":hold"], args=[max(1, ms)])


def window_for(rate: float) -> tuple[int, int]:
    """(limit, window in ms) for `rate` requests per second: whole requests per window, the window as short as
    that allows (1.0 -> 1 per 1000 ms, 0.5 -> 1 per 2000 ms, 2.5 -> 2 per 800 ms)."""
    limit = max(1, int(rate))
    return limit, max(1, math.ceil(1000 * limit / rate))


@dataclass
class WindowLimiter:
    """A RequestLimiter (linkcheck.pacing) over a WindowStore: one window per service, at `rate` per second."""

    store: WindowStore
    rate: float
    sleep: Callable[[float], None] = time.sleep
    prefix: str = PREFIX

    def key(self, service: str) -> str:
        return self.prefix + service

    def take(self, service: str) -> None:
        limit, window = window_for(self.rate)
        while (wait := self.store.claim(self.key(service), limit, window)) > 0:
            self.sleep(wait / 1000)

    def hold(self, service: str, seconds: float) -> None:
        self.store.hold(self.key(service), math.ceil(seconds * 1000))
