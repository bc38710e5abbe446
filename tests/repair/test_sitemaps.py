"""Sitemaps: robots.txt lines, indexes and url sets parsed safely, periods that can hold a date."""

from __future__ import annotations

import datetime as dt

from linkcheck.repair.sitemaps import Entry, may_hold, parse_sitemap, sitemap_lines

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def test_robots_txt_names_its_sitemaps_in_any_case() -> None:
    robots = "User-agent: *\nDisallow: /admin\nSitemap: https://x.ru/sitemap-index.xml\nsitemap: /news.xml\n"
    assert sitemap_lines(robots, "https://x.ru") == ["https://x.ru/sitemap-index.xml", "https://x.ru/news.xml"]


def test_an_index_and_a_url_set_are_read_with_their_lastmod() -> None:
    index = f"<sitemapindex {NS}><sitemap><loc>https://x.ru/s1.xml</loc><lastmod>2021-09-01T00:00:00+00:00</lastmod></sitemap></sitemapindex>"
    assert parse_sitemap(index.encode()) == ("index", [Entry("https://x.ru/s1.xml", dt.date(2021, 9, 1))])
    urls = f"<urlset {NS}><url><loc> https://x.ru/a </loc></url></urlset>"
    assert parse_sitemap(urls.encode()) == ("urlset", [Entry("https://x.ru/a")])


def test_entity_expansion_and_other_xml_are_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        f"<urlset {NS}><url><loc>&lol2;</loc></url></urlset>"
    )
    assert parse_sitemap(bomb.encode()) == ("invalid", [])
    assert parse_sitemap(b"<html><body>not a sitemap</body></html>") == ("invalid", [])
    assert parse_sitemap(b"\x00\xff garbage") == ("invalid", [])


def test_only_sitemaps_whose_period_or_lastmod_can_hold_the_day_are_read() -> None:
    day = dt.date(2021, 8, 5)
    assert may_hold(Entry("https://x.ru/sitemap/2021/08.xml"), day)
    assert not may_hold(Entry("https://x.ru/sitemap/2019/03.xml"), day)
    assert may_hold(Entry("https://x.ru/news.xml", dt.date(2021, 9, 1)), day)
    assert not may_hold(Entry("https://x.ru/news.xml", dt.date(2020, 1, 1)), day)
    assert may_hold(Entry("https://x.ru/news.xml"), day)


def test_periods_in_sitemap_names() -> None:
    day = dt.date(2021, 8, 5)
    assert may_hold(Entry("https://x.ru/sitemap-2021-08-04.xml"), day)
    assert not may_hold(Entry("https://x.ru/sitemap-2021-08-06.xml"), day)
    assert may_hold(Entry("https://x.ru/posts-2021.xml"), day)
    assert not may_hold(Entry("https://x.ru/posts-2020.xml"), day)
    assert may_hold(Entry("https://x.ru/sitemap-2021-07.xml"), day)
    assert not may_hold(Entry("https://x.ru/sitemap-2021-05.xml"), day)
