"""State across runs: incremental reuse, streaks over simulated days, migrations, crashes, the lock."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from linkcheck import cli
from linkcheck.archive import list_captures
from linkcheck.environment import Environment
from linkcheck.models import ArchivedCopy, CopyStatus, RejectedCapture, Requisites, Snapshot, Verdict
from linkcheck.pipeline import run
from linkcheck.settings import Settings, settings_from_mapping
from linkcheck.state.history import DeathPolicy, UrlState, history_of, is_confirmed_dead
from linkcheck.state.lock import LockBusy, RunLock
from linkcheck.state.store import SCHEMA_VERSION, Store, StoreError
from tests.server import LocalServer, page, running, send

ROOT = Path(__file__).resolve().parents[2]
HISTORY_CODES = {"newly-broken", "flapping"}
DAY0 = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)


class Clock:
    """A settable clock: tests move through days without sleeping."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def settings_for(tmp_path: Path, **state: object) -> Settings:
    return settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "retries": 0, "timeout": 5.0, "host_failure_limit": 0},
            "state": {"path": str(tmp_path / "state.sqlite"), **state},
        },
        "test",
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "state.sqlite")
    yield opened
    opened.close()


def one_run(article: Path, settings: Settings, store: Store, clock: Clock, force: bool = False):  # type: ignore[no-untyped-def]
    return run([str(article)], settings, Environment(cwd=article.parent, now=clock), store=store, force=force)


def verdicts(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.result.verdict.value for c in result.articles[0].citations]


def test_second_run_fetches_nothing_that_is_not_due(tmp_path: Path, server: LocalServer, store: Store) -> None:
    server.routes["/a"] = lambda h: send(h, 200, page("A"))
    server.routes["/b"] = lambda h: send(h, 404, page("B"))
    article = tmp_path / "article.txt"
    article.write_text(f"1 March 2025\nSee {server.url('/a')} and {server.url('/b')} here.\n")
    settings, clock = settings_for(tmp_path), Clock(DAY0)

    first = one_run(article, settings, store, clock)
    assert first.urls_checked == 2 and first.articles_reused == 0
    clock.advance(hours=1)
    second = one_run(article, settings, store, clock)
    assert second.urls_checked == 0 and (second.urls_cached, second.articles_reused) == (2, 1)
    assert verdicts(second) == ["ok", "broken"]
    assert all(c.history and c.history.cached for c in second.articles[0].citations)
    assert server.hits["/a"] == 1 and server.hits["/b"] == 1
    # A reused result keeps its capture: the report still links every page kept (issue 11).
    kept = [c.snapshot for c in first.articles[0].citations]
    assert all(kept) and [c.snapshot for c in second.articles[0].citations] == kept

    clock.advance(hours=2)  # the failure is due again after recheck_failed_after (2h); the success is not
    third = one_run(article, settings, store, clock)
    assert third.urls_checked == 1 and server.hits["/b"] == 2 and server.hits["/a"] == 1
    clock.advance(hours=20)
    one_run(article, settings, store, clock)
    assert server.hits["/a"] == 2
    one_run(article, settings, store, clock, force=True)
    assert server.hits["/a"] == 3 and server.hits["/b"] == 4


def test_changed_article_is_reharvested_and_vanished_citations_retired(
    tmp_path: Path, server: LocalServer, store: Store
) -> None:
    server.routes["/a"] = lambda h: send(h, 200, page("A"))
    server.routes["/b"] = lambda h: send(h, 200, page("B"))
    article = tmp_path / "article.txt"
    article.write_text(f"See {server.url('/a')} and {server.url('/b')} here.\n")
    settings, clock = settings_for(tmp_path), Clock(DAY0)
    one_run(article, settings, store, clock)
    article.write_text(f"See {server.url('/a')} only now.\n")
    result = one_run(article, settings, store, clock)
    assert result.articles_reused == 0
    assert [c.citation.url for c in result.articles[0].citations] == [server.url("/a")]
    assert store.retired_citations(str(article.resolve())) == [server.url("/b")]
    assert store.summary(DeathPolicy(3, 3))["retired_citations"] == 1


