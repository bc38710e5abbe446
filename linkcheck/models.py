"""The records passed between stages: document -> citation -> fetch result -> verdict -> report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """What a check concluded about one URL (a fixed vocabulary, documented in docs/report.md)."""

    OK = "ok"
    BROKEN = "broken"
    SOFT_404 = "soft-404"
    BLOCKED = "blocked"
    RATE_LIMITED = "rate-limited"
    SERVER_ERROR = "server-error"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    TLS_ERROR = "tls-error"
    SKIPPED = "skipped"
    INVALID = "invalid"


class Severity(StrEnum):
    """How much a finding matters; `fail_on` compares against these."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 1, "warning": 2, "error": 3}[self.value]


class AnomalyCode(StrEnum):
    """A problem a status code cannot show (docs/anomalies.md); rules live in anomalies.py."""

    FUTURE_DATED_URL = "future-dated-url"
    SHORTENED_URL = "shortened-url"
    IP_ADDRESS_HOST = "ip-address-host"
    CREDENTIALS_IN_URL = "credentials-in-url"
    PUBLISHED_AFTER_ARTICLE = "published-after-article"
    REDIRECT_TO_HOMEPAGE = "redirect-to-homepage"
    CROSS_DOMAIN_REDIRECT = "cross-domain-redirect"
    TRACKING_PARAMS = "tracking-params"
    INSECURE_URL = "insecure-url"
    DUPLICATE_CITATION = "duplicate-citation"
    DOMAIN_PARKED = "domain-parked"
    DOMAIN_CHANGED_HANDS = "domain-changed-hands"
    QUOTE_NOT_FOUND = "quote-not-found"
    MALFORMED_URL = "malformed-url"
    TITLE_MISMATCH = "title-mismatch"
    CONTENT_DRIFT = "content-drift"
    NEWLY_BROKEN = "newly-broken"
    FLAPPING = "flapping"


ANOMALY_CODES = tuple(code.value for code in AnomalyCode)
# The source of the one article `linkcheck check URL...` makes of the URLs it is given.
COMMAND_LINE_SOURCE = "(command line)"


class FailureKind(StrEnum):
    """Why a fetch produced no usable final response; check/verdict.py maps each to a verdict."""

    TIMEOUT = "timeout"
    DNS = "dns"
    DNS_TEMPORARY = "dns-temporary"
    REFUSED = "refused"
    RESET = "reset"
    CONNECTION = "connection"
    PROXY = "proxy"
    TLS = "tls"
    PRIVATE_NETWORK = "private-network"
    REDIRECT_LOOP = "redirect-loop"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    BAD_REDIRECT = "bad-redirect"
    UNSUPPORTED_SCHEME = "unsupported-scheme"
    INVALID_URL = "invalid-url"


# The one verdict table: each verdict's default severity (None: not a finding) and its class for
# history (a failure extends a streak; inconclusive neither extends nor resets one).
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
FAILING = frozenset(
    {Verdict.BROKEN, Verdict.SOFT_404, Verdict.SERVER_ERROR, Verdict.TIMEOUT, Verdict.UNREACHABLE, Verdict.TLS_ERROR}
)
INCONCLUSIVE = frozenset({Verdict.BLOCKED, Verdict.RATE_LIMITED, Verdict.SKIPPED, Verdict.INVALID})
# Failures that say "this host is not answering at all", not "this page is gone".
HOST_DOWN = frozenset({Verdict.TIMEOUT, Verdict.UNREACHABLE})


class SourceKind(StrEnum):
    TEXT = "text"
    HTML = "html"
    MARKDOWN = "markdown"
    PDF = "pdf"


@dataclass(frozen=True, slots=True)
class Document:
    """One article's raw content, before harvesting."""

    source: str  # as the user named it: a path, a URL or "-"
    kind: SourceKind
    content: bytes
    base_url: str | None = None  # the page's own URL for online articles
    encoding: str | None = None  # charset declared by the server, if any


@dataclass(frozen=True, slots=True)
class Citation:
    """One link as it appears in an article."""

    url: str  # as written (after rejoining a wrapped URL; relative links made absolute)
    normalized_url: str | None  # None when the URL cannot be parsed
    context: str
    line: int | None = None
    page: int | None = None  # PDFs: 1-based page number
    skip_reason: str | None = None  # set by the harvester for mailto:, tel:, unresolvable links
    invalid_reason: str | None = None  # set when the URL is not a usable URL
    context_is_anchor: bool = False  # context is the link's own text (HTML, Markdown), not a sentence
    quotes: tuple[str, ...] = ()  # quotations (8 words or more) in the citation's sentence or paragraph


@dataclass(frozen=True, slots=True)
class Article:
    """A harvested article: metadata plus its citations in order of appearance."""

    source: str
    title: str | None
    published: dt.date | None
    published_from: str | None  # json-ld | meta | time | front-matter | text | script | url | pdf-metadata | htmldate
    citations: tuple[Citation, ...]
    url: str | None = None  # the article's own URL when it was fetched online
    cut_reason: str | None = None  # why harvesting stopped short of the whole document (a cap or budget)


