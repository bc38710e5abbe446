"""Archives that speak Memento (RFC 7089): a link-format TimeMap lists a URL's mementos and their times.

A TimeMap is `<URI>; rel="..."; datetime="..."` entries separated by commas (RFC 6690 link format);
the commas inside a quoted HTTP date are not separators. A memento's rel holds the token `memento`
("first memento", "memento last"...). pywb serves a memento raw when `id_` follows its timestamp.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from linkcheck.fallback.candidates import Candidate, Listing, Side
from linkcheck.fallback.politeness import Reply

_LINK = re.compile(r"\s*<([^>]*)>")
_PARAM = re.compile(r'\s*;\s*([^\s=;,]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;,]*)))?')
_STAMP_SEGMENT = re.compile(r"/(\d{14})(?:[a-z]{2}_)?/")


@dataclass(frozen=True)
class Memento:
    uri: str
    datetime: dt.datetime  # UTC


def parse_timemap(text: str, base: str) -> list[Memento]:
    """The mementos of a link-format TimeMap, oldest first; relative URIs resolved against `base`.

    Entries that are not mementos, or whose datetime cannot be read, are left out.
    Raises ValueError when the text is not link format at all.
    """
    mementos = []
    position = 0
    text = text.strip()
    while position < len(text):
        link = _LINK.match(text, position)
        if link is None:
            raise ValueError(f"not a link-format TimeMap (at character {position})")
        position = link.end()
        params: dict[str, str] = {}
        while (param := _PARAM.match(text, position)) is not None:
            value = param.group(2) if param.group(2) is not None else (param.group(3) or "")
            params.setdefault(param.group(1).lower(), value.replace('\\"', '"'))
            position = param.end()
        rest = re.match(r"\s*(,|$)", text[position:])
        if rest is None:
            raise ValueError(f"not a link-format TimeMap (at character {position})")
        position += rest.end()
        if "memento" not in params.get("rel", "").lower().split():
            continue
        when = _http_date(params.get("datetime", ""))
        if when is not None:
            mementos.append(Memento(urljoin(base, link.group(1).strip()), when))
    return sorted(mementos, key=lambda memento: memento.datetime)


def _http_date(text: str) -> dt.datetime | None:
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def raw_memento_url(uri: str) -> str:
    """The memento as archived: `id_` after a 14-digit timestamp segment (pywb, Wayback); else as is."""
    return _STAMP_SEGMENT.sub(lambda match: f"/{match.group(1)}id_/", uri, count=1)


class MementoIndex:
    """Captures of a URL listed by one Memento archive's TimeMap (fetched once per URL, asked politely)."""

    def __init__(self, timemap_prefix: str, request: Callable[[str], Reply]) -> None:
        self.prefix = timemap_prefix
        self.name = urlsplit(timemap_prefix).netloc.lower() or timemap_prefix
        self._request = request
        self._seen: dict[str, Listing] = {}

    def captures(self, url: str, target: dt.datetime, side: Side) -> Listing:
        everything = self._timemap(url)
        if everything.error is not None:
            # Asked once per URL: the same error stands for the other side of the target date.
            return everything if side is Side.BEFORE else Listing(error=None)
        if side is Side.BEFORE:
            chosen = [c for c in everything.candidates if c.archived_at <= target]
            return Listing(sorted(chosen, key=lambda c: c.archived_at, reverse=True))
        return Listing([c for c in everything.candidates if c.archived_at > target])

    def _timemap(self, url: str) -> Listing:
        if url in self._seen:
            return self._seen[url]
        timemap = self.prefix + url
        reply = self._request(timemap)
        listing: Listing
        if reply.fetch is None:
            listing = Listing(error=reply.failure)
        elif reply.fetch.status == 404:
            listing = Listing()  # Memento: no TimeMap for a URL the archive never captured
        elif reply.fetch.status != 200:
            listing = Listing(error=f"TimeMap answered HTTP {reply.fetch.status} {reply.fetch.reason}".strip())
        else:
            try:
                found = parse_timemap(reply.fetch.body.decode("utf-8", "replace"), timemap)
            except ValueError as exc:
                listing = Listing(error=f"TimeMap not understood: {exc}")
            else:
                listing = Listing(
                    [
                        Candidate(self.name, memento.datetime, memento.uri, raw_memento_url(memento.uri))
                        for memento in found
                    ]
                )
        self._seen[url] = listing
        return listing
