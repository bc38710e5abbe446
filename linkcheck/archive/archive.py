"""The local archive of cited pages: WARC files, their CDXJ index, and a readable copy per capture.

Layout under the root (archive/README.md): `warc/` one gzip-per-record WARC/1.1 file per run (rolled
over at max_warc_bytes), `indexes/index.cdxj` the sorted index, `indexes/pending/` markers of WARC
files not yet in the index, `pages/<host>/<hash of URL>/<timestamp>/` the readable copies.
"""

from __future__ import annotations

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
from typing import BinaryIO

from filelock import FileLock, Timeout

from linkcheck import __version__
from linkcheck.archive.capture import Capture, Drift
from linkcheck.archive.cdxj_index import CdxjIndex, IndexEntry, mime_of, url_key
from linkcheck.archive.paths import inside, pages_folder
from linkcheck.archive.readable_copy import MAX_TEXT_CHARS, ReadableCopy
from linkcheck.archive.similarity import text_similarity
from linkcheck.archive.target_uri import target_uri
from linkcheck.archive.warc_reader import read_warc
from linkcheck.archive.warc_writer import Exchange, Original, WarcWriter, WrittenRecord, exchanges_of, warc_date
from linkcheck.errors import LinkcheckError
from linkcheck.files import atomic_write, remove_temporaries, temporaries
from linkcheck.models import FetchResult, Snapshot

DEFAULT_MAX_WARC_BYTES = 1_000_000_000
# Temporary files this old are a killed writer's: no write of a readable copy takes an hour.
STALE_TEMPORARY_S = 3600.0
COPY_COMPLETE = "meta.json"  # written last: a readable copy without it was not written whole
DEFAULT_DRIFT_THRESHOLD = 0.8
WARC_SUFFIX = ".warc.gz"
_COPY_FOLDER = re.compile(r"^(\d{14})(?:-(\d+))?$")
log = logging.getLogger(__name__)


