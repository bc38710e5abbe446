"""HTML harvesting: article-body links with anchor text, base URL resolution, skipped schemes, metadata."""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path

import pytest

from linkcheck.harvest.common import MAX_CITATIONS, line_of, line_starts_of
from linkcheck.harvest.html import harvest_html

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MIL = "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews"
KOMMERSANT = "https://www.kommersant.ru/doc/4936744?from=four_mir"
MOSCOW_TIMES = (
    "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-amid-taliban-offensive"
)


def cited(html: str, page_url: str | None = None) -> list[str]:
    return [c.url for c in harvest_html(html, "page.html", page_url).citations]


# --- the article body, not the page around it -------------------------------------------------------


def test_navigation_header_footer_sidebar_share_and_comments_are_not_citations() -> None:
    html = """<html><body>
    <header><a href="https://site.example/">Home</a></header>
    <nav><a href="https://site.example/world/">World</a></nav>
    <div id="header"><a href="https://site.example/h">h</a></div>
    <div class="article-content">
      <p>Body <a href="https://cited.example/1">the first source</a>.</p>
      <div class="social-share"><a href="https://facebook.com/sharer">Share</a></div>
      <ul class="share-links"><li><a href="https://twitter.com/intent/tweet">Tweet</a></li></ul>
      <p>More <a href="https://cited.example/2">the second source</a>.</p>
      <section id="comments"><a href="https://spam.example/1">spam</a></section>
      <div class="comment-body"><a href="https://spam.example/2">spam</a></div>
    </div>
    <aside><a href="https://site.example/most-read">Most read</a></aside>
    <div class="sidebar-widget"><a href="https://site.example/side">side</a></div>
    <div class="widget-area"><a href="https://site.example/widget">widget</a></div>
    <div role="navigation"><a href="https://site.example/role-nav">nav</a></div>
    <div class="breadcrumbs"><a href="https://site.example/crumb">crumb</a></div>
    <footer><a href="https://site.example/privacy">Privacy</a></footer>
    </body></html>"""
    assert cited(html) == ["https://cited.example/1", "https://cited.example/2"]


def test_article_element_is_the_body_when_there_is_one() -> None:
    html = """<body><div><a href="https://outside.example/">outside</a></div>
    <article><p>Text of the article, long enough to be the article.
    <a href="https://inside.example/">inside</a></p></article></body>"""
    assert cited(html) == ["https://inside.example/"]


def test_largest_article_wins_over_teasers() -> None:
    html = """<body>
    <article><a href="https://teaser.example/">Teaser</a></article>
    <article><p>The long article text goes on and on for a good while. <a href="https://main.example/">source</a></p></article>
    </body>"""
    assert cited(html) == ["https://main.example/"]


def test_itemprop_article_body_and_main_are_bodies() -> None:
    html = """<body><div class="menu"><a href="https://menu.example/">m</a></div>
    <div itemprop="articleBody"><a href="https://body.example/">b</a></div>
    <a href="https://loose.example/">loose</a></body>"""
    assert cited(html) == ["https://body.example/"]
    html = '<body><a href="https://loose.example/">l</a><main><a href="https://main.example/">m</a></main></body>'
    assert cited(html) == ["https://main.example/"]


@pytest.mark.parametrize(
    "wrapper",
    ['<div class="content has-sidebar">', '<div class="layout no-comments">', '<div class="post with-share-bar">'],
)
def test_layout_state_classes_do_not_hide_the_article(wrapper: str) -> None:
    html = f'<body>{wrapper}<p>Text <a href="https://cited.example/">source</a></p></div></body>'
    assert cited(html) == ["https://cited.example/"]


@pytest.mark.parametrize(
    "near_miss",
    ['<div class="navigator">', '<div class="shared-history">', '<div class="commentary">', '<div class="headerless">'],
)
def test_words_that_merely_contain_boilerplate_words_are_kept(near_miss: str) -> None:
    html = f'<body>{near_miss}<a href="https://cited.example/">source</a></div></body>'
    assert cited(html) == ["https://cited.example/"]


# --- issue 12: the article chosen by its text, furniture by what it is --------------------------------

PROSE = (
    "Dock workers stopped work for a second day on Tuesday after talks with the operators broke down, "
    "and shipping companies warned that containers were piling up at the terminals. "
)


def article_text(links: list[str], paragraphs: int = 6) -> str:
    """Paragraphs of prose, the given links spread over them."""
    out = []
    for i in range(paragraphs):
        link = f' <a href="{links[i]}">the source {i}</a>' if i < len(links) else ""
        out.append(f"<p>{PROSE}{link}</p>")
    return "\n".join(out)


BODY_LINKS = [
    "https://union.example/statement",
    "https://regulator.example/figures.pdf",
    "https://court.example/ruling",
]


