"""The CDXJ index (pywb's convention): sorted `urlkey timestamp {json}` lines, searched by bisection."""

from __future__ import annotations

import functools
import heapq
import json
import logging
import mmap
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock

from linkcheck.archive.surt_key import plain_url_key
from linkcheck.archive.target_uri import target_uri
from linkcheck.files import atomic_file

_MIME_END = re.compile("[; ]")
log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1024)  # a capture keys the same URL three times (lookup, record, index entry)
def url_key(url: str) -> str:
    """The SURT form pywb sorts and looks up by (`com,example)/path?query`).

    Taken of the URL as the WARC names it, so an IRI and its percent-encoded form share a key.
    """
    uri = target_uri(url)
    key = plain_url_key(uri)  # the same text, without surt's work, for most URLs
    if key is not None:
        return key
    import surt  # only for the URLs plain_url_key leaves to it (its import costs 20 ms)

    try:
        return str(surt.surt(uri))
    except Exception:  # noqa: BLE001 - surt raises bare exceptions on odd input; key by the URI itself
        return uri


def mime_of(content_type: str | None) -> str:
    """The media type alone, as pywb's indexer records it ('unk' when missing)."""
    if not content_type:
        return "unk"
    return _MIME_END.split(content_type, maxsplit=1)[0] or "unk"


@dataclass(frozen=True)
class IndexEntry:
    """One response or revisit record: what it holds and where it lives."""

    urlkey: str
    timestamp: str  # 14 digits, UTC; equal to the record's WARC-Date
    url: str
    mime: str  # "warc/revisit" for a revisit record
    status: int | None  # None for revisits (pywb's convention)
    digest: str  # payload digest, base32 without "sha1:"
    length: int
    offset: int
    filename: str  # relative to the archive's warc/ folder
    page: str | None = None  # the readable copy's folder, relative to the archive root

    @property
    def is_revisit(self) -> bool:
        return self.mime == "warc/revisit"

    @property
    def warc_date(self) -> str:
        t = self.timestamp
        return f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"

    @property
    def order(self) -> tuple[str, str, int]:
        """Capture order: second, then file (named by run start) and position in it."""
        return (self.timestamp, self.filename, self.offset)

    def warc_path(self, root: Path) -> Path:
        """The WARC file holding the record (read it from `offset`, `length` bytes)."""
        return Path(root) / "warc" / self.filename

    def page_path(self, root: Path) -> Path | None:
        """The readable copy's folder (page.html or payload.*, text.txt, meta.json), if any."""
        return Path(root) / self.page if self.page else None

    def line(self) -> str:
        fields: dict[str, str] = {"url": self.url, "mime": self.mime}
        if self.status is not None:
            fields["status"] = str(self.status)
        fields.update(digest=self.digest, length=str(self.length), offset=str(self.offset), filename=self.filename)
        if self.page:
            fields["page"] = self.page
        return f"{self.urlkey} {self.timestamp} {json.dumps(fields)}\n"

    @classmethod
    def from_line(cls, line: str) -> IndexEntry:
        urlkey, timestamp, payload = line.rstrip("\n").split(" ", 2)
        fields = json.loads(payload)
        status = fields.get("status", "-")
        return cls(
            urlkey=urlkey,
            timestamp=timestamp,
            url=fields["url"],
            mime=fields.get("mime", "unk"),
            status=int(status) if status.isdigit() else None,
            digest=fields.get("digest", "-"),
            length=int(fields["length"]),
            offset=int(fields["offset"]),
            filename=fields["filename"],
            page=fields.get("page"),
        )


