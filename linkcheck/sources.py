"""SOURCE arguments -> documents: files, folders (recursively), globs, online articles, stdin."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from linkcheck.models import Document, FetchResult, SourceError, SourceKind
from linkcheck.pages import charset_of
from linkcheck.urls import is_url_source

SUFFIX_KINDS = {
    ".txt": SourceKind.TEXT,
    ".text": SourceKind.TEXT,
    ".html": SourceKind.HTML,
    ".htm": SourceKind.HTML,
    ".xhtml": SourceKind.HTML,
    ".md": SourceKind.MARKDOWN,
    ".markdown": SourceKind.MARKDOWN,
    ".pdf": SourceKind.PDF,
}
_SUPPORTED = ", ".join(sorted(SUFFIX_KINDS))


def expand_sources(
    sources: list[str],
    stdin: BinaryIO,
    fetch_article: Callable[[str], FetchResult] | None,
    max_bytes: int,
    cwd: Path | None = None,
    page_url: str | None = None,
) -> Iterator[Document | SourceError]:
    """Each SOURCE as documents, in order; a source that cannot be read yields a SourceError.

    Relative paths are taken from `cwd` (the Environment's working folder), and documents keep the
    names as the user wrote them. With no `fetch_article` (an offline run) online articles are named
    as not read. `page_url` is the address a saved page (a file, or standard input) was published at:
    its relative links resolve against it and its date may be read from it, as an online article's
    are against the address it was fetched from.
    """
    cwd = cwd or Path.cwd()
    for source in sources:
        if source == "-":
            yield _with_url(_stdin_document(stdin, max_bytes), page_url)
        elif is_url_source(source):
            if fetch_article is None:
                yield SourceError(source, "not read: an online article needs the network, and this run is offline")
            else:
                yield _online_article(source, fetch_article)
        elif _GLOB_MAGIC.search(source) and not (cwd / source).exists():
            yield from _glob_documents(source, cwd, max_bytes)
        else:
            path = cwd / source
            if page_url and path.is_dir():
                yield SourceError(source, "--url is the address of one saved page, and this is a folder")
                continue
            for item in _path_documents(path, source, max_bytes):
                yield _with_url(item, page_url)


def read_source_list(text: str) -> list[str]:
    """The SOURCEs of a `--files-from` list: one a line, blank lines and `#` comments skipped."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


_GLOB_MAGIC = re.compile(r"[*?[]")


def _glob_documents(pattern: str, cwd: Path, max_bytes: int) -> Iterator[Document | SourceError]:
    """The files a glob matches (`articles/**/*.md`; `**` crosses folders), sorted; like a folder, it
    selects supported files only, and hidden files and folders only when the pattern names them."""
    found = False
    for match in sorted(glob.glob(pattern, root_dir=cwd, recursive=True)):
        path = cwd / match
        if path.is_file() and path.suffix.lower() in SUFFIX_KINDS:
            found = True
            yield _read_file(path, match, max_bytes)
    if not found:
        yield SourceError(pattern, f"no file matches this pattern (supported: {_SUPPORTED})")


def _with_url(item: Document | SourceError, page_url: str | None) -> Document | SourceError:
    return replace(item, base_url=page_url) if page_url and isinstance(item, Document) else item


def _stdin_document(stdin: BinaryIO, max_bytes: int) -> Document | SourceError:
    """Standard input as text; over the limit it is refused like a file, not silently cut."""
    content = stdin.read(max_bytes + 1)
    if len(content) > max_bytes:
        return SourceError("-", f"standard input is over the {max_bytes:,}-byte limit ([harvest] max_document_bytes)")
    return Document("-", SourceKind.TEXT, content)


def _path_documents(path: Path, source: str, max_bytes: int) -> Iterator[Document | SourceError]:
    if path.is_dir():
        found = False
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            # Each file's path and name are joined as strings from its folder's, made once per folder: a
            # rerun of thousands of files spent more in pathlib than in reading them.
            folder = str(Path(source) / Path(root).relative_to(path))
            named = folder if folder.endswith("/") else ("" if folder == "." else folder + "/")
            for name in sorted(files):
                if name.startswith("."):
                    continue
                kind = SUFFIX_KINDS.get(os.path.splitext(name)[1].lower())
                if kind is not None:
                    found = True
                    yield _read_kind(os.path.join(root, name), kind, named + name, max_bytes)
        if not found:
            yield SourceError(source, f"folder holds no supported files ({_SUPPORTED})")
        return
    if not path.exists():
        yield SourceError(source, "no such file or folder")
        return
    yield _read_file(path, source, max_bytes)


def _read_file(path: Path, source: str, max_bytes: int) -> Document | SourceError:
    kind = SUFFIX_KINDS.get(path.suffix.lower())
    if kind is None:
        return SourceError(source, f"unsupported file type {path.suffix or '(none)'!r}; supported: {_SUPPORTED}")
    return _read_kind(str(path), kind, source, max_bytes)


def _read_kind(path: str, kind: SourceKind, source: str, max_bytes: int) -> Document | SourceError:
    """A supported file's bytes, unless it is over the size limit."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            return SourceError(
                source, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit ([harvest] max_document_bytes)"
            )
        with open(path, "rb") as file:
            return Document(source, kind, file.read())
    except OSError as exc:
        return SourceError(source, f"cannot read: {exc.strerror or exc}")


def _online_article(url: str, fetch_article: Callable[[str], FetchResult]) -> Document | SourceError:
    result = fetch_article(url)
    if result.failure is not None:
        return SourceError(url, f"cannot fetch article: {result.failure.message}")
    if result.status is None or not 200 <= result.status < 300:
        return SourceError(url, f"cannot fetch article: HTTP {result.status} {result.reason}".strip())
    if result.truncated:
        return SourceError(url, "article is larger than [check] max_bytes; not harvested")
    content_type = (result.header("Content-Type") or "").lower()
    kind = SourceKind.HTML
    if "pdf" in content_type or result.body.startswith(b"%PDF-"):
        kind = SourceKind.PDF
    elif "text/plain" in content_type:
        kind = SourceKind.TEXT
    elif "markdown" in content_type:
        kind = SourceKind.MARKDOWN
    return Document(url, kind, result.body, base_url=result.final_url, encoding=charset_of(content_type))
