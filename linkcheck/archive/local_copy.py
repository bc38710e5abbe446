"""A self-contained readable copy: requisites saved beside page.html, and every URL in it that would load
something pointed at those files, or at nothing.

Opened from disk, the copy asks nothing of any server: images, stylesheets and fonts come from
`page_files/` (SVG images inline as `data:`, so no file that can run script is written), links are made
absolute (they lead to the live web only when clicked), and a reference with no saved file is removed.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from linkcheck.archive.page_tree import Element
from linkcheck.archive.paths import FILES_FOLDER
from linkcheck.archive.requisite_fetch import Gathered
from linkcheck.archive.requisites import absolute, css_text, rel_tokens, rewrite_css, srcset_candidates
from linkcheck.models import FetchResult, Requisites

MAX_INLINE_SVG = 1_000_000
# Saved under these extensions only: what a page shows (images, stylesheets, fonts). A script, an
# HTML or XML answer stays in the WARC alone; opened from disk, such a file could run script.
_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
    "image/bmp": "bmp",
    "image/x-icon": "ico",
    "image/vnd.microsoft.icon": "ico",
    "text/css": "css",
    "font/woff2": "woff2",
    "font/woff": "woff",
    "font/ttf": "ttf",
    "font/otf": "otf",
    "application/font-woff": "woff",
    "application/font-woff2": "woff2",
    "application/x-font-woff": "woff",
    "application/x-font-ttf": "ttf",
    "application/vnd.ms-fontobject": "eot",
}
_BY_SUFFIX = frozenset(
    ["png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico", "woff", "woff2", "ttf", "otf", "eot"]
)
_LINK_NAMES = frozenset(["a", "area"])
_LOADING_ATTRIBUTES = frozenset(["src", "poster", "background", "data", "href", "xlink:href", "lowsrc", "dynsrc"])
_SRCSETS = frozenset(["srcset", "imagesrcset"])
# Attributes that would stop a rewritten or local file from loading (a hash of the original bytes,
# a CORS request a file: URL cannot answer), or that send a request on a click.
_DROPPED = frozenset(["integrity", "crossorigin", "ping", "action", "formaction"])
_LINK_SCHEMES = ("http", "https", "mailto", "tel")
_FETCHING_RELS = frozenset(
    [
        "stylesheet",
        "icon",
        "apple-touch-icon",
        "preload",
        "prefetch",
        "preconnect",
        "dns-prefetch",
        "prerender",
        "modulepreload",
        "manifest",
        "import",
        "mask-icon",
    ]  # fmt: skip
)


@dataclass(frozen=True)
class SavedRequisites:
    """A page's requisites as kept: their downloads (for the WARC), counts, files and URL -> local path."""

    downloads: tuple[FetchResult, ...] = ()
    counts: Requisites = field(default_factory=Requisites)
    files: Mapping[str, bytes] = field(default_factory=dict)  # "page_files/<name>" -> bytes
    local: Mapping[str, str] = field(default_factory=dict)  # absolute URL -> "page_files/<name>" or data: URI


def saved_requisites(gathered: Gathered) -> SavedRequisites:
    """Files named by content (sha256 + extension) for what a copy shows; stylesheets rewritten to them."""
    names: dict[str, str] = {}  # URL -> file name, or a data: URI
    styles: list[tuple[str, FetchResult]] = []
    for download in gathered.downloads:
        media = _media(download)
        if media == "image/svg+xml":
            if len(download.body) <= MAX_INLINE_SVG:
                name = "data:image/svg+xml;base64," + base64.b64encode(download.body).decode("ascii")
            else:
                continue
        else:
            extension = _extension(media, download.final_url)
            if extension is None:
                continue
            name = f"{hashlib.sha256(download.body).hexdigest()[:32]}.{extension}"
            if extension == "css":
                styles.append((name, download))
        for url in (download.url, download.final_url):
            names.setdefault(url, name)
    files: dict[str, bytes] = {}
    for download in gathered.downloads:
        name = names.get(download.url, "")
        if name and not name.startswith("data:") and not name.endswith(".css"):
            files[f"{FILES_FOLDER}/{name}"] = download.body
    for name, download in styles:
        css = css_text(download.body, download.header("Content-Type"))
        # Inside page_files/ a saved file is a sibling: its bare name.
        rewritten = rewrite_css(css, download.final_url, names.get)
        files[f"{FILES_FOLDER}/{name}"] = rewritten.encode("utf-8")
    local = {url: name if name.startswith("data:") else f"{FILES_FOLDER}/{name}" for url, name in names.items()}
    return SavedRequisites(tuple(gathered.downloads), gathered.counts, files, local)


