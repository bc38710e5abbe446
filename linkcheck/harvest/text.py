"""Plain text (including text extracted from PDFs): bare URLs, wrapped URLs, date line, title."""

from __future__ import annotations

import re
from dataclasses import dataclass

from linkcheck.dates import date_from_text, parse_date
from linkcheck.harvest.common import (
    MAX_CITATIONS,
    cap_citations,
    line_of,
    line_starts_of,
    make_citation,
    paragraph_around,
    url_date_fallback,
)
from linkcheck.models import Article, Citation

# Control characters end a URL as whitespace does (PDF text often carries stray ones).
_URL_CHARS = r"""[^\s<>"`«»“”„‘’\\^|\x00-\x1f\x7f-\x9f\ud800-\udfff]"""
_URL_START = re.compile(rf"(?:(?<![\w@.])(?:https?|ftp)://|(?<![\w@./:-])www\.){_URL_CHARS}*", re.I)
_TOKEN = re.compile(rf"^{_URL_CHARS}+$")
_TRAILING = ".,;:!?'\"*…"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
# A URL that ends a line with one of these was almost certainly cut there: no URL ends so.
_HANGING = "-_=&?%~+#@"
_URL_MARKS = re.compile(r"[/?=&%_#]|\.[a-z0-9]|[a-z0-9]-[a-z0-9]|\d", re.I)
# Marks prose words do not carry; enough on their own to continue a URL cut after a `/`.
_PATH_MARKS = re.compile(r"[/?=&%_#~]|\.(?:s?html?|php|aspx?|jsp|pdf|xml|json)\b", re.I)
_LINE_REST = re.compile(r"[ \t\r]*\n")
# A byline ends a title block: "By the linkcheck editorial desk", "Автор: ...".
_BYLINE = re.compile(r"^(?:by|written by|posted by|authors?:|автор[ыа]?:?|текст:)\s", re.I)
_SCHEME_ONLY = re.compile(r"^(?:https?|ftp)://$", re.I)
CONTEXT_LIMIT = 200
# How far around a URL its context is looked for: keeps harvesting linear in the text's size
# (PDF text often has no blank lines, so a "paragraph" can be the whole document).
_CONTEXT_WINDOW = 600


@dataclass(frozen=True)
class FoundURL:
    """A URL found in text: its (rejoined, trimmed) text, span of its first part, line."""

    url: str
    start: int
    end: int  # end of the last piece in the source text
    line: int


def trim_url(candidate: str) -> str:
    """Drop trailing punctuation and unbalanced closing brackets; keep balanced ones."""
    # Closers in excess of their openers, counted once: recounting per trimmed character was quadratic.
    excess = {closer: candidate.count(closer) - candidate.count(opener) for closer, opener in _CLOSERS.items()}
    end = len(candidate)
    while end:
        last = candidate[end - 1]
        if last in _CLOSERS and excess[last] > 0:
            excess[last] -= 1
        elif last not in _TRAILING:
            break
        end -= 1
    return candidate[:end]


def find_urls(text: str, limit: int | None = None) -> list[FoundURL]:
    """Every bare URL in text (the first `limit` of them), wrapped URLs rejoined where the evidence is clear."""
    found: list[FoundURL] = []
    line_starts = line_starts_of(text)
    position = 0
    while (limit is None or len(found) < limit) and (match := _URL_START.search(text, position)):
        raw, end = match.group(0), match.end()
        while (joined := _continuation(text, raw, end)) is not None:
            piece, end = joined
            raw += piece
        url = trim_url(raw)
        end -= len(raw) - len(url)  # trimmed punctuation belongs to the sentence, not the URL
        if len(url) > len("https://") or url.lower().startswith("www."):
            found.append(FoundURL(url, match.start(), end, line_of(line_starts, match.start())))
        position = max(end, match.start() + 1)
    return found


def _continuation(text: str, raw: str, end: int) -> tuple[str, int] | None:
    """The next line's first token and where it ends, if it continues a URL cut at `end`."""
    rest = _LINE_REST.match(text, end)
    if rest is None:
        return None  # the URL does not end its line
    line_end = rest.end() - 1
    next_end = text.find("\n", line_end + 1)
    next_end = len(text) if next_end < 0 else next_end
    next_line = text[line_end + 1 : next_end]
    stripped = next_line.lstrip()
    if not stripped:
        return None
    token = stripped.split(None, 1)[0]
    if not _TOKEN.match(token) or _URL_START.match(token) and not _SCHEME_ONLY.match(raw):
        return None
    token_start = line_end + 1 + (len(next_line) - len(stripped))
    token_end = token_start + len(token)
    alone = not next_line[len(next_line) - len(stripped) + len(token) :].strip()
    if _joins(raw, token, alone):
        return token, token_end
    return None


