"""Fetch result -> verdict and CheckResult. Failures are mapped to verdicts here and nowhere else."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from linkcheck.check.soft404 import SoftNotFoundProbe
from linkcheck.models import CheckResult, FailureKind, FetchResult, Verdict
from linkcheck.pages import PageFacts, facts_of, is_html, page_facts, parse_page
from linkcheck.urls import is_deep_link, is_home_page

if TYPE_CHECKING:
    from linkcheck.html_tags import Element

# Access denied: often bot or geo blocking, so inconclusive rather than broken.
# mil.ru has answered foreign clients with 418 since 2022; 999 is LinkedIn's bot wall.
BLOCKED_STATUSES = frozenset({401, 403, 407, 418, 451, 999})
_UNREACHABLE_KINDS = frozenset(
    {
        FailureKind.DNS,
        FailureKind.DNS_TEMPORARY,
        FailureKind.REFUSED,
        FailureKind.RESET,
        FailureKind.CONNECTION,
        FailureKind.PROXY,
    }
)
_BROKEN_KINDS = frozenset({FailureKind.REDIRECT_LOOP, FailureKind.TOO_MANY_REDIRECTS, FailureKind.BAD_REDIRECT})
_NOT_FOUND_TITLE = re.compile(
    r"\b(page not found|not found|404|no longer (available|exists)|does ?n[o']t exist|"
    r"page (you requested|cannot be found|is missing))\b|"
    r"(страница не найдена|не найден[ао]?|ошибка 404|не существует|страница удалена)",
    re.I,
)


def verdict_for(
    fetch: FetchResult,
    accept_status: tuple[int, ...] = (),
    page: tuple[str | None, str | None] | None = None,
) -> tuple[Verdict, str | None]:
    """The verdict and a short human reason for one fetch; `page` is its (title, h1) if parsed."""
    failure = fetch.failure
    if failure is not None:
        kind = failure.kind
        if kind is FailureKind.TIMEOUT:
            return Verdict.TIMEOUT, failure.message
        if kind in _UNREACHABLE_KINDS:
            return Verdict.UNREACHABLE, failure.message
        if kind is FailureKind.TLS:
            return Verdict.TLS_ERROR, failure.message
        if kind in _BROKEN_KINDS:
            return Verdict.BROKEN, failure.message
        if kind is FailureKind.INVALID_URL:
            return Verdict.INVALID, failure.message
        return Verdict.SKIPPED, failure.message  # private-network, unsupported-scheme
    status = fetch.status or 0
    # Accepted statuses add to 2xx: a 2xx page is still judged (a soft-404 stays one).
    if status in accept_status and not 200 <= status < 300:
        return Verdict.OK, None
    if 200 <= status < 300:
        if page is None:
            facts = page_facts(fetch)
            page = (facts.title, facts.heading)
        title, heading = page
        reason = soft_404_reason(fetch, title, heading)
        return (Verdict.SOFT_404, reason) if reason else (Verdict.OK, None)
    if status == 429:
        wait = fetch.retry_after_s
        tail = f" (asked to wait {wait:g}s)" if wait is not None else ""
        return Verdict.RATE_LIMITED, f"HTTP 429 Too Many Requests{tail}"
    if status in BLOCKED_STATUSES:
        return Verdict.BLOCKED, f"{_status_line(fetch)}: access denied (often bot or geo blocking)"
    if status == 405:
        return Verdict.BLOCKED, "HTTP 405: the server refused the GET method (inconclusive)"
    if status == 503 and fetch.header("cf-mitigated") == "challenge":
        return Verdict.BLOCKED, "HTTP 503 with a bot challenge page"
    if 500 <= status < 600:
        return Verdict.SERVER_ERROR, f"HTTP {status} {fetch.reason}".strip()
    if 400 <= status < 500:
        return Verdict.BROKEN, f"HTTP {status} {fetch.reason}".strip()
    if 300 <= status < 400:
        return Verdict.BROKEN, f"HTTP {status} redirect without a usable Location header"
    return Verdict.BLOCKED, f"unexpected HTTP status {status}"


def _status_line(fetch: FetchResult) -> str:
    return f"HTTP {fetch.status} {fetch.reason}".strip()


def soft_404_reason(fetch: FetchResult, title: str | None, heading: str | None) -> str | None:
    """Why a 2xx answer is really an error page, or None: a deep link sent to the site root,
    or a page whose title or main heading says not found (English and Russian)."""
    if fetch.redirects and is_deep_link(fetch.url) and is_home_page(fetch.final_url):
        if urlsplit(fetch.url).hostname == urlsplit(fetch.final_url).hostname or _same_site(fetch.url, fetch.final_url):
            return f"deep link redirected to the site root ({fetch.final_url})"
        # Another domain's front page (a parked, sold or merged site) is no more the cited page.
        return f"deep link redirected to the home page of another site ({fetch.final_url})"
    for label, text in (("title", title), ("main heading", heading)):
        if text and _NOT_FOUND_TITLE.search(text):
            return f"page {label} says not found: {text[:120]!r}"
    return None


def _same_site(a: str, b: str) -> bool:
    def bare(url: str) -> str:
        return (urlsplit(url).hostname or "").removeprefix("www.")

    return bare(a) == bare(b)


def parsed_page(fetch: FetchResult) -> Element | None:
    """The page parsed once for its facts (a 2xx HTML answer with a body), else None: the archive's
    readable copy reuses the same tree instead of parsing the page again."""
    if fetch.failure is None and fetch.status and 200 <= fetch.status < 300 and fetch.body and is_html(fetch):
        return parse_page(fetch)
    return None


def check_result(
    fetch: FetchResult,
    accept_status: tuple[int, ...] = (),
    probe: SoftNotFoundProbe | None = None,
    parsed: Element | None = None,
) -> CheckResult:
    """A CheckResult from a fetch: verdict, reason, and the page title for later rules.

    With a `probe`, a 2xx page is also compared with what its host answers for a page that
    cannot exist (see SoftNotFoundProbe). `parsed` is the page as parsed_page gave it, if done already.
    """
    facts = PageFacts()
    if parsed is not None:
        facts = facts_of(parsed, fetch)
    elif fetch.failure is None and fetch.status and 200 <= fetch.status < 300:
        facts = page_facts(fetch)
    page = (facts.title, facts.heading)
    verdict, error = verdict_for(fetch, accept_status, page)
    if probe is not None and verdict is Verdict.OK and fetch.status is not None and 200 <= fetch.status < 300:
        reason = probe.soft_404_reason(fetch, facts.tokens if is_html(fetch) else None)
        if reason:
            verdict, error = Verdict.SOFT_404, reason
    title = page[0]
    if fetch.tls_verified is False and error is None:
        error = "TLS verification relaxed for this domain by configuration"
    return CheckResult(
        url=fetch.url,
        verdict=verdict,
        status=fetch.status,
        final_url=fetch.final_url,
        redirects=fetch.redirects,
        error=error,
        attempts=fetch.attempts,
        elapsed_ms=fetch.elapsed_ms,
        checked_at=fetch.started_at,
        tls_verified=fetch.tls_verified,
        page_title=title,
        page_published=facts.published,
        page=facts.page,
    )
