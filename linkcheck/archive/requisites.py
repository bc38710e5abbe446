"""A page's requisites: the URLs a browser would load to show it, found in its markup and in CSS (pure).

Markup: `img[src]` and every `srcset` candidate (`img`, `picture source`), `video[poster]`,
`link[rel~=stylesheet]`, `link[rel~=icon]`, `script[src]`, and `url()` in `<style>` blocks and
`style=""` attributes. CSS: `url()` and `@import`. Only http(s) URLs, resolved, without fragment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from linkcheck.archive.page_tree import Element
from linkcheck.pages import charset_of

_ABSOLUTE = ("http://", "https://")
MAX_URL_CHARS = 4096  # longer is not a requisite worth a request (a tracking blob, a broken page)
# Fetched in this order, so the cap keeps what a page's look depends on most.
KIND_ORDER = ("stylesheet", "css-resource", "image", "icon", "script")

# url(...) with a quoted or a bare argument; @import with a string or url(). Comments are not parsed:
# a url() inside one is harmless (fetched at worst, never run), and the regular expressions stay simple.
_DOUBLE = r'"((?:[^"\\\n]|\\.)*)"'
_SINGLE = r"'((?:[^'\\\n]|\\.)*)'"
_BARE = r"""((?:[^"'()\s\\]|\\[0-9a-fA-F]{1,6}\s?|\\[^\n0-9a-fA-F])*)"""
_URL = rf"url\(\s*(?:{_DOUBLE}|{_SINGLE}|{_BARE})\s*\)"
_CSS_URL = re.compile(_URL, re.I)
_CSS_IMPORT = re.compile(rf"@import\s+(?:{_URL}|{_DOUBLE}|{_SINGLE})[^;{{}}]*;?", re.I)
# One pass over both, imports first, so a rewritten import's url() is not taken for another reference.
_CSS_REFERENCE = re.compile(rf"{_CSS_IMPORT.pattern}|{_URL}", re.I)
_CSS_CHARSET = re.compile(r"""^\ufeff?@charset\s+["'][^"']*["']\s*;""", re.I)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}\s?|.)")


@dataclass(frozen=True)
class Requisite:
    """One URL a page needs, and what it is for (KIND_ORDER)."""

    url: str
    kind: str
    depth: int = 0  # 0: named by the page; 1: named by one of its stylesheets


def absolute(reference: str, base: str) -> str | None:
    """`reference` resolved against `base`, without its fragment; None unless it is an http(s) URL."""
    reference = reference.strip()
    if not reference or len(reference) > MAX_URL_CHARS or reference.startswith("#"):
        return None
    try:
        # An absolute URL needs no join (urljoin is most of the cost on a page of 5,000 images).
        resolved = urlsplit(reference if reference[:8].lower().startswith(_ABSOLUTE) else urljoin(base, reference))
    except ValueError:
        return None
    if resolved.scheme.lower() not in ("http", "https") or not resolved.netloc:
        return None
    return urlunsplit(resolved._replace(fragment=""))


def srcset_candidates(value: str) -> list[tuple[str, str]]:
    """(URL, descriptor) of each `srcset` candidate, as the HTML standard splits them."""
    candidates = []
    position, length = 0, len(value)
    while position < length:
        while position < length and (value[position].isspace() or value[position] == ","):
            position += 1
        start = position
        while position < length and not value[position].isspace():
            position += 1
        url = value[start:position]
        if not url:
            break
        if url.endswith(","):
            candidates.append((url.rstrip(","), ""))
            continue
        start, depth = position, 0
        while position < length:
            character = value[position]
            if character == "(":
                depth += 1
            elif character == ")" and depth:
                depth -= 1
            elif character == "," and not depth:
                break
            position += 1
        candidates.append((url, value[start:position].strip()))
    return candidates


def page_requisites(root: Element, base: str, limit: int | None = None) -> list[Requisite]:
    """Every requisite the page (its lxml root element, page_tree) names, each URL once, in KIND_ORDER
    then document order; the first `limit` of them only (resolving a URL is the costly part, and a
    page may name thousands)."""
    named = [found for element in root.iter() if isinstance(element.tag, str) for found in _of_element(element)]
    return _resolved(named, base, 0, limit) if named else []


def css_references(css: str, base: str, depth: int = 1) -> list[Requisite]:
    """The stylesheets a CSS text imports and the resources its url() name (fonts, images)."""
    return _resolved(list(_in_css(css)), base, depth)


def _in_css(css: str) -> Iterator[tuple[str, str]]:
    """(reference, kind) of each @import and url() in a CSS text, unresolved."""
    imports = []
    for match in _CSS_IMPORT.finditer(css):
        imports.append(match.span())
        yield _unescape(_first(match)), "stylesheet"
    for match in _CSS_URL.finditer(css):
        if not any(start <= match.start() < end for start, end in imports):  # an @import's url(): above
            yield _unescape(_first(match)), "css-resource"


def _resolved(named: list[tuple[str, str]], base: str, depth: int, limit: int | None = None) -> list[Requisite]:
    """Resolved, each URL once, in KIND_ORDER (stable), at most `limit`."""
    named.sort(key=lambda item: KIND_ORDER.index(item[1]))
    found: dict[str, Requisite] = {}
    for reference, kind in named:
        if limit is not None and len(found) >= limit:
            break
        url = absolute(reference, base)
        if url and url not in found:
            found[url] = Requisite(url, kind, depth)
    return list(found.values())


def rewrite_css(css: str, base: str, local: Callable[[str], str | None]) -> str:
    """The CSS with every url() and @import pointed at `local(absolute URL)`, or at nothing.

    An import with no local copy is removed; any other url() without one becomes `url("data:,")`,
    an empty resource that loads nothing.
    """
    css = _CSS_CHARSET.sub("", css, count=1)  # the copy is written as UTF-8

    def rewritten(match: re.Match[str]) -> str:
        reference = _unescape(_first(match))
        if match.group(0).startswith("@"):
            url = absolute(reference, base)
            path = local(url) if url else None
            return f'@import url("{_css_string(path)}");' if path else ""
        if reference.strip().lower().startswith("data:") or reference.strip().startswith("#"):
            return match.group(0)
        url = absolute(reference, base)
        path = local(url) if url else None
        return f'url("{_css_string(path or "data:,")}")'

    return _CSS_REFERENCE.sub(rewritten, css)


def css_text(body: bytes, content_type: str | None) -> str:
    """A stylesheet's text: its declared charset, else its @charset, else UTF-8 (bad bytes replaced)."""
    charset = charset_of(content_type)
    if charset is None:
        declared = re.match(rb"""^(?:\xef\xbb\xbf)?@charset\s+["']([A-Za-z0-9_.:-]{1,40})["']""", body)
        charset = declared.group(1).decode("ascii") if declared else None
    for encoding in (charset, "utf-8"):
        if encoding:
            try:
                return body.decode(encoding, errors="replace").removeprefix("\ufeff")
            except LookupError:
                continue
    return body.decode("utf-8", errors="replace")


def rel_tokens(element: Element) -> set[str]:
    return {word.lower() for word in (element.get("rel") or "").split()}


def _of_element(element: Element) -> Iterator[tuple[str, str]]:
    """(reference, kind) of each requisite one element names, unresolved."""
    name = element.tag.lower()

    def one(attribute: str, kind: str) -> Iterator[tuple[str, str]]:
        value = element.get(attribute)
        if value is not None:
            yield value, kind

    if name == "img":
        yield from one("src", "image")
    srcset = element.get("srcset") if name in ("img", "source") else None
    if srcset is not None:
        for reference, _descriptor in srcset_candidates(srcset):
            yield reference, "image"
    if name == "video":
        yield from one("poster", "image")
    if name == "link":
        rel = rel_tokens(element)
        if "stylesheet" in rel:
            yield from one("href", "stylesheet")
        elif "icon" in rel or "apple-touch-icon" in rel:
            yield from one("href", "icon")
    if name == "script":
        yield from one("src", "script")
    if name == "style":
        yield from _in_css("".join(element.itertext()))
    style = element.get("style")
    if style is not None and "url(" in style.lower():
        yield from _in_css(style)


def _first(match: re.Match[str]) -> str:
    return next((group for group in match.groups() if group is not None), "")


def _unescape(text: str) -> str:
    """CSS escapes undone (`\\28` is `(`), as a browser reads the URL."""

    def one(match: re.Match[str]) -> str:
        escaped = match.group(1)
        if len(escaped.strip()) > 1 or escaped[0] in "0123456789abcdefABCDEF":
            try:
                return chr(int(escaped.strip(), 16))
            except (ValueError, OverflowError):
                return "\ufffd"
        return escaped

    return _CSS_ESCAPE.sub(one, text)


def _css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string (and in HTML: no `<`)."""
    return re.sub(r'["\\\n\r<]', lambda match: f"\\{ord(match.group(0)):x} ", text)