def _joins(raw: str, token: str, alone: bool) -> bool:
    """Whether `token` (first word of the next line) continues the URL `raw`."""
    if _SCHEME_ONLY.match(raw):
        return True
    first = token[0]
    lower_start = first.islower() or first.isdigit() or not first.isalnum()
    urlish = bool(_URL_MARKS.search(token))
    last = raw[-1]
    if last == "?":  # ends many a question: only a query string continues it
        return bool(re.search(r"[=&]", token))
    if last in _HANGING:
        return lower_start or urlish
    if last == "/":  # a complete URL often ends so: prose words ("online", "well-known") never continue it
        return bool(_PATH_MARKS.search(token)) or lower_start and alone and urlish
    if last == ".":
        return lower_start and (urlish or alone) and not token.rstrip(_TRAILING) == ""
    # Cut after a letter or digit: only a token that is plainly the rest of a URL.
    return lower_start and alone and bool(re.search(r"[/?=&%_]", token))


def dehyphenate(text: str) -> str:
    """Join lines of prose, undoing end-of-line hyphenation ("mili-\\ntary" -> "military")."""
    text = re.sub(r"(?<=[^\W\d_])-\n[ \t]*(?=[a-zа-яё])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def context_around(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end] without the URL itself, at most CONTEXT_LIMIT chars.

    A URL alone on its line takes the sentence before it (a "Related article: <headline>" line).
    """
    para_start = _paragraph_start(text, start)
    para_end = _paragraph_end(text, end)
    before = dehyphenate(text[para_start:start])
    after = dehyphenate(text[end:para_end])
    sentence_before = re.split(r"(?<=[.!?])\s+(?=\S)", before)[-1] if before else ""
    sentence_after = re.split(r"(?<=[.!?])\s", after)[0] if after else ""
    # A URL closing its line before a capitalised line ended its sentence (PDF text has no blank lines).
    if _URL_START.search(sentence_after) or re.match(r"[ \t\r]*\n\s*[A-ZА-ЯЁ]", text[end:para_end]):
        sentence_after = ""
    context = _tidy(f"{sentence_before} {sentence_after}")
    if len(re.findall(r"\w", context)) < 3:
        context = _previous_paragraph(text, para_start)
    if len(context) > CONTEXT_LIMIT:
        context = context[: CONTEXT_LIMIT - 1].rstrip() + "…"
    return context


def _tidy(context: str) -> str:
    context = re.sub(r"\(\s*\)|\[\s*\]", "", context)
    context = re.sub(r"\s+", " ", context).strip()
    context = re.sub(r" (?=[.,;:!?](?:\s|$))", "", context)  # "see <url>." leaves "see ."
    return context.rstrip(" :-–—(")


def _paragraph_start(text: str, offset: int) -> int:
    """Start of the paragraph holding `offset`, looking back at most _CONTEXT_WINDOW characters."""
    window = max(0, offset - _CONTEXT_WINDOW)
    breaks = list(re.finditer(r"\n[ \t]*\n", text[window:offset]))
    return window + breaks[-1].end() if breaks else window


def _paragraph_end(text: str, offset: int) -> int:
    """End of the paragraph holding `offset`, looking ahead at most _CONTEXT_WINDOW characters."""
    window = text[offset : offset + _CONTEXT_WINDOW]
    match = re.search(r"\n[ \t]*\n", window)
    return offset + (match.start() if match else len(window))


def _previous_paragraph(text: str, para_start: int) -> str:
    if para_start == 0:
        return ""
    head = text[max(0, para_start - _CONTEXT_WINDOW) : para_start].rstrip()
    start = _paragraph_start(head, len(head))
    paragraph = dehyphenate(head[start:])
    if _URL_START.search(paragraph):
        paragraph = _URL_START.sub("", paragraph)
    return _tidy(paragraph)


def title_from_text(text: str) -> str | None:
    """The first block of short lines, joined: a title that PDF extraction broke over lines."""
    lines: list[str] = []
    for line in text.splitlines()[:20]:
        stripped = line.strip()
        if not stripped:
            if lines:
                break
            continue
        if _URL_START.search(stripped) or parse_date(stripped) or lines and _BYLINE.match(stripped):
            break
        lines.append(line)
        if len(lines) == 3:
            break
    if not lines:
        return None
    title = dehyphenate("\n".join(lines))
    if len(title) > 250:
        title = dehyphenate(lines[0])
    return title or None


def harvest_text(text: str, source: str, base_url: str | None = None) -> Article:
    """An article from plain text: its title, date line, and every bare URL (the first MAX_CITATIONS)."""
    citations: list[Citation] = []
    for found in find_urls(text, limit=MAX_CITATIONS + 1):
        context = context_around(text, found.start, found.end)
        paragraph = paragraph_around(text, found.start)
        citations.append(make_citation(found.url, context, line=found.line, paragraph=paragraph))
    kept, cut_reason = cap_citations(citations)
    published = date_from_text(text)
    published_from = "text" if published else None
    if published is None and base_url:
        published, published_from = url_date_fallback(base_url)
    return Article(
        source=source,
        title=title_from_text(text),
        published=published,
        published_from=published_from,
        citations=kept,
        url=base_url,
        cut_reason=cut_reason,
    )
