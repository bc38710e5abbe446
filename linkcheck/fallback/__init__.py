"""The fallback stage: a verified archived copy for every citation that lost its page.

Looked up, once per distinct URL, for citations whose verdict is not ok (skipped and invalid aside)
and for ok ones sent to a home page or another site, or whose title or text moved away. The copy is
the capture closest before the target date (the article's publication date, else when linkcheck first
saw the citation, else now) that passes the rules that judge live pages; linkcheck's own archive is
asked first, then the Wayback Machine, then any Memento archives. Every request goes through the
check stage's Fetcher, politely (politeness.py). Answers are kept in the state store.

lookup.py asks the archives (local.py, cdx.py, memento.py), choose.py picks, verify.py judges;
submit.py is Save Page Now; robust_links.py writes an article annotated with its copies;
copy_quotes.py compares the quotes of a lost page with its copy.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linkcheck.anomalies import cited_headline
from linkcheck.check import Fetcher
from linkcheck.environment import Environment
from linkcheck.errors import describe
from linkcheck.fallback.candidates import stamp14
from linkcheck.fallback.copy_quotes import quotes_against_copies
from linkcheck.fallback.lookup import Archives, LookupRequest
from linkcheck.fallback.politeness import PoliteClient
from linkcheck.fallback.similar import similar_urls
from linkcheck.fallback.submit import SavePageNow, SpnKeys, Submission
from linkcheck.fallback.verify import Reference
from linkcheck.models import (
    AnomalyCode,
    ArchivedCopy,
    Article,
    CheckedArticle,
    CheckedCitation,
    Citation,
    CopyStatus,
    Verdict,
)
from linkcheck.pacing import RequestLimiter
from linkcheck.settings import Settings
from linkcheck.state.run import RunState
from linkcheck.urls import slug_words

__all__ = [
    "annotate",
    "archive_search",
    "copies_for_article",
    "find_archived_copies",
    "lookup_due",
    "quotes_against_copies",
    "usable_copy",
]

if TYPE_CHECKING:
    from linkcheck.fallback.robust_links import annotate, usable_copy

log = logging.getLogger("linkcheck")


def __getattr__(name: str) -> Any:
    """`annotate` and `usable_copy` come from robust_links, which loads bs4 and the harvesters: a run that
    only asks for copies (every run) does without them."""
    if name in ("annotate", "usable_copy"):
        from linkcheck.fallback import robust_links

        return getattr(robust_links, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# An ok citation flagged with one of these may no longer show what was cited.
DUE_ANOMALIES = frozenset(
    {
        AnomalyCode.REDIRECT_TO_HOMEPAGE,
        AnomalyCode.CROSS_DOMAIN_REDIRECT,
        AnomalyCode.TITLE_MISMATCH,
        AnomalyCode.CONTENT_DRIFT,
    }
)
_NOT_LOOKED_UP = frozenset({Verdict.OK, Verdict.SKIPPED, Verdict.INVALID})
SPN_ACCESS_KEY = "LINKCHECK_SPN_ACCESS_KEY"
SPN_SECRET_KEY = "LINKCHECK_SPN_SECRET_KEY"


def lookup_due(checked: CheckedCitation) -> bool:
    """Whether a citation gets a lookup: it lost its page, or an ok answer is not the page cited."""
    if not checked.citation.normalized_url:
        return False
    verdict = checked.result.verdict
    if verdict not in _NOT_LOOKED_UP:
        return True
    anomalies = checked.anomalies  # most ok citations have none: no generator made for them
    return verdict is Verdict.OK and bool(anomalies) and any(anomaly.code in DUE_ANOMALIES for anomaly in anomalies)


def find_archived_copies(
    articles: Sequence[CheckedArticle],
    settings: Settings,
    env: Environment,
    state: RunState,
    archive_root: Path | None,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    limiter: RequestLimiter | None = None,
) -> tuple[list[CheckedArticle], bool]:
    """Each article with an archived copy (or why there is none) on every citation due a lookup;
    (articles, whether Ctrl-C stopped the lookups part way). With `submit`, ok citations are also
    given to Save Page Now. `clock` and `sleep` drive the politeness waits (tests may fake them);
    `limiter` paces the requests per archive host (by default, a bucket per host in this process).
    """
    if not settings.fallback.enabled:
        return list(articles), False
    due = [(a.article, c) for a in articles for c in a.citations if lookup_due(c)]
    if not due and not settings.fallback.submit:
        return list(articles), False  # nothing to look up or submit (a rerun whose links all work): as they are
    requests = _requests(((article, checked.citation) for article, checked in due), settings, env.now(), state)
    for _, checked in due:  # this run's capture is of the page that lost what was cited: never the copy
        snapshot, request = checked.snapshot, requests.get(checked.citation.normalized_url or "")
        if snapshot is not None and request is not None:
            unfit = {**request.unfit, _stamp_of(snapshot.captured_at): _why_unfit(checked)}
            requests[request.url] = replace(request, unfit=unfit)
    ok_urls = (
        list(
            dict.fromkeys(
                c.citation.normalized_url
                for a in articles
                for c in a.citations
                if c.result.verdict is Verdict.OK and c.citation.normalized_url
            )
        )
        if settings.fallback.submit
        else []
    )
    copies: dict[str, ArchivedCopy] = {}
    interrupted = False
    if requests or (settings.fallback.submit and ok_urls):
        client, fetcher = _client(settings, env, clock, sleep, limiter)
        try:
            _look_up_all(requests, Archives(settings.fallback, client, archive_root), state, copies)
            if settings.fallback.submit:
                _submit(ok_urls, settings, env, state, client, sleep)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            fetcher.close()
    return [_with_copies(article, copies) for article in articles], interrupted


def copies_for_article(
    article: Article,
    settings: Settings,
    env: Environment,
    state: RunState,
    archive_root: Path | None,
    look_up: bool = True,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, ArchivedCopy]:
    """The copy a reader can open (usable_copy) of each cited URL of an article, keyed by normalized
    URL: from the state store, and with `look_up` looked up for URLs that have none stored (a stored
    "none" younger than recheck_after stands). Lookups ask the archives given, and their answers are kept."""
    from linkcheck.fallback.robust_links import usable_copy

    urls = list(dict.fromkeys(c.normalized_url for c in article.citations if c.normalized_url and _fetchable(c)))
    found = {url: copy for url, copy in state.found_copies(urls).items() if usable_copy(copy)}
    missing = [c for c in article.citations if _fetchable(c) and c.normalized_url not in found]
    if not (look_up and missing and settings.fallback.enabled):
        return found
    requests = _requests(((article, c) for c in missing), settings, env.now(), state)
    client, fetcher = _client(settings, env, clock, sleep)
    archives = Archives(settings.fallback, client, archive_root)
    try:
        for url, request in requests.items():
            copy = state.cached_copy(url, request.target_key)
            if copy is None or (copy.status is CopyStatus.FOUND and not usable_copy(copy)):
                copy = _look_up_one(archives, request)
                state.remember_copy(url, request.target_key, copy)
            if usable_copy(copy):
                found[url] = copy
    finally:
        fetcher.close()
    return found


def archive_search(
    settings: Settings,
    env: Environment,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    limiter: RequestLimiter | None = None,
) -> tuple[Callable[[str, str], list[str]], Callable[[], None]]:
    """(search, close): search(cited URL, id or slug) lists the addresses the Wayback Machine holds on
    the cited host under that word (similar.py), politely; for the repair stage's archive generator."""
    client, fetcher = _client(settings, env, clock, sleep, limiter)
    wayback = settings.fallback.wayback if settings.fallback.enabled else ""

    def search(cited: str, word: str) -> list[str]:
        return similar_urls(wayback, client.request, cited, word)

    return search, fetcher.close


