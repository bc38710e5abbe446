"""archive/index.html: every capture newest first, its links relative and resolving to files that exist,
every text escaped; rewritten at the end of each run and by reindex."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup

from linkcheck.archive import Archive, reindex
from linkcheck.archive.index_page import INDEX_PAGE, listed_captures
from tests.archive.png import solid_png
from tests.archive.test_archive import built, fixed_clock

T0 = dt.datetime(2025, 3, 14, 12, 0, 0, tzinfo=dt.UTC)
HOSTILE_TITLE = "<script>alert(1)</script> & co"


def page(url: str, title: str, when: dt.datetime) -> object:
    body = f"<html><head><title>{title}</title></head><body><p>{title}</p></body></html>".encode()
    return built(url, body, started_at=when)


def links_of(root: Path) -> list[tuple[list[str], list[str]]]:
    soup = BeautifulSoup((root / INDEX_PAGE).read_text(encoding="utf-8"), "lxml")
    rows = []
    for row in soup.select("tbody tr"):
        cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        hrefs = [str(a["href"]) for a in row.find_all("a")]
        rows.append((cells, hrefs))
    return rows


def test_index_lists_every_capture_newest_first_with_working_links(tmp_path: Path) -> None:
    html_title = HOSTILE_TITLE.replace("<", "&lt;").replace(">", "&gt;").replace(" & ", " &amp; ")
    with Archive(tmp_path, clock=fixed_clock(T0)) as archive:
        archive.capture(page("http://example.org/first", "First", T0))  # type: ignore[arg-type]
        archive.capture(page("http://example.org/hostile", html_title, T0 + dt.timedelta(minutes=1)))  # type: ignore[arg-type]
    image = solid_png(2, 2, (1, 2, 3))
    picture = built(
        "http://example.org/image.png",
        image,
        headers=(("Content-Type", "image/png"),),
        started_at=T0 + dt.timedelta(days=1),
    )
    with Archive(tmp_path, clock=fixed_clock(T0)) as archive:
        archive.capture(picture)
        archive.capture(page("http://example.org/first", "First again", T0 + dt.timedelta(days=2)))  # type: ignore[arg-type]

    rows = links_of(tmp_path)
    assert [cells[2] for cells, _ in rows] == [
        "http://example.org/first",
        "http://example.org/image.png",
        "http://example.org/hostile",
        "http://example.org/first",
    ]
    assert [cells[1] for cells, _ in rows] == ["First again", "", HOSTILE_TITLE, "First"]
    assert rows[0][0][0] == "2025-03-16T12:00:00Z" and rows[0][0][3] == "200"
    for cells, hrefs in rows:
        copy, warc = hrefs
        assert not copy.startswith(("/", "http", "file:")) and (tmp_path / unquote(copy)).is_file()
        assert warc.startswith("warc/") and (tmp_path / unquote(warc)).is_file()
        assert cells[5].startswith(warc + " @ ")  # file and the record's offset, shown
    assert rows[1][1][0].endswith("/payload.png")  # an image's copy is its payload

    markup = (tmp_path / INDEX_PAGE).read_text(encoding="utf-8")
    assert "<script" not in markup and "http://" not in markup.split("<body>", 1)[0]  # no external resource


def test_reindex_rewrites_the_index_page(tmp_path: Path) -> None:
    with Archive(tmp_path) as archive:
        archive.capture(page("http://example.org/a", "A", T0))  # type: ignore[arg-type]
    (tmp_path / INDEX_PAGE).unlink()
    assert reindex(tmp_path) == 1
    assert [row.url for row in listed_captures(tmp_path)] == ["http://example.org/a"]
    assert len(links_of(tmp_path)) == 1


def test_the_rows_of_a_runs_own_copies_are_those_their_meta_json_gives(tmp_path: Path) -> None:
    """close() lists its own captures from memory, the earlier ones from disk: the same page either way."""
    with Archive(tmp_path, clock=fixed_clock(T0)) as archive:
        archive.capture(page("http://example.org/old", "Old", T0))  # type: ignore[arg-type]
    with Archive(tmp_path, clock=fixed_clock(T0)) as archive:
        archive.capture(page("http://example.org/new", "New", T0 + dt.timedelta(days=1)))  # type: ignore[arg-type]
        archive.capture(
            built("http://example.org/x.png", solid_png(1, 1, (0, 0, 0)), headers=(("Content-Type", "image/png"),))
        )
    written_at_close = (tmp_path / INDEX_PAGE).read_text(encoding="utf-8")
    assert {row.url for row in listed_captures(tmp_path)} == {
        f"http://example.org/{name}" for name in ("old", "new", "x.png")
    }
    assert reindex(tmp_path) == 3  # writes index.html again, every row from meta.json on disk
    assert (tmp_path / INDEX_PAGE).read_text(encoding="utf-8") == written_at_close
