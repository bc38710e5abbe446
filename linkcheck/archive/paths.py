"""The archive's layout: file and folder names derived from URLs and runs, kept inside the archive."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from linkcheck.archive.target_uri import target_uri
from linkcheck.urls import InvalidURL, normalize_host

MAX_NAME = 80
WARC_SUFFIX = ".warc.gz"
COPY_COMPLETE = "meta.json"  # written last: a readable copy without it was not written whole
FILES_FOLDER = "page_files"  # a readable copy's requisites (images, stylesheets, fonts), beside page.html
# Names Windows refuses whatever the extension ("con.txt" too): archives get copied around.
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{stem}{digit}" for stem in ("com", "lpt") for digit in "0123456789"]
)
_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def safe_name(text: str) -> str:
    """One path component from untrusted text: no separators, dots-only, NUL, reserved or long names."""
    name = _UNSAFE.sub("_", text.lower()).strip(" .")
    if not name:
        name = "_"
    if name.split(".", 1)[0] in _WINDOWS_RESERVED:
        name = "_" + name
    if len(name) > MAX_NAME:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        name = f"{name[: MAX_NAME - 17]}-{digest}"
    return name


def url_hash(url: str) -> str:
    """A short, stable folder name for a URL."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def host_folder(url: str) -> str:
    """The `<host>` folder of a URL's readable copies: host and port, made safe."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return _host_folder(parts.hostname or "no-host", port)


@lru_cache(maxsize=1024)  # a run captures many pages of few hosts; IDNA and the checks cost more than the split
def _host_folder(host: str, port: int | None) -> str:
    try:
        host = normalize_host(host)
    except InvalidURL:
        pass  # safe_name makes even this harmless
    host = host.strip("[]")
    return safe_name(f"{host}_{port}" if port else host)


def pages_folder(root: Path, url: str) -> Path:
    """`<root>/pages/<host>/<hash of URL>`: where every readable copy of `url` lives.

    Hashed as the WARC names it, so an IRI and its percent-encoded form share the folder.
    """
    return Path(root, url_folder(url))


def url_folder(url: str) -> str:
    """`pages/<host>/<hash of URL>`, relative to the archive root: pages_folder as text (a capture builds
    its paths as strings; pathlib's joins were a tenth of a capture's CPU)."""
    return f"pages/{host_folder(url)}/{url_hash(target_uri(url))}"


def inside(root: Path, path: Path) -> bool:
    """Whether `path` resolves to somewhere under `root` (a last check before writing)."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def index_path(root: Path) -> Path:
    return root / "indexes" / "index.cdxj"


def pending_dir(root: Path) -> Path:
    return root / "indexes" / "pending"


def run_lock_path(pending: Path, marker_name: str) -> Path:
    """The lock a run holds while it writes the WARC file a pending marker names."""
    return pending / f"{marker_name.removesuffix(WARC_SUFFIX).rsplit('-', 1)[0]}.lock"
