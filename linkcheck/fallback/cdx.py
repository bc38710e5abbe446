"""The Wayback Machine's CDX API: which captures of a URL it holds, and their playback and raw URLs.

A query with `output=json` answers a JSON array whose first row names the fields (by default
urlkey, timestamp, original, mimetype, statuscode, digest, length); rows are read by those names,
so a server that ignores `fl` is understood too. `to`/`from` bound the timestamps (inclusive), a
negative `limit` keeps the last rows, and `filter=statuscode:200` leaves out captured errors and
redirects, which are never the copy.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from linkcheck.fallback.candidates import Candidate, Listing, Side, from_stamp14, stamp14
from linkcheck.fallback.politeness import Reply

FIELDS = "timestamp,original,statuscode,mimetype"


@dataclass(frozen=True)
class CdxRow:
    timestamp: str  # 14 digits, UTC
    original: str  # the URL as captured
    status: int | None  # None for revisits and rows without a status ("-")
    mime: str | None = None


def query_url(wayback: str, url: str, side: Side, target: dt.datetime, limit: int) -> str:
    """The CDX query for the last `limit` captures with status 200 up to the target, or the first after it."""
    params = [("url", url), ("output", "json"), ("fl", FIELDS), ("filter", "statuscode:200")]
    if side is Side.BEFORE:
        params += [("to", stamp14(target)), ("limit", str(-limit))]
    else:
        params += [("from", stamp14(target + dt.timedelta(seconds=1))), ("limit", str(limit))]
    return f"{wayback.rstrip('/')}/cdx/search/cdx?{urlencode(params)}"


def recent_query_url(wayback: str, url: str, since: dt.datetime) -> str:
    """The CDX query for the latest capture with status 200 since a moment (is there a recent one?)."""
    params = [("url", url), ("output", "json"), ("fl", FIELDS), ("filter", "statuscode:200")]
    params += [("from", stamp14(since)), ("limit", "-1")]
    return f"{wayback.rstrip('/')}/cdx/search/cdx?{urlencode(params)}"


def parse_rows(body: bytes) -> list[CdxRow]:
    """Rows of a JSON CDX answer (header row first; an empty answer is `[]` or nothing at all).

    Raises ValueError when the answer is not that shape.
    """
    if not body.strip():
        return []
    data = json.loads(body)
    if not isinstance(data, list) or not all(isinstance(row, list) for row in data):
        raise ValueError("not a JSON array of rows")
    if not data:
        return []
    header = [str(name) for name in data[0]]
    if "timestamp" not in header or "original" not in header:
        raise ValueError(f"header row names no timestamp and original: {header[:8]}")
    column = {name: index for index, name in enumerate(header)}
    rows = []
    for raw in data[1:]:
        values = [str(value) for value in raw]
        if len(values) != len(header):
            raise ValueError(f"a row has {len(values)} fields, the header {len(header)}")
        status = values[column["statuscode"]] if "statuscode" in column else ""
        rows.append(
            CdxRow(
                values[column["timestamp"]],
                values[column["original"]],
                int(status) if status.isascii() and status.isdigit() else None,
                values[column["mimetype"]] if "mimetype" in column else None,
            )
        )
    return rows


def playback_url(wayback: str, stamp: str, url: str) -> str:
    """What a person opens: the Wayback Machine's page for that capture."""
    return f"{wayback.rstrip('/')}/web/{stamp}/{url}"


def raw_url(wayback: str, stamp: str, url: str) -> str:
    """The capture as archived, without the Wayback Machine's rewriting (`id_`)."""
    return f"{wayback.rstrip('/')}/web/{stamp}id_/{url}"


class WaybackIndex:
    """Captures of a URL the Wayback Machine lists, asked through the polite client."""

    def __init__(self, wayback: str, request: Callable[[str], Reply], limit: int) -> None:
        self.wayback = wayback.rstrip("/")
        self.name = urlsplit(self.wayback).hostname or self.wayback
        self._request = request
        self._limit = limit

    def captures(self, url: str, target: dt.datetime, side: Side) -> Listing:
        reply = self._request(query_url(self.wayback, url, side, target, self._limit))
        if reply.fetch is None:
            return Listing(error=reply.failure)
        answer = reply.fetch
        if answer.status != 200:
            return Listing(error=f"CDX API answered HTTP {answer.status} {answer.reason}".strip())
        try:
            rows = parse_rows(answer.body)
        except ValueError as exc:  # json.JSONDecodeError is one
            return Listing(error=f"CDX API answer not understood: {exc}")
        candidates = []
        for row in rows:
            moment = from_stamp14(row.timestamp)
            if moment is None or len(row.timestamp) != 14 or row.status != 200:
                continue  # a captured redirect or error is never the copy, whatever the filter did
            if (side is Side.BEFORE) != (moment <= target):
                continue  # the server ignored `to`/`from`
            original = row.original or url
            candidates.append(
                Candidate(
                    self.name,
                    moment,
                    playback_url(self.wayback, row.timestamp, original),
                    raw_url(self.wayback, row.timestamp, original),
                    status=row.status,
                )
            )
        candidates.sort(key=lambda candidate: candidate.archived_at, reverse=side is Side.BEFORE)
        return Listing(candidates)
