"""The article's own part of a page: chosen by its prose, furniture and footnotes told apart."""

from __future__ import annotations

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
