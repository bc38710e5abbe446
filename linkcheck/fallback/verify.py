"""Is a capture the cited page? The rules that judge live pages, applied to an archived one.

A capture is rejected when it is a not-found page (soft-404), the site's home page served at the
cited URL (directly, or through a `<meta http-equiv=refresh>` or a script redirect to it, or naming
the home page as its canonical URL), or a page whose title has nothing to do with the citation's
anchor text or the words of the URL's slug (skipped when there is nothing to compare).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from linkcheck.anomalies import title_similarity
from linkcheck.check.verdict import soft_404_reason
from linkcheck.html_tags import Element, first_named, get_text, tags_named
from linkcheck.models import FetchResult, PageText
from linkcheck.pages import KEPT_TEXT_CHARS, charset_of, is_html, page_text, parse_page
from linkcheck.urls import is_deep_link, is_home_page

_REFRESH_TARGET = re.compile(r"^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(.*?)\1\s*$", re.I | re.S)
_SCRIPT_REDIRECT = re.compile(
    r"""\blocation(?:\.href)?\s*=\s*(['"])(.*?)\1|\blocation\.(?:replace|assign)\(\s*(['"])(.*?)\3\s*\)""",
    re.S,
)


@dataclass(frozen=True)
class Reference:
    """What the cited page is expected to be about: the citation's headline, the URL's slug words."""

    headline: str | None = None
    slug: str | None = None
    threshold: float = 0.5  # [anomalies] title_similarity


def rejection(page: FetchResult, reference: Reference) -> str | None:
    """Why a captured page is not a copy of the cited page, or None when it passes.

    `page` is the capture as a download of the cited URL: its `url` the cited URL, its status the
    archived status, its body the archived payload.
    """
    if page.status != 200:
        return f"archived status {page.status}" if page.status else "no archived status"
    if not is_html(page) or not page.body:
        return soft_404_reason(page, None, None)  # nothing to read but where it ended
    soup = parse_page(page)
    title = _text(first_named(soup, "title"))
    heading = _text(first_named(soup, "h1"))
    reason = soft_404_reason(page, title, heading)
    if reason:
        return f"soft-404: {reason}"
    reason = home_page_reason(page, soup)
    if reason:
        return reason
    return title_reason(title, reference)


def _text(tag: Element | None) -> str | None:
    if tag is None:
        return None
    return get_text(tag, " ", strip=True) or None


def home_page_reason(page: FetchResult, soup: Element) -> str | None:
    """Why the capture is the site's home page served at a deep link, or None."""
    cited = page.url
    if not is_deep_link(cited):
        return None  # the home page is the cited page
    base = page.final_url or cited
    for meta in tags_named(soup, "meta"):
        if str(meta.get("http-equiv", "")).strip().lower() != "refresh":
            continue
        match = _REFRESH_TARGET.match(str(meta.get("content", "")))
        target = match.group(2).strip() if match else ""
        if target and is_home_page(urljoin(base, target)):
            return f"the capture sends readers to the home page ({urljoin(base, target)}) by <meta http-equiv=refresh>"
    for script in tags_named(soup, "script"):
        for match in _SCRIPT_REDIRECT.finditer(get_text(script)):
            target = (match.group(2) or match.group(4) or "").strip()
            if target and not target.startswith(("javascript:", "#")) and is_home_page(urljoin(base, target)):
                return f"the capture sends readers to the home page ({urljoin(base, target)}) by a script"
    for tag, attribute in (("link", "href"), ("meta", "content")):
        for element in tags_named(soup, tag):
            rel = [value.lower() for value in (element.get("rel") or "").split()] if tag == "link" else []
            named = "canonical" in rel if tag == "link" else str(element.get("property", "")).lower() == "og:url"
            target = str(element.get(attribute, "")).strip()
            if named and target and is_home_page(urljoin(base, target)):
                return f"the capture is the site's home page served at the cited URL (it names {target} as its URL)"
    return None


def title_reason(title: str | None, reference: Reference) -> str | None:
    """Why the title shows another page than the one cited, or None (also when there is nothing to compare)."""
    expected = [text for text in (reference.headline, reference.slug) if text]
    if not title or not expected:
        return None
    best = max(title_similarity(text, title) for text in expected)
    if best >= reference.threshold:
        return None
    return f"title {title[:120]!r} is unrelated to {expected[0][:120]!r} (similarity {best:.2f})"


def capture_text(page: FetchResult) -> PageText | None:
    """The capture's main text (at most KEPT_TEXT_CHARS), for comparing quotes: an HTML page's main
    text, a plain-text readable copy as it is, else None."""
    if not page.body:
        return None
    if is_html(page):
        return page_text(parse_page(page))
    if (page.header("Content-Type") or "").lower().startswith("text/plain"):
        raw = page.body[: 4 * KEPT_TEXT_CHARS]
        try:
            text = raw.decode(charset_of(page.header("Content-Type")) or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            text = raw.decode("utf-8", errors="replace")
        return PageText(" ".join(text.split())[:KEPT_TEXT_CHARS])
    return None
