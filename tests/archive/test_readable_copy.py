"""Readable copies: banner, links made absolute (no <base>), main text, noarchive, payload files."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from lxml import etree

from linkcheck.archive.inert_html import inert_document
from linkcheck.archive.local_copy import LocalResources
from linkcheck.archive.page_tree import is_tree, page_tree
from linkcheck.archive.readable_copy import (
    ReadableCopy,
    _http_or,
    noarchive_header,
    noarchive_meta,
    readable_page,
)
from linkcheck.archive.requisites import page_requisites
from linkcheck.models import FetchResult
from linkcheck.pages import main_text, parse_html


def download(body: bytes, content_type: str = "text/html; charset=utf-8", **fields: Any) -> FetchResult:
    url = fields.pop("url", "http://example.org/news/story")
    return FetchResult(
        url,
        fields.pop("final_url", url),
        status=200,
        headers=(("Content-Type", content_type),),
        raw_body=body,
        body=body,
        **fields,
    )


def test_page_gets_charset_policy_and_banner_in_place() -> None:
    markup = '<html><head lang="en"><title>T</title></head><body class="x"><p>hi</p></body></html>'
    final = "http://example.org/news/"
    html = readable_page(markup, final, "http://example.org/a", final, "2025-03-14T12:00:00Z")
    head, body = html.split("<title>", 1)
    assert head.startswith('<!DOCTYPE html>\n<html><head lang="en"><meta http-equiv="Content-Security-Policy"')
    assert head.endswith('<meta charset="utf-8">') and "<base" not in html
    assert body.split('<body class="x">', 1)[1].startswith('<div id="linkcheck-archive-banner"')
    assert "captured 2025-03-14T12:00:00Z" in html and "redirected to http://example.org/news/" in html


@pytest.mark.parametrize(
    "markup",
    ["<p>no head, no body</p>", "<html><p>no head</p></html>", "", "<HEAD><title>t</title></HEAD><P>x"],
)
def test_page_without_head_or_body_still_gets_policy_and_banner(markup: str) -> None:
    html = readable_page(markup, "http://example.org/", "http://example.org/", "http://example.org/", "now")
    assert '<meta http-equiv="Content-Security-Policy"' in html and "linkcheck-archive-banner" in html
    tree = parse_html(html)
    assert tree.find('.//meta[@http-equiv="Content-Security-Policy"]') is not None
    assert tree.find('.//*[@id="linkcheck-archive-banner"]') is not None


def test_header_tag_is_not_taken_for_head() -> None:
    html = readable_page("<header>site</header><p>x</p>", "http://e.org/", "http://e.org/", "http://e.org/", "now")
    assert not html.startswith("<header><meta")


def test_banner_and_base_are_escaped() -> None:
    url = 'http://example.org/?a="><img src=x onerror=alert(1)>&b=<b>'
    html = readable_page("<html><head></head><body></body></html>", url, url, url, "<i>now</i>")
    assert "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&quot;&gt;" in html and "&lt;i&gt;now" in html


def test_own_base_href_resolves_the_links_made_absolute() -> None:
    body = b'<html><head><base href="/docs/"></head><body><a href="x.html">x</a><a href="#top">t</a></body></html>'
    copy = ReadableCopy.of(download(body, url="http://example.org/a/b"), "now")
    html = copy.files["page.html"].decode()
    assert '<a href="http://example.org/docs/x.html">x</a>' in html and "<base" not in html
    assert '<a href="#top">t</a>' in html  # an anchor in the page stays in the page


def test_main_text_drops_boilerplate_and_keeps_paragraphs() -> None:
    soup = parse_html(
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<header>Site name</header><nav>Home | News</nav>"
        "<main><h1>Headline</h1><p>First   paragraph with <a href='#'>a link</a> inside.</p>"
        "<script>var x;</script><p>Second<br>line</p><aside>Related</aside></main>"
        "<footer>(c) 2025</footer></body></html>"
    )
    assert main_text(soup) == "Headline\nFirst paragraph with a link inside.\nSecond\nline"


def test_main_text_uses_the_single_article_or_the_body() -> None:
    one = parse_html("<body><div>menu</div><article><p>story</p></article></body>")
    assert main_text(one) == "story"
    two = parse_html("<body><article><p>a</p></article><article><p>b</p></article></body>")
    assert main_text(two) == "a\nb"


def test_non_utf8_page_is_decoded_by_its_charset() -> None:
    body = "<html><body><p>Привет, мир</p></body></html>".encode("windows-1251")
    copy = ReadableCopy.of(download(body, "text/html; charset=windows-1251"), "now")
    assert copy.text == "Привет, мир"
    assert "Привет, мир" in copy.files["page.html"].decode("utf-8")


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("noarchive", True),
        ("NOINDEX, NOARCHIVE", True),
        ("googlebot: noarchive", True),
        ("noindex", False),
        ("none", False),
        ("unavailable_after: 25 Jun 2030 15:00:00 PST", False),
    ],
)
def test_noarchive_header(value: str, refused: bool) -> None:
    assert (noarchive_header((("X-Robots-Tag", value),)) is not None) is refused


@pytest.mark.parametrize(
    ("meta", "refused"),
    [
        ('<meta name="robots" content="noarchive">', True),
        ('<meta name="ROBOTS" content="noindex,noarchive">', True),
        ('<meta name="linkcheck" content="noarchive">', True),
        ('<meta name="robots" content="noindex">', False),
        ('<meta name="description" content="noarchive">', False),
    ],
)
def test_noarchive_meta(meta: str, refused: bool) -> None:
    assert (noarchive_meta(page_tree(f"<html><head>{meta}</head></html>")) is not None) is refused


@pytest.mark.parametrize(
    ("content_type", "name", "has_text"),
    [
        ("application/pdf", "payload.pdf", False),
        ("image/png", "payload.png", False),
        ("text/plain; charset=utf-8", "payload.txt", True),
        ("application/octet-stream", "payload.bin", False),
    ],
)
def test_other_payloads_are_kept_as_received(content_type: str, name: str, has_text: bool) -> None:
    body = b"line one\n\n  line   two\n"
    copy = ReadableCopy.of(download(body, content_type), "now")
    assert copy.files[name] == body
    assert ("text.txt" in copy.files) is has_text
    assert copy.text == ("line one\nline two" if has_text else None)


SHARED_PAGE = (
    b'<html><head><title>T</title><script>x()</script><base href="/d/"><link rel=stylesheet href=s.css></head>'
    b'<body><p onclick="y()">a<!-- c --> b</p><img src="i.png"><iframe src="f"></iframe></body></html>'
)


def test_the_inert_copy_and_requisites_leave_the_tree_as_it_was() -> None:
    tree = page_tree(SHARED_PAGE, "utf-8")
    before = etree.tostring(tree)
    local = LocalResources("http://example.org/d/", {"http://example.org/d/i.png": "page_files/i.png"})
    html = inert_document(tree, "", "", local)
    assert [requisite.url for requisite in page_requisites(tree, "http://example.org/d/")] == [
        "http://example.org/d/s.css",
        "http://example.org/d/i.png",
    ]
    assert etree.tostring(tree) == before
    assert '<img src="page_files/i.png">' in html and "<script" not in html and "onclick" not in html


def test_the_checkers_lxml_tree_is_used_and_left_as_it_was() -> None:
    """Given the checker's tree (an lxml element), the copy reads it without changing it, and comes out
    as it does from the page's own bytes."""
    fetch = download(SHARED_PAGE)
    tree = parse_html(SHARED_PAGE, "utf-8")
    assert is_tree(tree)
    before = etree.tostring(tree)
    shared = ReadableCopy.of(fetch, "now", parsed=tree)
    assert etree.tostring(tree) == before
    assert shared.files["page.html"] == ReadableCopy.of(fetch, "now").files["page.html"]
    assert shared.title == "T" and b"<script" not in shared.files["page.html"]


def test_whitespace_alone_is_one_break_except_in_pre_and_textarea() -> None:
    markup = "<body><p>a</p>\n\n\n<p>b</p>  <pre>\n\n  x\n\n</pre><textarea>  \n\n </textarea></body>"
    html = readable_page(markup, "http://e.org/", "http://e.org/", "http://e.org/", "now")
    assert "<p>a</p>\n<p>b</p> <pre>" in html
    assert "<pre>\n  x\n\n</pre>" in html or "<pre>\n\n  x\n\n</pre>" in html  # as the parser kept it
    assert "<textarea>  \n\n </textarea>" in html


def test_a_banner_link_is_a_web_address_or_nothing() -> None:
    for base in [
        "http://example.org/",
        "https://example.org/a?b#c",
        "HTTPS://example.org/",
        " http://example.org/",
        "ht\ttp://example.org/",
        "javascript:alert(1)",
        " javascript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,x",
        "http:x",
        "//example.org/",
        "",
    ]:
        web = urlsplit(base).scheme.lower() in ("http", "https")
        assert _http_or(base) == (base if web else "about:blank"), base
