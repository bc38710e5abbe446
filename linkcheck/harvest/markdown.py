"""Markdown articles through a CommonMark parser: links, references, autolinks, images, footnotes, bare URLs.

markdown-it-py (with the footnote plugin of mdit-py-plugins) decides what is a link and what is code,
exactly as a CommonMark renderer would; nothing inside code of any kind (spans, fences, indented
blocks, raw `<code>`/`<pre>`, HTML comments) is harvested. The article is then read as the text a
reader sees, where bare URLs are found by the plain-text rules and contexts are taken.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from html import unescape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from linkcheck.dates import date_from_text, parse_date
from linkcheck.harvest.common import (
    IGNORED_SCHEMES,
    MAX_CITATIONS,
    cap_citations,
    collapse,
    line_starts_of,
    link_scheme,
    make_citation,
    paragraph_around,
    url_date_fallback,
)
from linkcheck.harvest.listed import listed_contexts
from linkcheck.harvest.text import context_around, find_urls, sentence_before, tidy
from linkcheck.models import Article, Citation

# Raw HTML elements whose text is code, not prose; comments are masked too.
_CODE_TAGS = ("code", "pre", "kbd", "samp", "script", "style", "textarea")
_HTML_CODE = re.compile(r"<!--.*?(?:-->|$)|<(" + "|".join(_CODE_TAGS) + r")\b[^>]*>.*?(?:</\1\s*>|$)", re.I | re.S)
_HTML_OPEN_CODE = re.compile(r"^<(" + "|".join(_CODE_TAGS) + r")\b", re.I)
_HTML_CLOSE_CODE = re.compile(r"^</(" + "|".join(_CODE_TAGS) + r")\s*>", re.I)
_HTML_ANCHOR = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))[^>]*>""", re.I)
_HTML_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))[^>]*>""", re.I)
_HTML_TAG = re.compile(r"<[^>]*>")
_EMPHASIS = re.compile(r"[*_`~]+")


def _parser() -> MarkdownIt:
    """CommonMark with tables, strikethrough and footnotes; links kept exactly as written.

    markdown-it percent-encodes and punycodes link destinations for HTML output and refuses some
    schemes; a citation is the URL as written, and this harvester sorts schemes itself.
    """
    # markdown-it stops reading at its nesting limit (20 in the commonmark preset: lists ten deep).
    # A higher limit costs every "[" of a hostile document as many more steps (200,000 of them took
    # 4 s at 20 and 17 s at 100), and no article nests that deep: past it, the article says so.
    parser = MarkdownIt("commonmark", {"html": True})
    parser.use(footnote_plugin).enable(["table", "strikethrough"])
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]
    parser.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    parser.core.ruler.at("normalize", _normalize)
    parser.core.ruler.at("inline", _inline_unless_plain)
    return parser


def _normalize(state: StateCore) -> None:
    """markdown-it's own first step (line endings to LF, NUL to U+FFFD), skipped when there is nothing to change:
    its two regex passes rewrite every line break of the text."""
    source = state.src
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in source:
        source = source.replace("\0", "\ufffd")
    state.src = source


def _inline_unless_plain(state: StateCore) -> None:
    """markdown-it's inline step for every block of text but the plain ones (see `_plain_pieces`), which
    keep their pieces in `meta` for `_read_plain`: most paragraphs of prose, at a fraction of the cost."""
    inline = state.md.inline
    for token in state.tokens:
        if token.type == "inline":
            pieces = _plain_pieces(token.content)
            if pieces is not None:
                token.meta[_PLAIN] = pieces
                continue
            if token.children is None:
                token.children = []
            inline.parse(token.content, state.md, state.env, token.children)


# A plain block of text: prose whose only markup is inline links `[text](destination)`, autolinks
# `<scheme:...>` and code spans `` `code` ``. A link's text holds no markup at all; its destination no
# spaces or control characters, brackets, parentheses, `<`, backslashes, backticks or `^`. A code span
# is one backtick, text without backticks, one backtick. Anywhere else, each character that can start a
# markdown-it inline rule sends the block to the full parser: backslash escapes, other backticks,
# emphasis and strikethrough delimiters, other `<` (raw HTML, e-mail autolinks), `^` (footnotes), other
# brackets (reference links, footnote references), `!` before a link (an image), and `&` when a `;`
# could end an entity.
_PLAIN_PIECE = re.compile(
    r"`([^`]+)`(?!`)"  # a code span (the text before it holds no backtick)
    r"|\[([^\[\]\\`*_~<^]*)\]\(([^\x00-\x20\x7f()<>\\\[\]`^]+)\)"  # an inline link
    r"|<([a-zA-Z][a-zA-Z0-9+.\-]{1,31}:[^<>\x00-\x20]*)>"  # an autolink, as markdown-it's AUTOLINK_RE
)
_MARKUP = re.compile(r"[\\`*_~<^\[\]]")
_PLAIN = "linkcheck_plain"  # the meta key of a plain block's pieces


def _plain_pieces(content: str) -> list[re.Match[str]] | None:
    """The code spans, links and autolinks of a block of text that markdown-it would read as plain text
    with only those (in order), or None when it holds any other markup."""
    if "&" in content and ";" in content:
        return None
    pieces = []
    at = 0
    while (mark := _MARKUP.search(content, at)) is not None:
        start = mark.start()
        piece = _PLAIN_PIECE.match(content, start)
        if piece is None or (piece.group(2) is not None and content[start - 1 : start] == "!"):
            return None
        pieces.append(piece)
        at = piece.end()
    return pieces


_PARSER = _parser()
_CONTENT_TOKENS = ("inline", "fence", "code_block", "html_block", "hr")


def _unread_after(tokens: list[Token], body: str) -> int | None:
    """The line (0-based, in the body) after which the parser stopped, when it hit its nesting limit.

    markdown-it drops the rest of a document nested deeper than its limit; the article says so.
    """
    if not tokens or max(token.level for token in tokens) < _PARSER.options["maxNesting"] - 1:
        return None
    last_read = max((token.map[1] for token in tokens if token.type in _CONTENT_TOKENS and token.map), default=0)
    lines = body.rstrip().count("\n") + 1
    return last_read if last_read < lines else None


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """Simple `key: value` YAML front matter and where it ends (0 when there is none)."""
    if not text.startswith("---"):
        return {}, 0
    match = re.match(r"^---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", text, re.S)
    if not match:
        return {}, 0
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, match.end()


@dataclass
class _Found:
    """A link as the parser found it: destination, its text, the source line, where it shows in the reading."""

    destination: str
    text: str
    line: int
    offset: int
    anchor: bool = True


@dataclass
class _Reading:
    """The article as a reader sees it, block after block, with where each block starts in the source.

    `readable` shows link text, image alt text and code; `searchable` is the same text with links,
    images and code blanked (same length), where bare URLs are looked for.
    """

    readable: list[str] = field(default_factory=list)
    searchable: list[str] = field(default_factory=list)
    size: int = 0
    block_offsets: list[int] = field(default_factory=list)
    block_lines: list[int] = field(default_factory=list)
    links: list[_Found] = field(default_factory=list)
    footnote_refs: dict[int, int] = field(default_factory=dict)  # footnote id -> offset of its first reference

    def start_block(self, line: int) -> None:
        if self.size:
            self.add("\n\n", "\n\n")
        self.block_offsets.append(self.size)
        self.block_lines.append(line)

    def add(self, readable: str, searchable: str | None = None) -> None:
        self.readable.append(readable)
        self.searchable.append(readable if searchable is None else searchable)
        self.size += len(readable)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(text: str) -> str:
    """The text with every character but newlines made a space (same length, same lines)."""
    return _NOT_NEWLINE.sub(" ", text) if "\n" in text else " " * len(text)


def _read_inline(reading: _Reading, token: Token, line: int) -> None:
    """One inline token's children into the reading: text as is, links as their text, code blanked."""
    link: _Found | None = None
    link_text: list[str] = []
    in_code_tag = 0
    newlines = 0
    for child in token.children or []:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            newlines += 1
            reading.add("\n")
            if link is not None:
                link_text.append(" ")
            continue
        if kind == "link_open":
            link = _Found(str(child.attrs.get("href", "")), "", line + newlines, reading.size)
            link.anchor = child.markup != "autolink"
            reading.links.append(link)  # before the images inside it
            link_text = []
            continue
        if kind == "link_close":
            if link is not None:
                link.text = "".join(link_text)
            link = None
            continue
        if kind == "image":
            alt = child.content or str(child.attrs.get("alt", ""))
            reading.links.append(_Found(str(child.attrs.get("src", "")), alt, line + newlines, reading.size))
            reading.add(alt, _blank(alt))
            if link is not None:
                link_text.append(alt)
            continue
        if kind == "footnote_ref":
            reading.footnote_refs.setdefault(int(child.meta.get("id", -1)), reading.size)
            continue
        if kind == "html_inline":
            _read_inline_html(reading, child.content, line + newlines)
            if _HTML_OPEN_CODE.match(child.content):
                in_code_tag += 1
            elif _HTML_CLOSE_CODE.match(child.content):
                in_code_tag = max(0, in_code_tag - 1)
            continue
        text = child.content
        if kind == "code_inline" or in_code_tag:
            reading.add(text, _blank(text))
        elif link is not None:
            reading.add(text, _blank(text))
        else:
            reading.add(text)
        if link is not None:
            link_text.append(text)


