"""Shared fixtures: a real HTTP server on loopback, and settings that allow reaching it."""

from __future__ import annotations

from collections.abc import Iterator

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
