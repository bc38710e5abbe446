"""Plain text harvesting: bare URLs, trailing punctuation, wrapped URLs, contexts, title and date line."""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from pathlib import Path

import pytest

from linkcheck.harvest.text import (
    _HYPHENATED,
    _URL_START,
    _holds_url,
    context_around,
    dehyphenate,
    find_urls,
    harvest_text,
    tidy,
    title_from_text,
    trim_url,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MIL = "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews"
KOMMERSANT = "https://www.kommersant.ru/doc/4936744?from=four_mir"
MOSCOW_TIMES = (
    "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-amid-taliban-offensive"
)


def urls(text: str) -> list[str]:
    return [found.url for found in find_urls(text)]


# --- bare URLs and trailing punctuation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See https://example.com/a.", ["https://example.com/a"]),
        ("See https://example.com/a, then", ["https://example.com/a"]),
        ("See https://example.com/a; then", ["https://example.com/a"]),
        ("See https://example.com/a: then", ["https://example.com/a"]),
        ("Really https://example.com/a!", ["https://example.com/a"]),
        ("Is it https://example.com/a?", ["https://example.com/a"]),
        ("Quoted 'https://example.com/a'", ["https://example.com/a"]),
        ('Quoted "https://example.com/a"', ["https://example.com/a"]),
        ("Ellipsis https://example.com/a…", ["https://example.com/a"]),
        ("Many https://example.com/a?!.", ["https://example.com/a"]),
        ("(https://example.com/a)", ["https://example.com/a"]),
        ("(https://example.com/a).", ["https://example.com/a"]),
        ("[https://example.com/a]", ["https://example.com/a"]),
        ("{https://example.com/a}", ["https://example.com/a"]),
        ("«https://example.com/a»", ["https://example.com/a"]),
        ("“https://example.com/a”", ["https://example.com/a"]),
        ("<https://example.com/a>", ["https://example.com/a"]),
    ],
)
def test_trailing_punctuation_and_unbalanced_brackets_are_trimmed(text: str, expected: list[str]) -> None:
    assert urls(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See https://en.wikipedia.org/wiki/Foo_(bar).", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("(see https://en.wikipedia.org/wiki/Foo_(bar))", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("(https://en.wikipedia.org/wiki/Foo_(bar)), then", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("https://example.com/(a)", ["https://example.com/(a)"]),
        ("https://example.com/a[1]", ["https://example.com/a[1]"]),
        # Punctuation inside a URL is part of it.
        ("https://example.com/a,b;c:d!e", ["https://example.com/a,b;c:d!e"]),
        ("https://example.com/a.b/c.html", ["https://example.com/a.b/c.html"]),
    ],
)
def test_balanced_brackets_and_inner_punctuation_are_kept(text: str, expected: list[str]) -> None:
    assert urls(text) == expected


@pytest.mark.parametrize(
    ("candidate", "trimmed"),
    [
        ("https://example.com/a).", "https://example.com/a"),
        ("https://example.com/Foo_(bar)", "https://example.com/Foo_(bar)"),
        ("https://example.com/Foo_(bar))", "https://example.com/Foo_(bar)"),
        ("https://example.com/a]'", "https://example.com/a"),
        ("https://example.com/", "https://example.com/"),
        ("", ""),
    ],
)
def test_trim_url(candidate: str, trimmed: str) -> None:
    assert trim_url(candidate) == trimmed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Go to www.example.com/page, then", ["www.example.com/page"]),
        ("Go to www.example.com.", ["www.example.com"]),
        ("WWW.EXAMPLE.COM/Up", ["WWW.EXAMPLE.COM/Up"]),
        # Not a www host: part of a word, an e-mail address, or a path of another URL.
        ("xwww.example.com", []),
        ("write to desk@www.example.com", []),
        ("https://example.com/www.other.com", ["https://example.com/www.other.com"]),
    ],
)
def test_www_hosts_without_a_scheme(text: str, expected: list[str]) -> None:
    assert urls(text) == expected


