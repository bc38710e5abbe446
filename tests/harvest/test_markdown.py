"""Markdown harvesting: inline, reference-style, autolinks and bare URLs; never inside code."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from linkcheck.harvest.markdown import front_matter, harvest_markdown

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MIL = "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews"
KOMMERSANT = "https://www.kommersant.ru/doc/4936744?from=four_mir"
MOSCOW_TIMES = (
    "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-amid-taliban-offensive"
)


def cited(markdown: str, base_url: str | None = None) -> list[tuple[str, str]]:
    return [(c.url, c.context) for c in harvest_markdown(markdown, "a.md", base_url).citations]


# --- link forms -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("See [the report](https://a.example/r).", [("https://a.example/r", "the report")]),
        ('See [the report](https://a.example/r "Title").', [("https://a.example/r", "the report")]),
        ("See [the report](https://a.example/r 'Title').", [("https://a.example/r", "the report")]),
        ("See [the report](  https://a.example/r  ).", [("https://a.example/r", "the report")]),
        ("See [spaces](<https://a.example/two words>).", [("https://a.example/two words", "spaces")]),
        ("[wiki](https://en.wikipedia.org/wiki/Foo_(bar))", [("https://en.wikipedia.org/wiki/Foo_(bar)", "wiki")]),
        # CommonMark asks for three levels of parentheses in a destination; a title may hold them.
        ("[deep](https://a.example/x_(1_(2_(3))))", [("https://a.example/x_(1_(2_(3)))", "deep")]),
        ('[t](https://a.example/r "Title (with parens)")', [("https://a.example/r", "t")]),
        ("[**bold** _it_](https://a.example/b)", [("https://a.example/b", "bold it")]),
        (
            "[a](https://a.example/a)[b](https://b.example/b)",
            [("https://a.example/a", "a"), ("https://b.example/b", "b")],
        ),
        ("[](https://a.example/empty)", [("https://a.example/empty", "https://a.example/empty")]),
        (
            "[![badge](https://img.example/b.svg)](https://a.example/link)",
            [("https://a.example/link", "badge"), ("https://img.example/b.svg", "badge")],
        ),
        ("[multi\nline label](https://a.example/m)", [("https://a.example/m", "multi line label")]),
    ],
)
def test_inline_links(markdown: str, expected: list[tuple[str, str]]) -> None:
    assert cited(markdown) == expected


def test_reference_style_links() -> None:
    markdown = """Full [three][r3], collapsed [Four][], shortcut [r5] and again [three][R3].

