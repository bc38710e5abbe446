"""The lxml tree the archive's HTML work runs on (readable copy, inert copy, requisites).

The checker's own parse is taken when it is given; otherwise the page is parsed here by the same
function (pages.parse_html), decoded as the checker decodes it. Walking lxml's elements
costs a fraction of walking bs4's, and the tree is never changed here.
"""

from __future__ import annotations

from lxml import etree

from linkcheck.html_tags import Element, child_named, first_named
from linkcheck.pages import parse_html

__all__ = ["Element", "child_named", "first_named", "is_tree", "page_tree", "text_of"]


def is_tree(parsed: object) -> bool:
    """Whether `parsed` is an lxml element (the checker's parse, once the checker parses with lxml)."""
    return isinstance(parsed, etree._Element)


def page_tree(content: bytes | str, encoding: str | None = None) -> Element:
    """The page's root element (<html>), parsed as the checker parses it (pages.parse_html: bytes
    decoded by `encoding`, the declared charset, if it fits, else as BeautifulSoup would). An empty
    page gives an empty <html>."""
    return parse_html(content, encoding)


def text_of(element: Element, separator: str = " ") -> str:
    """The element's text, each piece stripped and the non-empty ones joined (bs4's get_text(sep, strip=True))."""
    return separator.join(piece.strip() for piece in element.itertext() if piece.strip())
