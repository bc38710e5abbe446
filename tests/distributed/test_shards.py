"""Sharding: by registrable domain, stable across processes and machines, spread over the shards."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

from linkcheck.distributed.shards import group_by_shard, shard_of


def test_every_host_of_a_site_lands_in_one_shard() -> None:
    shards = {shard_of(url, 64) for url in ("https://www.bbc.co.uk/a", "http://news.bbc.co.uk/b", "https://bbc.co.uk/")}
    assert len(shards) == 1
    # co.uk is a public suffix: two sites under it are two domains, which may (and here do) differ
    assert len({shard_of(f"https://site{n}.co.uk/", 1024) for n in range(20)}) > 1


def test_shards_are_the_same_in_another_process_whatever_its_hash_seed() -> None:
    urls = [f"https://site{n}.example.org/page" for n in range(50)] + ["http://127.0.0.5:8080/x"]
    here = [shard_of(url, 97) for url in urls]
    code = "import sys, json; from linkcheck.distributed.shards import shard_of; " + (
        "print(json.dumps([shard_of(u, 97) for u in json.loads(sys.argv[1])]))"
    )
    import json

    for seed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code, json.dumps(urls)], env=env, capture_output=True, text=True, check=True
        )
        assert json.loads(out.stdout) == here


def test_domains_spread_over_every_shard() -> None:
    counts = Counter(shard_of(f"https://domain-{n}.com/", 16) for n in range(4000))
    assert set(counts) == set(range(16))
    assert max(counts.values()) < 2 * min(counts.values())  # about 250 each


def test_group_keeps_order_within_a_shard_and_loses_nothing() -> None:
    urls = [f"http://127.0.0.{2 + n % 10}/p{n}" for n in range(100)]
    groups = group_by_shard(urls, 4)
    assert sorted(url for members in groups.values() for url in members) == sorted(urls)
    for members in groups.values():
        assert members == [url for url in urls if url in set(members)]
    assert all(0 <= shard < 4 for shard in groups)
