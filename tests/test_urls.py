"""URL normalization, host validation, dates inside URLs."""

from __future__ import annotations

import datetime as dt
import random
import re
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkcheck.urls import InvalidURL, dates_in_url, host_of, is_fetchable, normalize_url, remove_dot_segments

# --- normalization ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("HTTP://Example.COM/A/B", "http://example.com/A/B"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("http://example.com:80/x", "http://example.com/x"),
        ("https://example.com:80/x", "https://example.com:80/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com:/x", "https://example.com/x"),
        ("https://example.com/x#section-2", "https://example.com/x"),
        ("https://example.com/#", "https://example.com/"),
        ("https://example.com?", "https://example.com/"),
        ("https://example.com./x", "https://example.com/x"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("http://example.com/a/b/../../../c", "http://example.com/c"),
        ("https://пример.рф/путь?q=я", "https://xn--e1afmkfd.xn--p1ai/путь?q=я"),
        ("https://Bücher.example/", "https://xn--bcher-kva.example/"),
        ("https://xn--e1afmkfd.xn--p1ai/", "https://xn--e1afmkfd.xn--p1ai/"),
        ("http://1.2.3.4:8080/x", "http://1.2.3.4:8080/x"),
        ("http://[::1]:8080/", "http://[::1]:8080/"),
        ("http://[2001:DB8:0:0::1]/", "http://[2001:db8::1]/"),
        ("http://user:pw@Example.com/", "http://user:pw@example.com/"),
        ("http://exa_mple.com/", "http://exa_mple.com/"),
        # The path and query are kept as written: percent-encoding is not changed either way.
        ("https://example.com/a%2fb?x=%7E", "https://example.com/a%2fb?x=%7E"),
        ("https://example.com/p?b=2&a=1&a=1", "https://example.com/p?b=2&a=1&a=1"),
        ("https://example.com/p?q=a+b&r=a%20b", "https://example.com/p?q=a+b&r=a%20b"),
        ("https://example.com/p?empty=&flag", "https://example.com/p?empty=&flag"),
    ],
)
def test_normalize_url(url: str, normalized: str) -> None:
    assert normalize_url(url) == normalized


def test_query_with_at_sign_is_kept_byte_for_byte() -> None:
    url = "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews"
    assert normalize_url(url) == url
    assert "%40" not in normalize_url("HTTPS://FUNCTION.MIL.RU/news_page/country/more.htm?id=12376355@egNews")


def test_at_sign_in_the_query_is_not_userinfo() -> None:
    assert host_of(normalize_url("https://example.com/p?who=me@evil.example")) == "example.com"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.com:99999/", "invalid port '99999'"),
        ("http://example.com:0/", "invalid port '0'"),
        ("http://example.com:65536/", "invalid port '65536'"),
        ("http://example.com:abc/", "invalid port 'abc'"),
        ("http://example.com:-1/", "invalid port"),
        ("https://ex..ample.com/", "invalid host name"),
        ("https://-ex.com/", "invalid host name"),
        ("https://ex-.com/", "invalid host name"),
        ("https://exa mple.com/", "invalid host name"),
        ("https://" + "a" * 64 + ".com/", "invalid host name"),
        ("https://" + "a." * 127 + "com/", "invalid host name"),
        ("http://999.1.1.1/", "invalid IPv4 address"),
        ("http://1.2.3/", "invalid IPv4 address"),
        ("http://[zz]/", "cannot parse URL"),
        ("http://[::1/", "cannot parse URL"),
        ("https:///path", "no host"),
        ("https://🙂.example/", "invalid international host name"),
        ("//example.com/x", "no scheme"),
        ("example.com/x", "no scheme"),
    ],
)
def test_invalid_urls_raise_invalid_url_saying_why(url: str, reason: str) -> None:
    with pytest.raises(InvalidURL, match=reason.replace("[", r"\[")):
        normalize_url(url)