def test_www_url_is_cited_over_http() -> None:
    [citation] = harvest_text("Go to www.Example.com/page.", "a.txt").citations
    assert citation.url == "www.Example.com/page"
    assert citation.normalized_url == "http://www.example.com/page"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no urls here at all", []),
        ("https:// alone", []),
        ("http://", []),
        ("mailto:someone@example.com", []),
        ("xhttps://example.com/a", []),
        ("the word www is not a host", []),
        ("ftp://files.example.org/x.zip", ["ftp://files.example.org/x.zip"]),
        ("HTTPS://EXAMPLE.COM/A", ["HTTPS://EXAMPLE.COM/A"]),
        ("two https://a.example/1 and https://b.example/2", ["https://a.example/1", "https://b.example/2"]),
    ],
)
def test_what_is_and_is_not_a_url(text: str, expected: list[str]) -> None:
    assert urls(text) == expected


def test_line_numbers_count_from_one() -> None:
    found = find_urls("first line\nsecond https://a.example/x\n\nfourth https://b.example/y\n")
    assert [(f.url, f.line) for f in found] == [("https://a.example/x", 2), ("https://b.example/y", 4)]


# --- what ends a URL (issue 12: vectors from other projects' test suites) ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Full-width and CJK punctuation, and CJK text with no space before the URL.
        ("https://example.com/a｜https://example.com/b", ["https://example.com/a", "https://example.com/b"]),
        ("公式サイト｜https://example.jp/top｜ニュース", ["https://example.jp/top"]),
        ("详见https://example.cn/news/1.html。", ["https://example.cn/news/1.html"]),
        ("链接：https://example.cn/a，另见https://example.cn/b。", ["https://example.cn/a", "https://example.cn/b"]),
        ("「https://example.jp/q」と書いた", ["https://example.jp/q"]),
        ("見 https://example.jp/a\u3000その他", ["https://example.jp/a"]),
        ("https://example.com/a、https://example.com/b", ["https://example.com/a", "https://example.com/b"]),
        ("Arabic comma https://example.com/ar، then", ["https://example.com/ar"]),
        # Other Unicode punctuation, separators and footnote marks.
        ("https://example.com/a—the source", ["https://example.com/a"]),
        ("joined https://example.com/zw\u200bby a zero-width space", ["https://example.com/zw"]),
        ("see https://example.com/nbsp\u00a0today", ["https://example.com/nbsp"]),
        ("as reported https://example.com/report¹ and", ["https://example.com/report"]),
        # Letters of any script, and a dash between digits, stay.
        ("https://zh.wikipedia.org/wiki/北京 页面", ["https://zh.wikipedia.org/wiki/北京"]),
        ("https://en.wikipedia.org/wiki/2021–22_season ok", ["https://en.wikipedia.org/wiki/2021–22_season"]),
        ("https://ru.wikipedia.org/wiki/Москва.", ["https://ru.wikipedia.org/wiki/Москва"]),
        # Control characters, C0 and C1.
        ("http://example.com/a\x7fb here", ["http://example.com/a"]),
        ("http://example.com/c\x9fd here", ["http://example.com/c"]),
    ],
)
def test_unicode_punctuation_and_control_characters_end_a_url(text: str, expected: list[str]) -> None:
    assert urls(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "http://.example.com",
        "http://-example.com/x",
        "http://example-.com/x",
        "http://##",
        "www.example..com",
        "http://example..com/a",
        "http://example.com:99999/",
        "http://1.2.3.4.5/",
        "http://256.1.1.1/",
        "http://[::1/",
        "http://!example.com",
    ],
)
def test_a_host_a_url_parser_refuses_is_no_url(text: str) -> None:
    assert urls(f"see {text} here") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://example.com/'quoted' here", ["http://example.com/'quoted'"]),
        ("http://example.com/say/'hello'", ["http://example.com/say/'hello'"]),
        ("'http://example.com/x' here", ["http://example.com/x"]),
        (
            "http://msdn.microsoft.com/en-us/library/ms535874(v=vs.85).aspx",
            ["http://msdn.microsoft.com/en-us/library/ms535874(v=vs.85).aspx"],
        ),
        (
            "(see http://msdn.microsoft.com/en-us/library/ms535874(v=vs.85).aspx)",
            ["http://msdn.microsoft.com/en-us/library/ms535874(v=vs.85).aspx"],
        ),
        # A closing bracket with no opener in the URL closes something around it.
        (
            "[[https://example.com/destination]][[https://example.org/other]]",
            ["https://example.com/destination", "https://example.org/other"],
        ),
        ("[https://example.com/a](https://example.com/a)", ["https://example.com/a", "https://example.com/a"]),
        ("Stray https://example.com/a)b here", ["https://example.com/a"]),
    ],
)
def test_balanced_quotes_and_brackets_stay_in_the_path(text: str, expected: list[str]) -> None:
    assert urls(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See https://example.com/a/b.\n[3] Another note", ["https://example.com/a/b"]),
        ("One https://example.com/e.\n3. Last item", ["https://example.com/e"]),
        ("http://example.com\nslack://open?team=T123", ["http://example.com"]),
        ("https://example.com/l/\n²https://example.com/m", ["https://example.com/l/", "https://example.com/m"]),
        ("https://www.rust-lang.org/\ntest@foo.example.org", ["https://www.rust-lang.org/"]),
        ("Lists https://example.com/list/\n- next item", ["https://example.com/list/"]),
        ("Bullets https://example.com/a.\n• bullet two", ["https://example.com/a"]),
        ("(see https://example.com/a)\n(b) second point", ["https://example.com/a"]),
        ("Start https://example.com/\n1) First point", ["https://example.com/"]),
        ("Numerals https://example.com/a.\niv. Fourth point", ["https://example.com/a"]),
        ("Source: https://example.com/x.\n12 Ibid., p. 4.", ["https://example.com/x"]),
        ("https://example.com/x/\nmailto:desk@example.com", ["https://example.com/x/"]),
        (
            "1. https://example.com/one.\n2. https://example.com/two.",
            ["https://example.com/one", "https://example.com/two"],
        ),
        # After a hyphen, `=` or `&` digits are the rest of the URL, not a list number.
        ("https://example.com/more.htm?id=\n12376355@egNews", ["https://example.com/more.htm?id=12376355@egNews"]),
        ("https://example.com/report-\n2021.pdf", ["https://example.com/report-2021.pdf"]),
    ],
)
def test_a_line_that_starts_a_list_item_a_footnote_or_a_url_is_never_joined(text: str, expected: list[str]) -> None:
    assert urls(text) == expected


