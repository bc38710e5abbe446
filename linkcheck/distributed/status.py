"""What `linkcheck status` says of the shared queue: shards queued, delayed, held, failed; each worker's pace."""

from __future__ import annotations

import time
from typing import Any

from linkcheck.distributed.broker import connect
from linkcheck.distributed.worker import QUEUE
from linkcheck.settings import DistributedSettings

_NAMESPACE = "dramatiq"  # Dramatiq's Redis broker keeps queue `q` in list `dramatiq:q`, messages in `dramatiq:q.msgs`


def queue_status(distributed: DistributedSettings, now: float | None = None) -> dict[str, Any]:
    """Shard messages waiting, delayed (a slice's rest, a locked shard) and dead-lettered; shards a worker
    holds now; and per worker: results sent, over how long, results per minute."""
    now = time.time() if now is None else now
    connection = connect(distributed)
    try:
        client = connection.channel.client
        queue = f"{_NAMESPACE}:{QUEUE}"
        pipe = client.pipeline(transaction=False)
        pipe.llen(queue)
        pipe.llen(f"{queue}.DQ")
        pipe.zcard(f"{queue}.XQ")
        queued, delayed, dead = (int(value) for value in pipe.execute())
        held = connection.channel.in_flight()
        workers = {}
        for worker, record in connection.channel.workers().items():
            span = max(record.get("last", now) - record.get("started", now), 1.0)
            workers[worker] = {
                "checked": int(record.get("checked", 0)),
                "per_minute": round(record.get("checked", 0) * 60 / span, 1),
                "last_result_seconds_ago": round(now - record.get("last", now), 1),
            }
        return {
            "broker": distributed.broker,
            "queued_shards": queued,
            "delayed_shards": delayed,
            "failed_shards": dead,
            "in_flight_shards": {
                key: {"worker": value["worker"], "seconds": round(now - value["since"], 1)}
                for key, value in held.items()
            },
            "workers": workers,
        }
    finally:
        connection.close()
