"""HTML articles: the links of the article body with their anchor text, title and date."""

from __future__ import annotations

import bisect
import re

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
from linkcheck.html_tags import Element, Text, TextStates, first_named, get_text, tags_named
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


def _base_url(soup: Element, page_url: str | None) -> str | None:
    """Relative links resolve against <base href>, else <link rel=canonical>, else the page's URL.

    One that cannot be parsed ("http://[x/") is ignored, as browsers ignore an invalid <base>.
    """
    base = next((tag for tag in tags_named(soup, "base") if tag.get("href") is not None), None)
    if base is not None:
        href = str(base.get("href")).strip()
        resolved = resolve(page_url, href) if page_url else href
        # A relative <base> with no page URL cannot resolve anything.
        if resolved and link_scheme(resolved) and is_parseable(resolved):
            return resolved
    for link in _links(soup):
        rels = [rel.lower() for rel in (link.get("rel") or "").split()]
        if "canonical" in rels:
            href = str(link.get("href")).strip()
            if link_scheme(href) in ("http", "https"):
                canonical: str | None = href
            elif page_url:
                canonical = resolve(page_url, href)
            else:
                continue
            if canonical and is_parseable(canonical):
                return canonical
    return page_url


def _canonical_url(soup: Element, page_url: str | None) -> str | None:
    """The page's <link rel=canonical>, made absolute (it may hold the date the page's own URL lacks)."""
    for link in _links(soup):
        if "canonical" in [rel.lower() for rel in (link.get("rel") or "").split()]:
            href = str(link.get("href")).strip()
            return resolve(page_url, href) if page_url else href
    return None


def _links(soup: Element) -> list[Element]:
    """The page's <link href> elements."""
    return [link for link in tags_named(soup, "link") if link.get("href") is not None]


def _title(soup: Element) -> str | None:
    for key, value in (("property", "og:title"), ("name", "twitter:title")):
        meta = next((tag for tag in tags_named(soup, "meta") if tag.get(key) == value), None)
        if meta is not None and meta.get("content"):
            return collapse(str(meta.get("content")), 300)
    for name in ("h1", "title"):
        element = first_named(soup, name)
        if element is not None and get_text(element, strip=True):
            return collapse(get_text(element, " "), 300)
    return None


# How much reading of the source the search for links' line numbers may do.
_SEARCH_PASSES = 16
_SEARCH_EXTRA_CHARS = 16_000_000


def _citations(body: ArticleBody, raw: str, base_url: str | None) -> list[Citation]:
    """The body's links and bare URLs in document order, one more than MAX_CITATIONS at most."""
    citations: list[Citation] = []
    source = _SourceLines(raw)
    paragraphs = _Paragraphs(body.top, body.text_states)
    for element in body.parts():
        if len(citations) > MAX_CITATIONS:
            break
        if not isinstance(element, Text):
            href = str(element.get("href", "")).strip()
            if not href or href.startswith("#") or link_scheme(href) in IGNORED_SCHEMES:
                continue
            line = source.line_of(href)
            text = body.link_text(element) or str(element.get("title", "")) or _image_alt(element)
            paragraph = paragraphs.of(element)
            citations.append(
                make_citation(href, collapse(text), line=line, base_url=base_url, anchor=True, paragraph=paragraph)
            )
        else:
            text = element.text
            for found in find_urls(text, limit=MAX_CITATIONS + 1 - len(citations)):
                line = source.line_of(found.url)
                context = context_around(text, found.start, found.end)
                paragraph = paragraphs.of(element)
                citations.append(make_citation(found.url, context, line=line, base_url=base_url, paragraph=paragraph))
    return citations