class CdxjIndex:
    """A sorted CDXJ file: lookups by binary search, updates by merge into a new file and rename.

    Lookups cost O(log n) seeks whatever the archive's size; a merge streams both sides once.
    Merges from several processes are serialised by a lock file next to the index. Damaged lines
    (garbage, a line cut short, binary junk) are skipped with a warning wherever the index is
    read, and left out, the rest sorted again if need be, when a merge writes it anew.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(str(path) + ".lock", thread_local=False)
        self._warned = False

    def lookup(self, url: str) -> list[IndexEntry]:
        """Every entry filed under the URL's key (its SURT form), oldest first."""
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            return []
        with handle:
            return self.lookup_in(handle, os.fstat(handle.fileno()).st_size, url)

    def lookup_in(self, handle: BinaryIO | _Lines, size: int, url: str) -> list[IndexEntry]:
        """lookup() in this index's text as `handle` reads it (`size` bytes)."""
        key = (url_key(url) + " ").encode("utf-8")
        found: list[IndexEntry] = []
        skipped = 0
        if size:
            handle.seek(_first_line_at_or_after(handle, size, key))
            for raw in handle:
                entry = parse_line(raw)
                if entry is None:
                    skipped += bool(raw.strip())
                elif raw.startswith(key):
                    found.append(entry)
                elif raw > key:
                    break
        if skipped:
            self._warn(f"skipped {skipped} damaged line(s) while looking up {url}")
        return sorted(found, key=lambda entry: entry.order)

    def __iter__(self) -> Iterator[IndexEntry]:
        """All entries in file order (sorted by key, then timestamp), damaged lines skipped."""
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            return
        skipped = 0
        with handle:
            for raw in handle:
                entry = parse_line(raw)
                if entry is not None:
                    yield entry
                elif raw.strip():
                    skipped += 1
        if skipped:
            self._warn(f"skipped {skipped} damaged line(s)")

    def merge(self, entries: Iterable[IndexEntry]) -> int:
        """Add entries (a record already listed, same file and offset, is kept once); how many lines now."""
        new_lines = sorted({entry.line() for entry in entries})
        with self._lock:
            try:
                handle = self.path.open("rb")
            except FileNotFoundError:
                return self._write(iter(new_lines))
            with handle:
                damage = _Damage()
                try:
                    return self._write(heapq.merge(_good_lines(handle, damage), iter(new_lines)), reading=handle)
                except _OutOfOrder:
                    handle.seek(0)
                    damage = _Damage()
                    existing = sorted(_good_lines(handle, damage, ordered=False))
                    return self._write(heapq.merge(iter(existing), iter(new_lines)), reading=handle)
                finally:
                    repairs = [f"left out {damage.lines} damaged line(s)"] if damage.lines else []
                    repairs += ["sorted its lines again"] if damage.unsorted else []
                    if repairs:
                        self._warn(" and ".join(repairs) + " while merging", once=False)

    def replace(self, entries: Iterable[IndexEntry]) -> int:
        """Write the index anew from these entries (reindex); how many lines."""
        lines = sorted({entry.line() for entry in entries})
        with self._lock:
            return self._write(iter(lines))

    def _warn(self, message: str, once: bool = True) -> None:
        """A warning about damage; lookups warn once per index object (a run looks up every URL)."""
        if once and self._warned:
            return
        self._warned = True
        log.warning("linkcheck: the archive index %s is damaged: %s", self.path, message)

    def _write(self, lines: Iterator[str], reading: BinaryIO | None = None) -> int:
        """Stream sorted lines to a temporary file, then rename it over the index."""
        count = 0
        # A record listed twice has the same key and second, so only lines sharing those are compared.
        group: str | None = None
        first = ""
        seen: set[tuple[str, str]] | None = None
        with atomic_file(self.path, "w", encoding="utf-8", newline="\n") as out:
            for line in lines:
                prefix = line[: line.find(" ", line.find(" ") + 1)]
                if prefix != group:
                    group, first, seen = prefix, line, None
                else:
                    if seen is None:
                        seen = {_location(first)}
                    location = _location(line)
                    if location in seen:
                        continue
                    seen.add(location)
                out.write(line)
                count += 1
            if reading is not None:
                reading.close()  # Windows cannot rename over a file that is still open
        return count


