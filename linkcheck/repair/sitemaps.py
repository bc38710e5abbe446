"""A site's sitemaps (robots.txt `Sitemap:` lines, sitemap indexes, sitemaps), read safely and bounded.

XML is parsed with defusedxml (no DTDs, so no entity expansion and no external entities), only up to
MAX_SITEMAP_BYTES, and only the sitemaps whose period or `lastmod` can hold the article's date are read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from linkcheck.dates import parse_date
from linkcheck.models import FetchResult

MAX_SITEMAP_BYTES = 5_000_000
MAX_SITEMAPS_PER_HOST = 4  # sitemaps (indexes included) read per host per run, at most
MAX_ENTRIES = 50_000  # the sitemap protocol's own limit per file
_LASTMOD_SLACK = dt.timedelta(days=31)  # a story moved may be dated some weeks before the article
# A period in a sitemap's name: a year, a month, a day (`2021`, `2021/08`, `2021-08-05`).
_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:[-_/](0[1-9]|1[0-2])(?:[-_/](0[1-9]|[12]\d|3[01]))?)?(?!\d)")


@dataclass(frozen=True, slots=True)
class Entry:
    """One <url> or <sitemap> entry: its address and lastmod, if given."""

    loc: str
    lastmod: dt.date | None = None


def sitemap_lines(robots_txt: str, base: str) -> list[str]:
    """The sitemaps robots.txt names (`Sitemap: <url>`, any case), made absolute."""
    found = []
    for line in robots_txt.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            found.append(urljoin(base, value.strip()))
    return found


def parse_sitemap(body: bytes) -> tuple[str, list[Entry]]:
    """("index" | "urlset" | "invalid", entries) of a sitemap document; DTDs and entities refused."""
    try:
        root = ElementTree.fromstring(body[:MAX_SITEMAP_BYTES], forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return "invalid", []
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        return "invalid", []
    entries: list[Entry] = []
    for item in root:
        if len(entries) >= MAX_ENTRIES:
            break
        loc, lastmod = _child_text(item, "loc"), _child_text(item, "lastmod")
        if loc:
            entries.append(Entry(loc.strip(), _lastmod(lastmod)))
    return ("index" if kind == "sitemapindex" else "urlset"), entries


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(item: Element, name: str) -> str | None:
    for child in item:
        if _local(child.tag) == name:
            return child.text
    return None


def _lastmod(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return parse_date(text)


def period_of(loc: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a sitemap's name says it covers (`/2021/08.xml`, `sitemap-2021-08-05.xml`,
    `posts-2021.xml`), or None."""
    match = _PERIOD.search(urlsplit(loc).path)
    if not match:
        return None
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            first = dt.date(year, int(month), 1)
            return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        exact = dt.date(year, int(month), int(day))
    except ValueError:
        return None
    return exact, exact


def may_hold(entry: Entry, day: dt.date) -> bool:
    """Whether a sitemap can list a story of `day` or of the weeks before it: a period in its name
    that reaches that far, else a lastmod not older than that (a sitemap untouched since cannot list it),
    else yes."""
    earliest = day - _LASTMOD_SLACK
    period = period_of(entry.loc)
    if period is not None:
        return period[0] <= day and period[1] >= earliest
    return entry.lastmod is None or entry.lastmod >= earliest


@dataclass
class SiteMaps:
    """Each host's robots.txt and each sitemap read at most once per run. Reading them counts once
    against the asking citation's budget: `spend` is asked before the first request not yet made."""

    fetch: Callable[[str], FetchResult]
    _robots: dict[str, list[str]] = field(default_factory=dict)
    _sitemaps: dict[str, tuple[str, list[Entry]]] = field(default_factory=dict)

    def pages(self, origin: str, day: dt.date, spend: Callable[[], bool]) -> list[Entry]:
        """Page entries of the sitemaps of `origin` (scheme://host) that can hold `day`."""
        spend = _once(spend)
        listed = self._listed(origin, spend)
        if listed is None:
            return []
        queue = [Entry(url) for url in listed if _same_host(url, origin)] or [Entry(urljoin(origin, "/sitemap.xml"))]
        pages: list[Entry] = []
        seen: set[str] = set()
        while queue and len(seen) < MAX_SITEMAPS_PER_HOST:
            sitemap = queue.pop(0)
            if sitemap.loc in seen:
                continue
            seen.add(sitemap.loc)
            read = self._sitemap(sitemap.loc, spend)
            if read is None:
                break
            kind, entries = read
            if kind == "index":
                queue.extend(e for e in entries if _same_host(e.loc, origin) and may_hold(e, day))
            elif kind == "urlset":
                pages.extend(entries)
        return pages

    def _listed(self, origin: str, spend: Callable[[], bool]) -> list[str] | None:
        if origin not in self._robots:
            if not spend():
                return None
            robots = self.fetch(urljoin(origin, "/robots.txt"))
            text = robots.body[:MAX_SITEMAP_BYTES].decode("utf-8", "replace") if robots.status == 200 else ""
            self._robots[origin] = sitemap_lines(text, origin)
        return self._robots[origin]

    def _sitemap(self, url: str, spend: Callable[[], bool]) -> tuple[str, list[Entry]] | None:
        if url not in self._sitemaps:
            if not spend():
                return None
            answer = self.fetch(url)
            self._sitemaps[url] = parse_sitemap(answer.body) if answer.status == 200 else ("invalid", [])
        return self._sitemaps[url]


def _once(spend: Callable[[], bool]) -> Callable[[], bool]:
    """`spend` asked on the first call only; later calls answer as the first did."""
    answer: list[bool] = []

    def charge() -> bool:
        if not answer:
            answer.append(spend())
        return answer[0]

    return charge


def _same_host(url: str, origin: str) -> bool:
    return urlsplit(url).hostname == urlsplit(origin).hostname
