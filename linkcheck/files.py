"""Writing files so a reader sees the old content or the new, never part of it; and clearing the
temporary files of writers that were killed before they could remove them."""

from __future__ import annotations

import ctypes
import functools
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

TEMPORARY_SUFFIX = ".tmp"


def _process_umask() -> int:
    # os.umask can only be read by setting it; done once, at import, before any thread starts.
    current = os.umask(0o022)
    os.umask(current)
    return current


UMASK = _process_umask()


@contextmanager
def atomic_file(path: Path, mode: str = "wb", durable: bool = True, **open_args: Any) -> Iterator[IO[Any]]:
    """A file handle on a temporary file beside `path`, renamed over it (after fsync, unless not
    `durable`: the caller syncs many files at once later) on success and removed on any failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
    try:
        # mkstemp makes the file 0600; a report or readable copy is for the people and web server the
        # umask lets read it (the documented service user's reports must be readable by editors).
        os.fchmod(fd, 0o666 & ~UMASK)
        with os.fdopen(fd, mode, **open_args) as out:
            yield out
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Write bytes atomically (see atomic_file)."""
    with atomic_file(path, durable=durable) as out:
        out.write(data)


def temporaries(folder: Path, recursive: bool = False) -> list[Path]:
    """The temporary files atomic_file left in `folder` (and below it): `.<name>.<random>.tmp`."""
    pattern = f".*{TEMPORARY_SUFFIX}"
    found = folder.rglob(pattern) if recursive else folder.glob(pattern)
    return [path for path in found if path.is_file() and not path.is_symlink()]


def remove_temporaries(folder: Path, older_than_s: float = 0.0, recursive: bool = False) -> list[Path]:
    """Delete the temporary files a killed writer left (those last changed `older_than_s` ago or
    more, so a live writer's are spared); the paths deleted.

    Only call it where no live writer can be, or with an age no live write takes.
    """
    removed = []
    cutoff = time.time() - older_than_s
    for path in temporaries(folder, recursive):
        try:
            if path.stat().st_mtime <= cutoff:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            pass  # its writer finished (renamed or removed it) meanwhile
    return removed


def sync_filesystem(path: Path | str) -> None:
    """Flush the writes still cached for the filesystem holding `path` (Linux's syncfs), not every
    filesystem's as os.sync() does: a run's many unsynced files at the cost of one call, without
    waiting on other programs' writes. Where syncfs is missing, os.sync()."""
    syncfs = _syncfs()
    if syncfs is None:
        os.sync()
        return
    fd = os.open(path, os.O_RDONLY)  # a folder or a file: either names its filesystem
    try:
        if syncfs(fd) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error), str(path))
    finally:
        os.close(fd)


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: Callable[[int], int] = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):  # a C library without it (glibc before 2.14, some others)
        return None
    return function
