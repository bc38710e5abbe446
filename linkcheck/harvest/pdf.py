"""PDF articles: the text layer (harvested as text) plus the URI link annotations."""

from __future__ import annotations

import bisect
import contextlib
import io
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any

import pypdf
from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from linkcheck.dates import parse_date
from linkcheck.errors import SourceReadError
from linkcheck.harvest.common import (
    IGNORED_SCHEMES,
    MAX_CITATIONS,
    cap_citations,
    link_scheme,
    make_citation,
    url_date_fallback,
)
from linkcheck.harvest.text import harvest_text
from linkcheck.models import Article, Citation

# pypdf logs every recoverable oddity of a damaged file; the report names real failures.
logging.getLogger("pypdf").setLevel(logging.ERROR)
# What pypdf raises for a damaged part of a file.
_DAMAGED = (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError)
_MAX_PAGES = 2000
# Decoded content that text extraction may parse: page content streams, the forms they draw (once
# per drawing) and the fonts' character maps, which pypdf reads again for every page. pypdf's time
# grows with the square of a page's text (pypdf 7.1: 2 MB took 10 s, 4 MB 38 s), so a page is read
# only up to MAX_PAGE_CONTENT_BYTES, and a document up to MAX_CONTENT_BYTES in all.
MAX_PAGE_CONTENT_BYTES = 512 * 1024
MAX_CONTENT_BYTES = 8 * 1024 * 1024
# A form XObject drawn by a content stream: `/Name Do`.
_FORM_DRAWN = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")
_MAX_FORM_DEPTH = 10
# What reading a font costs beyond its character map (pypdf builds each font again for every page).
_FONT_COST = 1024
# Annotations looked at per document: pypdf reads about 6,000 a second; an article has a few hundred.
_MAX_ANNOTATIONS = 2 * MAX_CITATIONS
# Comparisons of annotation URIs with text URLs they may complete, per document.
_MAX_COMPLETION_CHECKS = 1_000_000


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
        texts, annotations, unread = _read_pages(pages)
        page_count = len(reader.pages)
    except (*_DAMAGED, OSError) as exc:
        raise SourceReadError(source, f"not a readable PDF: {exc}") from None
    if page_count > _MAX_PAGES:
        too_many = f"more than {_MAX_PAGES} pages: pages {_MAX_PAGES + 1}-{page_count} not read"
        unread = f"{too_many}; {unread}" if unread else too_many
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
        cut_reason="; ".join(reason for reason in (unread, article.cut_reason or cut_reason) if reason) or None,
    )


def _info_strings(reader: PdfReader, *keys: str) -> list[str | None]:
    """Strings of the document information dictionary; a damaged one counts as absent.

    The text and links are the article; a broken /Info must not cost them.
    """
    try:
        info = reader.metadata
        values = [info.get(key) if info is not None else None for key in keys]
        values = [value.get_object() if value is not None else None for value in values]
    except _DAMAGED:
        return [None] * len(keys)
    return [value.strip() or None if isinstance(value, str) else None for value in values]


def _read_pages(pages: list[PageObject]) -> tuple[list[str], list[list[str]], str | None]:
    """Each page's text and link URIs, and which pages' text was left unread for its size.

    A page drawn exactly like an earlier one (same content streams, fonts and forms) has the same text:
    it is read once, so a stream shared by every page is neither decoded nor parsed again.
    """
    texts: list[str] = []
    annotations: list[list[str]] = []
    drawn: set[tuple[object, ...]] = set()
    unread: list[int] = []
    damaged: list[str] = []
    budget = MAX_CONTENT_BYTES
    annotations_left = _MAX_ANNOTATIONS
    for number, page in enumerate(pages, start=1):
        limit = min(MAX_PAGE_CONTENT_BYTES, budget)
        try:
            drawing = _drawing(page)
            cost = 0 if drawing in drawn else _content_cost(page, limit)
        except _DAMAGED as exc:  # a page too damaged to measure is too damaged to read
            drawing, cost = None, 0
            damaged.append(f"{number} ({_short(exc)})")
        text = ""
        if cost > limit:
            unread.append(number)
        elif drawing is not None and drawing not in drawn:
            budget -= cost
            drawn.add(drawing)
            text, problem = _page_text(page)
            if problem:
                damaged.append(f"{number} ({problem})")
        texts.append(text)
        uris, count = _page_uris(page, max(annotations_left, 0))
        annotations.append(uris)
        annotations_left -= count
    reasons = [_unread_reason(unread)]
    if damaged:  # the reason a page gave no text reaches the report, not an empty string
        more = f" and {len(damaged) - 5} more" if len(damaged) > 5 else ""
        reasons.append(f"text of page {', '.join(damaged[:5])}{more} could not be read")
    if annotations_left < 0:
        reasons.append(f"more than {_MAX_ANNOTATIONS} annotations: the rest not read")
    return texts, annotations, "; ".join(reason for reason in reasons if reason) or None


