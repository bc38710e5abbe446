"""positional(cls) makes the very object cls(*fields) makes, and refuses classes it cannot build exactly."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from linkcheck.builders import positional
from linkcheck.models import (
    Capture,
    CheckedCitation,
    CheckResult,
    Citation,
    History,
    Hop,
    Outcome,
    QuoteCheck,
    Snapshot,
    Verdict,
)

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
CITATION = Citation("https://a.example/x", "https://a.example/x", "see", 3, None, None, None, False, ("a quote",))
RESULT = CheckResult(
    "https://a.example/x",
    Verdict.OK,
    200,
    "https://a.example/y",
    (Hop("https://a.example/x", 301),),
    None,
    2,
    15,
    NOW,
    True,
    "Title",
    NOW.date(),
    None,
)
HISTORY = History(True, NOW, None, 0, False, False, Verdict.OK)
SNAPSHOT = Snapshot("a.warc.gz", "0" * 64, NOW.isoformat(), None, "<urn:uuid:1>", 7)


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (Citation, [getattr(CITATION, f.name) for f in dataclasses.fields(Citation)]),
        (CheckResult, [getattr(RESULT, f.name) for f in dataclasses.fields(CheckResult)]),
        (History, [getattr(HISTORY, f.name) for f in dataclasses.fields(History)]),
        (Outcome, [RESULT, Capture(SNAPSHOT)]),
        (
            CheckedCitation,
            [CITATION, RESULT, (), SNAPSHOT, HISTORY, None, None, None, None, (QuoteCheck("a quote", True),), None],
        ),
    ],
)
def test_builds_what_the_class_builds(cls: type, values: list[object]) -> None:
    built = positional(cls)(*values)
    made = cls(*values)
    assert type(built) is cls
    assert built == made and hash(built) == hash(made) and repr(built) == repr(made)
    assert [getattr(built, f.name) for f in dataclasses.fields(cls)] == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(built, dataclasses.fields(cls)[0].name, "changed")


def test_every_field_is_required() -> None:
    with pytest.raises(TypeError):
        positional(History)(True)


@dataclasses.dataclass(frozen=True)
class _NoSlots:
    a: int


@dataclasses.dataclass(frozen=True, slots=True)
class _Checked:
    a: int

    def __post_init__(self) -> None:
        if self.a < 0:
            raise ValueError("negative")


@pytest.mark.parametrize("cls", [_NoSlots, _Checked, int])
def test_refuses_what_it_cannot_build_exactly(cls: type) -> None:
    with pytest.raises(TypeError):
        positional(cls)