def test_invalid_url_is_a_value_error() -> None:
    assert issubclass(InvalidURL, ValueError)


@pytest.mark.parametrize("url", ["mailto:desk@example.com", "tel:+15551234", "ftp://files.example.org/x"])
def test_other_schemes_are_returned_as_written(url: str) -> None:
    assert normalize_url(url) == url
    assert not is_fetchable(url)


@pytest.mark.parametrize(
    ("path", "resolved"),
    [
        ("/a/b/c/./../../g", "/a/g"),
        ("/a/b/..", "/a/"),
        ("/a/b/.", "/a/b/"),
        ("/..", "/"),
        ("/../a", "/a"),
        ("/.well-known/x", "/.well-known/x"),
        ("/a/..b/c", "/a/..b/c"),
        ("/file.tar.gz", "/file.tar.gz"),
        ("", ""),
    ],
)
def test_remove_dot_segments(path: str, resolved: str) -> None:
    assert remove_dot_segments(path) == resolved


@pytest.mark.parametrize(
    ("url", "host"),
    [("https://WWW.Example.com:8080/x", "www.example.com"), ("not a url", ""), ("http://[::1", "")],
)
def test_host_of(url: str, host: str) -> None:
    assert host_of(url) == host


def test_host_of_fast_path_gives_what_urlsplit_gives() -> None:
    """The plain-host shortcut against the definition, on URLs built from the characters that matter."""
    rng = random.Random(17)
    pieces = ["http://", "https://", "HTTP://", " ", "\t", "\n", "a", "Z", "0", ".", "-", "_", "@", ":", "8", "[",
              "]", "/", "?", "#", "é", "%", "x.org", "www."]  # fmt: skip
    urls = ["http://example.com", "https://a.b/", "http://a?q", "http://a#f", "http://./", "https://-/"]
    urls += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 9))) for _ in range(20000)]
    for url in urls:
        try:
            expected = (urlsplit(url).hostname or "").lower()
        except ValueError:
            expected = ""
        assert host_of.__wrapped__(url) == expected, url


# --- dates in URLs ----------------------------------------------------------------------------------


def found(url: str) -> list[tuple[dt.date, str, str]]:
    return [(d.date, d.precision, d.evidence) for d in dates_in_url(url)]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills",
            [(dt.date(2026, 4, 3), "day", "2026/04/03")],
        ),
        ("https://x.example/2021/8/10/slug", [(dt.date(2021, 8, 10), "day", "2021/8/10")]),
        ("https://x.example/2021/08/10", [(dt.date(2021, 8, 10), "day", "2021/08/10")]),
        ("https://x.example/news/2021/08/", [(dt.date(2021, 8, 1), "month", "2021/08")]),
        ("https://x.example/2021/08", [(dt.date(2021, 8, 1), "month", "2021/08")]),
        ("https://x.example/page/2021/08/10abc", [(dt.date(2021, 8, 1), "month", "2021/08")]),
        ("https://x.example/report-2021-08-10.pdf", [(dt.date(2021, 8, 10), "day", "2021-08-10")]),
        ("https://x.example/a/2021_08_10", [(dt.date(2021, 8, 10), "day", "2021_08_10")]),
        ("https://x.example/a.2021.08.10.html", [(dt.date(2021, 8, 10), "day", "2021.08.10")]),
        ("https://x.example/p/2021-08-10T12:00", [(dt.date(2021, 8, 10), "day", "2021-08-10")]),
        ("https://x.example/20210810/", [(dt.date(2021, 8, 10), "day", "20210810")]),
        ("https://x.example/story_20210810_abc", [(dt.date(2021, 8, 10), "day", "20210810")]),
        ("https://x.example/2021/08/10/2021-08-10-slug", [(dt.date(2021, 8, 10), "day", "2021/08/10")]),
        ("https://x.example/a?date=2021-08-10", [(dt.date(2021, 8, 10), "day", "date=2021-08-10")]),
        ("https://x.example/a?date=2021-8-1", [(dt.date(2021, 8, 1), "day", "date=2021-8-1")]),
        ("https://x.example/a?d=20210810", [(dt.date(2021, 8, 10), "day", "d=20210810")]),
        ("https://x.example/a?pub_date=20210810", [(dt.date(2021, 8, 10), "day", "pub_date=20210810")]),
        ("https://x.example/a?from=20210810", [(dt.date(2021, 8, 10), "day", "from=20210810")]),
        ("https://x.example/a?day=10.08.2021", [(dt.date(2021, 8, 10), "day", "day=10.08.2021")]),
    ],
)
def test_dates_in_url(url: str, expected: list[tuple[dt.date, str, str]]) -> None:
    assert found(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews",
        "https://www.kommersant.ru/doc/4936744",
        "https://www.kommersant.ru/doc/4936744?from=four_mir",
        "https://x.example/id/12345678",
        "https://x.example/a?id=20210810",  # eight digits named as an id
        "https://x.example/a?photo=20210810",
        "https://x.example/a?ts=1628582400",
        "https://x.example/2021/13/40/",
        "https://x.example/2021/02/30/",
        "https://x.example/1234/05/06/",
        "https://x.example/archive/2021/",
        "https://x.example/v/1.2021.08",
        "https://x.example/a/120210810",
        "https://x.example/a/2021081012",
        "https://x.example/a?v=2021-08-1000",
        "https://x.example/",
        "http://[::1",
    ],
)
def test_ids_and_impossible_dates_are_not_dates(url: str) -> None:
    assert found(url) == []