@pytest.mark.parametrize("container", ["article", "div"])
def test_a_login_pop_up_and_teaser_articles_before_the_article_are_not_it(container: str) -> None:
    # The real text may not be in an <article> at all: then the pop-up, the teasers and a long comment
    # are the only ones.
    html = f"""<body>
    <div class="modal" role="dialog"><article><h2>Sign in</h2><p>Sign in to comment.</p>
      <a href="/account/register">Create an account</a></article></div>
    <section><article class="card"><a href="/2021/08/12/teaser/"><h3>Rail unions walk out</h3></a>
      <p>{PROSE[:120]}</p></article>
    <article class="card"><a href="/2021/08/13/teaser-2/"><h3>Fuel bills rise</h3></a>
      <p>{PROSE[:120]}</p></article></section>
    <{container} class="story"><h1>Strike</h1>{article_text(BODY_LINKS)}</{container}>
    <ol class="comment-list"><li><article class="comment-body"><p>{PROSE * 3}
      <a href="https://spam.example/offer">a long comment's link</a></p></article></li></ol></body>"""
    assert cited(html, "https://news.example/a") == BODY_LINKS


@pytest.mark.parametrize(
    ("wrapper", "close"),
    [
        # Blogger wraps every post in its "Blog" widget.
        (
            '<div class="widget Blog" id="Blog1"><div class="post hentry"><div class="post-body entry-content">',
            "</div></div></div>",
        ),
        # Elementor puts the post's text in a widget container.
        (
            '<div class="elementor-widget elementor-widget-theme-post-content">'
            '<div class="elementor-widget-container">',
            "</div></div>",
        ),
        # A layout wrapper named after the sidebar next to the article.
        ('<div class="l-container l-sidebar-fixed"><div class="l-article-body">', "</div></div>"),
        ('<div class="article-header">', "</div>"),
        ('<div class="above-footer">', "</div>"),
        # WordPress post_class(): a tag named "media_social".
        ('<article class="post type-post hentry category-news tag-media_social">', "</article>"),
        ('<div class="dialog-off-canvas-main-canvas">', "</div>"),
    ],
)
def test_a_class_that_merely_contains_a_furniture_word_does_not_hide_the_article(wrapper: str, close: str) -> None:
    html = f"""<body><nav><a href="/world/">World</a></nav>
    {wrapper}<h1>Strike</h1>{article_text(BODY_LINKS)}{close}
    <aside class="l-sidebar"><h2>Most read</h2><a href="/a/">A</a> <a href="/b/">B</a></aside></body>"""
    assert cited(html, "https://news.example/a") == BODY_LINKS


def test_every_elementor_text_widget_is_read() -> None:
    widgets = "".join(
        '<section class="elementor-section"><div class="elementor-container"><div class="elementor-column">'
        '<div class="elementor-widget-wrap">'
        '<div class="elementor-element elementor-widget elementor-widget-text-editor">'
        f'<div class="elementor-widget-container">{article_text([link], 2)}</div></div></div></div></div></section>'
        for link in BODY_LINKS
    )
    html = f'<body><div data-elementor-type="single-post" class="elementor elementor-77">{widgets}</div></body>'
    assert cited(html, "https://news.example/a") == BODY_LINKS


@pytest.mark.parametrize(
    "notes",
    [
        '<aside class="footnotes"><ol><li><a href="https://notes.example/1">1</a></li></ol></aside>',
        '<div class="footnotes" role="doc-endnotes"><ol><li><a href="https://notes.example/1">a</a></li></ol></div>',
        '<footer class="entry-footer"><p><strong>Sources:</strong> <a href="https://notes.example/1">a</a></p></footer>',
        '<h2>References</h2><ul><li><a href="https://notes.example/1">Report</a></li></ul>',
        '<div class="box"><h3>Quellen</h3><ul><li><a href="https://notes.example/1">Bericht</a></li></ul></div>',
        "<p>Источники: <a href='https://notes.example/1'>доклад</a></p>",
    ],
)
def test_footnotes_endnotes_and_sources_sections_are_citations(notes: str) -> None:
    html = f"""<body><article><div class="entry-content">{article_text(BODY_LINKS)}</div>{notes}</article>
    <footer class="site-footer"><a href="/privacy/">Privacy</a></footer></body>"""
    assert cited(html, "https://news.example/a") == [*BODY_LINKS, "https://notes.example/1"]


