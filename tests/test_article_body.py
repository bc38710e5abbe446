"""The article's own part of a page: chosen by its prose, furniture and footnotes told apart."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from linkcheck.article_body import ArticleBody
from linkcheck.html_tags import Text
from linkcheck.pages import parse_html

PROSE = "<p>" + "Dock workers stopped work for a second day after talks broke down. " * 6 + "</p>"


def body_of(html: str, url: str | None = "https://news.example/a") -> ArticleBody:
    return ArticleBody(parse_html(html), url)


def test_the_root_is_the_container_holding_most_of_the_prose() -> None:
    html = f"""<body><div class="teasers"><article><p>A short teaser.</p></article></div>
    <div class="story"><div id="text">{PROSE * 5}</div><div class="tags"><a href="/tag/x">x</a></div></div></body>"""
    assert body_of(html).root.get("id") == "text"


def test_a_page_with_little_prose_is_read_by_its_structure() -> None:
    assert body_of('<body><a href="/x">x</a><main><a href="/y">y</a></main></body>').root.tag == "main"


def test_parts_are_the_articles_links_and_footnotes_in_document_order() -> None:
    html = f"""<body><nav><a href="/menu">m</a></nav><div id="text">{PROSE * 4}
    <p><a href="https://cited.example/1">one</a> and https://bare.example/2</p>
    <div class="share"><a href="https://twitter.com/intent/tweet?url=x">t</a></div></div>
    <aside class="footnotes"><a href="https://note.example/3">3</a></aside></body>"""
    parts = [part.text if isinstance(part, Text) else str(part.get("href")) for part in body_of(html).parts()]
    assert parts == ["https://cited.example/1", " and https://bare.example/2", "https://note.example/3"]


def test_date_lines_are_blocks_around_the_article_and_furniture_text_is_apart() -> None:
    html = f"""<body><header class="site-header"><span>Today: 18 January 2024</span></header>
    <article><h1>Title</h1><p class="byline">By Jane, <b>10 August 2021</b></p><div id="text">{PROSE * 4}</div>
    </article><footer class="site-footer">© 2024</footer></body>"""
    body = body_of(html)
    head, _ = body.date_lines()
    assert head[:2] == ["Title", "By Jane, 10 August 2021"]
    texts, _ = body.furniture_text()
    assert "Today: 18 January 2024" in texts and "© 2024" in texts


_SHARE_SAMPLES = [
    "https://www.facebook.com/sharer/sharer.php?u=https://a.example/",
    "https://Twitter.COM/intent/tweet?text=x",
    "https://twitter.com/share",
    "https://x.com/intent/post",
    "https://www.linkedin.com/cws/share?url=y",
    "https://LinkedIn.com/shareArticle",
    "https://reddit.com/submit?url=z",
    "https://pinterest.co.uk/pin/create/button/",
    "https://wa.me/?text=a",
    "whatsapp://send?text=b",
    "https://api.whatsapp.com/send?text=c",
    "https://t.me/share/url?url=d",
    "https://telegram.me/share/url",
    "https://vk.com/share.php",
    "https://www.xing.com/spi/shares/new",
    "https://tumblr.com/share/link",
    "https://getpocket.com/save?url=e",
    "https://www.blogger.com/share-post.g",
    "https://www.addtoany.com",
    "https://sharethis.com/x",
    "/go?share=https://f.example/",
    "/go?a=1&shareurl=HTTP://g.example/",
    "/go?u=http",
    "https://news.example/2024/05/story?id=1&ref=x",
    "https://example.org/shared/notes",
    "https://example.org/save-the-date",
    "https://example.org/a=http",
    "https://pinterest.com/pins/create",
    "https://ſharethis.com/x",  # a long s: ignoring case, it reads as "s"
    "https://getpoc\u212aet.com/save",  # the Kelvin sign reads as "k"
    "https://WA.ME/",
    "",
]


def test_share_links_are_told_as_the_case_blind_pattern_tells_them() -> None:
    from linkcheck.article_body import _SHARE_HREF, _is_share_href

    found = 0
    for href in _SHARE_SAMPLES:
        for variant in (href, href.upper(), href.swapcase(), f"https://r.example/?next={href}"):
            expected = _SHARE_HREF.search(variant) is not None
            assert _is_share_href(variant) is expected, variant
            found += expected
    assert found > 60  # most samples are share links, in every variant


_SHARE_PIECES = [
    "facebook.com/shar",
    "twitter.com/",
    "intent",
    "share",
    "x.com",
    "/",
    ".",
    "wa.me",
    "=",
    "?",
    "&",
    "u",
    "http",
    "s",
    "pin",
    "/create",
    "pinterest.",
    "whatsapp",
    "://",
    "t.me",
    "ſ",
    "K",
    "A",
    "é",
    "save",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SHARE_PIECES + [piece.upper() for piece in _SHARE_PIECES]), max_size=12))
def test_share_links_are_told_alike_on_generated_addresses(pieces: list[str]) -> None:
    from linkcheck.article_body import _SHARE_HREF, _is_share_href

    href = "".join(pieces)
    assert _is_share_href(href) is (_SHARE_HREF.search(href) is not None)
