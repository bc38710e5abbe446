"""Publication dates of articles and cited pages: one extractor for both.

Dates are read as written in many languages: month names in English, German, French, Spanish,
Italian, Dutch, Polish, Ukrainian, Russian, Portuguese and Turkish, the CJK `2021年8月10日` and
Korean `2021년 8월 10일` forms, and numeric dates in the order the page's language writes them.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from linkcheck.html_tags import Element, Text, children, class_tokens, get_text, string_state, tags_in, tags_named

_JSON_LD = re.compile("ld\\+json", re.I)


def _months(*names_by_month: str) -> dict[str, int]:
    """Month names of one language: twelve space-separated groups of the forms a month is written in."""
    return {name: number for number, names in enumerate(names_by_month, start=1) for name in names.split()}


# Each language's full names in the forms dates use (genitive in Slavic languages: "10 августа",
# "10 sierpnia", "10 серпня"), nominatives, and the abbreviations bylines print ("28 окт. 2020",
# "10 févr. 2021", "Okt."). Longer names come first in _MONTH_WORD, so "marca" wins over "mar".
_MONTHS: dict[str, int] = {
    **_months(
        "january jan",
        "february feb",
        "march mar",
        "april apr",
        "may",
        "june jun",
        "july jul",
        "august aug",
        "september sep sept",
        "october oct",
        "november nov",
        "december dec",
    ),
    **_months(  # German (and Austrian)
        "januar jänner jän",
        "februar feber",
        "märz mär maerz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober okt",
        "november",
        "dezember dez",
    ),
    **_months(  # French
        "janvier janv",
        "février fevrier févr fevr fév",
        "mars",
        "avril avr",
        "mai",
        "juin",
        "juillet juil",
        "août aout",
        "septembre",
        "octobre",
        "novembre",
        "décembre decembre déc",
    ),
    **_months(  # Spanish
        "enero ene",
        "febrero",
        "marzo",
        "abril abr",
        "mayo",
        "junio",
        "julio",
        "agosto ago",
        "septiembre setiembre",
        "octubre",
        "noviembre",
        "diciembre dic",
    ),
    **_months(  # Italian
        "gennaio gen",
        "febbraio",
        "marzo",
        "aprile",
        "maggio mag",
        "giugno giu",
        "luglio lug",
        "agosto",
        "settembre set",
        "ottobre ott",
        "novembre",
        "dicembre",
    ),
    **_months(  # Dutch
        "januari",
        "februari",
        "maart mrt",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    **_months(  # Polish
        "stycznia styczeń sty",
        "lutego luty lut",
        "marca marzec",
        "kwietnia kwiecień kwi",
        "maja maj",
        "czerwca czerwiec cze",
        "lipca lipiec lip",
        "sierpnia sierpień sie",
        "września wrzesień wrz",
        "października październik paź",
        "listopada listopad lis",
        "grudnia grudzień gru",
    ),
    **_months(  # Ukrainian
        "січня січень січ",
        "лютого лютий лют",
        "березня березень бер",
        "квітня квітень квіт",
        "травня травень трав",
        "червня червень черв",
        "липня липень лип",
        "серпня серпень серп",
        "вересня вересень вер",
        "жовтня жовтень жовт",
        "листопада листопад лист",
        "грудня грудень груд",
    ),
    **_months(  # Russian
        "января январь янв",
        "февраля февраль февр фев",
        "марта март мар",
        "апреля апрель апр",
        "мая май",
        "июня июнь июн",
        "июля июль июл",
        "августа август авг",
        "сентября сентябрь сент сен",
        "октября октябрь окт",
        "ноября ноябрь нояб ноя",
        "декабря декабрь дек",
    ),
    **_months(  # Portuguese
        "janeiro",
        "fevereiro fev",
        "março marco",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro out",
        "novembro",
        "dezembro dez",
    ),
    **_months(  # Turkish
        "ocak oca",
        "şubat subat şub",
        "mart",
        "nisan nis",
        "mayıs mayis",
        "haziran haz",
        "temmuz tem",
        "ağustos agustos ağu",
        "eylül eylul eyl",
        "ekim eki",
        "kasım kasim kas",
        "aralık aralik ara",
    ),
}
_MONTH_WORD = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th|er|º|°|\.)?"

# (pattern, shape): the shapes a date is written in. `dmy-num` and `slash` need the page's day order
# when both numbers could be the month.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![\d.])(\d{4})-(\d{2})-(\d{2})(?!\d)"), "ymd"),
    # 2021年8月10日 (Chinese, Japanese), 2021년 8월 10일 (Korean)
    (re.compile(r"(?<!\d)(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?"), "ymd"),
    # 2021.08.10 and 2021/08/10 (Korean, Chinese and Japanese bylines, Highwire metadata)
    (re.compile(r"(?<![\d.])(\d{4})[./](\d{1,2})[./](\d{1,2})(?![\d./])"), "ymd"),
    (
        re.compile(rf"(?<!\w)({_MONTH_WORD})\.?\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})(?!\d)", re.I),
        "mdy",
    ),
    (
        re.compile(
            rf"(?<![\d.])(\d{{1,2}}){_ORDINAL}\s*(?:de\s+)?({_MONTH_WORD})\.?,?\s*(?:de\s+|del\s+)?(\d{{4}})(?!\d)",
            re.I,
        ),
        "dmy-word",
    ),
    (re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])"), "dmy"),
    # 08/14/2021 (American) or 14/08/2021, 14-08-2021 (most of the world): the page's language decides.
    (re.compile(r"(?<![\d/-])(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?![\d/-])"), "slash"),
)
_DIGIT = re.compile(r"\d")
# 10.08.21: a two-digit year, read only in a date line and only zero-padded (version 1.2.21 is no date).
_TWO_DIGIT_YEAR = re.compile(r"(?<![\d.])(\d{2})([./])(\d{2})\2(\d{2})(?![\d./])")
_DATE_LINE_MAX_CHARS = 100
_HEAD_LINES = 40
_TAIL_LINES = 15


def day_first(language: str | None) -> bool | None:
    """Whether a page in `language` (its lang attribute) writes 10/08/2021 for 10 August: True, False
    for American English, None when it cannot be told (English with no region, or no language)."""
    if not language:
        return None
    tag = language.strip().lower().replace("_", "-")
    if tag in ("en-us", "en-ph", "en-ca", "es-us"):
        return False
    if tag in ("en", "") or not re.match(r"^[a-z]{2,3}(?:-|$)", tag):
        return None
    return True


def parse_date(text: str, dayfirst: bool | None = None) -> dt.date | None:
    """The first date in a short string: ISO 8601 (with or without time), or a written date.

    `dayfirst` says how to read 10/08/2021 (see day_first); with None, only an order that is the
    only possible one is read (14/08/2021, 08/14/2021).
    """
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
    for _, _, found in _dates_in(text, dayfirst):
        return found
    return None


@dataclass(frozen=True)
class Stamp:
    """A date as written, and the moment it names when it carries a time and a UTC offset."""

    date: dt.date
    moment: dt.datetime | None = None  # timezone-aware

    @property
    def in_utc(self) -> bool:
        return self.moment is not None and self.moment.utcoffset() == dt.timedelta(0)

    def local(self, offset: dt.timedelta) -> dt.date:
        """The day at `offset` from UTC (the publisher's own day), or the date as written."""
        if self.moment is None:
            return self.date
        return self.moment.astimezone(dt.timezone(offset)).date()


_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?", re.I
)