def header_value(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    """The first value of a header, by case-insensitive name."""
    lower = name.lower()
    for key, value in headers:
        if key.lower() == lower:
            return value
    return None


@dataclass(frozen=True, slots=True)
class Hop:
    """One HTTP response as received: each redirect in a chain, and the final answer (FetchResult.response)."""

    url: str
    status: int
    reason: str = ""
    http_version: str = "HTTP/1.1"
    headers: tuple[tuple[str, str], ...] = ()
    request_headers: tuple[tuple[str, str], ...] = ()
    raw_body: bytes = b""


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """Why a fetch produced no usable final response: a kind the checker maps to a verdict."""

    kind: FailureKind
    message: str


@dataclass(frozen=True, slots=True)
class FetchResult:
    """Everything one GET (after redirects and retries) produced; the single download of a URL."""

    url: str
    final_url: str
    status: int | None = None
    reason: str = ""
    http_version: str = "HTTP/1.1"
    headers: tuple[tuple[str, str], ...] = ()
    request_headers: tuple[tuple[str, str], ...] = ()
    raw_body: bytes = b""  # as received on the wire (content-encoding intact)
    body: bytes = b""  # decoded, capped at max_bytes
    truncated: bool = False
    redirects: tuple[Hop, ...] = ()
    failure: FetchFailure | None = None
    attempts: int = 1
    elapsed_ms: int = 0
    started_at: dt.datetime | None = None
    tls_verified: bool | None = None  # None: no TLS answer (http://, or no answer at all)
    retry_after_s: float | None = None  # last Retry-After the server asked for, in seconds

    @classmethod
    def answered(cls, url: str, response: Hop, **rest: Any) -> FetchResult:
        """The result whose final answer is `response`: its URL, status line, headers and raw body."""
        return cls(
            url,
            response.url,
            response.status,
            response.reason,
            response.http_version,
            response.headers,
            response.request_headers,
            response.raw_body,
            **rest,
        )

    @property
    def response(self) -> Hop | None:
        """The final answer as a response record (the same shape as each redirect), if there was one."""
        if self.status is None:
            return None
        return Hop(
            self.final_url,
            self.status,
            self.reason,
            self.http_version,
            self.headers,
            self.request_headers,
            self.raw_body,
        )

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)


@dataclass(frozen=True, slots=True)
class Anomaly:
    code: AnomalyCode
    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class Requisites:
    """What was kept of a captured page's requisites (images, stylesheets, fonts, icons, scripts)."""

    captured: int = 0  # fetched and kept, in the WARC and beside the readable copy
    refused: int = 0  # asked for but not kept: refused by the guard, failed, not 2xx, or over the size cap
    cut: bool = False  # some were never asked for: the page's count, byte or time budget ran out


@dataclass(frozen=True, slots=True)
class Snapshot:
    warc: str
    sha256: str
    captured_at: str
    page: str | None = None
    record_id: str | None = None
    offset: int | None = None
    requisites: Requisites | None = None  # None when none were looked for (not HTML, turned off, a capture before them)


@dataclass(frozen=True, slots=True)
class Drift:
    """The page's main text moved away from its previous capture's (similarity below the threshold)."""

    similarity: float  # 0.0 (nothing shared) .. 1.0 (same text)
    previous_captured_at: str  # WARC-Date of the capture compared with
    captured_at: str


@dataclass(frozen=True, slots=True)
class Capture:
    """What archiving one download kept: a snapshot, or the reason nothing was archived, and any drift."""

    snapshot: Snapshot | None
    skipped_reason: str | None = None
    drift: Drift | None = None


@dataclass(frozen=True, slots=True)
class CarriedCapture:
    """A capture made where the archive folder is out of reach (a worker without the shared folder), on its
    way to the archive that keeps it: the capture's WARC records as one append wrote them, where the page's
    own record starts among them, and the readable copy's files (paths relative to the copy's folder)."""

    snapshot: Snapshot  # as the archive that made it holds it
    records: bytes
    offset: int  # of the page's final record within `records`
    files: tuple[tuple[str, bytes], ...] = ()

    @property
    def size(self) -> int:
        """Bytes that travel: the records and the copy's files."""
        return len(self.records) + sum(len(content) for _, content in self.files)


