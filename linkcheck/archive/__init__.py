"""The snapshot stage: a local WARC/1.1 archive of cited pages, its CDXJ index, readable copies.

The only package that imports warcio. Archive.capture() reuses the check's download (no second
fetch); list_captures, show_capture and reindex serve `linkcheck archive ...`.
"""

from linkcheck.archive.archive import (
    DEFAULT_DRIFT_THRESHOLD,
    DEFAULT_MAX_WARC_BYTES,
    Archive,
    ArchiveError,
    recover,
)
from linkcheck.archive.capture import Capture, Drift
from linkcheck.archive.catalog import list_captures, reindex, show_capture
from linkcheck.archive.cdxj_index import IndexEntry

__all__ = [
    "DEFAULT_DRIFT_THRESHOLD",
    "DEFAULT_MAX_WARC_BYTES",
    "Archive",
    "ArchiveError",
    "Capture",
    "Drift",
    "IndexEntry",
    "list_captures",
    "recover",
    "reindex",
    "show_capture",
]