def _read_plain(reading: _Reading, content: str, pieces: list[re.Match[str]], line: int) -> None:
    """A plain block of text (see `_plain_pieces`) into the reading, as `_read_inline` reads the tokens
    markdown-it makes of it: text as is, code and links' text shown but blanked for bare URLs, and each
    line break as markdown-it's newline rule reads it (spaces before it, spaces and tabs after it dropped)."""
    newlines = 0
    at = 0
    for piece in pieces:
        newlines = _read_plain_text(reading, content[at : piece.start()], None, newlines)
        at = piece.end()
        code = piece.group(1)
        if code is not None:
            # As markdown-it's code span: line breaks read as spaces, one space each side dropped.
            code = code.replace("\n", " ")
            if code.startswith(" ") and code.endswith(" ") and code.strip():
                code = code[1:-1]
            reading.add(code, " " * len(code))
            continue
        autolink = piece.group(4)
        if autolink is not None:
            reading.links.append(_Found(autolink, autolink, line + newlines, reading.size, anchor=False))
            reading.add(autolink, " " * len(autolink))
            continue
        link = _Found(piece.group(3), "", line + newlines, reading.size)
        reading.links.append(link)
        link_text: list[str] = []
        newlines = _read_plain_text(reading, piece.group(2), link_text, newlines)
        link.text = "".join(link_text)
    _read_plain_text(reading, content[at:], None, newlines)