@dataclass(frozen=True, slots=True)
class PageText:
    """What a fetched HTML page says, for rules that read it (parked pages, quotes); neither stored
    nor reported, so a result reused from the state store has none."""

    text: str  # the main text (pages.main_text)
    lang: str | None = None  # the primary subtag of <html lang>, lowercased ("ru"), if declared
    links: int = 0  # links (<a href>) in the page's main content
    link_chars: int = 0  # characters of the main text that are link text


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict on one normalized URL, shared by every citation of it."""

    url: str
    verdict: Verdict
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[Hop, ...] = ()
    error: str | None = None
    attempts: int = 0
    elapsed_ms: int = 0
    checked_at: dt.datetime | None = None
    tls_verified: bool | None = True  # None: nothing was verified (http://, or no answer)
    page_title: str | None = None
    page_published: dt.date | None = None  # the cited page's own publication date, if it says
    page: PageText | None = field(default=None, compare=False, repr=False)  # the final page's text, this run


@dataclass(frozen=True, slots=True)
class Outcome:
    """What checking one URL produced: the verdict and, when snapshots are on, what was archived."""

    result: CheckResult
    capture: Capture | None = None


@dataclass(frozen=True, slots=True)
class History:
    """What the state store remembers of a URL, as of this run (filled by the state stage)."""

    cached: bool = False  # this run reused a recent stored result instead of fetching
    last_ok: dt.datetime | None = None
    first_failure: dt.datetime | None = None  # start of the current failure streak
    failure_streak: int = 0  # consecutive failing checks, this one included
    confirmed_dead: bool = False  # failed dead_after_failures times over dead_after_days
    flapping: bool = False  # alternates between ok and failing
    previous_verdict: Verdict | None = None


class CopyStatus(StrEnum):
    """What a lookup for an archived copy concluded (docs/report.md)."""

    FOUND = "found"
    NONE = "none"  # every archive answered, and none holds a copy that passes verification
    LOOKUP_FAILED = "lookup-failed"  # an archive could not be asked, or a listed capture not fetched


@dataclass(frozen=True, slots=True)
class RejectedCapture:
    """A capture that was fetched to verify it and not chosen, with the reason."""

    url: str  # the capture's playback URL (or the readable copy's path for a local one)
    archived_at: dt.datetime  # the capture time, UTC
    reason: str


@dataclass(frozen=True, slots=True)
class ArchivedCopy:
    """The archived copy found for a cited URL that lost its page, or why there is none."""

    status: CopyStatus
    url: str | None = None  # what a person opens: the playback URL, or the local readable copy's path
    archived_at: dt.datetime | None = None  # the capture time, UTC
    archive: str | None = None  # "web.archive.org", "local", or a Memento archive's host
    before_target: bool | None = None  # captured up to the target date (publication, first seen, or now)
    verified: bool = False  # judged by the rules that judge live pages, and passed
    rejected: tuple[RejectedCapture, ...] = ()
    error: str | None = None  # for lookup-failed: what could not be done
    # The found copy's main text, this run (for quotes); neither stored nor reported, so a copy reused
    # from the state store has none.
    page: PageText | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    """A quotation tied to a citation, and whether its page holds it (None: it could not be compared)."""

    text: str
    found: bool | None = None


@dataclass(frozen=True, slots=True)
class SuggestedUrl:
    """Where a lost or misdated page probably is now: a live page on the same site, verified."""

    url: str
    method: str  # url-date | sitemap | site-search | archive (SUGGESTION_METHODS)
    evidence: str  # what a person checks in one click: the candidate's title, date and how it was found
    confidence: float  # 0.0 .. 1.0


SUGGESTION_METHODS = ("url-date", "sitemap", "site-search", "archive")


@dataclass(frozen=True, slots=True)
class CheckedCitation:
    citation: Citation
    result: CheckResult
    anomalies: tuple[Anomaly, ...] = ()
    snapshot: Snapshot | None = None
    history: History | None = None
    snapshot_skipped: str | None = None  # why no snapshot was kept (noarchive, no response)
    drift: Drift | None = None  # the page's text moved away from its previous capture
    archived_copy: ArchivedCopy | None = None  # None when no lookup was due
    suggested_url: SuggestedUrl | None = None  # None when none was due or none passed verification
    quotes: tuple[QuoteCheck, ...] = ()  # the citation's quotes against its page's text
    quotes_from: str | None = None  # the archived copy's URL when the quotes were compared with it


@dataclass(frozen=True, slots=True)
class CheckedArticle:
    article: Article
    citations: tuple[CheckedCitation, ...]


@dataclass(frozen=True, slots=True)
class SourceError:
    """A source that could not be read or harvested; the run goes on without it."""

    source: str
    message: str


@dataclass(frozen=True, slots=True)
class RunResult:
    """One run, complete: what every report renders."""

    started_at: dt.datetime
    finished_at: dt.datetime
    articles: tuple[CheckedArticle, ...]
    errors: tuple[SourceError, ...] = ()
    urls_checked: int = 0
    interrupted: bool = False
    run_id: int | None = None
    failure: str | None = None  # the tool failed part way; the result holds what was gathered until then
    urls_cached: int = 0  # URLs whose stored result was reused instead of fetched
    articles_reused: int = 0  # articles whose stored harvest was reused (content unchanged)
