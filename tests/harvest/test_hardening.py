"""Hostile articles: inputs that used to take minutes or raise out of the harvesters.

Each regression test is named for the input that broke. The slow ones carry a hang guard, not a speed
assertion: the input is large enough that the old quadratic code runs far past the guard.
"""

from __future__ import annotations

import datetime as dt
import tracemalloc
import zlib

import pytest

from linkcheck.harvest import harvest, pdf
from linkcheck.harvest.common import MAX_CITATIONS, make_citation
from linkcheck.harvest.text import harvest_text
from linkcheck.models import Article, Document, SourceKind
from tests.pdf_builder import Page, _serialize, build_pdf, content_stream


def harvested(kind: SourceKind, content: str | bytes, base_url: str | None = None) -> Article:
    data = content.encode() if isinstance(content, str) else content
    return harvest(Document(f"hostile.{kind.value}", kind, data, base_url=base_url))


# --- the cap on citations ---------------------------------------------------------------------------

CUT = f"more than {MAX_CITATIONS} citations: only the first {MAX_CITATIONS} kept"


def many_citations(kind: SourceKind, count: int) -> str:
    """`count` citations in document order, numbered; in Markdown, links and bare URLs alternate."""
    if kind is SourceKind.HTML:
        return "<body><p>" + "".join(f'<a href="https://a.example/{i}">{i}</a> ' for i in range(count))
    if kind is SourceKind.MARKDOWN:
        return "".join(f"[{i}](https://a.example/{i}) " if i % 2 else f"https://a.example/{i} " for i in range(count))
    return "".join(f"https://a.example/{i}\n" for i in range(count))


@pytest.mark.parametrize("kind", [SourceKind.TEXT, SourceKind.MARKDOWN, SourceKind.HTML])
def test_citations_beyond_the_cap_are_dropped_and_the_article_says_so(kind: SourceKind) -> None:
    article = harvested(kind, many_citations(kind, MAX_CITATIONS + 5))
    assert len(article.citations) == MAX_CITATIONS
    assert article.citations[-1].url == f"https://a.example/{MAX_CITATIONS - 1}"
    assert article.cut_reason == CUT


@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", [SourceKind.TEXT, SourceKind.MARKDOWN, SourceKind.HTML])
def test_half_a_million_bare_urls_cost_no_more_than_the_cap(kind: SourceKind) -> None:
    # Each URL's context and normalization is the costly part: only the ones kept are worked out.
    text = "".join(f"https://a.example/{i} " for i in range(500_000))
    article = harvested(kind, f"<body><p>{text}</p></body>" if kind is SourceKind.HTML else text)
    assert (len(article.citations), article.cut_reason) == (MAX_CITATIONS, CUT)


@pytest.mark.parametrize("kind", [SourceKind.TEXT, SourceKind.MARKDOWN, SourceKind.HTML])
def test_an_article_at_the_cap_is_whole(kind: SourceKind) -> None:
    article = harvested(kind, many_citations(kind, MAX_CITATIONS))
    assert (len(article.citations), article.cut_reason) == (MAX_CITATIONS, None)


# --- plain text -------------------------------------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize("tail", [")" * 500_000, "." * 2_000_000], ids=["closing-brackets", "dots"])
def test_text_url_followed_by_a_long_run_of_trailing_punctuation(tail: str) -> None:
    # Trimming recounted the brackets (and copied the URL) once per trimmed character: 51 s for 200,000 brackets.
    [citation] = harvest_text("see http://a.example/x" + tail, "hostile.txt").citations
    assert citation.url == "http://a.example/x"


@pytest.mark.timeout(30)
def test_text_url_wrapped_over_a_hundred_thousand_lines() -> None:
    # The brackets of the URL were counted again for every line joined to it: 110 s for 40,000 lines.
    [citation] = harvest_text("see http://a.example/x-\n" + "y-\n" * 100_000, "hostile.txt").citations
    assert len(citation.url) == len("http://a.example/x-") + 2 * 100_000


def test_text_url_ends_at_a_control_character() -> None:
    [citation] = harvest_text("see http://a.example/x\x01y and more", "hostile.txt").citations
    assert citation.url == "http://a.example/x"


