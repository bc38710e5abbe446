"""Recovery of what a killed run left: its WARC files indexed (a torn end cut off, damage skipped and
logged), its half-written readable copies removed, the index's stale temporary files deleted."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from filelock import FileLock, Timeout

from linkcheck.archive.cdxj_index import CdxjIndex, IndexEntry
from linkcheck.archive.paths import (
    COPY_COMPLETE,
    FILES_FOLDER,
    WARC_SUFFIX,
    index_path,
    inside,
    pending_dir,
    run_lock_path,
)
from linkcheck.archive.warc_files import unlink
from linkcheck.archive.warc_reader import read_warc
from linkcheck.files import remove_temporaries, temporaries

log = logging.getLogger("linkcheck.archive")
# Temporary files this old are a killed writer's: no write of a readable copy takes an hour.
STALE_TEMPORARY_S = 3600.0


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
                unlink(pending / name)
            recovered += len(names)
        finally:
            lock.release()
            unlink(lock_path)
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
    files = folder / FILES_FOLDER  # the requisites a self-contained copy shows
    if files.is_dir() and not files.is_symlink():
        for path in files.iterdir():
            if path.is_file() or path.is_symlink():
                unlink(path)
        try:
            files.rmdir()
        except OSError:
            pass
    for path in folder.iterdir():
        if path.is_file() or path.is_symlink():
            unlink(path)
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
