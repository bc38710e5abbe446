"""SOURCE arguments -> documents, and documents -> articles: files, folders, stdin, online articles, bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from linkcheck.errors import SourceReadError
from linkcheck.harvest import decode_text, harvest
from linkcheck.models import Document, FailureKind, FetchFailure, FetchResult, SourceError, SourceKind
from linkcheck.sources import expand_sources
from linkcheck.urls import is_url_source
from tests.pdf_builder import Page, build_pdf

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LIMIT = 1_000_000


def no_fetch(url: str) -> FetchResult:
    raise AssertionError(f"no fetch expected, got {url}")


def expand(sources: list[str], stdin: bytes = b"", fetch=no_fetch, limit: int = LIMIT) -> list[Document | SourceError]:  # type: ignore[no-untyped-def]
    return list(expand_sources(sources, io.BytesIO(stdin), fetch, limit))


# --- files and folders ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", SourceKind.TEXT),
        ("a.TEXT", SourceKind.TEXT),
        ("a.html", SourceKind.HTML),
        ("a.HTM", SourceKind.HTML),
        ("a.xhtml", SourceKind.HTML),
        ("a.md", SourceKind.MARKDOWN),
        ("a.markdown", SourceKind.MARKDOWN),
        ("a.pdf", SourceKind.PDF),
    ],
)
def test_file_kind_comes_from_its_suffix(tmp_path: Path, name: str, kind: SourceKind) -> None:
    path = tmp_path / name
    path.write_bytes(b"content")
    [document] = expand([str(path)])
    assert document == Document(str(path), kind, b"content")


@pytest.mark.parametrize("name", ["a.docx", "a.jpg", "README", "a.txt.bak"])
def test_unsupported_file_is_a_source_error_naming_it(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")
    [error] = expand([str(path)])
    assert isinstance(error, SourceError)
    assert error.source == str(path)
    assert "unsupported file type" in error.message and ".txt" in error.message


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    [error] = expand([str(tmp_path / "nope.txt")])
    assert error == SourceError(str(tmp_path / "nope.txt"), "no such file or folder")


def test_file_over_the_limit_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    [error] = expand([str(path)], limit=100)
    assert isinstance(error, SourceError) and "over the 100-byte limit" in error.message
    [document] = expand([str(path)], limit=101)
    assert isinstance(document, Document)


def test_folder_is_read_recursively_in_sorted_order_skipping_hidden_and_unsupported(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ["z.md", "a.txt", "b/c.html", "b/notes.docx", ".secret.txt", ".hidden/x.txt"]:
        (tmp_path / name).write_bytes(b"x")
    documents = expand([str(tmp_path)])
    assert [Path(d.source).relative_to(tmp_path).as_posix() for d in documents] == ["a.txt", "z.md", "b/c.html"]
    assert all(isinstance(d, Document) for d in documents)


@pytest.mark.parametrize("spelling", [".", "./", "arts", "arts/", "./arts", "arts//", "arts/./deep/..", "ABS"])
def test_folder_documents_are_named_as_pathlib_joins_the_folder_as_written(tmp_path: Path, spelling: str) -> None:
    """Names are joined as strings on a rerun's fast path; they stay what `Path(source) / relative` gives."""
    root = tmp_path / "arts"
    (root / "deep" / "er").mkdir(parents=True)
    for name in ["a.txt", "deep/b.md", "deep/er/c.HTML", "deep/d.", "deep/e..txt", "deep/.f.txt"]:
        (root / name).write_bytes(b"x")
    source = str(root) if spelling == "ABS" else spelling
    cwd = root if spelling in (".", "./") else tmp_path
    documents = list(expand_sources([source], io.BytesIO(), no_fetch, LIMIT, cwd))
    expected = [
        str(Path(source) / child.relative_to(root))
        for child in [root / "a.txt", root / "deep" / "b.md", root / "deep" / "e..txt", root / "deep" / "er" / "c.HTML"]
    ]
    assert [d.source for d in documents] == expected
    assert [d.kind for d in documents if isinstance(d, Document)] == [
        SourceKind.TEXT,
        SourceKind.MARKDOWN,
        SourceKind.TEXT,
        SourceKind.HTML,
    ]


def test_unreadable_file_in_a_folder_is_a_source_error_and_the_rest_are_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"a")
    (tmp_path / "b.txt").symlink_to(tmp_path / "gone.txt")  # a dangling link: listed, cannot be read
    (tmp_path / "c.txt").write_bytes(b"c")
    results = expand([str(tmp_path)])
    assert [type(r) for r in results] == [Document, SourceError, Document]
    assert results[1].source == str(tmp_path / "b.txt") and "cannot read" in results[1].message


