"""The local archive of cited pages: WARC files, their CDXJ index, and a readable copy per capture.

Layout under the root (archive/README.md): `warc/` one gzip-per-record WARC/1.1 file per run (rolled
over at max_warc_bytes), `indexes/index.cdxj` the sorted index, `indexes/pending/` markers of WARC
files not yet in the index, `pages/<host>/<hash of URL>/<timestamp>/` the readable copies (with their
requisites in `page_files/`), `index.html` the list of captures for people.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib.metadata import version
from io import BytesIO
from pathlib import Path
from types import TracebackType

from linkcheck import __version__
from linkcheck.archive.carried import carried, moved_meta, safe_file
from linkcheck.archive.cdxj_index import CdxjIndex, IndexEntry, IndexView, mime_of, url_key
from linkcheck.archive.index_page import ListedCapture, listed_capture, write_index_page
from linkcheck.archive.json_text import indented_json
from linkcheck.archive.local_copy import SavedRequisites, saved_requisites
from linkcheck.archive.page_tree import Element
from linkcheck.archive.paths import COPY_COMPLETE, index_path, inside, url_folder
from linkcheck.archive.readable_copy import MAX_TEXT_CHARS, ReadableCopy
from linkcheck.archive.recovery import recover, remove_copy
from linkcheck.archive.requisite_fetch import Fetch, RequisiteHosts, RequisiteLimits, gather_requisites
from linkcheck.archive.requisites import page_requisites
from linkcheck.archive.similarity import text_similarity
from linkcheck.archive.target_uri import target_uri
from linkcheck.archive.warc_files import ArchiveError, RollingWarcFiles
from linkcheck.archive.warc_reader import read_records
from linkcheck.archive.warc_writer import Exchange, Original, WarcWriter, WrittenRecord, exchanges_of, warc_date
from linkcheck.files import TEMPORARY_SUFFIX, atomic_write, sync_filesystem
from linkcheck.models import Capture, CarriedCapture, Drift, FetchResult, Snapshot
from linkcheck.pacing import HostStarts

_UUID_KEPT = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)  # all but the version and variant bits
_UUID_VERSION_4 = (0x4000 << 64) | (0x8000 << 48)  # version 4, RFC 4122 variant
DEFAULT_MAX_WARC_BYTES = 1_000_000_000
DEFAULT_DRIFT_THRESHOLD = 0.8
_NOT_DIGIT = re.compile(r"\D")
_COPY_FOLDER = re.compile(r"^(\d{14})(?:-(\d+))?$")
log = logging.getLogger(__name__)


def write_new_file(folder: str, name: str, content: bytes) -> None:
    """One file of a readable copy, written in place: its folder is the capture's own (made by an
    exclusive mkdir) and nothing reads it before its meta.json is there, so a temporary file and a
    rename per file (a third of a snapshot's CPU) buy nothing; a crash leaves a folder without
    meta.json, which recovery removes whole."""
    path = os.path.join(folder, name)
    if "/" in name:  # the requisites, in page_files/
        os.makedirs(os.path.dirname(path), exist_ok=True)
    create_file(path, content)


def write_meta(folder: str, content: bytes) -> None:
    """A copy's meta.json, atomically: a temporary file of its own (the folder is the capture's) renamed
    over it, so it is whole or absent; not synced (close() syncs once)."""
    temporary = os.path.join(folder, f".{COPY_COMPLETE}{TEMPORARY_SUFFIX}")
    try:
        create_file(temporary, content)
        os.replace(temporary, os.path.join(folder, COPY_COMPLETE))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def create_file(path: str, content: bytes) -> None:
    """A new file (FileExistsError if there is one) holding `content`, 0o666 less the umask as atomic_write's
    files: open, write, close, where open()'s file object also costs a stat, an isatty ioctl and a seek."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # not inherited by children (PEP 446)
    try:
        view = memoryview(content)
        while view:
            written = os.write(fd, view)
            if not written:
                raise OSError(f"could not write to {path}")
            view = view[written:]
    finally:
        os.close(fd)


