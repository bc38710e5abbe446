"""GitHub Actions workflow commands (::error file=...::) that pin findings to lines of local articles."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath

from linkcheck.findings import verdict_severity
from linkcheck.models import COMMAND_LINE_SOURCE, CheckedCitation, RunResult
from linkcheck.reports.options import ReportOptions
from linkcheck.urls import is_url_source

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def local_path(source: str, base: str | None = None) -> str | None:
    """An article's file path (relative to BASE when inside it); None for URL sources, stdin and the
    URLs given to `linkcheck check`."""
    if source in ("-", COMMAND_LINE_SOURCE) or is_url_source(source):
        return None
    path = PurePath(source)
    if base and path.is_absolute() and path.is_relative_to(base):
        path = path.relative_to(base)
    return path.as_posix()


def escape_data(text: str) -> str:
    """A workflow command's message: '%', CR and LF percent-encoded, as the runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as a message, plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _title(checked: CheckedCitation, options: ReportOptions) -> str:
    labels = [str(a.code) for a in checked.anomalies]
    if verdict_severity(checked.result.verdict, options.verdict_overrides) is not None:
        labels.insert(0, checked.result.verdict.value)
    return "linkcheck: " + ", ".join(labels)


def _message(checked: CheckedCitation) -> str:
    result = checked.result
    lines = [f"{checked.citation.url}: {result.verdict.value}" + (f" ({result.status})" if result.status else "")]
    if result.error:
        lines[0] += f": {result.error}"
    lines += [f"{anomaly.code}: {anomaly.message}" for anomaly in checked.anomalies]
    return "\n".join(lines)


def annotation_lines(run: RunResult, options: ReportOptions, environ: Mapping[str, str]) -> list[str]:
    """Workflow commands for findings at or above fail_on in local files; none outside GitHub Actions."""
    if environ.get("GITHUB_ACTIONS") != "true":
        return []
    lines = []
    for checked_article in run.articles:
        path = local_path(checked_article.article.source, environ.get("GITHUB_WORKSPACE"))
        if path is None:
            continue
        for checked in checked_article.citations:
            severity = options.severity(checked)
            if severity is None or not options.is_finding(checked):
                continue
            properties = {"file": path}
            if checked.citation.line is not None:
                properties["line"] = str(checked.citation.line)
            properties["title"] = _title(checked, options)
            joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
            lines.append(f"::{_COMMANDS[severity.value]} {joined}::{escape_data(_message(checked))}")
    return lines
