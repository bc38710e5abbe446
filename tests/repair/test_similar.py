"""The archive generator's CDX query and answer, with literal replies."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

from linkcheck.fallback.politeness import Reply
from linkcheck.fallback.similar import similar_query_url, similar_urls
from linkcheck.models import FetchResult

CITED = "https://www.themoscowtimes.com/2026/04/03/russia-holds-drills-a74712"


def test_the_query_asks_for_distinct_addresses_of_the_host_holding_the_id() -> None:
    query = similar_query_url("https://web.archive.org/", "www.themoscowtimes.com", "a74712")
    params = parse_qsl(urlsplit(query).query)
    assert query.startswith("https://web.archive.org/cdx/search/cdx?")
    assert ("url", "www.themoscowtimes.com/*") in params and ("collapse", "urlkey") in params
    assert ("filter", "original:.*a74712.*") in params and ("filter", "statuscode:200") in params


def test_the_answer_gives_live_addresses_without_the_cited_one() -> None:
    rows = [
        ["original", "timestamp", "statuscode"],
        [CITED, "20260403000000", "200"],
        ["https://www.themoscowtimes.com/2021/08/05/russia-holds-drills-a74712", "20210806000000", "200"],
        ["https://www.themoscowtimes.com/2021/08/05/russia-holds-drills-a74712", "20210807000000", "200"],
    ]
    asked: list[str] = []

    def request(url: str) -> Reply:
        asked.append(url)
        return Reply(FetchResult(url, url, 200, body=json.dumps(rows).encode()))

    found = similar_urls("https://web.archive.org", request, CITED, "a74712")
    assert found == ["https://www.themoscowtimes.com/2021/08/05/russia-holds-drills-a74712"]
    assert len(asked) == 1


def test_an_archive_that_fails_or_answers_nonsense_gives_nothing() -> None:
    assert similar_urls("https://web.archive.org", lambda url: Reply(None, "down"), CITED, "a74712") == []
    nonsense = lambda url: Reply(FetchResult(url, url, 200, body=b"<html>"))  # noqa: E731
    assert similar_urls("https://web.archive.org", nonsense, CITED, "a74712") == []
    assert similar_urls("", nonsense, CITED, "a74712") == []  # no Wayback Machine configured