[r3]: https://ref.example/3
[four]: <https://ref.example/4> "Title"
[R5]: https://ref.example/5 (Title)
"""
    assert cited(markdown) == [
        ("https://ref.example/3", "three"),
        ("https://ref.example/4", "Four"),
        ("https://ref.example/5", "r5"),
        ("https://ref.example/3", "three"),
    ]


def test_a_definition_never_referenced_is_still_a_cited_source() -> None:
    assert cited("Text.\n\n[unused source]: https://ref.example/unused\n") == [
        ("https://ref.example/unused", "unused source")
    ]


def test_an_escaped_bracket_opens_no_link() -> None:
    [citation] = harvest_markdown("See \\[not a link](https://a.example/x) here.", "a.md").citations
    assert (citation.url, citation.context_is_anchor) == ("https://a.example/x", False)


def test_brackets_without_a_definition_are_not_links() -> None:
    assert cited("An [aside] in brackets and [another][missing].") == []


def test_autolinks() -> None:
    markdown = "Auto <https://auto.example/x> here. Mail <mailto:me@x.example>. Phone <tel:+123>.\n"
    citations = harvest_markdown(markdown, "a.md").citations
    assert [(c.url, c.context, c.skip_reason is not None) for c in citations] == [
        ("https://auto.example/x", "Auto here.", False),
        ("mailto:me@x.example", "Mail.", True),
        ("tel:+123", "Phone.", True),
    ]


def test_bare_urls_take_their_sentence_with_link_text_shown() -> None:
    markdown = "As [the ministry](https://a.example/m) said, see https://bare.example/y for more. Next.\n"
    assert cited(markdown) == [
        ("https://a.example/m", "the ministry"),
        ("https://bare.example/y", "As the ministry said, see for more."),
    ]


def test_www_bare_url() -> None:
    assert cited("Visit www.example.com/page.") == [("www.example.com/page", "Visit.")]


def test_image_sources_are_citations_with_their_alt_text() -> None:
    # An image that no longer loads is a broken source too (issue 12).
    markdown = "![a chart](https://img.example/chart.png) and ![ref img][img] and ![](https://img.example/3.png)\n\n"
    markdown += "[img]: https://img.example/2.png"
    assert cited(markdown) == [
        ("https://img.example/chart.png", "a chart"),
        ("https://img.example/2.png", "ref img"),
        ("https://img.example/3.png", "https://img.example/3.png"),
    ]


def test_ignored_and_skipped_schemes() -> None:
    markdown = "[js](javascript:alert(1)) [data](data:text/plain,hi) [anchor](#sec) [mail](mailto:a@b.example)"
    citations = harvest_markdown(markdown, "a.md").citations
    assert [(c.url, c.skip_reason is not None) for c in citations] == [("mailto:a@b.example", True)]


def test_relative_links_resolve_against_the_base_url() -> None:
    assert cited("[rel](/docs/page) [up](../x)", "https://site.example/posts/p") == [
        ("https://site.example/docs/page", "rel"),
        ("https://site.example/x", "up"),
    ]
    [citation] = harvest_markdown("[rel](/docs/page)", "a.md").citations
    assert citation.skip_reason and "relative" in citation.skip_reason


def test_link_text_is_anchor_context_bare_url_context_is_not() -> None:
    citations = harvest_markdown("[text](https://a.example/) and https://b.example/", "a.md").citations
    assert [c.context_is_anchor for c in citations] == [True, False]


# --- nothing inside code ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown",
    [
        "Code `https://code.example/no` here.",
        "Code ``a `https://code.example/no` b`` here.",
        "Code `[link](https://code.example/no)` here.",
        "Code `<https://code.example/no>` here.",
        "```\ncurl https://code.example/no\n```",
        "```python\nx = '[a](https://code.example/no)'\n```",
        "~~~\nhttps://code.example/no\n~~~",
        "````\n```\nhttps://code.example/no\n```\n````",
        "<!-- https://code.example/no -->",
        "<!--\n[a](https://code.example/no)\n-->",
        "```\nunclosed fence https://code.example/no\n",
        "```\n[r]: https://code.example/no\n```\n[r]",
    ],
)
def test_nothing_inside_code_or_comments(markdown: str) -> None:
    assert cited(markdown) == []


def test_code_does_not_hide_the_links_around_it() -> None:
    markdown = """Before [a](https://a.example/a) and `code` and https://b.example/b.

```
https://code.example/no
```

After <https://c.example/c>, then `unclosed backtick https://d.example/d
"""
    assert [url for url, _ in cited(markdown)] == [
        "https://a.example/a",
        "https://b.example/b",
        "https://c.example/c",
        "https://d.example/d",
    ]


@pytest.mark.parametrize(
    "markdown",
    [
        "Text.\n\n    https://code.example/indented-block\n",
        "- item\n\n  ```\n  https://code.example/fence-in-a-list-item\n  ```\n",
        "1. item\n\n       https://code.example/indented-in-a-list-item\n",
        "> quote\n>\n> ```\n> https://code.example/fence-in-a-quote\n> ```\n",
        "Raw <code>https://code.example/raw-code</code> inline.",
        "Raw <pre>https://code.example/raw-pre</pre> inline.",
        "<pre>\nhttps://code.example/raw-pre-block\n</pre>\n",
        "<div>\n<code>[x](https://code.example/in-html-code)</code>\n</div>\n",
    ],
)
def test_nothing_in_code_of_any_kind(markdown: str) -> None:
    assert cited(markdown) == []


def test_raw_html_links_and_text_outside_code_are_read() -> None:
    markdown = 'A <a href="https://raw.example/a">raw link</a> inline.\n\n'
    markdown += '<div>\nBlock <a href="https://raw.example/b">b</a> https://raw.example/c\n</div>\n'
    assert [url for url, _ in cited(markdown)] == [
        "https://raw.example/a",
        "https://raw.example/b",
        "https://raw.example/c",
    ]


def test_footnotes_are_citations_and_a_bare_footnote_takes_the_sentence_that_refers_to_it() -> None:
    markdown = (
        "The ministry announced the drills.[^mil] Kommersant called them a rehearsal.[^k]\n\n"
        "[^mil]: https://function.mil.ru/more.htm?id=1\n"
        "[^k]: Kommersant's report: [the rehearsal](https://www.kommersant.ru/doc/1).\n"
    )
    citations = harvest_markdown(markdown, "a.md").citations
    assert [(c.url, c.context, c.line) for c in citations] == [
        ("https://function.mil.ru/more.htm?id=1", "The ministry announced the drills.", 3),
        ("https://www.kommersant.ru/doc/1", "the rehearsal", 4),
    ]


def test_two_links_glued_are_two_citations() -> None:
    assert [url for url, _ in cited("[[a]](https://a.example/destination)[[b]](https://b.example/x)")] == [
        "https://a.example/destination",
        "https://b.example/x",
    ]


def test_bare_urls_follow_the_text_rules() -> None:
    markdown = "See https://example.com/a/b.\n[3] Another note and https://example.com/a｜https://example.com/b\n"
    assert [url for url, _ in cited(markdown)] == [
        "https://example.com/a/b",
        "https://example.com/a",
        "https://example.com/b",
    ]


def test_lines_of_links_in_tables_lists_and_quotes() -> None:
    markdown = "# T\n\n| a | b |\n|---|---|\n| [x](https://t.example/) | https://u.example/ |\n\n"
    markdown += "- one\n- [two](https://l.example/)\n\n> q\n> [q](https://q.example/)\n"
    assert [(c.url, c.line) for c in harvest_markdown(markdown, "a.md").citations] == [
        ("https://t.example/", 5),
        ("https://u.example/", 5),
        ("https://l.example/", 8),
        ("https://q.example/", 11),
    ]


# --- duplicates, lines, normalization, invalid URLs --------------------------------------------------


def test_a_link_twice_is_two_citations_with_their_lines() -> None:
    markdown = "# T\n\n[first](https://a.example/x)\n\n[second](https://a.example/x)\nhttps://a.example/x\n"
    citations = harvest_markdown(markdown, "a.md").citations
    assert [(c.url, c.line) for c in citations] == [
        ("https://a.example/x", 3),
        ("https://a.example/x", 5),
        ("https://a.example/x", 6),
    ]


def test_line_numbers_count_front_matter_lines() -> None:
    markdown = "---\ntitle: T\n---\n\n[a](https://a.example/)\n"
    assert [c.line for c in harvest_markdown(markdown, "a.md").citations] == [5]


def test_invalid_urls_become_citations_with_invalid_reason() -> None:
    citations = harvest_markdown("[port](http://example.com:99999/) and <https://bad_host-.example/>", "a.md").citations
    assert [(c.url, c.normalized_url) for c in citations] == [
        ("http://example.com:99999/", None),
        ("https://bad_host-.example/", None),
    ]
    assert all(c.invalid_reason for c in citations)


def test_query_kept_byte_for_byte() -> None:
    [citation] = harvest_markdown(f"[mil]({MIL})", "a.md").citations
    assert citation.normalized_url == MIL


# --- title and date ---------------------------------------------------------------------------------


def test_front_matter() -> None:
    fields, end = front_matter('---\ntitle: "Quoted: title"\ndate: 2021-08-10\ntags:\n  - a\n---\nbody')
    assert fields == {"title": "Quoted: title", "date": "2021-08-10", "tags": ""}
    assert end == len('---\ntitle: "Quoted: title"\ndate: 2021-08-10\ntags:\n  - a\n---\n')
    assert front_matter("no front matter\n---\n") == ({}, 0)
    assert front_matter("---\nunclosed: yes\n") == ({}, 0)


@pytest.mark.parametrize(
    ("markdown", "title", "published", "published_from"),
    [
        ("---\ntitle: Front\ndate: 10 August 2021\n---\n# Heading\n", "Front", dt.date(2021, 8, 10), "front-matter"),
        ("---\ndate: 2021-08-10T09:30:00+03:00\n---\n# Heading\n", "Heading", dt.date(2021, 8, 10), "front-matter"),
        ("Setext Title\n============\n\n10 августа 2021\n", "Setext Title", dt.date(2021, 8, 10), "text"),
        ("## *Second* level\n\nAugust 10, 2021\n", "Second level", dt.date(2021, 8, 10), "text"),
        ("---\ndate: not a date\n---\n# H\n\n10.08.2021\n", "H", dt.date(2021, 8, 10), "text"),
        ("# H\n\n```\n2021-08-10\n```\n", "H", None, None),
        ("Just text.\n", None, None, None),
    ],
)
def test_title_and_date(
    markdown: str, title: str | None, published: dt.date | None, published_from: str | None
) -> None:
    article = harvest_markdown(markdown, "a.md")
    assert (article.title, article.published, article.published_from) == (title, published, published_from)


# --- the example article ----------------------------------------------------------------------------


def test_example_markdown_article() -> None:
    article = harvest_markdown((EXAMPLES / "drills-2021.md").read_text(encoding="utf-8"), "drills-2021.md")
    assert article.title == "Drills on the Border: A Reading List"
    assert (article.published, article.published_from) == (dt.date(2021, 8, 10), "front-matter")
    assert [(c.url, c.normalized_url, c.context, c.line) for c in article.citations] == [
        (MIL, MIL, "announcement of the joint exercise", 11),
        (KOMMERSANT, KOMMERSANT, "drills as a rehearsal for a border crisis", 12),
        (MOSCOW_TIMES, MOSCOW_TIMES, "Russia Holds Military Drills in Tajikistan Amid Taliban Offensive", 13),
    ]


# --- size -------------------------------------------------------------------------------------------


def test_many_links_are_harvested_in_linear_time() -> None:
    # Masking one span at a time copied the whole text per link: quadratic.
    markdown = "".join(
        f"Para {i} with [link {i}](https://example.com/{i}), `code {i}` and https://bare.example/{i}.\n\n"
        for i in range(5_000)
    )
    started = time.monotonic()
    assert len(harvest_markdown(markdown, "big.md").citations) == 10_000
    assert time.monotonic() - started < 30


def test_many_stray_backticks_are_harvested_in_linear_time() -> None:
    # Each unmatched backtick used to be looked for to the end of the text; a code span ends with its paragraph.
    markdown = "".join(f"Stray ` tick {i} and https://bare.example/{i}\n\n" for i in range(10_000))
    started = time.monotonic()
    assert len(harvest_markdown(markdown, "big.md").citations) == 10_000
    assert time.monotonic() - started < 30


def test_date_falls_back_to_the_articles_own_url() -> None:
    article = harvest_markdown("# Title\n\nNo date.\n", "-", "https://blog.example/2021/08/10/post")
    assert (article.published, article.published_from) == (dt.date(2021, 8, 10), "url")


def test_unreferenced_definition_label_is_cut_to_200_characters() -> None:
    [citation] = harvest_markdown(f"[{'word ' * 100}]: https://ref.example/x\n", "a.md").citations
    assert len(citation.context) <= 200
