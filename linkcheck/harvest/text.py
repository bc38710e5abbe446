"""Plain text (including text extracted from PDFs): bare URLs, wrapped URLs, date line, title."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import deque
from dataclasses import dataclass

from linkcheck.dates import date_from_text, parse_date
from linkcheck.harvest.common import (
    MAX_CITATIONS,
    cap_citations,
    make_citation,
    normalized_url,
    paragraph_around,
    url_date_fallback,
)
from linkcheck.harvest.footnotes import note_paragraphs
from linkcheck.harvest.listed import listed_contexts
from linkcheck.models import Article, Citation
from linkcheck.urls import InvalidURL


def _unicode_stops() -> str:
    """A regex class body of the non-ASCII characters that end a URL in running text.

    Punctuation, separators, format and control characters, and mathematical and modifier
    symbols are never part of a URL written in running text, whatever the script: `。`, `、`,
    `，`, `「`, `｜` (U+FF5C), `—`, a zero-width space, a no-break space, `،`. Superscript digits
    are footnote marks ("…/report¹"). Letters, digits and other symbols stay, so
    `https://zh.wikipedia.org/wiki/北京` is one URL. Only the blocks that hold such characters
    are scanned, which keeps the cost at import to a few milliseconds.
    """
    blocks = [(0x80, 0x2E7F), (0x3000, 0x303F), (0xFE00, 0xFFFF)]
    stops = [
        code
        for first, last in blocks
        for code in range(first, last + 1)
        if unicodedata.category(chr(code))[0] in "PZ" or unicodedata.category(chr(code)) in ("Cc", "Cf", "Sm", "Sk")
    ]
    stops += [0xB2, 0xB3, 0xB9, *range(0x2070, 0x207A)]  # superscript digits
    ranges: list[tuple[int, int]] = []
    for code in sorted(set(stops)):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    pieces = [re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges]
    return "".join(pieces) + "\ud800-\udfff"


# ASCII whitespace, quotes and brackets that never belong to a URL, control characters (PDF text often
# carries stray ones) and the Unicode punctuation above end a URL. A dash between two digits is kept
# (`…/wiki/2021–22_season`).
_URL_CHARS = rf"""(?:[^\s<>"`\\^|\x00-\x1f\x7f{_unicode_stops()}]|(?<=\d)[\u2010-\u2015](?=\d))"""
# A URL starts after anything but an ASCII letter, digit, `@` or `.`: Chinese or Japanese text runs
# straight into a URL with no space ("详见https://…").
_URL_START = re.compile(rf"(?:(?<![A-Za-z0-9_@.])(?:https?|ftp)://|(?<![A-Za-z0-9_@./:-])www\.){_URL_CHARS}*", re.I)
_TOKEN = re.compile(rf"^{_URL_CHARS}+$")
_TRAILING = ".,;:!?'\"*…"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_OPENERS = {opener: closer for closer, opener in _CLOSERS.items()}
# A URL that ends a line with one of these was almost certainly cut there: no URL ends so.
_HANGING = "-_=&?%~+#@"
_URL_MARKS = re.compile(r"[/?=&%_#]|\.[a-z0-9]|[a-z0-9]-[a-z0-9]|\d", re.I)
# Marks prose words do not carry; enough on their own to continue a URL cut after a `/`.
_PATH_MARKS = re.compile(r"[/?=&%_#~]|\.(?:s?html?|php|aspx?|jsp|pdf|xml|json)\b", re.I)
_LINE_REST = re.compile(r"[ \t\r]*\n")
# A line that starts a list item or a footnote, or another URL, is never the rest of a URL cut at the
# line before: "- item", "• item", "3. Last", "1) First", "iv. Fourth", "(b) second", "[3] Note",
# "12 Ibid.", "² https://…", "slack://…", "mailto:…", "test@foo.example.org".
_STARTS_ITEM = re.compile(
    r"""^(?:[-*+•·‣◦▪▫●○■□–—](?:\s|$)
        |\d{1,3}[.)](?:\s|$)
        |(?:[a-z]|[ivxlcdm]{1,6})[.)](?:\s|$)
        |\(\w{1,5}\)
        |\[\w{1,5}\]
        |[¹²³⁰-⁹]
        |\d{1,3}\s
        |[a-z][a-z0-9+.-]*://
        |(?:mailto|tel|sms|urn|news|data|javascript):
        |[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?:\s|$)
    )""",
    re.I | re.X,
)
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
    """Drop trailing punctuation and unbalanced closing brackets; keep balanced brackets and quotes.

    `…/Foo_(bar)` and `…/'quoted'` keep their last character; `…/a).` and `'…/a'` lose theirs.
    """
    # Closers in excess of their openers, counted once: recounting per trimmed character was quadratic.
    excess = {closer: candidate.count(closer) - candidate.count(opener) for closer, opener in _CLOSERS.items()}
    quotes = candidate.count("'")
    end = len(candidate)
    while end:
        last = candidate[end - 1]
        if last in _CLOSERS and excess[last] > 0:
            excess[last] -= 1
        elif last == "'" and quotes % 2 == 0:
            break  # it closes a quote opened inside the URL
        elif last not in _TRAILING:
            break
        quotes -= last == "'"
        end -= 1
    return candidate[:end]


_BRACKET = re.compile(r"[()\[\]{}]")


class _Brackets:
    """Where the first closing bracket without its opener stands in a URL read piece by piece.

    A URL in text holds its brackets in pairs (`…/ms535874(v=vs.85).aspx`); a stray `]` or `)`
    closes something around it: `[[https://a.example/x]][[https://b.example/y]]` is two URLs.
    Each piece is read once, so a URL wrapped over thousands of lines costs one pass.
    """

    def __init__(self) -> None:
        self.depth = dict.fromkeys(_OPENERS, 0)
        self.read = 0
        self.stray: int | None = None

    def add(self, piece: str) -> None:
        if self.stray is None:
            for bracket in _BRACKET.finditer(piece):
                char = bracket.group()
                if char in _OPENERS:
                    self.depth[char] += 1
                    continue
                opener = _CLOSERS[char]
                if self.depth[opener] == 0:
                    self.stray = self.read + bracket.start()
                    break
                self.depth[opener] -= 1
        self.read += len(piece)


def _holds_url(text: str) -> bool:
    """Whether a URL starts somewhere in text; the pattern (its lookbehinds tried at every position) only
    where the `://` or `www.` every match holds is there."""
    return ("://" in text or "www." in text.lower()) and _URL_START.search(text) is not None


def is_url_host_valid(url: str) -> bool:
    """Whether a URL parser accepts the host and port of a bare URL (`http://.example.com` it does not)."""
    if url[:4].lower() == "www.":
        url = "http://" + url
    try:
        normalized_url(url if not url[:4].lower() == "ftp:" else "http:" + url[4:])
    except (InvalidURL, ValueError):
        return False
    return True


class _UrlStarts:
    """The matches of _URL_START in order, tried only where one can begin.

    Every match holds `://` three to five characters after its start, or starts with `www.` in any
    case: those are found with str.find, which is many times faster than letting the pattern (its
    lookbehinds and case folding) search every position of a long text. Where the pattern is tried,
    it is the same pattern, so the matches are the ones a search finds.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        starts: set[int] = set()
        at = text.find("://")
        while at >= 0:
            starts.update(range(max(0, at - 5), at - 2))
            at = text.find("://", at + 1)
        for mark in ("ww.", "wW.", "Ww.", "WW."):
            at = text.find(mark, 1)
            while at >= 0:
                if text[at - 1] in "wW":
                    starts.add(at - 1)
                at = text.find(mark, at + 1)
        self._starts = sorted(starts)
        self._next = 0

    def search(self, position: int) -> re.Match[str] | None:
        """The first match that starts at or after `position` (positions only grow from call to call)."""
        starts = self._starts
        index = bisect.bisect_left(starts, position, self._next)
        while index < len(starts):
            match = _URL_START.match(self._text, starts[index])
            if match:
                self._next = index
                return match
            index += 1
        self._next = index
        return None


def find_urls(text: str, limit: int | None = None) -> list[FoundURL]:
    """Every bare URL in text (the first `limit` of them), wrapped URLs rejoined where the evidence is clear.

    A candidate whose host a URL parser refuses (`http://##`, `www.example..com`) is no URL.
    """
    found: list[FoundURL] = []
    line, counted = 1, 0  # the line number of offset `counted`: offsets only grow
    position = 0
    starts = _UrlStarts(text)
    while (limit is None or len(found) < limit) and (match := starts.search(position)):
        # Pieces of the URL as (offset in text, text): one per line it was wrapped over.
        pieces = [(match.start(), match.group(0))]
        brackets = _Brackets()
        brackets.add(match.group(0))
        end, last = match.end(), match.group(0)
        while brackets.stray is None and (joined := _continuation(text, last, end)) is not None:
            last, end = joined
            pieces.append((end - len(last), last))
            brackets.add(last)
        raw = "".join(piece for _, piece in pieces)
        url = trim_url(raw if brackets.stray is None else raw[: brackets.stray])
        end = _source_offset(pieces, len(url))  # what was cut or trimmed belongs to the sentence
        if (len(url) > len("https://") or url.lower().startswith("www.")) and is_url_host_valid(url):
            line += text.count("\n", counted, match.start())
            counted = match.start()
            found.append(FoundURL(url, match.start(), end, line))
        position = max(end, match.start() + 1)
    return found


def _source_offset(pieces: list[tuple[int, str]], length: int) -> int:
    """The offset in the text just after the first `length` characters of the joined pieces."""
    for start, piece in pieces:
        if length <= len(piece):
            return start + length
        length -= len(piece)
    start, piece = pieces[-1]
    return start + len(piece)


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
    if _SCHEME_ONLY.match(raw):
        if not _TOKEN.match(token):
            return None
    elif not _TOKEN.match(token) or _URL_START.match(token) or _starts_item(stripped, raw):
        return None
    token_start = line_end + 1 + (len(next_line) - len(stripped))
    token_end = token_start + len(token)
    alone = not next_line[len(next_line) - len(stripped) + len(token) :].strip()
    if _joins(raw, token, alone):
        return token, token_end
    return None


def _starts_item(line: str, raw: str) -> bool:
    """Whether a line starts a list item, a footnote or another URL, so it cannot continue `raw`.

    After a URL cut at a hyphen, `=`, `&` or `?`, digits are the rest of it ("…?id=\n12376355@egNews").
    """
    if raw[-1] in _HANGING and line[:1].isdigit():
        return False
    return bool(_STARTS_ITEM.match(line))


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


_HYPHENATED = re.compile(r"(?<=[^\W\d_])-\n[ \t]*(?=[a-zа-яё])")
_CAPITAL_LINE = re.compile(r"[ \t\r]*\n\s*[A-ZА-ЯЁ]")
_THREE_WORD_CHARS = re.compile(r"\w\W*\w\W*\w")
_SENTENCE_ENDS = ".!?"


def dehyphenate(text: str) -> str:
    """Join lines of prose, undoing end-of-line hyphenation ("mili-\\ntary" -> "military")."""
    if "-\n" in text:
        text = _HYPHENATED.sub("", text)
    return " ".join(text.split())  # str.split's whitespace is the \s of a str pattern


def _last_sentence(raw: str) -> str:
    """The last sentence of raw text, dehyphenated: what follows its last `.`, `!` or `?` that
    whitespace and then more text follow (as splitting the dehyphenated whole would give, without
    dehyphenating the rest)."""
    end = len(raw)
    at = end
    while at > 0:
        at = max(raw.rfind(".", 0, at), raw.rfind("!", 0, at), raw.rfind("?", 0, at))
        if at < 0:
            break
        following = at + 1
        while following < end and raw[following].isspace():
            following += 1
        if following > at + 1 and following < end:
            return dehyphenate(raw[following:])
    return dehyphenate(raw)


def _first_sentence(raw: str) -> str:
    """The first sentence of raw text, dehyphenated: up to its first `.`, `!` or `?` that whitespace
    and then more text follow (as splitting the dehyphenated whole would give, without dehyphenating
    the rest)."""
    end = len(raw)
    next_at = {mark: raw.find(mark) for mark in _SENTENCE_ENDS}
    while True:
        found = [at for at in next_at.values() if at >= 0]
        if not found:
            return dehyphenate(raw)
        at = min(found)
        if at + 1 < end and raw[at + 1].isspace():
            return dehyphenate(raw) if raw[at + 1 :].isspace() else dehyphenate(raw[: at + 1])
        next_at[raw[at]] = raw.find(raw[at], at + 1)


def context_around(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end] without the URL itself, at most CONTEXT_LIMIT chars.

    A URL alone on its line takes the sentence before it (a "Related article: <headline>" line).
    """
    para_start = _paragraph_start(text, start)
    para_end = _paragraph_end(text, end)
    sentence_before = _last_sentence(text[para_start:start])
    # A URL closing its line before a capitalised line ended its sentence (PDF text has no blank lines).
    sentence_after = "" if _CAPITAL_LINE.match(text, end, para_end) else _first_sentence(text[end:para_end])
    if _holds_url(sentence_after):
        sentence_after = ""
    context = tidy(f"{sentence_before} {sentence_after}")
    if not _THREE_WORD_CHARS.search(context):
        context = _previous_paragraph(text, para_start)
    if len(context) > CONTEXT_LIMIT:
        context = context[: CONTEXT_LIMIT - 1].rstrip() + "…"
    return context


def _cut(context: str) -> str:
    return context if len(context) <= CONTEXT_LIMIT else context[: CONTEXT_LIMIT - 1].rstrip() + "…"


def sentence_before(text: str, offset: int) -> str:
    """The sentence that ends at `offset` (where a footnote mark follows it), at most CONTEXT_LIMIT chars."""
    before = dehyphenate(text[_paragraph_start(text, offset) : offset])
    sentence = tidy(re.split(r"(?<=[.!?])\s+(?=\S)", before)[-1] if before else "")
    return sentence if len(sentence) <= CONTEXT_LIMIT else sentence[: CONTEXT_LIMIT - 1].rstrip() + "…"


_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_SPACE_BEFORE_MARK = re.compile(r" (?=[.,;:!?](?:\s|$))")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def tidy(context: str) -> str:
    """A context cleaned: empty brackets, doubled spaces and trailing colons or dashes dropped."""
    if "(" in context or "[" in context:
        context = _EMPTY_BRACKETS.sub("", context)
    context = " ".join(context.split())
    context = _SPACE_BEFORE_MARK.sub("", context)  # "see <url>." leaves "see ."
    return context.rstrip(" :-–—(")


def _paragraph_start(text: str, offset: int) -> int:
    """Start of the paragraph holding `offset`, looking back at most _CONTEXT_WINDOW characters."""
    window = max(0, offset - _CONTEXT_WINDOW)
    last = deque(_PARAGRAPH_BREAK.finditer(text, window, offset), maxlen=1)
    return last[0].end() if last else window


def _paragraph_end(text: str, offset: int) -> int:
    """End of the paragraph holding `offset`, looking ahead at most _CONTEXT_WINDOW characters."""
    limit = min(len(text), offset + _CONTEXT_WINDOW)
    match = _PARAGRAPH_BREAK.search(text, offset, limit)
    return match.start() if match else limit


def _previous_paragraph(text: str, para_start: int) -> str:
    if para_start == 0:
        return ""
    head = text[max(0, para_start - _CONTEXT_WINDOW) : para_start].rstrip()
    start = _paragraph_start(head, len(head))
    paragraph = dehyphenate(head[start:])
    if _holds_url(paragraph):
        paragraph = _URL_START.sub("", paragraph)
    return tidy(paragraph)


def title_from_text(text: str) -> str | None:
    """The first block of short lines, joined: a title that PDF extraction broke over lines."""
    lines: list[str] = []
    first = text[:65536].splitlines()  # not the whole text: 21 lines in the prefix make its first 20 whole
    for line in (first if len(first) > 20 else text.splitlines())[:20]:
        stripped = line.strip()
        if not stripped:
            if lines:
                break
            continue
        if _holds_url(stripped) or parse_date(stripped) or lines and _BYLINE.match(stripped):
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
    urls = find_urls(text, limit=MAX_CITATIONS + 1)
    listed = listed_contexts(text, [(found.url, found.start, found.end) for found in urls], tidy)
    # A URL in a numbered note takes the quotations of the note and of the text that refers to it.
    notes = note_paragraphs(text, [found.start for found in urls])
    for index, found in enumerate(urls):
        context = listed.get(index) or context_around(text, found.start, found.end)
        paragraph = "\n\n".join(notes[index]) if index in notes else paragraph_around(text, found.start)
        citations.append(make_citation(found.url, _cut(context), line=found.line, paragraph=paragraph))
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