def timestamp_of(date: str) -> str:
    """The 14 digits of a WARC-Date (`2026-01-01T00:00:00Z` -> `20260101000000`)."""
    if date.isascii():
        return _NOT_DIGIT.sub("", date)[:14]
    return "".join(ch for ch in date if ch.isdigit())[:14]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _RandomBytes:
    """os.urandom's bytes, read 4 kB at a time: each read is a system call that lets the other threads
    take the interpreter lock (three record ids a capture were three getrandom calls). Thread-safe; a
    forked child starts with an empty buffer, so parent and child never hand out the same bytes."""

    _CHUNK = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer = b""
        self._used = 0
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._buffer, self._used = b"", 0

    def take(self, count: int) -> bytes:
        with self._lock:
            if self._used + count > len(self._buffer):
                self._buffer, self._used = os.urandom(max(self._CHUNK, count)), 0
            start = self._used
            self._used += count
            return self._buffer[start : self._used]


_RANDOM = _RandomBytes()


def new_record_id() -> str:
    """A WARC-Record-ID: a random (version 4) UUID as a URN."""
    return record_id_of(_RANDOM.take(16))


def record_id_of(random: bytes) -> str:
    """The version 4 UUID URN uuid.UUID(bytes=random, version=4) names, without building the UUID (three
    a capture; the object's checks cost more than the 16 random bytes)."""
    digits = (int.from_bytes(random) & _UUID_KEPT | _UUID_VERSION_4).to_bytes(16).hex()
    return f"<urn:uuid:{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}>"


@dataclass(frozen=True)
class _PreviousCopy:
    captured_at: str
    sha256: str | None
    text_path: Path


