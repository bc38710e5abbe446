"""Publication dates of articles and cited pages: one extractor for both."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag

_EN_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# Russian dates use the genitive ("10 августа 2021"); the nominative is accepted too, and so are
# the abbreviations news sites print in bylines ("28 окт. 2020"). Longer names come first in
# _MONTH_WORD, so "марта" still wins over "мар".
_RU_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("января", "январь", "янв"),
            ("февраля", "февраль", "февр", "фев"),
            ("марта", "март", "мар"),
            ("апреля", "апрель", "апр"),
            ("мая", "май"),
            ("июня", "июнь", "июн"),
            ("июля", "июль", "июл"),
            ("августа", "август", "авг"),
            ("сентября", "сентябрь", "сент", "сен"),
            ("октября", "октябрь", "окт"),
            ("ноября", "ноябрь", "нояб", "ноя"),
            ("декабря", "декабрь", "дек"),
        ],
        start=1,
    )
    for name in names
}
_MONTHS = {**_EN_MONTHS, **_RU_MONTHS}
_MONTH_WORD = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), "ymd"),
    (re.compile(rf"(?<!\w)({_MONTH_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I), "mdy"),
    (re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_WORD})\.?,?\s+(\d{{4}})(?!\d)", re.I), "dmy-word"),
    (re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])"), "dmy"),
    # 08/14/2021 (American) or 14/08/2021 (European): read only when one order is impossible.
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])"), "slash"),
)
_DATE_LINE_MAX_CHARS = 100
_HEAD_LINES = 40


def parse_date(text: str) -> dt.date | None:
    """The first date in a short string: ISO 8601 (with or without time), or a written date."""
    text = text.strip()
    if not text:
        return None
    # Year first is always year-month-day; Highwire `citation_publication_date` writes 2021/08/10.
    iso = re.match(r"^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?!\d)", text)
    if iso:
        return _make(iso.group(1), iso.group(3), iso.group(4))
    compact = re.match(r"^(\d{4})(\d{2})(\d{2})(?:T|$)", text)
    if compact:
        return _make(*compact.groups())
    for _, _, found in _dates_in(text):
        return found
    return None


def _dates_in(text: str) -> list[tuple[int, int, dt.date]]:
    """(start, end, date) of the dates in a piece of text, in order of position."""
    hits: list[tuple[int, int, dt.date]] = []
    for pattern, shape in _PATTERNS:
        for match in pattern.finditer(text):
            date = _from_match(match, shape)
            if date:
                hits.append((match.start(), match.end(), date))
    return sorted(hits, key=lambda hit: hit[0])


def _from_match(match: re.Match[str], shape: str) -> dt.date | None:
    a, b, c = match.groups()
    if shape == "ymd":
        return _make(a, b, c)
    if shape == "mdy":
        return _make(c, str(_MONTHS[a.lower()]), b)
    if shape == "dmy-word":
        return _make(c, str(_MONTHS[b.lower()]), a)
    if shape == "slash":
        # 08/10/2021 is 10 August in the US and 8 October in Europe: no date rather than a guess.
        if int(a) > 12 >= int(b):
            return _make(c, b, a)
        if int(b) > 12 >= int(a):
            return _make(c, a, b)
        return None
    return _make(c, b, a)


def _make(year: str, month: str, day: str) -> dt.date | None:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return date if 1900 <= date.year <= 2200 else None


# The word just before a date says what the date is. Publication cues make it the article's date;
# the others mark an update, a crawl or cache snapshot, an access date in a citation, a journal's
# received/accepted dates, or a site header's clock ("Сегодня: 18.01.2024").
_DATE_CUES = re.compile(
    r"(?P<published>publish|posted|опубликован|публикаци|размещен)"
    r"|(?P<other>updat|modifi|changed|edited|revis|crawl|snapshot|retriev|accessed|received|accepted"
    r"|today|обновл|измен[её]н|сегодня)",
    re.I,
)
# "Федеральный закон от 14.03.2018 № 77-ФЗ": "от <date> №" dates a cited law or order, not the page.
_CITED_ACT_BEFORE = re.compile(r"(?:^|\W)от\s*$", re.I)
_CITED_ACT_AFTER = re.compile(r"^\s*(?:г\.?\s*)?(?:№|N\s*\d)")


def _cue_before(words: str) -> str | None:
    """The kind of the last cue word before a date: "published", "other", or None when there is none."""
    kind = None
    for match in _DATE_CUES.finditer(words):
        kind = match.lastgroup
    return kind


def date_from_text(text: str) -> dt.date | None:
    """The article date from a date line near the top of plain text.

    A date line is a short line holding a date ("10 August 2021", "Published: 2021-08-10",
    "10 августа 2021"); dates inside long prose lines are not taken for the article's date.
    A date after an update cue ("Updated", "Сегодня:") is skipped; in a line with several dates, one
    after a publication cue ("Published", "Posted") beats the first plain one.
    """
    carried = ""
    for line in text.splitlines()[:_HEAD_LINES]:
        line = line.strip()
        if not line or len(line) > _DATE_LINE_MAX_CHARS:
            carried = ""
            continue
        dates = _dates_in(line)
        if not dates:
            # HTML text comes one line per text node, so "<b>Updated:</b> 3 May 2021" is two lines.
            carried = line if _ends_with_cue(line) else ""
            continue
        first_plain: dt.date | None = None
        previous_end = 0
        for start, end, date in dates:
            # Only the words since the previous date count: "Updated <date> — originally published <date>".
            before, after = line[previous_end:start], line[end:]
            if previous_end == 0:
                before = f"{carried} {before}"
            previous_end = end
            if _CITED_ACT_BEFORE.search(before) and _CITED_ACT_AFTER.match(after):
                continue
            cue = _cue_before(before)
            if cue == "published":
                return date
            if cue is None and first_plain is None:
                first_plain = date
        if first_plain:
            return first_plain
        carried = ""
    return None


def _ends_with_cue(line: str) -> bool:
    """A short label ending in a cue ("Last updated", "Posted on", "Дата публикации:"), not a title."""
    if len(line) > 40:
        return False
    # The cue must end in the last 8 characters, and no cue is longer than 11: only the tail can hold it.
    tail = line[-20:]
    ends = [match.end() for match in _DATE_CUES.finditer(tail)]
    return bool(ends) and len(tail) - ends[-1] <= 8


_META_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "published_time",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
    "citation_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date",
    "dcterms.date",
    "date",
)


def date_from_html(soup: BeautifulSoup) -> tuple[dt.date | None, str | None]:
    """(publication date, where it came from) of an HTML page: JSON-LD, meta, then <time>."""
    date = _json_ld_date(soup)
    if date:
        return date, "json-ld"
    date = _meta_date(soup)
    if date:
        return date, "meta"
    date = _time_element_date(soup)
    if date:
        return date, "time"
    return None, None


# JSON-LD types that stand for the page's own text (NewsArticle, BlogPosting, LiveBlogPosting, Report,
# WebPage...), with or without a "schema:" or URL prefix. A VideoObject, ImageObject or Event on the
# same page may be an archive clip or a past event, so its date counts only when no such node has one.
_ARTICLE_TYPE = re.compile(r"(?:Article|Posting|(?:^|[:/])(?:Report|WebPage|ItemPage))$")


def _json_ld_date(soup: BeautifulSoup) -> dt.date | None:
    """datePublished (or dateCreated) of the first article-like node, else of the first node with one."""
    fallback: dt.date | None = None
    for script in soup.find_all("script", attrs={"type": re.compile("ld\\+json", re.I)}):
        try:
            data = json.loads(script.get_text() or "null")
        except (ValueError, RecursionError):
            continue
        for node in _json_nodes(data):
            value = node.get("datePublished") or node.get("dateCreated")
            if not isinstance(value, str) or not (date := parse_date(value)):
                continue
            types = node.get("@type")
            if any(isinstance(kind, str) and _ARTICLE_TYPE.search(kind) for kind in _as_list(types)):
                return date
            fallback = fallback or date
    return fallback


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _json_nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(data, list):
        for item in data:
            yield from _json_nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _json_nodes(data[key], depth + 1)


def _meta_date(soup: BeautifulSoup) -> dt.date | None:
    found: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if isinstance(key, str) and isinstance(content, str):
            found.setdefault(key.strip().lower(), content)
    for key in _META_DATE_KEYS:
        if key in found and (date := parse_date(found[key])):
            return date
    return None


def _time_element_date(soup: BeautifulSoup) -> dt.date | None:
    """A <time> marked as the publication, else the first <time> not marked as an update."""
    marked: list[Tag] = []
    plain: list[Tag] = []
    walked: dict[int, int] = {}
    for element in soup.find_all("time"):
        if not isinstance(element, Tag) or _outside_the_article(element, walked):
            continue
        kind = _time_kind(element)
        if kind == "published":
            marked.append(element)
        elif kind is None:
            plain.append(element)
    for element in marked + plain:
        value = element.get("datetime")
        text = value if isinstance(value, str) else element.get_text(" ", strip=True)
        if date := parse_date(text):
            return date
    return None


def _time_kind(element: Tag) -> str | None:
    """What a <time> is marked as, by its markup or the words just before it: "published", "other", None."""
    if element.has_attr("pubdate"):
        return "published"
    # WordPress writes `class="entry-date published updated"` on a post never updated, so a
    # publication word in the markup wins over an update word (itemprop dateModified, class "updated").
    markup = " ".join([*_class_tokens(element), str(element.get("itemprop", ""))])
    kinds = {match.lastgroup for match in _DATE_CUES.finditer(markup)}
    if kinds:
        return "published" if "published" in kinds else "other"
    return _cue_before(_words_before(element))


# Inline neighbours that can hold a cue: "Updated <time>", "<span>Posted:</span> <time>".
_INLINE_TAGS = frozenset(("a", "abbr", "b", "em", "i", "label", "small", "span", "strong"))


def _words_before(element: Tag) -> str:
    """Up to 60 characters of text just before a <time>, back to the previous <time> or block."""
    parts: list[str] = []
    size = 0
    for sibling in element.previous_siblings:
        if isinstance(sibling, Tag):
            if sibling.name not in _INLINE_TAGS:
                break
            text = sibling.get_text(" ")
        elif type(sibling) is NavigableString:
            text = str(sibling)
        else:
            continue
        parts.append(text)
        size += len(text)
        if size >= 60:
            break
    return "".join(reversed(parts))[-60:]


# Parts of a page whose <time> elements date something else: comments, related or recommended
# stories, sidebars and rails, news feeds ("lenta" on Russian sites), teasers of other articles.
_NOT_THE_ARTICLE = re.compile(r"(?:^|[\s_-])(comments?|related|sidebar|rail|feed|lenta|teaser)(?:$|[\s_-])", re.I)
# Layout state classes ("has-sidebar", "no-comments", "with-related") describe the page, not the part.
_STATE_CLASS = re.compile(r"^(?:has|no|with|without|is)[-_]", re.I)


# What the walk up from an element finds: a part that is not the article, the article, or the top
# of the page (through a footer or not).
_OUTSIDE, _ARTICLE, _TOP, _TOP_THROUGH_FOOTER = range(4)


def _outside_the_article(element: Tag, walked: dict[int, int]) -> bool:
    """True for a <time> in an aside, nav, comment, related box or feed, or in the site's footer.

    The walk up stops at the nearest <article>: classes above it describe the layout. A <footer>
    inside an <article> is the article's own (WordPress puts "Posted on <time>" there). `walked`
    keeps what the walk found above each element, so many deeply nested <time>s cost one walk.
    """
    path: list[Tag] = []
    found = _TOP
    for parent in element.parents:
        if id(parent) in walked:
            found = walked[id(parent)]
            break
        tokens = [token for token in _class_tokens(parent) if not _STATE_CLASS.match(token)]
        tokens += [str(parent.get("id", "")), str(parent.get("itemprop", ""))]
        if parent.name in ("aside", "nav") or _NOT_THE_ARTICLE.search(" ".join(tokens)):
            found = _OUTSIDE
        elif parent.name == "article":
            found = _ARTICLE
        path.append(parent)
        if found != _TOP:
            break
    for parent in reversed(path):
        if found == _TOP and parent.name == "footer":
            found = _TOP_THROUGH_FOOTER
        walked[id(parent)] = found
    return found in (_OUTSIDE, _TOP_THROUGH_FOOTER)


def _class_tokens(element: Tag) -> list[str]:
    return [str(token) for token in element.get_attribute_list("class") if token]