@pytest.mark.parametrize(
    "furniture",
    [
        # Related stories, by class or by heading, in several languages.
        '<div id="jp-relatedposts" class="jp-relatedposts"><a href="/x/">X</a><a href="/y/">Y</a></div>',
        '<h3>Related stories</h3><ul><li><a href="/x/">X</a></li><li><a href="/y/">Y</a></li></ul>',
        '<div><h3>Mehr zum Thema</h3><ul><li><a href="/x/">X</a></li><li><a href="/y/">Y</a></li></ul></div>',
        '<div><h4>Читайте также</h4><a href="/x/">X</a> <a href="/y/">Y</a></div>',
        '<div><h4>関連記事</h4><a href="/x/">X</a> <a href="/y/">Y</a></div>',
        # Previous and next posts.
        '<p><a href="/x/" rel="prev">« Previous post</a> | <a href="/y/" rel="next">Next post »</a></p>',
        '<div class="post-links"><a href="/x/">Vorheriger Artikel</a> <a href="/y/">Nächster Artikel</a></div>',
        # A language switch and the site's legal pages.
        '<p><a href="/de/" hreflang="de">Deutsch</a> | <a href="/fr/">Français</a></p>',
        '<p><a href="/impressum/">Impressum</a> <a href="/datenschutz/">Datenschutz</a></p>',
        # Author, tags, share buttons.
        '<p>By <a href="/author/jane/">Jane</a>, tagged <a href="/tag/ports/" rel="tag">ports</a></p>',
        '<p><a href="https://www.facebook.com/sharer/sharer.php?u=https://news.example/a">Share</a></p>',
    ],
)
def test_related_lists_previous_next_language_and_legal_links_are_not_citations(furniture: str) -> None:
    html = f"<body><article><h1>Strike</h1>{article_text(BODY_LINKS)}{furniture}</article></body>"
    assert cited(html, "https://news.example/a") == BODY_LINKS


def test_cards_of_other_stories_and_a_row_of_teasers_are_not_citations() -> None:
    cards = "".join(f'<li><a href="/2021/08/0{i}/s"><img src="/{i}.jpg" alt="">Story {i}</a></li>' for i in range(1, 4))
    teasers = "".join(
        f'<article class="post"><a href="/t{i}"><h3>Teaser {i}</h3></a><p>{PROSE[:150]}</p></article>' for i in range(3)
    )
    html = f"""<body><div class="featured">{teasers}</div>
    <div class="story"><h1>Strike</h1>{article_text(BODY_LINKS)}<ul class="cards">{cards}</ul></div></body>"""
    assert cited(html, "https://news.example/a") == BODY_LINKS


def test_an_article_in_sections_is_read_whole() -> None:
    # The text goes on across sections: the largest one alone is not the article.
    html = f"""<body><article><section><h1>Why</h1><p>{PROSE}{PROSE}
    As <a href="https://first.example/analysis">one analysis</a> put it.</p></section>
    <section><div class="promo"><a href="/membership">Become a member</a></div></section>
    <section>{article_text(BODY_LINKS, 3)}</section></article></body>"""
    assert cited(html, "https://news.example/a") == ["https://first.example/analysis", *BODY_LINKS]


def test_one_related_article_named_in_the_text_is_a_citation() -> None:
    # A single "Related article: <title>" line is the article citing another (and names its headline).
    related = '<p class="related">Related article: <a href="https://other.example/story">Port Strike Spreads</a></p>'
    html = f"<body><article>{article_text(BODY_LINKS)}{related}</article></body>"
    assert cited(html, "https://news.example/a") == [*BODY_LINKS, "https://other.example/story"]


def test_an_aspnet_page_wrapped_in_a_form_is_read() -> None:
    html = f"""<body><form method="post" action="./News.aspx?id=1" id="aspnetForm">
    <input type="hidden" name="__VIEWSTATE" value="x"><table><tr><td class="leftmenu"><a href="/a">A</a></td>
    <td><div id="ctl00_ContentPlaceHolder1_divBody">{article_text(BODY_LINKS)}</div></td></tr></table></form></body>"""
    assert cited(html, "https://ministry.example/News.aspx?id=1") == BODY_LINKS


def test_anchor_text_is_the_context() -> None:
    html = """<body><p>Lead. <a href="https://a.example/1">  the   <b>announcement</b>
    of the exercise </a> and an image link <a href="https://a.example/2"><img src="x.png" alt="Chart of troops"></a>
    and a titled one <a href="https://a.example/3" title="The title"></a></p></body>"""
    citations = harvest_html(html, "p.html").citations
    assert [c.context for c in citations] == ["the announcement of the exercise", "Chart of troops", "The title"]
    assert all(c.context_is_anchor for c in citations)


def test_anchor_context_is_at_most_200_characters() -> None:
    html = f'<body><a href="https://a.example/">{"word " * 100}</a></body>'
    [citation] = harvest_html(html, "p.html").citations
    assert len(citation.context) <= 200


def test_bare_urls_in_body_text_are_citations_with_their_sentence() -> None:
    html = """<body><article>
<p>First sentence. A plain https://bare.example/x in the text. Last.</p>
<p><code>not a link</code></p>
</article></body>"""
    [citation] = harvest_html(html, "p.html").citations
    assert (citation.url, citation.context, citation.line) == ("https://bare.example/x", "A plain in the text.", 2)
    assert citation.context_is_anchor is False


def test_scripts_and_styles_are_not_text() -> None:
    html = """<body><script>var u = "https://script.example/x";</script>
    <style>a { background: url(https://style.example/bg.png) }</style><p>text</p></body>"""
    assert cited(html) == []


def test_fragment_only_links_are_not_citations() -> None:
    assert cited('<body><a href="#notes">Notes</a> <a href="">empty</a> <a name="x">anchor</a></body>') == []


# --- schemes ----------------------------------------------------------------------------------------