# --- Markdown ---------------------------------------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "hostile",
    ["[a](" * 20_000, "[" * 200_000, "x " + "<!--" * 40_000, "[a]: x (\n" * 100_000],
    ids=["unclosed-inline-links", "open-brackets", "unclosed-comments", "definitions-with-unclosed-titles"],
)
def test_markdown_with_many_unclosed_constructs(hostile: str) -> None:
    # Each opener was followed to the end of the text: minutes for 80 KB of "[a](", 8.7 s for 20,000 "[".
    article = harvested(SourceKind.MARKDOWN, hostile + "\n\nStill read: [ok](https://ok.example/).\n")
    assert [c.url for c in article.citations][-1:] == ["https://ok.example/"]


@pytest.mark.timeout(30)
def test_markdown_unclosed_comment_block_hides_the_rest_as_commonmark_says() -> None:
    article = harvested(SourceKind.MARKDOWN, "<!--" * 40_000 + "\n\n[hidden](https://hidden.example/)\n")
    assert article.citations == ()


@pytest.mark.timeout(30)
def test_markdown_nested_past_the_parsers_limit_says_what_was_not_read() -> None:
    # markdown-it stops at its nesting limit and drops the rest of the document: the article says so.
    article = harvested(SourceKind.MARKDOWN, "- " * 10_000 + "x\n\n[lost](https://lost.example/)\n")
    assert article.cut_reason == "nested deeper than 20 levels: text after line 1 not read"
    deep = harvested(SourceKind.MARKDOWN, "- " * 8 + "x\n\n[ok](https://ok.example/)\n")
    assert ([c.url for c in deep.citations], deep.cut_reason) == (["https://ok.example/"], None)


# --- HTML -------------------------------------------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize("container", ["<article>", "<main>", '<div itemprop="articleBody">'])
def test_html_with_thousands_of_nested_article_containers(container: str) -> None:
    # The text of every candidate container was measured, each nested one reading all below it again.
    html = "<body>" + f"{container}x" * 20_000 + '<a href="https://ok.example/">ok</a>'
    assert [c.url for c in harvested(SourceKind.HTML, html).citations] == ["https://ok.example/"]


@pytest.mark.timeout(30)
def test_html_with_thousands_of_time_elements_deep_in_the_page() -> None:
    # Each <time> walked up through every ancestor to see whether it was outside the article.
    html = "<body>" + "<div>" * 6_000 + '<time datetime="2021-08-10">10 August</time>' * 6_000
    assert harvested(SourceKind.HTML, html).published == dt.date(2021, 8, 10)


@pytest.mark.timeout(30)
def test_html_links_written_with_entities_in_a_long_page() -> None:
    # The line of each link is looked for in the source; written with entities it is not there, and
    # every miss read the rest of the page again.
    links = "".join(f'<a href="&#104;ttp://a.example/{i}">x</a>' for i in range(10_000))
    html = f"<body><p>{links}</p><p>{'lorem ipsum ' * 1_000_000}</p></body>"
    citations = harvested(SourceKind.HTML, html).citations
    assert [c.url for c in citations[:2]] == ["http://a.example/0", "http://a.example/1"]
    assert len(citations) == 10_000


# --- PDF --------------------------------------------------------------------------------------------

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def raw_pdf(shared: list[bytes], pages: list[bytes]) -> bytes:
    """Catalog, page tree and Helvetica (objects 1-3), the `shared` objects (4 on), then the pages."""
    first_page = 4 + len(shared)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(len(pages)))
    tree = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages)
    return _serialize([b"<< /Type /Catalog /Pages 2 0 R >>", tree, HELVETICA, *shared, *pages], None)


def pdf_page(contents: int, resources: bytes = b"") -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
        + resources
        + b" >> /Contents %d 0 R >>" % contents
    )


def flate_stream(data: bytes, dictionary: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), dictionary) + packed + b"\nendstream"


@pytest.mark.timeout(30)
def test_pdf_whose_twenty_pages_share_one_compressed_2_mb_content_stream() -> None:
    # 324 s and 800,000 citations: the stream was decoded and parsed once per page.
    stream = flate_stream(content_stream(["See http://a.example/x and more."] * 60_000))
    assert len(stream) < 20_000
    article = harvested(SourceKind.PDF, raw_pdf([stream], [pdf_page(4)] * 20))
    assert article.citations == ()
    assert article.cut_reason is not None and article.cut_reason.startswith("text of page 1 and 19 more not read")


