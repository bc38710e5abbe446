"""Records to plain data and back, for the state store (JSON columns) and report.json."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from linkcheck.builders import positional
from linkcheck.models import (
    ArchivedCopy,
    Article,
    CheckResult,
    Citation,
    CopyStatus,
    Hop,
    RejectedCapture,
    SourceError,
    SuggestedUrl,
    Verdict,
)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def citation_to_dict(citation: Citation) -> dict[str, Any]:
    """Every field of a Citation, in order (what dataclasses.asdict gives, built directly: asdict copies
    each value recursively and was a large part of writing a harvest)."""
    return {
        "url": citation.url,
        "normalized_url": citation.normalized_url,
        "context": citation.context,
        "line": citation.line,
        "page": citation.page,
        "skip_reason": citation.skip_reason,
        "invalid_reason": citation.invalid_reason,
        "context_is_anchor": citation.context_is_anchor,
        "quotes": list(citation.quotes),
    }


def article_to_dict(article: Article) -> dict[str, Any]:
    return {
        "source": article.source,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "published_from": article.published_from,
        "url": article.url,
        "cut_reason": article.cut_reason,
        "citations": [citation_to_dict(citation) for citation in article.citations],
    }


PRETTY_CITATIONS = 5000  # past this many, JSON for people is written compact, by the C encoder


def harvest_json(articles: Sequence[Article], errors: Sequence[SourceError]) -> str:
    """What `linkcheck harvest --json` prints: indented, or compact for more than PRETTY_CITATIONS citations
    (json's indenting encoder is pure Python, several times slower)."""
    data = {
        "articles": [article_to_dict(article) for article in articles],
        "errors": [{"source": error.source, "message": error.message} for error in errors],
    }
    pretty = sum(len(article.citations) for article in articles) <= PRETTY_CITATIONS
    return json.dumps(data, ensure_ascii=False, indent=2 if pretty else None)


def article_from_dict(data: dict[str, Any]) -> Article:
    known = _CITATION_FIELDS
    return Article(
        source=data["source"],
        title=data.get("title"),
        published=_date(data.get("published")),
        published_from=data.get("published_from"),
        url=data.get("url"),
        cut_reason=data.get("cut_reason"),
        citations=tuple([_citation(c, known) for c in data["citations"]]),
    )


_CITATION_ORDER = tuple(field.name for field in dataclasses.fields(Citation))
_CITATION_FIELDS = frozenset(_CITATION_ORDER)
_new_citation = positional(Citation)


def _citation(data: dict[str, Any], known: frozenset[str]) -> Citation:
    if tuple(data) == _CITATION_ORDER:  # as citation_to_dict writes it: every field, in order
        values = list(data.values())
        values[-1] = tuple(values[-1] or ())  # quotes, the last field
        return _new_citation(*values)
    fields = {key: value for key, value in data.items() if key in known}
    fields["quotes"] = tuple(fields.get("quotes") or ())
    return Citation(**fields)


def check_to_dict(result: CheckResult, timespec: str = "auto", page_facts: bool = True) -> dict[str, Any]:
    """A CheckResult as plain data: the one serializer for the state store and report.json
    (which leaves out the page facts: `page_facts=False`)."""
    data = {
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
    }
    if page_facts:
        data["page_title"] = result.page_title
        data["page_published"] = result.page_published.isoformat() if result.page_published else None
    return data


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


def utc_z(moment: dt.datetime) -> str:
    """A moment in UTC to the second, written with Z (`2021-08-09T12:00:05Z`)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def archived_copy_to_dict(copy: ArchivedCopy) -> dict[str, Any]:
    """An ArchivedCopy as plain data: the one serializer for the state store and report.json."""
    return {
        "status": copy.status.value,
        "url": copy.url,
        "archived_at": utc_z(copy.archived_at) if copy.archived_at else None,
        "archive": copy.archive,
        "before_target": copy.before_target,
        "verified": copy.verified,
        "rejected": [
            {"url": item.url, "archived_at": utc_z(item.archived_at), "reason": item.reason} for item in copy.rejected
        ],
        "error": copy.error,
    }


def archived_copy_from_dict(data: dict[str, Any]) -> ArchivedCopy:
    return ArchivedCopy(
        status=CopyStatus(data["status"]),
        url=data.get("url"),
        archived_at=_utc(data["archived_at"]) if data.get("archived_at") else None,
        archive=data.get("archive"),
        before_target=data.get("before_target"),
        verified=bool(data.get("verified")),
        rejected=tuple(
            RejectedCapture(item["url"], _utc(item["archived_at"]), item["reason"])
            for item in data.get("rejected") or ()
        ),
        error=data.get("error"),
    )


def suggested_url_to_dict(suggestion: SuggestedUrl) -> dict[str, Any]:
    """A SuggestedUrl as plain data (report.json's `suggested_url`)."""
    return {
        "url": suggestion.url,
        "method": suggestion.method,
        "evidence": suggestion.evidence,
        "confidence": suggestion.confidence,
    }


def suggested_url_from_dict(data: dict[str, Any]) -> SuggestedUrl:
    return SuggestedUrl(data["url"], data["method"], data.get("evidence") or "", float(data.get("confidence") or 0.0))