def test_mailto_and_tel_are_skipped_citations_javascript_and_data_are_not_citations() -> None:
    html = """<body><p>
    <a href="mailto:desk@news.example">write</a> <a href="tel:+15551234">call</a>
    <a href="javascript:void(0)">js</a> <a href="JavaScript:alert(1)">js</a>
    <a href="data:text/html,hi">data</a> <a href=" javascript:x()">js</a>
    </p></body>"""
    citations = harvest_html(html, "p.html").citations
    assert [(c.url, c.context) for c in citations] == [("mailto:desk@news.example", "write"), ("tel:+15551234", "call")]
    assert all(c.skip_reason for c in citations)


# --- relative links ---------------------------------------------------------------------------------


RELATIVE_LINKS = '<a href="x.html">X</a> <a href="/root">R</a> <a href="../up">U</a> <a href="//cdn.example/y">Y</a>'


def test_relative_links_resolve_against_base_href_first() -> None:
    html = f"""<html><head><base href="https://base.example/dir/">
    <link rel="canonical" href="https://canon.example/a/b"></head><body>{RELATIVE_LINKS}</body></html>"""
    assert cited(html, "https://page.example/p/q") == [
        "https://base.example/dir/x.html",
        "https://base.example/root",
        "https://base.example/up",
        "https://cdn.example/y",
    ]


def test_relative_base_href_resolves_against_the_page() -> None:
    html = f'<head><base href="/sub/"></head><body>{RELATIVE_LINKS}</body>'
    assert cited(html, "https://page.example/p/q")[:2] == [
        "https://page.example/sub/x.html",
        "https://page.example/root",
    ]


def test_relative_base_href_without_a_page_url_falls_back_to_the_canonical_link() -> None:
    html = """<head><base href="/sub/"><link rel="canonical" href="https://canon.example/a/b"></head>
    <body><a href="x.html">X</a></body>"""
    assert cited(html) == ["https://canon.example/a/x.html"]


def test_relative_links_resolve_against_canonical_when_there_is_no_base() -> None:
    html = f'<head><link rel="canonical" href="https://canon.example/a/b"></head><body>{RELATIVE_LINKS}</body>'
    assert cited(html, "https://page.example/p/q") == [
        "https://canon.example/a/x.html",
        "https://canon.example/root",
        "https://canon.example/up",
        "https://cdn.example/y",
    ]


def test_relative_canonical_resolves_against_the_page() -> None:
    html = '<head><link rel="Canonical" href="/canon/path"></head><body><a href="x.html">X</a></body>'
    assert cited(html, "https://page.example/p/q") == ["https://page.example/canon/x.html"]


def test_other_link_rels_are_not_the_base() -> None:
    html = '<head><link rel="alternate" href="https://alt.example/a/b"></head><body><a href="x.html">X</a></body>'
    assert cited(html, "https://page.example/p/q") == ["https://page.example/p/x.html"]


def test_relative_links_resolve_against_the_page_url_last() -> None:
    assert cited(f"<body>{RELATIVE_LINKS}</body>", "https://page.example/p/q") == [
        "https://page.example/p/x.html",
        "https://page.example/root",
        "https://page.example/up",
        "https://cdn.example/y",
    ]


def test_relative_link_without_any_base_is_a_skipped_citation() -> None:
    [citation] = harvest_html('<body><a href="x.html">X</a></body>', "p.html").citations
    assert citation.url == "x.html"
    assert citation.normalized_url is None
    assert citation.skip_reason and "relative" in citation.skip_reason


# --- citations: normalization, invalid URLs, duplicates, lines --------------------------------------


def test_citation_keeps_the_url_as_written_and_a_normalized_url() -> None:
    html = '<body><a href="HTTPS://Bücher.Example:443/a/./b/../c?q=A%40b@c&amp;x=1#frag">idn</a></body>'
    [citation] = harvest_html(html, "p.html").citations
    assert citation.url == "HTTPS://Bücher.Example:443/a/./b/../c?q=A%40b@c&x=1#frag"
    assert citation.normalized_url == "https://xn--bcher-kva.example/a/c?q=A%40b@c&x=1"


def test_invalid_urls_become_citations_with_invalid_reason() -> None:
    html = """<body><a href="http://example.com:99999/">bad port</a> <a href="http://exa mple.com/">space</a>
    <a href="http://-bad-.example/">bad host</a> <a href="http://[zz]/">bad ipv6</a></body>"""
    citations = harvest_html(html, "p.html").citations
    assert [c.context for c in citations] == ["bad port", "space", "bad host", "bad ipv6"]
    assert all(c.invalid_reason and c.normalized_url is None for c in citations)
    assert "99999" in (citations[0].invalid_reason or "")


def test_the_same_link_twice_is_two_citations_on_their_own_lines() -> None:
    html = """<body>
<p><a href="https://a.example/1">first mention</a></p>
<p>filler</p>
<p><a href="https://a.example/1">second mention</a></p>
</body>"""
    citations = harvest_html(html, "p.html").citations
    assert [(c.url, c.context, c.line) for c in citations] == [
        ("https://a.example/1", "first mention", 2),
        ("https://a.example/1", "second mention", 4),
    ]


