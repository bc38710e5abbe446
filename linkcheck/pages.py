"""HTML page knowledge shared by every stage: parsing, charset, title, main heading, main text.

Pure: bytes and records in, facts out. The checker, the archive and the harvester all read pages
through these functions, so "the page's main text" means one thing everywhere.
"""

from __future__ import annotations

import codecs
import datetime as dt
import itertools
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction

from linkcheck.article_body import ArticleBody
from linkcheck.dates import (
    Found,
    Stamp,
    cued_elsewhere,
    date_by_htmldate,
    date_from_lines,
    date_from_markup,
    date_from_scripts,
    dates_in,
    day_first,
    offset_of,
    update_dates,
)
from linkcheck.html_tags import (
    Element,
    blank,
    class_tokens,
    enter,
    first_named,
    get_text,
    string_state,
    tags_named,
)
from linkcheck.models import FetchResult, PageText
from linkcheck.urls import dates_in_url

# Elements whose text is never what the page says (menus, scripts...). Not <form>: ASP.NET pages wrap
# their whole content in one.
BOILERPLATE_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside"})
# Boxes whose content rotates while the article stays the same ("most read", "related", "trending"),
# named by a class or id token; state classes such as "has-sidebar" describe their element, not a box.
_ROTATING_BOX = re.compile(
    r"^(?:most-?read|most-?popular|popular|trending|related(?:-\w+)?|recommended|read-?next|more-stories|"
    r"sidebar|widget-area|newsletter|share|sharing|social|comments?)$",
    re.I,
)
_STATE_CLASS = re.compile(r"^(?:has|no|with|without|is)[-_]", re.I)
DEFAULT_TEXT_CHARS = 200_000
# Elements that start a new line of main text.
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)

MAX_PARSED_BYTES = 2_000_000  # a page's facts come from its first 2 MB
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)
_WORD = re.compile(r"\w+")
MAX_TOKENS = 5000
# Main text kept with a check result for the rules that read it (a quote is compared with it): enough
# for a long article, while a run of thousands of URLs holds them all until the reports are written.
KEPT_TEXT_CHARS = 60_000


def parse_html(content: bytes | str, encoding: str | None = None) -> Element:
    """The page's tree (lxml, fast enough for 50 MB pages): its root element, <html>.

    Bytes are decoded by the charset the caller gives (a Content-Type header's), else a byte-order
    mark, else the page's own <meta charset> (or XML declaration), else the charset detection of
    charset_normalizer, else UTF-8, else windows-1252: the first one lxml can read the page in.
    """
    return parse_html_in(content, encoding)[0]


def parse_html_in(content: bytes | str, encoding: str | None = None) -> tuple[Element, str | None]:
    """parse_html's tree and the charset the bytes were read in (None for text given as str)."""
    if not isinstance(content, bytes):
        text = content[1:] if content[:1] == "\N{BYTE ORDER MARK}" else content
        return _parse_first(((text, None), (content.encode("utf8"), "utf8")))
    encoding = encoding if encoding and _is_codec(encoding) else None
    markup, sniffed = _strip_bom(content)
    try:
        return _parse_first((markup, name) for name in _charsets(markup, encoding, sniffed))
    except ValueError:
        # lxml refuses a charset name with control characters, as a hostile <meta charset> can declare:
        # decode without looking at the page's own declaration, then parse the text.
        return parse_html_in(_decoded(markup, encoding, sniffed))


# Every element an HtmlElement, chosen in C: lxml.html's own parser picks a class per tag name (forms,
# inputs) in Python for every element Python touches, which was a fifth of the page facts' time.
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
)


def _html_parser(charset: str | None) -> etree.HTMLParser:
    parser = etree.HTMLParser(recover=True, encoding=charset)
    parser.set_element_class_lookup(_HTML_CLASSES)
    return parser


def _parse_first(attempts: Iterable[tuple[bytes | str, str | None]]) -> tuple[Element, str | None]:
    """The tree of the first (markup, charset) lxml reads without rejecting the charset; `attempts` is
    consumed lazily, so a costly guess (charset detection) is made only when the earlier ones failed."""
    for markup, charset in attempts:
        try:
            parser = _events_parser(charset) if _has_long_tag(markup) else _html_parser(charset)
            parser.feed(markup)
        except (UnicodeDecodeError, LookupError, etree.ParserError):
            continue
        try:
            root = parser.close()
        except (UnicodeDecodeError, LookupError, etree.ParserError):
            continue
        except etree.XMLSyntaxError:
            # libxml2 could not convert the bytes from this charset at all: nothing was read (as
            # BeautifulSoup's tree built from the same parse held nothing).
            root = None
        if root is None:
            return parser.makeelement("html"), charset
        if _at_depth_limit(root):
            root = _parse_deep(markup, charset)
        return root, charset
    return _html_parser(None).makeelement("html"), None


