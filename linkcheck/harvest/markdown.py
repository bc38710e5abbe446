"""Markdown articles: inline, reference-style, autolinks and bare URLs; never inside code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from linkcheck.dates import date_from_text, parse_date
from linkcheck.harvest.common import (
    IGNORED_SCHEMES,
    collapse,
    line_of,
    line_starts_of,
    link_scheme,
    make_citation,
    url_date_fallback,
)
from linkcheck.harvest.text import context_around, find_urls
from linkcheck.models import Article, Citation

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_REFERENCE_DEF = re.compile(
    r"^ {0,3}\[([^\]\n]{1,999})\]:[ \t]*<?([^\s>]+)>?(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$", re.M
)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto|tel):[^<>\s]+)>", re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_EMPHASIS = re.compile(r"[*_`~]+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NESTED_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MAX_LINK_TEXT = 2000


@dataclass(frozen=True)
class _Link:
    start: int
    end: int
    text: str
    destination: str
    is_image: bool = False


def _mask(text: str, start: int, end: int) -> str:
    """Blank a span, keeping newlines so offsets and line numbers still hold."""
    return _overlay(text, [(start, end, "")])


def _overlay(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Each (start, end, shown) span replaced by `shown`, the rest of it blanked; offsets kept.

    One pass over the text: masking span by span copies the whole text each time (quadratic).
    """
    pieces: list[str] = []
    position = 0
    for start, end, shown in sorted(spans):
        start = max(start, position)
        if start >= end:
            continue
        shown = shown[: end - start]
        pieces += [text[position:start], shown, re.sub(r"[^\n]", " ", text[start + len(shown) : end])]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


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


def _mask_code(text: str) -> str:
    """Blank fenced code blocks, inline code spans and HTML comments."""
    lines = text.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
            lines[index] = " " * len(line)
        elif fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) and not line.strip(" `~"):
                fence = None
            lines[index] = " " * len(line)
    text = "\n".join(lines)
    text = _overlay(text, [(comment.start(), comment.end(), "") for comment in _HTML_COMMENT.finditer(text)])
    spans: list[tuple[int, int, str]] = []
    position = 0
    while (start := text.find("`", position)) >= 0:
        run = len(re.match(r"`+", text[start:]).group(0))  # type: ignore[union-attr]
        # A code span ends within its paragraph; looking further is quadratic with stray backticks.
        blank_line = _BLANK_LINE.search(text, start + run)
        limit = blank_line.start() if blank_line else len(text)
        closing = re.compile(rf"(?<!`)`{{{run}}}(?!`)").search(text, start + run, limit)
        if closing is None:
            position = start + run
            continue
        spans.append((start, closing.end(), ""))
        position = closing.end()
    return _overlay(text, spans)


def _matching_bracket(text: str, start: int) -> int | None:
    depth = 0
    limit = min(len(text), start + _MAX_LINK_TEXT)
    index = start
    while index < limit:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _destination(text: str, open_paren: int) -> tuple[str, int] | None:
    """Parse `(dest "title")` starting at the `(`; return (dest, index after the `)`)."""
    index = open_paren + 1
    while index < len(text) and text[index] in " \t\n":
        index += 1
    if index < len(text) and text[index] == "<":
        close = text.find(">", index)
        if close < 0:
            return None
        destination = text[index + 1 : close]
        index = close + 1
    else:
        depth = 0
        begin = index
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char in " \t\n":
                break
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            index += 1
        destination = text[begin:index]
    close = text.find(")", index)
    if close < 0 or text[index:close].strip() and not re.match(r"^\s+([\"'(]).*\s*$", text[index:close], re.S):
        return None
    return destination, close + 1


