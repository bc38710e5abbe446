"""`index.html` at the archive's root: every capture, newest first, for a person opening the folder.

Works from `file://`: relative links only, no script, no external resource, every text escaped.
Rewritten whole (to a temporary file, then renamed) at the end of each run and by reindex.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from linkcheck.archive.cdxj_index import CdxjIndex
from linkcheck.archive.paths import COPY_COMPLETE, index_path, inside
from linkcheck.files import atomic_write

INDEX_PAGE = "index.html"
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'"
_STYLE = (
    "body{font:14px/1.4 sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;width:100%}"
    "th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}"
    "td.url{word-break:break-all}th{background:#f4f4f4}"
)


@dataclass(frozen=True)
class ListedCapture:
    """One row of the index page: a capture with a readable copy."""

    captured_at: str
    url: str
    title: str
    status: str
    copy: str  # relative to the archive root
    warc: str  # relative to the archive root
    offset: int | None


def listed_captures(root: Path, known: Mapping[str, ListedCapture] | None = None) -> list[ListedCapture]:
    """The captures the CDXJ index gives a readable copy to, newest first (one row per copy).

    `known`: rows of copies (by folder, relative to the root) that the caller wrote itself and holds
    in memory (a run's own captures): taken as they are instead of reading their meta.json again.
    """
    known = known or {}
    folders: dict[str, None] = {}
    for entry in CdxjIndex(index_path(root)):
        if entry.page:
            folders.setdefault(entry.page, None)
    rows = []
    for page in folders:
        if page in known:
            rows.append(known[page])
            continue
        folder = root / page
        if not inside(root, folder):
            continue
        try:
            meta = json.loads((folder / COPY_COMPLETE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not written whole (recovery removes it), or damaged: nothing to link to
        rows.append(listed_capture(page, meta))
    return sorted(rows, key=lambda row: (row.captured_at, row.copy), reverse=True)


def listed_capture(page: str, meta: Mapping[str, object]) -> ListedCapture:
    """The row of the copy in folder `page` (relative to the root), from its meta.json."""
    offset = meta.get("offset")
    return ListedCapture(
        captured_at=str(meta.get("captured_at") or ""),
        url=str(meta.get("url") or ""),
        title=str(meta.get("title") or ""),
        status=str(meta.get("status") or ""),
        copy=f"{page}/{_opened_file(meta)}",
        warc=str(meta.get("warc") or ""),
        offset=offset if isinstance(offset, int) else None,
    )


def index_page(rows: list[ListedCapture]) -> str:
    """The page itself (pure)."""
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        f"<title>Archived pages ({len(rows)})</title><style>{_STYLE}</style></head><body>",
        f"<h1>Archived pages</h1><p>{len(rows)} captures, newest first. Each readable copy opens offline;"
        " the WARC record holds the page as received (file and byte offset).</p>",
        "<table><thead><tr><th>Captured</th><th>Title</th><th>URL</th><th>Status</th>"
        "<th>Readable copy</th><th>WARC record</th></tr></thead><tbody>",
    ]
    for row in rows:
        warc = html.escape(row.warc)
        offset = f" @ {row.offset}" if row.offset is not None else ""
        lines.append(
            "<tr>"
            f"<td>{html.escape(row.captured_at)}</td>"
            f"<td>{html.escape(row.title)}</td>"
            f'<td class="url">{html.escape(row.url)}</td>'
            f"<td>{html.escape(row.status)}</td>"
            f'<td><a href="{_href(row.copy)}">open</a></td>'
            f'<td><a href="{_href(row.warc)}">{warc}</a>{offset}</td>'
            "</tr>"
        )
    lines.append("</tbody></table></body></html>")
    return "\n".join(lines) + "\n"


def write_index_page(root: Path, known: Mapping[str, ListedCapture] | None = None) -> Path:
    """Write `<root>/index.html` from the index and the copies' meta.json (atomically); `known` as
    listed_captures takes it."""
    path = root / INDEX_PAGE
    atomic_write(path, index_page(listed_captures(root, known)).encode("utf-8"))
    return path


def _opened_file(meta: Mapping[str, object]) -> str:
    """What a person opens in a copy's folder: page.html, else the payload as saved."""
    files = meta.get("files")
    names = [str(name) for name in files] if isinstance(files, list) else []
    if "page.html" in names:
        return "page.html"
    payload = next((name for name in names if name.startswith("payload.")), None)
    return payload or COPY_COMPLETE


def _href(path: str) -> str:
    """A relative link to a file under the root: each path segment percent-encoded, then escaped."""
    return html.escape("/".join(quote(part) for part in path.split("/")), quote=True)