def _unread_reason(unread: list[int]) -> str | None:
    if not unread:
        return None
    more = f" and {len(unread) - 1} more" if len(unread) > 1 else ""
    return (
        f"text of page {unread[0]}{more} not read: over {MAX_PAGE_CONTENT_BYTES // 1024} KiB of content on the page"
        f" or {MAX_CONTENT_BYTES // 2**20} MiB in the document"
    )


def _drawing(page: DictionaryObject) -> tuple[object, ...]:
    """What a page's text is made of: its content streams and the fonts and forms it names."""
    resources = _resources(page)
    named: list[tuple[str, str, int]] = []
    for category in ("/Font", "/XObject"):
        entries = _dictionary(resources.get(category))
        named += sorted((category, str(name), id(entries[name])) for name in entries)
    return tuple(id(stream) for stream in _content_streams(page)), tuple(named)


def _content_cost(page: DictionaryObject, limit: int) -> int:
    """Bytes pypdf reads to extract a page's text, counted up to just past `limit`."""
    resources = _resources(page)
    cost = 0
    for font in _dictionary(resources.get("/Font")).values():
        font = _dictionary(font)
        cost += _FONT_COST
        for key in ("/ToUnicode", "/Encoding"):
            cmap = font.get(key)
            cmap = cmap.get_object() if cmap is not None else None
            if isinstance(cmap, StreamObject) and cost <= limit:
                data = _decoded(cmap, limit - cost)
                cost += len(data) if data is not None else limit + 1
    forms: dict[int, int | None] = {}
    for stream in _content_streams(page):
        if cost > limit:
            break
        cost += _stream_cost(stream, resources, limit - cost, forms, 0)
    return cost


def _stream_cost(
    stream: object, resources: DictionaryObject, limit: int, forms: dict[int, int | None], depth: int
) -> int:
    """A stream's decoded size plus that of each form it draws, once per drawing; past `limit`, limit + 1.

    `forms` keeps each form's cost (None while it is being counted: a form drawing itself adds nothing,
    as pypdf skips it too).
    """
    if not isinstance(stream, StreamObject):
        return 0
    data = _decoded(stream, limit)
    if data is None:
        return limit + 1
    cost = len(data)
    if depth >= _MAX_FORM_DEPTH:
        return cost
    xobjects = _dictionary(resources.get("/XObject"))
    for name, times in Counter(_FORM_DRAWN.findall(data)).items():
        form = xobjects.get("/" + name.decode("latin-1"))
        form = form.get_object() if form is not None else None
        if cost > limit or not isinstance(form, StreamObject) or form.get("/Subtype") != "/Form":
            continue
        if id(form) not in forms:
            forms[id(form)] = None
            forms[id(form)] = _stream_cost(form, _resources(form), limit - cost, forms, depth + 1)
        cost += times * (forms[id(form)] or 0)
    return cost if cost <= limit else limit + 1


def _decoded(stream: StreamObject, limit: int) -> bytes | None:
    """A stream's data, decoded (and cached by pypdf for text extraction) unless it is over `limit` bytes.

    One that cannot be decoded is empty: text extraction skips it too.
    """
    try:
        with _decoding_limit(limit + 1):
            data = stream.get_data()
    except LimitReachedError:
        return None
    except _DAMAGED:
        return b""
    return data if len(data) <= limit else None


