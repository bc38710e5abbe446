"""Robust Links: an article written again with each citation's archived copy beside it.

HTML: each `<a>` whose link has a copy gets `data-originalurl`, `data-versionurl` (the copy) and
`data-versiondate` (the article's publication date), inserted into the tag as written; `href` and
every other byte stay as they were. An `<a>` that already carries `data-versionurl` is left alone,
so annotating an annotated article changes nothing. Markdown and text: the archived link is written
after each citation. Only copies a reader can open (http(s) archives) are written. The same article
and copies always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator, Mapping

from linkcheck.harvest import decode_text
from linkcheck.harvest.common import link_scheme, make_citation
from linkcheck.harvest.text import find_urls
from linkcheck.html_tags import Element, tags_named
from linkcheck.models import ArchivedCopy, Article, CopyStatus, Document, SourceKind
from linkcheck.pages import parse_html_in

# Elements whose content is text, not markup: an `<a` inside them is no link.
_RAW_TEXT = re.compile(rb"<(script|style|textarea|title|xmp|plaintext)(?=[\s>/])", re.I)
_A_START = re.compile(rb"<a(?=[\s>/])(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)
# An unquoted value runs to whitespace or `>`, as browsers read it (`=` and the like included).
_ATTRIBUTE = re.compile(rb"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_MD_CODE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?(?:^ {0,3}\1[ \t]*$|\Z)|`[^`\n]+`", re.M | re.S)
_MD_INLINE = re.compile(
    r"\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]"  # [text], one level of brackets inside
    r"\(\s*<?([^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)*)>?"  # (destination, balanced parentheses kept
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"  # "title")
)
_MD_AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>", re.I)


def annotate(document: Document, article: Article, copies: Mapping[str, ArchivedCopy]) -> bytes | None:
    """The document with its archived copies written in (None for a PDF: it cannot be rewritten).

    `copies` are keyed by normalized URL; only found copies with an http(s) URL are used.
    """
    usable = {url: copy for url, copy in copies.items() if usable_copy(copy)}
    if document.kind is SourceKind.PDF:
        return None
    if document.kind is SourceKind.HTML:
        return _annotate_html(document, article, usable)
    text = decode_text(document.content, document.source, document.encoding)
    if document.kind is SourceKind.MARKDOWN:
        return _annotate_markdown(text, document.base_url, usable).encode("utf-8")
    return _annotate_text(text, document.base_url, usable).encode("utf-8")


def usable_copy(copy: ArchivedCopy) -> bool:
    """A found copy a reader can open (an http(s) archive's), fit to be written into an article."""
    return copy.status is CopyStatus.FOUND and link_scheme(copy.url or "") in ("http", "https")


def _date(copy: ArchivedCopy) -> str:
    return copy.archived_at.astimezone(dt.UTC).date().isoformat() if copy.archived_at else "unknown date"


def _normalized(written: str, base: str | None) -> str | None:
    """The key a link is known by (as the harvester makes it)."""
    return make_citation(written, "", base_url=base).normalized_url


# --- HTML ---


def _annotate_html(document: Document, article: Article, copies: Mapping[str, ArchivedCopy]) -> bytes:
    content = document.content
    soup, charset = parse_html_in(content, document.encoding)
    encoding = charset or "utf-8"
    base = _base_url(soup, document.base_url)
    version_date = article.published.isoformat() if article.published else None
    pieces: list[bytes] = []
    copied = 0
    for start, end in _link_tags(content):
        tag = content[start:end]
        attributes = _attributes(tag, encoding)
        href = attributes.get("href")
        if href is None or "data-versionurl" in attributes:
            continue
        citation = make_citation(href, "", base_url=base)
        copy = copies.get(citation.normalized_url or "")
        if copy is None or copy.url is None:
            continue
        added = [("data-originalurl", citation.url), ("data-versionurl", copy.url)]
        if version_date:
            added.append(("data-versiondate", version_date))
        text = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in added)
        # `/>` closes the tag only after a quote or a space: in `<a href=https://x/>` the slash is the URL's.
        self_closing = tag.endswith(b"/>") and tag[-3:-2] in (b'"', b"'", b" ", b"\t", b"\n", b"\r", b"\f")
        at = end - (2 if self_closing else 1)
        pieces += [content[copied:at], text.encode(encoding, "xmlcharrefreplace")]
        copied = at
    pieces.append(content[copied:])
    return b"".join(pieces)


