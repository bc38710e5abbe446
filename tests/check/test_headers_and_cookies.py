"""Configured headers (global and per domain, decided per hop), the cookie jar, credentials kept out of
the archive, and accepted statuses: the check stage's share of issue 16."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from linkcheck.check import guard as guard_module
from linkcheck.check.client import Fetcher
from linkcheck.check.policy import configured_headers, policy_for
from linkcheck.check.verdict import check_result
from linkcheck.check.wire import WITHHELD
from linkcheck.errors import ConfigError
from linkcheck.models import FetchResult, Verdict
from linkcheck.settings import Settings, settings_from_mapping
from tests.server import LocalServer, page, running, send

LOOPBACK = {"allow_private_networks": True, "backoff": 0.0, "retries": 0, "timeout": 5.0}


def settings_with(check: Mapping[str, object] | None = None, **domains: Mapping[str, object]) -> Settings:
    return settings_from_mapping({"check": {**LOOPBACK, **(check or {})}, "domains": domains})


def fetch(settings: Settings, url: str) -> FetchResult:
    fetcher = Fetcher(settings)
    try:
        return fetcher.fetch(url)
    finally:
        fetcher.close()


@pytest.fixture
def other_site(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A second site, on 127.0.0.2 (allowed like the first: private networks are allowed here)."""
    real = guard_module.is_private_address
    monkeypatch.setattr(guard_module, "is_private_address", lambda address: address != "127.0.0.2" and real(address))
    with running("127.0.0.2") as local:
        yield local


def test_configured_headers_merge_global_then_domain_whatever_the_case() -> None:
    settings = settings_with(
        {"headers": {"X-Team": "desk", "cookie": "global=1"}}, **{"paper.example": {"headers": {"Cookie": "s=2"}}}
    )
    assert configured_headers(settings, "www.paper.example") == {"X-Team": "desk", "Cookie": "s=2"}
    assert configured_headers(settings, "elsewhere.example") == {"X-Team": "desk", "cookie": "global=1"}


def test_a_domain_cookie_never_follows_a_redirect_off_its_domain(server: LocalServer, other_site: LocalServer) -> None:
    server.routes["/moved"] = lambda h: send(h, 302, b"", headers={"Location": other_site.url("/landed")})
    other_site.routes["/landed"] = lambda h: send(h, 200, page("Landed"))
    settings = settings_with(
        {"headers": {"X-Team": "desk"}}, **{"127.0.0.1": {"headers": {"Cookie": "session=secret"}}}
    )
    fetched = fetch(settings, server.url("/moved"))
    assert fetched.status == 200
    first, second = server.request_headers[0], other_site.request_headers[0]
    assert (first["Cookie"], first["X-Team"]) == ("session=secret", "desk")
    assert "Cookie" not in second and second["X-Team"] == "desk"  # the global header goes everywhere


def test_credentials_are_withheld_from_what_the_archive_records(server: LocalServer) -> None:
    server.routes["/page"] = lambda h: send(h, 200, page("Page"))
    settings = settings_with(
        {"headers": {"Authorization": "Bearer k", "X-Team": "desk"}}, **{"127.0.0.1": {"headers": {"Cookie": "s=1"}}}
    )
    fetched = fetch(settings, server.url("/page"))
    assert fetched.response is not None
    recorded = dict(fetched.response.request_headers)
    assert recorded["Cookie"] == WITHHELD and recorded["Authorization"] == WITHHELD and recorded["X-Team"] == "desk"
    assert server.request_headers[0]["Cookie"] == "s=1"  # the server got the real one


