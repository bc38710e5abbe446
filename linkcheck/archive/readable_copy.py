"""The copy of a captured page a person opens: page.html with a banner, text.txt, or the payload as is.

page.html never runs the captured page's script nor asks anything of any server when opened
(inert_html, local_copy): its requisites come from files beside it, and a link leads to the live
web only when clicked.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from linkcheck.archive.inert_html import inert_document
from linkcheck.archive.local_copy import LocalResources, SavedRequisites
from linkcheck.archive.page_tree import Element, first_named, is_tree, page_tree, text_of
from linkcheck.models import FetchResult
from linkcheck.pages import charset_of, is_html, main_text

_PAYLOAD_EXTENSIONS = {
    "application/pdf": "pdf",
    "application/json": "json",
    "application/zip": "zip",
    "image/gif": "gif",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "text/csv": "csv",
    "text/plain": "txt",
}


# What a readable copy costs is bounded whatever was downloaded (a 10 MB gzip bomb, a page of
# nested <div>s): only the first MAX_MARKUP_BYTES are parsed or shown, and text.txt and the drift
# comparison keep MAX_TEXT_CHARS. Measured: a 1 MB article page (~40,000 elements) takes ~1.5 s and
# ~50 MB; 1 MB of nested <div>s (~140,000 elements, the worst case) ~5 s and ~200 MB. Most pages
# are far smaller; a long article's text is ~150,000 characters; the WARC keeps everything.
MAX_MARKUP_BYTES = 1_000_000
MAX_TEXT_CHARS = 200_000
# Nothing runs, and nothing loads but files beside the copy ('self': file: URLs when opened from
# disk) and data: URIs; the page's own <base> is gone, so no relative URL can reach a server.
CONTENT_SECURITY_POLICY = (
    "script-src 'none'; object-src 'none'; frame-src 'none'; child-src 'none'; worker-src 'none'; "
    "connect-src 'none'; form-action 'none'; default-src 'none'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; font-src 'self' data:; media-src 'self' data:; base-uri 'none'"
)
# Payloads a browser would run script in if opened from a file (SVG, XML with XHTML in it, XSLT):
# never written as such. SVG is shown as an <img> (an image runs no script and loads nothing);
# XML as escaped source. XHTML (application/xhtml+xml) is a web page: it takes the HTML path.
_SVG = "image/svg+xml"
_XML = ("application/xml", "text/xml", "application/xslt+xml", "text/xsl")


# Given the page's lxml tree and what its relative URLs resolve against: its requisites, fetched and saved.
RequisiteSaver = Callable[[Element, str], SavedRequisites]


@dataclass(frozen=True)
class ReadableCopy:
    """The files of one readable copy (name -> bytes), its main text, and any noarchive request."""

    files: dict[str, bytes] = field(default_factory=dict)
    text: str | None = None  # None when the payload has no text to compare (images, PDFs)
    noarchive: str | None = None  # why the page asks not to be archived, if it does
    title: str | None = None
    requisites: SavedRequisites | None = None  # None when none were looked for

    @classmethod
    def of(
        cls,
        fetch: FetchResult,
        captured_at: str,
        requisites: RequisiteSaver | None = None,
        respect_noarchive: bool = True,
        parsed: object | None = None,
    ) -> ReadableCopy:
        """Build the copy of a download (HTML parsed once, for the text, the banner and robots meta).

        With `requisites`, an HTML page's requisites are fetched and saved beside it (unless the page
        asks not to be archived and `respect_noarchive` holds: then nothing more is asked of its site).
        `parsed` is the same page parsed already by the checker (pages.parse_page): used, never changed,
        when it covers the same bytes. The copy, robots meta and requisites are read from an lxml tree
        (page_tree): `parsed` itself when it is one, else the page parsed again by lxml.
        """
        header_reason = noarchive_header(fetch.headers)
        body, cut = fetch.body[:MAX_MARKUP_BYTES], len(fetch.body) > MAX_MARKUP_BYTES
        banner = _banner(fetch.url, fetch.final_url, captured_at, cut)
        media = (fetch.header("Content-Type") or "").split(";", 1)[0].strip().lower()
        if is_html(fetch):
            shared: Any = parsed if parsed is not None and not cut else None
            tree = shared if is_tree(shared) else page_tree(body, _charset(fetch))
            reason = header_reason or noarchive_meta(tree)
            base = base_href(tree, fetch.final_url)
            title_tag = first_named(tree, "title")
            title = text_of(title_tag) if title_tag is not None else None
            saved = requisites(tree, base) if requisites is not None and not (reason and respect_noarchive) else None
            local = LocalResources(base, saved.local if saved else {})
            # The main text as pages.py defines it, from the same tree.
            text = main_text(tree, MAX_TEXT_CHARS)
            page = inert_document(tree, _head(), banner, local)
            written = {"page.html": page.encode("utf-8"), "text.txt": _text_file(text)}
            written.update(saved.files if saved else {})
            return cls(written, text, reason, title or None, saved)
        files: dict[str, bytes] = {}
        if media == _SVG or media in _XML:
            files["page.html"] = _shown_inert(media, body, fetch, banner).encode("utf-8")
        elif fetch.body:
            # Text is read, so cut like a page; a PDF or an image is only of use whole.
            payload = body if media.startswith("text/") else fetch.body
            files[f"payload.{_PAYLOAD_EXTENSIONS.get(media, 'bin')}"] = payload
        if media.startswith("text/") and media not in ("text/css", "text/javascript"):
            text = "\n".join(" ".join(line.split()) for line in _decode(body, fetch).splitlines() if line.strip())
            text = text[:MAX_TEXT_CHARS]
            files["text.txt"] = _text_file(text)
            return cls(files, text, header_reason)
        return cls(files, None, header_reason)


def noarchive_header(headers: tuple[tuple[str, str], ...]) -> str | None:
    """`X-Robots-Tag: noarchive`, for any user agent (`googlebot: noarchive` too, to be safe)."""
    for name, value in headers:
        if name.lower() == "x-robots-tag" and "noarchive" in re.split(r"[\s,:]+", value.lower()):
            return f"the page asks not to be archived (X-Robots-Tag: {value.strip()})"
    return None


def noarchive_meta(root: Element) -> str | None:
    """`<meta name="robots" content="noarchive">` (or addressed to linkcheck), in a page_tree."""
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        content = meta.get("content") or ""
        if name in ("robots", "linkcheck") and "noarchive" in re.split(r"[\s,]+", content.lower()):
            return f'the page asks not to be archived (<meta name="{name}" content="{content.strip()}">)'
    return None


def base_href(root: Element, final_url: str) -> str:
    """What relative links resolve against: the page's own <base href>, else its final URL."""
    base = next((element for element in root.iter("base") if element.get("href") is not None), None)
    if base is not None:
        resolved = urljoin(final_url, base.get("href").strip())
        if urlsplit(resolved).scheme.lower() in ("http", "https"):
            return resolved
    return final_url


