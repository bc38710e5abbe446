"""The repair stage: where a lost or misdated page went, as a suggested URL verified on the live site.

Suggested for citations that are broken or soft-404, or flagged future-dated-url or
redirect-to-homepage, once per distinct URL and article date. Candidates come cheapest first:
the cited URL under the article's own dates (candidates.py), then the pages the site's sitemaps list
under the same slug or id (sitemaps.py), then the site's own search when it declares an OpenSearch
description (opensearch.py), then the addresses the Wayback Machine has seen on the site under the
same id or slug (the fallback stage's archive search, passed in); each is fetched through the check
stage's Fetcher and judged (verify.py). A suggestion never replaces the citation, and every request counts against
`[repair] max_requests` per cited URL.

registration_dates asks RDAP (rdap.py) when each cited domain was registered, before the anomaly
rules run, for `domain-changed-hands`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from linkcheck.anomalies import cited_headline, registrable_domain, title_similarity
from linkcheck.check import Fetcher
from linkcheck.environment import Environment
from linkcheck.models import (
    HOST_DOWN,
    AnomalyCode,
    Article,
    CheckedArticle,
    CheckedCitation,
    CheckResult,
    Citation,
    FetchResult,
    SuggestedUrl,
    Verdict,
)
from linkcheck.pacing import BucketPerService, RequestLimiter
from linkcheck.repair.candidates import last_segment, same_story_path, slug_ids, url_date_candidates
from linkcheck.repair.opensearch import SiteSearch, fill, result_links
from linkcheck.repair.rdap import Rdap
from linkcheck.repair.sitemaps import SiteMaps
from linkcheck.repair.verify import Expected, judge
from linkcheck.settings import Settings
from linkcheck.state.run import RunState
from linkcheck.urls import host_of, is_home_page, slug_words

__all__ = ["registration_dates", "suggest_urls", "suggestion_due"]

log = logging.getLogger("linkcheck")

DUE_VERDICTS = frozenset({Verdict.BROKEN, Verdict.SOFT_404})
DUE_ANOMALIES = frozenset({AnomalyCode.FUTURE_DATED_URL, AnomalyCode.REDIRECT_TO_HOMEPAGE})
_MIN_ARCHIVE_WORD = 5  # a shorter id or slug would match half the site
ArchiveSearch = Callable[[str, str], list[str]]  # (cited URL, id or slug) -> addresses seen on its site


def suggestion_due(checked: CheckedCitation) -> bool:
    """Whether a citation gets a suggested URL: its page is gone, or its URL is dated after the article
    or sent to the home page."""
    url = checked.citation.normalized_url or ""
    if not url.startswith(("http://", "https://")):
        return False
    if checked.result.verdict in DUE_VERDICTS:
        return True
    if checked.result.verdict in HOST_DOWN:
        return False  # its candidates would only wait on the same silent host
    return any(anomaly.code in DUE_ANOMALIES for anomaly in checked.anomalies)


def suggest_urls(
    articles: Sequence[CheckedArticle],
    settings: Settings,
    env: Environment,
    fetcher: Fetcher | None = None,
    archive: ArchiveSearch | None = None,
) -> list[CheckedArticle]:
    """Each article with a suggested URL on every citation due one that has a candidate passing
    verification. `archive(cited URL, id or slug)` lists addresses an archive has seen on the site
    (the fallback stage's, passed in by the pipeline). With `[repair] enabled = false` no request is made."""
    if not settings.repair.enabled or settings.repair.max_requests < 1:
        return list(articles)
    due = [(a.article, c.citation) for a in articles for c in a.citations if suggestion_due(c)]
    if not due:
        return list(articles)
    own = fetcher is None
    if fetcher is None:
        check = replace(settings.check, retries=0)
        fetcher = Fetcher(replace(settings, check=check), now=env.now, environ=env.environ)
    found: dict[tuple[str, dt.date | None], SuggestedUrl | None] = {}
    try:
        finder = Finder(fetcher.fetch, settings, env.now().date(), archive)
        for article, citation in due:
            key = (citation.normalized_url or "", article.published)
            if key not in found:
                found[key] = finder.suggest(article, citation)
    finally:
        if own:
            fetcher.close()
    return [_with_suggestions(article, found) for article in articles]


_NOT_FETCHED = frozenset({Verdict.SKIPPED, Verdict.INVALID})


def registration_dates(
    results: Iterable[CheckResult],
    settings: Settings,
    env: Environment,
    state: RunState,
    fetcher: Fetcher | None = None,
    limiter: RequestLimiter | None = None,
) -> dict[str, dt.date]:
    """When each registrable domain the results were fetched from (the cited host's, and the final
    host's when redirects left it) was registered, as RDAP says: from the state store while younger
    than recheck_after, else asked. Domains RDAP gives no date for, or could not be asked about, are
    left out: a failed lookup is no finding. `limiter` paces the lookups (by default at
    `rdap_requests_per_second` in this process; with a broker, shared by every process on it)."""
    if not settings.repair.rdap:
        return {}
    hosts: dict[str, None] = {}
    for result in results:
        if result.verdict in _NOT_FETCHED:
            continue
        hosts[host_of(result.url)] = None
        if result.final_url:
            hosts[host_of(result.final_url)] = None
    domains: dict[str, None] = {}
    for host in hosts:  # each host once: a large run has far fewer hosts than URLs
        domain = registrable_domain(host)
        if domain and not _is_address(domain):
            domains.setdefault(domain, None)
    found: dict[str, dt.date] = {}
    due = []
    for domain in domains:
        known, registered = state.cached_registration(domain)
        if not known:
            due.append(domain)
        elif registered is not None:
            found[domain] = registered
    if not due:
        return found
    own = fetcher is None
    if fetcher is None:
        fetcher = Fetcher(replace(settings, check=replace(settings.check, retries=0)), now=env.now, environ=env.environ)
    if limiter is None:
        limiter = BucketPerService(settings.repair.rdap_requests_per_second)
    rdap = Rdap(settings.repair.rdap, fetcher.fetch, limiter)
    try:
        for domain in due:
            answered, registered = rdap.look_up(domain)
            if answered:
                state.remember_registration(domain, registered)
                if registered is not None:
                    found[domain] = registered
            elif rdap.down is not None:
                log.info("RDAP at %s not asked again this run: %s", settings.repair.rdap, rdap.down)
                break
    finally:
        if own:
            fetcher.close()
    return found


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _with_suggestions(
    checked_article: CheckedArticle, found: dict[tuple[str, dt.date | None], SuggestedUrl | None]
) -> CheckedArticle:
    published = checked_article.article.published
    citations = tuple(
        replace(checked, suggested_url=found.get((checked.citation.normalized_url or "", published)))
        if suggestion_due(checked)
        else checked
        for checked in checked_article.citations
    )
    return replace(checked_article, citations=citations)


@dataclass
class Budget:
    """Requests left for one cited URL."""

    left: int

    def spend(self) -> bool:
        if self.left < 1:
            return False
        self.left -= 1
        return True


class Finder:
    """Generates and verifies candidates for one cited URL at a time; sitemaps shared across the run."""

    def __init__(
        self,
        fetch: Callable[[str], FetchResult],
        settings: Settings,
        today: dt.date,
        archive: ArchiveSearch | None = None,
    ) -> None:
        self.fetch = fetch
        self.archive = archive
        self.settings = settings
        self.today = today
        self.sitemaps = SiteMaps(fetch)
        self.search = SiteSearch(fetch)

    def suggest(self, article: Article, citation: Citation) -> SuggestedUrl | None:
        url = citation.normalized_url or citation.url
        budget = Budget(self.settings.repair.max_requests)
        expected = Expected(
            url, cited_headline(citation), slug_words(url), article.published, self.settings.anomalies.title_similarity
        )
        if expected.headline is None and expected.slug is None:
            return None  # nothing to tell the cited story from another page of the site
        tried = {url}
        if article.published:
            # At most half the budget: the sitemaps may know a path the dates cannot guess.
            share = (budget.left + 1) // 2
            for candidate, written in url_date_candidates(url, article.published, share):
                if not budget.spend():
                    break
                tried.add(candidate)
                verdict = judge(self.fetch(candidate), expected)
                log.debug("suggestion %s for %s: %s", candidate, url, verdict.reason)
                if verdict.accepted:
                    return SuggestedUrl(
                        candidate,
                        "url-date",
                        f"the cited URL with the date {written}: {verdict.reason}",
                        verdict.confidence,
                    )
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        day = article.published or self.today
        site = registrable_domain(host_of(url))
        for entry in self.sitemaps.pages(origin, day, budget.spend):
            if entry.loc in tried or not same_story_path(entry.loc, url):
                continue
            if registrable_domain(host_of(entry.loc)) != site or not budget.spend():
                continue
            tried.add(entry.loc)
            verdict = judge(self.fetch(entry.loc), expected)
            log.debug("suggestion %s for %s: %s", entry.loc, url, verdict.reason)
            if verdict.accepted:
                listed = f" (lastmod {entry.lastmod.isoformat()})" if entry.lastmod else ""
                return SuggestedUrl(
                    entry.loc, "sitemap", f"listed in the site's sitemap{listed}: {verdict.reason}", verdict.confidence
                )
            if budget.left < 1:
                break
        return self._searched(origin, expected, tried, budget) or self._archived(expected, tried, budget)

    def _searched(self, origin: str, expected: Expected, tried: set[str], budget: Budget) -> SuggestedUrl | None:
        """The site's own search for the citation's headline (else its slug words): result links on the
        same site that share the slug or id, or whose text matches, each verified."""
        template = self.search.template(origin, budget.spend)
        terms = expected.headline or expected.slug
        if template is None or not terms or not budget.spend():
            return None
        query = fill(template, terms)
        site = registrable_domain(host_of(expected.url))
        for link, text in result_links(self.fetch(query)):
            if link in tried or link == query or registrable_domain(host_of(link)) != site or is_home_page(link):
                continue
            if not same_story_path(link, expected.url) and title_similarity(terms, text) < expected.threshold:
                continue
            if not budget.spend():
                break
            tried.add(link)
            verdict = judge(self.fetch(link), expected)
            log.debug("suggestion %s for %s: %s", link, expected.url, verdict.reason)
            if verdict.accepted:
                return SuggestedUrl(
                    link,
                    "site-search",
                    f"found by the site's search for {terms[:160]!r}: {verdict.reason}",
                    verdict.confidence,
                )
        return None

    def _archived(self, expected: Expected, tried: set[str], budget: Budget) -> SuggestedUrl | None:
        """Addresses the archive has seen on the site under the cited slug's id (else the slug), each
        verified on the live site: the suggestion is the live page, never the archive's address."""
        url = expected.url
        ids = sorted(slug_ids(url), key=len, reverse=True)
        word = ids[0] if ids else last_segment(url)
        if self.archive is None or len(word) < _MIN_ARCHIVE_WORD or not budget.spend():
            return None
        site = registrable_domain(host_of(url))
        for found in self.archive(url, word):
            if found in tried or registrable_domain(host_of(found)) != site or not same_story_path(found, url):
                continue
            if not budget.spend():
                break
            tried.add(found)
            verdict = judge(self.fetch(found), expected)
            log.debug("suggestion %s for %s: %s", found, url, verdict.reason)
            if verdict.accepted:
                evidence = f"the Wayback Machine has seen this address under {word!r}; live now: {verdict.reason}"
                return SuggestedUrl(found, "archive", evidence, verdict.confidence)
        return None