def _fetchable(citation: Citation) -> bool:
    url = citation.normalized_url or ""
    return not citation.skip_reason and not citation.invalid_reason and url.startswith(("http://", "https://"))


def _client(
    settings: Settings,
    env: Environment,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    limiter: RequestLimiter | None = None,
) -> tuple[PoliteClient, Fetcher]:
    """A Fetcher that tries each request once (the polite client decides on retries) and the client."""
    check = replace(settings.check, retries=0)
    domains = tuple(replace(rule, retries=0) if rule.retries is not None else rule for rule in settings.domains)
    fetcher = Fetcher(replace(settings, check=check, domains=domains), now=env.now, environ=env.environ)
    client = PoliteClient(
        fetcher.fetch,
        settings.fallback.requests_per_second,
        settings.check.retries,
        settings.check.backoff,
        settings.check.max_retry_after,
        clock,
        sleep,
        limiter,
    )
    return client, fetcher


def _requests(
    pairs: Iterable[tuple[Article, Citation]], settings: Settings, now: dt.datetime, state: RunState
) -> dict[str, LookupRequest]:
    """One request per distinct URL: the earliest publication date among the articles citing it is
    the target (else when linkcheck first saw it, else now); the first headline is the reference."""
    cited: dict[str, list[tuple[Article, Citation]]] = {}
    for article, citation in pairs:
        if citation.normalized_url:
            cited.setdefault(citation.normalized_url, []).append((article, citation))
    undated = [url for url, found in cited.items() if not any(article.published for article, _ in found)]
    first_seen = state.first_seen(undated) if undated else {}
    requests = {}
    for url, found in cited.items():
        dates = [article.published for article, _ in found if article.published]
        if dates:
            day = min(dates)
            target, key = dt.datetime.combine(day, dt.time(23, 59, 59), dt.UTC), day.isoformat()
        elif url in first_seen:
            seen = first_seen[url]
            target = seen if seen.tzinfo else seen.replace(tzinfo=dt.UTC)
            key = target.astimezone(dt.UTC).date().isoformat()
        else:
            target, key = now.astimezone(dt.UTC), "latest"
        headline = next((text for _, c in found if (text := cited_headline(c))), None)
        unfit = {
            _stamp_of(captured_at): f"the live check said {verdict.value}"
            for captured_at, verdict in state.capture_verdicts(url)
            if verdict is not Verdict.OK
        }
        reference = Reference(headline, slug_words(url), settings.anomalies.title_similarity)
        requests[url] = LookupRequest(url, target, key, reference, unfit)
    return requests