_URL_PIECES = [
    "http",
    "https",
    "HTTP",
    "ftp",
    "mailto",
    ":",
    "://",
    "//",
    "/",
    "a.example",
    "A.Example",
    "www.b-c.example",
    "xn--bcher-kva.example",
    "bücher.example",
    "[::1]",
    "[::1",
    "::1]",
    "user@",
    "u:p@",
    ":80",
    ":443",
    ":8080",
    ":99999",
    ":x",
    "..",
    ".",
    "-a",
    "1.2.3.4",
    "999.1.1.1",
    "./",
    "../",
    "a",
    "b/",
    "?",
    "??",
    "#",
    "#x?y",
    "?q=1&r=2",
    "\t",
    "\n",
    "\r",
    " ",
    "%2F",
    "é",
    "\x01",
    "@",
    "_",
    "\u3002",
    "ｅ",
]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_URL_PIECES), min_size=1, max_size=10))
def test_plain_urls_normalize_as_urlsplit_normalizes_them(pieces: list[str]) -> None:
    from linkcheck.urls import _normalize_split

    url = "".join(pieces)
    try:
        expected: str | None = _normalize_split(url.strip())
    except InvalidURL as exc:
        expected, error = None, str(exc)
    if expected is None:
        with pytest.raises(InvalidURL) as raised:
            normalize_url(url)
        assert str(raised.value) == error
    else:
        assert normalize_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://a.example",
        "https://a.example/",
        "http://a.example?x",
        "http://a.example?",
        "http://a.example#f",
        "https://a.example/b/../c/./d?e=1#g",
        "https://a.example./x",
        "https://1.2.3.4/",
        "https://999.1.1.1/",
        "https://a..example/",
        "https://-a.example/",
        "https://a.example/p q",
        "https://a.example/#?x",
        "http://a.example:80/",
        "https://a.example/\tx",
        "https://a.example/\nx",
        " https://a.example/x ",
        "https://a.example/x?a#b?c",
    ],
)
def test_plain_url_samples_normalize_as_urlsplit_normalizes_them(url: str) -> None:
    from linkcheck.urls import _normalize_split

    try:
        expected = _normalize_split(url.strip())
    except InvalidURL as exc:
        with pytest.raises(InvalidURL, match=re.escape(str(exc))):
            normalize_url(url)
    else:
        assert normalize_url(url) == expected
