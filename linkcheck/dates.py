"""Publication dates of articles and cited pages: one extractor for both."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, Tag

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
# Russian dates use the genitive ("10 августа 2021"); the nominative is accepted too.
_RU_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("января", "январь"),
            ("февраля", "февраль"),
            ("марта", "март"),
            ("апреля", "апрель"),
            ("мая", "май"),
            ("июня", "июнь"),
            ("июля", "июль"),
            ("августа", "август"),
            ("сентября", "сентябрь"),
            ("октября", "октябрь"),
            ("ноября", "ноябрь"),
            ("декабря", "декабрь"),
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
    for found in _dates_in(text):
        return found
    return None


def _dates_in(text: str) -> Iterator[dt.date]:
    """Dates in a piece of text, in order of position."""
    hits: list[tuple[int, dt.date]] = []
    for pattern, shape in _PATTERNS:
        for match in pattern.finditer(text):
            date = _from_match(match, shape)
            if date:
                hits.append((match.start(), date))
    for _, date in sorted(hits, key=lambda hit: hit[0]):
        yield date


def _from_match(match: re.Match[str], shape: str) -> dt.date | None:
    a, b, c = match.groups()
    if shape == "ymd":
        return _make(a, b, c)
    if shape == "mdy":
        return _make(c, str(_MONTHS[a.lower()]), b)
    if shape == "dmy-word":
        return _make(c, str(_MONTHS[b.lower()]), a)
    return _make(c, b, a)


def _make(year: str, month: str, day: str) -> dt.date | None:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return date if 1900 <= date.year <= 2200 else None


def date_from_text(text: str) -> dt.date | None:
    """The article date from a date line near the top of plain text.

    A date line is a short line holding a date ("10 August 2021", "Published: 2021-08-10",
    "10 августа 2021"); dates inside long prose lines are not taken for the article's date.
    """
    for line in text.splitlines()[:_HEAD_LINES]:
        line = line.strip()
        if not line or len(line) > _DATE_LINE_MAX_CHARS:
            continue
        for date in _dates_in(line):
            return date
    return None


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


def _json_ld_date(soup: BeautifulSoup) -> dt.date | None:
    for script in soup.find_all("script", attrs={"type": re.compile("ld\\+json", re.I)}):
        try:
            data = json.loads(script.get_text() or "null")
        except (ValueError, RecursionError):
            continue
        for node in _json_nodes(data):
            value = node.get("datePublished") or node.get("dateCreated")
            if isinstance(value, str) and (date := parse_date(value)):
                return date
    return None


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
    times = [t for t in soup.find_all("time") if isinstance(t, Tag)]
    # An explicitly marked publication time beats the first <time> on the page.
    marked = [t for t in times if t.has_attr("pubdate") or t.get("itemprop") == "datePublished"]
    for element in marked + times:
        value = element.get("datetime")
        text = value if isinstance(value, str) else element.get_text(" ", strip=True)
        if date := parse_date(text):
            return date
    return None
