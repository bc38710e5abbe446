"""The shared request windows on a real redis-server of the test's own: two users (each with its own Redis
connection, as two processes would have) asking one loopback archive, and one RDAP service, never go over the
configured rate in any window, together; and a Retry-After one of them is given holds the other back too."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from linkcheck.check import Fetcher
from linkcheck.distributed.broker import SharedLimits, shared_limits
from linkcheck.fallback.politeness import PoliteClient
from linkcheck.repair.rdap import Rdap
from linkcheck.settings import Settings, with_overrides
from tests.conftest import loopback_settings
from tests.distributed.hosts import redis_server
from tests.distributed.test_window import most_in_any_window
from tests.server import LocalServer, running, send

pytestmark = [
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
    pytest.mark.timeout(120),
]

# Stamps are taken when the archive's handler runs, a little after the claim: a start can look late by a
# thread's wake-up, so a window is judged over WINDOW - SLACK. Two users without the shared window would put
# twice the limit in every window.
SLACK = 0.05


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("window")) as url:
        yield url


@pytest.fixture
def archive() -> Iterator[tuple[LocalServer, list[float]]]:
    arrivals: list[float] = []
    lock = threading.Lock()

    def answer(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            arrivals.append(time.monotonic())
        send(handler, 200, b"[]", "application/json")

    with running("127.0.0.1") as server:
        server.fallback = answer
        yield server, arrivals


def settings_on(broker: str, **values: float) -> Settings:
    return with_overrides(
        loopback_settings(retries=0),
        distributed={"broker": broker},
        fallback={"requests_per_second": values.get("archive", 1.0)},
        repair={"rdap_requests_per_second": values.get("rdap", 1.0)},
    )


def both(user: Callable[[SharedLimits, Fetcher], None], settings: Settings) -> None:
    """Run `user` in two threads, each with its own Redis connection and HTTP client."""
    failures: list[BaseException] = []

    def run() -> None:
        limits, fetcher = shared_limits(settings), Fetcher(settings)
        try:
            user(limits, fetcher)
        except BaseException as exc:  # noqa: BLE001 - handed to the test below
            failures.append(exc)
        finally:
            fetcher.close()
            limits.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures


def test_two_users_of_one_archive_stay_within_its_rate_together(
    broker: str, archive: tuple[LocalServer, list[float]]
) -> None:
    server, arrivals = archive
    settings = settings_on(broker, archive=4.0)

    def user(limits: SharedLimits, fetcher: Fetcher) -> None:
        client = PoliteClient(fetcher.fetch, 4.0, 0, 0.0, 60, limiter=limits.archives)
        for n in range(8):
            reply = client.request(server.url(f"/cdx/search/cdx?url=example.com/{n}"))
            assert reply.fetch is not None and reply.fetch.status == 200, reply.failure

    both(user, settings)
    assert len(arrivals) == 16  # every request made it: waits, no drops
    assert most_in_any_window(arrivals, 1.0 - SLACK) <= 4
    assert max(arrivals) - min(arrivals) >= 3.0 - SLACK  # 16 at 4 per second: three windows after the first


def test_two_users_of_one_rdap_service_stay_within_its_rate_together(
    broker: str, archive: tuple[LocalServer, list[float]]
) -> None:
    server, arrivals = archive
    settings = settings_on(broker, rdap=2.0)

    def user(limits: SharedLimits, fetcher: Fetcher) -> None:
        rdap = Rdap(server.url("/domain/"), fetcher.fetch, limits.rdap)
        for n in range(4):
            answered, _ = rdap.look_up(f"example{n}.org")
            assert answered

    both(user, settings)
    assert len(arrivals) == 8
    assert most_in_any_window(arrivals, 1.0 - SLACK) <= 2
    assert max(arrivals) - min(arrivals) >= 3.0 - SLACK


def test_a_retry_after_holds_back_every_user(broker: str, archive: tuple[LocalServer, list[float]]) -> None:
    server, arrivals = archive
    settings = settings_on(broker, archive=50.0)
    told: list[float] = []

    def slow_down(handler: BaseHTTPRequestHandler) -> None:
        told.append(time.monotonic())
        if len(told) == 1:
            send(handler, 429, b"", headers={"Retry-After": "2"})
        else:
            send(handler, 200, b"[]", "application/json")

    server.routes["/busy"] = slow_down
    first, second = shared_limits(settings), shared_limits(settings)
    fetcher = Fetcher(settings)
    replies = []
    try:
        held = threading.Thread(
            target=lambda: replies.append(
                PoliteClient(fetcher.fetch, 50.0, 1, 0.0, 60, limiter=first.archives).request(server.url("/busy"))
            )
        )
        held.start()
        deadline = time.monotonic() + 10
        while not told and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)  # the first user has its 429 and has set the hold
        # The other user (its own connection) asks the same archive meanwhile: it waits the hold out too.
        reply = PoliteClient(fetcher.fetch, 50.0, 0, 0.0, 60, limiter=second.archives).request(server.url("/cdx"))
        held.join(timeout=20)
    finally:
        fetcher.close()
        first.close()
        second.close()
    assert reply.fetch is not None and reply.fetch.status == 200
    assert replies and replies[0].fetch is not None and replies[0].fetch.status == 200  # the first one's retry
    assert len(told) == 2 and len(arrivals) == 1
    assert arrivals[0] - told[0] >= 2.0 - SLACK
    assert told[1] - told[0] >= 2.0 - SLACK
