"""Hostile articles: inputs that used to take minutes or raise out of the harvesters.

Each regression test is named for the input that broke. The slow ones carry a hang guard, not a speed
assertion: the input is large enough that the old quadratic code runs far past the guard.
"""

from __future__ import annotations

import pytest

from linkcheck.harvest import harvest
from linkcheck.harvest.text import harvest_text
from linkcheck.models import Article, Document, SourceKind


def harvested(kind: SourceKind, content: str | bytes, base_url: str | None = None) -> Article:
    data = content.encode() if isinstance(content, str) else content
    return harvest(Document(f"hostile.{kind.value}", kind, data, base_url=base_url))


# --- plain text -------------------------------------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize("tail", [")" * 500_000, "." * 2_000_000], ids=["closing-brackets", "dots"])
def test_text_url_followed_by_a_long_run_of_trailing_punctuation(tail: str) -> None:
    # Trimming recounted the brackets (and copied the URL) once per trimmed character: 51 s for 200,000 brackets.
    [citation] = harvest_text("see http://a.example/x" + tail, "hostile.txt").citations
    assert citation.url == "http://a.example/x"


def test_text_url_ends_at_a_control_character() -> None:
    [citation] = harvest_text("see http://a.example/x\x01y and more", "hostile.txt").citations
    assert citation.url == "http://a.example/x"