class ArchiveError(LinkcheckError):
    """The archive cannot be written (closed, or its files are not where they must be)."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def timestamp14(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True)
class _PreviousCopy:
    captured_at: str
    sha256: str | None
    text_path: Path


class Archive:
    """Captures downloads into the archive under `root`; one instance per run, then close().

    capture() is thread-safe: WARC appends, index updates and folder names are serialised, the
    parsing, text comparison and readable-copy writes are not. `clock`, `id_factory` and `run_id`
    (the unique part of WARC file names) make the output reproducible in tests.
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
    ) -> None:
        self.root = Path(root)
        self.max_warc_bytes = max_warc_bytes
        self.respect_noarchive = respect_noarchive
        self.drift_threshold = drift_threshold
        self._clock = clock
        self._new_id = id_factory
        self._run_id = run_id or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.index = CdxjIndex(index_path(self.root))
        self._pending = pending_dir(self.root)
        self._lock = threading.Lock()
        self._run_entries: dict[str, list[IndexEntry]] = {}
        self._run_prefix: str | None = None
        self._run_lock: FileLock | None = None
        self._warc_names: list[str] = []
        self._file: BinaryIO | None = None
        self._size = self._header_size = 0
        self._closed = False
        self.recovered = recover(self.root)

    # --- capture ---

    def capture(self, fetch: FetchResult) -> Capture:
        """Archive one download (its redirect hops too), or say why not; never fetches anything."""
        if fetch.status is None or fetch.failure is not None:
            why = fetch.failure.message if fetch.failure else "no response"
            return Capture(None, f"nothing to archive: {why}")
        date = warc_date(fetch.started_at or self._clock())
        copy = ReadableCopy.of(fetch, date)
        if self.respect_noarchive and copy.noarchive:
            return Capture(None, copy.noarchive)
        exchanges = exchanges_of(fetch)
        with self._lock:
            if self._closed:
                raise ArchiveError("the archive is closed")
            previous = self._previous_copy(fetch.url)
            folder = self._reserve_folder(fetch.url, date)
            page = folder.relative_to(self.root).as_posix()
            try:
                blob, written = self._records(exchanges, date, fetch.url, page)
                name, base = self._append(blob)
            except BaseException:
                folder.rmdir()
                raise
            # Without the readable copy until it is written whole (a crash may come first).
            entries = [
                self._entry(exchange, record, name, base, None)
                for exchange, record in zip(exchanges, written, strict=True)
            ]
            for entry in entries:
                self._run_entries.setdefault(entry.urlkey, []).append(entry)
        final, final_record = exchanges[-1], written[-1]
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
                for exchange, record in zip(exchanges[:-1], written[:-1], strict=True)
            ],
            "files": sorted(copy.files),
            "previous_captured_at": previous.captured_at if previous else None,
            "similarity_to_previous": similarity,
        }
        try:
            for file_name, content in copy.files.items():
                atomic_write(folder / file_name, content)
            # Last: a copy is whole when its meta.json is there (_previous_copy, recovery rely on it).
            atomic_write(folder / COPY_COMPLETE, (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode())
        except BaseException:
            remove_copy(folder)  # not whole: nothing may point at it
            raise
        with self._lock:
            # The readable copy belongs to the cited URL's own record and to the final page's.
            last = len(entries) - 1
            for i, (exchange, entry) in enumerate(zip(exchanges, entries, strict=True)):
                if exchange.url == fetch.url or i == last:
                    listed = self._run_entries[entry.urlkey]
                    listed[next(j for j, e in enumerate(listed) if e is entry)] = replace(entry, page=page)
        snapshot = Snapshot(
            warc=str(self.root / "warc" / name),
            sha256=sha256,
            captured_at=date,
            page=str(folder),
            record_id=final_record.record_id,
            offset=base + final_record.offset,
        )
        return Capture(snapshot, None, drift)

    def _records(
        self, exchanges: list[Exchange], date: str, cited: str, page: str
    ) -> tuple[bytes, list[WrittenRecord]]:
        """One capture's records, in a buffer so they reach the file in one append."""
        buffer = BytesIO()
        writer = WarcWriter(buffer, self._new_id)
        written = []
        for exchange in exchanges:
            response, _request = writer.write_exchange(exchange, date, self._original(exchange))
            written.append(response)
        fields = {"readable-copy": page, "cited-url": target_uri(cited)}
        writer.write_metadata(cited, date, written[-1].record_id, fields)
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
            timestamp="".join(ch for ch in record.date if ch.isdigit())[:14],
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
        """A new folder for this capture: `<timestamp>`, or `<timestamp>-2`... if taken (mkdir is exclusive)."""
        parent = pages_folder(self.root, url)
        if not inside(self.root, parent):  # checked before creating anything (a symlink out, say)
            raise ArchiveError(f"refusing to write outside the archive: {parent}")
        parent.mkdir(parents=True, exist_ok=True)
        stamp = "".join(ch for ch in date if ch.isdigit())[:14]
        for number in range(1, 10_000):
            folder = parent / (stamp if number == 1 else f"{stamp}-{number}")
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            return folder
        raise ArchiveError(f"too many captures of {url} at {date}")

    def _previous_copy(self, url: str) -> _PreviousCopy | None:
        """The latest complete readable copy of the URL (a directory listing, not a scan)."""
        parent = pages_folder(self.root, url)
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

    # --- WARC files ---

    def _append(self, blob: bytes) -> tuple[str, int]:
        """Append one capture's records whole, rolling over to a new file past max_warc_bytes."""
        if self._file is None:
            self._open_warc()
        elif self._size > self._header_size and self._size + len(blob) > self.max_warc_bytes:
            self._finish_warc()
            self._open_warc()
        assert self._file is not None
        offset = self._size
        try:
            _write_all(self._file, blob)
        except BaseException:
            # A failed append (disk full) must not leave half a record for the next one to follow.
            os.ftruncate(self._file.fileno(), offset)
            self._file.seek(offset)
            raise
        self._size += len(blob)
        return self._warc_names[-1], offset

    def _open_warc(self) -> None:
        warc_dir = self.root / "warc"
        warc_dir.mkdir(parents=True, exist_ok=True)
        self._pending.mkdir(parents=True, exist_ok=True)
        if self._run_prefix is None:
            self._run_prefix = f"linkcheck-{timestamp14(self._clock())}-{self._run_id}"
            # Held for the whole run: recovery takes the WARCs of a run whose lock is free as orphans.
            self._run_lock = FileLock(str(self._pending / f"{self._run_prefix}.lock"), thread_local=False)
            try:
                self._run_lock.acquire(timeout=0)
            except Timeout:
                raise ArchiveError(f"another run is writing as {self._run_prefix}") from None
        for sequence in range(len(self._warc_names), len(self._warc_names) + 1000):
            name = f"{self._run_prefix}-{sequence:05d}{WARC_SUFFIX}"
            marker = self._pending / name
            try:
                marker.open("xb").close()  # the marker first, so a crash always leaves one
            except FileExistsError:
                continue
            try:
                handle = (warc_dir / name).open("xb", buffering=0)  # exclusive: two runs never share a file
            except FileExistsError:
                marker.unlink()
                continue
            break
        else:
            raise ArchiveError(f"cannot create a new WARC file in {warc_dir}")
        buffer = BytesIO()
        WarcWriter(buffer, self._new_id).write_warcinfo(name, warc_date(self._clock()), self._warcinfo_fields())
        _write_all(handle, buffer.getvalue())
        self._file = handle
        self._size = self._header_size = len(buffer.getvalue())
        self._warc_names.append(name)

    def _warcinfo_fields(self) -> dict[str, str]:
        return {
            "software": f"linkcheck/{__version__} warcio/{version('warcio')}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "description": "pages cited by articles, captured by linkcheck",
            "robots": "obey noarchive" if self.respect_noarchive else "ignore noarchive",
        }

    def _finish_warc(self) -> None:
        if self._file is None:
            return
        handle, self._file = self._file, None
        try:
            os.fsync(handle.fileno())
        finally:
            handle.close()

    # --- lookups ---

    def latest(self, url: str) -> IndexEntry | None:
        """The most recent capture of the URL (its SURT form), this run's included."""
        found = self.captures(url)
        return found[-1] if found else None

    def captures(self, url: str) -> list[IndexEntry]:
        """Every capture of the URL (its SURT form), oldest first, this run's included."""
        with self._lock:
            return self._captures(url)

    def _captures(self, url: str) -> list[IndexEntry]:
        found = self.index.lookup(url) + self._run_entries.get(url_key(url), [])
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
            try:
                self._finish_warc()
                if self._warc_names:
                    self.index.merge(entry for entries in self._run_entries.values() for entry in entries)
                    for name in self._warc_names:
                        _unlink(self._pending / name)
            finally:
                if self._run_lock is not None:
                    self._run_lock.release()
                    if not any(self._pending.glob(f"{self._run_prefix}-*{WARC_SUFFIX}")):
                        _unlink(Path(self._run_lock.lock_file))

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def index_path(root: Path) -> Path:
    return root / "indexes" / "index.cdxj"


def pending_dir(root: Path) -> Path:
    return root / "indexes" / "pending"


def run_lock_path(pending: Path, marker_name: str) -> Path:
    """The lock a run holds while it writes the WARC file a pending marker names."""
    return pending / f"{marker_name.removesuffix(WARC_SUFFIX).rsplit('-', 1)[0]}.lock"


def recover(root: Path) -> int:
    """Index the WARC files of runs that ended without close() (a crash); how many files.

    A torn last record is cut off, damage elsewhere is skipped and logged; readable copies left
    half-written are removed and not indexed; temporary files of killed writers are deleted.
    Runs still writing hold their lock and are left alone.
    """
    _remove_index_temporaries(root)
    pending = pending_dir(root)
    if not pending.is_dir():
        return 0
    runs: dict[Path, list[str]] = {}
    for marker in sorted(pending.glob(f"*{WARC_SUFFIX}")):
        runs.setdefault(run_lock_path(pending, marker.name), []).append(marker.name)
    recovered = 0
    for lock_path, names in runs.items():
        lock = FileLock(str(lock_path), thread_local=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue
        try:
            entries: list[IndexEntry] = []
            for name in names:
                entries.extend(salvage_warc(root / "warc" / name, name))
            # The run is over (its lock was free): a copy without meta.json will never be finished.
            CdxjIndex(index_path(root)).merge(whole_copies_only(root, entries, remove_partial=True))
            for name in names:
                _unlink(pending / name)
            recovered += len(names)
        finally:
            lock.release()
            _unlink(lock_path)
    return recovered


def salvage_warc(path: Path, name: str) -> list[IndexEntry]:
    """The entries of a WARC file left by a crash, after cutting off a torn last record."""
    if not path.exists():
        return []
    contents = read_warc(path, name)
    for damage in contents.damage:
        if damage.end_of_file:
            log.warning("linkcheck: %s (left by a run that stopped mid-write): cut off", damage)
            with path.open("r+b") as handle:
                handle.truncate(damage.offset)
        else:
            log.warning("linkcheck: damaged WARC file warc/%s", damage)
    return contents.entries


def whole_copies_only(root: Path, entries: list[IndexEntry], remove_partial: bool = False) -> list[IndexEntry]:
    """The entries, none pointing at a readable copy that was not written whole (no meta.json).

    With `remove_partial`, such a copy's folder goes too (only when its writer is known dead).
    """
    whole: dict[str, bool] = {}
    kept = []
    for entry in entries:
        if entry.page is not None and entry.page not in whole:
            folder = root / entry.page
            whole[entry.page] = inside(root, folder) and (folder / COPY_COMPLETE).is_file()
            if not whole[entry.page] and remove_partial and inside(root, folder):
                remove_copy(folder)
        kept.append(entry if entry.page is None or whole[entry.page] else replace(entry, page=None))
    return kept


def remove_copy(folder: Path) -> None:
    """Delete a capture's readable-copy folder that was not written whole (files, temporaries, itself)."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for path in folder.iterdir():
        if path.is_file() or path.is_symlink():
            _unlink(path)
    try:
        folder.rmdir()
    except OSError:
        pass  # something unexpected is in it: leave it for a person to see


def _remove_index_temporaries(root: Path) -> None:
    """The index's temporary files that a merge killed mid-write left (up to the index's size).

    Every writer of the index holds its lock while its temporary file exists: holding the lock,
    any such file is stale.
    """
    folder = index_path(root).parent
    if not temporaries(folder):
        return
    lock = FileLock(str(index_path(root)) + ".lock", thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return  # a merge is running: its file is not stale, and the next open tries again
    try:
        for path in remove_temporaries(folder):
            log.info("linkcheck: removed %s, left by an index merge that was stopped", path)
    finally:
        lock.release()


def _write_all(handle: BinaryIO, data: bytes) -> None:
    """Write every byte to an unbuffered file (a raw write may take only part of them)."""
    view = memoryview(data)
    while view:
        written = handle.write(view)
        if not written:
            raise OSError(f"could not write to {getattr(handle, 'name', 'the WARC file')}")
        view = view[written:]


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
