"""plain_url_key gives surt's key, text for text, or None: on every URL the tests, benchmarks and
documents name, and on a grid of the shapes surt canonicalises (hosts, ports, paths, queries)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from pathlib import Path

import surt

from linkcheck.archive.cdxj_index import url_key
from linkcheck.archive.surt_key import plain_url_key
from linkcheck.archive.target_uri import target_uri

ROOT = Path(__file__).resolve().parents[2]
_URL = re.compile(r"https?://[^\s\"'<>(){}\[\]`|\\^]+", re.IGNORECASE)

HOSTS = [
    "example.org",
    "Example.ORG",
    "www.example.org",
    "WWW2.example.org",
    "www10.example.org",
    "wwwx.example.org",
    "www.com",
    "a-b.c-d.example",
    "-x-.example",
    "xn--bcher-kva.example",
    "bücher.example",
    "localhost",
    "127.0.0.1",
    "127.0.0.2",
    "10.0.0.255",
    "1.2.3.4",
    "255.255.255.255",
    "256.1.1.1",
    "127.0.0.01",
    "127.1",
    "1.2.3",
    "0.0.0.0",
    "01.2.3.4",
    "0x7f.0.0.1",
    "123",
    "4294967296",
    "1.2.3.4.5",
    "www.1.2.3.4",
    "1e100.net",
    "007.example",
    "example.org.",
    "a..b.example",
    "[::1]",
    "user@example.org",
    "user:pw@example.org",
]
PORTS = ["", ":80", ":443", ":8080", ":080", ":0", ":65535", ":65536", ":99999", ":"]
PATHS = [
    "",
    "/",
    "/a",
    "/A/B/",
    "/a/b/",
    "/a//b",
    "//a",
    "/./a",
    "/a/./b",
    "/a/..",
    "/a/../b",
    "/a/.",
    "/..",
    "/.",
    "/a.b/c..d/.e",
    "/~user/",
    "/a;b=c,d",
    "/a:b@c",
    "/a+b*c!$'",
    "/%7Euser",
    "/a%2Fb",
    "/a%252F",
    "/a b",
    "/(S(abcdefghijklmnopqrstuvwx))/page.aspx",
    "/(abcdefghijklmnopqrstuvwx)/x.ASPX",
    "/Москва",
    "/a&b",
]
QUERIES = [
    "",
    "?",
    "?b=2&a=1",
    "?A=1",
    "?a",
    "?a=1&a",
    "?&x",
    "?x&",
    "?=",
    "?a=1&&b=2",
    "?q=A?B",
    "?a=%41",
    "?a=b=c",
    "?JSESSIONID=0123456789abcdef0123456789abcdef",
    "?x=1&sid=0123456789ABCDEF0123456789abcdef&y=2",
    "?phpsessid=0123456789abcdef0123456789abcdef",
    "?ASPSESSIONIDabcdefgh=abcdefghijklmnopqrstuvwx",
    "?cfid=1&cftoken=2&z=3",
    "?sid=short",
    "?a=1;b=2",
    "?a=+b",
    "?a=b c",
    "?utm_source=x&utm_medium=y",
]
FRAGMENTS = ["", "#top", "#"]
SCHEMES = ["http://", "https://", "HTTP://", "ftp://", ""]


def surt_of(uri: str) -> str:
    try:
        return str(surt.surt(uri))
    except Exception:  # noqa: BLE001 - as url_key: surt raises bare exceptions on odd input
        return uri


def grid() -> list[str]:
    urls = [
        f"{scheme}{host}{port}{path}"
        for scheme, host, port, path in itertools.product(SCHEMES, HOSTS, PORTS[:4], PATHS[:8])
    ]
    urls += [f"http://{host}{port}{path}" for host, port, path in itertools.product(HOSTS, PORTS, PATHS)]
    urls += [
        f"{scheme}{host}{path}{query}{fragment}"
        for scheme, host, path, query, fragment in itertools.product(
            SCHEMES[:2], HOSTS[:4] + ["127.0.0.1:8080"], PATHS[:6], QUERIES, FRAGMENTS
        )
    ]
    return urls


def repository_urls() -> set[str]:
    found: set[str] = set()
    for folder in ("tests", "benchmarks", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".md", ".txt", ".html", ".htm", ".json", ".csv", ".bib"}:
                found.update(_URL.findall(path.read_text(encoding="utf-8", errors="replace")))
    return found


def fast_keys_checked(urls: Iterable[str]) -> int:
    """How many of `urls` take the fast path; each key (fast or not) is asserted to be surt's."""
    fast = 0
    for url in urls:
        uri = target_uri(url)
        key = plain_url_key(uri)
        if key is not None:
            fast += 1
            assert key == surt_of(uri), url
        assert url_key(url) == surt_of(uri), url
    return fast


def test_the_fast_key_is_surts_on_a_grid_of_url_shapes() -> None:
    urls = grid()
    assert len(urls) > 10_000
    assert fast_keys_checked(urls) > 2_000  # the plain shapes do take the fast path


def test_the_fast_key_is_surts_on_every_url_the_repository_names() -> None:
    urls = repository_urls()
    assert len(urls) > 1_000
    assert fast_keys_checked(urls) > len(urls) // 2


def test_the_benchmarks_loopback_urls_take_the_fast_path() -> None:
    for url in ["http://127.0.0.2:8000/ok/1", "http://127.0.0.20:40123/redirect/7", "https://www.example.org/a/"]:
        assert plain_url_key(url) == surt_of(url) != url
    assert plain_url_key("http://127.0.0.2:8000/ok/1") == "2,0,0,127:8000)/ok/1"