def test_pdf_pages_drawn_from_one_stream_are_read_once() -> None:
    stream = flate_stream(content_stream([f"See https://a.example/{i} here." for i in range(200)]))
    article = harvested(SourceKind.PDF, raw_pdf([stream], [pdf_page(4)] * 20))
    assert [c.url for c in article.citations] == [f"https://a.example/{i}" for i in range(200)]
    assert {c.page for c in article.citations} == {1}
    assert article.cut_reason is None


def test_pdf_content_budgets_per_page_and_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    # A page costs its content stream (3,218 bytes here) and 1,024 bytes for its font.
    monkeypatch.setattr(pdf, "MAX_PAGE_CONTENT_BYTES", 5_000)
    monkeypatch.setattr(pdf, "MAX_CONTENT_BYTES", 13_000)
    lines = [[f"See https://p{page}.example/{i} here." for i in range(80)] for page in range(1, 6)]
    streams = [content_stream(page_lines) for page_lines in lines]
    assert {len(stream) for stream in streams} == {3_218}
    streams[1] = content_stream(lines[1] * 2)  # page 2: over the page's budget
    objects = [b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream" for stream in streams]
    article = harvested(SourceKind.PDF, raw_pdf(objects, [pdf_page(4 + i) for i in range(5)]))
    # Pages 1, 3 and 4 fit the document's budget; page 2 is over the page's, page 5 over what is left.
    assert sorted({c.page for c in article.citations}) == [1, 3, 4]
    assert article.cut_reason is not None and article.cut_reason.startswith("text of page 2 and 1 more not read")


@pytest.mark.timeout(30)
def test_pdf_decompression_bomb_is_decoded_no_further_than_the_page_budget() -> None:
    # 56 MB of text operators packed into about 60 KB.
    bomb = flate_stream(b"BT /F1 11 Tf 72 720 Td " + b"(a) Tj\n" * 8_000_000 + b"ET")
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        article = harvested(SourceKind.PDF, raw_pdf([bomb], [pdf_page(4)]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert article.cut_reason is not None and article.cut_reason.startswith("text of page 1 not read")
    assert peak < 16 * 2**20  # pypdf 7 stops inflating past the budget; it would hold 56 MB


@pytest.mark.timeout(30)
def test_pdf_form_drawn_five_thousand_times_counts_each_drawing() -> None:
    # pypdf parses a form XObject again each time the page draws it (up to 5,000 times).
    form = content_stream([f"See https://form.example/{i} here." for i in range(500)])
    form_object = b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] "
    form_object += b"/Resources << /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n" % len(form) + form
    form_object += b"\nendstream"
    drawing = b"/X1 Do\n" * 5_000
    contents = b"<< /Length %d >>\nstream\n" % len(drawing) + drawing + b"\nendstream"
    article = harvested(
        SourceKind.PDF, raw_pdf([form_object + b"", contents], [pdf_page(5, b"/XObject << /X1 4 0 R >>")])
    )
    assert article.cut_reason is not None and article.cut_reason.startswith("text of page 1 not read")


def test_pdf_link_annotations_count_toward_the_cap() -> None:
    text_page = Page([f"See https://a.example/t{i} here." for i in range(2_000)])
    links_page = Page([], links=[f"https://a.example/a{i}" for i in range(MAX_CITATIONS)])
    article = harvested(SourceKind.PDF, build_pdf([text_page, links_page]))
    assert len(article.citations) == MAX_CITATIONS
    assert article.citations[2_000].url == "https://a.example/a0"
    assert article.cut_reason == CUT


def test_pdf_annotations_looked_at_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "_MAX_ANNOTATIONS", 3)
    links = [f"https://a.example/{i}" for i in range(5)]
    article = harvested(SourceKind.PDF, build_pdf([Page([], links=links[:2]), Page([], links=links[2:])]))
    assert [c.url for c in article.citations] == links[:3]
    assert article.cut_reason == "more than 3 annotations: the rest not read"


def test_pdf_annotations_up_to_the_cap_are_all_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "_MAX_ANNOTATIONS", 5)
    links = [f"https://a.example/{i}" for i in range(5)]
    article = harvested(SourceKind.PDF, build_pdf([Page([], links=links[:2]), Page([], links=links[2:])]))
    assert ([c.url for c in article.citations], article.cut_reason) == (links, None)