class Archive:
    """Captures downloads into the archive under `root`; one instance per run, then close().

    capture() is thread-safe: WARC appends and index updates are serialised, a capture's folder is
    taken by an exclusive mkdir, the parsing, text comparison and readable-copy writes run in
    parallel. `clock`, `id_factory` and `run_id` (the unique part of WARC file names) make the output
    reproducible in tests. With `fetch_requisite` (the checker's fetch), an HTML page's requisites
    are captured too, within `requisite_limits`.
    """

    def __init__(
        self,
        root: Path | str,
        *,
        max_warc_bytes: int = DEFAULT_MAX_WARC_BYTES,
        respect_noarchive: bool = True,
        drift_threshold: float = DEFAULT_DRIFT_THRESHOLD,
        clock: Callable[[], dt.datetime] = utc_now,
        id_factory: Callable[[], str] = new_record_id,
        run_id: str | None = None,
        fetch_requisite: Fetch | None = None,
        requisite_limits: RequisiteLimits | None = None,
        host_starts: HostStarts | None = None,
        requisite_hosts: RequisiteHosts | None = None,
        write_index_page: bool = True,
    ) -> None:
        """`host_starts`: each host's earliest next request start, shared with the checker (check_urls'), so
        per_host_delay spaces requisites from pages; `requisite_hosts`: per-host requisite limits kept across
        archives (a worker's slices); `write_index_page`: rewrite archive/index.html on close."""
        self.root = Path(root)
        self.max_warc_bytes = max_warc_bytes
        self.respect_noarchive = respect_noarchive
        self.drift_threshold = drift_threshold
        self._clock = clock
        self._new_id = id_factory
        self._run_id = run_id or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._fetch_requisite = fetch_requisite
        self._requisite_limits = requisite_limits or RequisiteLimits()
        self._requisite_hosts = requisite_hosts or RequisiteHosts.of(self._requisite_limits, host_starts)
        self._write_index_page = write_index_page
        self.index = CdxjIndex(index_path(self.root))
        self._index_view = IndexView(self.index)  # the index as this run first read it, mapped once
        self._lock = threading.Lock()
        self._run_entries: dict[str, list[IndexEntry]] = {}
        self._spans: dict[str, tuple[str, int, int]] = {}  # page record id -> (WARC file, start, length) of a capture
        # The root as capture paths start (str(root / "pages") is "pages" for a root of ".").
        self._root_text = "" if str(self.root) == "." else str(self.root)
        self._checked_hosts: set[str] = set()  # host folders under pages/ resolved inside the archive
        self._listed: dict[str, ListedCapture] = {}  # this run's copies as index.html lists them
        self.warc_files = RollingWarcFiles(
            self.root, self._run_id, max_warc_bytes, clock, id_factory, self._warcinfo_fields()
        )
        self._closed = False
        self.recovered = recover(self.root)

    # --- capture ---

    def capture(self, fetch: FetchResult, parsed: object | None = None) -> Capture:
        """Archive one download (its redirect hops too), or say why not.

        Fetches nothing itself; with `fetch_requisite`, asks it for an HTML page's requisites.
        `parsed` is the page as the checker parsed it (pages.parse_page): read, never changed.
        """
        if fetch.status is None or fetch.failure is not None:
            why = fetch.failure.message if fetch.failure else "no response"
            return Capture(None, f"nothing to archive: {why}")
        date = warc_date(fetch.started_at or self._clock())
        # A server in trouble (5xx) or asking to slow down (429) is not asked for more.
        troubled = fetch.status == 429 or fetch.status >= 500
        saver = self._save_requisites if self._fetch_requisite is not None and not troubled else None
        copy = ReadableCopy.of(fetch, date, saver, self.respect_noarchive, parsed)
        if self.respect_noarchive and copy.noarchive:
            return Capture(None, copy.noarchive)
        page_exchanges = exchanges_of(fetch)
        requisites = copy.requisites.downloads if copy.requisites else ()
        dates = [date] * len(page_exchanges)
        exchanges = list(page_exchanges)
        for download in requisites:
            own = exchanges_of(download)
            exchanges += own
            dates += [warc_date(download.started_at or self._clock())] * len(own)
        if self._closed:
            raise ArchiveError("the archive is closed")
        for exchange in exchanges:
            _ = exchange.payload_digest  # hashed before the lock is taken, once (a cached property)
        # The capture's own folder, made outside the lock (mkdir is exclusive; a system call or three
        # that would keep every other capture waiting).
        relative = url_folder(fetch.url)  # hashed once for both
        parent = os.path.join(self._root_text, relative)
        # A URL folder made just now holds no earlier copy: no listing to read.
        previous = None if self._url_folder(parent) else self._previous_copy(parent)
        name = self._copy_folder(parent, fetch.url, date)
        folder, page = os.path.join(parent, name), f"{relative}/{name}"
        with self._lock:
            try:
                if self._closed:
                    raise ArchiveError("the archive is closed")
                # Under the lock: whether a payload is a revisit depends on the captures appended before.
                blob, written = self._records(exchanges, dates, len(page_exchanges), fetch.url, page)
                name, base = self.warc_files.append(blob)
            except BaseException:
                os.rmdir(folder)
                raise
            self._spans[written[len(page_exchanges) - 1].record_id] = (name, base, len(blob))
            # Without the readable copy until it is written whole (a crash may come first).
            entries = [
                self._entry(exchange, record, name, base, None)
                for exchange, record in zip(exchanges, written, strict=True)
            ]
            for entry in entries:
                self._run_entries.setdefault(entry.urlkey, []).append(entry)
        final, final_record = page_exchanges[-1], written[len(page_exchanges) - 1]
        sha256 = hashlib.sha256(final.payload).hexdigest()
        drift, similarity = self._drift(previous, copy, sha256, date)
        meta = {
            "url": fetch.url,
            "final_url": fetch.final_url,
            "status": fetch.status,
            "reason": fetch.reason,
            "http_version": fetch.http_version,
            "headers": [list(header) for header in fetch.headers],
            "sha256": sha256,
            "payload_digest": final.payload_digest,
            "payload_bytes": len(final.payload),
            "captured_at": date,
            "warc": f"warc/{name}",
            "offset": base + final_record.offset,
            "record_id": final_record.record_id,
            "record_type": final_record.record_type,
            "truncated": fetch.truncated,
            "truncated_in_warc": final.truncated,
            "redirects": [
                {"url": exchange.url, "status": exchange.status, "offset": base + record.offset}
                for exchange, record in zip(page_exchanges[:-1], written[: len(page_exchanges) - 1], strict=True)
            ],
            "files": sorted(copy.files),
            "title": copy.title,
            "requisites": _requisites_meta(copy.requisites),
            "previous_captured_at": previous.captured_at if previous else None,
            "similarity_to_previous": similarity,
        }
        try:
            for file_name, content in copy.files.items():
                # No fsync per file (three a page cost more than the check itself): close() syncs once.
                write_new_file(folder, file_name, content)
            # Last: a copy is whole when its meta.json is there (_previous_copy, recovery rely on it).
            write_meta(folder, indented_json(meta))
        except BaseException:
            remove_copy(Path(folder))  # not whole: nothing may point at it
            raise
        with self._lock:
            self._listed[page] = listed_capture(page, meta)
            # The readable copy belongs to the cited URL's own record and to the final page's.
            last = len(page_exchanges) - 1
            for i, (exchange, entry) in enumerate(zip(page_exchanges, entries, strict=False)):
                if exchange.url == fetch.url or i == last:
                    listed = self._run_entries[entry.urlkey]
                    listed[next(j for j, e in enumerate(listed) if e is entry)] = replace(entry, page=page)
        snapshot = Snapshot(
            warc=os.path.join(self._root_text, "warc", name),
            sha256=sha256,
            captured_at=date,
            page=folder,
            record_id=final_record.record_id,
            offset=base + final_record.offset,
            requisites=copy.requisites.counts if copy.requisites else None,
        )
        return Capture(snapshot, None, drift)

    def _save_requisites(self, tree: Element, base: str) -> SavedRequisites:
        """A page's requisites fetched through `fetch_requisite` within the limits, and saved for its copy."""
        assert self._fetch_requisite is not None
        found = page_requisites(tree, base, self._requisite_limits.max_count + 1)  # one more: cut or not
        gathered = gather_requisites(found, self._fetch_requisite, self._requisite_limits, self._requisite_hosts)
        return saved_requisites(gathered)

    def _records(
        self, exchanges: list[Exchange], dates: list[str], page_count: int, cited: str, page: str
    ) -> tuple[bytes, list[WrittenRecord]]:
        """One capture's records, in a buffer so they reach the file in one append: the page's
        exchanges (`page_count` of them, redirects first), its requisites', then the metadata record
        naming the readable copy (reindex gives the copy to the records before it that are the page's)."""
        buffer = BytesIO()
        writer = WarcWriter(buffer, self._new_id)
        written = []
        for exchange, date in zip(exchanges, dates, strict=True):
            response, _request = writer.write_exchange(exchange, date, self._original(exchange))
            written.append(response)
        fields = {"readable-copy": page, "cited-url": target_uri(cited)}
        writer.write_metadata(cited, dates[0], written[page_count - 1].record_id, fields)
        return buffer.getvalue(), written

    def _original(self, exchange: Exchange) -> Original | None:
        """The capture an identical payload refers to, when the URL's latest capture has this digest."""
        if not exchange.payload or exchange.truncated:
            return None
        digest = exchange.payload_digest.removeprefix("sha1:")
        history = self._captures(exchange.url)
        if not history or history[-1].digest != digest:
            return None
        for entry in reversed(history):
            if not entry.is_revisit and entry.digest == digest:
                return Original(entry.url, entry.warc_date)
        return None

    def _entry(self, exchange: Exchange, record: WrittenRecord, name: str, base: int, page: str | None) -> IndexEntry:
        revisit = record.record_type == "revisit"
        return IndexEntry(
            urlkey=url_key(exchange.url),
            timestamp=timestamp_of(record.date),
            url=record.url,  # as the WARC names it (a valid URI), so reindex gives the same line
            mime="warc/revisit" if revisit else mime_of(exchange.header("Content-Type")),
            status=None if revisit else exchange.status,
            digest=(record.digest or "-").removeprefix("sha1:"),
            length=record.length,
            offset=base + record.offset,
            filename=name,
            page=page,
        )

    # --- readable copies and drift ---

    def _reserve_folder(self, url: str, date: str) -> Path:
        """A new folder for a capture of `url` in its URL folder, made if need be."""
        parent = os.path.join(self._root_text, url_folder(url))
        self._url_folder(parent)
        return Path(parent, self._copy_folder(parent, url, date))

    def _url_folder(self, parent: str) -> bool:
        """Make sure a URL's folder `parent` exists, inside the archive; whether it was made now.

        Checked before anything is created (a symlink out, say). Resolving a path is a system call per
        component, so a host folder checked once in this run is taken as checked: a URL folder made
        now in it by an exclusive mkdir is a new real folder, and only one that was there is resolved.
        Safe without the lock: two threads checking the same host folder both find it inside.
        """
        host = os.path.dirname(parent)
        if host not in self._checked_hosts:
            if not inside(self.root, Path(parent)):
                raise ArchiveError(f"refusing to write outside the archive: {parent}")
            os.makedirs(host, exist_ok=True)
            self._checked_hosts.add(host)
        try:
            os.mkdir(parent)
        except FileExistsError:
            if not inside(self.root, Path(parent)):
                raise ArchiveError(f"refusing to write outside the archive: {parent}") from None
            return False
        except FileNotFoundError:  # the host folder went away during the run
            self._checked_hosts.discard(host)
            return self._url_folder(parent)
        return True

    def _copy_folder(self, parent: str, url: str, date: str) -> str:
        """The name of a new folder in `parent` for this capture: `<timestamp>`, or `<timestamp>-2`... if
        taken (mkdir is exclusive)."""
        stamp = timestamp_of(date)
        for number in range(1, 10_000):
            name = stamp if number == 1 else f"{stamp}-{number}"
            try:
                os.mkdir(os.path.join(parent, name))
            except FileExistsError:
                continue
            return name
        raise ArchiveError(f"too many captures of {url} at {date}")

    def _previous_copy(self, folder: str) -> _PreviousCopy | None:
        """The latest complete readable copy in a URL's folder (a directory listing, not a scan)."""
        parent = Path(folder)
        try:
            names = [entry.name for entry in os.scandir(parent) if entry.is_dir()]
        except FileNotFoundError:
            return None
        ordered = sorted(
            (match.group(1), int(match.group(2) or 1), name) for name in names if (match := _COPY_FOLDER.match(name))
        )
        for _stamp, _number, name in reversed(ordered):
            try:
                meta = json.loads((parent / name / COPY_COMPLETE).read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError):
                continue  # still being written, or damaged: not a capture to compare with
            return _PreviousCopy(meta.get("captured_at", ""), meta.get("sha256"), parent / name / "text.txt")
        return None

    def _drift(
        self, previous: _PreviousCopy | None, copy: ReadableCopy, sha256: str, date: str
    ) -> tuple[Drift | None, float | None]:
        if previous is None or copy.text is None:
            return None, None
        if previous.sha256 == sha256:
            return None, 1.0
        try:
            # Only as much as a copy keeps now: a copy written before the cap may hold 30 MB of text.
            with previous.text_path.open(encoding="utf-8", errors="replace") as text_file:
                old = text_file.read(MAX_TEXT_CHARS)
        except FileNotFoundError:
            return None, None  # the earlier capture had no text (an image, a PDF)
        similarity = round(text_similarity(old, copy.text), 4)
        if similarity < self.drift_threshold:
            return Drift(similarity, previous.captured_at, date), similarity
        return None, similarity

    def _warcinfo_fields(self) -> dict[str, str]:
        return {
            "software": f"linkcheck/{__version__} warcio/{version('warcio')}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "description": "pages cited by articles, captured by linkcheck",
            "robots": "obey noarchive" if self.respect_noarchive else "ignore noarchive",
        }

    # --- captures that travel (carried.py) ---

    def take_out(self, snapshot: Snapshot) -> CarriedCapture | None:
        """One of this run's captures with its records and readable copy, to travel to another archive."""
        span = self._spans.get(snapshot.record_id or "")
        if span is None:
            return None
        name, start, length = span
        return carried(snapshot, self.root / "warc" / name, start, length)

    def adopt(self, capture: CarriedCapture) -> Snapshot:
        """Keep a capture another archive made (a worker's): its records appended to this archive's WARC file
        and indexed with this run's, its readable copy written here; the snapshot as this archive holds it."""
        files = dict(capture.files)
        if COPY_COMPLETE not in files:
            raise ArchiveError("a carried capture came without its readable copy's meta.json")
        url = str(json.loads(files[COPY_COMPLETE])["url"])
        with self._lock:
            if self._closed:
                raise ArchiveError("the archive is closed")
            folder = self._reserve_folder(url, capture.snapshot.captured_at)
            try:
                name, base = self.warc_files.append(capture.records)
                path = self.root / "warc" / name
                with path.open("rb") as stream:
                    stream.seek(base)
                    entries, _end, failure = read_records(stream, path, name)
            except BaseException:
                folder.rmdir()
                raise
        page = folder.relative_to(self.root).as_posix()
        shift = base + capture.offset - (capture.snapshot.offset or 0)
        try:
            if failure is not None:
                raise ArchiveError(f"a carried capture's records are damaged: {failure}")
            for relative, content in capture.files:
                if relative == COPY_COMPLETE:
                    continue
                target = safe_file(folder, relative)
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(target, content, durable=False)
            atomic_write(folder / COPY_COMPLETE, moved_meta(files[COPY_COMPLETE], name, shift), durable=False)
        except BaseException:
            remove_copy(folder)
            with self._lock:
                for entry in entries:
                    self._run_entries.setdefault(entry.urlkey, []).append(replace(entry, page=None))
            raise
        with self._lock:
            for entry in entries:
                kept = replace(entry, page=page) if entry.page is not None else entry
                self._run_entries.setdefault(entry.urlkey, []).append(kept)
        return replace(capture.snapshot, warc=str(path), offset=base + capture.offset, page=str(folder))

    # --- lookups ---

    def latest(self, url: str) -> IndexEntry | None:
        """The most recent capture of the URL (its SURT form), this run's included."""
        found = self.captures(url)
        return found[-1] if found else None

    def captures(self, url: str) -> list[IndexEntry]:
        """Every capture of the URL (its SURT form), oldest first: this run's, and the index's as this run
        first read it (cdxj_index.IndexView)."""
        with self._lock:
            return self._captures(url)

    def _captures(self, url: str) -> list[IndexEntry]:
        found = self._index_view.lookup(url) + self._run_entries.get(url_key(url), [])
        return sorted(found, key=lambda entry: entry.order)

    # --- end of run ---

    def close(self) -> None:
        """Finish the WARC file and merge this run's entries into the index (atomically).

        If the merge fails, the WARC files stay pending and the next run (or reindex) lists them.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._index_view.close()
            indexed = False
            try:
                self.warc_files.finish()
                if self._run_entries:
                    self._sync_copies()
                if self.warc_files.names:
                    self.index.merge(entry for entries in self._run_entries.values() for entry in entries)
                indexed = True
            finally:
                self.warc_files.close(indexed)
        if indexed and self._write_index_page:
            write_index_page(self.root, self._listed)

    def _sync_copies(self) -> None:
        """The readable copies, written without fsync, on disk before the index names them: one syncfs per
        filesystem the archive's folders are on (a host folder may be a mount), not a machine-wide sync."""
        synced: set[int] = set()
        for folder in [self._root_text or ".", *sorted(self._checked_hosts)]:
            try:
                device = os.stat(folder).st_dev
            except FileNotFoundError:
                continue  # a host folder removed during the run holds nothing to sync
            if device not in synced:
                synced.add(device)
                sync_filesystem(folder)

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def _requisites_meta(saved: SavedRequisites | None) -> dict[str, object] | None:
    if saved is None:
        return None
    counts = saved.counts
    local = {url: path for url, path in saved.local.items() if not path.startswith("data:")}
    return {"captured": counts.captured, "refused": counts.refused, "cut": counts.cut, "files": local}
