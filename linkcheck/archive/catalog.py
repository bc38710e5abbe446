"""What the CLI asks of an archive on disk: list captures, show one, rebuild the index."""

from __future__ import annotations

import logging
from pathlib import Path

from linkcheck.archive.cdxj_index import CdxjIndex, IndexEntry
from linkcheck.archive.index_page import write_index_page
from linkcheck.archive.paths import WARC_SUFFIX, index_path, pending_dir
from linkcheck.archive.recovery import STALE_TEMPORARY_S, recover, whole_copies_only
from linkcheck.archive.warc_reader import read_warc
from linkcheck.files import remove_temporaries

log = logging.getLogger(__name__)


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

    First recovers what crashed runs left (recover()). Damage in a WARC file is skipped, every
    whole record around it indexed, and each damaged stretch logged (file and offsets); so is a
    torn record at the end of a file no run is writing. Captures keep their readable copy only if
    it was written whole. Temporary files older than STALE_TEMPORARY_S are deleted. index.html is
    written anew.
    """
    root = Path(root)
    recover(root)
    pending = pending_dir(root)
    being_written = {marker.name for marker in pending.glob(f"*{WARC_SUFFIX}")} if pending.is_dir() else set()
    entries: list[IndexEntry] = []
    for path in sorted((root / "warc").glob(f"*{WARC_SUFFIX}")):
        contents = read_warc(path, path.name)
        for damage in contents.damage:
            if not (damage.end_of_file and path.name in being_written):  # a run is appending to it now
                log.warning("linkcheck: damaged WARC file warc/%s; the whole records around it are indexed", damage)
        entries.extend(contents.entries)
    count = CdxjIndex(index_path(root)).replace(whole_copies_only(root, entries))
    if (root / "pages").is_dir():
        remove_temporaries(root / "pages", STALE_TEMPORARY_S, recursive=True)
    write_index_page(root)
    return count
