"""The page facts, dates, article bodies and harvested articles computed on lxml trees are those the
BeautifulSoup code computed (tests/bs4_oracle, the code as it was), page by page: every HTML page the
project keeps, pages made to break the rules, and generated markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkcheck import dates, pages
from linkcheck.article_body import ArticleBody
from linkcheck.harvest.html import harvest_html
from linkcheck.html_tags import Text
from linkcheck.models import FetchResult
from tests.bs4_oracle import dates as old_dates
from tests.bs4_oracle import pages as old_pages
from tests.bs4_oracle.article_body import ArticleBody as OldArticleBody
from tests.bs4_oracle.harvest_html import harvest_html as old_harvest_html
from tests.test_html_tags import PAGES, ROOT, TRICKY

FACTS = ("title", "heading", "published", "tokens", "page")
CONTENT_TYPES = ("text/html", "text/html; charset=utf-8", "text/html; charset=iso-8859-1")


def _fetch(content: bytes, content_type: str, url: str) -> FetchResult:
    return FetchResult(url, url, 200, "OK", headers=(("Content-Type", content_type),), body=content)


def _facts(module: object, fetch: FetchResult) -> tuple[object, ...]:
    found = module.facts_of(module.parse_page(fetch), fetch)  # type: ignore[attr-defined]
    return tuple(getattr(found, name) for name in FACTS)


def _stamp(stamp: object) -> tuple[object, ...] | None:
    """A Stamp of either module as plain values (the oracle's records are its own classes)."""
    return None if stamp is None else (stamp.date, stamp.moment)  # type: ignore[attr-defined]


def _found(found: object) -> tuple[object, ...] | None:
    if found is None:
        return None
    return (found.date, found.source, _stamp(found.stamp))  # type: ignore[attr-defined]


def _body_facts(old: OldArticleBody, new: ArticleBody) -> None:
    assert new.date_lines() == old.date_lines()
    assert list(new.short_lines()) == list(old.short_lines())
    assert new.furniture_text() == old.furniture_text()
    assert new.prose == old.prose
    assert new.root.tag == old.root.name or old.root.name == "[document]"
    assert new.date_region().tag == old.date_region().name or old.date_region().name == "[document]"
    old_parts = [str(part.get("href")) if part.name else str(part) for part in old.parts()]
    assert [part.text if isinstance(part, Text) else str(part.get("href")) for part in new.parts()] == old_parts


def _same_everything(content: bytes, url: str) -> None:
    for content_type in CONTENT_TYPES:
        fetch = _fetch(content, content_type, url)
        assert _facts(pages, fetch) == _facts(old_pages, fetch), content_type
    charset = pages.charset_of(CONTENT_TYPES[1])
    old_soup, new_root = old_pages.parse_html(content, charset), pages.parse_html(content, charset)
    old_body, new_body = OldArticleBody(old_soup, url), ArticleBody(new_root, url)
    _body_facts(old_body, new_body)
    new_found = pages.page_date(new_root, url, new_body, content=content)
    assert _found(new_found) == _found(old_pages.page_date(old_soup, url, old_body, content=content))
    assert dates.update_dates(new_root) == old_dates.update_dates(old_soup)
    assert _stamp(dates.date_from_scripts(new_root)) == _stamp(old_dates.date_from_scripts(old_soup))
    assert harvest_html(content, "page.html", url) == old_harvest_html(content, "page.html", url)
    assert harvest_html(content, "page.html", None, "utf-8") == old_harvest_html(content, "page.html", None, "utf-8")


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(ROOT)))
def test_corpus_pages_give_the_same_facts_and_articles(path: Path) -> None:
    _same_everything(path.read_bytes(), f"https://example.org/2021/08/10/{path.stem}")


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_pages_give_the_same_facts_and_articles(name: str) -> None:
    _same_everything(TRICKY[name], "https://example.org/a")


_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div class='related'>",
        "<div class='comments'>",
        "</div>",
        "<article>",
        "</article>",
        "<h2>Sources</h2>",
        "<h3>Related</h3>",
        "<nav>",
        "</nav>",
        "<a href='https://a.example/x'>",
        "<a href='/rel/path'>",
        "</a>",
        "<time datetime='2021-08-10T23:30:00Z'>",
        "</time>",
        "10 August 2021",
        "Updated 2022-01-03",
        "<script>var publishDate = '2020-05-06';</script>",
        "<!-- note -->",
        "<pre> \n </pre>",
        "<rt>ruby</rt>",
        "<template><p>t</p></template>",
        "<br>",
        " ",
        "\n",
        "see https://b.example/y here",
        "words of the story go on ",
        "<ul><li><a href='https://c.example/'><img src=x></a></li><li><a href='/d'><img src=y></a></li></ul>",
        "<meta property='article:published_time' content='2019-03-04'>",
        "<title>Page</title>",
        "<h1>Head</h1>",
        "\x00",
        "é",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40), st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_generated_markup_gives_the_same_facts_and_articles(pieces: list[str], charset: str) -> None:
    content = "".join(pieces).encode(charset, "replace")
    url = "https://example.org/news/2021/08/story"
    for content_type in ("text/html", f"text/html; charset={charset}"):
        fetch = _fetch(content, content_type, url)
        assert _facts(pages, fetch) == _facts(old_pages, fetch)
    assert harvest_html(content, "page.html", url) == old_harvest_html(content, "page.html", url)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_the_same_facts_and_articles(content: bytes) -> None:
    url = "https://example.org/a"
    fetch = _fetch(content, "text/html", url)
    assert _facts(pages, fetch) == _facts(old_pages, fetch)
    assert harvest_html(content, "page.html", url) == old_harvest_html(content, "page.html", url)
