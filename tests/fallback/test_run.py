"""Archived copies in whole runs: a blocked page with a good capture, results reused from the store,
linkcheck's own archive as the best copy, --no-fallback."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from linkcheck import cli
from linkcheck.environment import Environment
from linkcheck.models import CheckedCitation, CopyStatus, RunResult, Verdict
from linkcheck.pipeline import run
from linkcheck.reports import json_report
from linkcheck.settings import Settings, settings_from_mapping
from linkcheck.state.store import Store
from tests.fallback.fake_wayback import FakeWayback
from tests.fallback.helpers import page
from tests.server import LocalServer, send

HEADLINE = "Troops gather for drills in Tajikistan, the ministry says"
RIGHT = page("Troops gather for drills in Tajikistan", "More than ten thousand troops took part in the drills.")
SCHEMA = json.loads((Path(json_report.__file__).parent / "schema" / "report.schema.json").read_text())


def write_article(folder: Path, url: str, published: str = "2021-08-10") -> Path:
    article = folder / "article.html"
    article.write_text(
        f'<html><head><meta property="article:published_time" content="{published}"></head>'
        f'<body><article><p>As <a href="{url}">{HEADLINE}</a>, the drills went on.</p></article></body></html>'
    )
    return article


def settings_for(tmp_path: Path, wayback: str = "", enabled: bool = True, **state: Any) -> Settings:
    return settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "retries": 0, "timeout": 5.0, "soft_404_probe": False},
            "snapshot": {"dir": str(tmp_path / "archive")},
            "state": {"path": str(tmp_path / "archive" / "state.sqlite"), **state},
            "fallback": {"wayback": wayback, "requests_per_second": 50.0, "enabled": enabled},
            "repair": {"enabled": False},  # its archive generator would ask the same CDX index (tests/repair)
        },
        "test",
    )


def the_citation(result: RunResult) -> CheckedCitation:
    [article] = result.articles
    [checked] = article.citations
    return checked


def run_at(moment: dt.datetime, article: Path, settings: Settings, tmp_path: Path, force: bool = False) -> RunResult:
    env = Environment(now=lambda: moment, cwd=tmp_path)
    store = Store.open(tmp_path / "archive" / "state.sqlite")
    try:
        return run([str(article)], settings, env, store=store, force=force)
    finally:
        store.close()


def test_a_blocked_page_with_a_good_capture_is_found_and_verified(
    server: LocalServer, wayback: FakeWayback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.routes["/story"] = lambda h: send(h, 403, page("Forbidden"))
    cited = server.url("/story")
    wayback.add(cited, "20210809120005", RIGHT)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKCHECK_CONFIG", raising=False)
    article = write_article(tmp_path, cited)
    config = tmp_path / "config.toml"
    config.write_text(
        "[check]\nallow_private_networks = true\nretries = 0\n"
        f'[fallback]\nwayback = "{wayback.url}"\nrequests_per_second = 50.0\n'
    )
    outcome = CliRunner().invoke(cli.app, ["run", str(article), "--fail-on", "warning"], catch_exceptions=False)
    assert outcome.exit_code == 1, outcome.output
    playback = f"{wayback.url}/web/20210809120005/{cited}"
    assert f"blocked here; archived copy of 2021-08-09 verified: {playback}" in outcome.output
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    copy = report["articles"][0]["citations"][0]["archived_copy"]
    assert copy == {
        "status": "found",
        "url": playback,
        "archived_at": "2021-08-09T12:00:05Z",
        "archive": "127.0.0.2",
        "before_target": True,
        "verified": True,
        "rejected": [],
        "error": None,
    }


def test_results_reused_from_the_store_are_looked_up_too(
    server: LocalServer, wayback: FakeWayback, tmp_path: Path
) -> None:
    server.routes["/story"] = lambda h: send(h, 404, page("Not Found"))
    cited = server.url("/story")
    wayback.add(cited, "20210801000000", RIGHT)
    article = write_article(tmp_path, cited)
    day0 = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
    first = run_at(day0, article, settings_for(tmp_path, wayback.url, enabled=False), tmp_path)
    assert the_citation(first).archived_copy is None and wayback.cdx_times == []
    second = run_at(day0 + dt.timedelta(minutes=30), article, settings_for(tmp_path, wayback.url), tmp_path)
    checked = the_citation(second)
    assert second.urls_cached == 1 and checked.history is not None and checked.history.cached
    assert server.hits["/story"] == 1, "the check was reused, not repeated"
    assert checked.archived_copy is not None and checked.archived_copy.status is CopyStatus.FOUND
    assert len(wayback.cdx_times) == 1


def test_linkcheck_own_earlier_capture_is_the_best_copy(server: LocalServer, tmp_path: Path) -> None:
    served = {"page": RIGHT}
    server.routes["/story"] = lambda h: send(h, 200, served["page"])
    cited = server.url("/story")
    article = write_article(tmp_path, cited, published="2026-03-01")
    settings = settings_for(tmp_path)
    good_run = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    first = run_at(good_run, article, settings, tmp_path)
    assert the_citation(first).result.verdict is Verdict.OK and the_citation(first).archived_copy is None

    served["page"] = page("Page not found")  # a soft-404: 200, and captured again in this run
    bad_run = dt.datetime(2026, 2, 1, 8, 0, tzinfo=dt.UTC)
    second = run_at(bad_run, article, settings, tmp_path, force=True)
    checked = the_citation(second)
    assert checked.result.verdict is Verdict.SOFT_404 and checked.snapshot is not None
    copy = checked.archived_copy
    assert copy is not None and copy.status is CopyStatus.FOUND, copy
    assert (copy.archive, copy.archived_at, copy.before_target) == ("local", good_run, True)
    assert copy.url is not None and copy.url.endswith("/20260105080000/page.html") and Path(copy.url).is_file()
    [rejected] = copy.rejected
    assert rejected.archived_at == bad_run and rejected.reason == "captured while the live check said soft-404"


def test_no_fallback_looks_nothing_up(
    server: LocalServer, wayback: FakeWayback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.routes["/story"] = lambda h: send(h, 404, page("Not Found"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKCHECK_CONFIG", raising=False)
    article = write_article(tmp_path, server.url("/story"))
    (tmp_path / "config.toml").write_text(
        f'[check]\nallow_private_networks = true\nretries = 0\n[fallback]\nwayback = "{wayback.url}"\n'
    )
    outcome = CliRunner().invoke(cli.app, ["run", str(article), "--no-fallback"], catch_exceptions=False)
    assert outcome.exit_code == 1, outcome.output
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert report["articles"][0]["citations"][0]["archived_copy"] is None
    assert wayback.cdx_times == []


def test_a_drifted_page_gets_its_capture_from_before_the_drift(server: LocalServer, tmp_path: Path) -> None:
    story = "<p>The ministry announced joint exercises with ten thousand troops taking part.</p>" * 5
    weather = "<p>Weather forecast: snow is expected in the capital at the weekend, with frost.</p>" * 5
    served = {"body": story}
    server.routes["/story"] = lambda h: send(h, 200, page("Troops gather for drills", served["body"]))
    article = write_article(tmp_path, server.url("/story"), published="2026-03-01")
    settings = settings_for(tmp_path)
    before = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    assert the_citation(run_at(before, article, settings, tmp_path)).archived_copy is None
    served["body"] = weather
    after = dt.datetime(2026, 2, 1, 8, 0, tzinfo=dt.UTC)
    checked = the_citation(run_at(after, article, settings, tmp_path, force=True))
    assert checked.result.verdict is Verdict.OK and "content-drift" in [a.code for a in checked.anomalies]
    copy = checked.archived_copy
    assert copy is not None and copy.status is CopyStatus.FOUND and copy.archived_at == before
    [rejected] = copy.rejected
    assert (rejected.archived_at, rejected.reason) == (after, "captured while the live check flagged content-drift")