def parse_stamp(text: str, dayfirst: bool | None = None) -> Stamp | None:
    """A date, with its moment when it is an ISO 8601 timestamp with an offset ("…T02:40:00Z")."""
    date = parse_date(text, dayfirst)
    if date is None:
        return None
    match = _TIMESTAMP.match(text.strip())
    if match and match.group(7):
        zone = match.group(7).upper()
        offset = dt.timedelta(0)
        if zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        try:
            moment = dt.datetime(
                int(match.group(1)), int(match.group(2)), int(match.group(3)), int(match.group(4)),
                int(match.group(5)), int(match.group(6) or 0), tzinfo=dt.timezone(offset),
            )  # fmt: skip
        except ValueError:
            return Stamp(date)
        return Stamp(date, moment)
    return Stamp(date)


def offset_of(text: str) -> dt.timedelta | None:
    """The UTC offset of an ISO 8601 timestamp, when it has one that is not UTC itself."""
    stamp = parse_stamp(text)
    if stamp is None or stamp.moment is None or stamp.in_utc:
        return None
    return stamp.moment.utcoffset()


def dates_in(text: str, dayfirst: bool | None = None) -> list[dt.date]:
    """Every date written in a piece of text (two-digit years included), in order."""
    return [date for _, _, date in _dates_in(text, dayfirst, two_digit=True)]


