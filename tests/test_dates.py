"""Publication dates: written dates, date lines in text, and the HTML sources in order."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from linkcheck.dates import date_from_html, date_from_text, parse_date

AUG_10 = dt.date(2021, 8, 10)


@pytest.mark.parametrize(
    "text",
    [
        "August 10, 2021",
        "Aug 10, 2021",
        "Aug. 10, 2021",
        "August 10th, 2021",
        "10 August 2021",
        "10th August 2021",
        "10 AUGUST 2021",
        "Tuesday, 10 August 2021 09:30",
        "2021-08-10",
        "2021-08-10T09:30:00+03:00",
        "2021-08-10 09:30",
        "2021/08/10",
        "2021-8-10",
        "20210810",
        "20210810T093000",
        "10.08.2021",
        "10 августа 2021",
        "10 Августа 2021 г.",
        "10 август 2021",
        "Published: 2021-08-10",
        "Опубликовано 10 августа 2021",
    ],
)
def test_parse_date_reads_written_dates(text: str) -> None:
    assert parse_date(text) == AUG_10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 5 2021", dt.date(2021, 5, 5)),
        ("5 мая 2021", dt.date(2021, 5, 5)),
        ("1 января 2022", dt.date(2022, 1, 1)),
        ("31 декабря 2020", dt.date(2020, 12, 31)),
        ("Sept 9, 2021", dt.date(2021, 9, 9)),
        ("29 February 2020", dt.date(2020, 2, 29)),
    ],
)
def test_parse_date_month_names(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "31 February 2021",
        "29 February 2021",
        "2021-13-01",
        "2021/08-10",
        "2021-08-100",
        "August 2021",
        "2021",
        "12376355",
        "4936744",
        "10/08/2021",  # day/month order is ambiguous: not guessed
        "10.08.21",
        "v10.08.2021.1",
        "1.2.3.2021",
        "mayday 10, 2021",
        "10 Augusta 2021",
        "1776-07-04",
    ],
)
def test_parse_date_near_misses(text: str) -> None:
    assert parse_date(text) is None


def test_date_line_near_the_top_of_text() -> None:
    assert date_from_text("A title\nBy someone\n10 August 2021\nBody.") == AUG_10


def test_first_date_line_wins() -> None:
    assert date_from_text("Title\n2021-08-10\nUpdated 2022-01-01\n") == AUG_10


def test_a_date_inside_long_prose_is_not_the_date_line() -> None:
    prose = "In a long line of prose that mentions 10 August 2021 as the day something happened, long ago and far away."
    assert len(prose) > 100
    assert date_from_text(f"Title\n{prose}\nMore") is None


def test_a_date_line_far_down_the_text_is_not_the_date_line() -> None:
    assert date_from_text("Title\n" + "line\n" * 50 + "10 August 2021\n") is None


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<script type="application/ld+json">{"datePublished": "2021-08-10T09:30:00+03:00",'
            ' "dateModified": "2023-01-15"}</script>',
            (AUG_10, "json-ld"),
        ),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"},'
            ' {"@type": "NewsArticle", "datePublished": "2021-08-10"}]}</script>',
            (AUG_10, "json-ld"),
        ),
        ('<script type="application/ld+json">[{"dateCreated": "2021-08-10"}]</script>', (AUG_10, "json-ld")),
        ('<meta property="article:published_time" content="2021-08-10T09:30:00Z">', (AUG_10, "meta")),
        ('<meta name="pubdate" content="20210810">', (AUG_10, "meta")),
        ('<meta name="citation_publication_date" content="2021/08/10">', (AUG_10, "meta")),
        ('<meta itemprop="datePublished" content="2021-08-10">', (AUG_10, "meta")),
        ('<meta name="DC.date.issued" content="2021-08-10">', (AUG_10, "meta")),
        ('<time datetime="2021-08-10">yesterday</time>', (AUG_10, "time")),
        ("<time>10 August 2021</time>", (AUG_10, "time")),
        ('<time datetime="2020-01-01">nav</time><time pubdate datetime="2021-08-10">x</time>', (AUG_10, "time")),
        (
            '<time datetime="2020-01-01">x</time><time itemprop="datePublished" datetime="2021-08-10">y</time>',
            (AUG_10, "time"),
        ),
        ("<p>No date here.</p>", (None, None)),
    ],
)
def test_date_from_html(html: str, expected: tuple[dt.date | None, str | None]) -> None:
    assert date_from_html(soup(f"<html><head></head><body>{html}</body></html>")) == expected


def test_json_ld_beats_meta_beats_time() -> None:
    html = """<head><meta property="article:published_time" content="2021-08-11">
    <script type="application/ld+json">{"datePublished": "2021-08-10"}</script></head>
    <body><time datetime="2021-08-12">x</time></body>"""
    assert date_from_html(soup(html)) == (AUG_10, "json-ld")
    assert date_from_html(soup(html.replace("datePublished", "headline"))) == (dt.date(2021, 8, 11), "meta")


def test_meta_published_time_beats_a_generic_date_meta() -> None:
    html = '<meta name="date" content="2020-01-01"><meta property="article:published_time" content="2021-08-10">'
    assert date_from_html(soup(f"<head>{html}</head>")) == (AUG_10, "meta")


@pytest.mark.parametrize(
    "script",
    [
        '<script type="application/ld+json">{not json</script>',
        '<script type="application/ld+json"></script>',
        '<script type="application/ld+json">"just a string"</script>',
        '<script type="application/ld+json">{"datePublished": 20210810}</script>',
        '<script type="application/ld+json">{"datePublished": "soon"}</script>',
        '<script type="application/ld+json">' + '{"@graph": [' * 50 + "]}" * 50 + "</script>",
    ],
)
def test_broken_json_ld_is_skipped(script: str) -> None:
    html = f'<head>{script}<meta property="article:published_time" content="2021-08-10"></head>'
    assert date_from_html(soup(html)) == (AUG_10, "meta")
