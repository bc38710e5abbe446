"""indented_json writes what json.dumps(indent=2, ensure_ascii=False) writes, byte for byte."""

from __future__ import annotations

import json
from typing import Any

import pytest

from linkcheck.archive.json_text import indented_json

META_LIKE: dict[str, Any] = {
    "url": "https://exämple.org/päth?q=1&r=\u2028",
    "final_url": None,
    "status": 200,
    "reason": "OK",
    "http_version": "HTTP/1.1",
    "headers": [["Content-Type", "text/html; charset=utf-8"], ["X-Odd", '\x00\x1f\x7f\x85\u200f\t\r\n"\\/']],
    "sha256": "ab" * 32,
    "payload_bytes": 0,
    "truncated": False,
    "redirects": [],
    "files": ["page.html", "text.txt"],
    "title": "Ünïcode 😀 title",
    "requisites": {"captured": 1, "refused": 0, "cut": 0, "files": {}},
    "previous_captured_at": None,
    "similarity_to_previous": 0.8123,
}

CASES = [
    META_LIKE,
    {},
    {"nested": [[], {}, [{"a": []}], (1, 2)]},
    {"floats": [0.0, -0.0, 1.0, 0.0001, 0.00025, 1 / 3, 0.1 + 0.2, 1e16, 1e22, 9.99e15, 1.5e300]},
    {"tiny": [1e-05, 5e-324, -2.5e-07]},  # json writes 1e-05, orjson 0.00001: json's text is kept
    {"not finite": [float("nan"), float("inf"), float("-inf")]},
    {"huge int": 2**70, "negative": -(2**63)},
    {1: "int key", "b": True},
    {"similarity": round(0.123456, 4), "one": 1.0},
]


@pytest.mark.parametrize("data", CASES)
def test_same_bytes_as_json(data: dict[Any, Any]) -> None:
    assert indented_json(data) == (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def test_a_lone_surrogate_fails_as_json_does() -> None:
    with pytest.raises(UnicodeEncodeError):
        indented_json({"title": "\ud800"})


def test_a_value_json_cannot_write_fails_as_json_does() -> None:
    class Thing:
        pass

    with pytest.raises(TypeError, match="not JSON serializable"):
        indented_json({"thing": Thing()})


def test_a_container_holding_itself_gets_jsons_error() -> None:
    looped: list[object] = [1, "a"]
    looped.append(looped)
    with pytest.raises(ValueError, match="Circular reference"):
        indented_json({"key": looped})


def test_data_with_more_values_than_a_meta_is_written_as_json_writes_it() -> None:
    big = {"rows": [[n, f"v{n}", n / 3] for n in range(40_000)]}
    assert indented_json(big) == (json.dumps(big, indent=2, ensure_ascii=False) + "\n").encode()
