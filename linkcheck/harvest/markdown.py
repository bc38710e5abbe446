"""Markdown articles: inline, reference-style, autolinks and bare URLs; never inside code."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from linkcheck.dates import date_from_text, parse_date
from linkcheck.harvest.common import (
    IGNORED_SCHEMES,
    MAX_CITATIONS,
    cap_citations,
    collapse,
    line_of,
    line_starts_of,
    link_scheme,
    make_citation,
    paragraph_around,
    url_date_fallback,
)
from linkcheck.harvest.text import context_around, find_urls
from linkcheck.models import Article, Citation

# Every pattern and scan below stops where CommonMark says the construct must end (a blank line, the
# next delimiter of its kind), so no stretch of text is read again for each of many openers.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A title runs to its closing delimiter, never across a blank line; a (title) holds no parenthesis.
_TITLE = (
    r"\"(?:[^\"\\\n]|\\.|\n(?![ \t]*\n))*\""
    r"|'(?:[^'\\\n]|\\.|\n(?![ \t]*\n))*'"
    r"|\((?:[^()\\\n]|\\.|\n(?![ \t]*\n))*\)"
)
_REFERENCE_DEF = re.compile(rf"^ {{0,3}}\[([^\]\n]{{1,999}})\]:[ \t]*<?([^\s>]+)>?(?:[ \t]+(?:{_TITLE}))?[ \t]*$", re.M)
_LINK_TITLE = re.compile(_TITLE, re.S)
_ANGLE_DESTINATION = re.compile(r"<((?:[^<>\\\n]|\\.)*)>")


def _balanced_parentheses(depth: int) -> str:
    """A pattern for text whose parentheses pair up, nested at most `depth` deep (escapes skipped)."""
    plain = r"[^\s()\\]|\\."
    group = rf"\((?:{plain})*\)"
    for _ in range(depth - 1):
        group = rf"\((?:{plain}|{group})*\)"
    return rf"(?:{plain}|{group})*"


# A destination written without <>: CommonMark asks for three levels of parentheses at least. A fixed
# depth lets one regex find the end, where counting parentheses re-read the text for each `[a](`.
_BARE_DESTINATION = re.compile(_balanced_parentheses(3), re.S)
_SPACE = re.compile(r"\s*")
_REFERENCE_LABEL = re.compile(r"\[([^\]\n]{0,998})\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto|tel):[^<>\s]+)>", re.I)
_BRACKET = re.compile(r"\\.|[\[\]]", re.S)
_BACKTICKS = re.compile(r"`+")
_EMPHASIS = re.compile(r"[*_`~]+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# An image or link inside a link's text; its own text holds no bracket, its destination no parenthesis.
_NESTED_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_MAX_LINK_TEXT = 2000
# Characters of a link's text read for its context, which is cut to 200 anyway.
_LABEL_READ = 1000


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
    text = _overlay(text, _comments(text))
    return _overlay(text, _code_spans(text))


def _comments(text: str) -> list[tuple[int, int, str]]:
    """Spans of HTML comments; an unclosed one ends the search (a regex retried it per `<!--`)."""
    spans: list[tuple[int, int, str]] = []
    position = 0
    while (start := text.find("<!--", position)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        spans.append((start, end + 3, ""))
        position = end + 3
    return spans


def _code_spans(text: str) -> list[tuple[int, int, str]]:
    """Spans of inline code: a backtick run closed by the next run of the same length in its paragraph."""
    runs = [match.span() for match in _BACKTICKS.finditer(text)]
    blank_lines = [match.start() for match in _BLANK_LINE.finditer(text)]
    # The next run of the same length after each run, found in one pass from the end.
    closer: list[int | None] = [None] * len(runs)
    last_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        start, end = runs[index]
        closer[index] = last_of_length.get(end - start)
        last_of_length[end - start] = index
    spans: list[tuple[int, int, str]] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        close = closer[index]
        paragraph_end = bisect.bisect_left(blank_lines, end)
        if close is not None and (paragraph_end == len(blank_lines) or runs[close][0] < blank_lines[paragraph_end]):
            spans.append((start, runs[close][1], ""))
            index = close + 1
        else:
            index += 1
    return spans


def _bracket_pairs(text: str) -> dict[int, int]:
    """Where each `[` that opens a bracket pair closes; an escaped `\\[` opens none.

    One pass for the whole text: looking for each bracket's partner on its own was quadratic.
    """
    pairs: dict[int, int] = {}
    opened: list[int] = []
    for match in _BRACKET.finditer(text):
        if match.group() == "[":
            opened.append(match.start())
        elif match.group() == "]" and opened:
            pairs[opened.pop()] = match.start()
    return pairs


def _destination(text: str, open_paren: int) -> tuple[str, int] | None:
    """Parse `(dest "title")` starting at the `(`; return (dest, index after the `)`)."""
    index = _SPACE.match(text, open_paren + 1).end()  # type: ignore[union-attr]
    if text.startswith("<", index):
        angle = _ANGLE_DESTINATION.match(text, index)
        if angle is None:
            return None
        destination, index = angle.group(1), angle.end()
    else:
        bare = _BARE_DESTINATION.match(text, index)
        destination, index = bare.group(), bare.end()  # type: ignore[union-attr]
    after = _SPACE.match(text, index).end()  # type: ignore[union-attr]
    if after > index and (title := _LINK_TITLE.match(text, after)):
        after = _SPACE.match(text, title.end()).end()  # type: ignore[union-attr]
    if not text.startswith(")", after):
        return None
    return destination, after + 1


def _links(text: str, definitions: dict[str, tuple[str, int]]) -> list[_Link]:
    links: list[_Link] = []
    pairs = _bracket_pairs(text)
    position = 0
    while (start := text.find("[", position)) >= 0:
        close = pairs.get(start)
        if close is None or close - start >= _MAX_LINK_TEXT:
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
        reference = _REFERENCE_LABEL.match(text, after)
        key = (reference.group(1) if reference and reference.group(1) else label).strip().lower()
        key = re.sub(r"\s+", " ", key)
        if key in definitions:
            end = reference.end() if reference else after
            links.append(_Link(start, end, label, definitions[key][0], is_image))
            position = end
            continue
        position = start + 1
    return links


_FOOTNOTE_DEF = re.compile(r"^\s{0,3}\[\^([^\]\s]+)\]:")


class _Footnotes:
    """The paragraph around a link, and for a link in a footnote (`[^1]: ...`) also the paragraphs that
    refer to that footnote: a quotation there is attributed to the footnote's source."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._refs: dict[str, str] | None = None

    def around(self, offset: int) -> str:
        paragraph = paragraph_around(self.text, offset)
        definition = _FOOTNOTE_DEF.match(paragraph)
        if definition is None:
            return paragraph
        return paragraph + "\n\n" + self._referring().get(definition.group(1), "")

    def _referring(self) -> dict[str, str]:
        if self._refs is None:
            refs: dict[str, list[str]] = {}
            for paragraph in self.text.split("\n\n"):
                if _FOOTNOTE_DEF.match(paragraph):
                    continue
                for key in re.findall(r"\[\^([^\]\s]+)\](?!:)", paragraph):
                    refs.setdefault(key, []).append(paragraph[:10_000])
            self._refs = {key: "\n\n".join(found[:5]) for key, found in refs.items()}
        return self._refs


