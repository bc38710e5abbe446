"""Fixtures shared by the archived-copy tests: a fake Wayback Machine on 127.0.0.2."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fallback.fake_wayback import FakeWayback
from tests.server import LocalServer


@pytest.fixture
def wayback() -> Iterator[FakeWayback]:
    server = LocalServer("127.0.0.2").start()
    try:
        yield FakeWayback(server)
    finally:
        server.stop()
