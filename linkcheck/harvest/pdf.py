"""PDF articles: the text layer (harvested as text) plus the URI link annotations."""

from __future__ import annotations

import io
import logging
from dataclasses import replace

from pypdf import PasswordType, PdfReader
from pypdf.errors import PyPdfError

from linkcheck.dates import parse_date
from linkcheck.errors import SourceReadError
from linkcheck.harvest.common import IGNORED_SCHEMES, cap_citations, link_scheme, make_citation, url_date_fallback
from linkcheck.harvest.text import harvest_text
from linkcheck.models import Article, Citation

# pypdf logs every recoverable oddity of a damaged file; the report names real failures.
logging.getLogger("pypdf").setLevel(logging.ERROR)
_MAX_PAGES = 2000


def harvest_pdf(content: bytes, source: str, base_url: str | None = None) -> Article:
    """An article from a PDF: URLs in its text and in link annotations, its title and date.

    The date comes from a date line in the text, else the document's CreationDate, else base_url.
    """
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        # Many PDFs are encrypted with an empty user password only to restrict printing or copying.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise SourceReadError(source, "the PDF is encrypted and needs a password")
        pages = list(reader.pages[:_MAX_PAGES])
        texts = [_page_text(page) for page in pages]
        annotations = [_page_uris(page) for page in pages]
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError, OSError) as exc:
        raise SourceReadError(source, f"not a readable PDF: {exc}") from None
    text = "\n".join(texts)
    article = harvest_text(text, source)
    page_of_line = _page_of_line(texts)
    citations = [replace(c, page=page_of_line(c.line)) for c in article.citations]
    kept, cut_reason = cap_citations(_merge_annotations(citations, annotations, base_url))
    title, published, published_from = article.title, article.published, article.published_from
    info_title, created = _info_strings(reader, "/Title", "/CreationDate")
    title = title or info_title
    if published is None and created:
        published = parse_date(created.removeprefix("D:")[:8])
        published_from = "pdf-metadata" if published else None
    if published is None and base_url:
        published, published_from = url_date_fallback(base_url)
    return replace(
        article,
        title=title,
        published=published,
        published_from=published_from,
        citations=kept,
        url=base_url,
        cut_reason=article.cut_reason or cut_reason,
    )


def _info_strings(reader: PdfReader, *keys: str) -> list[str | None]:
    """Strings of the document information dictionary; a damaged one counts as absent.

    The text and links are the article; a broken /Info must not cost them.
    """
    try:
        info = reader.metadata
        values = [info.get(key) if info is not None else None for key in keys]
        values = [value.get_object() if value is not None else None for value in values]
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return [None] * len(keys)
    return [value.strip() or None if isinstance(value, str) else None for value in values]


def _page_text(page: object) -> str:
    try:
        return page.extract_text() or ""  # type: ignore[attr-defined,no-any-return]
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return ""


def _page_uris(page: object) -> list[str]:
    uris: list[str] = []
    try:
        annots = page.get("/Annots") or []  # type: ignore[attr-defined]
        for ref in annots:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            if action is None or action.get("/S") != "/URI":
                continue
            uri = action.get("/URI")
            uri = uri.get_object() if uri is not None else None
            # A URI is a string (ASCII by the spec); anything else is a damaged annotation.
            if isinstance(uri, bytes):
                uri = uri.decode("latin-1")
            if isinstance(uri, str) and uri.strip() and link_scheme(uri) not in IGNORED_SCHEMES:
                uris.append(uri.strip())
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        pass
    return uris


def _page_of_line(texts: list[str]):  # type: ignore[no-untyped-def]
    bounds: list[int] = []
    total = 0
    for text in texts:
        total += text.count("\n") + 1
        bounds.append(total)

    def page_of(line: int | None) -> int | None:
        if line is None:
            return None
        for page, last_line in enumerate(bounds, start=1):
            if line <= last_line:
                return page
        return None

    return page_of


def _merge_annotations(
    citations: list[Citation], annotations: list[list[str]], base_url: str | None = None
) -> list[Citation]:
    """Add annotation URIs the text missed; a text URL cut short by a line wrap takes the full URI."""
    result = list(citations)
    for page, uris in enumerate(annotations, start=1):
        for uri in uris:
            annotated = make_citation(uri, f"link annotation on page {page}", page=page, base_url=base_url)
            same = [c for c in result if c.normalized_url and c.normalized_url == annotated.normalized_url]
            if same:
                continue
            cut = [
                i
                for i, c in enumerate(result)
                if c.page == page and len(c.url) >= 12 and uri.startswith(c.url) and uri != c.url
            ]
            if cut:
                index = cut[0]
                result[index] = replace(annotated, context=result[index].context, line=result[index].line)
            else:
                result.append(annotated)
    return result