def test_line_of_a_link_with_an_escaped_ampersand() -> None:
    html = '<body>\n\n<a href="https://a.example/?x=1&amp;y=2">amp</a></body>'
    [citation] = harvest_html(html, "p.html").citations
    assert (citation.url, citation.line) == ("https://a.example/?x=1&y=2", 3)


def _lines_as_first_written(raw: str, hrefs: list[str], budget: int) -> list[int | None]:
    """The line search as first written (every form read in the source), to compare the fast one with."""
    starts = line_starts_of(raw)
    cursor, out = 0, []
    for written in hrefs:
        line = None
        for form in (written, written.replace("&", "&amp;")):
            end = min(len(raw), cursor + budget)
            position = raw.find(form, cursor, end)
            budget -= (position if position >= 0 else end) - cursor
            if position >= 0:
                cursor = position + 1
                line = line_of(starts, position)
                break
        out.append(line)
    return out


@pytest.mark.parametrize(("worth", "per_place"), [(0, 0), (20, 64), (20_000, 64)])
def test_line_search_finds_what_reading_the_whole_source_finds(
    worth: int, per_place: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linkcheck.harvest import html as html_module

    monkeypatch.setattr(html_module, "_INDEX_WORTH", worth)
    monkeypatch.setattr(html_module, "_CHARS_PER_PLACE", per_place)
    rng = random.Random(4)
    pieces = ["&", "&amp;", "a", "b", "=", "?", "\n", "x&y", "&amp;amp;", "&a", " ", "q=1&r=2"]
    for trial in range(300):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 400)))
        hrefs = []
        for _ in range(rng.randint(1, 40)):
            start = rng.randint(0, max(0, len(raw) - 1))
            href = raw[start : start + rng.randint(1, 12)].replace("&amp;", "&") or "a"
            hrefs.append(href if rng.random() < 0.8 else href + rng.choice(pieces))
        for passes, extra in ((16, 0), (1, 5), (0, 50), (2, 0)):
            monkeypatch.setattr(html_module, "_SEARCH_PASSES", passes)
            monkeypatch.setattr(html_module, "_SEARCH_EXTRA_CHARS", extra)
            source = html_module._SourceLines(raw)
            found = [source.line_of(href) for href in hrefs]
            assert found == _lines_as_first_written(raw, hrefs, passes * len(raw) + extra), (trial, raw, hrefs)


# --- title and date ---------------------------------------------------------------------------------


def test_title_prefers_og_title_then_h1_then_title_element() -> None:
    og = '<head><title>T</title><meta property="og:title" content="OG  title"></head><body><h1>H</h1></body>'
    assert harvest_html(og, "p").title == "OG title"
    h1 = "<head><title>T</title></head><body><h1>The <em>H1</em></h1></body>"
    assert harvest_html(h1, "p").title == "The H1"
    assert harvest_html("<head><title> Page title </title></head><body></body>", "p").title == "Page title"
    assert harvest_html("<body><p>no title</p></body>", "p").title is None


DATE_SOURCES = {
    "json-ld": '<script type="application/ld+json">{"datePublished": "2021-08-10T09:30:00+03:00"}</script>',
    "meta": '<meta property="article:published_time" content="2021-08-11T00:00:00Z">',
    "time": '<time datetime="2021-08-12">12 August 2021</time>',
    "text": "<p>13 August 2021</p>",
}


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (["json-ld", "meta", "time", "text"], (dt.date(2021, 8, 10), "json-ld")),
        (["meta", "time", "text"], (dt.date(2021, 8, 11), "meta")),
        (["time", "text"], (dt.date(2021, 8, 12), "time")),
        (["text"], (dt.date(2021, 8, 13), "text")),
        ([], (dt.date(2021, 8, 14), "url")),
    ],
)
def test_date_sources_are_tried_in_order(present: list[str], expected: tuple[dt.date, str]) -> None:
    html = "<html><head>" + "".join(DATE_SOURCES[k] for k in present if k in ("json-ld", "meta")) + "</head><body>"
    html += "".join(DATE_SOURCES[k] for k in present if k in ("time", "text")) + "<p>Body.</p></body></html>"
    article = harvest_html(html, "p.html", "https://news.example/2021/08/14/slug")
    assert (article.published, article.published_from) == expected


def test_no_date_anywhere() -> None:
    article = harvest_html("<body><p>Body.</p></body>", "p.html", "https://news.example/doc/4936744")
    assert (article.published, article.published_from) == (None, None)


def dated(html: str, page_url: str | None = None) -> tuple[dt.date | None, str | None]:
    article = harvest_html(html, "p.html", page_url)
    return article.published, article.published_from


