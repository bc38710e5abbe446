"""The lxml tree the archive's HTML work runs on (readable copy, inert copy, requisites).

The checker's own parse is taken when it is given; otherwise the page is parsed here by the same
function (pages.parse_html), decoded as the checker decodes it. Walking lxml's elements
costs a fraction of walking bs4's, and the tree is never changed here.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from linkcheck.pages import parse_html

# Every element's `.tag` is a str; comments and processing instructions (which lxml's HTML parser
# reads as comments) have a function there. Skipped wherever elements are walked.
Element = Any  # lxml.etree._Element (lxml ships no type stubs here)


def is_tree(parsed: object) -> bool:
    """Whether `parsed` is an lxml element (the checker's parse, once the checker parses with lxml)."""
    return isinstance(parsed, etree._Element)


def page_tree(content: bytes | str, encoding: str | None = None) -> Element:
    """The page's root element (<html>), parsed as the checker parses it (pages.parse_html: bytes
    decoded by `encoding`, the declared charset, if it fits, else as BeautifulSoup would). An empty
    page gives an empty <html>."""
    return parse_html(content, encoding)


def is_element(node: Element) -> bool:
    return isinstance(node.tag, str)


def elements(root: Element) -> list[Element]:
    """Every element of the tree, `root` first, in document order (comments left out)."""
    return [node for node in root.iter() if isinstance(node.tag, str)]


def named(root: Element, name: str) -> list[Element]:
    """Every element called `name` (lower case, as lxml's HTML parser names them), in document order."""
    return list(root.iter(name))


def first_named(root: Element, name: str) -> Element | None:
    return next(root.iter(name), None)


def child_named(parent: Element, name: str) -> Element | None:
    """The first child element of `parent` called `name`."""
    return next((child for child in parent if child.tag == name), None)


def text_of(element: Element, separator: str = " ") -> str:
    """The element's text, each piece stripped and the non-empty ones joined (bs4's get_text(sep, strip=True))."""
    return separator.join(piece.strip() for piece in element.itertext() if piece.strip())