class IndexView:
    """A run's lookups in the index as it stood at the first one: the file mapped into memory once, so a
    lookup (one a capture, for the revisit check) costs no system call, each of which lets the other
    threads take the interpreter lock (an open, a stat, seeks and reads; a failed open when there is no
    index yet). A merge renames a new file over the index, so the mapping keeps the version it read:
    what another run merges meanwhile is not seen, as what it has not merged yet never is. Where a
    mapped file cannot be renamed over (not POSIX), each lookup reads the file as CdxjIndex does.
    Thread-safe; after close(), lookups read the file again."""

    def __init__(self, index: CdxjIndex) -> None:
        self.index = index
        self._lock = threading.Lock()
        self._mapped: mmap.mmap | None = None
        self._read = os.name != "posix"  # read: the file was looked for (or is never mapped)
        self._closed = False

    def lookup(self, url: str) -> list[IndexEntry]:
        with self._lock:
            if not self._read:
                self._mapped, self._read = _mapped(self.index.path), True
            mapped = self._mapped
            if mapped is None:
                return [] if not self._closed and os.name == "posix" else self.index.lookup(url)
            return self.index.lookup_in(_Lines(mapped), len(mapped), url)

    def close(self) -> None:
        with self._lock:
            if self._mapped is not None:
                self._mapped.close()
            self._mapped, self._read, self._closed = None, True, True


def _mapped(path: Path) -> mmap.mmap | None:
    """The file mapped read-only, or None when there is none or it is empty (nothing to find)."""
    try:
        with path.open("rb") as handle:
            if not os.fstat(handle.fileno()).st_size:
                return None
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        return None


class _Lines:
    """Reads lines of a mapped file as a binary file object does (seek, tell, readline, iteration),
    with a position of its own, so threads never share one."""

    def __init__(self, data: mmap.mmap) -> None:
        self._data = data
        self._position = 0

    def seek(self, position: int) -> None:
        self._position = position

    def tell(self) -> int:
        return self._position

    def readline(self) -> bytes:
        end = self._data.find(b"\n", self._position)
        end = len(self._data) if end < 0 else end + 1
        line = self._data[self._position : end]
        self._position = end
        return line

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


def parse_line(raw: bytes) -> IndexEntry | None:
    """One index line, or None when it is damaged (not UTF-8, not `key timestamp {json}`, fields missing)."""
    try:
        entry = IndexEntry.from_line(raw.decode("utf-8"))
    except (ValueError, KeyError, TypeError, AttributeError):  # UnicodeDecodeError and JSON errors included
        return None
    if not entry.urlkey or len(entry.timestamp) != 14 or not entry.timestamp.isdigit():
        return None
    return entry


@dataclass
class _Damage:
    lines: int = 0
    unsorted: bool = False


class _OutOfOrder(Exception):
    """The index's lines are not sorted (damage): the merge starts again and sorts them."""


def _good_lines(handle: BinaryIO, damage: _Damage, ordered: bool = True) -> Iterator[str]:
    """The index's undamaged lines, each ending in a newline; raises _OutOfOrder if `ordered` and
    a line sorts before the one above it."""
    previous = ""
    for raw in handle:
        if parse_line(raw) is None:
            damage.lines += bool(raw.strip())
            continue
        line = raw.decode("utf-8")
        line = line if line.endswith("\n") else line + "\n"
        if line < previous:
            damage.unsorted = True
            if ordered:
                raise _OutOfOrder
        previous = line
        yield line


def _location(line: str) -> tuple[str, str]:
    fields = json.loads(line.split(" ", 2)[2])
    return fields["filename"], fields["offset"]


def _first_line_at_or_after(handle: BinaryIO | _Lines, size: int, key: bytes) -> int:
    """An offset at or before the first good line that sorts at or after `key`, with no good line
    in between (size if none): bisection on bytes, stepping over damaged lines.

    Invariant: every good line starting before `low` sorts before `key`; the answer is no later
    than the first good line at or after `high`.
    """
    low, high = 0, size
    while low < high:
        middle = (low + high) // 2
        if middle == 0:
            start = 0
        else:
            handle.seek(middle - 1)
            handle.readline()
            start = handle.tell()
        if start >= high:
            high = middle
            continue
        handle.seek(start)
        line = handle.readline()
        while line and parse_line(line) is None:  # damaged: the next good line decides
            start += len(line)
            line = handle.readline()
        if line and line < key:
            low = start + len(line)
        else:
            high = middle
    return low
