"""HTML articles: the links of the article body with their anchor text, title and date."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from linkcheck.article_body import ArticleBody
from linkcheck.harvest.common import (
    IGNORED_SCHEMES,
    MAX_CITATIONS,
    cap_citations,
    collapse,
    is_parseable,
    line_of,
    line_starts_of,
    link_scheme,
    make_citation,
    resolve,
)
from linkcheck.harvest.text import context_around, find_urls
from linkcheck.models import Article, Citation
from linkcheck.pages import page_date, parse_html


def harvest_html(
    content: bytes | str,
    source: str,
    page_url: str | None = None,
    encoding: str | None = None,
) -> Article:
    """An article from HTML: body links (not navigation or comments), title, publication date."""
    soup = parse_html(content, encoding)
    raw = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    base_url = _base_url(soup, page_url)
    title = _title(soup)
    body = ArticleBody(soup, base_url)
    raw_bytes = content if isinstance(content, bytes) else content.encode("utf-8")
    found = page_date(soup, page_url, body, canonical_url=_canonical_url(soup, page_url), content=raw_bytes)
    published, published_from = (found.date, found.source) if found else (None, None)
    citations, cut_reason = cap_citations(_citations(body, raw, base_url))
    return Article(
        source=source,
        title=title,
        published=published,
        published_from=published_from,
        citations=citations,
        url=page_url,
        cut_reason=cut_reason,
    )


def _base_url(soup: BeautifulSoup, page_url: str | None) -> str | None:
    """Relative links resolve against <base href>, else <link rel=canonical>, else the page's URL.

    One that cannot be parsed ("http://[x/") is ignored, as browsers ignore an invalid <base>.
    """
    base = soup.find("base", href=True)
    if isinstance(base, Tag):
        href = str(base["href"]).strip()
        resolved = resolve(page_url, href) if page_url else href
        # A relative <base> with no page URL cannot resolve anything.
        if resolved and link_scheme(resolved) and is_parseable(resolved):
            return resolved
    for link in soup.find_all("link", href=True):
        rels = [str(rel).lower() for rel in link.get_attribute_list("rel") if rel]
        if "canonical" in rels:
            href = str(link["href"]).strip()
            if link_scheme(href) in ("http", "https"):
                canonical: str | None = href
            elif page_url:
                canonical = resolve(page_url, href)
            else:
                continue
            if canonical and is_parseable(canonical):
                return canonical
    return page_url


def _canonical_url(soup: BeautifulSoup, page_url: str | None) -> str | None:
    """The page's <link rel=canonical>, made absolute (it may hold the date the page's own URL lacks)."""
    for link in soup.find_all("link", href=True):
        if "canonical" in [str(rel).lower() for rel in link.get_attribute_list("rel") if rel]:
            href = str(link["href"]).strip()
            return resolve(page_url, href) if page_url else href
    return None


def _title(soup: BeautifulSoup) -> str | None:
    for key, value in (("property", "og:title"), ("name", "twitter:title")):
        meta = soup.find("meta", attrs={key: value})
        if isinstance(meta, Tag) and meta.get("content"):
            return collapse(str(meta["content"]), 300)
    heading = soup.find("h1")
    if isinstance(heading, Tag) and heading.get_text(strip=True):
        return collapse(heading.get_text(" "), 300)
    if soup.title and soup.title.get_text(strip=True):
        return collapse(soup.title.get_text(" "), 300)
    return None


# How much reading of the source the search for links' line numbers may do.
_SEARCH_PASSES = 16
_SEARCH_EXTRA_CHARS = 16_000_000


def _citations(body: ArticleBody, raw: str, base_url: str | None) -> list[Citation]:
    """The body's links and bare URLs in document order, one more than MAX_CITATIONS at most."""
    citations: list[Citation] = []
    source = _SourceLines(raw)
    for element in body.parts():
        if len(citations) > MAX_CITATIONS:
            break
        if isinstance(element, Tag):
            href = str(element.get("href", "")).strip()
            if not href or href.startswith("#") or link_scheme(href) in IGNORED_SCHEMES:
                continue
            line = source.line_of(href)
            text = element.get_text(" ", strip=True) or str(element.get("title", "")) or _image_alt(element)
            citations.append(make_citation(href, collapse(text), line=line, base_url=base_url, anchor=True))
        else:
            text = str(element)
            for found in find_urls(text, limit=MAX_CITATIONS + 1 - len(citations)):
                line = source.line_of(found.url)
                context = context_around(text, found.start, found.end)
                citations.append(make_citation(found.url, context, line=line, base_url=base_url))
    return citations


# How much reading of the source the search for links' line numbers may do.
_SEARCH_PASSES = 16
_SEARCH_EXTRA_CHARS = 16_000_000


def _image_alt(element: Tag) -> str:
    image = element.find("img", alt=True)
    return str(image["alt"]) if isinstance(image, Tag) else ""


class _SourceLines:
    """Line numbers of links in the HTML source (lxml gives none), each looked for after the last.

    A link written otherwise in the source (other entities, a URL wrapped over lines) is not found,
    and each miss reads the rest of the source: the reading is budgeted, so thousands of misses cost
    a few passes over the page, after which the remaining links get no line number.
    """

    def __init__(self, raw: str) -> None:
        self._raw = raw
        self._line_starts = line_starts_of(raw)
        self._cursor = 0
        self._budget = _SEARCH_PASSES * len(raw) + _SEARCH_EXTRA_CHARS

    def line_of(self, written: str) -> int | None:
        """The line where `written` (or its &amp; form) next appears; the same href twice is two lines."""
        for form in (written, written.replace("&", "&amp;")):
            end = min(len(self._raw), self._cursor + self._budget)
            position = self._raw.find(form, self._cursor, end)
            self._budget -= (position if position >= 0 else end) - self._cursor
            if position >= 0:
                self._cursor = position + 1
                return line_of(self._line_starts, position)
        return None
