"""Records to plain data and back, for the state store (JSON columns)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from linkcheck.models import Article, CheckResult, Citation, Hop, Verdict


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def article_to_dict(article: Article) -> dict[str, Any]:
    return {
        "source": article.source,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "published_from": article.published_from,
        "url": article.url,
        "citations": [dataclasses.asdict(citation) for citation in article.citations],
    }


def article_from_dict(data: dict[str, Any]) -> Article:
    known = {field.name for field in dataclasses.fields(Citation)}
    return Article(
        source=data["source"],
        title=data.get("title"),
        published=_date(data.get("published")),
        published_from=data.get("published_from"),
        url=data.get("url"),
        citations=tuple(Citation(**{k: v for k, v in c.items() if k in known}) for c in data["citations"]),
    )


def check_to_dict(result: CheckResult, timespec: str = "auto") -> dict[str, Any]:
    """A CheckResult as plain data: the one serializer for the state store and report.json."""
    return {
        "url": result.url,
        "verdict": result.verdict.value,
        "status": result.status,
        "final_url": result.final_url,
        "redirects": [{"url": hop.url, "status": hop.status} for hop in result.redirects],
        "error": result.error,
        "attempts": result.attempts,
        "elapsed_ms": result.elapsed_ms,
        "checked_at": result.checked_at.isoformat(timespec=timespec) if result.checked_at else None,
        "tls_verified": result.tls_verified,
        "page_title": result.page_title,
        "page_published": result.page_published.isoformat() if result.page_published else None,
    }


def check_from_dict(data: dict[str, Any]) -> CheckResult:
    return CheckResult(
        url=data["url"],
        verdict=Verdict(data["verdict"]),
        status=data.get("status"),
        final_url=data.get("final_url"),
        redirects=tuple(Hop(hop["url"], hop["status"]) for hop in data.get("redirects") or ()),
        error=data.get("error"),
        attempts=data.get("attempts") or 0,
        elapsed_ms=data.get("elapsed_ms") or 0,
        checked_at=_datetime(data.get("checked_at")),
        tls_verified=data.get("tls_verified", True),
        page_title=data.get("page_title"),
        page_published=_date(data.get("page_published")),
    )
