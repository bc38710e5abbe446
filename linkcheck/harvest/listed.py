"""URLs listed after an article's text: which sentence of the text each one belongs to.

An article may cite its sources as a bare list of URLs below the text ("Sources:", footnotes, or
just a paragraph break). The sentence a reader would match each URL to is taken as its context
when the text says so clearly: the site's name ("according to the Kommersant business daily"),
its publisher ("the Russian Defense Ministry announced"), or a title or heading whose words are the
URL's slug ("Related article: Russia Holds Military Drills…"). Otherwise the URL gets the text just
before the list, never a neighbouring URL.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# A line holding only a URL, after an optional list or footnote marker.
_MARKER = re.compile(r"^\s*(?:[-*+•·–—]|\[?\(?\w{1,4}[.)\]]|\d{1,3}|[¹²³⁰-⁹]+)?\s*$")
# How much text before a list is searched for the sentences its URLs belong to, and in all.
_WINDOW = 6000
_AROUND = 200
_BUDGET = 2_000_000
_WORD = re.compile(r"[^\W\d_]+", re.U)
# Words of a host name or slug that name nothing: "www", "news", "article"...
_GENERIC = frozenset(
    "www m mobile amp en ru de fr es it uk com co org net gov edu ac info news online daily media tv web site"
    " official the html htm php aspx article articles story stories doc docs page pages index post posts".split()
)
_STOPWORDS = frozenset(
    "the a an of in on at to for and or but with from by as is was are were be that this it its into over after"
    " before amid about says said new".split()
)
# Publishers a host's generic label stands for (function.mil.ru is the Defence Ministry's).
_PUBLISHERS = {
    "mil": re.compile(
        r"defen[cs]e ministry|ministry of defen[cs]e|department of defense|defen[cs]e department|pentagon"
        r"|минобороны|министерств\w* обороны|міноборони|міністерств\w* оборони|verteidigungsminister",
        re.I,
    ),
    "gov": re.compile(
        r"government|ministry|department|agency|минист|міністер|regierung|ministerium|gouvernement", re.I
    ),
}
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i i e g".split(),
        strict=True,
    )
)


@dataclass(frozen=True)
class Listed:
    """A URL standing alone on its line in a run of such lines: where it is, and its text."""

    index: int  # its position among the document's found URLs
    url: str
    start: int


def listed_contexts(text: str, urls: Sequence[tuple[str, int, int]], tidy: Callable[[str], str]) -> dict[int, str]:
    """Contexts for the URLs of `urls` ((url, start, end) in `text`) that stand in a list of two or more,
    by their index in `urls`; URLs not in such a list are left out."""
    contexts: dict[int, str] = {}
    budget = _BUDGET
    for run in _runs(text, urls):
        window_start = max(0, run[0].start - _WINDOW)
        budget -= run[0].start - window_start
        if budget < 0:
            break
        before = text[window_start : text.rfind("\n", 0, run[0].start) + 1]  # not the list's own marker
        sentences = _sentences(before, tidy)
        if window_start == 0 and sentences and sentences[0].heading:
            sentences = sentences[1:]  # the article's own title names the article, not a source
        lead = _lead(sentences)
        for item in run:
            chosen = _referring_sentence(item.url, sentences)
            if chosen is not None:
                contexts[item.index] = chosen
            elif lead:
                contexts[item.index] = lead
    return contexts


def _runs(text: str, urls: Sequence[tuple[str, int, int]]) -> list[list[Listed]]:
    """Runs of two or more URLs each alone on its line (blank lines between them allowed)."""
    runs: list[list[Listed]] = []
    current: list[Listed] = []
    previous_end = -1
    for index, (url, start, end) in enumerate(urls):
        # Only a short stretch either side is read: a URL alone on its line has little around it, and
        # searching a megabyte-long line for its end once per URL was quadratic.
        line_start = text.rfind("\n", max(0, start - _AROUND), start) + 1
        line_end = text.find("\n", end, end + _AROUND)
        if line_end < 0:
            line_end = len(text) if len(text) - end <= _AROUND else end + _AROUND
        alone = (
            (line_start > 0 or start <= _AROUND)
            and bool(_MARKER.match(text[line_start:start]))
            and not text[end:line_end].strip(" \t\r.,;")
        )
        between = text[previous_end:line_start] if previous_end >= 0 else "x"
        if alone and current and not between.strip():
            current.append(Listed(index, url, start))
        else:
            if len(current) >= 2:
                runs.append(current)
            current = [Listed(index, url, start)] if alone else []
        previous_end = line_end
    if len(current) >= 2:
        runs.append(current)
    return runs


@dataclass(frozen=True)
class _Sentence:
    text: str
    words: frozenset[str]  # lowercase words, Cyrillic also transliterated
    sequence: tuple[str, ...]  # the words in order, as written
    heading: bool  # a short line of its own: a title, a heading, a "Related article:" line
    initials: tuple[str, ...]  # the first letter of each word of `sequence` in Latin letters ("" for none)


def _sentences(before: str, tidy: Callable[[str], str]) -> list[_Sentence]:
    """The sentences and heading lines of the text before a list, in order."""
    out: list[_Sentence] = []
    for paragraph in re.split(r"\n[ \t]*\n", before):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if not lines or any("://" in line or line.lower().startswith("www.") for line in lines):
            continue
        if len(lines) == 1 and len(lines[0]) <= 100 and not lines[0].endswith((".", "!", "?")):
            out.append(_sentence(tidy(lines[0]), heading=True))
            continue
        if len(lines[0]) <= 60 and not lines[0].endswith((".", "!", "?", ",", ":")) and len(lines) > 1:
            # A heading above its paragraph ("Port strikes" / "Dock workers stopped work...").
            heading, lines = lines[0], lines[1:]
            first = re.split(r"(?<=[.!?])\s+", tidy(" ".join(lines)))[0]
            out.append(_sentence(f"{tidy(heading)}: {first}", heading=True))
        joined = tidy(re.sub(r"(?<=[^\W\d_])-\s*\n?\s*(?=[a-zа-яё])", "", " ".join(lines)))
        out.extend(_sentence(part, heading=False) for part in re.split(r"(?<=[.!?])\s+(?=\S)", joined) if part)
    return out


def _sentence(text: str, heading: bool) -> _Sentence:
    sequence = tuple(_WORD.findall(text))
    words = {word.lower() for word in sequence}
    words |= {_latin(word) for word in words}
    return _Sentence(text, frozenset(words), sequence, heading, tuple(_latin(word)[:1] for word in sequence))


@functools.lru_cache(maxsize=65536)  # the same words come back in every list's window
def _latin(word: str) -> str:
    return "".join(_CYRILLIC.get(char, char) for char in word.lower()).replace("-", "")


def _lead(sentences: list[_Sentence]) -> str:
    """What the list follows: its label ("Sources:") is no context, the last sentence before it is."""
    for sentence in reversed(sentences):
        if len(sentence.words) >= 3:
            return sentence.text
    return ""


def _referring_sentence(url: str, sentences: list[_Sentence]) -> str | None:
    """The one sentence that names the URL's site or publisher, or whose words are its slug."""
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    names = [label for label in host.split(".")[:-1] if label not in _GENERIC and len(label) >= 2]
    slug = {word.lower() for word in _WORD.findall(unquote(parts.path)) if len(word) >= 3} - _GENERIC - _STOPWORDS
    scored: list[tuple[int, int, str]] = []
    for position, sentence in enumerate(sentences):
        score = 0
        if any(_names_site(label, sentence) for label in names if label not in _PUBLISHERS):
            score = 3
        elif any(label in _PUBLISHERS and _PUBLISHERS[label].search(sentence.text) for label in host.split(".")):
            score = 2
        if slug:
            title_words = {word for word in sentence.words if len(word) >= 3} - _STOPWORDS
            shared = slug & title_words
            if sentence.heading and title_words and len(shared) >= max(2, (len(title_words) + 1) // 2):
                score = max(score, 3)
            elif len(shared) >= 3:
                score = max(score, 1)
        if score:
            scored.append((score, position, sentence.text))
    if not scored:
        return None
    best = max(score for score, _, _ in scored)
    chosen = {text for score, _, text in scored if score == best}
    return chosen.pop() if len(chosen) == 1 else None


def _names_site(label: str, sentence: _Sentence) -> bool:
    """Whether a sentence names the site of a host label: "kommersant" in "the Kommersant daily",
    "Коммерсантъ", "themoscowtimes" as "The Moscow Times", "nytimes" as "New York Times", "who" as
    "World Health Organization", "apnews" as "Associated Press"."""
    pieces = [piece for piece in label.split("-") if piece]
    if len(label) >= 3 and (
        label in sentence.words or all(piece in sentence.words for piece in pieces if len(piece) >= 3)
    ):
        return len(pieces) == 1 or all(piece in sentence.words or piece in _GENERIC for piece in pieces)
    stripped = label
    for generic in ("news", "online", "daily", "media", "the"):
        if stripped.endswith(generic) and len(stripped) > len(generic) + 1:
            stripped = stripped[: -len(generic)]
        if stripped.startswith(generic) and len(stripped) > len(generic) + 1 and generic == "the":
            stripped = stripped[len(generic) :]
    # A spelling starts with a word whose first letter is the label's: only those starts are tried.
    return any(
        _spells(stripped, sentence.sequence, start)
        for start, initial in enumerate(sentence.initials)
        if initial == stripped[0]
    )


def _spells(label: str, written: Sequence[str], start: int) -> bool:
    """Whether consecutive words from `start` spell `label`, each word whole or by the first letter of a
    capitalised word, with at least one whole word of three letters or more, or two initials or more
    and nothing else (an acronym: "who" is the World Health Organization)."""
    position = 0
    whole = False
    index = start
    initials = 0
    while position < len(label) and index < len(written):
        word = _latin(written[index])
        if len(word) >= 3 and label.startswith(word, position):
            position += len(word)
            whole = True
        elif word and label[position] == word[0] and written[index][:1].isupper():
            position += 1
            initials += 1
        else:
            return False
        index += 1
    return position == len(label) and (whole or initials >= 2 and len(label) == initials)
