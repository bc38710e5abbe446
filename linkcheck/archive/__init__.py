"""The snapshot stage: a local WARC/1.1 archive of cited pages, its CDXJ index, readable copies.

The only package that imports warcio. Archive.capture() (archive.py) reuses the check's download (no
second fetch); warc_files.py writes a run's rolling WARC files, recovery.py picks up after a killed run,
cdxj_index.py keeps the index, readable_copy.py and inert_html.py make the copy a person opens;
requisites.py finds a page's images, stylesheets and fonts, requisite_fetch.py fetches them through the
check's fetcher (passed in), local_copy.py saves them beside the copy; index_page.py writes index.html;
list_captures, show_capture and reindex (catalog.py) serve `linkcheck archive ...`.
"""

from linkcheck.archive.archive import DEFAULT_DRIFT_THRESHOLD, DEFAULT_MAX_WARC_BYTES, Archive
from linkcheck.archive.catalog import list_captures, reindex, show_capture
from linkcheck.archive.cdxj_index import IndexEntry
from linkcheck.archive.recovery import recover
from linkcheck.archive.requisite_fetch import RequisiteHosts, RequisiteLimits
from linkcheck.archive.warc_files import ArchiveError

__all__ = [
    "DEFAULT_DRIFT_THRESHOLD",
    "DEFAULT_MAX_WARC_BYTES",
    "Archive",
    "ArchiveError",
    "IndexEntry",
    "RequisiteHosts",
    "RequisiteLimits",
    "list_captures",
    "recover",
    "reindex",
    "show_capture",
]
