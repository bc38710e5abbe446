"""Wiring: sources -> articles -> distinct URLs -> checks (concurrently) -> archived copies -> suggested URLs
-> RunResult."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import logging
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from linkcheck.anomalies import article_anomalies
from linkcheck.archive import Archive, RequisiteLimits
from linkcheck.builders import positional
from linkcheck.check import Fetcher, check_urls
from linkcheck.environment import Environment
from linkcheck.errors import SourceReadError, describe
from linkcheck.fallback import archive_search, find_archived_copies, quotes_against_copies
from linkcheck.findings import Key
from linkcheck.models import (
    Article,
    CheckedArticle,
    CheckedCitation,
    CheckResult,
    Citation,
    Document,
    History,
    Outcome,
    RunResult,
    SourceError,
    Verdict,
)
from linkcheck.pacing import HostStarts, RequestLimiter
from linkcheck.quotes import check_quotes
from linkcheck.repair import registration_dates, suggest_urls
from linkcheck.reports import json_report
from linkcheck.reports.formats import ReportOptions, remove_stale_reports, write_reports
from linkcheck.settings import Settings
from linkcheck.sources import expand_sources
from linkcheck.state.run import RunState
from linkcheck.state.store import Store
from linkcheck.urls import host_of

log = logging.getLogger("linkcheck")


_Call = TypeVar("_Call", bound=Callable[..., Any])
_settling = [False]  # whether the run or report under way freezes what its stages leave alive


def _frozen_survivors(work: _Call) -> _Call:
    """Run `work` with what each of its stages leaves alive (see `_records_only`) moved out of the cyclic GC's
    sight, and given back to it at the end. A rerun keeps 100,000 citations' records alive to the end, and
    each full collection walked them all while finding nothing: seven of them, a tenth of the run.
    If something else has frozen objects (a forking server does), its freeze is left alone."""

    @functools.wraps(work)
    def frozen(*args: Any, **kwargs: Any) -> Any:
        if _settling[0] or gc.get_freeze_count():
            return work(*args, **kwargs)
        _settling[0] = True
        try:
            return work(*args, **kwargs)
        finally:
            _settling[0] = False
            gc.unfreeze()

    return frozen  # type: ignore[return-value]


_paused = [False]  # whether _records_only paused the collector (and _collecting may run it again)


@contextmanager
def _records_only() -> Iterator[None]:
    """Around a stage that builds many records and no reference cycles (reading stored results, the
    anomaly rules, the reports): the cyclic GC is paused while it runs, as its full collections would
    only walk the records to find nothing, and what the stage leaves alive is frozen after it."""
    if not _settling[0] or not gc.isenabled():
        yield
        return
    gc.disable()
    _paused[0] = True
    try:
        yield
    finally:
        _paused[0] = False
        gc.freeze()
        gc.enable()


@contextmanager
def _collecting() -> Iterator[None]:
    """Inside a _records_only stage, around work that does make reference cycles (a fresh harvest's parse
    trees): the collector runs as usual while it lasts. Anywhere else, nothing."""
    if not _paused[0] or gc.isenabled():
        yield
        return
    gc.enable()
    try:
        yield
    finally:
        gc.disable()


class Progress(Protocol):
    """Told how many URLs are due, then of each result as it comes in (the CLI's progress bar)."""

    def start(self, total: int) -> None: ...

    def advance(self, result: CheckResult) -> None: ...


@dataclass
class Harvest:
    """What the harvest stage gathered: articles and the sources that failed."""

    articles: list[Article] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)


def harvest(document: Document) -> Article:
    """The harvesters' entry point, loaded when the first article needs harvesting (they bring bs4 and
    pypdf; a rerun whose articles are all unchanged never does)."""
    from linkcheck.harvest import harvest as harvest_document

    return harvest_document(document)