class LocalResources:
    """Rewrites the URLs of a page being written as a readable copy (inert_html's UrlRewriter).

    `base` resolves the page's relative URLs; `local` maps absolute URLs to saved files. Links become
    absolute; whatever would load by itself points at a saved file or is removed.
    """

    def __init__(self, base: str, local: Mapping[str, str] | None = None) -> None:
        self.base = base
        self.local = dict(local or {})
        # The last path segments of the saved URLs: a reference ending otherwise cannot be one of
        # them, and is dropped without resolving it (a page may name thousands of images).
        self._last_segments = {_last_segment(url) for url in self.local}

    def path(self, reference: str, base: str | None = None) -> str | None:
        segment = _last_segment(reference.strip())
        if segment not in self._last_segments and segment not in ("", ".", ".."):
            return None
        url = absolute(reference, base or self.base)
        return self.local.get(url) if url else None

    def keeps(self, element: Element) -> bool:
        """Whether an element stays: a <link> that would load something only when its file was saved."""
        if element.tag.lower() != "link":
            return True
        rel = rel_tokens(element)
        if not rel & _FETCHING_RELS:
            return True
        href = element.get("href")
        wanted = rel <= {"stylesheet", "icon", "shortcut", "apple-touch-icon", "alternate"}
        return wanted and href is not None and self.path(href) is not None

    def attribute(self, element: Element, name: str, value: str) -> str | None:
        """The value an attribute gets in the copy, or None to leave it out."""
        lower, element_name = name.lower(), element.tag.lower()
        if lower in _DROPPED:
            return None
        if lower == "style":
            return self.style(value)
        if lower in _SRCSETS:
            kept = []
            for reference, descriptor in srcset_candidates(value):
                path = reference if reference.lower().startswith("data:") else self.path(reference)
                if path:
                    kept.append(f"{path} {descriptor}".strip())
            return ", ".join(kept) or None
        if lower not in _LOADING_ATTRIBUTES:
            return value
        stripped = value.strip()
        if stripped.startswith("#") or stripped.lower().startswith("data:"):
            return value
        if lower in ("href", "xlink:href"):
            if element_name in _LINK_NAMES or (element_name == "link" and not rel_tokens(element) & _FETCHING_RELS):
                return _link(stripped, self.base)  # a link, or a <link rel=canonical>: followed, never loaded
        return self.path(stripped)

    def style(self, css: str) -> str:
        return rewrite_css(css, self.base, self.local.get)


def _last_segment(url: str) -> str:
    """What follows the last `/` of a URL's path, as written (no query, no fragment)."""
    return url.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]


def _link(reference: str, base: str) -> str | None:
    """A link made absolute, so it still leads to the live page once the copy has no <base>."""
    try:
        resolved = urljoin(base, reference)
        scheme = urlsplit(resolved).scheme.lower()
    except ValueError:
        return None
    return resolved if scheme in _LINK_SCHEMES else None


def _media(download: FetchResult) -> str:
    return (download.header("Content-Type") or "").split(";", 1)[0].strip().lower()


def _extension(media: str, url: str) -> str | None:
    if media in _EXTENSIONS:
        return _EXTENSIONS[media]
    if media.startswith(("text/html", "application/xhtml", "text/xml", "application/xml", "text/javascript")):
        return None
    if media.endswith(("javascript", "ecmascript")):
        return None
    try:
        suffix = urlsplit(url).path.rsplit("/", 1)[-1].rpartition(".")[2].lower()
    except ValueError:
        return None
    if suffix in _BY_SUFFIX:
        return "jpg" if suffix == "jpeg" else suffix
    return None
