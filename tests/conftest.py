"""Shared fixtures: a real HTTP server on loopback, and settings that allow reaching it."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from linkcheck.settings import Settings, settings_from_mapping
from tests.server import LocalServer, running


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with running() as local:
        yield local


def loopback_settings(**check: object) -> Settings:
    """Settings for tests: private networks allowed (the server is on 127.0.0.1), fast retries."""
    values: dict[str, object] = {"allow_private_networks": True, "backoff": 0.0, "timeout": 5.0, "deadline": 10.0}
    values.update(check)
    return settings_from_mapping({"check": values}, "test")


@pytest.fixture
def settings() -> Settings:
    return loopback_settings()


@pytest.fixture(autouse=True)
def offline_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the internet: no name but loopback resolves, so no DNS query leaves the
    machine even for a name a test expects to fail (`no-such-host.invalid`)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host or "")
        if name in ("", "localhost", "::1") or name.startswith("127.") or name.endswith(".localhost"):
            return real(host, *args, **kwargs)
        if _is_numeric_address(name):
            return real(host, *args, **kwargs)  # a literal address (even "2130706433") needs no lookup
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (tests run offline)")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _is_numeric_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
        return True
    except ValueError:
        pass
    try:
        socket.inet_aton(name)  # the forms C's resolver reads without DNS: 127.1, 2130706433
        return True
    except OSError:
        return False
