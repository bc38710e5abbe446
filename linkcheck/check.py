"""Fetch outcome -> verdict. Failures are mapped to verdicts here and nowhere else."""

from __future__ import annotations

import datetime as dt
import difflib
import random
import re
import string
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from linkcheck.dates import date_from_html
from linkcheck.harvest.html import parse_html
from linkcheck.models import CheckResult, FailureKind, FetchResult, Verdict
from linkcheck.urls import is_deep_link, is_home_page

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
    for label, text in (("title", title), ("main heading", heading)):
        if text and _NOT_FOUND_TITLE.search(text):
            return f"page {label} says not found: {text[:120]!r}"
    return None


@dataclass(frozen=True)
class PageFacts:
    """What one parse of a fetched HTML page tells later stages."""

    title: str | None = None
    heading: str | None = None
    published: dt.date | None = None  # the page's own publication date (same extractor as articles)
    tokens: tuple[str, ...] = ()  # words of the main content, for the soft-404 probe


def page_facts(fetch: FetchResult) -> PageFacts:
    """Title, main heading and publication date of an HTML page, from a single parse."""
    if not is_html(fetch) or not fetch.body:
        return PageFacts()
    soup = parse_html(fetch.body[:2_000_000], _charset(fetch))
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    heading_tag = soup.find("h1")
    heading = heading_tag.get_text(" ", strip=True) if heading_tag else None
    published, _ = date_from_html(soup)
    tokens = _tokens_of(soup, fetch)  # last: it takes the boilerplate out of the tree
    return PageFacts(title or None, heading or None, published, tuple(tokens))


def page_title_and_heading(fetch: FetchResult) -> tuple[str | None, str | None]:
    facts = page_facts(fetch)
    return facts.title, facts.heading


def is_html(fetch: FetchResult) -> bool:
    content_type = (fetch.header("Content-Type") or "").lower()
    if "html" in content_type:
        return True
    return not content_type and fetch.body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def _charset(fetch: FetchResult) -> str | None:
    match = re.search(r"charset=([\w-]+)", fetch.header("Content-Type") or "", re.I)
    return match.group(1) if match else None


def _same_site(a: str, b: str) -> bool:
    def bare(url: str) -> str:
        return (urlsplit(url).hostname or "").removeprefix("www.")

    return bare(a) == bare(b)


def check_result(
    fetch: FetchResult,
    accept_status: tuple[int, ...] = (),
    probe: SoftNotFoundProbe | None = None,
) -> CheckResult:
    """A CheckResult from a fetch: verdict, reason, and the page title for later rules.

    With a `probe`, a 2xx page is also compared with what its host answers for a page that
    cannot exist (see SoftNotFoundProbe).
    """
    facts = PageFacts()
    if fetch.failure is None and fetch.status and 200 <= fetch.status < 300:
        facts = page_facts(fetch)
    page = (facts.title, facts.heading)
    verdict, error = verdict_for(fetch, accept_status, page)
    if probe is not None and verdict is Verdict.OK and fetch.status not in accept_status:
        reason = probe.soft_404_reason(fetch, facts.tokens if is_html(fetch) else None)
        if reason:
            verdict, error = Verdict.SOFT_404, reason
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
        page_published=facts.published,
    )


# --- soft-404 by comparison: what does this host answer for a page that cannot exist? ---

# Query parameters that never pick the page (randomising them proves nothing).
_NOT_KEYS = frozenset({"ref", "referrer", "source", "from", "lang", "hl", "fbclid", "gclid", "yclid", "share"})
_ID_LIKE = re.compile(r"\d{3,}")
_WORD = re.compile(r"\w+")
_MIN_TOKENS = 3  # a page with less visible text (an app shell drawn by script) cannot be judged
_MAX_TOKENS = 5000
_BOILERPLATE = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form")


@dataclass(frozen=True)
class ProbeShape:
    """Which pages of a host one probe speaks for: all its paths, or one path keyed by a parameter."""

    origin: str  # scheme://host:port
    path: str | None = None  # set for query-keyed pages (`/more.htm`)
    parameter: str | None = None  # the parameter that picks the page (`id`)
    extension: str = ""  # for path probes: `.html` pages may be served by another handler


def probe_for(url: str, rng: random.Random) -> tuple[ProbeShape, str] | None:
    """The shape a URL belongs to and a URL of that shape that cannot exist; None for a site root.

    mil.ru keys its pages by a query value (`more.htm?id=12376355@egNews`): the digits of that
    value are randomised, not the path. Otherwise the probe is a random path on the host.
    """
    parts = urlsplit(url)
    origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    key = _key_parameter(parts.query)
    if key is not None:
        index, name, value = key
        pairs = parts.query.split("&")
        pairs[index] = f"{name}={_randomise_digits(value, rng)}"
        probe = urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(pairs), ""))
        return ProbeShape(origin, parts.path or "/", name), probe
    if parts.path.strip("/") == "" and not parts.query:
        return None  # the home page exists by definition
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    extension = ""
    if "." in last:
        extension = "." + last.rsplit(".", 1)[1]
        if not extension[1:].isalnum() or len(extension) > 6:
            extension = ""
    token = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(20))
    probe = urlunsplit((parts.scheme, parts.netloc, f"/{token}{extension}", "", ""))
    return ProbeShape(origin, extension=extension.lower()), probe


