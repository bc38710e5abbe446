"""report.json: the machine-readable report (schema in docs/report.md)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

import orjson

from linkcheck import __version__
from linkcheck.files import atomic_file
from linkcheck.models import (
    Anomaly,
    AnomalyCode,
    Article,
    CheckedArticle,
    CheckedCitation,
    Citation,
    History,
    QuoteCheck,
    Requisites,
    RunResult,
    Severity,
    Snapshot,
    SourceError,
    Verdict,
)
from linkcheck.serialize import (
    archived_copy_from_dict,
    archived_copy_to_dict,
    check_from_dict,
    suggested_url_from_dict,
    suggested_url_to_dict,
)
from linkcheck.urls import is_url_source

SCHEMA_VERSION = 1


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _snapshot(snapshot: Snapshot | None) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return {
        "warc": snapshot.warc,
        "record_id": snapshot.record_id,
        "offset": snapshot.offset,
        "sha256": snapshot.sha256,
        "captured_at": snapshot.captured_at,
        "page": snapshot.page,
        "requisites": _requisites(snapshot.requisites),
    }


@functools.lru_cache(maxsize=1 << 16)
def _seconds(moment: dt.datetime, zone: dt.tzinfo | None, fold: int) -> str:
    """`moment.isoformat(timespec="seconds")`, remembered: it took 3 µs, and a rerun's results share their
    moments (a result's check time is its URL's last ok). The zone and fold are part of the key because
    equal moments in other zones (or either side of a clock change) are written differently."""
    return moment.isoformat(timespec="seconds")


def _requisites(requisites: Requisites | None) -> dict[str, Any] | None:
    if requisites is None:
        return None
    return {"captured": requisites.captured, "refused": requisites.refused, "cut": requisites.cut}


def _citation(checked: CheckedCitation) -> dict[str, Any]:
    """One citation as report.json has it: the citation's fields, then its result's as check_to_dict gives
    them without the page facts (which stay in the store), written out in one dict: a large report has
    100,000 of them, and merging a second dict into each cost a tenth of writing it."""
    citation, result = checked.citation, checked.result
    checked_at, redirects, anomalies, quotes = result.checked_at, result.redirects, checked.anomalies, checked.quotes
    # Empty parts (most citations' redirects, anomalies, quotes) skip their list comprehension: in Python
    # 3.11 each one is a function call, four of them per citation.
    return {
        "url": result.url,  # the result's URL in the citation's first place, as check_to_dict's merged in did
        "normalized_url": citation.normalized_url,
        "context": citation.context,
        "line": citation.line,
        "page": citation.page,
        "verdict": result.verdict.value,
        "status": result.status,
        "final_url": result.final_url,
        "redirects": [{"url": hop.url, "status": hop.status} for hop in redirects] if redirects else [],
        "error": result.error,
        "attempts": result.attempts,
        "elapsed_ms": result.elapsed_ms,
        "checked_at": _seconds(checked_at, checked_at.tzinfo, checked_at.fold) if checked_at else None,
        "tls_verified": result.tls_verified,
        "anomalies": [{"code": a.code, "severity": a.severity.value, "message": a.message} for a in anomalies]
        if anomalies
        else [],
        "snapshot": _snapshot(checked.snapshot) if checked.snapshot is not None else None,
        "snapshot_skipped": checked.snapshot_skipped,
        "history": _history(checked.history) if checked.history is not None else None,
        "archived_copy": archived_copy_to_dict(checked.archived_copy) if checked.archived_copy else None,
        "suggested_url": suggested_url_to_dict(checked.suggested_url) if checked.suggested_url else None,
        "quotes": [{"text": quote.text, "found": quote.found} for quote in quotes] if quotes else [],
    }


def _history(history: History | None) -> dict[str, Any] | None:
    if history is None:
        return None
    last_ok, first_failure = history.last_ok, history.first_failure
    return {
        "cached": history.cached,
        "last_ok": _seconds(last_ok, last_ok.tzinfo, last_ok.fold) if last_ok else None,
        "first_failure": _seconds(first_failure, first_failure.tzinfo, first_failure.fold) if first_failure else None,
        "failure_streak": history.failure_streak,
        "confirmed_dead": history.confirmed_dead,
        "flapping": history.flapping,
    }


Baseline = list[tuple[str, CheckedCitation]]  # (article source, citation) of each new finding


def _head(run: RunResult, baseline: Baseline | None = None) -> dict[str, Any]:
    verdicts: Counter[str] = Counter()
    anomalies: Counter[str] = Counter()
    citations = 0
    for article in run.articles:
        for checked in article.citations:
            citations += 1
            verdicts[checked.result.verdict.value] += 1
            if checked.anomalies:
                anomalies.update(str(a.code) for a in checked.anomalies)  # plain str keys: orjson refuses an enum
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "linkcheck", "version": __version__},
        "run": {
            "id": run.run_id,
            "started_at": _iso(run.started_at),
            "finished_at": _iso(run.finished_at),
            "interrupted": run.interrupted,
            **({"failure": run.failure} if run.failure else {}),
        },
        "summary": {
            "articles": len(run.articles),
            "citations": citations,
            "urls_checked": run.urls_checked,
            "urls_reused": run.urls_cached,
            "verdicts": dict(sorted(verdicts.items())),
            "anomalies": dict(sorted(anomalies.items())),
        },
        "errors": [{"source": e.source, "message": e.message} for e in run.errors],
        **({"baseline": _baseline(baseline)} if baseline is not None else {}),
    }


def _baseline(fresh: Baseline) -> dict[str, Any]:
    """With --baseline or --new-only: the findings the baseline did not have (they set the exit code)."""
    return {
        "new_findings": [
            {"source": source, "url": checked.citation.url, "normalized_url": checked.citation.normalized_url}
            for source, checked in fresh
        ]
    }


def _article(checked_article: CheckedArticle) -> dict[str, Any]:
    article = checked_article.article
    return {
        "source": article.source,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "published_from": article.published_from,
        **({"cut_reason": article.cut_reason} if article.cut_reason else {}),
        "citations": [_citation(c) for c in checked_article.citations],
    }


def render(run: RunResult, baseline: Baseline | None = None) -> dict[str, Any]:
    """The report as plain data."""
    return {**_head(run, baseline), "articles": [_article(a) for a in run.articles]}


def chunks(run: RunResult, baseline: Baseline | None = None) -> Iterator[bytes]:
    """The report as compact UTF-8 JSON, one article at a time (memory stays flat for big runs).

    orjson encodes: on a 100,000-citation report it took 0.23 s where json's C encoder took 1.8 s.
    """
    yield orjson.dumps(_head(run, baseline))[:-1] + b',"articles":['
    for index, article in enumerate(run.articles):
        yield (b"," if index else b"") + orjson.dumps(_article(article))
    yield b"]}\n"


PRETTY_LIMIT = 5000  # citations; past this, compact JSON streamed article by article
_BLOCK = 1 << 20  # bytes gathered before a write: few calls, flat memory
_BLOCKS_WAITING = 4  # blocks rendered ahead of the writer at most


def write(
    run: RunResult, directory: Path, tee: Callable[[bytes], None] | None = None, baseline: Baseline | None = None
) -> Path:
    """Write DIR/report.json atomically (a reader never sees half a report).

    `tee` receives the same bytes as the file, in blocks (the state store keeps a compressed copy):
    the report is rendered and encoded once.
    """
    target = directory / "report.json"
    pretty = sum(len(a.citations) for a in run.articles) <= PRETTY_LIMIT
    if pretty:
        pieces: Iterable[bytes] = [(json.dumps(render(run, baseline), ensure_ascii=False, indent=2) + "\n").encode()]
    else:
        pieces = chunks(run, baseline)
    # Blocks are written (and given to `tee`) by a second thread while this one renders the next: file
    # writes and zlib let go of the interpreter, so a large report's compression and writing overlap its
    # encoding. A few blocks wait at most, so memory stays flat.
    with atomic_file(target, "wb") as out, ThreadPoolExecutor(1, "report-json-writer") as writer:
        waiting: deque[Future[None]] = deque()
        block: list[bytes] = []
        size = 0
        for piece in pieces:
            block.append(piece)
            size += len(piece)
            if size >= _BLOCK:
                waiting.append(writer.submit(_emit, block, out, tee))
                block, size = [], 0
                if len(waiting) > _BLOCKS_WAITING:
                    waiting.popleft().result()
        waiting.append(writer.submit(_emit, block, out, tee))
        for written in waiting:
            written.result()  # an error writing is raised here, and the temporary file removed
    _seconds.cache_clear()  # one report's moments are not kept for the next (a long-lived worker)
    return target


def _emit(block: list[bytes], out: IO[bytes], tee: Callable[[bytes], None] | None) -> None:
    data = b"".join(block)
    out.write(data)
    if tee:
        tee(data)


def _when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def load(data: dict[str, Any]) -> RunResult:
    """A RunResult back from report.json data (for `linkcheck report`, without fetching)."""
    articles = []
    for entry in data["articles"]:
        citations = []
        for item in entry["citations"]:
            result = check_from_dict({**item, "url": item["normalized_url"] or item["url"]})
            citation = Citation(
                url=item["url"],
                normalized_url=item["normalized_url"],
                context=item["context"],
                line=item.get("line"),
                page=item.get("page"),
                # The harvester's reasons travel as the result's error; give them back to the citation.
                skip_reason=result.error if result.verdict is Verdict.SKIPPED and not item["normalized_url"] else None,
                invalid_reason=result.error if result.verdict is Verdict.INVALID else None,
            )
            anomalies = tuple(
                Anomaly(AnomalyCode(a["code"]), Severity(a["severity"]), a["message"])
                for a in item.get("anomalies") or ()
            )
            snap = item.get("snapshot")
            snapshot = (
                Snapshot(
                    snap["warc"],
                    snap["sha256"],
                    snap["captured_at"],
                    snap.get("page"),
                    snap.get("record_id"),
                    snap.get("offset"),
                    _requisites_from(snap.get("requisites")),
                )
                if snap
                else None
            )
            past = item.get("history")
            history = (
                History(
                    cached=past["cached"],
                    last_ok=_when(past["last_ok"]),
                    first_failure=_when(past["first_failure"]),
                    failure_streak=past["failure_streak"],
                    confirmed_dead=past["confirmed_dead"],
                    flapping=past["flapping"],
                )
                if past
                else None
            )
            copy, suggestion = item.get("archived_copy"), item.get("suggested_url")
            citations.append(
                CheckedCitation(
                    citation,
                    result,
                    anomalies,
                    snapshot,
                    history,
                    item.get("snapshot_skipped"),
                    archived_copy=archived_copy_from_dict(copy) if copy else None,
                    suggested_url=suggested_url_from_dict(suggestion) if suggestion else None,
                    quotes=tuple(QuoteCheck(q["text"], q.get("found")) for q in item.get("quotes") or ()),
                )
            )
        published = entry.get("published")
        article = Article(
            source=entry["source"],
            title=entry.get("title"),
            published=dt.date.fromisoformat(published) if published else None,
            published_from=entry.get("published_from"),
            cut_reason=entry.get("cut_reason"),
            citations=tuple(c.citation for c in citations),
            # report.json names an online article by the URL it was given (after redirects is not kept).
            url=entry["source"] if is_url_source(entry["source"]) else None,
        )
        articles.append(CheckedArticle(article, tuple(citations)))
    run = data["run"]
    summary = data["summary"]
    return RunResult(
        started_at=_when(run["started_at"]) or dt.datetime.now(dt.UTC),
        finished_at=_when(run["finished_at"]) or dt.datetime.now(dt.UTC),
        articles=tuple(articles),
        errors=tuple(SourceError(e["source"], e["message"]) for e in data.get("errors") or ()),
        urls_checked=summary.get("urls_checked", 0),
        interrupted=run.get("interrupted", False),
        failure=run.get("failure"),
        run_id=run.get("id"),
        urls_cached=summary.get("urls_reused", 0),
    )


def _requisites_from(item: Any) -> Requisites | None:
    """A snapshot's requisite counts; None in reports written before they were counted."""
    if not isinstance(item, dict):
        return None
    return Requisites(int(item.get("captured", 0)), int(item.get("refused", 0)), bool(item.get("cut", False)))