def harvest_sources(
    sources: list[str],
    settings: Settings,
    env: Environment,
    fetcher: Fetcher | None,
    state: RunState | None = None,
    into: Harvest | None = None,
    page_url: str | None = None,
) -> Harvest:
    """Read and harvest every source; a bad one is named on stderr and the rest go on.

    With a state store, an article whose content is unchanged since the last run is not re-harvested.
    Articles are added to `into` as they come, so a failure part way keeps the ones before it.
    With no `fetcher` (offline) online articles are named as not read. `page_url` is the address a
    saved page was published at (`--url`).
    """
    gathered = into if into is not None else Harvest()
    fetch = fetcher.fetch if fetcher is not None else None
    max_bytes = settings.harvest.max_document_bytes
    for item in expand_sources(sources, env.stdin, fetch, max_bytes, env.cwd, page_url):
        if isinstance(item, SourceError):
            gathered.errors.append(item)
            env.warn(f"linkcheck: skipped {item.source}: {item.message}")
            continue
        known = state.known_article(item) if state else None
        if known is not None:
            gathered.articles.append(known)
            continue
        try:
            with _collecting():  # a rerun's stage is mostly stored harvests, made with the collector paused
                article = harvest(item)
            gathered.articles.append(article)
            if state:
                state.remember_article(item, article)
        except SourceReadError as exc:
            gathered.errors.append(SourceError(exc.source, exc.message))
            env.warn(f"linkcheck: skipped {exc.source}: {exc.message}")
        except RecursionError:
            message = "document is nested too deeply to parse"
            gathered.errors.append(SourceError(item.source, message))
            env.warn(f"linkcheck: skipped {item.source}: {message}")
        except Exception as exc:  # noqa: BLE001 - one hostile article must not stop the run for the others
            message = f"could not be harvested: {describe(exc)}"
            gathered.errors.append(SourceError(item.source, message))
            env.warn(f"linkcheck: skipped {item.source}: {message}")
            log.debug("harvest of %s failed", item.source, exc_info=True)
    return gathered


def exclusion(citation: Citation, settings: Settings) -> str | None:
    """Why a citation is not fetched, or None: an `include` pattern matches, else an `exclude` pattern
    (global or its domain's) does; with include patterns and no exclude pattern anywhere, every URL
    that no include pattern matches is left out (as lychee does)."""
    includes = settings.check.include
    if not includes and not settings.check.exclude and not settings.domains:
        return None  # the common case, asked of every citation twice: nothing to match
    any_exclude = bool(settings.check.exclude) or any(rule.exclude for rule in settings.domains)
    if not includes and not any_exclude:
        return None
    url = citation.normalized_url or citation.url
    if any(re.search(pattern, url) for pattern in includes):
        return None
    rule = settings.domain_rule(host_of(url)) if any_exclude else None
    for pattern in settings.check.exclude + (rule.exclude if rule else ()):
        if re.search(pattern, url):
            return f"excluded by pattern {pattern!r}"
    if includes and not any_exclude:
        return "matches no include pattern"
    return None


def _filters(settings: Settings) -> bool:
    """Whether any include or exclude pattern is set (asked once per run, not per citation)."""
    return bool(settings.check.include or settings.check.exclude or settings.domains)


def urls_to_check(articles: Iterable[Article], settings: Settings) -> list[str]:
    """Distinct normalized URLs that need a fetch, in order of first appearance."""
    seen: dict[str, None] = {}
    filtered = _filters(settings)
    for article in articles:
        for citation in article.citations:
            if citation.skip_reason or citation.invalid_reason or not citation.normalized_url:
                continue
            if filtered and exclusion(citation, settings):
                continue
            seen.setdefault(citation.normalized_url, None)
    return list(seen)


def open_archive(
    settings: Settings, env: Environment, fetcher: Fetcher | None = None, host_starts: HostStarts | None = None
) -> Archive | None:
    """The snapshot archive, when snapshots are on; with `fetcher` (the check's), pages' requisites too."""
    if not settings.snapshot.enabled:
        return None
    return _archive(settings, env, fetcher, host_starts, 1)