MIL_MENU = "".join(f'<li><a href="/{i}/">Раздел {i}</a></li>' for i in range(60))


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # The date line comes after a 60-item menu: past the first 40 lines of the whole body's text.
        (
            f'<body><div id="header"><a href="/">Министерство</a></div><ul class="main_menu">{MIL_MENU}</ul>'
            '<div id="center_column"><h1>Учения</h1><div class="date">10.08.2021 (12:30)</div><p>Текст.</p></div>'
            '<div id="footer">© 2024</div></body>',
            (dt.date(2021, 8, 10), "text"),
        ),
        # A site header's clock (here with no "Сегодня" cue) and a cache banner's crawl time.
        (
            '<body><div class="header"><div class="today">18.01.2024</div></div>'
            '<div class="menu"><a href="/">Главная</a></div>'
            '<div class="news-detail"><h1>Учёт лосей</h1><div class="date">10.08.2021</div></div></body>',
            (dt.date(2021, 8, 10), "text"),
        ),
        (
            '<body><div id="cache-banner">A snapshot of the page as it appeared when last crawled on'
            ' <span class="crawl-time">18 Jan 2024 06:14:22 GMT</span>.</div>'
            "<table><tr><td><h2>Notes</h2><p><i>March 3, 2019 by admin</i></p></td></tr></table></body>",
            (dt.date(2019, 3, 3), "text"),
        ),
        (
            '<body><header class="site-header">10 May 2024</header><p>No date of its own.</p>'
            "<footer>Last checked 12 May 2024</footer></body>",
            (None, None),
        ),
        # Near misses: the article's own header and footer hold its byline, and stay.
        (
            '<body><header class="site-header">18 Jan 2024</header><article><header class="entry-header">'
            "<h1>Title</h1><p>10 August 2021</p></header><p>Text.</p></article></body>",
            (dt.date(2021, 8, 10), "text"),
        ),
        (
            '<body><article><div class="article__header"><h1>Title</h1><span>10 August 2021</span></div>'
            "<p>Text.</p></article></body>",
            (dt.date(2021, 8, 10), "text"),
        ),
        (
            '<body><main><p>Text.</p><footer class="entry-footer">Posted on 10 August 2021</footer></main>'
            "<footer>© 2024</footer></body>",
            (dt.date(2021, 8, 10), "text"),
        ),
        # Comments below the article are skipped even when the article's byline has no date.
        (
            '<body><article><h1>T</h1><p>Text.</p><section id="comments"><p>Bill · 24 Jun 2020</p></section>'
            "</article></body>",
            (None, None),
        ),
    ],
)
def test_date_line_skips_menus_site_headers_banners_and_footers(
    html: str, expected: tuple[dt.date | None, str | None]
) -> None:
    assert dated(html) == expected


def test_date_line_skips_the_today_header_and_a_cited_law() -> None:
    html = (
        '<body><div class="header">Сегодня: 18.01.2024</div><div class="content"><h1>Порядок</h1>'
        "<p>Основание:</p><p>Федеральный закон от 14.03.2018 № 77-ФЗ</p><p>Текст.</p></div></body>"
    )
    assert dated(html, "https://example.ru/services/obrashcheniya/") == (None, None)
    assert dated(html.replace("<h1>", "<p>Дата публикации: 27.09.2021</p><h1>")) == (dt.date(2021, 9, 27), "text")


def test_comment_time_falls_through_to_the_byline_text() -> None:
    html = """<body><article class="post"><h1>Swiss darning</h1><p class="post-date">Published 5 May 2022</p>
    <p>Text.</p><section class="comments"><time datetime="2022-05-06T10:22:00+00:00">6 May 2022</time></section>
    </article></body>"""
    assert dated(html) == (dt.date(2022, 5, 5), "text")


def test_og_updated_time_is_not_the_date_the_byline_or_url_is() -> None:
    head = '<head><meta property="og:updated_time" content="2023-03-02T14:10:00+00:00"></head>'
    byline = "<body><div class='post'><h1>T</h1><div>Published 12 Feb 2023 · Updated 2 Mar 2023</div></div></body>"
    assert dated(head + byline) == (dt.date(2023, 2, 12), "text")
    no_byline = "<body><div class='post'><h1>T</h1><p>Text.</p></div></body>"
    assert dated(head + no_byline, "https://news.example/2021/05/17/slug/") == (dt.date(2021, 5, 17), "url")


# --- issue 12: dates on real page shapes -------------------------------------------------------------

AUG_10 = dt.date(2021, 8, 10)


