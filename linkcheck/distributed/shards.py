"""Which shard a URL belongs to: its registrable domain, hashed stably (the same on every machine)."""

from __future__ import annotations

import hashlib

from linkcheck.anomalies import registrable_domain
from linkcheck.urls import host_of


def shard_of(url: str, shards: int) -> int:
    """The shard of a URL's registrable domain, 0..shards-1: every host of a site lands in one shard, so one
    worker at a time checks it and the per-host scheduler's limits hold across workers."""
    domain = registrable_domain(host_of(url))
    digest = hashlib.blake2b(domain.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def group_by_shard(urls: list[str], shards: int) -> dict[int, list[str]]:
    """The URLs of each non-empty shard, each shard's in the order given; shards in ascending order."""
    groups: dict[int, list[str]] = {}
    for url in urls:
        groups.setdefault(shard_of(url, shards), []).append(url)
    return dict(sorted(groups.items()))