def _archive(
    settings: Settings, env: Environment, fetcher: Fetcher | None, host_starts: HostStarts | None, processes: int
) -> Archive:
    """With `processes` above 1, one check process's own writer: its own WARC files, merged into the index at
    its close, its share of the requisite limits; the run's archive writes index.html once, at its close."""
    return Archive(
        env.resolve(settings.snapshot.dir),
        max_warc_bytes=settings.snapshot.max_warc_bytes,
        respect_noarchive=settings.snapshot.respect_noarchive,
        drift_threshold=settings.snapshot.drift_threshold,
        clock=env.now,
        fetch_requisite=fetcher.fetch if fetcher is not None and settings.snapshot.requisites else None,
        requisite_limits=RequisiteLimits.of(settings, processes),
        host_starts=host_starts,  # shared with check_urls: per_host_delay spaces pages and requisites alike
        write_index_page=processes == 1,
    )


def result_for(
    citation: Citation,
    outcomes: dict[str, Outcome],
    settings: Settings,
    interrupted: bool,
    offline: bool = False,
    filtered: bool = True,
) -> CheckResult:
    """The CheckResult a citation gets: its URL's check, or why it was not checked (`filtered`: False when
    no pattern can exclude it)."""
    url = citation.normalized_url or citation.url
    if citation.invalid_reason:
        return CheckResult(url=citation.url, verdict=Verdict.INVALID, error=citation.invalid_reason)
    if citation.skip_reason:
        return CheckResult(url=citation.url, verdict=Verdict.SKIPPED, error=citation.skip_reason)
    reason = exclusion(citation, settings) if filtered else None
    if reason:
        return CheckResult(url=url, verdict=Verdict.SKIPPED, error=reason)
    if url in outcomes:
        return outcomes[url].result
    why = "not checked: the run was interrupted" if interrupted else "not checked"
    if offline:
        why = "not checked: offline run"
    return CheckResult(url=url, verdict=Verdict.SKIPPED, error=why)


_new_checked = positional(CheckedCitation)


def assemble(
    articles: list[Article],
    outcomes: dict[str, Outcome],
    settings: Settings,
    interrupted: bool,
    checked_at: dt.datetime,
    histories: dict[str, History] | None = None,
    offline: bool = False,
    registrations: dict[str, dt.date] | None = None,
) -> list[CheckedArticle]:
    """Each article with each citation's result, history, capture and anomalies (`registrations`:
    when each domain was registered, from RDAP)."""
    histories = histories or {}
    filtered = _filters(settings)
    assembled = []
    for article in articles:
        citations = []
        for citation in article.citations:
            key = citation.normalized_url or ""
            outcome = outcomes.get(key)
            capture = outcome.capture if outcome else None
            if outcome is not None and key and not (filtered or citation.invalid_reason or citation.skip_reason):
                result = outcome.result  # what result_for gives such a citation, without the call
            else:
                result = result_for(citation, outcomes, settings, interrupted, offline, filtered)
            # The live page when it is ok; quotes of any other citation wait for its archived copy (null).
            quotes = citation.quotes
            page = result.page if quotes and result.verdict is Verdict.OK else None
            citations.append(
                _new_checked(  # every field, in order (a rerun makes 100,000)
                    citation,
                    result,
                    (),  # anomalies: found below, for the whole article
                    capture.snapshot if capture else None,
                    histories.get(key),
                    capture.skipped_reason if capture else None,
                    capture.drift if capture else None,
                    None,  # archived_copy: the fallback stage's
                    None,  # suggested_url: the repair stage's
                    check_quotes(quotes, page) if quotes else (),
                    None,  # quotes_from: set when quotes are compared with an archived copy
                )
            )
        found = article_anomalies(article, citations, checked_at, settings, registrations)
        assembled.append(
            CheckedArticle(
                article,
                tuple(
                    CheckedCitation(
                        checked.citation,
                        checked.result,
                        anomalies,
                        checked.snapshot,
                        checked.history,
                        checked.snapshot_skipped,
                        checked.drift,
                        quotes=checked.quotes,
                    )
                    if anomalies
                    else checked
                    for checked, anomalies in zip(citations, found, strict=True)
                ),
            )
        )
    return assembled


