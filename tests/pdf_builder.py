"""A tiny hand-written PDF writer for tests: text pages, URI link annotations, Title and CreationDate.

Writes the objects and the cross-reference table itself, so tests need no PDF-writing dependency
and the bytes are the same on every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 612, 792  # US Letter, in points
MARGIN, FONT_SIZE, LEADING = 72, 11, 14


@dataclass(frozen=True)
class Page:
    """One page: its lines of text, top to bottom, and the URIs of its link annotations."""

    lines: Sequence[str]
    links: Sequence[str] = ()


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252), the encoding the Helvetica font is declared with."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def content_stream(lines: Sequence[str]) -> bytes:
    """Lines of text set in Helvetica from the top margin down, one Tj per line."""
    ops = [b"BT", b"/F1 %d Tf" % FONT_SIZE, b"%d TL" % LEADING, b"%d %d Td" % (MARGIN, PAGE_HEIGHT - MARGIN)]
    for index, line in enumerate(lines):
        if index:
            ops.append(b"T*")
        ops.append(pdf_string(line) + b" Tj")
    ops.append(b"ET")
    return b"\n".join(ops)


def link_rect(lines: Sequence[str], uri: str) -> tuple[int, int, int, int]:
    """Where a link sits: over the line where its URI starts, else along the bottom margin."""
    for index, line in enumerate(lines):
        if uri[:20] in line:
            baseline = PAGE_HEIGHT - MARGIN - index * LEADING
            return (MARGIN, baseline - 3, PAGE_WIDTH - MARGIN, baseline + FONT_SIZE)
    return (MARGIN, MARGIN - 20, PAGE_WIDTH - MARGIN, MARGIN - 8)


def build_pdf(pages: Sequence[Page], title: str | None = None, created: str | None = None) -> bytes:
    """A complete PDF 1.4 file; `created` is a PDF date such as "D:20210810093000+03'00'"."""
    objects: list[bytes] = [
        b"",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    page_numbers: list[int] = []
    for page in pages:
        stream = content_stream(page.lines)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_number = len(objects)
        annot_numbers = []
        for uri in page.links:
            rect = b" ".join(b"%d" % value for value in link_rect(page.lines, uri))
            objects.append(
                b"<< /Type /Annot /Subtype /Link /Rect [" + rect + b"] /Border [0 0 0] "
                b"/A << /Type /Action /S /URI /URI " + pdf_string(uri) + b" >> >>"
            )
            annot_numbers.append(len(objects))
        annots = b" /Annots [" + b" ".join(b"%d 0 R" % n for n in annot_numbers) + b"]" if annot_numbers else b""
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (PAGE_WIDTH, PAGE_HEIGHT)
            + b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R" % content_number
            + annots
            + b" >>"
        )
        page_numbers.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = b" ".join(b"%d 0 R" % n for n in page_numbers)
    objects[1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_numbers)
    info = []
    if title is not None:
        info.append(b"/Title " + pdf_string(title))
    if created is not None:
        info.append(b"/CreationDate " + pdf_string(created))
    info_number = None
    if info:
        objects.append(b"<< " + b" ".join(info) + b" >>")
        info_number = len(objects)
    return _serialize(objects, info_number)


def _serialize(objects: list[bytes], info_number: int | None) -> bytes:
    """Objects numbered from 1, then the xref table (20-byte entries) and trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
    if info_number is not None:
        trailer += b" /Info %d 0 R" % info_number
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