def _decoding_limit(size: int) -> AbstractContextManager[object]:
    """pypdf 7 and later stop decoding a stream past `size` bytes; older versions apply fixed caps of their own."""
    configure = getattr(pypdf, "apply_configuration", None)
    if configure is None:
        return contextlib.nullcontext()
    return configure(  # type: ignore[no-any-return]
        zlib_maximum_output_length=size,
        lzw_maximum_output_length=size,
        run_length_maximum_output_length=size,
        array_based_stream_maximum_output_length=size,
    )


def _content_streams(page: DictionaryObject) -> list[StreamObject]:
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    items = contents if isinstance(contents, ArrayObject) else [contents]
    streams = [item.get_object() for item in items if item is not None]
    return [stream for stream in streams if isinstance(stream, StreamObject)]


def _resources(node: DictionaryObject) -> DictionaryObject:
    return _dictionary(node.get("/Resources"))


def _dictionary(value: object) -> DictionaryObject:
    """A PDF dictionary (resolved), or an empty one for anything else: damaged files name all sorts."""
    value = value.get_object() if hasattr(value, "get_object") else value
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _page_text(page: object) -> tuple[str, str | None]:
    """A page's text, and why there is none when pypdf cannot read it."""
    try:
        return page.extract_text() or "", None  # type: ignore[attr-defined]
    except _DAMAGED as exc:
        return "", _short(exc)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _page_uris(page: DictionaryObject, limit: int) -> tuple[list[str], int]:
    """The URIs of the first `limit` link annotations of a page, and how many annotations it has."""
    uris: list[str] = []
    annots: list[Any] = []
    try:
        found = page.get("/Annots")
        found = found.get_object() if found is not None else None
        annots = list(found) if isinstance(found, ArrayObject) else []
        for ref in annots[:limit]:
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
    except _DAMAGED:
        pass
    return uris, len(annots)


def _page_of_line(texts: list[str]) -> Callable[[int | None], int | None]:
    """The page (1-based) holding a line of the joined text."""
    bounds: list[int] = []
    total = 0
    for text in texts:
        total += text.count("\n") + 1
        bounds.append(total)

    def page_of(line: int | None) -> int | None:
        if line is None:
            return None
        page = bisect.bisect_left(bounds, line)
        return page + 1 if page < len(bounds) else None

    return page_of


def _merge_annotations(
    citations: list[Citation], annotations: list[list[str]], base_url: str | None = None
) -> list[Citation]:
    """Add annotation URIs the text missed; a text URL cut short by a line wrap takes the full URI.

    Stops one past MAX_CITATIONS. Text URLs an annotation may complete are kept per page and first 12
    characters (the shortest that counts); past _MAX_COMPLETION_CHECKS comparisons, annotations are
    only added, not used to complete.
    """
    result = list(citations)
    present = Counter(c.normalized_url for c in result if c.normalized_url)
    completable: dict[tuple[int | None, str], list[int]] = defaultdict(list)
    for index, citation in enumerate(result):
        if len(citation.url) >= 12:
            completable[citation.page, citation.url[:12]].append(index)
    checks_left = _MAX_COMPLETION_CHECKS
    for page, uris in enumerate(annotations, start=1):
        for uri in uris:
            if len(result) > MAX_CITATIONS:
                return result
            annotated = make_citation(uri, f"link annotation on page {page}", page=page, base_url=base_url)
            if annotated.normalized_url and present[annotated.normalized_url]:
                continue
            candidates = completable[page, uri[:12]] if checks_left > 0 else []
            checks_left -= len(candidates)
            cut = next((i for i in candidates if uri.startswith(result[i].url) and uri != result[i].url), None)
            if cut is not None:
                if replaced := result[cut].normalized_url:
                    present[replaced] -= 1
                result[cut] = replace(annotated, context=result[cut].context, line=result[cut].line)
            else:
                result.append(annotated)
                if len(annotated.url) >= 12:
                    completable[page, annotated.url[:12]].append(len(result) - 1)
            if annotated.normalized_url:
                present[annotated.normalized_url] += 1
    return result
