"""The archive's JSON files (meta.json, datapackage.json) as text: two-space indented, non-ASCII kept."""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
_SCIENTIFIC_BELOW = 1e-4  # Python writes 1e-05 where orjson writes 0.00001; above, both write the same
_MOST_VALUES = 100_000  # a meta.json holds a few hundred
_PLAIN = frozenset((str, int, bool, type(None)))


def indented_json(data: Any) -> bytes:
    """`json.dumps(data, indent=2, ensure_ascii=False) + "\\n"` as UTF-8, byte for byte, by orjson.

    json's indented encoder is pure Python (a fifth of a capture's CPU went to meta.json). Data that
    orjson writes otherwise (a float below 1e-4, NaN, a dataclass, a date) or refuses (a huge int, a
    non-string key, a lone surrogate) goes to json as before, so the text and the errors stay json's.
    """
    if _orjson_writes_as_json(data):
        try:
            return orjson.dumps(data, option=_OPTIONS)
        except orjson.JSONEncodeError:
            pass
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def _orjson_writes_as_json(data: Any) -> bool:
    """Whether every value is one orjson writes as json does: one walk over a list of the values met, no
    recursion or generator per container (the check cost more than orjson's encoding)."""
    pending = [data]
    for value in pending:  # grows as containers are met
        kind = type(value)
        if kind in _PLAIN:
            continue
        if kind is dict:
            if not all(type(key) is str for key in value):
                return False
            pending.extend(value.values())
        elif kind is list or kind is tuple:
            pending.extend(value)
        else:
            if kind is not float or not (math.isfinite(value) and (value == 0 or abs(value) >= _SCIENTIFIC_BELOW)):
                return False
            continue
        if len(pending) > _MOST_VALUES:
            return False  # json writes it (and finds a container that holds itself)
    return True
