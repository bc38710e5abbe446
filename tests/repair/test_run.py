"""Suggested URLs in whole runs against fake news sites on loopback: the story under the article's
date, a path only the sitemap knows, a decoy with the same id rejected, and repair switched off."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from linkcheck.environment import Environment
from linkcheck.models import CheckedCitation, RunResult
from linkcheck.pipeline import run
from linkcheck.reports import json_report, markdown
from linkcheck.reports.options import ReportOptions
from linkcheck.settings import Settings, settings_from_mapping
from tests.server import LocalServer, running, send

HEADLINE = "Russia holds military drills in Tajikistan amid Taliban offensive"
SLUG = "russia-holds-drills-a74712"
SCHEMA = json.loads((Path(json_report.__file__).parent / "schema" / "report.schema.json").read_text())
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def story(title: str, published: str) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>{title} - The Moscow Times</title>"
        f'<meta property="article:published_time" content="{published}T10:00:00Z"></head>'
        f"<body><article><h1>{title}</h1><p>Troops gathered near the border this week.</p></article></body></html>"
    ).encode()


@pytest.fixture
def site() -> Iterator[LocalServer]:
    with running("127.0.0.1") as local:
        yield local


def write_article(folder: Path, url: str, published: str = "2021-08-07") -> Path:
    article = folder / "article.html"
    article.write_text(
        f'<html><head><meta property="article:published_time" content="{published}"></head>'
        f'<body><article><p>As <a href="{url}">{HEADLINE}</a> reported, the drills went on.</p></article></body></html>'
    )
    return article


def settings_for(tmp_path: Path, **repair: Any) -> Settings:
    return settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "retries": 0, "timeout": 5.0, "soft_404_probe": False},
            "snapshot": {"enabled": False, "dir": str(tmp_path / "archive")},
            "fallback": {"enabled": False},
            "repair": repair,
        },
        "test",
    )


def run_once(article: Path, settings: Settings, tmp_path: Path) -> RunResult:
    return run([str(article)], settings, Environment(now=lambda: NOW, cwd=tmp_path))


def the_citation(result: RunResult) -> CheckedCitation:
    [article] = result.articles
    [checked] = article.citations
    return checked


def test_a_future_dated_link_is_offered_the_story_under_the_articles_date(site: LocalServer, tmp_path: Path) -> None:
    site.routes[f"/2021/08/05/{SLUG}"] = lambda h: send(h, 200, story(HEADLINE, "2021-08-05"))
    cited = site.url(f"/2026/04/03/{SLUG}")
    result = run_once(write_article(tmp_path, cited), settings_for(tmp_path), tmp_path)
    checked = the_citation(result)
    assert checked.result.verdict.value == "broken"
    suggestion = checked.suggested_url
    assert suggestion is not None
    assert suggestion.url == site.url(f"/2021/08/05/{SLUG}")
    assert suggestion.method == "url-date"
    assert "2021/08/05" in suggestion.evidence and "2021-08-05" in suggestion.evidence
    assert HEADLINE in suggestion.evidence
    assert 0.9 <= suggestion.confidence <= 1.0
    assert checked.citation.url == cited  # a suggestion never replaces the citation
    # nearest first: the article's day, then the days before it, until the story
    assert [p for p in site.seen() if p.startswith("/2021/")] == [
        f"/2021/08/07/{SLUG}",
        f"/2021/08/06/{SLUG}",
        f"/2021/08/05/{SLUG}",
    ]


def test_a_link_with_the_wrong_year_finds_the_story_under_the_cited_day_in_the_articles_year(
    site: LocalServer, tmp_path: Path
) -> None:
    site.routes[f"/2021/04/03/{SLUG}"] = lambda h: send(h, 200, story(HEADLINE, "2021-04-03"))
    cited = site.url(f"/2026/04/03/{SLUG}")
    result = run_once(write_article(tmp_path, cited, "2021-08-07"), settings_for(tmp_path), tmp_path)
    suggestion = the_citation(result).suggested_url
    assert suggestion is not None and suggestion.method == "url-date"
    assert suggestion.url == site.url(f"/2021/04/03/{SLUG}") and "2021/04/03" in suggestion.evidence
    assert [p for p in site.seen() if p.startswith("/2021/")] == [
        f"/2021/08/07/{SLUG}",
        f"/2021/08/06/{SLUG}",
        f"/2021/08/05/{SLUG}",
        f"/2021/04/03/{SLUG}",  # the fourth of the five requests the dates may spend
    ]


def test_the_suggestion_is_in_report_json_and_report_md(site: LocalServer, tmp_path: Path) -> None:
    site.routes[f"/2021/08/05/{SLUG}"] = lambda h: send(h, 200, story(HEADLINE, "2021-08-05"))
    cited = site.url(f"/2026/04/03/{SLUG}")
    result = run_once(write_article(tmp_path, cited), settings_for(tmp_path), tmp_path)
    data = json.loads(json.dumps(json_report.render(result)))
    jsonschema.validate(data, SCHEMA)
    [item] = data["articles"][0]["citations"]
    assert item["suggested_url"]["method"] == "url-date"
    assert item["suggested_url"]["url"].endswith(f"/2021/08/05/{SLUG}")
    loaded = json_report.load(data)
    assert the_citation(loaded).suggested_url == the_citation(result).suggested_url
    text = markdown.render(result, ReportOptions())
    assert f"/2021/08/05/{SLUG}" in text and "url-date" in text


def test_a_decoy_with_the_same_id_and_another_title_is_rejected(site: LocalServer, tmp_path: Path) -> None:
    site.routes[f"/2021/08/06/{SLUG}"] = lambda h: send(h, 200, story("Moscow weather turns cold early", "2021-08-06"))
    cited = site.url(f"/2026/04/03/{SLUG}")
    result = run_once(write_article(tmp_path, cited), settings_for(tmp_path), tmp_path)
    assert site.hits[f"/2021/08/06/{SLUG}"] == 1
    assert the_citation(result).suggested_url is None


def test_a_story_dated_after_the_article_or_on_another_site_is_rejected(site: LocalServer, tmp_path: Path) -> None:
    site.routes[f"/2021/08/07/{SLUG}"] = lambda h: send(h, 200, story(HEADLINE, "2022-01-01"))
    with running("127.0.0.2") as other:
        other.routes[f"/story/{SLUG}"] = lambda h: send(h, 200, story(HEADLINE, "2021-08-01"))
        location = {"Location": other.url(f"/story/{SLUG}")}
        site.routes[f"/2021/08/06/{SLUG}"] = lambda h: send(h, 301, b"", headers=location)
        cited = site.url(f"/2026/04/03/{SLUG}")
        result = run_once(write_article(tmp_path, cited), settings_for(tmp_path), tmp_path)
        assert site.hits[f"/2021/08/07/{SLUG}"] == 1 and other.hits[f"/story/{SLUG}"] == 1
    assert the_citation(result).suggested_url is None


def test_a_path_only_the_sitemap_knows_is_found_through_robots_txt(site: LocalServer, tmp_path: Path) -> None:
    moved = site.url("/news/2021/russia-drills-tajikistan-a74712")
    robots = f"User-agent: *\nSitemap: {site.url('/sitemap-index.xml')}\n"
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url('/sitemap-2019.xml')}</loc></sitemap>"
        f"<sitemap><loc>{site.url('/sitemap-2021-08.xml')}</loc></sitemap>"
        "</sitemapindex>"
    )
    urlset = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site.url('/news/2021/other-story-a11111')}</loc></url>"
        f"<url><loc>{moved}</loc><lastmod>2021-08-05</lastmod></url></urlset>"
    )
    site.routes["/robots.txt"] = lambda h: send(h, 200, robots.encode(), "text/plain")
    site.routes["/sitemap-index.xml"] = lambda h: send(h, 200, index.encode(), "application/xml")
    site.routes["/sitemap-2021-08.xml"] = lambda h: send(h, 200, urlset.encode(), "application/xml")
    site.routes["/news/2021/russia-drills-tajikistan-a74712"] = lambda h: send(h, 200, story(HEADLINE, "2021-08-05"))
    cited = site.url(f"/2026/04/03/{SLUG}")
    result = run_once(write_article(tmp_path, cited), settings_for(tmp_path), tmp_path)
    suggestion = the_citation(result).suggested_url
    assert suggestion is not None
    assert (suggestion.url, suggestion.method) == (moved, "sitemap")
    assert "sitemap" in suggestion.evidence and "2021-08-05" in suggestion.evidence
    assert site.hits["/sitemap-2019.xml"] == 0  # its period cannot hold the article's date
    assert site.hits["/news/2021/other-story-a11111"] == 0


def test_the_budget_bounds_the_requests_per_citation(site: LocalServer, tmp_path: Path) -> None:
    cited = site.url(f"/2026/04/03/{SLUG}")
    run_once(write_article(tmp_path, cited), settings_for(tmp_path, max_requests=4), tmp_path)
    assert site.seen() == [
        f"/2026/04/03/{SLUG}",  # the check itself
        f"/2021/08/07/{SLUG}",  # half the budget on dates
        f"/2021/08/06/{SLUG}",
        "/robots.txt",  # the sitemaps, counted as one
        "/sitemap.xml",
        "/",  # the search discovery, counted as one; no description declared, so no query
    ]


def test_with_repair_off_no_request_leaves_for_candidates(site: LocalServer, tmp_path: Path) -> None:
    cited = site.url(f"/2026/04/03/{SLUG}")
    result = run_once(write_article(tmp_path, cited), settings_for(tmp_path, enabled=False), tmp_path)
    assert site.seen() == [f"/2026/04/03/{SLUG}"]
    assert the_citation(result).suggested_url is None


def test_an_ok_citation_gets_no_suggestion_and_no_request(site: LocalServer, tmp_path: Path) -> None:
    site.routes[f"/2021/08/05/{SLUG}"] = lambda h: send(h, 200, story(HEADLINE, "2021-08-05"))
    cited = site.url(f"/2021/08/05/{SLUG}")
    result = run_once(write_article(tmp_path, cited), settings_for(tmp_path), tmp_path)
    assert site.seen() == [f"/2021/08/05/{SLUG}"]
    assert the_citation(result).suggested_url is None


OPENSEARCH = """<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>News</ShortName>
  <Url type="application/rss+xml" template="{base}/rss?q={{searchTerms}}"/>
  <Url type="text/html" template="{base}/search?q={{searchTerms}}&amp;page={{startPage?}}"/>
