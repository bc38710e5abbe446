"""Candidate URLs a lost page may have moved to: pure, cheapest first.

The url-date generator keeps the cited URL whole and only moves its date, written the way the site
writes dates (`/2026/04/03/` becomes `/2021/08/05/`): to the article's date and the days before it,
and by turns to the days the cited date itself suggests (its month and day in the article's year,
its day of the month in earlier months), never after the article.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit, urlunsplit

from linkcheck.urls import dates_in_url

# A date as a URL writes it: year, then month and day with the site's own separators and padding.
_WRITTEN_DAY = re.compile(r"^(\d{4})(\D?)(\d{1,2})(\D?)(\d{1,2})$")
_WRITTEN_MONTH = re.compile(r"^(\d{4})(\D)(\d{1,2})$")
# An id in a slug: a run of digits, alone or with a letter prefix (`a74712`, `4936744`).
_ID = re.compile(r"(?<![^\W_])[a-z]{0,2}\d{4,}(?![^\W_])", re.I)
NEAREST_DAYS = 3  # the article's date and the two days before it are tried first
CITED_DAY_MONTHS = 12  # how many months back the cited day of the month is tried


def url_date_candidates(url: str, published: dt.date, limit: int) -> list[tuple[str, str]]:
    """The cited URL under the article's date and the dates before it, nearest first, as
    (candidate, the date as written); the URL's own date is left out. Empty when the path has no date."""
    parts = urlsplit(url)
    for found in dates_in_url(url):
        if found.evidence not in parts.path:
            continue  # a date in the query names a listing more often than a story
        if found.precision == "day":
            written = _WRITTEN_DAY.match(found.evidence)
            if not written:
                continue
            texts = (_write_day(day, written) for day in candidate_days(published, found.date, limit))
        else:
            written = _WRITTEN_MONTH.match(found.evidence)
            if not written:
                continue
            texts = (_write_month(month, written) for month in _months_back(published, limit + 1))
        out = []
        for text in texts:
            if text == found.evidence:
                continue
            path = parts.path.replace(found.evidence, text, 1)
            out.append((urlunsplit(parts._replace(path=path)), text))
            if len(out) == limit:
                break
        return out
    return []


def candidate_days(published: dt.date, cited: dt.date, count: int) -> list[dt.date]:
    """At most `count` days to put in a misdated URL, none after the article nor the cited day itself:
    the article's date and the days just before it first (NEAREST_DAYS), then by turns a day the cited
    date suggests (_cited_like) and the next day further back."""
    back = (published - dt.timedelta(days=days) for days in itertools.count())
    like = _cited_like(published, cited)
    days: list[dt.date] = []
    for turn in itertools.count():
        if len(days) >= count:
            break
        source = back if turn < NEAREST_DAYS or (turn - NEAREST_DAYS) % 2 else like
        day = next(source, None) or next(back)
        if day <= published and day != cited and day not in days:
            days.append(day)
    return days


def _cited_like(published: dt.date, cited: dt.date) -> Iterator[dt.date]:
    """Days a misdated URL may have meant: the cited month and day in the article's year, then the
    cited day of the month in the article's month and the months before it (a wrong year or month)."""
    wanted = [(published.year, cited.month), *_months_back(published, CITED_DAY_MONTHS)]
    for in_year, in_month in wanted:
        try:
            day = dt.date(in_year, in_month, cited.day)
        except ValueError:  # 31 June
            continue
        if day <= published:
            yield day


def _write_day(day: dt.date, written: re.Match[str]) -> str:
    month_width, day_width = len(written.group(3)), len(written.group(5))
    return f"{day.year:04d}{written.group(2)}{day.month:0{month_width}d}{written.group(4)}{day.day:0{day_width}d}"


def _write_month(month: tuple[int, int], written: re.Match[str]) -> str:
    return f"{month[0]:04d}{written.group(2)}{month[1]:0{len(written.group(3))}d}"


def _months_back(day: dt.date, count: int) -> list[tuple[int, int]]:
    year, month = day.year, day.month
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def last_segment(url: str) -> str:
    """The URL's last path segment, decoded and lowercased (its slug)."""
    segments = [segment for segment in urlsplit(url).path.split("/") if segment]
    return unquote(segments[-1]).lower() if segments else ""


def slug_ids(url: str) -> frozenset[str]:
    """The ids in a URL's slug (`russia-holds-drills-a74712` -> {"a74712"})."""
    return frozenset(match.group(0).lower() for match in _ID.finditer(last_segment(url)))


def same_story_path(candidate: str, cited: str) -> bool:
    """Whether a URL listed by the site may be the cited story moved: another URL with the same slug,
    or sharing an id with the cited slug."""
    if candidate == cited:
        return False
    slug = last_segment(cited)
    if slug and last_segment(candidate) == slug:
        return True
    ids = slug_ids(cited)
    return bool(ids and ids & slug_ids(candidate))
