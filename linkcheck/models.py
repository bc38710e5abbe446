"""The records passed between stages: document -> citation -> fetch result -> verdict -> report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


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


ANOMALY_CODES = (
    "future-dated-url",
    "shortened-url",
    "ip-address-host",
    "credentials-in-url",
    "published-after-article",
    "redirect-to-homepage",
    "cross-domain-redirect",
    "tracking-params",
    "insecure-url",
    "duplicate-citation",
    "malformed-url",
    "title-mismatch",
    "content-drift",
    "newly-broken",
    "flapping",
)


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


@dataclass(frozen=True, slots=True)
class Article:
    """A harvested article: metadata plus its citations in order of appearance."""

    source: str
    title: str | None
    published: dt.date | None
    published_from: str | None  # json-ld | meta | time | front-matter | text | url | pdf-metadata
    citations: tuple[Citation, ...]
    url: str | None = None  # the article's own URL when it was fetched online
    cut_reason: str | None = None  # why harvesting stopped short of the whole document (a cap or budget)


@dataclass(frozen=True, slots=True)
class Hop:
    """One redirect response in a chain."""

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

    kind: str  # timeout | dns | refused | reset | connection | proxy | tls | private-network |
    #            redirect-loop | too-many-redirects | bad-redirect | unsupported-scheme | invalid-url
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
    tls_verified: bool = True
    retry_after_s: float | None = None  # last Retry-After the server asked for, in seconds

    def header(self, name: str) -> str | None:
        lower = name.lower()
        for key, value in self.headers:
            if key.lower() == lower:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Anomaly:
    code: str
    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class Snapshot:
    warc: str
    sha256: str
    captured_at: str
    page: str | None = None
    record_id: str | None = None
    offset: int | None = None


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
    tls_verified: bool = True
    page_title: str | None = None
    page_published: dt.date | None = None  # the cited page's own publication date, if it says


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


@dataclass(frozen=True, slots=True)
class CheckedCitation:
    citation: Citation
    result: CheckResult
    anomalies: tuple[Anomaly, ...] = ()
    snapshot: Snapshot | None = None
    history: History | None = None
    snapshot_skipped: str | None = None  # why no snapshot was kept (noarchive, no response)


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
    extra: dict[str, object] = field(default_factory=dict)