</OpenSearchDescription>"""


def test_a_site_that_declares_its_search_is_searched_with_the_link_text(site: LocalServer, tmp_path: Path) -> None:
    base = site.url("").rstrip("/")
    home = (
        '<html><head><title>News</title><link rel="search" type="application/opensearchdescription+xml"'
        ' href="/opensearch.xml"></head><body><h1>News</h1></body></html>'
    )
    results = (
        "<html><head><title>Search</title></head><body>"
        '<a href="/">Home</a><a href="/news/weather-a111">Moscow weather turns cold</a>'
        '<a href="/news/drills-tajikistan">Russia holds military drills in Tajikistan</a></body></html>'
    )
    queries: list[str] = []

    def search(handler: Any) -> None:
        queries.append(handler.path)
        send(handler, 200, results.encode())

    site.routes["/"] = lambda h: send(h, 200, home.encode())
    site.routes["/opensearch.xml"] = lambda h: send(h, 200, OPENSEARCH.format(base=base).encode(), "application/xml")
    site.routes["/search"] = search
    site.routes["/news/drills-tajikistan"] = lambda h: send(h, 200, story(HEADLINE, "2021-08-05"))
    cited = site.url("/2026/04/03/old-path-id")
    result = run_once(write_article(tmp_path, cited), settings_for(tmp_path), tmp_path)
    suggestion = the_citation(result).suggested_url
    assert suggestion is not None
    assert (suggestion.url, suggestion.method) == (site.url("/news/drills-tajikistan"), "site-search")
    assert HEADLINE in suggestion.evidence
    assert queries == ["/search?q=" + HEADLINE.replace(" ", "+") + "&page="]
    assert site.hits["/news/weather-a111"] == 0  # its link text is another story: not even fetched


def test_an_address_the_archive_has_seen_under_the_same_id_is_verified_live(site: LocalServer, tmp_path: Path) -> None:
    moved = site.url(f"/moved/{SLUG}")
    site.routes[f"/moved/{SLUG}"] = lambda h: send(h, 200, story(HEADLINE, "2021-08-05"))
    queries: list[str] = []

    def cdx(handler: Any) -> None:
        queries.append(handler.path)
        rows = [["original", "timestamp", "statuscode"], [moved, "20210806000000", "200"]]
        similar = "original%3A" in handler.path  # the repair stage's query; the fallback stage's has none
        send(handler, 200, json.dumps(rows if similar else []).encode(), "application/json")

    with running("127.0.0.2") as wayback:
        wayback.routes["/cdx/search/cdx"] = cdx
        settings = settings_from_mapping(
            {
                "check": {"allow_private_networks": True, "retries": 0, "timeout": 5.0, "soft_404_probe": False},
                "snapshot": {"enabled": False},
                "fallback": {"wayback": wayback.url("/"), "requests_per_second": 50.0},
            },
            "test",
        )
        cited = site.url(f"/2026/04/03/{SLUG}")
        result = run_once(write_article(tmp_path, cited), settings, tmp_path)
    suggestion = the_citation(result).suggested_url
    assert suggestion is not None
    assert (suggestion.url, suggestion.method) == (moved, "archive")  # the live address, not the archive's
    assert "a74712" in suggestion.evidence
    [similar] = [query for query in queries if "original%3A" in query]
    assert "a74712" in similar and "url=127.0.0.1%2F%2A" in similar
