"""The token bucket and the polite client on a fake clock: spacing, Retry-After, retries, giving up."""

from __future__ import annotations

from typing import Any

from linkcheck.fallback.politeness import PoliteClient, TokenBucket
from linkcheck.models import FailureKind, FetchFailure, FetchResult


class FakeClock:
    """Monotonic time that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def answer(status: int, retry_after: float | None = None) -> FetchResult:
    return FetchResult("u", "u", status=status, retry_after_s=retry_after)


def refused() -> FetchResult:
    return FetchResult("u", "u", failure=FetchFailure(FailureKind.REFUSED, "connection refused"))


class Script:
    """A fetch that answers from a list and records when (on the fake clock) each request started."""

    def __init__(self, clock: FakeClock, answers: list[FetchResult]) -> None:
        self.clock = clock
        self.answers = answers
        self.started: list[float] = []
        self.urls: list[str] = []

    def __call__(self, url: str, **request: Any) -> FetchResult:
        self.started.append(self.clock.now)
        self.urls.append(url)
        return self.answers.pop(0)


def test_the_bucket_spaces_requests_and_never_bursts() -> None:
    clock = FakeClock()
    bucket = TokenBucket(2.0, clock, clock.sleep)
    starts = []
    for _ in range(4):
        bucket.take()
        starts.append(clock.now)
    assert starts == [100.0, 100.5, 101.0, 101.5]
    clock.now += 10  # idle for a while: the next request may go at once, but only one
    bucket.take()
    bucket.take()
    assert clock.slept[-1] == 0.5


def test_hold_keeps_the_bucket_closed() -> None:
    clock = FakeClock()
    bucket = TokenBucket(1.0, clock, clock.sleep)
    bucket.take()
    bucket.hold(5.0)
    bucket.take()
    assert clock.now == 105.0


def test_retry_after_is_waited_then_the_answer_comes() -> None:
    clock = FakeClock()
    fetch = Script(clock, [answer(429, 2.0), answer(429, 2.0), answer(200)])
    client = PoliteClient(fetch, 1.0, retries=2, backoff=0.5, max_retry_after=60, clock=clock, sleep=clock.sleep)
    reply = client.request("http://archive.test/cdx")
    assert reply.fetch is not None and reply.fetch.status == 200
    assert fetch.started == [100.0, 102.0, 104.0]


def test_a_429_storm_gives_up_the_archive_for_the_run() -> None:
    clock = FakeClock()
    fetch = Script(clock, [answer(429)] * 3)
    client = PoliteClient(fetch, 1.0, retries=2, backoff=0.5, max_retry_after=60, clock=clock, sleep=clock.sleep)
    first = client.request("http://archive.test/a")
    assert first.fetch is None and "HTTP 429 3 times in a row" in (first.failure or "")
    assert fetch.started == [100.0, 101.0, 102.0]  # backoff 0.5 then 1.0, never closer than the bucket's 1 s
    second = client.request("http://archive.test/b")
    assert second.fetch is None and "not asked again" in (second.failure or "")
    assert len(fetch.started) == 3 and clock.now == 102.0, "no request, no wait"
    other = Script(clock, [answer(200)])
    client._fetch = other  # another archive host is still asked
    assert client.request("http://other.test/a").fetch is not None


def test_a_retry_after_past_the_limit_is_not_waited_for() -> None:
    clock = FakeClock()
    fetch = Script(clock, [answer(429, 3600.0)])
    client = PoliteClient(fetch, 1.0, retries=2, backoff=0.5, max_retry_after=60, clock=clock, sleep=clock.sleep)
    reply = client.request("http://archive.test/a")
    assert reply.fetch is None and "asked to wait 3600s" in (reply.failure or "")
    assert clock.now == 100.0


def test_a_refused_connection_is_retried_then_the_archive_is_left_alone() -> None:
    clock = FakeClock()
    fetch = Script(clock, [refused(), refused(), refused()])
    client = PoliteClient(fetch, 1.0, retries=2, backoff=0.5, max_retry_after=60, clock=clock, sleep=clock.sleep)
    reply = client.request("http://archive.test/a")
    assert reply.fetch is None and "connection refused (3 attempts)" in (reply.failure or "")
    assert client.request("http://archive.test/b").fetch is None
    assert len(fetch.urls) == 3


def test_a_name_that_does_not_resolve_is_not_retried() -> None:
    clock = FakeClock()
    dns = FetchResult("u", "u", failure=FetchFailure(FailureKind.DNS, "host name not resolved"))
    fetch = Script(clock, [dns])
    client = PoliteClient(fetch, 1.0, retries=2, backoff=0.5, max_retry_after=60, clock=clock, sleep=clock.sleep)
    assert client.request("http://archive.test/a").failure == "not asked again in this run: host name not resolved"
    assert client.request("http://archive.test/b").fetch is None
    assert len(fetch.urls) == 1 and clock.slept == []


def test_a_server_error_is_retried_and_then_returned_as_an_answer() -> None:
    clock = FakeClock()
    fetch = Script(clock, [answer(502), answer(502), answer(502)])
    client = PoliteClient(fetch, 1.0, retries=2, backoff=0.0, max_retry_after=60, clock=clock, sleep=clock.sleep)
    reply = client.request("http://archive.test/a")
    assert reply.fetch is not None and reply.fetch.status == 502 and reply.failure is None
    assert client.down("http://archive.test/b") is None, "a 502 is this request's trouble, not the archive's end"