def test_the_cookie_jar_is_read_sent_and_written_back_for_its_owner_only(tmp_path: Path, server: LocalServer) -> None:
    def needs_cookie(handler: BaseHTTPRequestHandler) -> None:
        if "token=abc" not in (handler.headers.get("Cookie") or ""):
            send(handler, 403, page("Who are you?"))
            return
        send(handler, 200, page("Welcome"), headers={"Set-Cookie": "seen=yes; Path=/"})

    server.routes["/members"] = needs_cookie
    jar = tmp_path / "cookies.txt"
    jar.write_text("# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t4102444800\ttoken\tabc\n")
    settings = settings_with({"cookie_jar": str(jar)})
    assert fetch(settings, server.url("/members")).status == 200
    written = jar.read_text()
    assert "\ttoken\tabc" in written and "\tseen\tyes" in written  # a session cookie is kept for the next run
    assert stat.S_IMODE(jar.stat().st_mode) == 0o600
    assert fetch(settings, server.url("/members")).status == 200
    assert "seen=yes" in server.request_headers[-1]["Cookie"]


def test_a_cookie_jar_that_does_not_exist_yet_is_made(tmp_path: Path, server: LocalServer) -> None:
    server.routes["/"] = lambda h: send(h, 200, page("Hi"), headers={"Set-Cookie": "first=1"})
    jar = tmp_path / "new.txt"
    fetch(settings_with({"cookie_jar": str(jar)}), server.url("/"))
    assert "\tfirst\t1" in jar.read_text()
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_a_file_that_is_not_a_cookie_jar_is_a_configuration_error(tmp_path: Path) -> None:
    jar = tmp_path / "cookies.json"
    jar.write_text('[{"raw_cookie": "a=b"}]')
    with pytest.raises(ConfigError, match=r"cookies.json: cannot read the cookie jar \(Netscape"):
        Fetcher(settings_with({"cookie_jar": str(jar)}))
    with pytest.raises(ConfigError, match=r"no-such-folder/jar.txt: cannot keep a cookie jar there"):
        Fetcher(settings_with({"cookie_jar": str(tmp_path / "no-such-folder" / "jar.txt")}))


def test_accepted_statuses_add_to_2xx_and_a_2xx_page_is_still_judged(server: LocalServer) -> None:
    server.routes["/wall"] = lambda h: send(h, 403, page("Forbidden"))
    server.routes["/gone"] = lambda h: send(h, 200, page("Page not found"))
    settings = settings_with({"accept_status": ["200..=299", 403]}, **{"127.0.0.1": {"accept_status": [418]}})
    policy = policy_for(settings, "127.0.0.1")
    assert 403 in policy.accept_status and 418 in policy.accept_status  # the global and the domain's
    assert check_result(fetch(settings, server.url("/wall")), policy.accept_status).verdict is Verdict.OK
    gone = check_result(fetch(settings, server.url("/gone")), policy.accept_status)
    assert gone.verdict is Verdict.SOFT_404


def test_requests_go_out_with_the_same_headers_in_the_same_order(server: LocalServer) -> None:
    # The Fetcher prepares requests itself (no requests.Session merging): the wire and the WARC request
    # record must be what a Session sent: agent and encodings, then Accept and Connection, then ours.
    server.routes["/page"] = lambda h: send(h, 200, page("Page"))
    settings = settings_with({"headers": {"X-Team": "desk", "accept": "text/html"}})
    fetched = fetch(settings, server.url("/page"))
    assert fetched.response is not None
    names = [name for name, _ in fetched.response.request_headers]
    assert names == ["User-Agent", "Accept-Encoding", "accept", "Connection", "X-Team"]
    sent = {name.lower(): value for name, value in server.request_headers[0].items()}
    assert (sent["accept"], sent["connection"], sent["accept-encoding"]) == ("text/html", "keep-alive", "gzip, deflate")


def test_a_cookie_set_by_one_answer_goes_with_the_next_request_of_the_same_worker(server: LocalServer) -> None:
    server.routes["/login"] = lambda h: send(h, 200, page("In"), headers={"Set-Cookie": "seen=yes; Path=/"})
    server.routes["/after"] = lambda h: send(h, 200, page("After"))
    fetcher = Fetcher(settings_with())
    try:
        fetcher.fetch(server.url("/login"))
        fetcher.fetch(server.url("/after"))
    finally:
        fetcher.close()
    assert "Cookie" not in server.request_headers[0] and server.request_headers[1]["Cookie"] == "seen=yes"
