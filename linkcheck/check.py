"""Fetch outcome -> verdict. Failures are mapped to verdicts here and nowhere else."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from linkcheck.harvest.html import parse_html
from linkcheck.models import CheckResult, FetchResult, Severity, Verdict

# Access denied: often bot or geo blocking, so inconclusive rather than broken.
# mil.ru has answered foreign clients with 418 since 2022; 999 is LinkedIn's bot wall.
BLOCKED_STATUSES = frozenset({401, 403, 407, 418, 451, 999})
_UNREACHABLE_KINDS = frozenset({"dns", "dns-temporary", "refused", "reset", "connection", "proxy"})
_NOT_FOUND_TITLE = re.compile(
    r"\b(page not found|not found|404|no longer (available|exists)|does ?n[o']t exist|"
    r"page (you requested|cannot be found|is missing))\b|"
    r"(страница не найдена|не найден[ао]?|ошибка 404|не существует|страница удалена)",
    re.I,
)

VERDICT_SEVERITY: dict[Verdict, Severity | None] = {
    Verdict.OK: None,
    Verdict.SKIPPED: None,
    Verdict.BROKEN: Severity.ERROR,
    Verdict.SOFT_404: Severity.ERROR,
    Verdict.INVALID: Severity.ERROR,
    Verdict.BLOCKED: Severity.WARNING,
    Verdict.RATE_LIMITED: Severity.WARNING,
    Verdict.SERVER_ERROR: Severity.WARNING,
    Verdict.TIMEOUT: Severity.WARNING,
    Verdict.UNREACHABLE: Severity.WARNING,
    Verdict.TLS_ERROR: Severity.WARNING,
}


def verdict_for(
    fetch: FetchResult,
    accept_status: tuple[int, ...] = (),
    page: tuple[str | None, str | None] | None = None,
) -> tuple[Verdict, str | None]:
    """The verdict and a short human reason for one fetch; `page` is its (title, h1) if parsed."""
    failure = fetch.failure
    if failure is not None:
        kind = failure.kind
        if kind == "timeout":
            return Verdict.TIMEOUT, failure.message
        if kind in _UNREACHABLE_KINDS:
            return Verdict.UNREACHABLE, failure.message
        if kind == "tls":
            return Verdict.TLS_ERROR, failure.message
        if kind in ("redirect-loop", "too-many-redirects", "bad-redirect"):
            return Verdict.BROKEN, failure.message
        if kind == "invalid-url":
            return Verdict.INVALID, failure.message
        return Verdict.SKIPPED, failure.message  # private-network, unsupported-scheme
    status = fetch.status or 0
    if status in accept_status:
        return Verdict.OK, None
    if 200 <= status < 300:
        title, heading = page if page is not None else page_title_and_heading(fetch)
        reason = soft_404_reason(fetch, title, heading)
        return (Verdict.SOFT_404, reason) if reason else (Verdict.OK, None)
    if status == 429:
        wait = fetch.retry_after_s
        tail = f" (asked to wait {wait:g}s)" if wait is not None else ""
        return Verdict.RATE_LIMITED, f"HTTP 429 Too Many Requests{tail}"
    if status in BLOCKED_STATUSES:
        return Verdict.BLOCKED, f"HTTP {status} {fetch.reason}: access denied (often bot or geo blocking)".replace(
            "  ", " "
        )
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


def soft_404_reason(fetch: FetchResult, title: str | None, heading: str | None) -> str | None:
    """Why a 2xx answer is really an error page, or None: a deep link sent to the site root,
    or a page whose title or main heading says not found (English and Russian)."""
    if fetch.redirects and _is_deep(fetch.url) and _is_root(fetch.final_url):
        if urlsplit(fetch.url).hostname == urlsplit(fetch.final_url).hostname or _same_site(fetch.url, fetch.final_url):
            return f"deep link redirected to the site root ({fetch.final_url})"
    for label, text in (("title", title), ("main heading", heading)):
        if text and _NOT_FOUND_TITLE.search(text):
            return f"page {label} says not found: {text[:120]!r}"
    return None


def page_title_and_heading(fetch: FetchResult) -> tuple[str | None, str | None]:
    if not is_html(fetch) or not fetch.body:
        return None, None
    soup = parse_html(fetch.body[:2_000_000], _charset(fetch))
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    heading_tag = soup.find("h1")
    heading = heading_tag.get_text(" ", strip=True) if heading_tag else None
    return title or None, heading or None


def is_html(fetch: FetchResult) -> bool:
    content_type = (fetch.header("Content-Type") or "").lower()
    if "html" in content_type:
        return True
    return not content_type and fetch.body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def _charset(fetch: FetchResult) -> str | None:
    match = re.search(r"charset=([\w-]+)", fetch.header("Content-Type") or "", re.I)
    return match.group(1) if match else None


def _is_deep(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path.strip("/") != "" or bool(parts.query)


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path.strip("/")
    return not parts.query and (path == "" or bool(re.fullmatch(r"[a-z]{2}(-[a-z]{2})?", path, re.I)))


def _same_site(a: str, b: str) -> bool:
    def bare(url: str) -> str:
        return (urlsplit(url).hostname or "").removeprefix("www.")

    return bare(a) == bare(b)


def check_result(fetch: FetchResult, accept_status: tuple[int, ...] = ()) -> CheckResult:
    """A CheckResult from a fetch: verdict, reason, and the page title for later rules."""
    page: tuple[str | None, str | None] = (None, None)
    if fetch.failure is None and fetch.status and 200 <= fetch.status < 300:
        page = page_title_and_heading(fetch)
    verdict, error = verdict_for(fetch, accept_status, page)
    title = page[0]
    if not fetch.tls_verified and error is None:
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
    )