def _read_plain_text(reading: _Reading, text: str, link_text: list[str] | None, newlines: int) -> int:
    """Plain text, outside a link (`link_text` None) or inside one; the line breaks read so far, updated."""
    if "\n" in text:
        lines = text.split("\n")
        last = len(lines) - 1
        for number, piece in enumerate(lines):
            if number:
                newlines += 1
                reading.add("\n")
                if link_text is not None:
                    link_text.append(" ")
                piece = piece.lstrip(" \t")
            if number < last:
                piece = piece.rstrip(" ")
            _read_plain_piece(reading, piece, link_text)
    else:
        _read_plain_piece(reading, text, link_text)
    return newlines


def _read_plain_piece(reading: _Reading, text: str, link_text: list[str] | None) -> None:
    if not text:
        return
    if link_text is None:
        reading.add(text)
    else:
        reading.add(text, " " * len(text))
        link_text.append(text)


def _read_inline_html(reading: _Reading, html: str, line: int) -> None:
    """An `<a href>` or `<img src>` written as raw HTML inside a paragraph is a link too."""
    for pattern in (_HTML_ANCHOR, _HTML_IMAGE):
        for match in pattern.finditer(html):
            href = unescape(next(group for group in match.groups() if group is not None))
            reading.links.append(_Found(href, "", line, reading.size, anchor=False))


