"""Quotations found in a paragraph: the fast scan finds what the pattern's own scan finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkcheck.quotes import _QUOTED, MAX_QUOTE_CHARS, MAX_QUOTES, MIN_QUOTE_WORDS, fold, quotes_in

ROOT = Path(__file__).resolve().parent.parent


def quotes_as_first_written(paragraph: str) -> tuple[str, ...]:
    """quotes_in as it was first written: the pattern's finditer, every quote folded to count its words."""
    found: dict[str, None] = {}
    for match in _QUOTED.finditer(paragraph):
        quote = " ".join(next(group for group in match.groups() if group is not None).split())
        if len(fold(quote).split()) >= MIN_QUOTE_WORDS:
            found.setdefault(quote[:MAX_QUOTE_CHARS], None)
        if len(found) >= MAX_QUOTES:
            break
    return tuple(found)


_PIECES = [
    '"',
    "“",
    "”",
    "«",
    "»",
    "„",
    " ",
    "\n",
    "word",
    "Ünïcode",
    "ё",
    "ＡＢ",
    "x_y",
    "a-b",
    "1,2",
    "½",
    "...",
    "don't",
    "said",
    " one two three four five six seven eight ",
    "K",
    "ß",
    "\t",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_quotes_are_the_ones_the_pattern_finds(pieces: list[str]) -> None:
    paragraph = "".join(pieces)
    assert quotes_in(paragraph) == quotes_as_first_written(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        '"one two three four five six seven eight" and "nine ten eleven twelve thirteen fourteen fifteen sixteen"',
        "“one two three four five six seven eight” «un deux trois quatre cinq six sept huit»",
        '„eins zwei drei vier fünf sechs sieben acht“ then an open " with no close',
        '"one two three four\nfive six seven eight"',  # a newline ends a plain quotation
        " ".join(f'"q{n} a b c d e f g"' for n in range(14)),  # more than MAX_QUOTES
        '"a, b, c, d, e, f, g, h" "i_j k l m n o p q"',
    ],
)
def test_sample_quotes(paragraph: str) -> None:
    assert quotes_in(paragraph) == quotes_as_first_written(paragraph)


def test_the_project_texts_give_the_same_quotes() -> None:
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in sorted(ROOT.glob("**/*.md"))]
    paragraphs = [paragraph for text in texts for paragraph in text.split("\n\n")]
    assert sum(bool(quotes_in(paragraph)) for paragraph in paragraphs) > 0
    for paragraph in paragraphs:
        assert quotes_in(paragraph) == quotes_as_first_written(paragraph)