# --- URLs wrapped across two lines ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Cut after a hyphen, the rest alone on the next line (the Moscow Times link of the example).
        (
            "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-\n"
            "amid-taliban-offensive\n",
            [MOSCOW_TIMES],
        ),
        ("https://example.com/some-long-\npath-continued and prose", ["https://example.com/some-long-path-continued"]),
        ("https://example.com/report-\n2021.pdf", ["https://example.com/report-2021.pdf"]),
        ("https://example.com/page?id=\n42&x=1", ["https://example.com/page?id=42&x=1"]),
        ("https://example.com/page?id=1&\nx=2", ["https://example.com/page?id=1&x=2"]),
        ("https://example.com/a_b_\nc_d", ["https://example.com/a_b_c_d"]),
        ("https://example.com/page?\nid=42", ["https://example.com/page?id=42"]),
        ("https://\nexample.com/x", ["https://example.com/x"]),
        ("https://example.com/some/long/\npath/continued.html", ["https://example.com/some/long/path/continued.html"]),
        ("https://en.wikipedia.org/wiki/\nExample_Page", ["https://en.wikipedia.org/wiki/Example_Page"]),
        ("https://example.com/news/\nfirst-story\n", ["https://example.com/news/first-story"]),
        ("https://example.com/docs/\nindex.html, as noted", ["https://example.com/docs/index.html"]),
        ("https://example.com/a.\nhtml\n", ["https://example.com/a.html"]),
        ("https://example.com/foo\n/bar/baz\n", ["https://example.com/foo/bar/baz"]),
        ("   https://example.com/some-\n   indented-rest\n", ["https://example.com/some-indented-rest"]),
        ("https://example.com/a-\r\nb-c\r\n", ["https://example.com/a-b-c"]),
    ],
)
def test_wrapped_url_is_rejoined_when_the_evidence_is_clear(text: str, expected: list[str]) -> None:
    assert urls(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A URL ending a sentence, then a new line of prose (capital or lowercase).
        ("It is at https://example.com/path.\nThe next sentence goes on.", ["https://example.com/path"]),
        ("It is at https://example.com/path.\nthe next sentence goes on.", ["https://example.com/path"]),
        ("It is at https://example.com/path\nThe next sentence goes on.", ["https://example.com/path"]),
        ("It is at https://example.com/path\nand the sentence goes on.", ["https://example.com/path"]),
        ("It is at https://example.com/path\nprose\n", ["https://example.com/path"]),
        ("It is at https://example.com/path,\nwhich says so.", ["https://example.com/path"]),
        ("It is at https://example.com/path:\nsome more words", ["https://example.com/path"]),
        ("See https://example.com/doc\n12345 is a number", ["https://example.com/doc"]),
        ("Did you read https://example.com/page?\nthe answer is no", ["https://example.com/page"]),
        ("Did you read https://example.com/page?\nThe answer is no", ["https://example.com/page"]),
        # A URL ending with `/`, then prose.
        ("It is at https://example.com/path/\nand then prose follows.", ["https://example.com/path/"]),
        ("It is at https://example.com/path/\nThe next sentence.", ["https://example.com/path/"]),
        ("It is at https://example.com/path/\nprose\n", ["https://example.com/path/"]),
        ("It is at https://example.com/reports/\nonline.\n", ["https://example.com/reports/"]),
        ("It is at https://example.com/news/\nfirst-hand accounts say so.", ["https://example.com/news/"]),
        ("It is at https://example.com/\nwell-known sources say so.", ["https://example.com/"]),
        ("It is at https://example.com/path/\n2021 was a hard year.", ["https://example.com/path/"]),
        ("(https://example.com/path/)\nand then prose", ["https://example.com/path/"]),
        ("(https://example.com/path)\nthe rest", ["https://example.com/path"]),
        # A URL followed on the next line by another URL.
        ("https://example.com/a\nhttps://example.com/b", ["https://example.com/a", "https://example.com/b"]),
        ("https://example.com/a/\nhttps://example.com/b", ["https://example.com/a/", "https://example.com/b"]),
        ("https://example.com/a-\nhttps://example.com/b", ["https://example.com/a-", "https://example.com/b"]),
        ("https://example.com/a/\nwww.example.org/b", ["https://example.com/a/", "www.example.org/b"]),
        # A blank line is a paragraph break: nothing crosses it.
        ("https://example.com/path-\n\ncontinued-here", ["https://example.com/path-"]),
        ("https://example.com/path/\n\nnext/paragraph", ["https://example.com/path/"]),
        # Text after the URL on its own line: the URL was not cut.
        ("https://example.com/path- more\ncontinued-here", ["https://example.com/path-"]),
    ],
)
def test_url_is_never_glued_to_the_prose_after_it(text: str, expected: list[str]) -> None:
    assert urls(text) == expected