@_frozen_survivors
def run(
    sources: list[str],
    settings: Settings,
    env: Environment,
    fetcher: Fetcher | None = None,
    progress: Progress | None = None,
    store: Store | None = None,
    force: bool = False,
    *,
    given: Sequence[Article] = (),
    offline: bool = False,
    page_url: str | None = None,
) -> RunResult:
    """The whole job: harvest, check every due URL once, remember, assemble the result, and look up
    archived copies for the citations that lost their page.

    `given` articles (`linkcheck check URL...`) are checked with the harvested ones. `offline` makes no
    request at all: no online article is read, no URL checked, no archive asked; the anomalies
    that need no answer are still found.

    Nothing that goes wrong loses what was gathered: an error of the tool itself ends the run with
    `failure` set (and so exit code 2), the articles and results so far kept, the run recorded as
    finished with that error.
    """
    started = env.now()
    fetcher = None if offline else fetcher or Fetcher(settings, now=env.now, environ=env.environ)
    state = RunState(store, settings.state, env.now, env.cwd)
    state.begin(started, [*sources, *(article.source for article in given)])
    gathered = Harvest()
    outcomes: dict[str, Outcome] = {}
    cached: dict[str, Outcome] = {}
    interrupted = False
    failure: str | None = None

    def on_outcome(outcome: Outcome) -> None:
        outcomes[outcome.result.url] = outcome
        state.record(outcome.result, outcome.capture.snapshot if outcome.capture is not None else None)
        if progress is not None:
            progress.advance(outcome.result)

    archive: Archive | None = None
    try:
        with _records_only():  # an unchanged article's stored harvest is records only: 20 Citations, no cycle
            harvest_sources(sources, settings, env, fetcher, state, into=gathered, page_url=page_url)
        gathered.articles.extend(given)
        with _records_only():  # the stored results and states live to the end of the run
            due, cached = state.split_due(urls_to_check(gathered.articles, settings), force)
        if fetcher is not None:
            host_starts = HostStarts(settings.check.per_host_delay)
            archive = open_archive(settings, env, fetcher, host_starts)
            if progress is not None:
                progress.start(len(due))
            capture = archive.capture if archive is not None else None
            if settings.distributed.broker:  # on `linkcheck worker` processes; dramatiq loads only then
                from linkcheck.distributed.broker import check_on_workers

                _, interrupted = check_on_workers(
                    due, settings, on_outcome, archive.root if archive else None, on_idle=state.flush_if_due
                )
            else:
                _, interrupted = check_urls(
                    due,
                    settings,
                    fetcher,
                    on_outcome,
                    capture,
                    host_starts=host_starts,
                    on_idle=state.flush_if_due,
                    open_capture=functools.partial(_archive, settings, env) if archive is not None else None,
                )
    except KeyboardInterrupt:
        interrupted = True
    except Exception as exc:  # noqa: BLE001 - the tool failed: keep what was gathered, report it, exit 2
        failure = describe(exc)
        log.debug("run failed", exc_info=True)
    finally:
        state.flush()  # the checks so far are committed whatever stopped the check stage
        if fetcher is not None:
            fetcher.close()
        if archive is not None:
            try:
                archive.close()  # an interrupted or failed run still indexes what it captured
            except Exception as exc:  # noqa: BLE001 - same: the report still says what was checked
                failure = failure or describe(exc)
    checked = len(outcomes)
    outcomes.update(cached)
    limits = None  # with a broker, the archives' and RDAP's request windows are shared by every process on it
    if settings.distributed.broker and failure is None and not interrupted and not offline:
        from linkcheck.distributed.broker import shared_limits

        limits = shared_limits(settings)
    registrations: dict[str, dt.date] = {}
    if failure is None and not interrupted and not offline and settings.repair.enabled:
        try:
            results = (o.result for o in outcomes.values())
            registrations = registration_dates(results, settings, env, state, limiter=limits.rdap if limits else None)
        except KeyboardInterrupt:
            interrupted = True
        except Exception as exc:  # noqa: BLE001 - as below: the checks stand, the report says what failed
            failure = describe(exc)
            log.debug("RDAP lookups failed", exc_info=True)
    with _records_only():
        articles = assemble(
            gathered.articles, outcomes, settings, interrupted, started, state.histories, offline, registrations
        )
    if failure is None and not interrupted and not offline:
        try:
            archive_root = env.resolve(settings.snapshot.dir)
            articles, interrupted = find_archived_copies(
                articles, settings, env, state, archive_root, limiter=limits.archives if limits else None
            )
            articles = quotes_against_copies(articles, started, settings, registrations)
        except Exception as exc:  # noqa: BLE001 - as above: the checks stand, the report says what failed
            failure = describe(exc)
            log.debug("archived-copy lookups failed", exc_info=True)
    if failure is None and not interrupted and not offline:
        try:
            articles = _suggested(articles, settings, env, limits.archives if limits else None)
        except KeyboardInterrupt:
            interrupted = True  # the suggestions so far are lost; the checks and copies stand
        except Exception as exc:  # noqa: BLE001 - as above
            failure = describe(exc)
            log.debug("suggested-URL search failed", exc_info=True)
    if limits is not None:
        limits.close()
    result = RunResult(
        started_at=started,
        finished_at=env.now(),
        articles=tuple(articles),
        errors=tuple(gathered.errors),
        urls_checked=checked,
        interrupted=interrupted,
        failure=failure,
        run_id=state.run_id,
        urls_cached=len(cached),
        articles_reused=state.reused_articles,
    )
    state.finish(result.finished_at, interrupted, failure)
    return result