def readable_page(
    markup: str, base: str, url: str, final_url: str, captured_at: str, local: dict[str, str] | None = None
) -> str:
    """The page as received, made inert (inert_html), with its charset, policy and banner; links made
    absolute against `base`, and what would load pointed at `local` files (URL -> path) or removed."""
    return inert_document(
        page_tree(markup), _head(), _banner(url, final_url, captured_at), LocalResources(base, local or {})
    )


def _head() -> str:
    """What opens the copy's <head>: the policy first, so it governs every byte of the page after it."""
    return f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}"><meta charset="utf-8">'


def _shown_inert(media: str, body: bytes, fetch: FetchResult, banner: str) -> str:
    """A page showing an SVG as an image, or XML as escaped source; never the document itself."""
    if media == _SVG and len(fetch.body) <= MAX_MARKUP_BYTES:
        data = base64.b64encode(fetch.body).decode("ascii")
        shown = f'<img alt="the captured SVG image" src="data:image/svg+xml;base64,{data}">'
    else:
        shown = f"<pre>{html.escape(_decode(body, fetch), quote=False)}</pre>"
    head = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    return f'<!DOCTYPE html>\n<html><head>{head}<meta charset="utf-8"></head>\n<body>{banner}{shown}</body></html>\n'


def _http_or(base: str) -> str:
    """A base href that can only be a web address (never javascript: or data:)."""
    if base.startswith(("http://", "https://")):  # what a capture's URL nearly always is: no parse needed
        return base
    return base if urlsplit(base).scheme.lower() in ("http", "https") else "about:blank"


def _banner(url: str, final_url: str, captured_at: str, cut: bool = False) -> str:
    link = html.escape(_http_or(url), quote=True)
    text = (
        f'Archived copy of <a href="{link}">{html.escape(url)}</a>'
        + (f" (redirected to {html.escape(final_url)})" if final_url != url else "")
        + f", captured {html.escape(captured_at)} by linkcheck. This copy loads nothing from the web;"
        + " links lead to the live web."
        + (
            f" Only its first {MAX_MARKUP_BYTES // 1_000_000} MB are shown here; the WARC file holds it all."
            if cut
            else ""
        )
    )
    style = (
        "all:initial;display:block;box-sizing:border-box;width:100%;margin:0;padding:8px 12px;"
        "background:#fff3cd;color:#222;border-bottom:2px solid #c9a227;font:14px/1.4 sans-serif"
    )
    return f'<div id="linkcheck-archive-banner" style="{style}">{text}</div>'


def _charset(fetch: FetchResult) -> str | None:
    return charset_of(fetch.header("Content-Type"))


def _decode(body: bytes, fetch: FetchResult) -> str:
    """The text of a payload (or of its first MAX_MARKUP_BYTES) by declared charset, UTF-8, or latin-1."""
    for encoding in (_charset(fetch), "utf-8"):
        if encoding:
            try:
                return body.decode(encoding)
            except UnicodeDecodeError as exc:
                if len(body) < len(fetch.body) and exc.start >= len(body) - 3:
                    return body[: exc.start].decode(encoding)  # the cut fell inside the last character
            except LookupError:
                pass
    return body.decode("latin-1")


def _text_file(text: str) -> bytes:
    return (text + "\n").encode("utf-8") if text else b""