def _links(text: str, definitions: dict[str, tuple[str, int]]) -> list[_Link]:
    links: list[_Link] = []
    position = 0
    while (start := text.find("[", position)) >= 0:
        close = _matching_bracket(text, start)
        if close is None:
            position = start + 1
            continue
        label = text[start + 1 : close]
        is_image = start > 0 and text[start - 1] == "!"
        after = close + 1
        if text.startswith("(", after) and (parsed := _destination(text, after)):
            destination, end = parsed
            links.append(_Link(start, end, label, destination, is_image))
            position = start + 1 if "[" in label else end
            continue
        reference = re.match(r"\[([^\]\n]*)\]", text[after : after + 1000])
        key = (reference.group(1) if reference and reference.group(1) else label).strip().lower()
        key = re.sub(r"\s+", " ", key)
        if key in definitions:
            end = after + (reference.end() if reference else 0)
            links.append(_Link(start, end, label, definitions[key][0], is_image))
            position = end
            continue
        position = start + 1
    return links


def harvest_markdown(text: str, source: str, base_url: str | None = None) -> Article:
    """An article from Markdown: every link outside code, front matter title and date."""
    meta, body_start = front_matter(text)
    masked = _mask(text, 0, body_start) if body_start else text
    masked = _mask_code(masked)
    starts = line_starts_of(text)

    definitions: dict[str, tuple[str, int]] = {}
    spans: list[tuple[int, int, str]] = []
    for match in _REFERENCE_DEF.finditer(masked):
        key = re.sub(r"\s+", " ", match.group(1).strip().lower())
        definitions.setdefault(key, (match.group(2), match.start()))
        spans.append((match.start(), match.end(), ""))
    masked = _overlay(masked, spans)

    found: list[tuple[int, Citation]] = []
    used: set[str] = set()
    images: list[tuple[int, int, str]] = []
    for link in _links(masked, definitions):
        if link.is_image:
            images.append((link.start - 1, link.end, _link_text(link.text)))
            used.add(link.destination)  # its definition is an image source, not a cited one
            continue
        if link_scheme(link.destination) in IGNORED_SCHEMES or link.destination.startswith("#"):
            continue
        context = _link_text(link.text) or link.destination
        line = line_of(starts, link.start)
        found.append((link.start, make_citation(link.destination, context, line=line, base_url=base_url, anchor=True)))
        used.add(link.destination)
    masked = _overlay(masked, [(start, end, "") for start, end, _ in images])
    links = [(link.start, link.end, _link_text(link.text)) for link in _links(masked, definitions)]
    # Bare URLs are sought where links are blanked; contexts are read where links show their text.
    readable = _overlay(masked, links + images)
    masked = _overlay(masked, [(start, end, "") for start, end, _ in links])
    autolinks = list(_AUTOLINK.finditer(masked))
    readable = _overlay(readable, [(match.start(), match.end(), match.group(1)) for match in autolinks])
    for match in autolinks:
        context = context_around(readable, match.start(), match.end())
        found.append((match.start(), make_citation(match.group(1), context, line=line_of(starts, match.start()))))
    masked = _overlay(masked, [(match.start(), match.end(), "") for match in autolinks])
    for url in find_urls(masked):
        context = context_around(readable, url.start, url.end)
        found.append((url.start, make_citation(url.url, context, line=url.line, base_url=base_url)))
    for key, (destination, offset) in definitions.items():
        if destination not in used:  # defined but never referenced: still a cited source
            line = line_of(starts, offset)
            found.append((offset, make_citation(destination, collapse(key), line=line, base_url=base_url)))

    published, published_from = None, None
    if meta.get("date") and (published := parse_date(meta["date"])):
        published_from = "front-matter"
    elif published := date_from_text(masked[body_start:]):
        published_from = "text"
    elif base_url:
        published, published_from = url_date_fallback(base_url)
    return Article(
        source=source,
        title=meta.get("title") or _heading(masked),
        published=published,
        published_from=published_from,
        citations=tuple(citation for _, citation in sorted(found, key=lambda item: item[0])),
        url=base_url,
    )


def _link_text(label: str) -> str:
    """A link's label as read: nested images and links show their text, emphasis marks dropped."""
    return collapse(_EMPHASIS.sub("", _NESTED_LINK.sub(r"\1", label)))


def _heading(text: str) -> str | None:
    for match in re.finditer(r"^ {0,3}#{1,2}[ \t]+(.+?)[ \t#]*$|^(\S.*)\n=+[ \t]*$", text, re.M):
        heading = match.group(1) or match.group(2)
        return collapse(_EMPHASIS.sub("", heading), 300)
    return None