def _dates_in(text: str, dayfirst: bool | None = None, two_digit: bool = False) -> list[tuple[int, int, dt.date]]:
    """(start, end, date) of the dates in a piece of text, in order of position."""
    hits: list[tuple[int, int, dt.date]] = []
    if not _DIGIT.search(text):
        return hits  # every shape holds digits: most lines of a page have none
    for pattern, shape in _PATTERNS:
        for match in pattern.finditer(text):
            date = _from_match(match, shape, dayfirst)
            if date:
                hits.append((match.start(), match.end(), date))
    if two_digit:
        for match in _TWO_DIGIT_YEAR.finditer(text):
            day, separator, month, year = match.groups()
            full = str(2000 + int(year) if int(year) < 70 else 1900 + int(year))
            date = _ordered(day, month, full, True if separator == "." else dayfirst)
            if date and not any(start <= match.start() < end for start, end, _ in hits):
                hits.append((match.start(), match.end(), date))
    return sorted(hits, key=lambda hit: hit[0])


def _from_match(match: re.Match[str], shape: str, dayfirst: bool | None) -> dt.date | None:
    groups = match.groups()
    if shape == "ymd":
        return _make(*groups)
    if shape == "mdy":
        return _make(groups[2], str(_MONTHS[groups[0].lower()]), groups[1])
    if shape == "dmy-word":
        return _make(groups[2], str(_MONTHS[groups[1].lower()]), groups[0])
    if shape == "slash":
        return _ordered(groups[0], groups[2], groups[3], dayfirst)
    return _make(groups[2], groups[1], groups[0])


def _ordered(first: str, second: str, year: str, dayfirst: bool | None) -> dt.date | None:
    """A numeric date whose day and month may come in either order.

    08/10/2021 is 10 August in the US and 8 October in Europe: without the page's order, only a
    date whose order is the only possible one is read.
    """
    if int(first) > 12 >= int(second):
        return _make(year, second, first)
    if int(second) > 12 >= int(first):
        return _make(year, first, second)
    if dayfirst is None:
        return None
    return _make(year, second, first) if dayfirst else _make(year, first, second)


def _make(year: str, month: str, day: str) -> dt.date | None:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return date if 1900 <= date.year <= 2200 else None


