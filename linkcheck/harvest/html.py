"""HTML articles: the links of the article body with their anchor text, title and date."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from linkcheck.dates import date_from_html, date_from_text
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
    url_date_fallback,
)
from linkcheck.harvest.text import context_around, find_urls
from linkcheck.models import Article, Citation
from linkcheck.pages import parse_html

# Parts of a page that are never the article's citations.
_BOILERPLATE_TAGS = (
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
)
_BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
_BOILERPLATE_WORDS = re.compile(
    r"(?:^|[\s_-])(nav|navbar|navigation|menu|header|footer|sidebar|side-bar|share|sharing|social|"
    r"comments?|comment-list|disqus|breadcrumbs?|cookie|banner|advert|ads|promo|newsletter|subscribe|"
    r"site-header|site-footer|masthead|toolbar|pagination|tags|related-posts|widgets?)(?:$|[\s_-])",
    re.I,
)
# Layout state classes ("has-sidebar", "no-comments", "with-share") wrap the article, not boilerplate.
_STATE_CLASS = re.compile(r"^(?:has|no|with|without|is)[-_]", re.I)


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
    published, published_from = date_from_html(soup)
    title = _title(soup)
    body = _article_body(soup)
    if published is None:
        published = date_from_text(_date_text(body, whole_page=body is soup.body or body is soup))
        published_from = "text" if published else None
    if published is None and page_url:
        published, published_from = url_date_fallback(page_url)
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


def _is_boilerplate(tag: Tag) -> bool:
    if tag.name in _BOILERPLATE_TAGS:
        return True
    if str(tag.get("role", "")).lower() in _BOILERPLATE_ROLES:
        return True
    words = " ".join(token for token in _class_and_id(tag) if not _STATE_CLASS.match(token))
    return bool(words.strip()) and bool(_BOILERPLATE_WORDS.search(words))


def _class_and_id(tag: Tag) -> list[str]:
    tokens = [str(token) for token in tag.get_attribute_list("class") if token]
    tokens.append(str(tag.get("id", "")))
    return tokens


def _article_body(soup: BeautifulSoup) -> Tag:
    """The element holding the article: <article>, articleBody, <main>, else <body>."""
    for candidate_query in (
        {"itemprop": "articleBody"},
        {"name": "article"},
        {"name": "main"},
        {"attrs": {"role": "main"}},
    ):
        found: list[object] = list(soup.find_all(**candidate_query))  # type: ignore[arg-type]
        tags = [tag for tag in found if isinstance(tag, Tag)]
        if tags:
            # A nested candidate never holds more text than the one around it, which comes first:
            # measuring only the outermost reads each part of the page once (nested, it was quadratic).
            return max(_outermost(tags), key=lambda tag: len(tag.get_text()))
    body = soup.body
    return body if isinstance(body, Tag) else soup


def _outermost(tags: list[Tag]) -> list[Tag]:
    """The tags not inside another of them; each ancestor is visited once however deep the nesting."""
    chosen = {id(tag) for tag in tags}
    covered: dict[int, bool] = {}  # element id -> whether one of its ancestors is among the tags
    outermost = []
    for tag in tags:
        path = []
        parent = tag.parent
        inside = False
        while parent is not None:
            if id(parent) in chosen:
                inside = True
                break
            if id(parent) in covered:
                inside = covered[id(parent)]
                break
            path.append(id(parent))
            parent = parent.parent
        covered.update(dict.fromkeys(path, inside))
        if not inside:
            outermost.append(tag)
    return outermost


def _citations(body: Tag, raw: str, base_url: str | None) -> list[Citation]:
    """The body's links and bare URLs in document order, one more than MAX_CITATIONS at most."""
    citations: list[Citation] = []
    source = _SourceLines(raw)
    paragraphs = _Paragraphs(body)
    for element in _walk(body):
        if len(citations) > MAX_CITATIONS:
            break
        if isinstance(element, Tag):
            href = str(element.get("href", "")).strip()
            if not href or href.startswith("#") or link_scheme(href) in IGNORED_SCHEMES:
                continue
            line = source.line_of(href)
            text = element.get_text(" ", strip=True) or str(element.get("title", "")) or _image_alt(element)
            paragraph = paragraphs.of(element)
            citations.append(
                make_citation(href, collapse(text), line=line, base_url=base_url, anchor=True, paragraph=paragraph)
            )
        else:
            text = str(element)
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

    def __init__(self, body: Tag) -> None:
        self.body = body
        self._seen: dict[int, str] = {}
        self._pointing: dict[str, list[Tag]] | None = None

    def of(self, element: Tag | NavigableString) -> str:
        block = _block_of(element)
        if block is None:
            return ""
        key = id(block)
        if key not in self._seen:
            text = block.get_text(" ")[:_PARAGRAPH_CHARS]
            holder: Tag | None = block
            for _ in range(3):  # the paragraph, its list item, the list item's parent
                if holder is None:
                    break
                anchor = str(holder.get("id") or "")
                pointing = self._links_to(anchor) if anchor else []
                if pointing:
                    blocks = [b for link in pointing[:5] if (b := _block_of(link)) is not None and b is not block]
                    text += "".join("\n\n" + b.get_text(" ")[:_PARAGRAPH_CHARS] for b in blocks)
                    break
                holder = holder.parent
            self._seen[key] = text
        return self._seen[key]

    def _links_to(self, anchor: str) -> list[Tag]:
        if self._pointing is None:
            self._pointing = {}
            for link in self.body.find_all("a", href=True):
                href = str(link.get("href", ""))
                if href.startswith("#") and len(href) > 1:
                    self._pointing.setdefault(href[1:], []).append(link)
        return self._pointing.get(anchor, [])


