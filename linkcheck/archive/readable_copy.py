"""The copy of a captured page a person opens: page.html with a banner, text.txt, or the payload as is."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from linkcheck.models import FetchResult
from linkcheck.pages import is_html, parse_html

# Dropped before extracting the main text: never part of what the page says.
_NOT_TEXT = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside")
_BLOCKS = (
    "address",
    "article",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
)
_HEAD_TAG = re.compile(r"<head(?=[\s>/])[^>]*>", re.I)
_HTML_TAG = re.compile(r"<html(?=[\s>/])[^>]*>", re.I)
_BODY_TAG = re.compile(r"<body(?=[\s>/])[^>]*>", re.I)
_HEAD_END = re.compile(r"</head\s*>", re.I)
_PAYLOAD_EXTENSIONS = {
    "application/pdf": "pdf",
    "application/json": "json",
    "application/xml": "xml",
    "application/zip": "zip",
    "image/gif": "gif",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/svg+xml": "svg",
    "image/webp": "webp",
    "text/csv": "csv",
    "text/plain": "txt",
    "text/xml": "xml",
}


@dataclass(frozen=True)
class ReadableCopy:
    """The files of one readable copy (name -> bytes), its main text, and any noarchive request."""

    files: dict[str, bytes] = field(default_factory=dict)
    text: str | None = None  # None when the payload has no text to compare (images, PDFs)
    noarchive: str | None = None  # why the page asks not to be archived, if it does

    @classmethod
    def of(cls, fetch: FetchResult, captured_at: str) -> ReadableCopy:
        """Build the copy of a download (HTML parsed once, for the text, the banner and robots meta)."""
        header_reason = noarchive_header(fetch.headers)
        if is_html(fetch):
            soup = parse_html(fetch.body, _charset(fetch))
            reason = header_reason or noarchive_meta(soup)
            encoding = soup.original_encoding or "utf-8"
            try:
                markup = fetch.body.decode(encoding, "replace")
            except LookupError:
                markup = fetch.body.decode("utf-8", "replace")
            page = readable_page(markup, base_href(soup, fetch.final_url), fetch.url, fetch.final_url, captured_at)
            text = main_text(soup)
            files = {"page.html": page.encode("utf-8"), "text.txt": _text_file(text)}
            return cls(files, text, reason)
        media = (fetch.header("Content-Type") or "").split(";", 1)[0].strip().lower()
        files = {f"payload.{_PAYLOAD_EXTENSIONS.get(media, 'bin')}": fetch.body} if fetch.body else {}
        if media.startswith("text/") and media not in ("text/css", "text/javascript"):
            text = "\n".join(" ".join(line.split()) for line in _decode(fetch).splitlines() if line.strip())
            files["text.txt"] = _text_file(text)
            return cls(files, text, header_reason)
        return cls(files, None, header_reason)


def noarchive_header(headers: tuple[tuple[str, str], ...]) -> str | None:
    """`X-Robots-Tag: noarchive`, for any user agent (`googlebot: noarchive` too, to be safe)."""
    for name, value in headers:
        if name.lower() == "x-robots-tag" and "noarchive" in re.split(r"[\s,:]+", value.lower()):
            return f"the page asks not to be archived (X-Robots-Tag: {value.strip()})"
    return None


def noarchive_meta(soup: BeautifulSoup) -> str | None:
    """`<meta name="robots" content="noarchive">` (or addressed to linkcheck)."""
    for meta in soup.find_all("meta"):
        name = str(meta.get("name") or "").strip().lower()
        content = str(meta.get("content") or "")
        if name in ("robots", "linkcheck") and "noarchive" in re.split(r"[\s,]+", content.lower()):
            return f'the page asks not to be archived (<meta name="{name}" content="{content.strip()}">)'
    return None


def base_href(soup: BeautifulSoup, final_url: str) -> str:
    """What relative links resolve against: the page's own <base href>, else its final URL."""
    base = soup.find("base", href=True)
    if isinstance(base, Tag):
        return urljoin(final_url, str(base["href"]).strip())
    return final_url


def main_text(soup: BeautifulSoup) -> str:
    """The page's main text: boilerplate elements dropped, one line per block, whitespace collapsed.

    Changes `soup` (elements are removed): call it last.
    """
    for tag in soup.find_all(_NOT_TEXT):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    root = soup.find("main")
    if root is None:
        articles = soup.find_all("article")
        root = articles[0] if len(articles) == 1 else soup.body or soup
    lines = (" ".join(line.split()) for line in root.get_text().splitlines())
    return "\n".join(line for line in lines if line)


def readable_page(markup: str, base: str, url: str, final_url: str, captured_at: str) -> str:
    """The page as received, plus <base href>, a charset, a no-script policy and a banner.

    Inserted as text, not re-serialised, so the markup stays the server's. The policy keeps the
    page's scripts from running (and from hiding the banner) when the copy is opened.
    """
    head = (
        '<meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'; object-src 'none'\">"
        f'<base href="{html.escape(base, quote=True)}">'
    )
    banner = _banner(url, final_url, captured_at)
    match = _HEAD_TAG.search(markup)
    if match:
        markup = markup[: match.end()] + head + markup[match.end() :]
    else:
        root = _HTML_TAG.search(markup)
        at = root.end() if root else 0
        markup = markup[:at] + f"<head>{head}</head>" + markup[at:]
    body = _BODY_TAG.search(markup) or _HEAD_END.search(markup)
    at = body.end() if body else len(markup)
    return markup[:at] + banner + markup[at:]


def _banner(url: str, final_url: str, captured_at: str) -> str:
    link = html.escape(url, quote=True)
    text = (
        f'Archived copy of <a href="{link}">{html.escape(url)}</a>'
        + (f" (redirected to {html.escape(final_url)})" if final_url != url else "")
        + f", captured {html.escape(captured_at)} by linkcheck. Links lead to the live web."
    )
    style = (
        "all:initial;display:block;box-sizing:border-box;width:100%;margin:0;padding:8px 12px;"
        "background:#fff3cd;color:#222;border-bottom:2px solid #c9a227;font:14px/1.4 sans-serif"
    )
    return f'<div id="linkcheck-archive-banner" style="{style}">{text}</div>'


def _charset(fetch: FetchResult) -> str | None:
    match = re.search(r"charset=[\"']?([\w.:-]+)", fetch.header("Content-Type") or "", re.I)
    return match.group(1) if match else None


def _decode(fetch: FetchResult) -> str:
    for encoding in (_charset(fetch), "utf-8"):
        if encoding:
            try:
                return fetch.body.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                pass
    return fetch.body.decode("latin-1")


def _text_file(text: str) -> bytes:
    return (text + "\n").encode("utf-8") if text else b""
