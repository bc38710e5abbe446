"""The report formats by name and the atomic file writer; the options are in options.py."""

from __future__ import annotations

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


def write_reports(run: RunResult, directory: Path, formats: tuple[str, ...], options: ReportOptions) -> list[Path]:
    """Write each named format into DIRECTORY, in the order given; unknown names raise KeyError."""
    return [WRITERS[name](run, directory, options) for name in formats]