def test_folder_without_supported_files_is_a_source_error(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"x")
    [error] = expand([str(tmp_path)])
    assert isinstance(error, SourceError) and error.source == str(tmp_path)
    assert "no supported files" in error.message


def test_sources_keep_their_order_and_one_error_does_not_stop_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"a")
    results = expand([str(tmp_path / "missing.md"), str(tmp_path / "a.txt")])
    assert [type(r) for r in results] == [SourceError, Document]


# --- stdin ------------------------------------------------------------------------------------------


def test_stdin_is_a_text_document() -> None:
    assert expand(["-"], stdin=b"See https://a.example/") == [Document("-", SourceKind.TEXT, b"See https://a.example/")]


def test_stdin_over_the_limit_is_a_source_error_not_silently_cut() -> None:
    [error] = expand(["-"], stdin=b"x" * 101, limit=100)
    assert isinstance(error, SourceError) and error.source == "-" and "limit" in error.message
    assert expand(["-"], stdin=b"x" * 100, limit=100) == [Document("-", SourceKind.TEXT, b"x" * 100)]


# --- online articles (a fake fetcher: tests never touch the network) --------------------------------


@pytest.mark.parametrize(
    ("source", "is_url"),
    [("https://a.example/x", True), ("HTTP://a.example/", True), ("ftp://a.example/", False), ("a.txt", False)],
)
def test_is_url_source(source: str, is_url: bool) -> None:
    assert is_url_source(source) is is_url


def fetched(body: bytes, content_type: str | None = "text/html", **fields: object) -> FetchResult:
    headers = (("Content-Type", content_type),) if content_type else ()
    values: dict[str, object] = {"status": 200, "reason": "OK", "headers": headers, "body": body}
    values.update(fields)
    return FetchResult("https://news.example/a", "https://news.example/final", **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content_type", "body", "kind", "encoding"),
    [
        ("text/html; charset=windows-1251", b"<html>", SourceKind.HTML, "windows-1251"),
        ('text/html; charset="utf-8"', b"<html>", SourceKind.HTML, "utf-8"),
        ("application/xhtml+xml", b"<html>", SourceKind.HTML, None),
        ("application/pdf", b"%PDF-1.4", SourceKind.PDF, None),
        ("application/octet-stream", b"%PDF-1.4 ...", SourceKind.PDF, None),
        ("text/plain; charset=utf-8", b"text", SourceKind.TEXT, "utf-8"),
        ("text/markdown", b"# md", SourceKind.MARKDOWN, None),
        (None, b"<html>", SourceKind.HTML, None),
    ],
)
def test_online_article_kind_and_charset(
    content_type: str | None, body: bytes, kind: SourceKind, encoding: str | None
) -> None:
    [document] = expand(["https://news.example/a"], fetch=lambda url: fetched(body, content_type))
    assert document == Document(
        "https://news.example/a", kind, body, base_url="https://news.example/final", encoding=encoding
    )


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (
            fetched(b"", failure=FetchFailure(FailureKind.DNS, "name does not resolve")),
            "cannot fetch article: name does not resolve",
        ),
        (fetched(b"gone", status=404, reason="Not Found"), "cannot fetch article: HTTP 404 Not Found"),
        (fetched(b"", status=None, reason=""), "cannot fetch article: HTTP None"),
        (fetched(b"<html>", truncated=True), "article is larger than [check] max_bytes; not harvested"),
    ],
)
def test_online_article_that_cannot_be_fetched_is_a_source_error(result: FetchResult, message: str) -> None:
    [error] = expand(["https://news.example/a"], fetch=lambda url: result)
    assert error == SourceError("https://news.example/a", message)


# --- documents -> articles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("drills-2021.txt", SourceKind.TEXT),
        ("drills-2021.html", SourceKind.HTML),
        ("drills-2021.md", SourceKind.MARKDOWN),
        ("drills-2021.pdf", SourceKind.PDF),
    ],
)
def test_every_example_harvests_its_three_citations(name: str, kind: SourceKind) -> None:
    article = harvest(Document(name, kind, (EXAMPLES / name).read_bytes()))
    urls = [c.normalized_url for c in article.citations]
    assert urls[:3] == [
        "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews",
        "https://www.kommersant.ru/doc/4936744?from=four_mir",
        "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-amid-taliban-offensive",
    ]
    assert article.published is not None and article.published.isoformat() == "2021-08-10"
    assert article.title