def page(head: str = "", before: str = "", byline: str = "", after: str = "", lang: str = "en") -> str:
    """An article page: head, whatever stands before the article, its byline, text, and what follows."""
    return (
        f'<html lang="{lang}"><head>{head}</head><body><header class="site-header"><a href="/">Home</a></header>'
        f"{before}<article><h1>Strike</h1><div class='byline'>{byline}</div>"
        f'<div class="entry-content">{article_text(BODY_LINKS)}</div></article>{after}'
        '<footer class="site-footer">© 2024</footer></body></html>'
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # A byline in the page's language; numeric dates in its day order.
        (page(byline="Veröffentlicht am 10. August 2021", lang="de"), (AUG_10, "text")),
        (page(byline="Publié le 10 août 2021 à 18h30", lang="fr"), (AUG_10, "text")),
        (page(byline="Publicado el 10 de agosto de 2021", lang="es"), (AUG_10, "text")),
        (page(byline="10/08/2021", lang="it"), (AUG_10, "text")),
        (page(byline="08/10/2021", lang="en-US"), (AUG_10, "text")),
        (page(byline="Opublikowano: 10.08.21", lang="pl"), (AUG_10, "text")),
        (page(byline="2021年8月10日 18:30", lang="ja"), (AUG_10, "text")),
        (page(byline="입력 2021.08.10 18:30", lang="ko"), (AUG_10, "text")),
        # The date in bold inside a sentence is an event, not the byline.
        (
            page(byline="By Jane Doe", after="").replace(
                "<p>Dock workers", "<p>The court ruled on <strong>3 March 2020</strong> that dock workers", 1
            ),
            (None, None),
        ),
    ],
)
def test_byline_dates_in_the_pages_language(html: str, expected: tuple[dt.date | None, str | None]) -> None:
    assert dated(html) == expected


def test_a_login_pop_up_and_teasers_before_the_article_do_not_date_it() -> None:
    before = (
        '<div class="modal" role="dialog"><article><h2>Sign in</h2><time datetime="2024-01-18">today</time>'
        "</article></div><section><h2>Top stories</h2>"
        + "".join(
            f'<article class="teaser"><a href="/x{i}">Story {i}</a><time datetime="2021-09-0{i}">x</time></article>'
            for i in range(1, 4)
        )
        + "</section>"
    )
    assert dated(page(before=before, byline="10 August 2021")) == (AUG_10, "text")
    assert dated(page(before=before, byline='<time datetime="2021-08-10">10 Aug</time>')) == (AUG_10, "time")


def test_an_aspnet_page_wrapped_in_a_form_has_its_date_line_read() -> None:
    html = f"""<html lang="en-GB"><body><form method="post" action="./News.aspx?id=1" id="aspnetForm">
    <table><tr><td class="leftmenu"><a href="/a">A</a></td><td><div id="pnlNews"><h1>News</h1>
    <span id="lblDate">10/08/2021</span><div id="divBody">{article_text(BODY_LINKS)}</div></div></td></tr></table>
    </form></body></html>"""
    assert dated(html) == (AUG_10, "text")


def test_a_date_header_above_the_post_and_a_published_line_below_it() -> None:
    # Blogger prints the day above the post, outside the post's own container.
    blogger = f"""<body><div class="date-outer"><h2 class="date-header"><span>Tuesday, August 10, 2021</span></h2>
    <div class="date-posts"><div class="post-outer"><div class="post hentry"><h3 class="post-title">T</h3>
    <div class="post-body entry-content">{article_text(BODY_LINKS)}</div></div></div></div></div></body>"""
    assert dated(blogger) == (AUG_10, "text")
    long_text = article_text(BODY_LINKS, paragraphs=60)
    below = f"<body><article><h1>T</h1><div class='text'>{long_text}<p>Published: 10.08.2021</p></div></article></body>"
    assert dated(below) == (AUG_10, "text")


@pytest.mark.parametrize(
    ("head", "byline", "expected"),
    [
        # JSON-LD in UTC is already the next day; the byline shows the publisher's day.
        (
            '<script type="application/ld+json">'
            '{"@type": "NewsArticle", "datePublished": "2021-08-11T02:40:00Z"}</script>',
            "August 10, 2021, 10:40 PM ET",
            (AUG_10, "json-ld"),
        ),
        # The meta tag in UTC, the byline's <time> with the publisher's offset.
        (
            '<meta property="article:published_time" content="2021-08-11T01:15:00+00:00">',
            '<time datetime="2021-08-10T21:15:00-04:00">Aug 10</time>',
            (AUG_10, "meta"),
        ),
        # Near miss: midnight UTC is a date with no time, left as it is.
        ('<meta property="article:published_time" content="2021-08-10T00:00:00Z">', "August 9, 2021", (AUG_10, "meta")),
    ],
)
def test_a_utc_timestamp_is_the_publishers_own_day(
    head: str, byline: str, expected: tuple[dt.date | None, str | None]
) -> None:
    assert dated(page(head=head, byline=byline)) == expected


def test_date_in_the_canonical_url_when_the_page_url_has_none() -> None:
    head = '<link rel="canonical" href="https://news.example/2021/08/10/strike/">'
    assert dated(page(head=head), "https://news.example/amp/4521") == (AUG_10, "url")


def test_an_archive_toolbar_does_not_date_the_captured_page() -> None:
    toolbar = (
        '<div id="wm-ipp-base"><div id="wm-ipp"><a href="https://web.archive.org/web/20230115000000*/x">12 captures</a>'
        '<span>15 Jan 2023 - 18 Jan 2024</span><time datetime="2023-01-15">JAN</time></div></div>'
    )
    assert dated(page(before=toolbar, byline="10 August 2021")) == (AUG_10, "text")


