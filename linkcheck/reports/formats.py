"""The report formats by name and the atomic file writer; the options are in options.py."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from linkcheck.files import atomic_write
from linkcheck.models import RunResult
from linkcheck.reports import csv_report, html, json_report, junit, markdown, sarif
from linkcheck.reports.options import ReportOptions

__all__ = ["WRITERS", "ReportOptions", "write_reports"]

Writer = Callable[[RunResult, Path, ReportOptions], Path]


def write_atomically(target: Path, text: str) -> Path:
    """Write TEXT as UTF-8 to TARGET through a temporary file, so a reader never sees half of it."""
    atomic_write(target, text.encode("utf-8"))
    return target


def _writer(file_name: str, render: Callable[[RunResult, ReportOptions], str]) -> Writer:
    def write(run: RunResult, directory: Path, options: ReportOptions) -> Path:
        return write_atomically(directory / file_name, render(run, options))

    write.__doc__ = f"Write DIR/{file_name} atomically; return its path."
    return write


def _write_json(run: RunResult, directory: Path, options: ReportOptions) -> Path:
    return json_report.write(run, directory)


WRITERS: dict[str, Writer] = {
    "json": _write_json,
    "md": _writer(markdown.FILE_NAME, markdown.render),
    "html": _writer(html.FILE_NAME, html.render),
    "junit": _writer(junit.FILE_NAME, junit.render),
    "sarif": _writer(sarif.FILE_NAME, sarif.render),
    "csv": _writer(csv_report.FILE_NAME, csv_report.render),
}


FILE_NAMES: dict[str, str] = {
    "json": "report.json",
    "md": markdown.FILE_NAME,
    "html": html.FILE_NAME,
    "junit": junit.FILE_NAME,
    "sarif": sarif.FILE_NAME,
    "csv": csv_report.FILE_NAME,
}


STALE_TEMPORARY_AGE = 900.0  # seconds: a report's temporary file older than this belongs to no live run


def remove_stale_reports(directory: Path, formats: tuple[str, ...], now: float | None = None) -> list[Path]:
    """Delete the reports of formats not written this time, so an old report.html never sits beside a
    new report.json as if it were this run's, and the temporary files of a run killed while writing
    (old enough that no live run can own them). Only linkcheck's own file names are touched."""
    removed = []
    now = time.time() if now is None else now
    for name, file_name in FILE_NAMES.items():
        path = directory / file_name
        if name not in formats and path.is_file():
            path.unlink()
            removed.append(path)
        for temporary in directory.glob(f".{file_name}.*.tmp"):
            try:
                if now - temporary.stat().st_mtime > STALE_TEMPORARY_AGE:
                    temporary.unlink()
                    removed.append(temporary)
            except FileNotFoundError:
                pass  # another run finished with it just now
    return removed


def write_reports(run: RunResult, directory: Path, formats: tuple[str, ...], options: ReportOptions) -> list[Path]:
    """Write each named format into DIRECTORY, in the order given; unknown names raise KeyError."""
    return [WRITERS[name](run, directory, options) for name in formats]
