"""The transport: which requests go straight through urllib3, which through requests' adapter, and that
both put the same request on the wire."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from linkcheck.check.client import Fetcher
from linkcheck.check.connections import GuardedAdapter
from linkcheck.check.transport import wire_headers
from linkcheck.models import FailureKind, FetchResult
from linkcheck.settings import Settings, settings_from_mapping
from tests.conftest import loopback_settings
from tests.server import LocalServer, send


def fetch_url(settings: Settings, url: str, **options: Any) -> FetchResult:
    fetcher = Fetcher(settings)
    try:
        return fetcher.fetch(url, **options)
    finally:
        fetcher.close()


def echo(handler: BaseHTTPRequestHandler) -> None:
    """Answer with the request's headers (in order) and body, as JSON."""
    length = int(handler.headers.get("Content-Length", "0"))
    body = handler.rfile.read(length).decode() if length else ""
    send(handler, 200, json.dumps({"headers": list(handler.headers.items()), "body": body}).encode())


def test_wire_headers_put_agent_and_encodings_first_and_keep_one_entry_per_name() -> None:
    headers = wire_headers(
        [("User-Agent", "a"), ("Accept-Encoding", "gzip"), ("X-Key", "1"), ("accept", "text/html"), ("user-agent", "b")]
    )
    assert list(headers.items()) == [
        ("user-agent", "b"),  # the last value, under the last spelling, in the first place
        ("Accept-Encoding", "gzip"),
        ("accept", "text/html"),
        ("Connection", "keep-alive"),
        ("X-Key", "1"),
    ]


def test_plain_hosts_do_not_go_through_requests(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("sent through requests' adapter")

    monkeypatch.setattr(GuardedAdapter, "send", refuse)
    server.route("/echo")(echo)
    fetched = fetch_url(loopback_settings(), server.url("/echo"))
    assert fetched.status == 200 and fetched.failure is None


def test_a_form_and_cookies_go_on_the_wire_as_requests_sent_them(server: LocalServer) -> None:
    @server.route("/login")
    def login(handler: BaseHTTPRequestHandler) -> None:
        handler.rfile.read(int(handler.headers.get("Content-Length", "0")))  # the form, off the kept-alive connection
        send(handler, 302, b"", headers={"Location": "/echo", "Set-Cookie": "s=1"})

    server.route("/echo")(echo)
    fetched = fetch_url(
        loopback_settings(), server.url("/login"), method="POST", form={"q": "a b", "w": "é"}, headers={"X-Key": "k"}
    )
    assert fetched.status == 200
    seen = json.loads(fetched.body)
    # The redirect is a GET to the same origin: the extra header follows it, then the cookie the login set.
    assert [name for name, _ in seen["headers"]] == [
        "Host",
        "User-Agent",
        "Accept-Encoding",
        "Accept",
        "Connection",
        "X-Key",
        "Cookie",
    ]
    assert dict(seen["headers"])["Cookie"] == "s=1" and seen["body"] == ""
    posted = fetched.redirects[0].request_headers
    assert posted[-2:] == (
        ("Content-Length", "14"),
        ("Content-Type", "application/x-www-form-urlencoded"),
    )  # q=a+b&w=%C3%A9


@pytest.mark.parametrize(
    ("host", "kind", "words"),
    [
        ("*.example.org", FailureKind.INVALID_URL, "invalid label"),
        (".example.org", FailureKind.INVALID_URL, "invalid label"),
        ("a..b.example.org", FailureKind.CONNECTION, "label empty or too long"),
        ("exa mple.org", FailureKind.INVALID_URL, "invalid character"),
    ],
)
def test_host_names_urllib3_would_word_otherwise_go_through_requests(host: str, kind: FailureKind, words: str) -> None:
    fetched = fetch_url(loopback_settings(retries=0), f"http://{host}/page")
    assert fetched.failure is not None
    assert fetched.failure.kind is kind and words in fetched.failure.message


def test_a_missing_ca_bundle_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-bundle.pem"
    settings = settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "retries": 0},
            "domains": {"127.0.0.1": {"ca_bundle": str(missing)}},
        },
        "test",
    )
    fetched = fetch_url(settings, "https://127.0.0.1:9/")
    assert fetched.failure is not None and fetched.failure.kind is FailureKind.CONNECTION
    assert str(missing) in fetched.failure.message


def test_a_forms_length_and_type_respect_the_callers_headers_whatever_their_case(server: LocalServer) -> None:
    server.route("/echo")(echo)
    headers = {"content-type": "text/plain", "content-length": "99", "X-Key": "1"}
    fetched = fetch_url(loopback_settings(), server.url("/echo"), method="POST", form={"a": "b"}, headers=headers)
    seen = json.loads(fetched.body)
    assert seen["headers"][-3:] == [["content-type", "text/plain"], ["Content-Length", "3"], ["X-Key", "1"]]
    assert seen["body"] == "a=b"