def test_htmldate_dates_what_our_cues_miss_and_is_refused_on_an_undated_page() -> None:
    attribute = page(before='<div class="story" data-published="2021-08-10T08:00:00+01:00"></div>')
    assert dated(attribute) == (AUG_10, "htmldate")
    # An undated page: a clock in the header and "© 2024" are all htmldate could take.
    undated = page(before='<div class="top-bar">Today: 18 January 2024</div>')
    assert dated(undated) == (None, None)


# --- the example article ----------------------------------------------------------------------------


def test_example_html_article() -> None:
    article = harvest_html((EXAMPLES / "drills-2021.html").read_bytes(), "drills-2021.html")
    assert article.title == "Joint Drills in Central Asia: What the Exercise Tells Us"
    assert (article.published, article.published_from) == (dt.date(2021, 8, 10), "json-ld")
    assert [(c.url, c.normalized_url, c.context, c.line) for c in article.citations[:3]] == [
        (MIL, MIL, "announced the start of the manoeuvres", 24),
        (KOMMERSANT, KOMMERSANT, "a rehearsal for a crisis on the Tajik border", 27),
        (MOSCOW_TIMES, MOSCOW_TIMES, "Russia Holds Military Drills in Tajikistan Amid Taliban Offensive", 29),
    ]
    rest = [(c.url, c.skip_reason is not None) for c in article.citations[3:]]
    # The desk's address is skipped; the corrections link resolves against the canonical URL.
    assert rest == [("mailto:desk@news.example.org", True), ("https://news.example.org/corrections/", False)]
    urls = " ".join(c.url for c in article.citations)
    assert "twitter.com" not in urls and "most-read" not in urls and "privacy" not in urls and "/world/" not in urls


# --- bad and big input ------------------------------------------------------------------------------


def test_undecodable_bytes_and_broken_markup_do_not_crash() -> None:
    article = harvest_html(b"\xff\xfe\x00<a href='https://a.example/'>x</a><<<>>></div></p></td>\x00", "p.html")
    assert isinstance(article.citations, tuple)
    assert harvest_html(b"", "empty.html").citations == ()


def test_declared_encoding_is_used() -> None:
    html = '<body><a href="https://a.example/">Учения</a></body>'.encode("cp1251")
    [citation] = harvest_html(html, "p.html", encoding="cp1251").citations
    assert citation.context == "Учения"


def test_deeply_nested_markup_does_not_crash() -> None:
    html = "<body>" + "<div>" * 50_000 + '<a href="https://deep.example/">deep</a>' + "</div>" * 50_000 + "</body>"
    assert cited(html) == ["https://deep.example/"]


def test_a_long_text_node_with_many_bare_urls_is_harvested_in_linear_time() -> None:
    # One context per URL used to re-scan the whole text node: quadratic.
    html = "<body><p>" + " ".join(f"word https://bare.example/{i} more." for i in range(5_000)) + "</p></body>"
    started = time.monotonic()
    assert len(cited(html)) == 5_000
    assert time.monotonic() - started < 30


def fifty_megabytes_of_html() -> bytes:
    """A long article: prose paragraphs with links, bare URLs, and boilerplate around it."""
    filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. " * 10
    head = (
        '<html><head><title>Big</title><meta property="article:published_time" content="2021-08-10"></head><body>'
        '<nav><a href="/home">Home</a></nav><article><h1>A very long article</h1>'
    )
    paragraph = (
        "<p>{i}: "
        + filler
        + '<a href="https://example.com/item/{i}">source {i}</a> see https://bare.example/{i}.</p>\n'
    )
    parts = [head]
    size = len(head)
    count = 0
    while size < 50_000_000:
        part = paragraph.format(i=count)
        parts.append(part)
        size += len(part)
        count += 1
    parts.append(
        '<div class="comments"><a href="https://spam.example/">spam</a></div></article><footer></footer></body></html>'
    )
    return "".join(parts).encode()


def test_fifty_megabyte_html_page_neither_crashes_nor_hangs() -> None:
    # Measured at about 8 s on the development machine (lxml parse plus two citations per paragraph).
    # Its 100,000 citations are more than an article holds: the first MAX_CITATIONS are kept.
    content = fifty_megabytes_of_html()
    assert len(content) >= 50_000_000
    started = time.monotonic()
    article = harvest_html(content, "big.html", "https://news.example/big")
    elapsed = time.monotonic() - started
    assert 2 * content.count(b"<p>") > MAX_CITATIONS
    assert len(article.citations) == MAX_CITATIONS
    assert article.cut_reason == f"more than {MAX_CITATIONS} citations: only the first {MAX_CITATIONS} kept"
    assert article.citations[0].url == "https://example.com/item/0"
    assert article.citations[-1].url == f"https://bare.example/{MAX_CITATIONS // 2 - 1}"
    assert article.published == dt.date(2021, 8, 10)
    assert elapsed < 100