def test_rejoined_url_keeps_the_line_where_it_starts() -> None:
    text = "Intro line\nhttps://example.com/a-\nb-c\nhttps://example.com/d"
    assert [(f.url, f.line) for f in find_urls(text)] == [
        ("https://example.com/a-b-c", 2),
        ("https://example.com/d", 4),
    ]


# --- contexts ---------------------------------------------------------------------------------------


def context_of(text: str, url: str) -> str:
    start = text.index(url)
    return context_around(text, start, start + len(url))


def test_context_is_the_sentence_around_the_url_without_it() -> None:
    text = "First sentence. The report at https://example.com/r says more. Last sentence."
    assert context_of(text, "https://example.com/r") == "The report at says more."


def test_context_of_a_url_alone_on_its_line_is_the_sentence_before() -> None:
    text = "Related article: Russia Holds Drills\nhttps://example.com/r\n\nNext paragraph."
    assert context_of(text, "https://example.com/r") == "Related article: Russia Holds Drills"


def test_context_does_not_run_into_the_next_sentence_after_a_url_ending_its_line() -> None:
    # PDF text has no blank lines between paragraphs.
    text = "Related article: Russia Holds Drills\nhttps://example.com/r\nAnalysts expect more activity."
    assert context_of(text, "https://example.com/r") == "Related article: Russia Holds Drills"


def test_context_of_a_url_alone_in_its_paragraph_is_the_previous_paragraph() -> None:
    text = "The ministry published a statement.\n\nhttps://example.com/r\n\nMore."
    assert context_of(text, "https://example.com/r") == "The ministry published a statement."