# libxml2 adds each attribute of an element by walking the ones it holds already: one tag with
# 60,000 attributes (a 650 kB page) took a minute to build. A page with a stretch between two ">" longer than
# _LONG_TAG characters is built from the parse events instead, keeping an element's first
# _MAX_ATTRIBUTES attributes: more than any real page carries, and what comes after them is lost.
_LONG_TAG = 16_384
_MAX_ATTRIBUTES = 1000


def _has_long_tag(markup: bytes | str) -> bool:
    """Whether some stretch of the markup between two ">" is longer than _LONG_TAG (in one pass)."""
    if len(markup) <= _LONG_TAG:
        return False
    pieces = markup.split(b">") if isinstance(markup, bytes) else markup.split(">")
    return max(map(len, pieces)) > _LONG_TAG


class _FirstAttributes(etree.TreeBuilder):
    """lxml's TreeBuilder keeping an element's first _MAX_ATTRIBUTES attributes."""

    def start(self, tag: str, attrs: dict[str, str], nsmap: object = None) -> Element:
        if len(attrs) > _MAX_ATTRIBUTES:
            attrs = dict(itertools.islice(attrs.items(), _MAX_ATTRIBUTES))
        return super().start(tag, attrs)


# libxml2 builds its own tree at most 256 elements deep and drops what is deeper (a page of 20,000
# nested <div>s); its parse events go on below that. Such a page is built from the events instead
# (lxml's TreeBuilder, about 3 times slower), as BeautifulSoup built its trees from the same events.
_DEPTH_LIMIT = 256
_AT_DEPTH_LIMIT_PATH = "boolean(/*" + "/*" * (_DEPTH_LIMIT - 1) + ")"
_compiled = threading.local()  # an XPath object is not to be shared between threads


def _at_depth_limit(root: Element) -> bool:
    """Whether the tree reaches libxml2's depth limit (an element 256 deep)."""
    check = getattr(_compiled, "depth_limit", None)
    if check is None:
        check = _compiled.depth_limit = etree.XPath(_AT_DEPTH_LIMIT_PATH)
    return bool(check(root))


def _events_parser(charset: str | None) -> etree.HTMLParser:
    """A parser whose tree is built from its parse events (any depth, an element's first
    _MAX_ATTRIBUTES attributes), as BeautifulSoup built its trees from the same events."""
    return etree.HTMLParser(recover=True, encoding=charset, target=_FirstAttributes(parser=_html_parser(None)))


def _parse_deep(markup: bytes | str, charset: str | None) -> Element:
    parser = _events_parser(charset)
    parser.feed(markup)
    root = parser.close()
    return root if root is not None else _html_parser(None).makeelement("html")


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\x00\x00\xfe\xff", "utf-32be"),
    (b"\xff\xfe\x00\x00", "utf-32le"),
)
_XML_DECLARED = re.compile(rb"^\s*<\?.*encoding=['\"](.*?)['\"].*\?>", re.I)
_META_DECLARED = re.compile(rb"<\s*meta[^>]+charset\s*=\s*[\"']?([^>]*?)[ /;'\">]", re.I)


def _strip_bom(data: bytes) -> tuple[bytes, str | None]:
    """The bytes without their byte-order mark, and the charset the mark names."""
    if len(data) >= 4 and data[2:4] != b"\x00\x00":
        if data[:2] == b"\xfe\xff":
            return data[2:], "utf-16be"
        if data[:2] == b"\xff\xfe":
            return data[2:], "utf-16le"
    for mark, name in _BOMS:
        if data.startswith(mark):
            return data[len(mark) :], name
    return data, None


def _declared_charset(markup: bytes, html: bool = True) -> str | None:
    """The charset the page declares in an XML declaration (first 1 KB) or a <meta> (first 5%, at least 2 KB)."""
    match = _XML_DECLARED.search(markup, 0, 1024)
    if match is None and html:
        match = _META_DECLARED.search(markup, 0, max(2048, int(len(markup) * 0.05)))
    declared = match.group(1).decode("ascii", "replace") if match else ""
    return declared.lower() if declared else None


