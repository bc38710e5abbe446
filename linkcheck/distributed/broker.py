"""Connecting to Redis: Dramatiq's Redis broker, the lock backend, the results channel and the shared request
windows of the archives and RDAP, on one server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import Middleware, default_middleware
from dramatiq.middleware.prometheus import Prometheus
from dramatiq.rate_limits.backends import RedisBackend

from linkcheck.distributed.coordinator import check_remotely
from linkcheck.distributed.redis_channel import RedisChannel, client_for
from linkcheck.distributed.window import RedisWindows, WindowLimiter
from linkcheck.models import Outcome
from linkcheck.settings import DistributedSettings, Settings

# Out of a million broker commands, how many also look for dead workers and requeue their messages.
# Dramatiq's default (1 in 1000) suits busy queues; a shard queue is quiet, so a dead worker's shard would
# wait long for its turn. Each worker polls about twice a second, so 1 in 5 finds the dead within seconds.
MAINTENANCE_CHANCE = 200_000


@dataclass
class Connection:
    broker: RedisBroker
    channel: RedisChannel
    locks: RedisBackend

    def close(self) -> None:
        self.broker.close()
        self.channel.client.connection_pool.disconnect()


def middleware() -> list[Middleware]:
    """Dramatiq's default middleware but Prometheus's, which would start an HTTP exporter (port 9191) in every
    worker, and two workers on one machine would fight over the port."""
    return [kind() for kind in default_middleware if kind is not Prometheus]


def connect(distributed: DistributedSettings) -> Connection:
    """The broker, results channel and locks on `[distributed] broker`."""
    broker = RedisBroker(
        url=distributed.broker,
        middleware=middleware(),
        heartbeat_timeout=int(distributed.heartbeat_timeout * 1000),
        maintenance_chance=MAINTENANCE_CHANCE,
    )
    return Connection(broker, RedisChannel(broker.client), RedisBackend(client=broker.client))


def check_on_workers(
    urls: list[str],
    settings: Settings,
    on_outcome: Callable[[Outcome], None] | None,
    archive_root: Path | None = None,
    on_idle: Callable[[], None] | None = None,
) -> tuple[dict[str, Outcome], bool]:
    """The pipeline's check step on `linkcheck worker` processes: (outcome per URL, whether interrupted).
    With `archive_root`, workers capture into it (a folder they share) and results carry their captures."""
    connection = connect(settings.distributed)
    try:
        return check_remotely(
            urls,
            settings,
            on_outcome,
            connection.broker,
            connection.channel,
            archive_root=archive_root,
            on_idle=on_idle,
        )
    finally:
        connection.close()


@dataclass
class SharedLimits:
    """The request windows every process on the broker shares: one per archive host (at `[fallback]
    requests_per_second`) and one per RDAP service (at `[repair] rdap_requests_per_second`)."""

    archives: WindowLimiter
    rdap: WindowLimiter
    client: Any

    def close(self) -> None:
        self.client.connection_pool.disconnect()


def shared_limits(settings: Settings) -> SharedLimits:
    """The fallback and repair stages' limiters on `[distributed] broker`, instead of this process's buckets."""
    client = client_for(settings.distributed.broker)
    windows = RedisWindows(client)
    return SharedLimits(
        WindowLimiter(windows, settings.fallback.requests_per_second),
        WindowLimiter(windows, settings.repair.rdap_requests_per_second),
        client,
    )
