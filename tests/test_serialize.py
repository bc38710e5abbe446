"""Records to plain data: the harvest's JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from linkcheck import serialize
from linkcheck.models import Article, Citation, SourceError


def _article() -> Article:
    citations = (
        Citation(
            "https://a.example/x",
            "https://a.example/x",
            "said «so»",
            3,
            quotes=("one two three four five six seven eight",),
        ),
        Citation(
            "mailto:desk@example.org", "mailto:desk@example.org", "write", skip_reason="mailto: link, not fetched"
        ),
        Citation("http://exa mple.com/", None, "bad", 7, 2, invalid_reason="space in host", context_is_anchor=True),
    )
    return Article("a.txt", "Title", dt.date(2021, 8, 10), "text", citations, url=None, cut_reason=None)


def test_citation_to_dict_is_every_field_as_asdict_gives_it() -> None:
    for citation in _article().citations:
        expected = dataclasses.asdict(citation)
        expected["quotes"] = list(expected["quotes"])
        assert serialize.citation_to_dict(citation) == expected
        assert list(serialize.citation_to_dict(citation)) == [field.name for field in dataclasses.fields(Citation)]


@pytest.mark.parametrize("limit", [5000, 0], ids=["indented", "compact"])
def test_harvest_json_is_the_same_data_indented_or_compact(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    monkeypatch.setattr(serialize, "PRETTY_CITATIONS", limit)
    article = _article()
    text = serialize.harvest_json([article], [SourceError("b.pdf", "cannot be read")])
    assert ("\n  " in text) is bool(limit)
    data = json.loads(text)
    assert data == {
        "articles": [serialize.article_to_dict(article)],
        "errors": [{"source": "b.pdf", "message": "cannot be read"}],
    }
    assert serialize.article_from_dict(data["articles"][0]) == article
