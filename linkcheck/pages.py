"""HTML page knowledge shared by every stage: parsing, charset, title, main heading, main text.

Pure: bytes and records in, facts out. The checker, the archive and the harvester all read pages
through these functions, so "the page's main text" means one thing everywhere.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag, UnicodeDammit

from linkcheck.dates import date_from_html
from linkcheck.models import FetchResult

# Elements whose text is never the page's own content (menus, scripts, forms...).
BOILERPLATE_TAGS = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form")
MAX_PARSED_BYTES = 2_000_000  # a page's facts come from its first 2 MB
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)
_WORD = re.compile(r"\w+")
MAX_TOKENS = 5000


def parse_html(content: bytes | str, encoding: str | None = None) -> BeautifulSoup:
    """Parse with lxml (fast enough for 50 MB pages); bytes are decoded by declared or sniffed charset."""
    if not isinstance(content, bytes):
        return BeautifulSoup(content, "lxml")
    encoding = encoding if encoding and _is_codec(encoding) else None
    try:
        return BeautifulSoup(content, "lxml", from_encoding=encoding)
    except ValueError:
        # lxml refuses a charset name with control characters, as a hostile <meta charset> can declare:
        # decode without looking at the page's own declaration, then parse the text.
        markup = UnicodeDammit(content, [encoding] if encoding else [], is_html=False).unicode_markup
        return BeautifulSoup(markup or "", "lxml")


def _is_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except (LookupError, ValueError):
        return False
    return True


def charset_of(content_type: str | None) -> str | None:
    """The charset a Content-Type header declares, if any."""
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def is_html(fetch: FetchResult) -> bool:
    content_type = (fetch.header("Content-Type") or "").lower()
    if "html" in content_type:
        return True
    return not content_type and fetch.body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def parse_page(fetch: FetchResult) -> BeautifulSoup:
    """The fetched page parsed (its first MAX_PARSED_BYTES), decoded by its declared charset."""
    return parse_html(fetch.body[:MAX_PARSED_BYTES], charset_of(fetch.header("Content-Type")))


@dataclass(frozen=True)
class PageFacts:
    """What one parse of a fetched HTML page tells later stages."""

    title: str | None = None
    heading: str | None = None
    published: dt.date | None = None  # the page's own publication date (same extractor as articles)
    tokens: tuple[str, ...] = ()  # words of the main content, for the soft-404 probe


def page_facts(fetch: FetchResult) -> PageFacts:
    """Title, main heading and publication date of an HTML page, from a single parse."""
    if not is_html(fetch) or not fetch.body:
        return PageFacts()
    soup = parse_page(fetch)
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    heading_tag = soup.find("h1")
    heading = heading_tag.get_text(" ", strip=True) if heading_tag else None
    published, _ = date_from_html(soup)
    tokens = _tokens_of(soup, fetch)  # last: it takes the boilerplate out of the tree
    return PageFacts(title or None, heading or None, published, tuple(tokens))


def main_root(soup: BeautifulSoup) -> Tag | BeautifulSoup:
    """The element holding the page's main content, boilerplate removed from the tree."""
    for tag in soup.find_all(BOILERPLATE_TAGS):
        tag.decompose()
    main = soup.find("main") or soup.find(True, {"role": "main"})
    return main if isinstance(main, Tag) else soup.body or soup


def main_text_tokens(fetch: FetchResult, limit: int = MAX_TOKENS) -> list[str]:
    """The words a reader sees in the page's main content, lowercased, with the words of its own
    URL left out (a not-found page often repeats the address it was asked for)."""
    if not is_html(fetch) or not fetch.body:
        return []
    return _tokens_of(parse_page(fetch), fetch, limit)


def _tokens_of(soup: BeautifulSoup, fetch: FetchResult, limit: int = MAX_TOKENS) -> list[str]:
    text = main_root(soup).get_text(" ", strip=True)
    own = {word.lower() for word in _WORD.findall(fetch.url + " " + fetch.final_url)}
    return [word for word in _WORD.findall(text.lower()) if word not in own][:limit]
