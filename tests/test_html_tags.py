"""The fast element lookups give what bs4's find/find_all gave, and the page facts built on them are the
same as with bs4's own lookups, over every HTML page the project keeps (benchmark corpora and fixtures)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from linkcheck import article_body, dates, pages
from linkcheck.archive.page_tree import page_tree
from linkcheck.archive.readable_copy import base_href
from linkcheck.article_body import ArticleBody
from linkcheck.html_tags import child_named, first_named, tags_in, tags_named
from linkcheck.models import FetchResult
from linkcheck.pages import facts_of, page_date, parse_html

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(
    path
    for folder in ("benchmarks/harvest_corpus", "benchmarks/date_pages", "tests")
    for pattern in ("*.html", "*.htm")
    for path in (ROOT / folder).rglob(pattern)
)
NAMES = ("a", "base", "head", "article", "body", "html", "main", "meta", "script", "time", "h1", "title", "div", "p")


def test_the_corpus_is_there() -> None:
    assert len(PAGES) >= 200  # benchmarks/harvest_corpus and benchmarks/date_pages are in the repository


def _soup(path: Path) -> BeautifulSoup:
    return parse_html(path.read_bytes())


def _is_date_element(tag: Tag) -> bool:
    return dates._is_date_element(tag)


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(ROOT)))
def test_lookups_match_bs4_find_all(path: Path) -> None:
    soup = _soup(path)
    scopes: list[Tag] = [soup, *soup.find_all(["body", "article", "main", "div"])[:20]]
    for scope in scopes:
        assert list(tags_in(scope)) == scope.find_all(True)
        for name in NAMES:
            found = list(tags_named(scope, name))
            assert [id(tag) for tag in found] == [id(tag) for tag in scope.find_all(name)]
        assert [id(tag) for tag in tags_in(scope) if _is_date_element(tag)] == [
            id(tag) for tag in scope.find_all(_is_date_element)
        ]
        assert [id(t) for t in tags_named(scope, "time") if t.get("datetime") is not None] == [
            id(t) for t in scope.find_all("time", attrs={"datetime": True})
        ]
        assert [id(t) for t in tags_named(scope, "a") if t.get("href") is not None] == [
            id(t) for t in scope.find_all("a", href=True)
        ]
    assert first_named(soup, "body") is soup.body
    assert first_named(soup, "html") is soup.find("html")
    json_ld = [
        s for s in tags_named(soup, "script") if isinstance(s.get("type"), str) and dates._JSON_LD.search(s["type"])
    ]
    assert [id(s) for s in json_ld] == [id(s) for s in soup.find_all("script", attrs={"type": dates._JSON_LD})]
    with_content = [id(m) for m in tags_named(soup, "meta") if m.get("content") is not None]
    assert with_content == [id(m) for m in soup.find_all("meta", attrs={"content": True})]
    html = soup.find("html")
    top = html if isinstance(html, Tag) else soup
    for name in ("head", "body"):
        assert child_named(top, name) is top.find(name, recursive=False)
    assert pages.main_element(soup) is _bs4_main_element(soup)
    assert base_href(page_tree(str(soup)), FINAL_URL) == _bs4_base_href(soup, FINAL_URL)
    equiv = re.compile("^content-language$", re.I)
    wanted = soup.find("meta", attrs={"http-equiv": equiv})
    content = wanted.get("content") if isinstance(wanted, Tag) else None
    assert pages._language(soup, None) == (content if isinstance(content, str) else None)


FINAL_URL = "https://example.org/a/b.html"


def _bs4_main_element(soup: BeautifulSoup) -> Tag | BeautifulSoup:
    """main_element as it was written with bs4's find: <main>, role=main, a lone <article>, <body>."""
    root = soup.find("main") or soup.find(True, {"role": "main"})
    if isinstance(root, Tag):
        return root
    articles = soup.find_all("article")
    return articles[0] if len(articles) == 1 else soup.body or soup


def _bs4_base_href(soup: BeautifulSoup, final_url: str) -> str:
    base = soup.find("base", href=True)
    if isinstance(base, Tag):
        resolved = urljoin(final_url, str(base["href"]).strip())
        if urlsplit(resolved).scheme.lower() in ("http", "https"):
            return resolved
    return final_url


def _bs4_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page facts' modules with bs4's find/find_all in place of the fast walks, and the
    digit pre-check of the date patterns off: the implementation the fast one replaced."""

    def named(scope: Tag, name: str) -> list[Tag]:
        return scope.find_all(name)

    def every(scope: Tag) -> list[Tag]:
        return scope.find_all(True)

    def first(scope: Tag, name: str) -> Tag | None:
        found = scope.find(name)
        return found if isinstance(found, Tag) else None

    for module in (dates, pages, article_body):
        for attribute, replacement in (("tags_named", named), ("tags_in", every), ("first_named", first)):
            if hasattr(module, attribute):
                monkeypatch.setattr(module, attribute, replacement)
    monkeypatch.setattr(dates, "_DIGIT", re.compile(""))  # matches every text: all patterns are tried


def _facts(path: Path) -> tuple[object, ...]:
    content = path.read_bytes()
    url = f"https://example.org/{path.stem}"
    fetch = FetchResult(url, url, 200, "OK", headers=(("Content-Type", "text/html"),), body=content)
    soup = parse_html(content)
    body = ArticleBody(soup, url)
    lines = body.date_lines()
    return (
        facts_of(soup, fetch),
        page_date(soup, url),
        dates.update_dates(soup),
        dates.cued_elsewhere(list(body.short_lines())),
        lines,
        dates.date_from_lines(*lines),
        body.root.name,
        body.date_region().name,
        body.prose,
    )


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(ROOT)))
def test_page_facts_are_those_of_bs4_lookups(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _facts(path)
    _bs4_lookups(monkeypatch)
    assert _facts(path) == fast
