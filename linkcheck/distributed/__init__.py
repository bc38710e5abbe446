"""Distributed checking on Dramatiq workers over Redis (docs/distributed.md).

shards.py and messages.py are pure; lease.py, worker.py and coordinator.py hold the logic over any
Dramatiq broker; redis_channel.py and broker.py are the only modules that speak to Redis, entry.py is
what `linkcheck worker` processes load. Nothing here is imported by a single-process run.
"""
