"""Page facts of fetched (cited) pages: the publication date comes from the same cascade as articles'."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from linkcheck.models import FetchResult
from linkcheck.pages import page_facts

AUG_10 = dt.date(2021, 8, 10)
TEXT = "<p>" + "Dock workers stopped work for a second day after talks broke down. " * 20 + "</p>"


def fetched(html: str, url: str = "https://cited.example/story") -> FetchResult:
    return FetchResult(url, url, 200, headers=(("Content-Type", "text/html; charset=utf-8"),), body=html.encode())


@pytest.mark.parametrize(
    "html",
    [
        # The article node of a @graph, not the WebPage listed first.
        '<head><script type="application/ld+json">{"@graph": [{"@type": "WebPage", "datePublished": "2023-01-05"},'
        ' {"@type": "NewsArticle", "datePublished": "2021-08-10T09:30:00+02:00"}]}</script></head>'
        f"<body><article>{TEXT}</article></body>",
        # A byline in German, past a teaser's <time>.
        '<html lang="de"><body><article class="teaser"><a href="/x">X</a><time datetime="2021-09-01">1.9.</time>'
        f"</article><article><h1>T</h1><p>Veröffentlicht am 10. August 2021</p>{TEXT}</article></body></html>",
        # UTC the next day, the byline's offset gives the publisher's day.
        '<head><meta property="article:published_time" content="2021-08-11T01:15:00+00:00"></head><body><article>'
        f'<time datetime="2021-08-10T21:15:00-04:00">Aug 10</time>{TEXT}</article></body>',
    ],
)
def test_a_cited_pages_date_is_read_like_an_articles(html: str) -> None:
    assert page_facts(fetched(html)).published == AUG_10


def test_a_cited_page_gets_no_guessed_date() -> None:
    # htmldate would date this page from a data- attribute; for a cited page a guess is the costly
    # error (published-after-article), so only our cues count.
    html = f'<body><div class="story" data-published="2021-08-10T08:00:00+01:00"></div><article>{TEXT}</article></body>'
    assert page_facts(fetched(html)).published is None


def test_the_checker_reads_pages_without_beautifulsoup() -> None:
    # bs4 pulls in soupsieve (80 ms of startup) and builds its trees in Python: the checker's page facts
    # come from lxml alone.
    probe = (
        "import sys\n"
        "from linkcheck.check import check_urls\n"
        "from linkcheck.check.verdict import check_result, parsed_page\n"
        "from linkcheck.models import FetchResult\n"
        "url = 'https://a.example/x'\n"
        "page = FetchResult(url, url, 200, headers=(('Content-Type', 'text/html'),),"
        " body=b'<title>T</title><h1>H</h1><p>Posted 10 August 2021</p><a href=/y>y</a>')\n"
        "result = check_result(page, parsed=parsed_page(page))\n"
        "assert result.page_title == 'T', result\n"
        "print(' '.join(sorted(m for m in ('bs4', 'soupsieve') if m in sys.modules)))\n"
    )
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == ""


def _page(head_tag: bytes) -> FetchResult:
    body = b"<html><head><title>Tagged</title></head><body>" + head_tag + b"<p>Posted 10 August 2021</p></body></html>"
    url = "https://example.org/a"
    return FetchResult(url, url, 200, "OK", headers=(("Content-Type", "text/html; charset=utf-8"),), body=body)


def test_a_tag_with_tens_of_thousands_of_attributes_keeps_its_first_thousand() -> None:
    """libxml2 adds attributes by walking the ones it holds: 60,000 on one tag took a minute. Such a page is
    built from the parse events, keeping the first 1,000 attributes; its facts are still read."""
    from linkcheck.pages import parse_page

    tag = b"<div " + b" ".join(b"a%d='x'" % number for number in range(60_000)) + b">story</div>"
    fetched = _page(tag)
    div = next(parse_page(fetched).iter("div"))
    assert len(div.attrib) == 1000 and div.get("a0") == "x" and div.get("a999") == "x" and div.get("a1000") is None
    facts = page_facts(fetched)
    assert facts.title == "Tagged" and facts.published == dt.date(2021, 8, 10)


def test_a_long_tag_with_few_attributes_gives_the_same_facts_either_way() -> None:
    """A big inline image (a data: URI) makes a long tag: the page goes the parse-events way, and nothing changes."""
    from linkcheck import pages

    tag = b"<img alt='chart' src='data:image/png;base64," + b"A" * 40_000 + b"'>"
    fetched = _page(tag)
    assert pages._has_long_tag(fetched.body) and not pages._has_long_tag(_page(b"<img src='x.png'>").body)
    built = pages.parse_page(fetched)
    libxml2 = pages._html_parser("utf-8")  # libxml2's own tree, as a page without long tags is built
    libxml2.feed(fetched.body)
    plain = libxml2.close()
    assert [(e.tag, dict(e.attrib), e.text) for e in built.iter()] == [
        (e.tag, dict(e.attrib), e.text) for e in plain.iter()
    ]
    assert page_facts(fetched).published == dt.date(2021, 8, 10)
