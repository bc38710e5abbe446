"""PDF harvesting: the text layer, link annotations, metadata, and damaged files."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from linkcheck.errors import SourceReadError
from linkcheck.harvest.pdf import harvest_pdf
from tests.make_example_pdf import example_pdf
from tests.pdf_builder import Page, _serialize, build_pdf, pdf_string

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MIL = "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews"
KOMMERSANT = "https://www.kommersant.ru/doc/4936744?from=four_mir"
MOSCOW_TIMES = (
    "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-amid-taliban-offensive"
)


# --- the test PDF writer ----------------------------------------------------------------------------


def test_builder_writes_a_pdf_pypdf_reads_back() -> None:
    content = build_pdf(
        [Page(["Hello (world) \\ back", "Second line"], links=["https://a.example/"]), Page(["Page two"])],
        title="T",
        created="D:20210810093000Z",
    )
    reader = PdfReader(io.BytesIO(content), strict=True)
    assert len(reader.pages) == 2
    assert reader.pages[0].extract_text().splitlines() == ["Hello (world) \\ back", "Second line"]
    assert reader.metadata is not None and reader.metadata.title == "T"
    annotations = reader.pages[0]["/Annots"]
    assert [a.get_object()["/A"]["/URI"] for a in annotations] == ["https://a.example/"]  # type: ignore[attr-defined]


def test_pdf_string_escapes_delimiters() -> None:
    assert pdf_string("a(b)c\\d") == b"(a\\(b\\)c\\\\d)"


def test_example_pdf_is_generated_from_the_example_text() -> None:
    text = (EXAMPLES / "drills-2021.txt").read_text(encoding="utf-8")
    assert (EXAMPLES / "drills-2021.pdf").read_bytes() == example_pdf(text)


# --- text and annotations ---------------------------------------------------------------------------


def test_example_pdf_article() -> None:
    article = harvest_pdf((EXAMPLES / "drills-2021.pdf").read_bytes(), "drills-2021.pdf")
    assert article.title == (
        "Joint Exercises in Central Asia: What the Russian and Chinese Drills Tell Us About Regional Security"
    )
    assert (article.published, article.published_from) == (dt.date(2021, 8, 10), "text")
    # The annotations repeat the three URLs of the text: three citations, not six.
    assert [(c.url, c.normalized_url, c.page) for c in article.citations] == [
        (MIL, MIL, 1),
        (KOMMERSANT, KOMMERSANT, 1),
        (MOSCOW_TIMES, MOSCOW_TIMES, 1),
    ]
    contexts = [c.context for c in article.citations]
    assert contexts[0].startswith(
        "The Russian Ministry of Defence announced the start of the manoeuvres in a short statement"
    )
    assert "Commentators" not in contexts[0]  # the next paragraph, with no blank line between
    assert (
        contexts[1]
        == "The business daily Kommersant described the drills as a rehearsal for a crisis on the Tajik border."
    )
    assert contexts[2] == "Related article: Russia Holds Military Drills in Tajikistan Amid Taliban Offensive"


def test_urls_in_text_with_pages_and_lines() -> None:
    content = build_pdf(
        [Page(["Title", "See https://a.example/one here."]), Page(["More", "", "And https://b.example/two."])]
    )
    citations = harvest_pdf(content, "a.pdf").citations
    assert [(c.url, c.page) for c in citations] == [("https://a.example/one", 1), ("https://b.example/two", 2)]


def test_annotation_without_the_url_in_the_text_is_a_citation() -> None:
    content = build_pdf([Page(["Read the statement here."], links=["https://a.example/statement"])])
    [citation] = harvest_pdf(content, "a.pdf").citations
    assert (citation.url, citation.page, citation.context) == (
        "https://a.example/statement",
        1,
        "link annotation on page 1",
    )


def test_annotation_completes_a_url_the_text_wrapped_unclearly() -> None:
    # The text alone cannot tell "statement/" + "2021" from a URL followed by prose.
    url = "https://a.example/news/statement/2021"
    content = build_pdf([Page(["The ministry: https://a.example/news/statement/", "2021 was busy."], links=[url])])
    [citation] = harvest_pdf(content, "a.pdf").citations
    assert (citation.url, citation.context) == (url, "The ministry: 2021 was busy.")


def test_javascript_annotations_are_not_citations_mailto_is_skipped() -> None:
    content = build_pdf([Page(["Text."], links=["javascript:print()", "mailto:desk@news.example"])])
    citations = harvest_pdf(content, "a.pdf").citations
    assert [(c.url, c.skip_reason is not None) for c in citations] == [("mailto:desk@news.example", True)]


def test_the_same_url_twice_in_the_text_is_two_citations() -> None:
    content = build_pdf([Page(["See https://a.example/x first.", "See https://a.example/x again."])])
    assert [c.url for c in harvest_pdf(content, "a.pdf").citations] == ["https://a.example/x"] * 2


def test_invalid_link_annotation_in_a_pdf_is_a_citation_with_invalid_reason() -> None:
    content = build_pdf([Page(["Text."], links=["http://example.com:99999/"])])
    [citation] = harvest_pdf(content, "a.pdf").citations
    assert citation.invalid_reason and citation.normalized_url is None


def test_text_whose_host_or_port_a_url_parser_refuses_is_no_url() -> None:
    content = build_pdf([Page(["Port http://example.com:99999/ and http://.example.com here."])])
    assert harvest_pdf(content, "a.pdf").citations == ()


# --- metadata ---------------------------------------------------------------------------------------


def test_info_title_and_creation_date_when_the_text_has_none() -> None:
    content = build_pdf([Page(["https://a.example/"])], title="Info Title", created="D:20210810093000+03'00'")
    article = harvest_pdf(content, "a.pdf")
    assert (article.title, article.published, article.published_from) == (
        "Info Title",
        dt.date(2021, 8, 10),
        "pdf-metadata",
    )


def test_text_title_and_date_line_come_before_the_metadata() -> None:
    content = build_pdf([Page(["Text Title", "11 August 2021", "", "Body."])], title="Info", created="D:20200101")
    article = harvest_pdf(content, "a.pdf")
    assert (article.title, article.published, article.published_from) == ("Text Title", dt.date(2021, 8, 11), "text")


def test_no_metadata_at_all() -> None:
    article = harvest_pdf(build_pdf([Page([])]), "a.pdf")
    assert (article.title, article.published, article.citations) == (None, None, ())


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_PAGE = [
    CATALOG,
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
]


@pytest.mark.parametrize(
    "info",
    [
        b"42",
        b"<< /Title 99 0 R /CreationDate 98 0 R >>",
        b"<< /Title 5 /CreationDate 7 >>",
        b"<< /Title () /CreationDate (D:2021) >>",
    ],
)
def test_damaged_document_information_counts_as_absent(info: bytes) -> None:
    article = harvest_pdf(_serialize([*ONE_PAGE, info], 4), "a.pdf")
    assert (article.title, article.published) == (None, None)


# --- damaged and unreadable files -------------------------------------------------------------------


def damaged_examples() -> dict[str, bytes]:
    good = build_pdf([Page(["See https://a.example/x"])])
    return {
        "empty": b"",
        "not a pdf": b"hello world",
        "html": b"<html><body>hi</body></html>",
        "header only": b"%PDF-1.4\n",
        "truncated": good[: len(good) // 2],
        "no startxref": good.replace(b"startxref", b"startxrex"),
        "random bytes": bytes(range(256)) * 40,
        "catalog is a string": _serialize([b"(hello)"], None),
        "page tree loop": _serialize(
            [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"], None
        ),
    }


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", list(damaged_examples()))
def test_unreadable_pdf_raises_source_read_error_naming_the_source(name: str) -> None:
    with pytest.raises(SourceReadError) as raised:
        harvest_pdf(damaged_examples()[name], "broken.pdf")
    assert raised.value.source == "broken.pdf"
    assert str(raised.value).startswith("broken.pdf: ")


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "objects",
    [
        # /Annots not an array, an annotation whose action and URI point at itself, garbage content.
        [*ONE_PAGE[:2], b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots 7 >>"],
        [
            *ONE_PAGE[:2],
            b"<< /Type /Page /Parent 2 0 R /Annots [4 0 R] >>",
            b"<< /Subtype /Link /A 4 0 R /S /URI /URI 4 0 R >>",
        ],
        [
            *ONE_PAGE[:2],
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length 40 /Filter /FlateDecode >>\nstream\n" + b"\x01" * 40 + b"\nendstream",
        ],
        [CATALOG, b"<< /Type /Pages /Kids [] /Count 999999999 >>"],
    ],
)
def test_damaged_pages_yield_what_can_be_read(objects: list[bytes]) -> None:
    assert harvest_pdf(_serialize(objects, None), "odd.pdf").citations == ()


def encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(build_pdf([Page(["See https://a.example/x"])]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_encrypted_with_an_empty_user_password_is_read() -> None:
    assert [c.url for c in harvest_pdf(encrypted(""), "a.pdf").citations] == ["https://a.example/x"]


def test_pdf_that_needs_a_password_is_a_source_read_error() -> None:
    with pytest.raises(SourceReadError, match="encrypted"):
        harvest_pdf(encrypted("secret"), "locked.pdf")


def test_online_pdf_dates_from_its_own_url_last_and_resolves_relative_annotations() -> None:
    content = build_pdf([Page(["No date in this text."], links=["/annex.pdf"])])
    article = harvest_pdf(
        content,
        "https://ministry.example/docs/2021/08/10/report.pdf",
        "https://ministry.example/docs/2021/08/10/report.pdf",
    )
    assert (article.published, article.published_from) == (dt.date(2021, 8, 10), "url")
    assert article.url == "https://ministry.example/docs/2021/08/10/report.pdf"
    assert [c.url for c in article.citations] == ["https://ministry.example/annex.pdf"]
    dated = build_pdf([Page(["No date in this text."])], created="D:20200101120000Z")
    article = harvest_pdf(dated, "report.pdf", "https://ministry.example/docs/2021/08/10/report.pdf")
    assert (article.published, article.published_from) == (dt.date(2020, 1, 1), "pdf-metadata")


def test_a_page_whose_text_cannot_be_read_is_named_not_silently_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 10: the reason a page failed reaches the article (and so the report), not just ""."""
    from pypdf import PageObject
    from pypdf.errors import PdfReadError

    real = PageObject.extract_text

    def extract_text(self: PageObject, *args: object, **kwargs: object) -> str:
        if "second page" in self.get_contents().get_data().decode("latin-1"):
            raise PdfReadError("damaged content stream")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PageObject, "extract_text", extract_text)
    content = build_pdf([Page(["First page: https://a.example/one"]), Page(["The second page https://a.example/two"])])
    article = harvest_pdf(content, "two-pages.pdf")
    assert [c.url for c in article.citations] == ["https://a.example/one"]
    assert article.cut_reason is not None
    assert "page 2 (PdfReadError: damaged content stream) could not be read" in article.cut_reason