def _key_parameter(query: str) -> tuple[int, str, str] | None:
    """(position, name, value) of the parameter that looks like it picks the page: the one whose
    value holds the longest run of digits (an id), tracking and presentation parameters aside."""
    best: tuple[int, str, str] | None = None
    best_digits = 0
    for index, pair in enumerate(query.split("&") if query else []):
        name, _, value = pair.partition("=")
        lowered = name.lower()
        if lowered.startswith("utm_") or lowered in _NOT_KEYS:
            continue
        runs = _ID_LIKE.findall(value)
        digits = max((len(run) for run in runs), default=0)
        if digits > best_digits:
            best, best_digits = (index, name, value), digits
    return best


def _randomise_digits(value: str, rng: random.Random) -> str:
    """The same value with every digit replaced at random (never the value itself)."""
    while True:
        changed = "".join(rng.choice(string.digits) if ch.isdigit() else ch for ch in value)
        if changed != value:
            return changed


def main_text_tokens(fetch: FetchResult, limit: int = _MAX_TOKENS) -> list[str]:
    """The words a reader sees in the page's main content, lowercased, with the words of its own
    URL left out (a not-found page often repeats the address it was asked for)."""
    if not is_html(fetch) or not fetch.body:
        return []
    return _tokens_of(parse_html(fetch.body[:2_000_000], _charset(fetch)), fetch, limit)


def _tokens_of(soup: BeautifulSoup, fetch: FetchResult, limit: int = _MAX_TOKENS) -> list[str]:
    for tag in soup.find_all(_BOILERPLATE):
        tag.decompose()
    main = soup.find("main") or soup.find(True, {"role": "main"})
    root = main if isinstance(main, Tag) else soup.body or soup
    text = root.get_text(" ", strip=True)
    own = {word.lower() for word in _WORD.findall(fetch.url + " " + fetch.final_url)}
    return [word for word in _WORD.findall(text.lower()) if word not in own][:limit]


def text_similarity(a: list[str], b: list[str]) -> float:
    """How alike two token sequences are, 0..1 (difflib's ratio, with its cheap upper bounds first)."""
    if not a and not b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return matcher.quick_ratio()
    return matcher.ratio()


@dataclass(frozen=True)
class _ProbeAnswer:
    url: str
    tokens: tuple[str, ...]


class SoftNotFoundProbe:
    """Finds sites that answer 200 for pages that do not exist, by asking for one that cannot.

    For a 2xx page, the host is asked once (per ProbeShape, cached, thread-safe) for a random
    page of the same shape; if that also answers 2xx and the two pages' main text is nearly the
    same, the cited page is the site's not-found page: a soft 404. `fetch` and `rng` are passed
    in (tests give a fixed seed); the probe goes through the same fetcher, so the same guards,
    retries and deadlines apply.
    """

    def __init__(
        self,
        fetch: Callable[[str], FetchResult],
        rng: random.Random | None = None,
        threshold: float = 0.9,
    ) -> None:
        self._fetch = fetch
        self._rng = rng or random.Random()
        self._threshold = threshold
        self._lock = threading.Lock()
        self._answers: dict[ProbeShape, Future[_ProbeAnswer | None]] = {}
        self.probes_sent = 0

    def soft_404_reason(self, fetch: FetchResult, tokens: tuple[str, ...] | None = None) -> str | None:
        """Why this 2xx page is the host's answer for a nonexistent page, or None.

        `tokens` are the page's main-text words when the caller has parsed it already.
        """
        if fetch.failure is not None or not fetch.status or not 200 <= fetch.status < 300:
            return None
        page = list(tokens) if tokens is not None else main_text_tokens(fetch)
        if len(page) < _MIN_TOKENS:
            return None
        answer = self._answer_for(fetch.final_url or fetch.url)  # the host that served the page
        if answer is None or len(answer.tokens) < _MIN_TOKENS:
            return None
        similarity = text_similarity(page, list(answer.tokens))
        if similarity < self._threshold:
            return None
        return (
            f"page reads the same as the site's answer for a page that does not exist"
            f" ({answer.url}, {similarity:.0%} alike)"
        )

    def _answer_for(self, url: str) -> _ProbeAnswer | None:
        with self._lock:
            made = probe_for(url, self._rng)
            if made is None:
                return None
            shape, probe_url = made
            future = self._answers.get(shape)
            owner = future is None
            if future is None:
                future = self._answers[shape] = Future()
                self.probes_sent += 1
        if not owner:
            return future.result()
        try:
            probed = self._fetch(probe_url)
            answer = None
            if probed.failure is None and probed.status and 200 <= probed.status < 300:
                answer = _ProbeAnswer(probe_url, tuple(main_text_tokens(probed)))
        except BaseException as exc:
            future.set_exception(exc)
            raise
        future.set_result(answer)
        return answer
