"""WACZ 1.1.1 packages of the archive's captures (`linkcheck export --wacz`).

A package is a ZIP holding `archive/` (WARC files, stored, not recompressed), `indexes/index.cdxj`,
`pages/pages.jsonl` (the cited pages), `datapackage.json` (every file with its sha256 and size) and
`datapackage-digest.json` (the manifest's own hash). A WARC file whose captures are all selected
goes in whole, byte for byte; one shared with captures that were not selected goes in as its
warcinfo record and the selected captures' records, each byte for byte (wacz_layout.py), so a
package made for one article carries nothing of the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from linkcheck import __version__
from linkcheck.archive.cdxj_index import CdxjIndex, IndexEntry
from linkcheck.archive.json_text import indented_json
from linkcheck.archive.paths import index_path
from linkcheck.archive.target_uri import target_uri
from linkcheck.archive.wacz_layout import CaptureSpan, RecordInfo, WarcLayout, page_title, read_layout
from linkcheck.archive.warc_reader import read_warc
from linkcheck.errors import LinkcheckError
from linkcheck.files import atomic_file

WACZ_VERSION = "1.1.1"
_CHUNK = 1 << 20


class ExportError(LinkcheckError):
    """Nothing could be packaged (no capture selected, or none found in the archive)."""


@dataclass(frozen=True)
class CaptureRef:
    """A capture to package, as the state store knows it."""

    url: str  # the cited URL
    warc: str  # its WARC file (a path or a name; the name in the archive's warc/ folder counts)
    offset: int  # the offset of one of its records (the store keeps the final page's)
    captured_at: str = ""


@dataclass(frozen=True)
class Selection:
    """What goes into a package; `captures` None means every capture the archive's index lists."""

    captures: tuple[CaptureRef, ...] | None = None
    title: str = "linkcheck archive"
    description: str = "Pages cited by articles, captured by linkcheck."
    main_urls: tuple[str, ...] = ()  # an article's cited URLs in its order: the first packaged is the main page


@dataclass(frozen=True)
class PackageSummary:
    path: Path
    warcs: tuple[str, ...]
    sliced: tuple[str, ...]  # WARC files that hold only the selected captures of the archive's file
    records: int  # lines of the package's index
    pages: tuple[dict[str, str], ...]
    warnings: tuple[str, ...] = ()  # selected captures (or revisits' originals) that could not be packaged
    notes: tuple[str, ...] = ()  # damage in WARC files packaged as they are


@dataclass
class _Chosen:
    """The captures taken from each WARC file, and where revisits' originals are."""

    layouts: dict[str, WarcLayout] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)  # WARC files the archive no longer has
    spans: dict[str, dict[int, CaptureSpan]] = field(default_factory=dict)  # file -> start -> span
    pages: list[CaptureSpan] = field(default_factory=list)
    originals: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)  # revisit -> original
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)  # bytes packaged of each whole file (it may still grow)

    def take(self, span: CaptureSpan) -> bool:
        taken = self.spans.setdefault(span.filename, {})
        if span.start in taken:
            return False
        taken[span.start] = span
        return True


def write_wacz(root: Path | str, out: Path, selection: Selection, created: dt.datetime) -> PackageSummary:
    """Package the selected captures of the archive at `root` as a WACZ file at `out` (written whole,
    then renamed into place). Raises ExportError when there is nothing to package."""
    root = Path(root)
    chosen = _choose(root, selection)
    if not chosen.pages:
        raise ExportError(_nothing_message(root, selection, chosen))
    _add_originals(root, chosen)
    stamp = _zip_time(created)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".linkcheck-wacz-", dir=out.parent) as scratch:
        with atomic_file(out, "wb") as handle, zipfile.ZipFile(handle, "w") as package:
            resources, entries, sliced = _add_warcs(
                package, root, chosen, selection.captures is None, Path(scratch), stamp
            )
            index = "".join(sorted({replace(entry, page=None).line() for entry in entries})).encode()
            resources.append(_add_bytes(package, "indexes/index.cdxj", index, stamp))
            pages = _pages(root, chosen)
            header = {"format": "json-pages-1.0", "id": "pages", "title": selection.title}
            lines = [json.dumps(line, ensure_ascii=False) for line in [header, *pages]]
            resources.append(_add_bytes(package, "pages/pages.jsonl", ("\n".join(lines) + "\n").encode(), stamp))
            manifest = _datapackage(selection, resources, pages, created)
            _add_bytes(package, "datapackage.json", manifest, stamp)
            digest_file = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(manifest).hexdigest()}
            _add_bytes(package, "datapackage-digest.json", _json_bytes(digest_file), stamp)
    return PackageSummary(
        out,
        tuple(sorted(chosen.spans)),
        tuple(sliced),
        len(index.splitlines()),
        tuple(pages),
        tuple(chosen.warnings),
        tuple(chosen.notes),
    )


