"""Publication dates: written dates, date lines in text, and the HTML sources in order."""

from __future__ import annotations

import datetime as dt

import pytest

from linkcheck.dates import (
    Stamp,
    cued_elsewhere,
    date_from_html,
    date_from_scripts,
    date_from_text,
    day_first,
    parse_date,
    parse_stamp,
    update_dates,
)
from linkcheck.html_tags import Element
from linkcheck.pages import parse_html

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


def soup(html: str) -> Element:
    return parse_html(html)


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


# --- fixes from benchmarks/DATES.md -----------------------------------------------------------------


def ld(*nodes: str) -> str:
    return "".join(f'<script type="application/ld+json">{node}</script>' for node in nodes)


@pytest.mark.parametrize(
    ("scripts", "expected"),
    [
        # An archive clip in an earlier block is not the article (fix 1).
        (
            ld(
                '{"@type": "VideoObject", "uploadDate": "2020-02-03", "datePublished": "2020-02-03T12:10:00Z"}',
                '{"@type": "NewsArticle", "datePublished": "2021-08-10T18:05:00+01:00"}',
            ),
            AUG_10,
        ),
        (
            ld(
                '{"@graph": [{"@type": "ImageObject", "datePublished": "2019-01-01"},'
                ' {"@type": ["WebPage", "ItemPage"], "datePublished": "2021-08-10"}]}'
            ),
            AUG_10,
        ),
        (
            ld(
                '[{"@type": "Event", "dateCreated": "2019-01-01"},'
                ' {"@type": "schema:BlogPosting", "dateCreated": "2021-08-10"}]'
            ),
            AUG_10,
        ),
        (ld('{"@type": "http://schema.org/Report", "datePublished": "2021-08-10"}'), AUG_10),
        # Near misses: with no article-like node, the first dated node is still the page's date.
        (ld('{"@type": "VideoObject", "datePublished": "2020-02-03"}'), dt.date(2020, 2, 3)),
        (
            ld('{"@type": "VideoObject", "datePublished": "2020-02-03"}', '{"@type": "NewsArticle"}'),
            dt.date(2020, 2, 3),
        ),
        (
            ld(
                '{"@type": "WebPageElement", "datePublished": "2020-02-03"}',
                '{"@type": "Article", "datePublished": "2021-08-10"}',
            ),
            AUG_10,
        ),
    ],
)
def test_json_ld_article_node_beats_a_video_or_image_node(scripts: str, expected: dt.date) -> None:
    assert date_from_html(soup(f"<head>{scripts}</head>")) == (expected, "json-ld")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # WordPress: the update time comes first, the publication time is `entry-date published` (fix 2).
        (
            '<time class="updated" datetime="2021-12-01">1 Dec</time>'
            '<time class="entry-date published" datetime="2021-08-10">10 Aug</time>',
            AUG_10,
        ),
        ('<time itemprop="dateModified" datetime="2021-12-01">x</time><time datetime="2021-08-10">y</time>', AUG_10),
        ('<time class="modified" datetime="2021-12-01">x</time><time datetime="2021-08-10">y</time>', AUG_10),
        (
            '<time datetime="2020-01-01">x</time><time class="doc_header__publish_time" datetime="2021-08-10">y</time>',
            AUG_10,
        ),
        # A post never updated is `entry-date published updated`: the publication word wins.
        ('<time class="entry-date published updated" datetime="2021-08-10">x</time>', AUG_10),
        # The words just before a <time> say what it is.
        ('<p>Updated <time datetime="2021-12-01">x</time> · <time datetime="2021-08-10">y</time></p>', AUG_10),
        ('<p><time datetime="2021-12-01">x</time> · <b>Posted:</b> <time datetime="2021-08-10">y</time></p>', AUG_10),
        ('<p>Last changed <time datetime="2021-12-01">x</time></p>', None),
        ('<time class="updated" datetime="2021-12-01">x</time>', None),
        # Near miss: words in an earlier block are not the <time>'s own.
        ('<p>Updated daily.</p><time datetime="2021-08-10">y</time>', AUG_10),
    ],
)
def test_time_marked_published_beats_and_time_marked_updated_is_skipped(body: str, expected: dt.date | None) -> None:
    found = date_from_html(soup(f"<body>{body}</body>"))
    assert found == ((expected, "time") if expected else (None, None))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # fix 3: the first <time> belongs to a comment, a related box, a rail or a news feed.
        (
            '<article><p>Published 5 May</p><section class="comments" id="comments"><ol class="comment-list">'
            '<li class="comment"><time datetime="2022-05-06">6 May</time></li></ol></section></article>',
            None,
        ),
        (
            '<aside class="rail-left"><h3>Related</h3><time datetime="2021-11-02">2 Nov</time></aside>'
            '<article><time datetime="2021-08-10">10 August 2021</time></article>',
            AUG_10,
        ),
        (
            '<div class="rail-left"><time datetime="2021-11-02">2 Nov</time></div>'
            '<div class="story"><time datetime="2021-08-10">10 August 2021</time></div>',
            AUG_10,
        ),
        (
            '<article><div class="related"><time datetime="2021-11-02">x</time></div>'
            '<time datetime="2021-08-10">y</time></article>',
            AUG_10,
        ),
        ('<div id="lenta"><time datetime="2021-11-02">x</time></div><time datetime="2021-08-10">y</time>', AUG_10),
        ('<nav><time datetime="2021-11-02">x</time></nav><time datetime="2021-08-10">y</time>', AUG_10),
        (
            '<div itemprop="comment"><time datetime="2021-11-02">x</time></div><time datetime="2021-08-10">y</time>',
            AUG_10,
        ),
        (
            '<article class="teaser"><time datetime="2021-11-02">x</time></article>'
            '<time datetime="2021-08-10">y</time>',
            AUG_10,
        ),
        ('<div><p>Text</p></div><footer>© <time datetime="2024-01-01">2024</time></footer>', None),
        # Near misses: an article's own <footer> holds its byline (WordPress "Posted on <time>");
        # layout classes above the <article> and state classes do not hide it; "railway" is not "rail".
        (
            '<article><p>Text</p><footer class="entry-footer"><time datetime="2021-08-10">y</time></footer></article>',
            AUG_10,
        ),
        ('<div class="feed-layout"><article><time datetime="2021-08-10">y</time></article></div>', AUG_10),
        ('<div class="page has-sidebar no-comments"><time datetime="2021-08-10">y</time></div>', AUG_10),
        ('<div class="railway-news"><time datetime="2021-08-10">y</time></div>', AUG_10),
    ],
)
def test_time_outside_the_article_is_skipped(body: str, expected: dt.date | None) -> None:
    found = date_from_html(soup(f"<body>{body}</body>"))
    assert found == ((expected, "time") if expected else (None, None))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # fix 6: an update, crawl or "today" cue skips a date; a publication cue beats the first plain date.
        ("Title\nUpdated November 29, 2022 — originally published October 8, 2022\n", dt.date(2022, 10, 8)),
        ("Title\nPublished 12 Feb 2023 · Updated 2 Mar 2023 · 6 min read\n", dt.date(2023, 2, 12)),
        ("Title\nUpdated: 2022-11-29\nPublished: 2022-10-08\n", dt.date(2022, 10, 8)),
        ("Сегодня: 18.01.2024\nВ заказнике завершили учёт\nДата публикации: 27.09.2021\n", dt.date(2021, 9, 27)),
        ("Сегодня: 18.01.2024\nЗаголовок\n27.09.2021\n", dt.date(2021, 9, 27)),
        ("Обновлено 28.09.2021\nОпубликовано 27.09.2021\n", dt.date(2021, 9, 27)),
        ("Received: 3 January 2017\nAccepted: 20 April 2017\nPublished: 22 May 2017\n", dt.date(2017, 5, 22)),
        ("Last crawled on 18 Jan 2024\nPosted on March 3, 2019 by admin\n", dt.date(2019, 3, 3)),
        ("Retrieved 3 May 2020\n", None),
        # HTML text comes one line per text node: "<b>Last updated</b> <span>1 December 2021</span>".
        ("Title\nLast updated\n1 December 2021\n10 August 2021\n", AUG_10),
        ("Title\nДата публикации:\n10.08.2021\n", AUG_10),
        # Near misses: a cue word inside a title is not a label, and a plain date line still wins.
        ("Scientists updated the map of the coast\n10 August 2021\n", AUG_10),
        ("Title\n10 August 2021\nUpdated 12 August 2021\n", AUG_10),
        ("Title\n10 August 2021\nPosted 12 August 2021\n", AUG_10),
        ("Title\nBy Ann Lee, 10 August 2021\n", AUG_10),
    ],
)
def test_date_line_cues(text: str, expected: dt.date | None) -> None:
    assert date_from_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # fix 7: "от <date> №" dates a cited law or order.
        ("Основание:\nФедеральный закон от 14.03.2018 № 77-ФЗ\n", None),
        ("Приказ Минприроды от 14 марта 2018 г. № 12\n", None),
        ("Постановление от 14.03.2018 N 77\n", None),
        ("Федеральный закон от 14.03.2018 № 77-ФЗ\n10.08.2021\n", AUG_10),
        # Near misses: a news item "от <date>" with no number after it, and "№" with no "от" before.
        ("Новость от 10.08.2021\n", AUG_10),
        ("10.08.2021 № 5\n", AUG_10),
    ],
)
def test_date_of_a_cited_act_is_not_the_page_date(text: str, expected: dt.date | None) -> None:
    assert date_from_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # fix 8: Google Scholar's citation_publication_date format.
        ("2017/05/22", dt.date(2017, 5, 22)),
        ("2017/5/2", dt.date(2017, 5, 2)),
        ("2017/22/05", None),
        # fix 9: day and month in either order, read only when one order is impossible.
        ("Posted 08/14/2021 at 3:15 PM", dt.date(2021, 8, 14)),
        ("14/08/2021", dt.date(2021, 8, 14)),
        ("8/14/2021", dt.date(2021, 8, 14)),
        ("08/10/2021", None),
        ("12/12/2021", None),
        ("13/13/2021", None),
        ("/08/14/2021/", None),
        ("1/08/14/2021", None),
        # fix 10: abbreviated Russian months.
        ("28 окт. 2020, 16:20", dt.date(2020, 10, 28)),
        ("5 сент. 2021", dt.date(2021, 9, 5)),
        ("3 фев 2020", dt.date(2020, 2, 3)),
        ("17 мар. 2022", dt.date(2022, 3, 17)),
        ("17 марта 2022", dt.date(2022, 3, 17)),
        ("1 нояб. 2019", dt.date(2019, 11, 1)),
        ("5 марафонов 2020", None),
        ("28 октавы 2020", None),
    ],
)
def test_parse_date_slashes_and_russian_abbreviations(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_scholar_citation_publication_date_with_slashes() -> None:
    html = '<meta name="citation_publication_date" content="2017/05/22"><meta name="citation_date" content="2017">'
    assert date_from_html(soup(f"<head>{html}</head>")) == (dt.date(2017, 5, 22), "meta")


@pytest.mark.parametrize(
    "metas",
    [
        '<meta property="og:updated_time" content="2023-03-02T14:10:00+00:00">',
        '<meta property="article:modified_time" content="2023-03-02">',
        '<meta itemprop="dateModified" content="2023-03-02">',
        '<meta name="last-modified" content="2023-03-02">',
    ],
)
def test_modified_times_are_never_the_publication_date(metas: str) -> None:
    # fix 11: the markup says these are updates; a missing date beats a wrong one.
    assert date_from_html(soup(f"<head>{metas}</head><body><p>Text</p></body>")) == (None, None)
    published = '<meta property="article:published_time" content="2021-08-10">'
    assert date_from_html(soup(f"<head>{metas}{published}</head>")) == (AUG_10, "meta")


# --- issue 12: dates on real pages in many languages --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10. August 2021", AUG_10),
        ("Dienstag, 10. August 2021, 18:30 Uhr", AUG_10),
        ("10 août 2021", AUG_10),
        ("1er août 2021", dt.date(2021, 8, 1)),
        ("martes, 10 de agosto de 2021", AUG_10),
        ("10 agosto 2021", AUG_10),
        ("10 augustus 2021", AUG_10),
        ("10 sierpnia 2021", AUG_10),
        ("10 серпня 2021 р.", AUG_10),
        ("10 de agosto de 2021", AUG_10),
        ("10 Ağustos 2021", AUG_10),
        ("10 févr. 2021", dt.date(2021, 2, 10)),
        ("3. Okt. 2020", dt.date(2020, 10, 3)),
        ("2021年8月10日", AUG_10),
        ("2021年08月10日(火)", AUG_10),
        ("2021년 8월 10일", AUG_10),
        ("2021.08.10 18:30", AUG_10),
    ],
)
def test_month_names_and_forms_of_many_languages(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("10/08/2021", True, AUG_10),
        ("10/08/2021", False, dt.date(2021, 10, 8)),
        ("10/08/2021", None, None),
        ("10-08-2021", True, AUG_10),
        ("14/08/2021", False, dt.date(2021, 8, 14)),
    ],
)
def test_numeric_day_order_comes_from_the_page_language(text: str, dayfirst: bool | None, expected: dt.date) -> None:
    assert parse_date(text, dayfirst) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", True), ("fr-FR", True), ("en-GB", True), ("en-US", False), ("en", None), (None, None), ("zh-CN", True)],
)
def test_day_first(language: str | None, expected: bool | None) -> None:
    assert day_first(language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\nVeröffentlicht am 10.08.21\n", AUG_10),
        ("Title\nPublié le 10/08/21 à 18h30\n", AUG_10),
        ("Title\nVersion 1.2.21 of the tool\n", None),
        # Update cues in other languages skip a date.
        ("Title\nAktualisiert am 12.08.2021\nVeröffentlicht am 10.08.2021\n", AUG_10),
        ("Title\nMis à jour le 12 août 2021\n10 août 2021\n", AUG_10),
        ("Title\nОновлено: 12.08.2021\n10 серпня 2021\n", AUG_10),
        ("Title\n更新时间：2021-08-12\n发布时间：2021-08-10\n", AUG_10),
        ("Heute: 18.01.2024\nTitel\n10.08.2021\n", AUG_10),
    ],
)
def test_date_lines_in_other_languages_and_two_digit_years(text: str, expected: dt.date | None) -> None:
    assert date_from_text(text, dayfirst=True) == expected


