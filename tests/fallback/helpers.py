"""Records and settings for fallback tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from linkcheck.models import (
    Anomaly,
    AnomalyCode,
    Article,
    CheckedArticle,
    CheckedCitation,
    CheckResult,
    Citation,
    Severity,
    Verdict,
)
from linkcheck.settings import Settings, settings_from_mapping
from linkcheck.urls import normalize_url


def fallback_settings(wayback: str = "", **fallback: Any) -> Settings:
    """Loopback allowed (the fake archives run on 127.0.0.x), fast retries, a quick bucket unless told."""
    values: dict[str, Any] = {"wayback": wayback, "requests_per_second": 50.0}
    values.update(fallback)
    check = {"allow_private_networks": True, "backoff": 0.0, "timeout": 5.0, "deadline": 10.0}
    return settings_from_mapping({"check": check, "fallback": values}, "test")


def cited(
    url: str,
    verdict: Verdict,
    context: str = "",
    anomalies: tuple[AnomalyCode, ...] = (),
) -> CheckedCitation:
    """A citation as checked: its anchor text is `context` (a headline when it has five words or more)."""
    normalized = normalize_url(url)
    return CheckedCitation(
        Citation(url, normalized, context, line=1, context_is_anchor=bool(context)),
        CheckResult(normalized, verdict, status=403 if verdict is Verdict.BLOCKED else None),
        anomalies=tuple(Anomaly(code, Severity.WARNING, "test") for code in anomalies),
    )


def article(published: dt.date | None, *citations: CheckedCitation, source: str = "a.html") -> CheckedArticle:
    cited_in = Article(source, "An article", published, "meta", tuple(c.citation for c in citations))
    return CheckedArticle(cited_in, citations)


def page(title: str, body: str = "", head: str = "") -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head>"
        f"<body><main><h1>{title}</h1><p>{body}</p></main></body></html>"
    ).encode()