def test_context_undoes_hyphenation_and_line_breaks() -> None:
    text = "The ministry said in a short state-\nment that the drills\nbegan: https://example.com/r"
    assert context_of(text, "https://example.com/r") == "The ministry said in a short statement that the drills began"


def test_context_is_at_most_200_characters() -> None:
    text = "word " * 300 + "https://example.com/r " + "word " * 300
    context = context_of(text, "https://example.com/r")
    assert 0 < len(context) <= 200
    assert "https://" not in context


def test_context_in_parentheses_drops_the_empty_brackets() -> None:
    text = "Kommersant described the drills\n(https://example.com/r).\n\nNext."
    assert context_of(text, "https://example.com/r") == "Kommersant described the drills."


# --- title and date line ----------------------------------------------------------------------------


def test_title_broken_over_lines_is_joined_and_stops_before_the_byline() -> None:
    text = (
        "Joint Exercises in Central Asia: What the Russian and\n"
        "Chinese Drills Tell Us About Regional Security\n"
        "By the linkcheck editorial desk\n"
        "10 August 2021\n"
    )
    assert title_from_text(text) == (
        "Joint Exercises in Central Asia: What the Russian and Chinese Drills Tell Us About Regional Security"
    )


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("A Title\n\nBody text.", "A Title"),
        ("\n\n  A Title  \nBy Jane Doe\n", "A Title"),
        ("A Title\nWritten by Jane Doe\n", "A Title"),
        ("Заголовок статьи\nАвтор: Иван Петров\n", "Заголовок статьи"),
        ("A Title\n10 August 2021\nBody", "A Title"),
        ("A Title\nhttps://example.com/x\n", "A Title"),
        ("Joint Exer-\ncises in Asia\n\nBody", "Joint Exercises in Asia"),
        # A title that starts with "By" is not a byline: only lines after the first can be.
        ("By the Numbers: Drills in Asia\nBy Jane Doe\n", "By the Numbers: Drills in Asia"),
        # "By" inside a line, or a word starting with "by", is no byline either.
        ("Drills Held\nBystanders Watch\n\nBody", "Drills Held Bystanders Watch"),
        ("Line one\nLine two\nLine three\nLine four\n", "Line one Line two Line three"),
    ],
)
def test_title_from_text(text: str, title: str) -> None:
    assert title_from_text(text) == title


@pytest.mark.parametrize("text", ["", "\n\n", "https://example.com/only\n", "10 August 2021\nBody"])
def test_no_title(text: str) -> None:
    assert title_from_text(text) is None


@pytest.mark.parametrize(
    ("date_line", "expected"),
    [
        ("August 10, 2021", dt.date(2021, 8, 10)),
        ("10 August 2021", dt.date(2021, 8, 10)),
        ("2021-08-10", dt.date(2021, 8, 10)),
        ("10.08.2021", dt.date(2021, 8, 10)),
        ("10 августа 2021", dt.date(2021, 8, 10)),
        ("Published: 5 May 2021", dt.date(2021, 5, 5)),
    ],
)
def test_date_line_is_the_publication_date(date_line: str, expected: dt.date) -> None:
    article = harvest_text(f"A Title\n{date_line}\n\nBody https://example.com/a\n", "a.txt")
    assert (article.published, article.published_from) == (expected, "text")


def test_date_falls_back_to_the_articles_own_url() -> None:
    article = harvest_text("A Title\n\nNo date here.\n", "-", base_url="https://news.example/2021/08/10/slug")
    assert (article.published, article.published_from) == (dt.date(2021, 8, 10), "url")
    assert article.url == "https://news.example/2021/08/10/slug"


def test_no_date_at_all() -> None:
    article = harvest_text("A Title\n\nThe drills of August were long, said a 2021 report.\n", "a.txt")
    assert (article.published, article.published_from) == (None, None)


# --- citations --------------------------------------------------------------------------------------


def test_a_citation_twice_in_one_article_stays_two_citations() -> None:
    text = "See https://example.com/a here.\nAnd https://example.com/a again.\n"
    citations = harvest_text(text, "a.txt").citations
    assert [(c.url, c.line, c.context) for c in citations] == [
        ("https://example.com/a", 1, "See here."),
        ("https://example.com/a", 2, "And again."),
    ]


