"""Fuzzing each harvester: whatever the document holds, harvest() returns an Article or raises
SourceReadError, and every citation's URL is printable text.

Inputs are built from the pieces each format's parser reacts to, mixed with arbitrary text and bytes.
The example count and per-example deadline keep the module well under a minute.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkcheck.errors import SourceReadError
from linkcheck.harvest import harvest
from linkcheck.harvest.common import MAX_CITATIONS
from linkcheck.models import Document, SourceKind
from tests.pdf_builder import Page, build_pdf

# A fuzzed page may be nothing but a URL, which Beautiful Soup warns about.
pytestmark = pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")
FUZZ = settings(
    max_examples=200,
    deadline=timedelta(seconds=2),
    database=None,  # nothing written to the working tree; a failure prints the example to replay
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

URL_PIECES = [
    "http://",
    "https://",
    "ftp://",
    "www.",
    "//",
    "a.example",
    "xn--",
    "[",
    "]",
    "[::1]",
    "(",
    ")",
    "{",
    "}",
    "<",
    ">",
    "'",
    '"',
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "-",
    "_",
    "/",
    "\\",
    "%",
    "%0",
    "&",
    "=",
    "#",
    "@",
    "~",
    "+",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\n\n",
    "\x00",
    "\x01",
    "\x1b",
    "\x7f",
    "\x85",
    "\u00a0",
    "\u2028",
    "\u200b",
    "é",
    "例え",
    "\ufeff",
    "\ufffd",
    "2021-08-10",
    "10 August 2021",
    "mailto:",
    "javascript:",
    "data:",
    "tel:",
]
MARKDOWN_PIECES = [
    "[a](",
    "[a](http://",
    "[a]: ",
    "//[",
    "[",
    "]",
    "![",
    "](",
    "][",
    "]: ",
    "(",
    ")",
    "<",
    ">",
    "`",
    "```",
    "~~~",
    "    ",
    "\\",
    '"',
    "'",
    "*",
    "_",
    "<!--",
    "-->",
    "---\n",
    "title: ",
    "date: ",
    "# ",
    "=\n",
    "\n\n",
    " ",
    "x",
]
HTML_PIECES = [
    "<a href=",
    "<a href='",
    '<a href="',
    "</a>",
    "<base href=",
    '<link rel="canonical" href=',
    "<meta charset=",
    '<meta http-equiv="Content-Type" content="text/html; charset=',
    '<meta property="og:title" content=',
    '<meta property="article:published_time" content=',
    "<article>",
    "</article>",
    "<main>",
    "<nav>",
    "<footer>",
    '<div class="comments">',
    "<div>",
    "</div>",
    "<p>",
    "<time datetime=",
    "<time>",
    "</time>",
    "<img alt=",
    '<script type="application/ld+json">',
    "</script>",
    "<!--",
    "-->",
    "<![CDATA[",
    "&amp;",
    "&#104;",
    "&#x0;",
    "&",
    ">",
    "'",
    '"',
    "=",
    " ",
    "<title>",
    "</title>",
    "<h1>",
]


def pieces(*vocabularies: list[str]) -> st.SearchStrategy[str]:
    """Text assembled from a format's syntax, URL fragments and arbitrary characters."""
    vocabulary = [piece for words in vocabularies for piece in words]
    return st.lists(st.one_of(st.sampled_from(vocabulary), st.text(max_size=8)), max_size=60).map("".join)


def encoded(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """The text in an encoding a document may come in, or arbitrary bytes."""
    encodings = st.sampled_from(["utf-8", "utf-16", "cp1251", "latin-1", "utf-8-sig"])
    as_bytes = st.tuples(text, encodings).map(lambda pair: pair[0].encode(pair[1], errors="replace"))
    return st.one_of(as_bytes, st.binary(max_size=300))


BASE_URLS = st.one_of(
    st.none(), st.sampled_from(["https://site.example/dir/page.html", "http://[::1]/x", "https://[bad/", ""])
)


def assert_harvested_or_refused(document: Document) -> None:
    try:
        article = harvest(document)
    except SourceReadError as exc:
        assert exc.source == document.source
        return
    assert len(article.citations) <= MAX_CITATIONS
    for citation in article.citations:
        assert isinstance(citation.url, str)
        for url in (citation.url, citation.normalized_url or ""):
            assert not any(unicodedata.category(char) in ("Cc", "Cs") for char in url), url


@FUZZ
@given(content=encoded(pieces(URL_PIECES)), base_url=BASE_URLS)
def test_text_harvester(content: bytes, base_url: str | None) -> None:
    assert_harvested_or_refused(Document("fuzz.txt", SourceKind.TEXT, content, base_url=base_url))


@FUZZ
@given(content=encoded(pieces(MARKDOWN_PIECES, URL_PIECES)), base_url=BASE_URLS)
def test_markdown_harvester(content: bytes, base_url: str | None) -> None:
    assert_harvested_or_refused(Document("fuzz.md", SourceKind.MARKDOWN, content, base_url=base_url))


@FUZZ
@given(
    content=encoded(pieces(HTML_PIECES, URL_PIECES)),
    base_url=BASE_URLS,
    encoding=st.one_of(st.none(), st.sampled_from(["utf-8", "cp1251", "x-unknown", "utf\x01-8", ""])),
)
def test_html_harvester(content: bytes, base_url: str | None, encoding: str | None) -> None:
    document = Document("fuzz.html", SourceKind.HTML, content, base_url=base_url, encoding=encoding)
    assert_harvested_or_refused(document)


PDF_TEXT = st.text(alphabet=st.characters(codec="cp1252"), max_size=40)
PDF_PAGES = st.lists(
    st.builds(Page, lines=st.lists(PDF_TEXT, max_size=6), links=st.lists(PDF_TEXT, max_size=3)), min_size=1, max_size=3
)


@st.composite
def pdf_bytes(draw: st.DrawFn) -> bytes:
    """A PDF from the repo's writer, sometimes with bytes overwritten, cut short or replaced outright."""
    content = build_pdf(draw(PDF_PAGES), title=draw(st.one_of(st.none(), PDF_TEXT)))
    damage = draw(st.sampled_from(["none", "overwrite", "truncate", "random"]))
    if damage == "overwrite":
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(content) - 1))
            content = content[:at] + draw(st.binary(min_size=1, max_size=4)) + content[at + 1 :]
    elif damage == "truncate":
        content = content[: draw(st.integers(0, len(content)))]
    elif damage == "random":
        content = b"%PDF-1.4\n" + draw(st.binary(max_size=300))
    return content


@FUZZ
@given(content=pdf_bytes(), base_url=BASE_URLS)
def test_pdf_harvester(content: bytes, base_url: str | None) -> None:
    assert_harvested_or_refused(Document("fuzz.pdf", SourceKind.PDF, content, base_url=base_url))