def _link_tags(content: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each `<a ...>` start tag outside comments and raw-text elements, in order."""
    position = 0
    while (start := content.find(b"<", position)) >= 0:
        if content.startswith(b"<!--", start):
            close = content.find(b"-->", start + 4)
            position = len(content) if close < 0 else close + 3
            continue
        raw = _RAW_TEXT.match(content, start)
        if raw is not None:
            closer = re.compile(rb"</" + re.escape(raw.group(1)) + rb"\s*>", re.I).search(content, raw.end())
            position = len(content) if closer is None else closer.end()
            continue
        link = _A_START.match(content, start)
        if link is not None:
            yield link.start(), link.end()
            position = link.end()
            continue
        position = start + 1


def _attributes(tag: bytes, encoding: str) -> dict[str, str]:
    """The attributes of a start tag (names lowercased, values unescaped); the first of a name wins."""
    found: dict[str, str] = {}
    inner = tag[2:-1]
    for match in _ATTRIBUTE.finditer(inner):
        name = match.group(1).decode("ascii", "replace").lower()
        raw = next((group for group in match.groups()[1:] if group is not None), b"")
        try:
            value = raw.decode(encoding, "replace")
        except LookupError:
            value = raw.decode("utf-8", "replace")
        found.setdefault(name, html.unescape(value))
    return found


def _base_url(soup: Element, page_url: str | None) -> str | None:
    """What relative links resolve against, as the harvester reads it: <base href>, else an absolute
    <link rel=canonical>, else the article's own URL."""
    base = next((tag for tag in tags_named(soup, "base") if tag.get("href") is not None), None)
    if base is not None:
        resolved = make_citation(str(base.get("href")).strip(), "", base_url=page_url).url
        if link_scheme(resolved):
            return resolved
    for link in tags_named(soup, "link"):
        if link.get("href") is None:
            continue
        rels = [rel.lower() for rel in (link.get("rel") or "").split()]
        if "canonical" in rels:
            href = make_citation(str(link.get("href")).strip(), "", base_url=page_url).url
            if link_scheme(href) in ("http", "https"):
                return href
    return page_url


# --- Markdown and text ---


def _markdown_note(copy: ArchivedCopy) -> str:
    return f" ([archived copy of {_date(copy)}](<{copy.url}>))"


def _text_note(copy: ArchivedCopy) -> str:
    return f" [archived copy of {_date(copy)}: {copy.url}]"


def _annotate_markdown(text: str, base: str | None, copies: Mapping[str, ArchivedCopy]) -> str:
    """After each inline link, autolink and bare URL that has a copy, a link to the copy."""
    blank = _blank(text, [match.span() for match in _MD_CODE.finditer(text)])
    inserts: list[tuple[int, str]] = []
    links = [*_MD_INLINE.finditer(blank), *_MD_AUTOLINK.finditer(blank)]
    for match in links:
        copy = copies.get(_normalized(match.group(1), base) or "")
        if copy is not None:
            inserts.append((match.end(), _markdown_note(copy)))
    bare = _blank(blank, [match.span() for match in links])
    for found in find_urls(bare):
        copy = copies.get(_normalized(found.url, base) or "")
        if copy is not None:
            inserts.append((found.end, _markdown_note(copy)))
    return _insert(text, inserts)


def _annotate_text(text: str, base: str | None, copies: Mapping[str, ArchivedCopy]) -> str:
    """After each URL that has a copy, the copy's address and date in brackets."""
    inserts = []
    for found in find_urls(text):
        copy = copies.get(_normalized(found.url, base) or "")
        if copy is not None:
            inserts.append((found.end, _text_note(copy)))
    return _insert(text, inserts)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Spans replaced by spaces (newlines kept), so offsets still hold and nothing there is found."""
    out = list(text)
    for start, end in spans:
        for index in range(start, end):
            if out[index] != "\n":
                out[index] = " "
    return "".join(out)


def _insert(text: str, inserts: list[tuple[int, str]]) -> str:
    pieces = []
    position = 0
    for at, addition in sorted(inserts):
        pieces += [text[position:at], addition]
        position = at
    pieces.append(text[position:])
    return "".join(pieces)