def _add_warcs(
    package: zipfile.ZipFile, root: Path, chosen: _Chosen, all_whole: bool, scratch: Path, stamp: tuple[int, ...]
) -> tuple[list[dict[str, Any]], list[IndexEntry], list[str]]:
    """Each WARC file whole, or cut to the chosen captures; (their resources, their records' index
    entries, the names of the files cut)."""
    resources: list[dict[str, Any]] = []
    entries: list[IndexEntry] = []
    sliced: list[str] = []
    for name in sorted(chosen.spans):
        layout = chosen.layouts[name]
        source = root / "warc" / name
        whole = all_whole or (not layout.unclosed and len(chosen.spans[name]) == len(layout.captures))
        if not whole:
            source = _slice(source, layout, chosen.spans[name].values(), scratch / name)
            sliced.append(name)
        size, digest = _add_file(package, f"archive/{name}", source, stamp)
        if whole:
            chosen.sizes[name] = size
        resources.append(_resource(f"archive/{name}", size, digest))
        contents = read_warc(source, name)
        entries += [entry for entry in contents.entries if entry.offset + entry.length <= size]
        chosen.notes += [f"damaged WARC file packaged as it is: {damage}" for damage in contents.damage]
    return resources, entries, sliced


# --- choosing captures ---


def _choose(root: Path, selection: Selection) -> _Chosen:
    chosen = _Chosen()
    if selection.captures is None:
        names = sorted({entry.filename for entry in CdxjIndex(index_path(root))})
        for name in names:
            layout = _layout(root, name, chosen)
            if layout is None:
                continue
            for closed in layout.captures:
                chosen.take(closed)
                chosen.pages.append(closed)
            if not layout.captures and layout.unclosed:
                chosen.spans.setdefault(name, {})  # records the index lists, outside any closed capture
        return chosen
    for ref in selection.captures:
        name = Path(ref.warc).name
        if _layout(root, name, chosen) is None:
            continue
        found = _span_at(root, chosen, name, ref.offset)
        if found is None:
            chosen.warnings.append(
                f"capture of {ref.url} {ref.captured_at}: no whole capture at offset {ref.offset} of warc/{name}"
            )
        elif chosen.take(found):
            chosen.pages.append(found)
    return chosen


def _layout(root: Path, name: str, chosen: _Chosen) -> WarcLayout | None:
    """The file's layout, read once; None (said once) when the file is missing."""
    if name in chosen.missing:
        return None
    if name not in chosen.layouts:
        path = root / "warc" / name
        if not path.is_file():
            chosen.missing.add(name)
            chosen.warnings.append(f"warc/{name} is not in the archive at {root}: its captures are left out")
            return None
        chosen.layouts[name] = read_layout(path, name)
    return chosen.layouts[name]


def _add_originals(root: Path, chosen: _Chosen) -> None:
    """Take the capture holding each revisit's original record too, so the package replays it."""
    index = CdxjIndex(index_path(root))
    spans = [span for taken in list(chosen.spans.values()) for span in taken.values()]
    for span in spans:
        for record in span.records:
            if record.rec_type != "revisit":
                continue
            original = _original(index, record)
            found = _span_at(root, chosen, original.filename, original.offset) if original else None
            if original is None or found is None:
                chosen.warnings.append(
                    f"revisit of {record.url} at {record.date}: its original record is not in the archive,"
                    " so the package cannot replay it"
                )
                continue
            chosen.take(found)
            chosen.originals[(span.filename, record.offset)] = (original.filename, original.offset)


def _span_at(root: Path, chosen: _Chosen, name: str, offset: int) -> CaptureSpan | None:
    layout = _layout(root, name, chosen)
    return next((span for span in layout.captures if span.holds(offset)), None) if layout else None


def _original(index: CdxjIndex, revisit: RecordInfo) -> IndexEntry | None:
    """The response a revisit points to: same URL and payload digest, at its WARC-Refers-To-Date
    (else the latest such response before the revisit)."""
    url = revisit.refers_to_url or revisit.url
    revisit_stamp = _digits(revisit.date)
    candidates = [
        entry
        for entry in index.lookup(url)
        if not entry.is_revisit and entry.digest == revisit.digest and entry.timestamp <= revisit_stamp
    ]
    if revisit.refers_to_date:
        exact = [entry for entry in candidates if entry.timestamp == _digits(revisit.refers_to_date)]
        candidates = exact or candidates
    return candidates[-1] if candidates else None


def _slice(source: Path, layout: WarcLayout, spans: Iterable[CaptureSpan], target: Path) -> Path:
    """A WARC file holding the source's warcinfo and these captures, every byte copied unchanged."""
    with source.open("rb") as reading, target.open("wb") as writing:
        _copy(reading, writing, 0, layout.header_end)
        for span in sorted(spans, key=lambda span: span.start):
            _copy(reading, writing, span.start, span.end - span.start)
    return target