def test_a_published_line_below_the_text_is_read_when_the_top_has_none() -> None:
    text = "Title\n" + "A line of prose that is long enough to be prose and not a date line at all, surely.\n" * 60
    assert date_from_text(text + "Published: 10 August 2021\n") == AUG_10
    assert date_from_text(text + "10 August 2021\n") is None  # a plain date down there may be anything


def test_json_ld_graph_article_node_beats_the_web_page_node_listed_first() -> None:
    graph = (
        '{"@graph": [{"@type": "WebPage", "datePublished": "2023-01-05T10:00:00+00:00"},'
        ' {"@type": "NewsArticle", "datePublished": "2021-08-10T09:30:00+02:00"}]}'
    )
    assert date_from_html(soup(f"<head>{ld(graph)}</head>")) == (AUG_10, "json-ld")


@pytest.mark.parametrize(
    "name",
    [
        "og:pubdate",
        "article.published",
        "dcterms.created",
        "publication_date",
        "cXenseParse:recs:publishtime",
        "dc.date.publication",
    ],
)
def test_publication_meta_tags_under_other_names(name: str) -> None:
    html = f'<meta name="{name}" content="2021-08-10T09:30:00+02:00">'
    assert date_from_html(soup(f"<head>{html}</head>")) == (AUG_10, "meta")