def test_online_text_article_dates_from_its_own_url() -> None:
    document = Document(
        "https://news.example/2021/08/10/a",
        SourceKind.TEXT,
        b"Title\n\nBody.",
        base_url="https://news.example/2021/08/10/a",
    )
    article = harvest(document)
    assert (article.published.isoformat() if article.published else None, article.published_from) == (
        "2021-08-10",
        "url",
    )


@pytest.mark.parametrize(
    ("content", "declared", "text"),
    [
        (b"plain ascii", None, "plain ascii"),
        ("учения".encode(), None, "учения"),
        ("\ufeffучения".encode(), None, "учения"),
        ("учения".encode("utf-16"), None, "учения"),
        (
            "Учения в Таджикистане начались сегодня утром.".encode("cp1251"),
            "windows-1251",
            "Учения в Таджикистане начались сегодня утром.",
        ),
        (b"caf\xe9", "latin-1", "café"),
        (b"caf\xe9", "no-such-charset", None),
    ],
)
def test_decode_text(content: bytes, declared: str | None, text: str | None) -> None:
    decoded = decode_text(content, "a.txt", declared)
    assert decoded == text if text is not None else isinstance(decoded, str)


def test_undetected_cp1251_text_is_still_decoded() -> None:
    text = "Российские и китайские подразделения начали совместные учения на этой неделе. " * 5
    assert "учения" in decode_text(text.encode("cp1251"), "a.txt")


@pytest.mark.parametrize("kind", [SourceKind.TEXT, SourceKind.MARKDOWN])
def test_binary_text_source_is_a_source_read_error_naming_the_source(kind: SourceKind) -> None:
    with pytest.raises(SourceReadError) as raised:
        harvest(Document("photo.txt", kind, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))))
    assert raised.value.source == "photo.txt"
    assert "binary" in raised.value.message


def test_corrupt_pdf_document_is_a_source_read_error() -> None:
    with pytest.raises(SourceReadError) as raised:
        harvest(Document("broken.pdf", SourceKind.PDF, build_pdf([Page(["x"])])[:100]))
    assert raised.value.source == "broken.pdf"


def test_html_with_a_wrong_declared_charset_does_not_crash() -> None:
    article = harvest(
        Document("a.html", SourceKind.HTML, b"<a href='https://a.example/'>x</a>", encoding="no-such-charset")
    )
    assert [c.url for c in article.citations] == ["https://a.example/"]


# --- globs, lists of sources, offline (issue 16) --------------------------------------------------


def test_a_glob_is_expanded_in_sorted_order_selecting_supported_visible_files(tmp_path: Path) -> None:
    for name in ("b/2.md", "a/1.md", "a/deep/3.html", "a/skip.docx", "a/.hidden.md", ".private/4.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = list(expand_sources(["**/*.*"], io.BytesIO(), no_fetch, LIMIT, tmp_path))
    assert [d.source for d in found] == ["a/1.md", "a/deep/3.html", "b/2.md"]
    [error] = list(expand_sources(["a/*.pdf"], io.BytesIO(), no_fetch, LIMIT, tmp_path))
    assert isinstance(error, SourceError) and error.source == "a/*.pdf" and "no file matches" in error.message


def test_a_file_whose_name_looks_like_a_glob_is_read_as_itself(tmp_path: Path) -> None:
    (tmp_path / "notes[1].md").write_text("x")
    [document] = list(expand_sources(["notes[1].md"], io.BytesIO(), no_fetch, LIMIT, tmp_path))
    assert isinstance(document, Document) and document.source == "notes[1].md"


def test_an_absolute_glob(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    [document] = list(expand_sources([f"{tmp_path}/*.txt"], io.BytesIO(), no_fetch, LIMIT, tmp_path / "elsewhere"))
    assert isinstance(document, Document) and document.source == str(tmp_path / "a.txt")


def test_a_list_of_sources_skips_blank_lines_and_comments() -> None:
    from linkcheck.sources import read_source_list

    assert read_source_list("# weekly\na.md\n\n  b folder/  \n  # not this\r\nhttps://x.example/a\n") == [
        "a.md",
        "b folder/",
        "https://x.example/a",
    ]


def test_offline_an_online_article_is_named_as_not_read() -> None:
    [error] = list(expand_sources(["https://example.org/story"], io.BytesIO(), None, LIMIT))
    assert isinstance(error, SourceError) and error.message.startswith("not read: an online article needs the network")