def test_an_article_harvested_against_another_address_is_harvested_again(
    tmp_path: Path, server: LocalServer, store: Store
) -> None:
    # --url changes what a saved page's relative links and date are: the stored harvest is not it.
    server.routes["/a"] = lambda h: send(h, 200, page("A"))
    article = tmp_path / "saved.md"
    article.write_text("# T\n\n[rel](/a)\n")
    settings, clock = settings_for(tmp_path), Clock(DAY0)
    env = Environment(cwd=tmp_path, now=clock)
    first = run([str(article)], settings, env, store=store)
    assert first.articles[0].citations[0].result.verdict is Verdict.SKIPPED  # relative, no address
    second = run([str(article)], settings, env, store=store, page_url=server.url("/p"))
    assert second.articles_reused == 0
    assert [c.citation.url for c in second.articles[0].citations] == [server.url("/a")]


def test_a_link_failing_three_days_is_confirmed_dead_and_once_is_not(
    tmp_path: Path, server: LocalServer, store: Store
) -> None:
    server.routes["/dead"] = lambda h: send(h, 503, page("Down"))
    server.routes["/blip"] = lambda h: send(h, 503 if server.hits["/blip"] == 1 else 200, page("Blip"))
    article = tmp_path / "article.txt"
    article.write_text(f"See {server.url('/dead')} and {server.url('/blip')} here.\n")
    settings, clock = settings_for(tmp_path), Clock(DAY0)

    streaks = []
    for _ in range(4):
        result = one_run(article, settings, store, clock)
        dead, blip = (c.history for c in result.articles[0].citations)
        assert dead is not None and blip is not None
        streaks.append((dead.failure_streak, dead.confirmed_dead, blip.failure_streak))
        clock.advance(days=1.5)
    # Day 0, 1.5, 3, 4.5: confirmed once 3 failures span 3 days; the blip fails once, then recovers.
    assert streaks == [(1, False, 1), (2, False, 0), (3, True, 0), (4, True, 0)]
    assert dead.first_failure == DAY0
    assert blip.last_ok is not None
    summary = store.summary(DeathPolicy(3, 3))
    assert summary["confirmed_dead"] == 1


def test_status_and_history_agree_on_confirmed_dead(store: Store) -> None:
    # Three failures within one day, four days ago, and no check since: the span of failing
    # checks is one day, so it is not confirmed dead. `status` used to measure up to now instead
    # and counted it, while the report's history did not.
    first = DAY0 - dt.timedelta(days=4)
    state = UrlState("https://example.org/gone", first + dt.timedelta(days=1), Verdict.BROKEN, None, first, 3, "fff")
    policy = DeathPolicy(3, 3)
    assert not is_confirmed_dead(state, policy)
    assert not history_of(state, None, policy).confirmed_dead
    store._db.execute(
        "INSERT INTO url_state (url, last_checked_at, last_verdict, first_failure_at, failure_streak, recent)"
        " VALUES (?, ?, 'broken', ?, 3, 'fff')",
        (state.url, state.last_checked_at.isoformat(), first.isoformat()),
    )
    assert store.summary(policy)["confirmed_dead"] == 0
    spanning = UrlState(state.url, first + dt.timedelta(days=3), Verdict.BROKEN, None, first, 3, "fff")
    assert is_confirmed_dead(spanning, policy) and history_of(spanning, None, policy).confirmed_dead


