"""Shared by the harvesters: turning a link as written into a Citation."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

from linkcheck.models import Citation
from linkcheck.quotes import quotes_in
from linkcheck.urls import InvalidURL, dates_in_url, normalize_url

# Citations kept per document: no article cites more, and every one is fetched and reported later.
MAX_CITATIONS = 10_000
# Shown as `skipped` (they are citations of a kind, just not fetchable).
SKIPPED_SCHEMES = ("mailto", "tel", "ftp", "sms", "news", "irc", "file")
# Not citations at all: script and inline data.
IGNORED_SCHEMES = ("javascript", "data", "about", "blob", "vbscript")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Browsers drop tabs and newlines anywhere in a URL (WHATWG URL standard), so an href wrapped over
# lines is one URL; any other control character, or half a surrogate pair, makes it unusable.
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


# Every quotation quotes_in finds opens with one of these: a paragraph without them holds none.
_QUOTE_OPENERS = ('"', "“", "«", "„")
# The links of one paragraph share its quotations.
_quotes = functools.lru_cache(maxsize=64)(quotes_in)
# A bare URL is normalized twice, when found (to test its host) and when made a citation, and all of a
# text's URLs are found before the first is made one: the cache holds a document's worth.
normalized_url = functools.lru_cache(maxsize=MAX_CITATIONS + 1)(normalize_url)


def link_scheme(href: str) -> str | None:
    if href.startswith("https://"):  # most links: what the pattern below would find
        return "https"
    if href.startswith("http://"):
        return "http"
    match = _SCHEME.match(href.strip())
    return match.group(1).lower() if match else None


def make_citation(
    written: str,
    context: str,
    line: int | None = None,
    page: int | None = None,
    base_url: str | None = None,
    anchor: bool = False,
    paragraph: str = "",
) -> Citation:
    """A Citation for a link as written: made absolute against base_url, then normalized.

    `anchor` says the context is the link's own text (HTML, Markdown) rather than a sentence;
    the quotations of `paragraph` (the text around the link) are the citation's quotes.
    """
    quotes = _quotes(paragraph) if paragraph and any(mark in paragraph for mark in _QUOTE_OPENERS) else ()
    return _citation(written, context, line, page, base_url, anchor, quotes)


def paragraph_around(text: str, offset: int, limit: int = 5000) -> str:
    """The paragraph (between blank lines) holding text[offset], at most `limit` characters each side."""
    low = max(0, offset - limit)
    start = text.rfind("\n\n", low, offset)
    end = text.find("\n\n", offset, offset + limit)
    return text[low if start < 0 else start + 2 : offset + limit if end < 0 else end]


def _citation(
    written: str,
    context: str,
    line: int | None,
    page: int | None,
    base_url: str | None,
    anchor: bool,
    quotes: tuple[str, ...] = (),
) -> Citation:
    written = written.strip()
    if "\t" in written or "\n" in written or "\r" in written:
        written = _TAB_OR_NEWLINE.sub("", written)
    if control := _CONTROL.search(written):
        reason = f"control character U+{ord(control.group()):04X} in the URL"
        return Citation(
            _escape_controls(written),
            None,
            context,
            line,
            page,
            invalid_reason=reason,
            context_is_anchor=anchor,
            quotes=quotes,
        )
    url = written
    scheme = link_scheme(written)
    if scheme is None and written.lower().startswith("www."):
        url = "http://" + written
    elif scheme is None or written.startswith("//"):
        if not base_url:
            return Citation(
                written,
                None,
                context,
                line,
                page,
                skip_reason="relative link with no base URL to resolve it against",
                context_is_anchor=anchor,
                quotes=quotes,
            )
        try:
            url = urljoin(base_url, written)
        except ValueError as exc:  # "//[x" and the like: urllib cannot split it
            reason = f"cannot parse URL: {exc}"
            return Citation(
                written, None, context, line, page, invalid_reason=reason, context_is_anchor=anchor, quotes=quotes
            )
        written = url
        scheme = link_scheme(url)
    if scheme in SKIPPED_SCHEMES:
        skip = f"{scheme}: link, not fetched"
        return Citation(
            written, written, context, line, page, skip_reason=skip, context_is_anchor=anchor, quotes=quotes
        )
    try:
        normalized, fetchable = _normalized_fetchable(url)
        if not fetchable:
            skip = f"{scheme}: link, not fetched"
            return Citation(
                written, normalized, context, line, page, skip_reason=skip, context_is_anchor=anchor, quotes=quotes
            )
    except (InvalidURL, ValueError) as exc:
        return Citation(
            written, None, context, line, page, invalid_reason=str(exc), context_is_anchor=anchor, quotes=quotes
        )
    return Citation(written, normalized, context, line, page, context_is_anchor=anchor, quotes=quotes)


@functools.lru_cache(maxsize=MAX_CITATIONS + 1)
def _normalized_fetchable(url: str) -> tuple[str, bool]:
    """A URL normalized, and whether it is an http(s) URL urllib can split; InvalidURL or ValueError when
    it cannot be normalized. Cached: normalizing and splitting each URL once is a large part of a harvest."""
    normalized = normalized_url(url)
    if link_scheme(normalized) not in ("http", "https"):
        return normalized, False
    # urlsplit raises only for brackets of an IPv6 host or a non-ASCII host: an ASCII URL without
    # brackets always splits.
    if not normalized.isascii() or "[" in normalized or "]" in normalized:
        urlsplit(normalized)
    return normalized, True


def _escape_controls(text: str) -> str:
    """Control characters (and lone surrogates) percent-encoded, so a report shows them safely."""
    return _CONTROL.sub(
        lambda match: "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8", "surrogatepass")), text
    )


def resolve(base_url: str, href: str) -> str | None:
    """href made absolute against base_url; None when urllib cannot parse one of them."""
    try:
        return urljoin(base_url, href)
    except ValueError:
        return None


def is_parseable(url: str) -> bool:
    """Whether urllib can split a URL (an unclosed "[" in the host makes it raise)."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def cap_citations(citations: Sequence[Citation]) -> tuple[tuple[Citation, ...], str | None]:
    """The first MAX_CITATIONS citations, and why the rest were dropped (None when none were)."""
    if len(citations) <= MAX_CITATIONS:
        return tuple(citations), None
    return tuple(citations[:MAX_CITATIONS]), f"more than {MAX_CITATIONS} citations: only the first {MAX_CITATIONS} kept"


def url_date_fallback(url: str) -> tuple[dt.date | None, str | None]:
    """The article's date from its own URL (the last resort), e.g. /2021/08/10/slug."""
    dates = [found for found in dates_in_url(url) if found.precision == "day"]
    if dates:
        return dates[0].date, "url"
    return None, None


def collapse(text: str, limit: int = 200) -> str:
    """Whitespace collapsed, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def line_starts_of(text: str) -> list[int]:
    """Offsets where each line of text starts, for line_of()."""
    return list(itertools.accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))


def line_of(line_starts: list[int], offset: int) -> int:
    """The 1-based line number of an offset."""
    return bisect.bisect_right(line_starts, offset)
