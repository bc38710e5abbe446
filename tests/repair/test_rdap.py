"""domain-changed-hands: RDAP registration dates from a fake registry on loopback, cached in the
state store; a registry that is down is asked once and never makes a finding."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from linkcheck.environment import Environment
from linkcheck.models import CheckResult, Verdict
from linkcheck.pipeline import run
from linkcheck.repair import registration_dates
from linkcheck.repair.rdap import registration_date
from linkcheck.settings import Settings, settings_from_mapping
from linkcheck.state.run import RunState
from linkcheck.state.store import Store
from tests.server import hang, running, send

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def rdap_answer(registered: str) -> bytes:
    return json.dumps(
        {
            "objectClassName": "domain",
            "ldhName": "EXAMPLE",
            "events": [
                {"eventAction": "last changed", "eventDate": "2025-01-01T00:00:00Z"},
                {"eventAction": "registration", "eventDate": f"{registered}T10:11:12Z"},
            ],
        }
    ).encode()


def settings_for(tmp_path: Path, rdap: str, timeout: float = 5.0) -> Settings:
    return settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "retries": 0, "timeout": timeout, "soft_404_probe": False},
            "snapshot": {"enabled": False},
            "fallback": {"enabled": False},
            "repair": {"rdap": rdap},
            "state": {"path": str(tmp_path / "state.sqlite")},
        },
        "test",
    )


def test_the_registration_event_is_read_from_a_domain_object() -> None:
    assert registration_date(rdap_answer("2024-05-01")) == dt.date(2024, 5, 1)
    assert registration_date(b'{"events": [{"eventAction": "expiration", "eventDate": "2030-01-01"}]}') is None
    assert registration_date(b"not json") is None
    assert registration_date(b"[1, 2]") is None


def test_a_domain_registered_after_the_article_is_flagged_with_the_date_as_evidence(tmp_path: Path) -> None:
    with running("127.0.0.1") as site, running("127.0.0.5") as registry:
        site.routes["/story"] = lambda h: send(h, 200, b"<html><head><title>Shop</title></head><body>Buy</body></html>")
        registry.routes["/domain/localhost"] = lambda h: send(
            h, 200, rdap_answer("2024-05-01"), "application/rdap+json"
        )
        article = tmp_path / "a.md"
        article.write_text(f"---\ndate: 2021-08-10\n---\nSee [the report]({site.url('/story', host='localhost')}).\n")
        settings = settings_for(tmp_path, registry.url("/domain/"))
        store = Store.open(tmp_path / "state.sqlite")
        try:
            result = run([str(article)], settings, Environment(now=lambda: NOW, cwd=tmp_path), store=store)
            again = run([str(article)], settings, Environment(now=lambda: NOW, cwd=tmp_path), store=store, force=True)
        finally:
            store.close()
    [checked] = result.articles[0].citations
    [found] = [a for a in checked.anomalies if a.code == "domain-changed-hands"]
    assert found.severity.value == "warning"
    assert "2024-05-01" in found.message and "2021-08-10" in found.message
    assert registry.url("/domain/localhost") in found.message  # one click to the registry's answer
    assert registry.hits["/domain/localhost"] == 1  # the second run reused the stored answer
    assert [a.code for a in again.articles[0].citations[0].anomalies if a.code == "domain-changed-hands"] == [
        "domain-changed-hands"
    ]


def test_a_domain_registered_before_the_article_is_not_flagged(tmp_path: Path) -> None:
    with running("127.0.0.1") as site, running("127.0.0.5") as registry:
        site.routes["/story"] = lambda h: send(h, 200, b"<html><head><title>News</title></head><body>x</body></html>")
        registry.routes["/domain/localhost"] = lambda h: send(h, 200, rdap_answer("1999-02-03"))
        article = tmp_path / "a.md"
        article.write_text(f"---\ndate: 2021-08-10\n---\nSee [the report]({site.url('/story', host='localhost')}).\n")
        result = run([str(article)], settings_for(tmp_path, registry.url("/domain/")), Environment(now=lambda: NOW))
    assert registry.hits["/domain/localhost"] == 1
    assert not [a for a in result.articles[0].citations[0].anomalies if a.code == "domain-changed-hands"]


def results(*urls: str) -> list[CheckResult]:
    return [CheckResult(url, Verdict.BROKEN, 404, url) for url in urls]


def test_a_registry_that_does_not_answer_is_asked_once_and_makes_no_finding(tmp_path: Path) -> None:
    with running("127.0.0.5") as registry:
        registry.fallback = hang
        settings = settings_for(tmp_path, registry.url("/domain/"), timeout=1.0)
        state = RunState(None, settings.state, lambda: NOW)
        started = time.monotonic()
        found = registration_dates(
            results("https://a.example.com/x", "https://b.example.org/y", "https://c.example.net/z"),
            settings,
            Environment(now=lambda: NOW),
            state,
        )
        elapsed = time.monotonic() - started
        asked = registry.seen()
    assert found == {}
    assert asked == ["/domain/example.com"]  # not asked again in the run
    assert elapsed < 5.0  # one timeout (1 s), not one per domain


def test_no_rdap_service_means_no_lookup(tmp_path: Path) -> None:
    state = RunState(None, settings_for(tmp_path, "").state, lambda: NOW)
    assert (
        registration_dates(results("https://a.example.com/x"), settings_for(tmp_path, ""), Environment(), state) == {}
    )


def test_addresses_skipped_and_citations_not_fetched_are_not_asked_about(tmp_path: Path) -> None:
    seen: list[Any] = []
    with running("127.0.0.5") as registry:
        registry.fallback = lambda h: (seen.append(h.path), send(h, 404, b"{}"))
        settings = settings_for(tmp_path, registry.url("/domain/"))
        items = [
            CheckResult("http://127.0.0.1/x", Verdict.OK, 200, "http://127.0.0.1/x"),
            CheckResult("https://skipped.example/x", Verdict.SKIPPED),
            CheckResult("https://www.news.example.co.uk/a", Verdict.OK, 200, "https://lander.example.com/"),
        ]
        found = registration_dates(
            items, settings, Environment(now=lambda: NOW), RunState(None, settings.state, lambda: NOW)
        )
    assert found == {}
    assert seen == ["/domain/example.co.uk", "/domain/example.com"]