def test_a_success_resets_the_streak_and_newly_broken_is_flagged(
    tmp_path: Path, server: LocalServer, store: Store
) -> None:
    answers = iter([200, 500, 200, 500, 200])
    server.routes["/flaky"] = lambda h: send(h, next(answers), page("Flaky"))
    article = tmp_path / "article.txt"
    article.write_text(f"See {server.url('/flaky')} here.\n")
    settings, clock = settings_for(tmp_path), Clock(DAY0)
    seen = []
    for _ in range(5):
        result = one_run(article, settings, store, clock, force=True)
        checked = result.articles[0].citations[0]
        seen.append(
            (
                checked.result.verdict.value,
                checked.history.failure_streak,
                [a.code for a in checked.anomalies if a.code in HISTORY_CODES],
            )
        )  # type: ignore[union-attr]
        clock.advance(days=1)
    assert seen[0] == ("ok", 0, [])
    assert seen[1] == ("server-error", 1, ["newly-broken"])
    assert seen[2] == ("ok", 0, [])
    assert seen[3][:2] == ("server-error", 1) and seen[3][2] == ["newly-broken", "flapping"]
    assert seen[4] == ("ok", 0, ["flapping"])


def test_migration_from_version_1_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = Store.open(path, migrate_to=1)
    cursor = old._db.execute(  # a run as version 1 stored it
        "INSERT INTO runs (started_at, tool_version, sources) VALUES (?, '0.1.0', '[\"a.txt\"]')", (DAY0.isoformat(),)
    )
    run_id = cursor.lastrowid
    old._db.execute(  # a check as version 1 stored it
        "INSERT INTO url_state (url, last_checked_at, last_verdict, failure_streak) VALUES (?, ?, ?, ?)",
        ("https://example.com/", DAY0.isoformat(), "broken", 2),
    )
    assert old.schema_version == 1
    old.close()
    upgraded = Store.open(path)
    assert upgraded.schema_version == SCHEMA_VERSION == 7
    state = upgraded.url_state("https://example.com/")
    assert (
        state is not None and state.failure_streak == 2 and state.last_verdict is Verdict.BROKEN and state.recent == ""
    )
    assert [r[0] for r in upgraded.runs()] == [run_id]
    assert upgraded.integrity_check() == "ok"
    upgraded.close()


