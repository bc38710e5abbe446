"""The options every report renderer takes: the gate's level and overrides, and where captures live."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from linkcheck.findings import Key, citation_severity, is_finding, new_findings
from linkcheck.models import CheckedCitation, CopyStatus, RunResult, Severity

READABLE_FILES = ("page.html", "text.txt")


def _under(page: Path, archive_dir: Path) -> bool:
    """Whether a relative page path already starts with a relative archive_dir ("archive/pages/...")."""
    return not archive_dir.is_absolute() and page.parts[: len(archive_dir.parts)] == archive_dir.parts


@dataclass(frozen=True)
class ReportOptions:
    """What the reports need beyond the run: the gate's level and overrides, and where captures live."""

    fail_on: str = "error"
    verdict_overrides: Mapping[str, str] = field(default_factory=dict)
    archive_dir: Path | None = None  # relative Snapshot.page paths are taken from here
    known: frozenset[Key] | None = None  # findings of a baseline (--baseline, --new-only), if one is used

    def new_findings(self, run: RunResult) -> list[tuple[str, CheckedCitation]] | None:
        """(article source, citation) of each finding new since the baseline; None without a baseline."""
        if self.known is None:
            return None
        return new_findings(run, self.fail_on, self.verdict_overrides, self.known)

    def severity(self, checked: CheckedCitation) -> Severity | None:
        """The citation's worst severity under the configured verdict overrides."""
        return citation_severity(checked, self.verdict_overrides)

    def is_finding(self, checked: CheckedCitation) -> bool:
        """True when the citation is at or above fail_on: what the gate fails on."""
        return is_finding(checked, self.fail_on, self.verdict_overrides)

    def snapshot_path(self, checked: CheckedCitation) -> Path | None:
        """The readable copy of the capture: Snapshot.page, relative ones taken from archive_dir."""
        if checked.snapshot is None or not checked.snapshot.page:
            return None
        page = Path(checked.snapshot.page)
        if not page.is_absolute() and self.archive_dir is not None and not _under(page, self.archive_dir):
            page = self.archive_dir / page
        if page.is_dir():  # the capture's folder: point at the copy a person wants to open
            for name in READABLE_FILES:
                if (page / name).is_file():
                    return page / name
        return page

    def copy_href(self, checked: CheckedCitation) -> str | None:
        """A link to the archived copy found: the archive's playback URL (http(s) only), or for a copy
        in the local archive its readable copy, like snapshot_href."""
        copy = checked.archived_copy
        if copy is None or copy.status is not CopyStatus.FOUND or not copy.url:
            return None
        if re.match(r"^https?://", copy.url, re.I):
            return copy.url
        if re.match(r"^[a-z][a-z0-9+.-]*:", copy.url, re.I) and not re.match(r"^[a-z]:[\\/]", copy.url, re.I):
            return None  # another scheme is never a link (a Windows drive letter is a path)
        page = Path(copy.url)
        if not page.is_absolute() and self.archive_dir is not None and not _under(page, self.archive_dir):
            page = self.archive_dir / page
        return page.as_uri() if page.is_absolute() else quote(page.as_posix())

    def snapshot_href(self, checked: CheckedCitation) -> str | None:
        """A link to the readable copy: a file:// URI when absolute, else a relative reference."""
        page = self.snapshot_path(checked)
        if page is None:
            return None
        return page.as_uri() if page.is_absolute() else quote(page.as_posix())