def _copy(
    reading: IO[bytes], writing: IO[bytes], start: int, length: int, short: str | None = None, hasher: Any = None
) -> None:
    """Copy `length` bytes from `start` in chunks (through `hasher` when given); ExportError, saying
    `short` (or where the file ended), when the file holds fewer."""
    reading.seek(start)
    left = length
    while left > 0:
        chunk = reading.read(min(_CHUNK, left))
        if not chunk:
            name = getattr(reading, "name", "a WARC file")
            raise ExportError(short or f"{name} ended before offset {start + length}")
        if hasher is not None:
            hasher.update(chunk)
        writing.write(chunk)
        left -= len(chunk)


# --- the package's files ---


def _pages(root: Path, chosen: _Chosen) -> list[dict[str, str]]:
    """One line per cited page captured: url, ts (RFC 3339), title when the page has one."""
    lines: dict[tuple[str, str], dict[str, str]] = {}
    for span in chosen.pages:
        if span.end > chosen.sizes.get(span.filename, span.end):
            continue  # appended after the file was packaged
        url, ts = span.cited_url, _rfc3339(span.date)
        if (url, ts) in lines:
            continue
        line = {"id": hashlib.sha1(f"{url} {ts}".encode()).hexdigest()[:20], "url": url, "ts": ts}
        title = _title(root, span, chosen)
        if title:
            line["title"] = title
        lines[(url, ts)] = line
    return sorted(lines.values(), key=lambda line: (line["ts"], line["url"]))


def _title(root: Path, span: CaptureSpan, chosen: _Chosen) -> str | None:
    final = span.final
    if final is None:
        return None
    where = (span.filename, final.offset)
    if final.rec_type == "revisit":
        where = chosen.originals.get(where, where)
    return page_title(root / "warc" / where[0], where[1])


def _datapackage(
    selection: Selection, resources: list[dict[str, Any]], pages: list[dict[str, str]], created: dt.datetime
) -> bytes:
    manifest: dict[str, Any] = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": selection.title,
        "description": selection.description,
        "created": _rfc3339(created),
        "software": f"linkcheck {__version__}",
        "resources": resources,
    }
    main = _main_page(selection, pages)
    if main is not None:
        manifest["mainPageUrl"], manifest["mainPageDate"] = main["url"], main["ts"]
    return _json_bytes(manifest)


def _main_page(selection: Selection, pages: list[dict[str, str]]) -> dict[str, str] | None:
    """The latest capture of the article's first cited URL that the package holds."""
    for url in selection.main_urls:
        same = [page for page in pages if page["url"] == target_uri(url)]
        if same:
            return same[-1]
    return None


def _resource(path: str, size: int, digest: str) -> dict[str, Any]:
    name = "".join(ch if ch.isalnum() or ch in "-._" else "-" for ch in Path(path).name.lower())
    return {"name": name, "path": path, "hash": f"sha256:{digest}", "bytes": size}


def _add_file(package: zipfile.ZipFile, arcname: str, source: Path, stamp: tuple[int, ...]) -> tuple[int, str]:
    """Store a file in the package as it is (no compression: replay tools read WARCs by range)."""
    size = source.stat().st_size
    info = zipfile.ZipInfo(arcname, date_time=stamp[:6])  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_STORED
    info.file_size = size
    hasher = hashlib.sha256()
    with source.open("rb") as reading, package.open(info, "w", force_zip64=size >= zipfile.ZIP64_LIMIT) as writing:
        _copy(reading, writing, 0, size, f"{source} shrank while it was being packaged", hasher)
    return size, hasher.hexdigest()


def _add_bytes(package: zipfile.ZipFile, arcname: str, data: bytes, stamp: tuple[int, ...]) -> dict[str, Any]:
    info = zipfile.ZipInfo(arcname, date_time=stamp[:6])  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    package.writestr(info, data)
    return _resource(arcname, len(data), hashlib.sha256(data).hexdigest())


def _json_bytes(data: dict[str, Any]) -> bytes:
    return indented_json(data)


def _zip_time(moment: dt.datetime) -> tuple[int, ...]:
    moment = moment.astimezone(dt.UTC) if moment.tzinfo else moment
    return tuple(max(moment, dt.datetime(1980, 1, 1, tzinfo=moment.tzinfo)).timetuple()[:6])


def _rfc3339(moment: dt.datetime | str) -> str:
    if isinstance(moment, str):
        t = _digits(moment).ljust(14, "0")
        return f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())[:14]


def _nothing_message(root: Path, selection: Selection, chosen: _Chosen) -> str:
    if selection.captures is None:
        return f"the archive at {root} lists no captures (is its index missing? `linkcheck archive reindex`)"
    reasons = "; ".join(chosen.warnings[:3])
    return f"no capture to package ({reasons})" if reasons else "no capture to package: none was selected"