def test_migration_to_version_4_adds_archived_copies_and_keeps_runs(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite"
    old = Store.open(path, migrate_to=3)
    run_id = old.begin_run(DAY0, ["a.txt"])
    old.close()
    upgraded = Store.open(path, migrate_to=4)
    assert upgraded.schema_version == 4 and [r[0] for r in upgraded.runs()] == [run_id]
    copy = ArchivedCopy(
        CopyStatus.FOUND,
        url="https://web.archive.org/web/20210809120005/https://example.com/a",
        archived_at=dt.datetime(2021, 8, 9, 12, 0, 5, tzinfo=dt.UTC),
        archive="web.archive.org",
        before_target=True,
        verified=True,
        rejected=(RejectedCapture("https://web.archive.org/web/1/x", dt.datetime(2021, 8, 1, tzinfo=dt.UTC), "404"),),
    )
    upgraded.save_archived_copy("https://example.com/a", "2021-08-10", DAY0, copy)
    assert upgraded.archived_copy("https://example.com/a", "2021-08-10") == (DAY0, copy)
    assert upgraded.archived_copy("https://example.com/a", "latest") is None
    assert upgraded.found_copies(["https://example.com/a", "https://example.com/b"]) == {"https://example.com/a": copy}
    upgraded.close()


def test_migration_to_version_5_adds_domain_registrations(tmp_path: Path) -> None:
    path = tmp_path / "v4.sqlite"
    old = Store.open(path, migrate_to=4)
    run_id = old.begin_run(DAY0, ["a.txt"])
    old.close()
    upgraded = Store.open(path, migrate_to=5)
    assert upgraded.schema_version == 5 and [r[0] for r in upgraded.runs()] == [run_id]
    assert upgraded.domain_registration("example.com") is None
    upgraded.save_domain_registration("example.com", DAY0, dt.date(2024, 5, 1))
    upgraded.save_domain_registration("example.org", DAY0, None)
    assert upgraded.domain_registration("example.com") == (DAY0, dt.date(2024, 5, 1))
    assert upgraded.domain_registration("example.org") == (DAY0, None)
    upgraded.close()


def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    Store.open(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 99")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="schema version 99, written by a newer linkcheck"):
        Store.open(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_second_run_waits_then_exits_2_naming_the_holder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKCHECK_CONFIG", raising=False)
    (tmp_path / "a.txt").write_text("no links here\n")
    store_path = tmp_path / "archive" / "state.sqlite"
    with RunLock(store_path, wait=0):
        with pytest.raises(LockBusy, match=f"held by process {os.getpid()}"):
            with RunLock(store_path, wait=0.2):
                pass
        began = time.monotonic()
        result = CliRunner().invoke(cli.app, ["run", "a.txt", "--wait", "0.5"])
        waited = time.monotonic() - began
    assert result.exit_code == 2
    assert f"held by process {os.getpid()}" in result.output and "waited 0.5s" in result.output
    assert waited >= 0.5
    after = CliRunner().invoke(cli.app, ["run", "a.txt"])
    assert after.exit_code == 0, after.output


def test_a_run_killed_mid_way_loses_nothing(tmp_path: Path) -> None:
    with running() as server:
        server.routes["/slow"] = lambda h: (time.sleep(0.3), send(h, 200, page("slow")))  # type: ignore[func-returns-value]
        urls = [server.url(f"/slow?n={n}") for n in range(30)]
        (tmp_path / "a.txt").write_text("\n".join(f"Source {url} ." for url in urls) + "\n")
        (tmp_path / "config.toml").write_text(
            "[check]\nallow_private_networks = true\nretries = 0\nconcurrency = 2\nper_host_concurrency = 2\n"
        )
        command = [sys.executable, "-m", "linkcheck", "run", "a.txt", "--out", "out"]
        environment = {**os.environ, "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen(
            command, cwd=tmp_path, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 20
        while server.hits["/slow"] < 8 and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        store = Store.open(tmp_path / "archive" / "state.sqlite")
        try:
            assert store.integrity_check() == "ok"
            committed = {url for url in urls if store.last_check(url) is not None}
        finally:
            store.close()
        assert 4 <= len(committed) < 30
        hits_before = server.hits["/slow"]
        rerun = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, timeout=60)
        assert rerun.returncode == 0, rerun.stderr
        refetched = server.hits["/slow"] - hits_before
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [c["verdict"] for c in report["articles"][0]["citations"]] == ["ok"] * 30
    # What the killed run committed is reused; only the rest is fetched.
    assert refetched == 30 - len(committed)
    # Every citation links its capture and every URL is captured; only a page whose capture was
    # written in the instant before its check was committed (at most `concurrency` of them) may be
    # captured again by the rerun.
    assert all(c["snapshot"] for c in report["articles"][0]["citations"])
    captured = [entry.url for entry in list_captures(tmp_path / "archive")]
    assert set(captured) == set(urls) and len(captured) - len(urls) <= 2
    store = Store.open(tmp_path / "archive" / "state.sqlite")
    assert store.integrity_check() == "ok"
    killed, finished = list(store.runs())
    store.close()
    assert killed[2] is not None and "did not finish" in (killed[4] or "")  # recorded as ended with an error
    assert finished[4] is None


def test_a_stored_harvest_is_not_reused_after_the_harvester_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    from linkcheck.models import Document, SourceKind
    from linkcheck.state import run as run_module

    document = Document("a.md", SourceKind.MARKDOWN, b"[x](https://example.org/)\n")
    before = run_module.content_hash(document)
    assert run_module.content_hash(document) == before  # the same bytes, the same harvester: reused
    monkeypatch.setattr(run_module, "HARVEST_REVISION", "a later harvester")
    assert run_module.content_hash(document) != before  # harvested again


def test_migration_to_version_6_moves_each_urls_latest_result_into_columns(tmp_path: Path) -> None:
    """The reused result of a URL (read from columns since version 6) is its latest stored check, field for field."""
    from linkcheck.models import CheckResult, Hop
    from linkcheck.serialize import check_to_dict

    path = tmp_path / "v5.sqlite"
    old = Store.open(path, migrate_to=5)
    run_id = old.begin_run(DAY0, ["a.txt"])
    older = CheckResult("https://example.com/a", Verdict.BROKEN, 404, checked_at=DAY0)
    latest = CheckResult(
        "https://example.com/a",
        Verdict.OK,
        200,
        final_url="https://example.com/b",
        redirects=(Hop("https://example.com/a", 301),),
        attempts=2,
        elapsed_ms=35,
        checked_at=DAY0 + dt.timedelta(hours=1),
        tls_verified=False,
        page_title="B — «quoted»",
        page_published=dt.date(2021, 8, 10),
    )
    plain = CheckResult(
        "https://example.com/c", Verdict.TIMEOUT, error="read timed out", checked_at=DAY0, tls_verified=None
    )
    for result in (older, latest, plain):  # as version 5 stored them: JSON in checks, the state beside it
        old._db.execute(
            "INSERT INTO checks (run_id, url, checked_at, verdict, status, result) VALUES (?, ?, ?, ?, ?, ?)",
            (
                run_id,
                result.url,
                result.checked_at.isoformat(),
                result.verdict.value,
                result.status,  # type: ignore[union-attr]
                json.dumps(check_to_dict(result)),
            ),
        )
        old._db.execute(
            "INSERT INTO url_state (url, last_checked_at, last_verdict) VALUES (?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET last_checked_at = excluded.last_checked_at,"
            " last_verdict = excluded.last_verdict",
            (result.url, result.checked_at.isoformat(), result.verdict.value),  # type: ignore[union-attr]
        )
    old.close()
    upgraded = Store.open(path)
    assert upgraded.schema_version == SCHEMA_VERSION
    reused = dict(
        (state.url, result)
        for state, result in upgraded.states_for_rerun(
            [latest.url, plain.url], DAY0 + dt.timedelta(hours=2), 86400.0, 86400.0
        )
    )
    assert reused == {latest.url: latest, plain.url: plain}
    upgraded.close()


@pytest.mark.parametrize("verdict", [Verdict.OK, Verdict.BROKEN, Verdict.BLOCKED])
def test_due_in_sql_agrees_with_the_history_rule(store: Store, verdict: Verdict) -> None:
    """What the store says is not due is exactly what history.is_due says, to the microsecond at the limits."""
    from linkcheck.models import CheckResult
    from linkcheck.state.history import advance, is_due

    recheck, recheck_failed = 86400.0, 3600.0
    now = DAY0 + dt.timedelta(days=10)
    ages = [0, 1, 3599.999999, 3600, 3600.000001, 86399.999999, 86400, 86400.000001, 10 * 86400]
    urls, states = [], {}
    run_id = store.begin_run(DAY0, ["a.txt"])
    for number, age in enumerate(ages):
        url = f"https://example.com/{number}"
        at = now - dt.timedelta(seconds=age)
        state, _ = advance(None, CheckResult(url, verdict, checked_at=at), at, DeathPolicy())
        store.record_check(run_id, CheckResult(url, verdict, checked_at=at), state)
        urls.append(url)
        states[url] = state
    urls.append("https://example.com/never-checked")
    not_due = {state.url for state, result in store.states_for_rerun(urls, now, recheck, recheck_failed) if result}
    assert not_due == {url for url in urls if not is_due(states.get(url), now, recheck, recheck_failed)}
    assert 0 < len(not_due) < len(ages)


def test_results_are_committed_in_batches_and_all_by_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RunState keeps results until a batch is full (or old enough), then commits them in one go; what is
    committed is readable by another connection at once, and finish() commits the rest."""
    from linkcheck.models import CheckResult
    from linkcheck.state import run as run_state

    monkeypatch.setattr(run_state, "BATCH_RESULTS", 5)
    monkeypatch.setattr(run_state, "BATCH_SECONDS", 3600.0)
    path = tmp_path / "state.sqlite"
    store = Store.open(path)
    clock = Clock(DAY0)
    state = run_state.RunState(store, settings_for(tmp_path).state, clock)
    state.begin(DAY0, ["a.txt"])
    other = Store.open(path)

    def committed() -> int:
        return sum(other.last_check(f"https://example.com/{n}") is not None for n in range(12))

    for number in range(12):
        snapshot = Snapshot("a.warc.gz", "0" * 64, DAY0.isoformat(), None, f"<urn:uuid:{number}>", number)
        state.record(CheckResult(f"https://example.com/{number}", Verdict.OK, 200, checked_at=DAY0), snapshot)
        assert committed() == (number + 1) // 5 * 5
    assert len(other.latest_snapshots([f"https://example.com/{n}" for n in range(12)])) == 10
    state.finish(DAY0, False)
    assert committed() == 12
    assert len(other.latest_snapshots([f"https://example.com/{n}" for n in range(12)])) == 12
    other.close()
    store.close()


def test_a_lone_result_is_committed_once_it_has_waited_the_batch_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Results that trickle in are not held until the next one comes: flush_if_due (called while the
    checker is idle) commits what has waited BATCH_SECONDS."""
    from linkcheck.models import CheckResult
    from linkcheck.state import run as run_state

    monkeypatch.setattr(run_state, "BATCH_SECONDS", 0.2)
    path = tmp_path / "state.sqlite"
    store = Store.open(path)
    state = run_state.RunState(store, settings_for(tmp_path).state, Clock(DAY0))
    state.begin(DAY0, ["a.txt"])
    other = Store.open(path)
    state.record(CheckResult("https://example.com/slow", Verdict.OK, 200, checked_at=DAY0))
    state.flush_if_due()
    assert other.last_check("https://example.com/slow") is None  # not yet: it has just come
    time.sleep(0.25)
    state.flush_if_due()
    assert other.last_check("https://example.com/slow") is not None
    other.close()
    store.close()


def test_a_snapshots_requisite_counts_are_kept_in_the_store(tmp_path: Path) -> None:
    """A reused result reports what its capture kept of the page's requisites without reading the copy."""
    path = tmp_path / "state.db"
    store = Store.open(path, migrate_to=6)  # a store from before requisite counts were kept
    run_id = store.begin_run(DAY0, ["a.txt"])
    store._db.execute(  # a capture as version 6 stored it
        "INSERT INTO snapshots (run_id, url, captured_at, warc, sha256) VALUES (?, ?, ?, ?, ?)",
        (run_id, "https://example.com/old", "20261101000000", "a.warc.gz", "0" * 64),
    )
    store.close()
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION == 7
    run_id = store.begin_run(DAY0, ["a.txt"])
    kept = Snapshot("b.warc.gz", "1" * 64, "20261201000000", "pages/x", "<urn:uuid:1>", 0, Requisites(12, 1, True))
    store.record_snapshot(run_id, "https://example.com/new", kept)
    latest = store.latest_snapshots(["https://example.com/old", "https://example.com/new"])
    assert latest["https://example.com/new"] == kept
    assert latest["https://example.com/old"].requisites is None  # captured before requisites were counted
    assert dict(store.snapshots(run_id))["https://example.com/new"].requisites == Requisites(12, 1, True)
    store.close()


def test_run_state_names_sources_as_source_key_does(tmp_path: Path) -> None:
    """RunState resolves each folder once per run; the keys stay those of source_key, symlinks included."""
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("a")
    (tmp_path / "real" / "b.txt").write_text("b")
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "c.txt").symlink_to(tmp_path / "real" / "b.txt")
    (tmp_path / "real" / "sub").mkdir()
    from linkcheck.state import run as run_state

    state = run_state.RunState(None, Settings().state, lambda: dt.datetime.now(dt.UTC), tmp_path)
    sources = ["real/a.txt", "linked/a.txt", "./linked/./b.txt", "real/c.txt", "linked/c.txt", "real/sub/../a.txt",
               "real//a.txt", "missing/x.txt", "real/missing.txt", str(tmp_path / "linked" / "a.txt"), "real/sub/..",
               "-", "https://example.com/a", "HTTP://example.com/b", "real/."]  # fmt: skip
    for source in sources * 2:  # the second time from the folders already resolved
        assert state._key(source) == run_state.source_key(source, tmp_path), source
