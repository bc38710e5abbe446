"""Addresses the Wayback Machine has seen on a site under the same slug or id as a lost page: the
archive generator of suggested URLs (the repair stage verifies each on the live site; an archive's
own address is never offered). One CDX query per cited URL, through the polite client."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from linkcheck.fallback.cdx import parse_rows
from linkcheck.fallback.politeness import Reply

MAX_ROWS = 20


def similar_query_url(wayback: str, host: str, word: str) -> str:
    """The CDX query for distinct URLs of a host whose address holds `word` (an id or a slug)."""
    params = [
        ("url", f"{host}/*"),
        ("output", "json"),
        ("fl", "original,timestamp,statuscode"),
        ("filter", "statuscode:200"),
        ("filter", f"original:.*{re.escape(word)}.*"),
        ("collapse", "urlkey"),
        ("limit", str(MAX_ROWS)),
    ]
    return f"{wayback.rstrip('/')}/cdx/search/cdx?{urlencode(params)}"


def similar_urls(wayback: str, request: Callable[[str], Reply], cited: str, word: str) -> list[str]:
    """The original URLs the archive lists on the cited host under `word`, the cited URL left out;
    empty when the archive could not be asked or answered something else."""
    host = urlsplit(cited).hostname or ""
    if not wayback or not host or not word:
        return []
    reply = request(similar_query_url(wayback, host, word))
    if reply.fetch is None or reply.fetch.status != 200:
        return []
    try:
        rows = parse_rows(reply.fetch.body)
    except ValueError:
        return []
    found: dict[str, None] = {}
    for row in rows:
        original = row.original.strip()
        if original.startswith(("http://", "https://")) and original != cited and row.status in (200, None):
            found.setdefault(original, None)
    return list(found)
