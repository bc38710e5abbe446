"""The WARC files one run writes: a new file per run, rolled over past a size, each marked pending
(and the run's lock held) until the index holds its records, so a crash always leaves a trace."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout

from linkcheck.archive.paths import WARC_SUFFIX, pending_dir
from linkcheck.archive.warc_writer import WarcWriter, warc_date
from linkcheck.errors import LinkcheckError


class ArchiveError(LinkcheckError):
    """The archive cannot be written (closed, or its files are not where they must be)."""


def timestamp14(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y%m%d%H%M%S")


class RollingWarcFiles:
    """Appends whole captures to this run's WARC files under `root/warc`; not thread-safe (the
    Archive serialises appends)."""

    def __init__(
        self,
        root: Path,
        run_id: str,
        max_bytes: int,
        clock: Callable[[], dt.datetime],
        new_id: Callable[[], str],
        warcinfo: Mapping[str, str],
    ) -> None:
        self.root = root
        self.max_warc_bytes = max_bytes
        self._run_id = run_id
        self._clock = clock
        self._new_id = new_id
        self._warcinfo = warcinfo
        self._pending = pending_dir(root)
        self._run_prefix: str | None = None
        self._run_lock: FileLock | None = None
        self.names: list[str] = []
        self._file: BinaryIO | None = None
        self._size = self._header_size = 0

    def append(self, blob: bytes) -> tuple[str, int]:
        """Append one capture's records whole, rolling over to a new file past max_warc_bytes."""
        if self._file is None:
            self._open()
        elif self._size > self._header_size and self._size + len(blob) > self.max_warc_bytes:
            self.finish()
            self._open()
        assert self._file is not None
        offset = self._size
        try:
            write_all(self._file, blob)
        except BaseException:
            # A failed append (disk full) must not leave half a record for the next one to follow.
            os.ftruncate(self._file.fileno(), offset)
            self._file.seek(offset)
            raise
        self._size += len(blob)
        return self.names[-1], offset

    def _open(self) -> None:
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
        for sequence in range(len(self.names), len(self.names) + 1000):
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
        WarcWriter(buffer, self._new_id).write_warcinfo(name, warc_date(self._clock()), self._warcinfo)
        write_all(handle, buffer.getvalue())
        self._file = handle
        self._size = self._header_size = len(buffer.getvalue())
        self.names.append(name)

    def finish(self) -> None:
        if self._file is None:
            return
        handle, self._file = self._file, None
        try:
            os.fsync(handle.fileno())
        finally:
            handle.close()

    def close(self, indexed: bool) -> None:
        """Finish the last file; once its records are `indexed`, drop the pending markers; release the lock."""
        try:
            self.finish()
            if indexed:
                for name in self.names:
                    unlink(self._pending / name)
        finally:
            if self._run_lock is not None:
                self._run_lock.release()
                if not any(self._pending.glob(f"{self._run_prefix}-*{WARC_SUFFIX}")):
                    unlink(Path(self._run_lock.lock_file))


def write_all(handle: BinaryIO, data: bytes) -> None:
    """Write every byte to an unbuffered file (a raw write may take only part of them)."""
    view = memoryview(data)
    while view:
        written = handle.write(view)
        if not written:
            raise OSError(f"could not write to {getattr(handle, 'name', 'the WARC file')}")
        view = view[written:]


def unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