@pytest.mark.parametrize(
    "script",
    [
        '<script>dataLayer.push({"page": {"publishDate": "2021-08-10T07:30:00Z"}});</script>',
        "<script>window.__INITIAL_STATE__ = {'article': {'firstPublishedAt': '2021-08-10T06:00:00+00:00'}};</script>",
        '<script>var meta = {pubDate: "2021-08-10"};</script>',
    ],
)
def test_dates_only_in_scripts(script: str) -> None:
    found = date_from_scripts(soup(f"<head>{script}</head>"))
    assert found is not None and found.date == AUG_10


def test_parse_stamp_keeps_the_moment_and_its_offset() -> None:
    stamp = parse_stamp("2021-08-11T02:40:00.000Z")
    assert stamp is not None and stamp.in_utc and stamp.date == dt.date(2021, 8, 11)
    assert stamp.local(-dt.timedelta(hours=4)) == AUG_10
    assert parse_stamp("2021-08-10") == Stamp(AUG_10)


def test_a_utc_time_element_around_the_local_day_is_the_local_day() -> None:
    # Hatena: datetime in UTC (the day before), the date shown is the publisher's (JST).
    html = '<time datetime="2021-08-09T23:00:00Z"><span>2021</span>-<span>08</span>-<span>10</span></time>'
    assert date_from_html(soup(f"<body>{html}</body>")) == (AUG_10, "time")


