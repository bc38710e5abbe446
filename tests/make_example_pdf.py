"""Writes examples/drills-2021.pdf: the article of examples/drills-2021.txt, its URLs also as link annotations.

Run from the repository root: python -m tests.make_example_pdf
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.pdf_builder import Page, build_pdf

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TITLE = "Joint Exercises in Central Asia: What the Russian and Chinese Drills Tell Us About Regional Security"
CREATED = "D:20210810093000+03'00'"
CITED = (
    "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews",
    "https://www.kommersant.ru/doc/4936744?from=four_mir",
    "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-amid-taliban-offensive",
)


def example_pdf(text: str) -> bytes:
    """The article text as one page, line for line, with the cited URLs as link annotations."""
    lines = text.rstrip("\n").split("\n")
    assert all(re.sub(r"\s", "", url) in re.sub(r"\s", "", text) for url in CITED)
    return build_pdf([Page(lines, links=CITED)], title=TITLE, created=CREATED)


def main() -> None:
    text = (EXAMPLES / "drills-2021.txt").read_text(encoding="utf-8")
    (EXAMPLES / "drills-2021.pdf").write_bytes(example_pdf(text))


if __name__ == "__main__":
    main()
