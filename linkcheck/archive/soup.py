"""BeautifulSoup trees of pages for the archive's readable copies (inert_html, requisites, local_copy).

The checker's pages are lxml trees (pages.parse_html); until the archive reads those too, it parses
the bytes it keeps with BeautifulSoup itself, as every stage did before: over lxml, decoded by the
declared or sniffed charset.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag, UnicodeDammit


def parse_soup(content: bytes | str, encoding: str | None = None) -> BeautifulSoup:
    """The page as a BeautifulSoup tree; bytes are decoded by the declared or sniffed charset."""
    if not isinstance(content, bytes):
        return BeautifulSoup(content, "lxml")
    encoding = encoding if encoding and _is_codec(encoding) else None
    try:
        return BeautifulSoup(content, "lxml", from_encoding=encoding)
    except ValueError:
        # lxml refuses a charset name with control characters, as a hostile <meta charset> can declare.
        markup = UnicodeDammit(content, [encoding] if encoding else [], is_html=False).unicode_markup
        return BeautifulSoup(markup or "", "lxml")


def _is_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except (LookupError, ValueError):
        return False
    return True


def tags_named(scope: Tag, name: str) -> Iterator[Tag]:
    """Every element under `scope` called `name`, in document order: find_all(name), in one plain walk."""
    for node in scope.descendants:
        if isinstance(node, Tag) and node.name == name:
            yield node


def first_named(scope: Tag, name: str) -> Tag | None:
    """The first element under `scope` called `name`: find(name)."""
    return next(tags_named(scope, name), None)


def child_named(parent: Tag, name: str) -> Tag | None:
    """The first child element of `parent` called `name`: find(name, recursive=False)."""
    for node in parent.children:
        if isinstance(node, Tag) and node.name == name:
            return node
    return None