def _suggested(
    articles: list[CheckedArticle], settings: Settings, env: Environment, limiter: RequestLimiter | None = None
) -> list[CheckedArticle]:
    """Suggested URLs, with the fallback stage's archive search as their last generator."""
    if not settings.repair.enabled:
        return articles
    search, close = archive_search(settings, env, limiter=limiter)
    try:
        return suggest_urls(articles, settings, env, archive=search)
    finally:
        close()


def report_options(settings: Settings, env: Environment, known: set[Key] | None = None) -> ReportOptions:
    return ReportOptions(
        fail_on=settings.report.fail_on,
        verdict_overrides=settings.verdicts,
        archive_dir=env.resolve(settings.snapshot.dir),
        known=frozenset(known) if known is not None else None,
    )


@_frozen_survivors
def publish(
    result: RunResult, settings: Settings, env: Environment, store: Store | None, known: set[Key] | None = None
) -> list[Path]:
    """Write every configured report format; report.json always, and the state store keeps
    a gzip copy of it for `linkcheck report`. With a baseline (`known`), the reports name what is new."""
    with _records_only():  # the run's records live while every report is written
        return _publish(result, settings, env, store, known)


def _publish(
    result: RunResult, settings: Settings, env: Environment, store: Store | None, known: set[Key] | None = None
) -> list[Path]:
    report_dir = env.resolve(settings.report.dir)
    options = report_options(settings, env, known)
    # The copy is compressed from report.json's own bytes as they are written. Level 1: a large run's
    # report is compressed more than twice as fast as at the default 6, for a copy under twice the size.
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)  # 31: gzip container
    parts: list[bytes] = []
    tee = lambda data: parts.append(compressor.compress(data))  # noqa: E731
    paths = [json_report.write(result, report_dir, tee, options.new_findings(result))]
    if store is not None and result.run_id is not None:
        parts.append(compressor.flush())
        store.save_report(result.run_id, b"".join(parts))
    others = tuple(name for name in settings.report.formats if name != "json")
    paths += write_reports(result, report_dir, others, options)
    remove_stale_reports(report_dir, ("json", *others))
    return paths
