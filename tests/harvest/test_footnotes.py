"""Numbered notes in text and PDF articles: a quotation in a paragraph that refers to a note belongs
to the note's source."""

from __future__ import annotations

import collections
import random
import re

from linkcheck.harvest.footnotes import _SUPERSCRIPTS, MAX_REFERENCES, _marks, note_paragraphs
from linkcheck.harvest.pdf import harvest_pdf
from linkcheck.harvest.text import harvest_text
from tests.pdf_builder import Page, build_pdf

QUOTE = "We will hold the exercises near the border until the end of the month"
OTHER = "The drills are an ordinary part of the training year for the district"


def quotes_by_url(text: str) -> dict[str, tuple[str, ...]]:
    return {c.url: c.quotes for c in harvest_text(text, "a.txt").citations}


def test_bracketed_marks_refer_to_bracketed_notes() -> None:
    text = (
        f"Drills\n\nThe minister said \u201c{QUOTE}\u201d [1]. The troops arrived on Monday.\n\n"
        f"A spokesman added \u201c{OTHER}\u201d [2].\n\nAn unrelated paragraph.\n\n"
        "Sources\n[1] Ministry of Defence, https://mil.example/news/1\n[2] https://tass.example/2\n"
    )
    assert quotes_by_url(text) == {"https://mil.example/news/1": (QUOTE,), "https://tass.example/2": (OTHER,)}


def test_superscript_and_parenthesised_marks_with_numbered_and_bare_notes() -> None:
    text = (
        f"The minister said \u201c{QUOTE}\u201d\u00b3 and left.\n\n"
        f"Then \u00ab{OTHER}\u00bb (4), the spokesman said.\n\n"
        "Примечания\n3. Минобороны, https://mil.example/3\n4 https://tass.example/4\n"
    )
    assert quotes_by_url(text) == {"https://mil.example/3": (QUOTE,), "https://tass.example/4": (OTHER,)}


def test_a_note_wrapped_before_its_url_and_a_mark_with_no_note() -> None:
    text = (
        f"The minister said \u201c{QUOTE}\u201d [5].\n\nHe was not alone \u201c{OTHER}\u201d [9].\n\n"
        "Notes\n[5] Ministry of Defence, statement on the drills in Tajikistan,\n"
        "    https://mil.example/5\n[6] https://other.example/6\n"
    )
    assert quotes_by_url(text) == {"https://mil.example/5": (QUOTE,), "https://other.example/6": ()}


def test_a_number_that_is_not_a_mark_ties_nothing() -> None:
    text = (
        f"\u201c{QUOTE}\u201d, he said in 2021 and (1) it rained.\n\n"
        "1. https://mil.example/1\n2. https://tass.example/2\n"
    )
    assert quotes_by_url(text) == {"https://mil.example/1": (), "https://tass.example/2": ()}


def test_notes_numbered_again_on_each_page_are_told_apart() -> None:
    text = (
        f"Page one says \u201c{QUOTE}\u201d [1].\n[1] https://first.example/1\n"
        f"Page two says \u201c{OTHER}\u201d [1].\n[1] https://second.example/1\n"
    )
    paragraphs = note_paragraphs(text, [text.index("https://first"), text.index("https://second")])
    assert paragraphs[0][0] == "[1] https://first.example/1" and QUOTE in paragraphs[0][1]
    assert OTHER in paragraphs[1][1] and QUOTE not in paragraphs[1][1]
    assert quotes_by_url(text)["https://second.example/1"] == (OTHER,)


def test_a_pdf_article_with_notes_at_the_end() -> None:
    pdf = build_pdf(
        [
            Page([f"The minister said \u201c{QUOTE}\u201d [1].", "", f"Another said \u201c{OTHER}\u201d\u00b2."]),
            Page(["References", "[1] Ministry of Defence, https://mil.example/1", "2. https://tass.example/2"]),
        ]
    )
    citations = {c.url: c for c in harvest_pdf(pdf, "a.pdf").citations}
    assert citations["https://mil.example/1"].quotes == (QUOTE,)
    assert citations["https://tass.example/2"].quotes == (OTHER,)
    assert citations["https://tass.example/2"].page == 2


def test_marks_are_read_once_and_the_stretches_kept_per_note_are_bounded() -> None:
    notes = "".join(f"[{n}] https://site{n}.example/{n}\n" for n in range(1, 200))
    prose = "".join(f"Paragraph {n} says \u201c{QUOTE}\u201d [{n % 199 + 1}].\n\n" for n in range(5000))
    paragraphs = note_paragraphs(prose + notes, [len(prose) + notes.index(f"https://site{n}.") for n in range(1, 200)])
    assert len(paragraphs) == 199
    assert all(len(found) == 1 + MAX_REFERENCES for found in paragraphs.values())
    assert all(QUOTE in stretch for found in paragraphs.values() for stretch in found[1:])


# The forms of a mark as first written, one alternative each (each tried at every position): _MARK
# reads the same marks starting from the character before some of them, which makes its search fast.
_PLAIN_MARK = re.compile(
    r"""\[(\d{1,3})\]
        |(?<=[”»"’.,;:!?])[ \t]?\((\d{1,3})\)
        |(?<=[”»’])(\d{1,3})(?![\w])
        |([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})""",
    re.X,
)


def test_marks_are_the_ones_the_plain_forms_find() -> None:
    rng = random.Random(14)
    pieces = [*'[]() \t\n12”»“"’.,;:!?a_é', "07", "123", "4567", "word", "³", "¹²", "[12]", "(3)", " (45)", "[0123]"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(20_000)]
    forms: collections.Counter[int] = collections.Counter()
    for text in texts:
        expected = [match for match in _PLAIN_MARK.finditer(text)]
        plain = [
            (m.start(), m.end(), next(g for g in m.groups() if g).translate(_SUPERSCRIPTS).lstrip("0"))
            for m in expected
        ]
        assert list(_marks(text)) == plain, text
        forms.update(match.lastindex for match in expected)
    assert min(forms[form] for form in (1, 2, 3, 4)) > 500  # every form is exercised, not only no mark