@pytest.mark.timeout(30)
def test_pdf_annotations_completing_thousands_of_text_urls() -> None:
    # Each annotation was compared with every citation so far, twice: quadratic.
    text = [make_citation(f"https://a.example/t{i}", "", line=i + 1, page=1) for i in range(MAX_CITATIONS)]
    annotations = [[f"https://a.example/t{i}-more" for i in range(2 * MAX_CITATIONS)]]
    merged = pdf._merge_annotations(text, annotations)
    assert merged[1].url == "https://a.example/t1-more"  # completed: the text URL was cut by a line wrap
    assert len(merged) == MAX_CITATIONS + 1  # the caller keeps MAX_CITATIONS


def test_pdf_with_more_pages_than_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "_MAX_PAGES", 2)
    pages = [Page([f"See https://a.example/{number} here."]) for number in range(1, 4)]
    article = harvested(SourceKind.PDF, build_pdf(pages))
    assert [c.url for c in article.citations] == ["https://a.example/1", "https://a.example/2"]
    assert article.cut_reason == "more than 2 pages: pages 3-3 not read"


# --- URLs that urllib cannot parse, control characters --------------------------------------------

SITE = "https://site.example/news/page.html"


@pytest.mark.parametrize(
    "charset",
    [
        b'<meta charset="utf\x01-8">',
        b'<meta charset="\x00">',
        b'<meta http-equiv="Content-Type" content="text/html; charset=\x1b">',
    ],
    ids=["meta-charset-control", "meta-charset-nul", "http-equiv-control"],
)
def test_html_charset_with_a_control_character_is_ignored(charset: bytes) -> None:
    # lxml raised ValueError for the charset name.
    html = b"<html><head>" + charset + b'</head><body><a href="https://a.example/x">caf\xc3\xa9</a></body></html>'
    [citation] = harvested(SourceKind.HTML, html).citations
    assert (citation.url, citation.context) == ("https://a.example/x", "café")


def test_html_served_with_a_charset_python_does_not_know_is_read() -> None:
    html = b'<p><a href="https://a.example/x">x</a></p>'
    document = Document("hostile.html", SourceKind.HTML, html, encoding="no\x01such-codec")
    assert [c.url for c in harvest(document).citations] == ["https://a.example/x"]


@pytest.mark.parametrize(
    "head",
    ['<link rel="canonical" href="http://[x/">', '<base href="http://[x/">', '<base href="//[x/">'],
    ids=["canonical", "base", "base-relative"],
)
def test_html_base_or_canonical_that_cannot_be_parsed_is_ignored(head: str) -> None:
    # urljoin raised "ValueError: Invalid IPv6 URL" for every relative link.
    html = f'<html><head>{head}</head><body><a href="other.html">other</a></body></html>'
    [citation] = harvested(SourceKind.HTML, html, base_url=SITE).citations
    assert citation.url == "https://site.example/news/other.html"


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        (SourceKind.HTML, '<a href="//[x/">bad</a>'),
        (SourceKind.MARKDOWN, "[bad](//[x/)"),
    ],
)
def test_relative_link_that_cannot_be_parsed_is_an_invalid_citation(kind: SourceKind, content: str) -> None:
    [citation] = harvested(kind, content, base_url=SITE).citations
    assert citation.normalized_url is None
    assert citation.invalid_reason is not None and "IPv6" in citation.invalid_reason


def test_link_with_a_control_character_is_invalid_and_shown_escaped() -> None:
    [citation] = harvested(SourceKind.HTML, '<a href="https://a.example/x\x01y">x</a>').citations
    assert citation.url == "https://a.example/x%01y"
    assert citation.normalized_url is None
    assert citation.invalid_reason == "control character U+0001 in the URL"


def test_markdown_destination_with_a_control_character_is_no_link_and_the_url_ends_there() -> None:
    # CommonMark: a destination holds no ASCII control character, so this is text, read by the text rules.
    [citation] = harvested(SourceKind.MARKDOWN, "[x](https://a.example/x\x01y)").citations
    assert (citation.url, citation.invalid_reason) == ("https://a.example/x", None)


def test_href_wrapped_over_lines_loses_the_line_breaks() -> None:
    # Browsers drop tabs and newlines inside a URL; the report must not show them either.
    [citation] = harvested(SourceKind.HTML, '<a href="https://a.example/long\n-path">x</a>').citations
    assert (citation.url, citation.normalized_url) == ("https://a.example/long-path", "https://a.example/long-path")