def _detected_charset(markup: bytes) -> str | None:
    """charset_normalizer's guess, for a page that says nothing of its charset (imported when needed)."""
    import charset_normalizer

    found = charset_normalizer.detect(markup)["encoding"]
    return str(found) if found else None


def _charsets(markup: bytes, given: str | None, sniffed: str | None, html: bool = True) -> Iterator[str]:
    """The charsets to read a page in, in order of trust, each once; the costly guesses made only when reached."""
    tried: set[str] = set()
    guesses = (
        lambda: given,
        lambda: sniffed,
        lambda: _declared_charset(markup, html),
        lambda: _detected_charset(markup),
        lambda: "utf-8",
        lambda: "windows-1252",
    )
    for guess in guesses:
        name = guess()
        if name is not None and name.lower() not in tried:
            tried.add(name.lower())
            yield name


def _decoded(markup: bytes, given: str | None, sniffed: str | None) -> str:
    """The bytes decoded by Python's codecs: the given charset, the byte-order mark's, an XML declaration's,
    a detected one, UTF-8, windows-1252 (the first that decodes without error, else with replacements)."""
    names = list(_charsets(markup, given, sniffed, html=False))
    for errors in ("strict", "replace"):
        for name in names:
            if errors == "replace" and name == "ascii":
                continue
            try:
                return markup.decode(name, errors)
            except (LookupError, ValueError):
                continue
    return ""


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


def parse_page(fetch: FetchResult) -> Element:
    """The fetched page parsed (its first MAX_PARSED_BYTES), decoded by its declared charset."""
    return parse_html(fetch.body[:MAX_PARSED_BYTES], charset_of(fetch.header("Content-Type")))


@dataclass(frozen=True)
class PageFacts:
    """What one parse of a fetched HTML page tells later stages."""

    title: str | None = None
    heading: str | None = None
    published: dt.date | None = None  # the page's own publication date (same extractor as articles)
    tokens: tuple[str, ...] = ()  # words of the main content, for the soft-404 probe
    page: PageText | None = None  # main text, language and links, for the rules that read the page


def page_facts(fetch: FetchResult) -> PageFacts:
    """Title, main heading and publication date of an HTML page, from a single parse."""
    if not is_html(fetch) or not fetch.body:
        return PageFacts()
    soup = parse_page(fetch)
    return facts_of(soup, fetch)


def facts_of(soup: Element, fetch: FetchResult) -> PageFacts:
    """page_facts of a page already parsed (the archive's readable copy may reuse the same tree)."""
    marks = Landmarks.of(soup)
    title = get_text(marks.title, " ", strip=True) if marks.title is not None else None
    heading = get_text(marks.heading, " ", strip=True) if marks.heading is not None else None
    found = page_date(soup, fetch.final_url or fetch.url, marks=marks)
    published = found.date if found else None
    root = marks.main_element(soup)
    text = main_text(soup, root=root)
    tokens = _tokens_of(soup, fetch, text=text)
    return PageFacts(title or None, heading or None, published, tuple(tokens), page_text(soup, text, marks))


@dataclass(frozen=True)
class Landmarks:
    """The first <title>, <h1>, <html>, <body>, <main> and role=main element, and every <article>,
    found in one walk of the tree: the first of each in document order, without a walk apiece."""

    title: Element | None = None
    heading: Element | None = None
    html: Element | None = None
    body: Element | None = None
    main: Element | None = None
    role_main: Element | None = None
    articles: tuple[Element, ...] = ()

    @classmethod
    def of(cls, soup: Element) -> Landmarks:
        first: dict[str, Element] = {}
        role_main: Element | None = None
        articles: list[Element] = []
        for node in soup.iter(etree.Element):
            name = node.tag
            if name in _LANDMARK_NAMES and name not in first:
                first[name] = node
            if name == "article":
                articles.append(node)
            if role_main is None and node.get("role") == "main":
                role_main = node
        return cls(
            first.get("title"),
            first.get("h1"),
            first.get("html"),
            first.get("body"),
            first.get("main"),
            role_main,
            tuple(articles),
        )

    def main_element(self, soup: Element) -> Element:
        """What main_element(soup) returns, from the landmarks."""
        root = self.main if self.main is not None else self.role_main
        if root is not None:
            return root
        if len(self.articles) == 1:
            return self.articles[0]
        return self.body if self.body is not None else soup


_LANDMARK_NAMES = frozenset({"title", "h1", "html", "body", "main"})


