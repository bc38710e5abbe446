"""Numbered notes in plain text (and PDF text): which stretches of text refer to the note holding a URL.

A text article may cite its sources in numbered notes at the end (or at the foot of each PDF page):
`[3] Ministry of Defence, https://…`, `3. https://…`, `3 https://…`, `³ https://…`, under a heading
such as "Notes", "References", "Sources", "Источники" or "Примечания". A paragraph refers to a note
by a mark after what it quotes: `…” [3]`, `…”³`, `…” (3)`, or `…”3` when PDF extraction flattened
the superscript; the mark closes the stretch of its paragraph since the previous mark. Each mark
points to the first note with its number after it, so notes numbered again on every page are told
apart. The text is read once for marks, and each URL's own line (and the one before it) once for
its note number: linear in the text's size.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPER = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# A note's number at the start of its line, before its text or URL.
_NOTE_NUMBER = re.compile(
    rf"[ \t]*(?:\[(\d{{1,3}})\]|\((\d{{1,3}})\)|(\d{{1,3}})[.):]?|([{_SUPER}]{{1,3}}))(?:[ \t]|$)"
)
# A reference to a note in running text (see the module's docstring for the forms). Every form is
# written to begin with one character of a small set (`[`, the quote or punctuation a mark follows, a
# superscript digit), so the search jumps from one such character to the next instead of trying each
# form at every position of the text; _marks gives each mark's own span and number.
_MARK = re.compile(
    rf"""[\[”»"’.,;:!?{_SUPER}]
        (?:(?<=\[)(\d{{1,3}})\]
        |(?<=[”»"’.,;:!?])[ \t]?\((\d{{1,3}})\)
        |(?<=[”»’])(\d{{1,3}})(?![\w])
        |(?<=[{_SUPER}])[{_SUPER}]{{0,2}})""",
    re.X,
)
# How much of a line before a URL may be the note's text ("Ministry of Defence, statement of 5 August").
_NOTE_TEXT = 300
# How far before a mark its paragraph is read (PDF text often has no blank lines).
_STRETCH = 2000
MAX_MARKS = 10_000
MAX_REFERENCES = 20  # stretches kept per note: quotes_in keeps at most MAX_QUOTES anyway


def note_paragraphs(text: str, starts: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """For each URL (by its index in `starts`, the URLs' offsets in `text`) that stands in a numbered
    note, the note's own line and the stretches of text whose marks refer to the note, in order (what
    its quotations are read from); URLs in no note are left out."""
    notes: dict[str, list[int]] = {}  # number -> offsets of the notes' lines, in order
    urls_of_note: dict[int, list[int]] = {}  # a note's line offset -> indexes of its URLs
    for index, start in enumerate(starts):
        found = _note_of(text, start)
        if found is None:
            continue
        number, line_start = found
        if line_start not in urls_of_note:
            urls_of_note[line_start] = []
            notes.setdefault(number, []).append(line_start)
        urls_of_note[line_start].append(index)
    if not notes:
        return {}
    for numbered in notes.values():
        numbered.sort()
    referring: dict[int, list[str]] = {}
    for line_start, indexes in urls_of_note.items():
        line_end = text.find("\n", starts[indexes[-1]], starts[indexes[-1]] + _STRETCH)
        own = text[line_start : starts[indexes[-1]] + _STRETCH if line_end < 0 else line_end]
        for index in indexes:
            referring[index] = [own]
    previous_end = 0
    for count, (start, end, number) in enumerate(_marks(text)):
        if count >= MAX_MARKS:
            break
        since, previous_end = previous_end, end
        offsets = notes.get(number)
        if not offsets or _starts_line(text, start):
            continue  # no such note, or the mark is a note's own number
        after = bisect.bisect_right(offsets, start)
        if after == len(offsets):
            continue  # a mark after every note of its number refers to none of them
        stretch = _stretch_before(text, start, since)
        for index in urls_of_note[offsets[after]]:
            kept = referring[index]
            if len(kept) <= MAX_REFERENCES and stretch not in kept:
                kept.append(stretch)
    return {index: tuple(paragraphs) for index, paragraphs in referring.items()}


def _marks(text: str) -> Iterator[tuple[int, int, str]]:
    """Each mark referring to a note, in order: (start, end, note number without leading zeros).

    A mark written after a quote or punctuation starts after that character, which _MARK reads
    (where the forms before it only looked at it)."""
    for match in _MARK.finditer(text):
        start, end = match.span()
        if match.group(1) is not None:
            number = match.group(1)
        elif (number := match.group(2) or match.group(3)) is not None:
            start += 1
        else:
            number = text[start:end]
        yield start, end, number.translate(_SUPERSCRIPTS).lstrip("0")


def _stretch_before(text: str, offset: int, since: int) -> str:
    """What a mark at `offset` closes: its paragraph up to the mark, from the previous mark on (two
    quotes of one paragraph, each with its own mark, belong to two notes), at most _STRETCH characters."""
    low = max(since, offset - _STRETCH)
    start = text.rfind("\n\n", low, offset)
    return text[low if start < 0 else start + 2 : offset]


def _note_of(text: str, start: int) -> tuple[str, int] | None:
    """(note number, offset of the note's line) when the URL at `start` is in a numbered note: on a
    line that starts with the number, or on the line after it (a note wrapped before its URL)."""
    line_start = text.rfind("\n", max(0, start - _NOTE_TEXT), start) + 1
    if line_start == 0 and start > _NOTE_TEXT:
        return None  # a long line of prose, not a note
    match = _NOTE_NUMBER.match(text, line_start, start)
    if match is None and line_start > 0 and not text[line_start:start].strip():
        previous = text.rfind("\n", max(0, line_start - 1 - _NOTE_TEXT), line_start - 1) + 1
        head = text[previous : line_start - 1]
        if (previous > 0 or line_start - 1 <= _NOTE_TEXT) and "://" not in head:
            match = _NOTE_NUMBER.match(text, previous, line_start - 1)
            line_start = previous
    if match is None:
        return None
    number = next(group for group in match.groups() if group is not None)
    return number.translate(_SUPERSCRIPTS).lstrip("0"), line_start


def _starts_line(text: str, offset: int) -> bool:
    """Whether only spaces stand between the start of its line and `offset` (a note's own number)."""
    before = offset
    while before > 0 and offset - before < 20 and text[before - 1] in " \t":
        before -= 1
    return before == 0 or text[before - 1] == "\n"