def _block_of(element: Tag | NavigableString) -> Tag | None:
    parent = element.parent
    while parent is not None and parent.name not in _PARAGRAPHS:
        parent = parent.parent
    return parent


def _walk(node: Tag) -> list[Tag | NavigableString]:
    """Links and loose text of the body in document order, skipping boilerplate subtrees."""
    out: list[Tag | NavigableString] = []
    stack: list[Tag | NavigableString] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Tag):
            if current is not node and _is_boilerplate(current):
                continue
            if current.name == "a" and current.has_attr("href"):
                out.append(current)
                continue
            stack.extend(reversed([child for child in current.children if isinstance(child, Tag | NavigableString)]))
        elif type(current) is NavigableString and ("http" in current or "www." in current):
            out.append(current)
    return out


# How much reading of the source the search for links' line numbers may do.
_SEARCH_PASSES = 16
_SEARCH_EXTRA_CHARS = 16_000_000
# In the article's own container, a header or footer holds its byline ("entry-header", "doc_header").
_ARTICLE_PART_WORDS = re.compile(r"(?:^|[\s_-])(header|footer)(?:$|[\s_-])", re.I)
_DATE_TEXT_CHARS = 5000


def _date_text(body: Tag, whole_page: bool) -> str:
    """The body's text, one line per text node, for the date-line fallback, without the page's furniture.

    Menus, site headers and banners are skipped: that is where "Сегодня: 18.01.2024", a cache
    banner's crawl time and 60-item menus live. When `body` is the article's own container (not the
    whole <body>), its header and footer are kept, because they hold the byline.
    """
    parts: list[str] = []
    size = 0
    stack: list[Tag | NavigableString] = [body]
    while stack and size < _DATE_TEXT_CHARS:
        current = stack.pop()
        if isinstance(current, Tag):
            if current is not body and _is_boilerplate(current) and (whole_page or not _is_article_part(current)):
                continue
            stack.extend(reversed([child for child in current.children if isinstance(child, Tag | NavigableString)]))
        elif type(current) is NavigableString and (text := current.strip()):
            parts.append(text)
            size += len(text) + 1
    return "\n".join(parts)[:_DATE_TEXT_CHARS]


def _is_article_part(tag: Tag) -> bool:
    return tag.name in ("header", "footer") or bool(_ARTICLE_PART_WORDS.search(" ".join(_class_and_id(tag))))


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