def _read_html_block(reading: _Reading, html: str, line: int) -> None:
    """A raw HTML block: its links, and its text (code and comments blanked) for bare URLs."""
    visible = _HTML_CODE.sub(lambda match: _blank(match.group()), html)
    line_starts = line_starts_of(visible)
    for pattern in (_HTML_ANCHOR, _HTML_IMAGE):
        for match in pattern.finditer(visible):
            href = unescape(next(group for group in match.groups() if group is not None))
            after = visible[match.end() : match.end() + 300]
            text = _HTML_TAG.sub(" ", after.split("</a", 1)[0]) if pattern is _HTML_ANCHOR else ""
            line_in = bisect.bisect_right(line_starts, match.start()) - 1
            reading.links.append(_Found(href, unescape(collapse(text)), line + line_in, reading.size))
    # Tags become spaces so that the text keeps its line breaks and bare URLs their neighbours.
    text = unescape(_HTML_TAG.sub(lambda match: _blank(match.group()), visible))
    reading.add(text, text)


def _read(tokens: list[Token], first_line: int) -> tuple[_Reading, list[tuple[int, int, int]]]:
    """The reading of the token stream, and the footnote definitions as (id, block index, line)."""
    reading = _Reading()
    footnotes: list[tuple[int, int, int]] = []
    footnote_id: int | None = None
    for token in tokens:
        if token.type == "footnote_open":
            footnote_id = int(token.meta.get("id", -1))
        elif token.type == "footnote_close":
            footnote_id = None
        elif token.type == "inline":
            line = first_line + (token.map[0] if token.map else 0)
            reading.start_block(line)
            if footnote_id is not None:
                footnotes.append((footnote_id, len(reading.block_offsets) - 1, line))
            if (pieces := token.meta.get(_PLAIN)) is not None:
                _read_plain(reading, token.content, pieces, line)
            else:
                _read_inline(reading, token, line)
        elif token.type == "html_block":
            line = first_line + (token.map[0] if token.map else 0)
            reading.start_block(line)
            _read_html_block(reading, token.content, line)
    return reading, footnotes


_FOOTNOTE_DEF = re.compile(r"^\s{0,3}\[\^([^\]\s]+)\]:")