_PARAGRAPHS = frozenset({"p", "li", "blockquote", "dd", "td", "th", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6"})
_PARAGRAPH_CHARS = 10_000


class _Paragraphs:
    """The text of the paragraph (p, li, blockquote...) a link or text stands in, each read once; for
    a footnote (a paragraph in an element with an id that links point to, `#fn1`), also the text of
    the paragraphs that point to it, as a quotation there is attributed to the footnote's source."""

    def __init__(self, body: Element, states: TextStates) -> None:
        self.body = body
        self._states = states
        self._seen: dict[Element, str] = {}  # keyed by the element: lxml's proxies live while a key holds them
        self._pointing: dict[str, list[Element]] | None = None

    def of(self, element: Element | Text) -> str:
        block = _block_of(element)
        if block is None:
            return ""
        key = block
        if key not in self._seen:
            text = get_text(block, " ", state_of=self._states)[:_PARAGRAPH_CHARS]
            holder: Element | None = block
            for _ in range(3):  # the paragraph, its list item, the list item's parent
                if holder is None:
                    break
                anchor = str(holder.get("id") or "")
                pointing = self._links_to(anchor) if anchor else []
                if pointing:
                    blocks = [b for link in pointing[:5] if (b := _block_of(link)) is not None and b is not block]
                    text += "".join("\n\n" + get_text(b, " ", state_of=self._states)[:_PARAGRAPH_CHARS] for b in blocks)
                    break
                holder = holder.getparent()
            self._seen[key] = text
        return self._seen[key]

    def _links_to(self, anchor: str) -> list[Element]:
        if self._pointing is None:
            self._pointing = {}
            for link in tags_named(self.body, "a"):
                if link.get("href") is None:
                    continue
                href = str(link.get("href", ""))
                if href.startswith("#") and len(href) > 1:
                    self._pointing.setdefault(href[1:], []).append(link)
        return self._pointing.get(anchor, [])


def _block_of(element: Element | Text) -> Element | None:
    parent = element.parent if isinstance(element, Text) else element.getparent()
    while parent is not None and parent.tag not in _PARAGRAPHS:
        parent = parent.getparent()
    return parent


# Looking for a link at each "&" of the source instead of reading it: worth it for windows this long,
# when they hold fewer than one "&" per this many characters.
_INDEX_WORTH = 20_000
_CHARS_PER_PLACE = 64
_AMPERSAND = re.compile("&")


def _image_alt(element: Element) -> str:
    image = next((tag for tag in tags_named(element, "img") if tag.get("alt") is not None), None)
    return str(image.get("alt")) if image is not None else ""


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
        self._ampersands: list[int] | None = None

    def line_of(self, written: str) -> int | None:
        """The line where `written` (or its &amp; form) next appears; the same href twice is two lines."""
        for attempt, form in enumerate((written, written.replace("&", "&amp;"))):
            end = min(len(self._raw), self._cursor + self._budget)
            # Without an "&" the second form is the first, looked for again in a window no longer: a miss.
            position = -1 if attempt and form == written else self._find(form, end)
            self._budget -= (position if position >= 0 else end) - self._cursor
            if position >= 0:
                self._cursor = position + 1
                return line_of(self._line_starts, position)
        return None

    def _find(self, form: str, end: int) -> int:
        """raw.find(form, cursor, end). A form holding "&" (a link written with &amp; in the source is
        not found as written) is looked for only where the source has an "&" at the right place, when
        that is fewer places than reading the window: a miss then costs no pass over the page."""
        raw, cursor = self._raw, self._cursor
        ampersand = form.find("&")
        if ampersand < 0 or end - cursor < _INDEX_WORTH:
            return raw.find(form, cursor, end)
        if self._ampersands is None:
            self._ampersands = [match.start() for match in _AMPERSAND.finditer(raw)]
        places = self._ampersands
        first = bisect.bisect_left(places, cursor + ampersand)
        last = bisect.bisect_right(places, end - len(form) + ampersand)
        if (last - first) * _CHARS_PER_PLACE > end - cursor:
            return raw.find(form, cursor, end)
        for index in range(first, last):
            start = places[index] - ampersand
            if raw.startswith(form, start):
                return start
        return -1