def harvest_markdown(text: str, source: str, base_url: str | None = None) -> Article:
    """An article from Markdown: every link outside code, front matter title and date."""
    meta, body_start = front_matter(text)
    masked = _mask(text, 0, body_start) if body_start else text
    masked = _mask_code(masked)
    starts = line_starts_of(text)
    footnotes = _Footnotes(text)

    definitions: dict[str, tuple[str, int]] = {}
    spans: list[tuple[int, int, str]] = []
    for match in _REFERENCE_DEF.finditer(masked):
        key = re.sub(r"\s+", " ", match.group(1).strip().lower())
        definitions.setdefault(key, (match.group(2), match.start()))
        spans.append((match.start(), match.end(), ""))
    masked = _overlay(masked, spans)

    # Each kind of link below is harvested up to `enough`: the first MAX_CITATIONS overall are among them.
    enough = MAX_CITATIONS + 1
    found: list[tuple[int, Citation]] = []
    used: set[str] = set()
    images: list[tuple[int, int, str]] = []
    linked = 0
    for link in _links(masked, definitions):
        if link.is_image:
            images.append((link.start - 1, link.end, _link_text(link.text)))
            used.add(link.destination)  # its definition is an image source, not a cited one
            continue
        if link_scheme(link.destination) in IGNORED_SCHEMES or link.destination.startswith("#"):
            continue
        used.add(link.destination)
        if linked < enough:
            context = _link_text(link.text) or link.destination
            citation = make_citation(
                link.destination,
                context,
                line=line_of(starts, link.start),
                base_url=base_url,
                anchor=True,
                paragraph=footnotes.around(link.start),
            )
            found.append((link.start, citation))
            linked += 1
    masked = _overlay(masked, [(start, end, "") for start, end, _ in images])
    links = [(link.start, link.end, _link_text(link.text)) for link in _links(masked, definitions)]
    # Bare URLs are sought where links are blanked; contexts are read where links show their text.
    readable = _overlay(masked, links + images)
    masked = _overlay(masked, [(start, end, "") for start, end, _ in links])
    autolinks = list(_AUTOLINK.finditer(masked))
    readable = _overlay(readable, [(match.start(), match.end(), match.group(1)) for match in autolinks])
    for match in autolinks[:enough]:
        context = context_around(readable, match.start(), match.end())
        line, paragraph = line_of(starts, match.start()), footnotes.around(match.start())
        found.append((match.start(), make_citation(match.group(1), context, line=line, paragraph=paragraph)))
    masked = _overlay(masked, [(match.start(), match.end(), "") for match in autolinks])
    for url in find_urls(masked, limit=enough):
        context = context_around(readable, url.start, url.end)
        paragraph = footnotes.around(url.start)
        found.append(
            (url.start, make_citation(url.url, context, line=url.line, base_url=base_url, paragraph=paragraph))
        )
    # Defined but never referenced: still a cited source.
    unreferenced = [(key, offset) for key, (destination, offset) in definitions.items() if destination not in used]
    for key, offset in unreferenced[:enough]:
        line = line_of(starts, offset)
        found.append((offset, make_citation(definitions[key][0], collapse(key), line=line, base_url=base_url)))
    citations, cut_reason = cap_citations([citation for _, citation in sorted(found, key=lambda item: item[0])])

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
        citations=citations,
        url=base_url,
        cut_reason=cut_reason,
    )


def _link_text(label: str) -> str:
    """A link's label as read: nested images and links show their text, emphasis marks dropped."""
    return collapse(_EMPHASIS.sub("", _NESTED_LINK.sub(r"\1", label[:_LABEL_READ])))


def _heading(text: str) -> str | None:
    for match in re.finditer(r"^ {0,3}#{1,2}[ \t]+(.+?)[ \t#]*$|^(\S.*)\n=+[ \t]*$", text, re.M):
        heading = match.group(1) or match.group(2)
        return collapse(_EMPHASIS.sub("", heading), 300)
    return None