def page_text(soup: Element, text: str | None = None, marks: Landmarks | None = None) -> PageText:
    """The page's main text with its declared language and how much of it is links."""
    marks = marks if marks is not None else Landmarks.of(soup)
    root = marks.main_element(soup)
    text = main_text(soup, root=root) if text is None else text
    html = marks.html
    lang = str(html.get("lang") or "").strip().lower().split("-")[0] if html is not None else ""
    links = [link for link in tags_named(root, "a") if link.get("href") is not None]
    link_chars = sum(len(" ".join(get_text(link, " ").split())) for link in links)
    kept = text[:KEPT_TEXT_CHARS]
    return PageText(kept, lang or None, len(links), min(link_chars, len(text)))


def main_element(soup: Element) -> Element:
    """The element holding the page's main content: <main> (or role=main), a lone <article>, else the body."""
    return Landmarks.of(soup).main_element(soup)


def _is_rotating_box(tag: Element) -> bool:
    names = str(tag.get("id") or "").split() + class_tokens(tag)
    return any(_ROTATING_BOX.match(name) and not _STATE_CLASS.match(name) for name in names if name)


def main_text(soup: Element, limit: int = DEFAULT_TEXT_CHARS, root: Element | None = None) -> str:
    """The page's main text: boilerplate elements and rotating boxes left out, one line per block,
    whitespace collapsed. The one definition every stage uses (soft-404 words, readable copies, drift).

    At most `limit` characters. One pass over the tree, without changing it or recursing. `root` is
    main_element(soup) when the caller has found it already.
    """
    root = main_element(soup) if root is None else root
    pieces: list[str] = []
    size = 0
    cap = 2 * limit  # collapsing whitespace may halve the text; past twice the limit is waste
    container, preserve = string_state(root)
    if root.text and not container:
        text = blank(root.text, preserve)
        pieces.append(text)
        size += len(text)
    # Each open element: its children still to visit, what its end adds (a line break for a block),
    # the state its text is read in, and its tail (the parent's text after it).
    stack: list[tuple[Iterator[Element], str, str, bool, str | None]] = [(iter(root), "", container, preserve, None)]
    while stack and size <= cap:
        nodes, end, container, preserve, tail = stack[-1]
        node = next(nodes, None)
        if node is None:
            stack.pop()
            pieces.append(end)
            if tail and stack and not stack[-1][2]:
                text = blank(tail, stack[-1][3])
                pieces.append(text)
                size += len(text)
            continue
        name = node.tag
        if isinstance(name, str):
            name = name.lower()
            if name == "br":
                pieces.append("\n")
            elif name not in BOILERPLATE_TAGS and not _is_rotating_box(node):
                block = "\n" if name in _BLOCKS else ""
                pieces.append(block)
                inner, keep = enter(node, container, preserve)
                if node.text and not inner:
                    text = blank(node.text, keep)
                    pieces.append(text)
                    size += len(text)
                stack.append((iter(node), block, inner, keep, node.tail))
                continue
        # A comment, a <br> or a left-out element: the text after it is its parent's.
        if node.tail and not container:
            text = blank(node.tail, preserve)
            pieces.append(text)
            size += len(text)
    lines = (" ".join(line.split()) for line in "".join(pieces).splitlines())
    return "\n".join(line for line in lines if line)[:limit]


def page_date(
    soup: Element,
    page_url: str | None = None,
    body: ArticleBody | None = None,
    canonical_url: str | None = None,
    content: bytes | None = None,
    marks: Landmarks | None = None,
) -> Found | None:
    """A page's original publication date and where it came from: one cascade for articles and cited pages.

    JSON-LD, publication meta tags, the article's own <time> (json-ld | meta | time); a timestamp
    given in UTC is moved to the publisher's own day when the page shows it. Then a date line near
    the byline (text), the page's scripts (script), the date in the page's URL or its canonical URL
    (url). Given the page's bytes, an article that still has no date gets htmldate's (htmldate),
    unless it is only a date of the page's furniture or a year's first day (see _htmldate_guess).
    """
    body = body if body is not None else ArticleBody(soup, page_url)
    dayfirst = day_first(_language(soup, marks.html if marks else first_named(soup, "html")))
    region = body.date_region()
    markup = date_from_markup(soup, region if region is not body.top else None, dayfirst, body.dates_elsewhere)
    head, tail = body.date_lines()
    shown = date_from_lines(head, tail, dayfirst)
    if markup:
        return _local_day(markup, soup, region, shown)
    if shown:
        return Found(shown, "text")
    if stamp := date_from_scripts(soup):
        return _local_day(Found(stamp.date, "script", stamp), soup, region, shown)
    for url in (page_url, canonical_url):
        if not url:
            continue  # no URL holds no date (most pages are read without a canonical URL)
        dates = [found for found in dates_in_url(url) if found.precision == "day"]
        if dates:
            return Found(dates[0].date, "url")
    if content is not None:
        return _htmldate_guess(content, soup, page_url, body, dayfirst)
    return None


