"""The private-network guard: address forms, local names, and every hop in every proxy mode."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from linkcheck.check.guard import denoted_address, is_local_name, is_private_address, literal_host_refusal
from linkcheck.models import FailureKind, Verdict
from tests.check.test_client import check_url, guarded, redirect_route, status_route
from tests.server import LocalServer, page


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254, the cloud metadata service
        "64:ff9b:1::7f00:1",  # local-use NAT64
        "::127.0.0.1",  # IPv4-compatible
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a00:1::",  # 6to4 of 10.0.0.1
        "::ffff:127.0.0.1",  # IPv4-mapped
    ],
)
def test_ipv6_forms_are_judged_by_the_ipv4_inside(address: str) -> None:
    assert is_private_address(address)


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::", "2606:4700:4700::1111", "8.8.8.8"])
def test_public_addresses_in_any_form_pass(address: str) -> None:
    assert not is_private_address(address)


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("127.0.0.1.", "127.0.0.1"),
        ("[::1]", "::1"),
        ("example.org", None),
        ("deadbeef.cafe", None),
    ],
)
def test_denoted_address_reads_the_legacy_ipv4_forms(host: str, address: str | None) -> None:
    assert denoted_address(host) == address


@pytest.mark.parametrize(
    "host", ["localhost", "localhost.", "a.localhost", "printer.local", "db.internal", "nas.home.arpa"]
)
def test_local_names(host: str) -> None:
    assert is_local_name(host)
    assert not is_local_name("localhost.example.org")


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://0/",
        "http://127.0.0.1./",
        "http://localhost./",
        "http://[64:ff9b::7f00:1]/",
        "http://[::127.0.0.1]/",
        "http://[2002:7f00:1::]/",
    ],
)
def test_behind_a_proxy_local_hosts_are_refused_before_the_proxy_sees_them(server: LocalServer, url: str) -> None:
    failure = literal_host_refusal(url)
    assert failure is not None and failure.kind is FailureKind.PRIVATE_NETWORK
    result = check_url(guarded(), url, environ={"HTTP_PROXY": server.url("")})
    assert result.verdict is Verdict.SKIPPED and "private or local" in (result.error or "")
    assert server.raw_paths == []


def test_a_redirect_to_a_no_proxy_host_is_guarded_on_that_hop(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through a proxy, a redirect to a NO_PROXY name connects directly: that hop is guarded."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "mirror.example":
            return real("127.0.0.1", *args, **kwargs)  # a public-looking name that resolves to loopback
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    server.route("http://citations.example/moved")(redirect_route(f"http://mirror.example:{server.port}/secret"))
    server.route("/secret")(status_route(200, page("Internal")))
    environ = {"HTTP_PROXY": server.url(""), "NO_PROXY": "mirror.example"}
    result = check_url(guarded(), "http://citations.example/moved", environ=environ)
    assert result.verdict is Verdict.SKIPPED and "non-public address 127.0.0.1" in (result.error or "")
    assert server.raw_paths == ["http://citations.example/moved"]  # /secret was never asked for
