"""The shard lock on Dramatiq's in-memory rate-limit backend: one holder, renewed while held, freed by expiry."""

from __future__ import annotations

import threading
import time

from dramatiq.rate_limits.backends import StubBackend

from linkcheck.distributed.lease import LOCK_PREFIX, shard_lock


def test_a_held_shard_cannot_be_taken_and_is_free_after_release() -> None:
    backend = StubBackend()
    with shard_lock(backend, "run:1", 5.0) as first:
        assert first
        with shard_lock(backend, "run:1", 5.0) as second:
            assert not second
        with shard_lock(backend, "run:2", 5.0) as other_shard:
            assert other_shard
    with shard_lock(backend, "run:1", 5.0) as again:
        assert again


def test_the_holder_renews_its_lease_past_the_lease_time() -> None:
    backend = StubBackend()
    taken: list[bool] = []
    with shard_lock(backend, "run:1", 0.3) as held:
        assert held
        time.sleep(1.0)  # three leases long: without renewal it would have expired twice
        with shard_lock(backend, "run:1", 0.3) as intruder:
            taken.append(intruder)
    assert taken == [False]


def test_a_dead_holders_lock_frees_itself_when_its_lease_runs_out() -> None:
    backend = StubBackend()
    assert backend.add(LOCK_PREFIX + "run:1", 1, ttl=300)  # a worker that took the lock, then was killed
    with shard_lock(backend, "run:1", 0.3) as early:
        assert not early
    time.sleep(0.4)
    with shard_lock(backend, "run:1", 0.3) as later:
        assert later


def test_only_one_of_many_threads_holds_a_shard_at_once() -> None:
    backend = StubBackend()
    holding = 0
    peak = 0
    guard = threading.Lock()
    wins = 0

    def contend() -> None:
        nonlocal holding, peak, wins
        for _ in range(20):
            with shard_lock(backend, "run:9", 5.0) as held:
                if not held:
                    continue
                with guard:
                    holding += 1
                    wins += 1
                    peak = max(peak, holding)
                time.sleep(0.001)
                with guard:
                    holding -= 1

    threads = [threading.Thread(target=contend) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 1 and wins >= 20