# The word just before a date says what the date is. Publication cues make it the article's date;
# the others mark an update, a crawl or cache snapshot, an access date in a citation, a journal's
# received/accepted dates, or a site header's clock ("Сегодня: 18.01.2024", "Heute").
_DATE_CUES = re.compile(
    r"(?P<published>publish|posted|veröffentlicht|erschienen|publié|publicado|pubblicato|gepubliceerd"
    r"|opublikowan|опубліковано|опубликован|публикаци|размещен|yayınla|发布|發佈|发表|發表|公開|投稿|掲載|입력|게재)"
    r"|(?P<other>updat|modifi|changed|edited|revis|crawl|snapshot|retriev|accessed|received|accepted|today"
    r"|aktualisiert|geändert|\bstand\b|heute|mis à jour|mise à jour|aujourd|actualizad|modificad|\bhoy\b"
    r"|aggiornat|oggi|bijgewerkt|gewijzigd|vandaag|aktualizac|zaktualizowan|dzisiaj|dziś|оновлен|сьогодні"
    r"|обновл|измен[её]н|сегодня|atualizad|\bhoje\b|güncellen|güncelleme|bugün|更新|修改|今天|今日|수정|업데이트|오늘)",
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


def date_from_text(text: str, dayfirst: bool | None = None) -> dt.date | None:
    """The article date from a date line near the top of plain text, else a published line at its end.

    A date line is a short line holding a date ("10 August 2021", "Published: 2021-08-10",
    "10 августа 2021", "2021年8月10日"); dates inside long prose lines are not taken for the article's
    date. A date after an update cue ("Updated", "Сегодня:", "Aktualisiert") is skipped; in a line
    with several dates, one after a publication cue ("Published", "Veröffentlicht") beats the first
    plain one. Some sites print the date only below the article ("Published: 10.08.2021"): the last
    lines are read for a date after a publication cue.
    """
    lines = text.splitlines()
    return date_from_lines(lines[:_HEAD_LINES], lines[_HEAD_LINES:][-_TAIL_LINES:], dayfirst)


def date_from_lines(head: list[str], tail: list[str], dayfirst: bool | None = None) -> dt.date | None:
    """The date of the first date line of `head`, else of a line in `tail` after a publication cue."""
    found = _date_in_lines(head, dayfirst, published_only=False)
    return found if found is not None else _date_in_lines(tail, dayfirst, published_only=True)


def _date_in_lines(lines: list[str], dayfirst: bool | None, published_only: bool) -> dt.date | None:
    carried = ""
    for line in lines:
        line = line.strip()
        if not line or len(line) > _DATE_LINE_MAX_CHARS:
            carried = ""
            continue
        dates = _dates_in(line, dayfirst, two_digit=True)
        if not dates:
            # HTML text can come one line per text node, so "<b>Updated:</b> 3 May 2021" is two lines.
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
            if cue is None and first_plain is None and not published_only:
                first_plain = date
        if first_plain:
            return first_plain
        carried = ""
    return None


def _ends_with_cue(line: str) -> bool:
    """A short label ending in a cue ("Last updated", "Posted on", "Дата публикации:"), not a title."""
    if len(line) > 40:
        return False
    return _short_line_ends_with_cue(line)


# The cue pattern is tried at each of up to 24 places with ~90 alternatives (~15 µs a line), and the
# short lines asked about repeat: a site's labels and titles, a page's <title> again as its <h1>.
@functools.lru_cache(maxsize=4096)
def _short_line_ends_with_cue(line: str) -> bool:
    # The cue must end in the last 8 characters, and no cue is longer than 14: only the tail can hold it.
    tail = line[-24:]
    ends = [match.end() for match in _DATE_CUES.finditer(tail)]
    return bool(ends) and len(tail) - ends[-1] <= 8


_META_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "article.published",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "publishdatetime",
    "published_date",
    "published-date",
    "publication_date",
    "publication-date",
    "publicationdate",
    "originalpublicationdate",
    "original-publish-date",
    "article_date_original",
    "pubdate",
    "pub_date",
    "og:pubdate",
    "published_time",
    "release_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date.published",
    "citation_publication_date",
    "citation_online_date",
    "citation_date",
    "prism.publicationdate",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "article.created",
    "bt:pubdate",
    "date_published",
    "article:post_date",
    "article:published_date",
    "article:publicationdate",
    "og:datepublished",
    "og:publish_date",
    "og:article:published",
    "rnews:datepublished",
    "dc.date.publication",
    "dc.created",
    "dc:created",
    "dcsext.articlefirstpublished",
    "analyticsattributes.articledate",
    "shareaholic:article_published_time",
    "twt-published-at",
    "vr:published_time",
    "mediator_published_time",
    "content_create_date",
    "date_created",
    "datecreated",
    "dateposted",
    "publish_time",
    "publisheddate",
    "rbpubdate",
    "displaydate",
    "doc_date",
    "pdate",
    "ptime",
    "dc.date",
    "dc:date",
    "dcterms.date",
    "date",
)
# JSON-LD types that stand for the page's own text. An Article, NewsArticle, BlogPosting, Report or
# LiveBlogPosting node is the text itself; a WebPage node describes the page that holds it (Yoast
# writes both in one @graph, and a site that moved re-creates the WebPage's dates); a VideoObject,
# ImageObject or Event may be an archive clip or a past event.
_ARTICLE_TYPE = re.compile(r"(?:Article|Posting|(?:^|[:/])Report)$")
_PAGE_TYPE = re.compile(r"(?:^|[:/])(?:WebPage|ItemPage|AboutPage|CollectionPage)$")


@dataclass(frozen=True)
class Found:
    """A publication date, where it came from, and the timestamp it was read from."""

    date: dt.date
    source: str  # json-ld | meta | time | text | script | url | htmldate ...
    stamp: Stamp | None = None


