"""The CDX API's questions and answers, and Memento TimeMaps, read from literal text."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from linkcheck.fallback.candidates import Side, from_stamp14
from linkcheck.fallback.cdx import parse_rows, playback_url, query_url, raw_url
from linkcheck.fallback.memento import parse_timemap, raw_memento_url

TARGET = dt.datetime(2021, 8, 10, 23, 59, 59, tzinfo=dt.UTC)


def params(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_before_asks_for_the_last_few_captures_with_status_200_up_to_the_target() -> None:
    url = query_url("https://web.archive.org/", "https://example.com/a?b=1&c=2", Side.BEFORE, TARGET, 5)
    assert url.startswith("https://web.archive.org/cdx/search/cdx?")
    assert params(url) == {
        "url": "https://example.com/a?b=1&c=2",
        "output": "json",
        "fl": "timestamp,original,statuscode,mimetype",
        "filter": "statuscode:200",
        "to": "20210810235959",
        "limit": "-5",
    }


def test_after_asks_for_the_first_few_from_the_next_second() -> None:
    found = params(query_url("https://web.archive.org", "https://example.com/a", Side.AFTER, TARGET, 3))
    assert (found["from"], found["limit"]) == ("20210811000000", "3") and "to" not in found


def test_rows_are_read_by_the_header_names() -> None:
    body = (
        b'[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],'
        b'["com,example)/a","20210809120005","https://example.com/a","text/html","200","X","100"],'
        b'["com,example)/a","20210809130000","https://example.com/a","warc/revisit","-","X","100"]]'
    )
    rows = parse_rows(body)
    assert [(row.timestamp, row.original, row.status, row.mime) for row in rows] == [
        ("20210809120005", "https://example.com/a", 200, "text/html"),
        ("20210809130000", "https://example.com/a", None, "warc/revisit"),
    ]
    reordered = b'[["original","statuscode","timestamp"],["https://example.com/a","200","20210809120005"]]'
    assert parse_rows(reordered)[0].timestamp == "20210809120005"
    assert parse_rows(b"[]") == parse_rows(b"") == []


@pytest.mark.parametrize("body", [b"{}", b"<html>busy</html>", b'[["a","b"],["1"]]', b'[["urlkey"],["x"]]'])
def test_an_answer_of_another_shape_is_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_rows(body)


def test_playback_and_raw_addresses() -> None:
    assert playback_url("https://web.archive.org/", "20210809120005", "https://example.com/a") == (
        "https://web.archive.org/web/20210809120005/https://example.com/a"
    )
    assert raw_url("https://web.archive.org", "20210809120005", "https://example.com/a") == (
        "https://web.archive.org/web/20210809120005id_/https://example.com/a"
    )


def test_short_timestamps_are_padded_and_nonsense_refused() -> None:
    assert from_stamp14("20210809120005") == dt.datetime(2021, 8, 9, 12, 0, 5, tzinfo=dt.UTC)
    assert from_stamp14("2021") == dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    assert from_stamp14("202108") == dt.datetime(2021, 8, 1, tzinfo=dt.UTC)
    assert from_stamp14("20211332000000") is None and from_stamp14("abc") is None and from_stamp14("") is None


TIMEMAP = """<http://a.example/story>; rel="original",
<http://arc.example/coll/timemap/link/http://a.example/story>; rel="self"; type="application/link-format";
  from="Tue, 14 May 2019 10:00:00 GMT",
<http://arc.example/coll/http://a.example/story>; rel="timegate",
<http://arc.example/coll/20190514100000mp_/http://a.example/story>; rel="first memento";
  datetime="Tue, 14 May 2019 10:00:00 GMT"; collection="coll",
</coll/20210801063000/http://a.example/story>; rel="memento"; datetime="Sun, 01 Aug 2021 06:30:00 GMT",
<http://arc.example/coll/20220302181500/http://a.example/story>; rel="last memento";
  datetime="Wed, 02 Mar 2022 18:15:00 GMT"
"""


def test_a_timemap_lists_its_mementos_oldest_first() -> None:
    mementos = parse_timemap(TIMEMAP, "http://arc.example/coll/timemap/link/http://a.example/story")
    assert [(m.uri, m.datetime.isoformat()) for m in mementos] == [
        ("http://arc.example/coll/20190514100000mp_/http://a.example/story", "2019-05-14T10:00:00+00:00"),
        ("http://arc.example/coll/20210801063000/http://a.example/story", "2021-08-01T06:30:00+00:00"),
        ("http://arc.example/coll/20220302181500/http://a.example/story", "2022-03-02T18:15:00+00:00"),
    ]


def test_a_timemap_of_another_shape_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_timemap("<html><body>Not found</body></html>", "http://arc.example/")
    assert parse_timemap("", "http://arc.example/") == []


def test_a_memento_is_fetched_raw_with_id_after_its_timestamp() -> None:
    assert raw_memento_url("http://arc.example/coll/20190514100000mp_/http://a.example/story") == (
        "http://arc.example/coll/20190514100000id_/http://a.example/story"
    )
    assert raw_memento_url("http://arc.example/coll/20190514100000/http://a.example/2019/05/14/x") == (
        "http://arc.example/coll/20190514100000id_/http://a.example/2019/05/14/x"
    )
    assert raw_memento_url("http://arc.example/memento/abc") == "http://arc.example/memento/abc"
