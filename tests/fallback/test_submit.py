"""Save Page Now against a fake Wayback Machine: the keys, the job followed to its end, transient
errors retried, permanent ones reported, nothing submitted by default or twice within recheck_after."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from linkcheck.environment import Environment
from linkcheck.fallback import find_archived_copies
from linkcheck.models import CheckedArticle, Verdict
from linkcheck.settings import Settings
from linkcheck.state.run import RunState
from linkcheck.state.store import Store
from tests.fallback.fake_wayback import FakeWayback
from tests.fallback.helpers import article, cited, fallback_settings
from tests.server import send

NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
KEYS = {"LINKCHECK_SPN_ACCESS_KEY": "acc", "LINKCHECK_SPN_SECRET_KEY": "sec"}
PAGE = "http://news.example/2021/08/drills"


class FakeSpn:
    """POST /save answers from `saves` (default: a new job); /save/status/<job> answers from `statuses`."""

    def __init__(self, wayback: FakeWayback) -> None:
        self.posts: list[tuple[dict[str, str], dict[str, list[str]]]] = []
        self.polls: list[str] = []
        self.saves: list[Callable[[BaseHTTPRequestHandler], None]] = []
        self.statuses: dict[str, list[dict[str, Any]]] = {}
        self.jobs = 0
        wayback.server.routes["/save"] = self._save
        self._wayback = wayback
        self._web = wayback.server.fallback

    def _save(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0)).decode()
        self.posts.append((dict(handler.headers.items()), parse_qs(body)))
        if self.saves:
            self.saves.pop(0)(handler)
            return
        self.jobs += 1
        job = f"spn2-{self.jobs:040d}"
        self.statuses.setdefault(job, [{"status": "pending"}, {"status": "success", "timestamp": "20261125080005"}])
        self._wayback.server.routes[f"/save/status/{job}"] = lambda h, job=job: self._status(h, job)
        send(handler, 200, json.dumps({"url": PAGE, "job_id": job}).encode(), "application/json")

    def _status(self, handler: BaseHTTPRequestHandler, job: str) -> None:
        self.polls.append(job)
        answers = self.statuses[job]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        send(handler, 200, json.dumps(answer).encode(), "application/json")


@pytest.fixture
def spn(wayback: FakeWayback) -> FakeSpn:
    return FakeSpn(wayback)


def ok_articles(*urls: str) -> list[CheckedArticle]:
    return [article(dt.date(2021, 8, 10), *(cited(url, Verdict.OK) for url in urls))]


def submit(
    settings: Settings, tmp_path: Path, environ: dict[str, str], store: Store | None = None, *urls: str
) -> tuple[list[float], str]:
    """Run the stage on ok citations; (the sleeps it asked for, what it said on stderr)."""
    slept: list[float] = []
    stderr = io.StringIO()
    env = Environment(now=lambda: NOW, cwd=tmp_path, environ=environ, stderr=stderr)
    state = RunState(store, settings.state, env.now)
    find_archived_copies(ok_articles(*(urls or (PAGE,))), settings, env, state, None, sleep=slept.append)
    return slept, stderr.getvalue()


def test_nothing_is_submitted_by_default(wayback: FakeWayback, spn: FakeSpn, tmp_path: Path) -> None:
    submit(fallback_settings(wayback.url), tmp_path, KEYS)
    assert spn.posts == [] and wayback.cdx_times == []


def test_a_submission_carries_the_keys_and_is_followed_to_its_end(
    wayback: FakeWayback, spn: FakeSpn, tmp_path: Path
) -> None:
    slept, said = submit(fallback_settings(wayback.url, submit=True), tmp_path, KEYS)
    [(headers, form)] = spn.posts
    assert headers["Authorization"] == "LOW acc:sec" and headers["Accept"] == "application/json"
    assert form == {"url": [PAGE]}
    assert spn.polls == ["spn2-" + "1".rjust(40, "0")] * 2  # pending, then success
    assert slept.count(5.0) == 2, "a pause before each poll"
    assert said == ""
    assert len(wayback.cdx_times) == 1  # asked first whether a recent capture exists


def test_a_recent_capture_is_not_submitted_again(wayback: FakeWayback, spn: FakeSpn, tmp_path: Path) -> None:
    wayback.add(PAGE, "20261125010000", b"<title>x</title>")  # 7 hours ago, within recheck_after (20h)
    submit(fallback_settings(wayback.url, submit=True), tmp_path, KEYS)
    assert spn.posts == []


def test_transient_errors_are_retried(wayback: FakeWayback, spn: FakeSpn, tmp_path: Path) -> None:
    busy = {"status": "error", "status_ext": "error:service-unavailable", "message": "busy"}
    spn.saves = [lambda h: send(h, 503, b"busy", "text/plain")]  # the client retries this one itself
    spn.statuses["spn2-" + "1".rjust(40, "0")] = [busy]  # the first job fails for a passing reason
    _, said = submit(fallback_settings(wayback.url, submit=True), tmp_path, KEYS)
    assert len(spn.posts) == 3 and spn.jobs == 2
    assert said == ""


def test_permanent_errors_are_reported_and_not_retried(wayback: FakeWayback, spn: FakeSpn, tmp_path: Path) -> None:
    blocked = {"status": "error", "status_ext": "error:blocked-url", "message": "This URL is excluded."}
    spn.statuses["spn2-" + "1".rjust(40, "0")] = [blocked]
    _, said = submit(fallback_settings(wayback.url, submit=True), tmp_path, KEYS)
    assert len(spn.posts) == 1
    assert f"Save Page Now: {PAGE}: error:blocked-url: This URL is excluded." in said


def test_refused_keys_stop_the_submissions_for_the_run(wayback: FakeWayback, spn: FakeSpn, tmp_path: Path) -> None:
    spn.saves = [lambda h: send(h, 401, b'{"message": "You need to be logged in"}', "application/json")]
    _, said = submit(fallback_settings(wayback.url, submit=True), tmp_path, KEYS, None, PAGE, PAGE + "-2")
    assert len(spn.posts) == 1
    assert said.count("refused the keys (HTTP 401)") == 2  # for the URL it refused, then once for the rest
    assert "Save Page Now: 1 URL not submitted: Save Page Now refused the keys" in said


def test_an_archive_that_cannot_be_reached_costs_two_lines_whatever_the_number_of_urls(tmp_path: Path) -> None:
    urls = [f"{PAGE}-{n}" for n in range(20)]
    _, said = submit(fallback_settings("http://127.0.0.3:9", submit=True), tmp_path, KEYS, None, *urls)
    lines = said.splitlines()
    assert len(lines) == 2 and "connection refused" in lines[0]
    assert lines[1] == "linkcheck: Save Page Now: 19 URLs not submitted: connection refused (3 attempts)"


def test_missing_keys_are_named(wayback: FakeWayback, spn: FakeSpn, tmp_path: Path) -> None:
    _, said = submit(fallback_settings(wayback.url, submit=True), tmp_path, {})
    assert "LINKCHECK_SPN_ACCESS_KEY and LINKCHECK_SPN_SECRET_KEY" in said and spn.posts == []


def test_a_url_submitted_within_recheck_after_is_not_submitted_again(
    wayback: FakeWayback, spn: FakeSpn, tmp_path: Path
) -> None:
    store = Store.open(tmp_path / "state.sqlite")
    try:
        settings = fallback_settings(wayback.url, submit=True)
        submit(settings, tmp_path, KEYS, store)
        submit(settings, tmp_path, KEYS, store)
        assert len(spn.posts) == 1
        assert store.last_submission(PAGE) == (NOW, "saved")
    finally:
        store.close()