def test_text_whose_host_or_port_a_url_parser_refuses_is_no_url() -> None:
    # In running text such a string is not a URL at all (in HTML or Markdown an href is a link,
    # and a bad one is reported invalid).
    text = "Bad port http://example.com:99999/ and bad host https://exa..mple.com/x and good https://ok.example/\n"
    citations = harvest_text(text, "a.txt").citations
    assert [(c.url, c.invalid_reason) for c in citations] == [("https://ok.example/", None)]


def test_ftp_url_is_a_skipped_citation() -> None:
    [citation] = harvest_text("Files at ftp://files.example.org/x.zip\n", "a.txt").citations
    assert citation.skip_reason and "ftp" in citation.skip_reason


def test_query_is_kept_byte_for_byte() -> None:
    [citation] = harvest_text(f"See {MIL}\n", "a.txt").citations
    assert citation.url == MIL
    assert citation.normalized_url == MIL


def test_text_contexts_are_not_anchor_text() -> None:
    [citation] = harvest_text("See https://example.com/a\n", "a.txt").citations
    assert citation.context_is_anchor is False


# --- the example article ----------------------------------------------------------------------------


def test_example_text_article() -> None:
    article = harvest_text((EXAMPLES / "drills-2021.txt").read_text(encoding="utf-8"), "drills-2021.txt")
    assert article.title == (
        "Joint Exercises in Central Asia: What the Russian and Chinese Drills Tell Us About Regional Security"
    )
    assert (article.published, article.published_from) == (dt.date(2021, 8, 10), "text")
    assert [(c.url, c.normalized_url, c.line) for c in article.citations] == [
        (MIL, MIL, 11),
        (KOMMERSANT, KOMMERSANT, 16),
        (MOSCOW_TIMES, MOSCOW_TIMES, 20),
    ]
    contexts = [c.context for c in article.citations]
    assert contexts[0].startswith("The Russian Ministry of Defence announced the start of the manoeuvres")
    assert "statement" in contexts[0]  # "state-\nment" dehyphenated
    assert (
        contexts[1]
        == "The business daily Kommersant described the drills as a rehearsal for a crisis on the Tajik border."
    )
    assert contexts[2] == "Related article: Russia Holds Military Drills in Tajikistan Amid Taliban Offensive"
    assert all(c.skip_reason is None and c.invalid_reason is None for c in article.citations)


# --- size -------------------------------------------------------------------------------------------


def test_large_text_without_blank_lines_is_harvested_in_linear_time() -> None:
    # PDF text has no paragraph breaks; looking at the whole text for every URL was quadratic.
    text = "".join(f"Line {i} cites https://example.com/{i}.\n" for i in range(10_000))
    started = time.monotonic()
    citations = harvest_text(text, "big.txt").citations
    assert len(citations) == 10_000
    assert citations[-1].context == "Line 9999 cites."
    assert time.monotonic() - started < 30  # about 3 s; quadratic, it took minutes


def test_long_single_line_with_many_urls() -> None:
    text = " ".join(f"word https://example.com/{i} more." for i in range(10_000))
    started = time.monotonic()
    assert len(harvest_text(text, "big.txt").citations) == 10_000
    assert time.monotonic() - started < 30


def test_an_updated_line_after_the_title_is_not_joined_to_it() -> None:
    from linkcheck.harvest.text import title_from_text

    assert title_from_text("A Short Title\nUpdated 3 May 2021\n\nBody text here.\n") == "A Short Title"


# --- the fast paths agree with the plain definitions they replace ------------------------------------

_PIECES = (
    "http://",
    "https://",
    "HTTPS://",
    "ftp://",
    "www.",
    "WwW.",
    "xhttp://",
    "a",
    "Z",
    "word ",
    ".",
    "!",
    "?",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\n \n",
    "-",
    "-\n",
    "-\n  ",
    "\t",
    "\u00a0",
    "(",
    ")",
    "[",
    "]",
    "é",
    "д",
    "。",
    '"',
    "example.com",
    "/path",
    "?q=1",
    "&",
    "1",
    ":",
    "ſ",
    "\u212a",
    "x-\nline",
    "foo.\n",
    "Bar ",
    "://",
)