def _why_unfit(checked: CheckedCitation) -> str:
    if checked.result.verdict is not Verdict.OK:
        return f"the live check said {checked.result.verdict.value}"
    flagged = ", ".join(str(a.code) for a in checked.anomalies if a.code in DUE_ANOMALIES)
    return f"the live check flagged {flagged}"


def _stamp_of(captured_at: str) -> str:
    """A stored capture time (`2026-11-25T08:45:30Z`) as the 14 digits the index keys it by."""
    try:
        return stamp14(dt.datetime.fromisoformat(captured_at))
    except ValueError:
        return "".join(ch for ch in captured_at if ch.isdigit())[:14]


def _look_up_all(
    requests: dict[str, LookupRequest], archives: Archives, state: RunState, copies: dict[str, ArchivedCopy]
) -> None:
    """Each URL's copy into `copies` as it comes (Ctrl-C keeps those so far): a stored answer still
    good, else a lookup, whose answer is kept unless it failed."""
    for url, request in requests.items():
        copy = state.cached_copy(url, request.target_key)
        if copy is None:
            copy = _look_up_one(archives, request)
            state.remember_copy(url, request.target_key, copy)
            log.info("archived copy of %s: %s %s", url, copy.status.value, copy.url or copy.error or "")
        copies[url] = copy


def _look_up_one(archives: Archives, request: LookupRequest) -> ArchivedCopy:
    """One lookup; a capture that breaks the tool (a page too deeply nested to parse, say) fails this
    lookup only, with the reason, and the run goes on with the others."""
    try:
        return archives.look_up(request)
    except RecursionError:
        return ArchivedCopy(CopyStatus.LOOKUP_FAILED, error="a capture is nested too deeply to parse")
    except Exception as exc:  # noqa: BLE001 - one hostile capture must not stop the lookups of the others
        log.debug("lookup of %s failed", request.url, exc_info=True)
        return ArchivedCopy(CopyStatus.LOOKUP_FAILED, error=f"the lookup failed: {describe(exc)}")


def _with_copies(checked_article: CheckedArticle, copies: dict[str, ArchivedCopy]) -> CheckedArticle:
    citations = tuple(
        replace(checked, archived_copy=copies.get(checked.citation.normalized_url or ""))
        if lookup_due(checked)
        else checked
        for checked in checked_article.citations
    )
    return replace(checked_article, citations=citations)


def _submit(
    urls: list[str],
    settings: Settings,
    env: Environment,
    state: RunState,
    client: PoliteClient,
    sleep: Callable[[float], None],
) -> list[Submission]:
    """Save Page Now for ok URLs not submitted within recheck_after; errors are named on stderr."""
    access, secret = env.environ.get(SPN_ACCESS_KEY, ""), env.environ.get(SPN_SECRET_KEY, "")
    if not settings.fallback.wayback:
        env.warn(
            "linkcheck: [fallback] submit needs the Wayback Machine ([fallback] wayback is empty); nothing submitted"
        )
        return []
    if not access or not secret:
        env.warn(f"linkcheck: [fallback] submit needs {SPN_ACCESS_KEY} and {SPN_SECRET_KEY}; nothing submitted")
        return []
    spn = SavePageNow(
        settings.fallback.wayback,
        client,
        SpnKeys(access, secret),
        settings.check.retries,
        settings.state.recheck_after_s,
        env.now,
        sleep,
    )
    done = []
    due = [url for url in urls if not state.submitted_recently(url)]
    for index, url in enumerate(due):
        stop = spn.refused or client.down(spn.wayback)
        if stop is not None:
            left = len(due) - index
            env.warn(f"linkcheck: Save Page Now: {left} URL{'s' if left != 1 else ''} not submitted: {stop}")
            break
        outcome = spn.submit(url)
        done.append(outcome)
        state.record_submission(url, outcome.status, outcome.job_id, outcome.detail)
        if outcome.status == "error":
            env.warn(f"linkcheck: Save Page Now: {url}: {outcome.detail}")
    return done
