"""junit.xml: one <testsuite> per article, one <testcase> per citation, for CI test-report viewers."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from linkcheck.findings import verdict_severity
from linkcheck.models import CheckedArticle, CheckedCitation, RunResult, Verdict
from linkcheck.reports.options import ReportOptions
from linkcheck.urls import is_url_source

FILE_NAME = "junit.xml"
SOURCES_SUITE = "linkcheck: sources not read"

# XML 1.0 cannot carry most control characters, even escaped; article text sometimes has them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """TEXT without the characters XML 1.0 forbids (ElementTree would write them and break the file)."""
    return _NOT_XML.sub("\ufffd", text)


def _seconds(milliseconds: int) -> str:
    return f"{milliseconds / 1000:.3f}"


def failure_message(checked: CheckedCitation) -> str:
    """One line: the verdict (with status and reason) and the anomaly codes."""
    result = checked.result
    verdict = result.verdict.value + (f" ({result.status})" if result.status is not None else "")
    if result.error:
        verdict += f": {result.error}"
    codes = [anomaly.code for anomaly in checked.anomalies]
    return verdict + (f"; anomalies: {', '.join(codes)}" if codes else "")


def failure_type(checked: CheckedCitation, options: ReportOptions) -> str:
    """The verdict or anomaly code that weighs most (the verdict on a tie)."""
    causes = [(a.severity.rank, a.code) for a in checked.anomalies]
    level = verdict_severity(checked.result.verdict, options.verdict_overrides)
    best = max(causes, key=lambda cause: cause[0], default=(0, checked.result.verdict.value))
    return checked.result.verdict.value if level is not None and level.rank >= best[0] else best[1]


def failure_text(checked: CheckedCitation) -> str:
    """The details: verdict, every anomaly message in full, where it ended and how it was cited."""
    result, citation = checked.result, checked.citation
    lines = [f"verdict: {result.verdict.value}" + (f" (HTTP {result.status})" if result.status is not None else "")]
    if result.error:
        lines.append(f"reason: {result.error}")
    lines += [f"{a.code} ({a.severity.value}): {a.message}" for a in checked.anomalies]
    if result.final_url and result.final_url != (citation.normalized_url or citation.url):
        lines.append(f"final URL: {result.final_url}")
    if citation.context:
        lines.append(f"cited as: {citation.context}")
    return "\n".join(lines)


def _testcase(source: str, checked: CheckedCitation, options: ReportOptions) -> tuple[ET.Element, str]:
    citation, result = checked.citation, checked.result
    case = ET.Element("testcase", name=clean(citation.url), classname=clean(source))
    case.set("time", _seconds(result.elapsed_ms))
    if source != "-" and not is_url_source(source):
        case.set("file", clean(source))
        if citation.line is not None:
            case.set("line", str(citation.line))
    if options.is_finding(checked):
        failure = ET.SubElement(
            case, "failure", message=clean(failure_message(checked)), type=failure_type(checked, options)
        )
        failure.text = clean(failure_text(checked))
        return case, "failure"
    if result.verdict is Verdict.SKIPPED:
        ET.SubElement(case, "skipped", message=clean(result.error or citation.skip_reason or "not checked"))
        return case, "skipped"
    if result.verdict is not Verdict.OK or checked.anomalies:
        # Below fail_on, but worth a look: viewers show system-out next to a passing test.
        ET.SubElement(case, "system-out").text = clean(failure_text(checked))
    return case, "passed"


def _suite(index: int, checked_article: CheckedArticle, options: ReportOptions, timestamp: str) -> ET.Element:
    article = checked_article.article
    suite = ET.Element("testsuite", name=clean(article.source), id=str(index))
    outcomes = []
    cases = []
    for checked in checked_article.citations:
        case, outcome = _testcase(article.source, checked, options)
        cases.append(case)
        outcomes.append(outcome)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(outcomes.count("failure")))
    suite.set("errors", "0")
    suite.set("skipped", str(outcomes.count("skipped")))
    suite.set("time", _seconds(sum(c.result.elapsed_ms for c in checked_article.citations)))
    suite.set("timestamp", timestamp)
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("title", article.title),
        ("published", article.published.isoformat() if article.published else None),
        ("url", article.url),
    ):
        if value:
            ET.SubElement(properties, "property", name=name, value=clean(value))
    if not len(properties):
        suite.remove(properties)
    suite.extend(cases)
    return suite


def _sources_suite(run: RunResult, index: int, timestamp: str) -> ET.Element:
    suite = ET.Element("testsuite", name=SOURCES_SUITE, id=str(index), tests=str(len(run.errors)))
    suite.set("failures", "0")
    suite.set("errors", str(len(run.errors)))
    suite.set("skipped", "0")
    suite.set("time", "0.000")
    suite.set("timestamp", timestamp)
    for error in run.errors:
        case = ET.SubElement(suite, "testcase", name=clean(error.source), classname="linkcheck.sources", time="0.000")
        ET.SubElement(case, "error", message=clean(error.message), type="source-error").text = clean(error.message)
    return suite


def render(run: RunResult, options: ReportOptions) -> str:
    """The JUnit XML document; counts on every <testsuite> and on <testsuites> add up."""
    # The common JUnit schema's timestamp has no time zone: write UTC without an offset.
    started = run.started_at.astimezone(dt.UTC) if run.started_at.tzinfo else run.started_at
    timestamp = started.replace(tzinfo=None).isoformat(timespec="seconds")
    suites = [_suite(index, article, options, timestamp) for index, article in enumerate(run.articles)]
    if run.errors:
        suites.append(_sources_suite(run, len(suites), timestamp))
    root = ET.Element("testsuites", name="linkcheck")
    for attribute in ("tests", "failures", "errors", "skipped"):
        root.set(attribute, str(sum(int(suite.get(attribute, "0")) for suite in suites)))
    root.set("time", f"{(run.finished_at - run.started_at).total_seconds():.3f}")
    root.set("timestamp", timestamp)
    root.extend(suites)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