def _random_texts(count: int) -> list[str]:
    import random

    rng = random.Random(17)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 120))) for _ in range(count)]


def test_url_starts_finds_what_the_pattern_finds_searching_everywhere() -> None:
    """Candidates by str.find (`://`, `www.` in any case) lose no match the pattern's own search finds,
    case-folded schemes (`httpſ://`, with a long s) and lookbehinds (`xhttp://`) included."""
    from linkcheck.harvest.text import _URL_START, _UrlStarts

    texts = [*_random_texts(3000), "httpſ://a.example/ WWW.b.example x.www.c.example \u212aftp://d"]
    for text in texts:
        starts = _UrlStarts(text)
        position = 0
        while True:
            expected = _URL_START.search(text, position)
            found = starts.search(position)
            assert (found and found.span()) == (expected and expected.span()), (text, position)
            if expected is None:
                break
            position = expected.start() + 1


def test_sentences_around_a_url_are_the_ones_splitting_the_dehyphenated_text_gives() -> None:
    """_last_sentence and _first_sentence dehyphenate only the sentence they return; the result is the
    last (first) piece of the whole window dehyphenated and split at sentence ends, as before."""
    import re

    from linkcheck.harvest.text import _first_sentence, _last_sentence, dehyphenate

    for raw in [*_random_texts(3000), "", " ", "end. ", "a.\tb", "x-\nline. Next one", "Q? \n"]:
        before, after = dehyphenate(raw), dehyphenate(raw)
        assert _last_sentence(raw) == (re.split(r"(?<=[.!?])\s+(?=\S)", before)[-1] if before else ""), raw
        assert _first_sentence(raw) == (re.split(r"(?<=[.!?])\s", after)[0] if after else ""), raw


def test_line_starts_are_where_each_line_begins() -> None:
    import re

    from linkcheck.harvest.common import line_starts_of

    for text in [*_random_texts(500), "", "\n", "\n\n", "a\r\nb\n"]:
        assert line_starts_of(text) == [0, *(match.end() for match in re.finditer("\n", text))]


def test_title_of_a_text_whose_first_lines_run_past_the_prefix_read() -> None:
    """title_from_text reads the first 20 lines from a 64 KiB prefix, or the whole text when they run past it."""
    long_lines = "\n".join("word " * 2000 for _ in range(25))  # 20 lines of 10,000 characters
    assert title_from_text("\n\nShort title\r\nsecond line\r\n\r\n" + long_lines) == "Short title second line"
    assert title_from_text(long_lines) == title_from_text(long_lines + "\n")


# --- shortcuts that must give what the plain regex passes give ---------------------------------------


def _texts_of(seed: int, pieces: list[str], count: int = 5000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_the_url_pattern_is_searched_only_where_it_can_match() -> None:
    pieces = ["http", "HTTPS", "ftp", "://", ":/", "www.", "WwW.", "ww.", "w", ".", "x", "a1", " ", "\n", "详见", "@"]
    texts = _texts_of(3, pieces)
    holding = [text for text in texts if _URL_START.search(text)]
    assert len(holding) > 1000 and len(texts) - len(holding) > 1000  # both answers are exercised
    assert [text for text in texts if _holds_url(text)] == holding


def test_whitespace_and_hyphenation_as_the_regex_passes_left_them() -> None:
    pieces = [
        "mili",
        "-",
        "-\n",
        "\n",
        " ",
        "\t",
        "\u00a0",
        "\u2003",
        "\x1c",
        "\r\n",
        "tary",
        "Война",
        "ß",
        "(",
        ")",
        "[]",
    ]
    for text in _texts_of(4, pieces):
        joined = _HYPHENATED.sub("", text)
        assert dehyphenate(text) == re.sub(r"\s+", " ", joined).strip(), repr(text)
        assert tidy(text) == _tidy_by_regex(text), repr(text)


def _tidy_by_regex(context: str) -> str:
    context = re.sub(r"\(\s*\)|\[\s*\]", "", context)
    context = re.sub(r"\s+", " ", context).strip()
    context = re.sub(r" (?=[.,;:!?](?:\s|$))", "", context)
    return context.rstrip(" :-–—(")
