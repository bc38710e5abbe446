"""Quotations an article attributes to a source, and whether the source's text still holds them.

Pure knowledge shared by the harvester (which quotes stand beside a citation) and the anomaly rules
(quote-not-found). Texts are compared after folding case, whitespace, quote marks, dashes and
punctuation, with a tolerance for small edits (rapidfuzz partial_ratio).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from rapidfuzz import fuzz

from linkcheck.models import PageText, QuoteCheck

MIN_QUOTE_WORDS = 8
MATCH_THRESHOLD = 90.0  # partial_ratio, 0..100
MAX_QUOTES = 10  # quotes kept per citation
MAX_QUOTE_CHARS = 1000
# “…”, «…», „…“, "…": the quotation marks of English, Russian, German and plain text.
_QUOTED = re.compile(r"“([^“”]+)”|«([^«»]+)»|„([^„“”]+)[“”]|\"([^\"\n]+)\"")
_NOT_WORD = re.compile(r"[\W_]+")
# Languages written in Cyrillic: a Latin-script quote of such a page is a translation.
_CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"})


def quotes_in(paragraph: str) -> tuple[str, ...]:
    """The quotations of at least MIN_QUOTE_WORDS words in a paragraph, in order, each once."""
    found: dict[str, None] = {}
    for match in _quotations(paragraph):
        quote = " ".join(match.group(match.lastindex or 0).split())  # the one group of the branch that matched
        if _word_count(quote) >= MIN_QUOTE_WORDS:
            found.setdefault(quote[:MAX_QUOTE_CHARS], None)
        if len(found) >= MAX_QUOTES:
            break
    return tuple(found)


_OPENERS = ("“", "«", "„", '"')


def _quotations(paragraph: str) -> Iterator[re.Match[str]]:
    """_QUOTED.finditer(paragraph): the same matches, tried only where a quotation mark opens (found by
    str.find, much faster than the pattern's own scan of the text between quotations)."""
    ahead = {mark: at for mark in _OPENERS if (at := paragraph.find(mark)) >= 0}  # each mark's next place
    while ahead:
        start = min(ahead.values())
        match = _QUOTED.match(paragraph, start)
        position = match.end() if match else start + 1
        for mark, at in list(ahead.items()):
            if at < position:
                following = paragraph.find(mark, position)
                if following < 0:
                    del ahead[mark]
                else:
                    ahead[mark] = following
        if match:
            yield match


def _word_count(quote: str) -> int:
    """len(fold(quote).split()); an ASCII quote of letters, digits and single spaces is counted by its spaces."""
    if quote.isascii() and quote.replace(" ", "").isalnum():
        return quote.count(" ") + 1
    return len(fold(quote).split())


def fold(text: str) -> str:
    """Text as compared: compatibility forms, case, ё, quote marks, dashes and punctuation folded away."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def script_of(text: str) -> str | None:
    """ "cyrillic" or "latin", whichever most letters are written in, or None without letters."""
    cyrillic = latin = 0
    for char in text[:5000]:
        if not char.isalpha():
            continue
        if "\u0400" <= char <= "\u04ff":
            cyrillic += 1
        elif char.isascii() or "\u00c0" <= char <= "\u024f":
            latin += 1
    if not cyrillic and not latin:
        return None
    return "cyrillic" if cyrillic > latin else "latin"


def check_quotes(quotes: tuple[str, ...], page: PageText | None) -> tuple[QuoteCheck, ...]:
    """Each quote against the page's text: found, not found, or None when there is no text to compare
    with or the page is in another script than the quote (a translated quote)."""
    if not quotes:
        return ()
    text = page.text if page is not None else ""
    if not text.strip():
        return tuple(QuoteCheck(quote, None) for quote in quotes)
    page_script = "cyrillic" if page is not None and page.lang in _CYRILLIC_LANGS else script_of(text)
    haystack = fold(text)
    checks = []
    for quote in quotes:
        if script_of(quote) != page_script:
            checks.append(QuoteCheck(quote, None))
            continue
        needle = fold(quote)
        found = (
            needle in haystack or fuzz.partial_ratio(needle, haystack, score_cutoff=MATCH_THRESHOLD) >= MATCH_THRESHOLD
        )
        checks.append(QuoteCheck(quote, found))
    return tuple(checks)
