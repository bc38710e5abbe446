"""Messages: the settings a worker checks by, and results, survive the trip as JSON."""

from __future__ import annotations

import datetime as dt
import json

from linkcheck.distributed.messages import (
    ShardWork,
    outcome_from_json,
    outcome_to_json,
    settings_from_snapshot,
    settings_snapshot,
    work_from_json,
    work_to_json,
)
from linkcheck.models import Capture, CheckResult, Drift, Hop, Outcome, PageText, Requisites, Snapshot, Verdict
from linkcheck.settings import settings_from_mapping


def test_settings_snapshot_rebuilds_the_check_settings_and_domain_rules() -> None:
    settings = settings_from_mapping(
        {
            "check": {"per_host_delay": 0.2, "accept_status": [403, "500..=502"], "headers": {"X-Key": "k"}},
            "domains": {"mil.ru": {"timeout": 30, "per_host_concurrency": 1, "exclude": ["/print/"]}},
            "distributed": {"broker": "redis://127.0.0.1:6379/0"},
        },
        "test",
    )
    data, digest = settings_snapshot(settings)
    json.dumps(data)  # plain data only
    rebuilt = settings_from_snapshot(json.loads(json.dumps(data)))
    assert rebuilt.check == settings.check
    assert rebuilt.domains == settings.domains
    assert settings_snapshot(rebuilt)[1] == digest
    other = settings_from_mapping({"check": {"per_host_delay": 0.3}}, "test")
    assert settings_snapshot(other)[1] != digest


def test_work_round_trips() -> None:
    work = ShardWork("run1", 7, ("http://a/", "http://b/"), {"check": {}}, "d", 60.0, 30.0, 16)
    assert work_from_json(json.loads(json.dumps(work_to_json(work)))) == work
    assert work.shard_key == "run1:7"
    assert work.lock_key == "16:7"  # the same for every run: runs sharing a broker take turns on a shard
    assert work.rest(["http://b/"]).urls == ("http://b/",)


def test_outcome_round_trips_with_the_page_text() -> None:
    result = CheckResult(
        url="http://a.test/x",
        verdict=Verdict.OK,
        status=200,
        final_url="http://a.test/y",
        redirects=(Hop("http://a.test/x", 301),),
        attempts=1,
        elapsed_ms=12,
        checked_at=dt.datetime(2026, 12, 1, 10, 0, 0, 123456, tzinfo=dt.UTC),
        page_title="Заголовок",
        page_published=dt.date(2026, 11, 30),
        page=PageText("main text", "ru", 3, 40),
    )
    outcome, worker = outcome_from_json(outcome_to_json(Outcome(result), "w1"))
    assert worker == "w1"
    assert outcome.result == result
    assert outcome.result.page == result.page


def test_outcome_round_trips_with_its_capture_and_requisite_counts() -> None:
    result = CheckResult(url="http://a.test/x", verdict=Verdict.OK, status=200, attempts=1)
    snapshot = Snapshot(
        "w1-0001.warc.gz", "ab" * 32, "20261201100000", "pages/a.test/x", "<urn:uuid:1>", 12, Requisites(3, 1, True)
    )
    capture = Capture(snapshot, None, Drift(0.5, "2026-11-01T10:00:00Z", "2026-12-01T10:00:00Z"))
    outcome, _worker = outcome_from_json(outcome_to_json(Outcome(result, capture), "w1"))
    assert outcome.capture == capture
    assert outcome.capture is not None and outcome.capture.snapshot is not None
    assert outcome.capture.snapshot.requisites == Requisites(3, 1, True)