def date_from_html(
    soup: Element, region: Element | None = None, dayfirst: bool | None = None
) -> tuple[dt.date | None, str | None]:
    """(publication date, where it came from) of an HTML page from its markup: JSON-LD, meta, then <time>.

    `region` is the part of the page where the article's own <time> elements are looked for (the
    whole page when None); see date_from_markup for the timestamps as found.
    """
    found = date_from_markup(soup, region, dayfirst)
    return (found.date, found.source) if found else (None, None)


def date_from_markup(
    soup: Element,
    region: Element | None = None,
    dayfirst: bool | None = None,
    elsewhere: Callable[[Element], bool] | None = None,
) -> Found | None:
    """JSON-LD datePublished, then a publication meta tag, then a <time> (or `itemprop=datePublished`).

    `elsewhere` tells a <time> in the region that belongs to something else (a teaser, a sidebar).
    """
    stamp = _json_ld_date(soup)
    if stamp:
        return Found(stamp.date, "json-ld", stamp)
    stamp = _meta_date(soup)
    if stamp:
        return Found(stamp.date, "meta", stamp)
    stamp = _time_element_date(region if region is not None else soup, dayfirst, elsewhere)
    if stamp:
        return Found(stamp.date, "time", stamp)
    return None


def _json_ld_date(soup: Element) -> Stamp | None:
    """datePublished (or dateCreated) of the first article node, else of a web page node, else of any."""
    article: Stamp | None = None
    page: Stamp | None = None
    fallback: Stamp | None = None
    for node in _json_ld_nodes(soup):
        value = node.get("datePublished") or node.get("dateCreated")
        if not isinstance(value, str) or not (stamp := parse_stamp(value)):
            continue
        kinds = [kind for kind in _as_list(node.get("@type")) if isinstance(kind, str)]
        if any(_ARTICLE_TYPE.search(kind) for kind in kinds):
            article = article or stamp
        elif any(_PAGE_TYPE.search(kind) for kind in kinds):
            page = page or stamp
        else:
            fallback = fallback or stamp
        if article:
            return article
    return page or fallback


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _json_ld_nodes(soup: Element) -> Iterator[dict[str, Any]]:
    """Every object of the page's JSON-LD blocks (unreadable blocks skipped)."""
    for script in tags_named(soup, "script"):
        kind = script.get("type")
        if not isinstance(kind, str) or not _JSON_LD.search(kind):
            continue
        try:
            data = json.loads(get_text(script) or "null")
        except (ValueError, RecursionError):
            continue
        yield from _json_nodes(data)


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