# An article this short has no room for a byline's date to hide in: a guess would be the furniture's.
_GUESS_MIN_PROSE = 800


def _htmldate_guess(
    content: bytes, soup: Element, page_url: str | None, body: ArticleBody, dayfirst: bool | None
) -> Found | None:
    """htmldate's date for an article where our cues found none, when nothing says it is a wrong one.

    htmldate reads the long tail our cues leave (a date in a `data-` attribute, a side column, a
    language whose month names we do not know) but on a page with no date of its own it takes a
    clock in the header, a teaser's date or "© 2024" (1 January). Its date is refused when it is
    one of the dates the page's furniture shows or marks as an update (htmldate with original_date
    still falls back to a modified date), a first of January, or when the page holds little prose
    (a listing or a front page, not an article).
    """
    if body.prose < _GUESS_MIN_PROSE:
        return None
    guessed = date_by_htmldate(content, page_url)
    if guessed is None or (guessed.month, guessed.day) == (1, 1):
        return None
    elsewhere = update_dates(soup) | cued_elsewhere(body.short_lines(), dayfirst)
    texts, links = body.furniture_text()
    for text in texts:
        elsewhere.update(dates_in(text, dayfirst))
    for href in links:
        elsewhere.update(found.date for found in dates_in_url(href))
    return None if guessed in elsewhere else Found(guessed, "htmldate")


def _language(soup: Element, html: Element | None) -> str | None:
    language = html.get("lang") if html is not None else None
    if isinstance(language, str) and language.strip():
        return language
    for meta in tags_named(soup, "meta"):
        equiv = meta.get("http-equiv")
        if isinstance(equiv, str) and _CONTENT_LANGUAGE.search(equiv):
            content = meta.get("content")
            return content if isinstance(content, str) else None
    return None


_CONTENT_LANGUAGE = re.compile("^content-language$", re.I)


def _local_day(found: Found, soup: Element, region: Element, shown: dt.date | None) -> Found:
    """The publisher's own day for a timestamp given in UTC.

    A UTC time just before midnight in New York is already tomorrow: the offset the page uses
    elsewhere (its other timestamps) gives the local day; without one, a date the page shows in
    its byline one day before or after the UTC day is the local one.
    """
    stamp = found.stamp
    if stamp is None or stamp.moment is None or not stamp.in_utc or stamp.moment.time() == dt.time(0, 0):
        return found  # midnight UTC is how many sites write a date with no time
    offset = _page_offset(soup, region)
    if offset is not None:
        return Found(stamp.local(offset), found.source, stamp)
    # West of UTC the local day can only be the day before, and only in the UTC morning; east, the day after.
    hour = stamp.moment.hour
    if (
        shown
        and (shown - stamp.date).days == -1
        and hour < 12
        or shown
        and (shown - stamp.date).days == 1
        and hour >= 12
    ):
        return Found(shown, found.source, Stamp(shown))
    return found


def _page_offset(soup: Element, region: Element) -> dt.timedelta | None:
    """The UTC offset of the first timestamp near the article that is not in UTC (its <time>, then meta tags)."""
    for element in tags_named(region, "time"):
        if element.get("datetime") is None:
            continue
        if (offset := offset_of(str(element.get("datetime", "")))) is not None:
            return offset
    for meta in tags_named(soup, "meta"):
        if meta.get("content") is None:
            continue
        content = str(meta.get("content", ""))
        if len(content) <= 40 and content[:1].isdigit() and (offset := offset_of(content)) is not None:
            return offset
    return None


def main_text_tokens(fetch: FetchResult, limit: int = MAX_TOKENS) -> list[str]:
    """The words a reader sees in the page's main content, lowercased, with the words of its own
    URL left out (a not-found page often repeats the address it was asked for)."""
    if not is_html(fetch) or not fetch.body:
        return []
    return _tokens_of(parse_page(fetch), fetch, limit)


def _tokens_of(soup: Element, fetch: FetchResult, limit: int = MAX_TOKENS, text: str | None = None) -> list[str]:
    text = main_text(soup) if text is None else text
    own = {word.lower() for word in _WORD.findall(fetch.url + " " + fetch.final_url)}
    return [word for word in _WORD.findall(text.lower()) if word not in own][:limit]
