"""Harvesting: pure extraction of citations and article metadata, one module per format."""

from __future__ import annotations

from charset_normalizer import from_bytes

from linkcheck.errors import SourceReadError
from linkcheck.harvest.html import harvest_html
from linkcheck.harvest.markdown import harvest_markdown
from linkcheck.harvest.pdf import harvest_pdf
from linkcheck.harvest.text import harvest_text
from linkcheck.models import Article, Document, SourceKind

__all__ = ["decode_text", "harvest"]


def harvest(document: Document) -> Article:
    """The article in a document; SourceReadError when it cannot be decoded or parsed."""
    if document.kind is SourceKind.PDF:
        return harvest_pdf(document.content, document.source, document.base_url)
    if document.kind is SourceKind.HTML:
        return harvest_html(document.content, document.source, document.base_url, document.encoding)
    text = decode_text(document.content, document.source, document.encoding)
    if document.kind is SourceKind.MARKDOWN:
        return harvest_markdown(text, document.source, document.base_url)
    return harvest_text(text, document.source, document.base_url)


def decode_text(content: bytes, source: str, declared: str | None = None) -> str:
    """Text from bytes: UTF-8 (with or without BOM), the declared charset, else a detected one."""
    if b"\x00" in content[:8192] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceReadError(source, "looks like binary data, not text")
    for encoding in ("utf-8-sig", declared):
        if encoding:
            try:
                return content.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                pass
    best = from_bytes(content[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise SourceReadError(source, "cannot decode text: not UTF-8 and no other encoding fits")
    return content.decode(best.encoding, errors="replace")