def _meta_values(soup: Element) -> dict[str, str]:
    """Each meta tag's content by its lowercase property, name or itemprop (the first of each)."""
    found: dict[str, str] = {}
    for meta in tags_named(soup, "meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if isinstance(key, str) and isinstance(content, str):
            found.setdefault(key.strip().lower(), content)
    return found


def _meta_date(soup: Element) -> Stamp | None:
    found = _meta_values(soup)
    for key in _META_DATE_KEYS:
        if key in found and (stamp := parse_stamp(found[key])):
            return stamp
    return None


def _time_element_date(
    scope: Element, dayfirst: bool | None = None, elsewhere: Callable[[Element], bool] | None = None
) -> Stamp | None:
    """A <time> (or element with itemprop=datePublished, or abbr.published) marked as the publication,
    else the first one not marked as an update, outside comments, rails and related boxes."""
    marked: list[Element] = []
    plain: list[Element] = []
    walked: dict[Element, int] = {}
    for element in tags_in(scope):
        if not _is_date_element(element) or _outside_the_article(element, walked):
            continue
        if elsewhere is not None and elsewhere(element):
            continue
        kind = _time_kind(element)
        if kind == "published":
            marked.append(element)
        elif kind is None and element.tag == "time":
            plain.append(element)
    for element in marked + plain:
        if stamp := _stamp_of(element, dayfirst):
            return stamp
    return None


def _is_date_element(tag: Element) -> bool:
    """A <time>, an `abbr.published` (hAtom, Blogger), or an element marked datePublished (microdata, RDFa)."""
    name = tag.tag
    if name == "time":
        return True
    if name == "meta":
        return False
    if name == "abbr" and "published" in class_tokens(tag):
        return True
    return tag.get("itemprop") == "datePublished" or bool(_RDFA_PUBLISHED.search(str(tag.get("property", ""))))


_RDFA_PUBLISHED = re.compile(r"(?:^|\s)(?:dc|dcterms|schema):(?:created|issued|datePublished)\b", re.I)


def _stamp_of(element: Element, dayfirst: bool | None) -> Stamp | None:
    """The date a <time>-like element holds: its datetime, content or title attribute, else its text.

    A timestamp in UTC whose own text shows the day before or after is the publisher's local day:
    Hatena writes `datetime="2021-08-09T23:00:00Z"` around "2021-08-10".
    """
    for attribute in ("datetime", "content", "title"):
        value = element.get(attribute)
        if isinstance(value, str) and (stamp := parse_stamp(value, dayfirst)):
            if stamp.in_utc and stamp.moment is not None:
                shown = _shown_date(element, dayfirst)
                days = (shown - stamp.date).days if shown else 0
                if shown and (days == -1 and stamp.moment.hour < 12 or days == 1 and stamp.moment.hour >= 12):
                    return Stamp(shown)
            return stamp
    shown = _shown_date(element, dayfirst)
    return Stamp(shown) if shown else None


def _shown_date(element: Element, dayfirst: bool | None) -> dt.date | None:
    text = get_text(element, " ", strip=True)
    if len(text) > 120:
        return None
    return parse_date(text, dayfirst) or parse_date(get_text(element, "", strip=True), dayfirst)


def _time_kind(element: Element) -> str | None:
    """What a <time> is marked as, by its markup or the words just before it: "published", "other", None."""
    if "pubdate" in element.attrib or element.get("itemprop") == "datePublished":
        return "published"
    if _RDFA_PUBLISHED.search(str(element.get("property", ""))):
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


def _words_before(element: Element) -> str:
    """Up to 60 characters of text just before a <time>, back to the previous <time> or block."""
    parts: list[str] = []
    size = 0
    parent = element.getparent()
    if parent is None:
        return ""
    siblings = children(parent, *string_state(parent))
    for sibling in reversed(siblings[: next(i for i, node in enumerate(siblings) if node is element)]):
        if isinstance(sibling, Text):
            if not sibling.plain:
                continue
            text = sibling.text
        elif isinstance(sibling.tag, str):
            if sibling.tag not in _INLINE_TAGS:
                break
            text = get_text(sibling, " ")
        else:
            continue
        parts.append(text)
        size += len(text)
        if size >= 60:
            break
    return "".join(reversed(parts))[-60:]


# Parts of a page whose <time> elements date something else: comments, related or recommended
# stories, sidebars and rails, news feeds ("lenta" on Russian sites), teasers of other articles.
_NOT_THE_ARTICLE = re.compile(
    r"(?:^|[\s_-])(comments?|related|sidebar|rail|feed|lenta|teasers?|modal|popup|dialog|login|wm-ipp)(?:$|[\s_-])",
    re.I,
)
# Layout state classes ("has-sidebar", "no-comments", "with-related") describe the page, not the part.
_STATE_CLASS = re.compile(r"^(?:has|no|with|without|is)[-_]", re.I)


# What the walk up from an element finds: a part that is not the article, the article, or the top
# of the page (through a footer or not).
_OUTSIDE, _ARTICLE, _TOP, _TOP_THROUGH_FOOTER = range(4)


def _outside_the_article(element: Element, walked: dict[Element, int]) -> bool:
    """True for a <time> in an aside, nav, comment, related box or feed, or in the site's footer.

    The walk up stops at the nearest <article>: classes above it describe the layout. A <footer>
    inside an <article> is the article's own (WordPress puts "Posted on <time>" there). `walked`
    keeps what the walk found above each element (keyed by the element, so its lxml proxy stays alive),
    so many deeply nested <time>s cost one walk.
    """
    path: list[Element] = []
    found = _TOP
    for parent in element.iterancestors():
        if parent in walked:
            found = walked[parent]
            break
        tokens = [token for token in _class_tokens(parent) if not _STATE_CLASS.match(token)]
        tokens += [str(parent.get("id", "")), str(parent.get("itemprop", ""))]
        if (
            parent.tag in ("aside", "nav")
            or str(parent.get("role", "")) in ("dialog", "alertdialog")
            or (_NOT_THE_ARTICLE.search(" ".join(tokens)))
        ):
            found = _OUTSIDE
        elif parent.tag == "article":
            found = _ARTICLE
        path.append(parent)
        if found != _TOP:
            break
    for parent in reversed(path):
        if found == _TOP and parent.tag == "footer":
            found = _TOP_THROUGH_FOOTER
        walked[parent] = found
    return found in (_OUTSIDE, _TOP_THROUGH_FOOTER)


def _class_tokens(element: Element) -> list[str]:
    return class_tokens(element)


def update_dates(soup: Element) -> set[dt.date]:
    """The dates a page marks as updates, not publication: modified meta tags, JSON-LD dateModified,
    <time> elements marked updated. A guess that lands on one of them took the wrong date."""
    found: set[dt.date] = set()
    for key, value in _meta_values(soup).items():
        if _UPDATE_KEY.search(key) and (date := parse_date(value)):
            found.add(date)
    for node in _json_ld_nodes(soup):
        modified = node.get("dateModified")
        if isinstance(modified, str) and (date := parse_date(modified)):
            found.add(date)
    for element in tags_named(soup, "time"):
        if _time_kind(element) == "other" and (stamp := _stamp_of(element, None)):
            found.add(stamp.date)
    return found


def cued_elsewhere(lines: Iterator[str] | list[str], dayfirst: bool | None = None) -> set[dt.date]:
    """Dates in short lines after an update, crawl or "today" cue ("Aujourd'hui : 18 janvier 2024")."""
    found: set[dt.date] = set()
    carried = ""
    for line in lines:
        dates = _dates_in(line, dayfirst, two_digit=True)
        previous_end = 0
        for start, end, date in dates:
            before = line[previous_end:start]
            if previous_end == 0:
                before = f"{carried} {before}"
            if _cue_before(before) == "other":
                found.add(date)
            previous_end = end
        carried = line if not dates and _ends_with_cue(line) else ""
    return found


_UPDATE_KEY = re.compile(r"modif|updated|lastmod|last-mod|revised", re.I)


# --- dates in scripts -------------------------------------------------------------------------------

# Keys a page's own data (a data layer, a framework's state) gives its publication time under.
_SCRIPT_KEYS = re.compile(
    r"""["']?(?:datePublished|publishDate|publishedDate|publishedAt|published_at|firstPublishedAt|firstPublished"""
    r"""|publicationDate|publication_date|pubDate|pub_date|date_published|publish_date|publishTime)["']?"""
    r"""\s*[:=]\s*["'](\d{4}-\d{2}-\d{2}[^"']{0,30})["']"""
)
_SCRIPT_CHARS = 200_000


def date_from_scripts(soup: Element) -> Stamp | None:
    """The first publication time in the page's own scripts (not JSON-LD): `dataLayer.push({"publishDate":
    "2021-08-10T07:30:00Z"})`, `window.__INITIAL_STATE__ = {"article": {"firstPublishedAt": …}}`."""
    read = 0
    for script in tags_named(soup, "script"):
        kind = str(script.get("type", "")).lower()
        if "ld+json" in kind or script.get("src"):
            continue
        text = get_text(script)[: _SCRIPT_CHARS - read]
        read += len(text)
        match = _SCRIPT_KEYS.search(text)
        if match and (stamp := parse_stamp(match.group(1))):
            return stamp
        if read >= _SCRIPT_CHARS:
            break
    return None


# --- htmldate -----------------------------------------------------------------------------------------

# htmldate judges a date after this one implausible; a fixed bound keeps the result independent of
# the day the harvest runs (the harvest reads no clock).
_HTMLDATE_MAX = "2100-12-31"


def date_by_htmldate(content: bytes, url: str | None = None, extensive: bool = False) -> dt.date | None:
    """htmldate's original publication date of a page (original_date=True).

    `extensive` lets it guess from any date in the page's text (a footer's "© 2024" becomes 1 January).

    Given bytes, never a string: htmldate downloads a string that looks like a URL. Imported on first
    use (it loads dateparser, about half a second).
    """
    import logging

    from htmldate import find_date

    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    try:
        found = find_date(bytes(content), url=url, original_date=True, outputformat="%Y-%m-%d", max_date=_HTMLDATE_MAX)
    except (ValueError, TypeError, RecursionError):
        return None
    return dt.date.fromisoformat(found) if found else None
