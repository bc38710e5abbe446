"""The CDXJ index: pywb's line format, lookups by bisection that agree with a full scan, merges."""

from __future__ import annotations

import random
import time
from pathlib import Path

from linkcheck.archive.cdxj_index import CdxjIndex, IndexEntry, IndexView, mime_of, url_key


def entry(
    url: str, timestamp: str = "20250314120000", offset: int = 0, filename: str = "a.warc.gz", **fields: object
) -> IndexEntry:
    values: dict[str, object] = {
        "urlkey": url_key(url),
        "timestamp": timestamp,
        "url": url,
        "mime": "text/html",
        "status": 200,
        "digest": "AAAA",
        "length": 100,
        "offset": offset,
        "filename": filename,
    }
    values.update(fields)
    return IndexEntry(**values)  # type: ignore[arg-type]


def test_line_format_follows_pywb() -> None:
    line = entry("https://www.Example.org/a?b=2&a=1", page="pages/x/y/z").line()
    assert line == (
        'org,example)/a?a=1&b=2 20250314120000 {"url": "https://www.Example.org/a?b=2&a=1", "mime": "text/html",'
        ' "status": "200", "digest": "AAAA", "length": "100", "offset": "0", "filename": "a.warc.gz",'
        ' "page": "pages/x/y/z"}\n'
    )
    revisit = entry("http://example.org/", mime="warc/revisit", status=None)
    assert '"status"' not in revisit.line()  # pywb leaves it out for revisits
    assert IndexEntry.from_line(revisit.line()) == revisit
    assert IndexEntry.from_line(line) == entry("https://www.Example.org/a?b=2&a=1", page="pages/x/y/z")
    assert revisit.warc_date == "2025-03-14T12:00:00Z"


def test_mime_of() -> None:
    assert mime_of("text/html; charset=utf-8") == "text/html"
    assert mime_of(None) == mime_of("") == "unk"


def test_bisection_agrees_with_a_full_scan(tmp_path: Path) -> None:
    rng = random.Random(7)
    paths = ["/", "/a", "/a/", "/a/b", "/a?x=1", "/a b", "/ab", "/b", "/%7Euser", "/a/b/c/d"]
    hosts = ["example.org", "www.example.org", "sub.example.org", "example.com", "127.0.0.1:8080", "z.net"]
    urls = [f"http://{h}{p}" for h in hosts for p in paths]
    entries = [entry(rng.choice(urls), f"2025{rng.randint(1, 12):02d}14120000", offset=n * 10) for n in range(3000)]
    index = CdxjIndex(tmp_path / "index.cdxj")
    assert index.replace(entries) == 3000
    view = IndexView(index)  # the same lookups in the file mapped into memory
    for url in urls + ["http://example.org/zzz", "http://aaa.org/", "http://zzz.zzz/"]:
        key = url_key(url)
        expected = sorted((e for e in entries if e.urlkey == key), key=lambda e: e.order)
        assert index.lookup(url) == expected
        assert view.lookup(url) == expected


def test_a_view_of_a_damaged_index_finds_what_the_file_lookup_finds(tmp_path: Path) -> None:
    rng = random.Random(3)
    urls = [f"http://h{n % 7}.example.org/p/{n}" for n in range(300)]
    index = CdxjIndex(tmp_path / "index.cdxj")
    index.replace([entry(rng.choice(urls), offset=n) for n in range(1000)])
    lines = (tmp_path / "index.cdxj").read_bytes().splitlines(keepends=True)
    damaged = lines[:100] + [b"garbage\n", b"\xff\xfe junk\n"] + lines[100:-1] + [lines[-1][:20]]  # a cut last line
    (tmp_path / "index.cdxj").write_bytes(b"".join(damaged))
    view = IndexView(index)
    for url in [*urls, "http://a.org/", "http://zzz.org/"]:
        assert view.lookup(url) == index.lookup(url), url


def test_a_view_keeps_the_index_it_first_read_until_closed(tmp_path: Path) -> None:
    index = CdxjIndex(tmp_path / "index.cdxj")
    view = IndexView(index)
    assert view.lookup("http://a.org/") == []  # no index yet: none is read again during the run
    index.merge([entry("http://a.org/")])
    assert view.lookup("http://a.org/") == []
    view.close()
    assert view.lookup("http://a.org/") == [entry("http://a.org/")]  # closed: the file as it is

    other = IndexView(index)
    assert other.lookup("http://a.org/") == [entry("http://a.org/")]
    index.merge([entry("http://b.org/"), entry("http://a.org/", offset=5)])  # renamed over the mapped file
    assert other.lookup("http://a.org/") == [entry("http://a.org/")] and other.lookup("http://b.org/") == []
    other.close()
    assert [found.offset for found in other.lookup("http://a.org/")] == [0, 5]


def test_lookup_of_a_missing_or_empty_index(tmp_path: Path) -> None:
    index = CdxjIndex(tmp_path / "index.cdxj")
    assert index.lookup("http://example.org/") == [] and list(index) == []
    index.replace([])
    assert index.lookup("http://example.org/") == [] and IndexView(index).lookup("http://example.org/") == []


def test_merge_keeps_order_and_each_record_once(tmp_path: Path) -> None:
    index = CdxjIndex(tmp_path / "index.cdxj")
    index.merge([entry("http://b.org/", offset=1), entry("http://d.org/", offset=2)])
    added = [entry("http://a.org/", offset=3), entry("http://d.org/", offset=2), entry("http://c.org/", offset=4)]
    assert index.merge(added) == 4
    lines = (tmp_path / "index.cdxj").read_text().splitlines()
    assert lines == sorted(lines)
    assert [e.url for e in index] == ["http://a.org/", "http://b.org/", "http://c.org/", "http://d.org/"]


def test_same_second_captures_are_ordered_by_file_then_offset(tmp_path: Path) -> None:
    index = CdxjIndex(tmp_path / "index.cdxj")
    url = "http://example.org/"
    later = entry(url, offset=500, filename="linkcheck-20250314120000-b-00000.warc.gz", digest="ZZZ")
    earlier = entry(url, offset=900, filename="linkcheck-20250314120000-a-00000.warc.gz", digest="AAA")
    first = entry(url, offset=100, filename="linkcheck-20250314120000-b-00000.warc.gz", digest="MMM")
    index.replace([later, earlier, first])
    assert index.lookup(url) == [earlier, first, later]


def test_archive_of_100_000_captures_is_looked_up_without_a_scan(tmp_path: Path) -> None:
    entries = [
        IndexEntry(
            f"org,example,h{n % 997})/page/{n}",
            "20250314120000",
            f"http://h{n % 997}.example.org/page/{n}",
            "text/html",
            200,
            "AAAA",
            1000,
            n * 1000,
            "big.warc.gz",
        )
        for n in range(100_000)
    ]
    index = CdxjIndex(tmp_path / "index.cdxj")
    index.replace(entries)
    started = time.perf_counter()
    for n in range(0, 100_000, 500):
        [found] = index.lookup(f"http://h{n % 997}.example.org/page/{n}")
        assert found.offset == n * 1000
    assert time.perf_counter() - started < 2.0  # ~0.1 ms a lookup; a scan would take ~0.5 s each
    started = time.perf_counter()
    assert index.merge(entries[:50] + [entry("http://new.example.org/")]) == 100_001
    assert time.perf_counter() - started < 10.0