@pytest.mark.parametrize(
    "markup",
    [
        '<abbr class="published" title="2021-08-10T09:30:00-07:00">9:30 AM</abbr>',
        '<span itemprop="datePublished" content="2021-08-10">Aug 10</span>',
        '<span property="dc:date dc:created" content="2021-08-10T09:30:00+02:00">10 August 2021</span>',
    ],
)
def test_abbr_microdata_and_rdfa_publication_dates(markup: str) -> None:
    assert date_from_html(soup(f"<body>{markup}</body>")) == (AUG_10, "time")


@pytest.mark.parametrize(
    "body",
    [
        '<div class="modal" role="dialog"><time datetime="2024-01-18">today</time></div>',
        '<div id="wm-ipp-base"><time datetime="2023-01-15">capture</time></div>',
    ],
)
def test_a_pop_up_or_archive_toolbar_time_is_not_the_date(body: str) -> None:
    assert date_from_html(soup(f"<body>{body}<p>Text</p></body>")) == (None, None)


def test_update_dates_and_dates_after_an_update_or_today_cue() -> None:
    html = """<head><meta property="article:modified_time" content="2022-01-02T10:00:00+00:00">
    <script type="application/ld+json">{"dateModified": "2022-03-04"}</script></head>
    <body><time class="updated" datetime="2022-05-06">x</time></body>"""
    assert update_dates(soup(html)) == {dt.date(2022, 1, 2), dt.date(2022, 3, 4), dt.date(2022, 5, 6)}
    lines = ["Aujourd'hui : 18 janvier 2024", "Last updated", "3 May 2021", "Published 10 August 2021"]
    assert cued_elsewhere(lines) == {dt.date(2024, 1, 18), dt.date(2021, 5, 3)}


def test_the_memoised_cue_test_answers_as_the_pattern_does_every_time() -> None:
    from linkcheck import dates

    labels = ["Last updated", "Posted on", "Дата публикации:", "A benchmark page", "Updated: ", "Today", "Menu"]
    labels += [f"Section {number}" for number in range(5000)]  # past the memo's size: old answers dropped
    for _ in range(2):
        for label in labels:
            assert dates._ends_with_cue(label) == dates._short_line_ends_with_cue.__wrapped__(label)
    assert dates._ends_with_cue("Last updated") and not dates._ends_with_cue("A benchmark page")
