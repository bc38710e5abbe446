"""report.sarif: SARIF 2.1.0 for code-scanning dashboards; one result per verdict or anomaly finding."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from linkcheck import __version__
from linkcheck.findings import verdict_severity
from linkcheck.models import COMMAND_LINE_SOURCE, CheckedCitation, RunResult, Severity
from linkcheck.reports.annotations import local_path
from linkcheck.reports.options import ReportOptions
from linkcheck.urls import is_url_source

FILE_NAME = "report.sarif"
SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# From the tables in docs/report.md and docs/anomalies.md.
DESCRIPTIONS = {
    "broken": "The cited page is gone: 404, 410 or another definitive 4xx, a redirect loop, too many redirects.",
    "soft-404": "The cited URL answers 2xx, but with an error page in disguise.",
    "invalid": "The cited URL is not a usable URL.",
    "blocked": "The site denied access (401, 403, 405, 407, 418, 451), often bot or geo blocking; inconclusive.",
    "rate-limited": "The site asked to slow down (429, or a long Retry-After).",
    "server-error": "The site answered 5xx after retries.",
    "timeout": "No complete answer in time, after retries.",
    "unreachable": "DNS failure, connection refused or reset, or a proxy error.",
    "tls-error": "The site's certificate is expired, from an unknown issuer or for another host.",
    "skipped": "The URL was not fetched.",
    "ok": "The cited URL answers.",
    "future-dated-url": "A date inside the URL is after the article's date.",
    "shortened-url": "A URL shortener hides the real source.",
    "ip-address-host": "The URL names a bare IP address.",
    "credentials-in-url": "The URL carries a user name, and maybe a password.",
    "published-after-article": "The cited page says it was published after the article.",
    "redirect-to-homepage": "A deep link ended at the site's home page.",
    "cross-domain-redirect": "The link ended on another registrable domain.",
    "tracking-params": "The URL carries tracking parameters.",
    "insecure-url": "The citation uses plain http://.",
    "duplicate-citation": "The same URL is cited more than once in one article.",
    "malformed-url": "The URL cannot be used.",
    "title-mismatch": "The headline the citation names does not match the page's title.",
    "content-drift": "The page's text changed since an earlier capture.",
    "newly-broken": "A URL that was ok in its previous check now fails.",
    "domain-parked": "The cited domain now shows a parking or for-sale page, not the source.",
    "domain-changed-hands": "The cited domain was registered after the article: it has changed hands.",
    "quote-not-found": "A quotation beside the citation is not in the cited page's text.",
}


def _utc(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _location(source: str, checked: CheckedCitation) -> dict[str, Any]:
    path = local_path(source)
    if path is None and not is_url_source(source):
        name = "command line" if source == COMMAND_LINE_SOURCE else "standard input"
        return {"logicalLocations": [{"name": name, "kind": "resource"}]}
    if path is None:
        uri = source
    else:
        pure = PurePath(path)
        uri = pure.as_uri() if pure.is_absolute() else quote(path, safe="/")
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if checked.citation.line is not None and checked.citation.line >= 1:
        physical["region"] = {"startLine": checked.citation.line}
    return {"physicalLocation": physical}


def _result(rule_id: str, level: Severity, text: str, source: str, checked: CheckedCitation) -> dict[str, Any]:
    citation, result = checked.citation, checked.result
    key = f"{source}\n{citation.normalized_url or citation.url}\n{rule_id}"
    properties: dict[str, Any] = {"url": citation.url, "verdict": result.verdict.value, "status": result.status}
    if result.final_url:
        properties["finalUrl"] = result.final_url
    if citation.page is not None:
        properties["page"] = citation.page
    location = _location(source, checked)
    return {
        "ruleId": rule_id,
        "level": LEVELS[level],
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"linkcheckCitation/v1": hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]},
        "properties": properties,
    }


def _results(run: RunResult, options: ReportOptions) -> tuple[list[dict[str, Any]], dict[str, tuple[str, Severity]]]:
    results = []
    rules: dict[str, tuple[str, Severity]] = {}  # id -> (kind, worst level seen)
    for checked_article in run.articles:
        source = checked_article.article.source
        for checked in checked_article.citations:
            result = checked.result
            findings: list[tuple[str, str, Severity, str]] = []
            level = verdict_severity(result.verdict, options.verdict_overrides)
            if level is not None:
                detail = f" ({result.status})" if result.status is not None else ""
                reason = f": {result.error}" if result.error else ""
                text = f"{checked.citation.url} is {result.verdict.value}{detail}{reason}"
                findings.append((result.verdict.value, "verdict", level, text))
            for anomaly in checked.anomalies:
                findings.append(
                    (anomaly.code, "anomaly", anomaly.severity, f"{checked.citation.url}: {anomaly.message}")
                )
            for rule_id, kind, severity, text in findings:
                results.append(_result(rule_id, severity, text, source, checked))
                known = rules.get(rule_id)
                if known is None or severity.rank > known[1].rank:
                    rules[rule_id] = (kind, severity)
    return results, rules


def render_log(run: RunResult, options: ReportOptions) -> dict[str, Any]:
    """The SARIF log as plain data: every verdict and anomaly with a severity, at any level."""
    results, found = _results(run, options)
    rule_ids = sorted(found, key=lambda rule_id: (found[rule_id][0] != "verdict", rule_id))
    rules = [
        {
            "id": rule_id,
            "shortDescription": {"text": DESCRIPTIONS.get(rule_id, f"linkcheck {found[rule_id][0]} {rule_id}")},
            "defaultConfiguration": {"level": LEVELS[found[rule_id][1]]},
            "properties": {"tags": ["linkcheck", found[rule_id][0]]},
        }
        for rule_id in rule_ids
    ]
    index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    for result in results:
        result["ruleIndex"] = index[result["ruleId"]]
    invocation: dict[str, Any] = {
        "executionSuccessful": not run.interrupted,
        "startTimeUtc": _utc(run.started_at),
        "endTimeUtc": _utc(run.finished_at),
    }
    notifications = [
        {"level": "error", "message": {"text": f"{error.source}: {error.message}"}} for error in run.errors
    ]
    if run.interrupted:
        notifications.append({"level": "warning", "message": {"text": "the run was interrupted"}})
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "linkcheck", "version": __version__, "rules": rules}},
                "invocations": [invocation],
                "results": results,
            }
        ],
    }


def render(run: RunResult, options: ReportOptions) -> str:
    """The SARIF log as JSON text."""
    return json.dumps(render_log(run, options), ensure_ascii=False, indent=2) + "\n"