def harvest_markdown(text: str, source: str, base_url: str | None = None) -> Article:
    """An article from Markdown: every link, image and bare URL outside code; front matter title and date."""
    meta, body_start = front_matter(text)
    body = text[body_start:]
    first_line = text[:body_start].count("\n") + 1
    env: dict[str, object] = {}
    tokens = _PARSER.parse(body, env)
    reading, footnotes = _read(tokens, first_line)
    title = meta.get("title") or _heading(tokens)
    unread = _unread_after(tokens, body)
    # Tens of thousands of tokens for a long article: dropped here, the collector need not walk them
    # again while the citations are made.
    del tokens
    readable = "".join(reading.readable)
    searchable = "".join(reading.searchable)
    doc_lines = line_starts_of(readable)

    def source_line(offset: int) -> int:
        block = max(0, bisect.bisect_right(reading.block_offsets, offset) - 1)
        if not reading.block_offsets:
            return first_line
        start = reading.block_offsets[block]
        return (
            reading.block_lines[block] + bisect.bisect_right(doc_lines, offset) - bisect.bisect_right(doc_lines, start)
        )

    enough = MAX_CITATIONS + 1
    found: list[tuple[int, int, Citation]] = []  # (source line, offset in the reading, citation)
    used: set[str] = set()
    for link in reading.links[:enough]:
        used.add(link.destination)
        destination = link.destination.strip()
        if not destination or destination.startswith("#") or link_scheme(destination) in IGNORED_SCHEMES:
            continue
        paragraph = paragraph_around(readable, link.offset)
        if link.anchor:
            context = _link_text(link.text) or destination
            citation = make_citation(
                destination, context, line=link.line, base_url=base_url, anchor=True, paragraph=paragraph
            )
        else:
            shown = readable[link.offset : link.offset + len(link.text)]
            context = context_around(readable, link.offset, link.offset + len(shown))
            citation = make_citation(destination, context, line=link.line, base_url=base_url, paragraph=paragraph)
        found.append((link.line, link.offset, citation))
    footnote_blocks = {block: footnote for footnote, block, _ in footnotes}
    bare = find_urls(searchable, limit=enough)
    listed = listed_contexts(readable, [(url.url, url.start, url.end) for url in bare], tidy)
    for index, url in enumerate(bare):
        context = listed.get(index) or context_around(readable, url.start, url.end)
        block = bisect.bisect_right(reading.block_offsets, url.start) - 1
        referred = reading.footnote_refs.get(footnote_blocks.get(block, -1))
        paragraph = paragraph_around(readable, url.start)
        if referred is not None:
            # A quotation in the paragraph that refers to this footnote is attributed to its source.
            paragraph += "\n\n" + paragraph_around(readable, referred)
            end = reading.block_offsets[block + 1] if block + 1 < len(reading.block_offsets) else len(readable)
            own = readable[reading.block_offsets[block] : url.start] + readable[url.end : end]
            if len(re.findall(r"\w+", own)) < 3:
                # A footnote that is only a URL: the sentence that refers to it says what it is.
                context = sentence_before(readable, referred)
        line = source_line(url.start)
        citation = make_citation(url.url, context, line=line, base_url=base_url, paragraph=paragraph)
        found.append((line, url.start, citation))
    # A reference defined but never used is still a cited source.
    references = env.get("references", {})
    if isinstance(references, dict):
        for label, definition in list(references.items())[:enough]:
            href = str(definition.get("href", ""))
            if href in used or not href:
                continue
            line = first_line + definition["map"][0] if definition.get("map") else first_line
            citation = make_citation(href, collapse(label.lower()), line=line, base_url=base_url, anchor=True)
            found.append((line, len(readable), citation))
    found.sort(key=lambda item: (item[0], item[1]))
    citations, cut_reason = cap_citations([citation for _, _, citation in found])
    if unread is not None:
        limit = _PARSER.options["maxNesting"]
        nested = f"nested deeper than {limit} levels: text after line {first_line + unread} not read"
        cut_reason = f"{cut_reason}; {nested}" if cut_reason else nested

    published, published_from = None, None
    if meta.get("date") and (published := parse_date(meta["date"])):
        published_from = "front-matter"
    elif published := date_from_text(readable):
        published_from = "text"
    elif base_url:
        published, published_from = url_date_fallback(base_url)
    return Article(
        source=source,
        title=title,
        published=published,
        published_from=published_from,
        citations=citations,
        url=base_url,
        cut_reason=cut_reason,
    )


def _link_text(label: str) -> str:
    """A link's text as read, emphasis marks dropped, cut to 200 characters."""
    return collapse(_EMPHASIS.sub("", label[:1000]))


def _heading(tokens: list[Token]) -> str | None:
    """The first level-1 or level-2 heading, as read."""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h1", "h2") and index + 1 < len(tokens):
            inline = tokens[index + 1]
            children = inline.children or []
            if _PLAIN in inline.meta:  # not split into tokens by the parser
                children = []
                _PARSER.inline.parse(inline.content, _PARSER, {}, children)
            text = "".join(child.content for child in children if child.type in ("text", "code_inline", "image"))
            return collapse(text, 300) or None
    return None
