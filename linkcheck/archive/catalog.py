"""What the CLI asks of an archive on disk: list captures, show one, rebuild the index."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from linkcheck.archive.archive import WARC_SUFFIX, index_path, pending_dir, run_lock_path
from linkcheck.archive.cdxj_index import CdxjIndex, IndexEntry
from linkcheck.archive.warc_reader import read_warc


def list_captures(root: Path | str, url: str | None = None) -> list[IndexEntry]:
    """Every capture of a URL (SURT-equivalent URLs included), oldest first; all captures without one."""
    index = CdxjIndex(index_path(Path(root)))
    if url is None:
        return list(index)
    return index.lookup(url)


def show_capture(root: Path | str, url: str, at: str | None = None) -> IndexEntry | None:
    """The latest capture of a URL, or the latest whose timestamp starts with `at` (`2025`, `20250314`...).

    Captures that have a readable copy are preferred; entry.page_path(root) and entry.warc_path(root)
    locate it.
    """
    found = list_captures(root, url)
    if at is not None:
        prefix = "".join(ch for ch in at if ch.isdigit())
        found = [entry for entry in found if entry.timestamp.startswith(prefix)]
    with_page = [entry for entry in found if entry.page]
    chosen = with_page or found
    return chosen[-1] if chosen else None


def reindex(root: Path | str) -> int:
    """Rebuild the index from the WARC files alone; how many captures it lists.

    Torn last records (a crash mid-write) are left out. WARC files of runs that crashed stop
    being pending; those of runs still writing stay pending and are merged when they close.
    """
    root = Path(root)
    entries: list[IndexEntry] = []
    for path in sorted((root / "warc").glob(f"*{WARC_SUFFIX}")):
        entries.extend(read_warc(path, path.name).entries)
    count = CdxjIndex(index_path(root)).replace(entries)
    _forget_finished_runs(root)
    return count


def _forget_finished_runs(root: Path) -> None:
    pending = pending_dir(root)
    if not pending.is_dir():
        return
    for marker in sorted(pending.glob(f"*{WARC_SUFFIX}")):
        lock_path = run_lock_path(pending, marker.name)
        lock = FileLock(str(lock_path), thread_local=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue
        try:
            marker.unlink(missing_ok=True)
        finally:
            lock.release()
        if not any(pending.glob(f"{lock_path.stem}-*{WARC_SUFFIX}")):
            lock_path.unlink(missing_ok=True)
