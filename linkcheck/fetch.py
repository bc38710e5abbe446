"""The only module that talks HTTP: sessions, redirects, retries, size caps, deadlines, guards.

Every outcome, including a dead link, comes back as a FetchResult; nothing here raises for a
URL that fails. Which failure means which verdict is decided in check.py.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import heapq
import ipaddress
import itertools
import os
import random
import socket
import threading
import time
import urllib.request
import warnings
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from tenacity import RetryCallState, Retrying, retry_if_result, stop_after_attempt
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from linkcheck.models import FailureKind, FetchFailure, FetchResult, Hop
from linkcheck.settings import CheckSettings, DomainRule, Settings
from linkcheck.urls import InvalidURL, normalize_url

# `verify = false` for a domain is the user's choice and every such result says so
# (tls_verified, and a note in the report): urllib3's warning on each request is noise.
warnings.filterwarnings("ignore", category=urllib3.exceptions.InsecureRequestWarning)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_FAILURES = frozenset(
    {FailureKind.TIMEOUT, FailureKind.REFUSED, FailureKind.RESET, FailureKind.CONNECTION, FailureKind.DNS_TEMPORARY}
)
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65536
_MAX_REDIRECT_BODY = 256 * 1024
_MAX_BACKOFF = 30.0


class PrivateAddressRefused(OSError):
    """A connection would reach a loopback, private, link-local or reserved address."""


def is_private_address(address: str) -> bool:
    """Whether an IP address is one an untrusted article must not make us fetch.

    Anything not globally routable counts, which includes 100.64.0.0/10 (shared address space,
    where Alibaba Cloud keeps its metadata service at 100.100.100.200), and multicast.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return bool(not ip.is_global or ip.is_private or ip.is_multicast)


# --- per-attempt state seen by the connection classes (requests runs in the calling thread) ---

_local = threading.local()


@dataclass
class _Attempt:
    guard_peer: bool
    connections: list[HTTPConnection] = field(default_factory=list)
    # Sockets as connected: a response read until close keeps its socket after the
    # connection object has let go of it (http.client sets conn.sock to None).
    sockets: list[socket.socket] = field(default_factory=list)
    deadline_hit: bool = False
    target: str | None = None  # the request target exactly as it is to be sent


def _current() -> _Attempt | None:
    return getattr(_local, "attempt", None)


class _PeerGuard:
    """Refuses non-public addresses before connecting: the host name is resolved here, every
    address it has is checked, and the socket connects to a checked address, never re-resolving
    (so DNS rebinding cannot swap one in). The peer is checked again once connected."""

    host: str
    _dns_host: str
    port: int
    sock: socket.socket | None

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        attempt = _current()
        if attempt is not None and self.sock is not None:
            attempt.sockets.append(self.sock)

    def _new_conn(self) -> socket.socket:
        attempt = _current()
        if attempt is None or not attempt.guard_peer:
            return super()._new_conn()  # type: ignore[misc, no-any-return]
        addresses = _public_addresses(self._dns_host, self.port, self.host)
        sock = self._connect_to(addresses) if addresses else super()._new_conn()  # type: ignore[misc]
        peer = sock.getpeername()[0]
        if is_private_address(peer):
            sock.close()
            raise PrivateAddressRefused(f"{self.host} resolves to non-public address {peer}")
        return sock  # type: ignore[no-any-return]

    def _connect_to(self, addresses: list[str]) -> socket.socket:
        name = self._dns_host
        error: Exception | None = None
        for address in addresses:
            self._dns_host = address
            try:
                return super()._new_conn()  # type: ignore[misc, no-any-return]
            except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as exc:
                error = exc
            finally:
                self._dns_host = name
        assert error is not None
        raise error


def _public_addresses(host: str, port: int, shown: str) -> list[str]:
    """The addresses a host name resolves to, all checked public; [] when it does not resolve
    (the connection then fails the ordinary way and reports the DNS error)."""
    try:
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        if is_private_address(address):
            raise PrivateAddressRefused(f"{shown} resolves to non-public address {address}")
    return addresses


class _GuardedHTTPConnection(_PeerGuard, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_PeerGuard, HTTPSConnection):
    pass


class _ConnectionTracker:
    """Records the connections an attempt uses, so the watchdog can shut them at the deadline;
    and sends the request target as the article wrote it."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)  # type: ignore[misc]
        attempt = _current()
        if attempt is not None:
            attempt.connections.append(conn)
            if getattr(conn, "sock", None) is not None:
                attempt.sockets.append(conn.sock)
        return conn

    def _make_request(self, conn: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        # urllib3 re-encodes the target (`%7e` -> `%7E`, `|` -> `%7C`); some servers key pages
        # by the exact query, so the target already made safe by `request_target` is sent as is.
        attempt = _current()
        if attempt is not None and attempt.target is not None and url.startswith("/"):
            url = attempt.target
        return super()._make_request(conn, method, url, *args, **kwargs)  # type: ignore[misc]


class _TrackedHTTPPool(_ConnectionTracker, HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _TrackedHTTPSPool(_ConnectionTracker, HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


_POOL_CLASSES = {"http": _TrackedHTTPPool, "https": _TrackedHTTPSPool}


class _Adapter(HTTPAdapter):
    """requests' adapter with our pools: peer-address guard and killable connections."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOL_CLASSES

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = _POOL_CLASSES
        return manager


class _Session(requests.Session):
    """A session that leaves redirects to Fetcher: requests would otherwise parse every Location
    ahead of time (for `Response.next`) and raise on a malformed one before we could report it."""

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        return None


class Watchdog:
    """One thread that enforces per-attempt deadlines by shutting the attempt's sockets.

    A server that drips a byte a second never trips a read timeout; this bounds it. The clock
    must be real time (the thread waits on it); once `cancel` returns, the attempt's sockets are
    never touched, so a connection handed back to the pool cannot be shut under the next request.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._heap: list[tuple[float, int]] = []
        self._attempts: dict[int, _Attempt] = {}  # live attempts by token; a cancelled one is dropped at once
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def watch(self, attempt: _Attempt, seconds: float) -> int:
        token = next(self._counter)
        with self._cond:
            when = self._clock() + seconds
            sooner = not self._heap or when < self._heap[0][0]
            heapq.heappush(self._heap, (when, token))
            self._attempts[token] = attempt
            self._closed = False
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="linkcheck-watchdog", daemon=True)
                self._thread.start()
            elif sooner:
                self._cond.notify()  # only then must the sleeping thread re-plan (a GIL hand-off saved)
        return token

    def cancel(self, token: int) -> None:
        with self._cond:
            self._attempts.pop(token, None)
            while self._heap and self._heap[0][1] not in self._attempts:
                heapq.heappop(self._heap)  # ended attempts at the head cost nothing to drop

    def close(self) -> None:
        """Stop the thread (a later `watch` starts a new one)."""
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                if not self._heap:
                    self._cond.wait()
                    continue
                when, token = self._heap[0]
                delay = when - self._clock()
                if delay > 0:
                    self._cond.wait(delay)
                    continue
                heapq.heappop(self._heap)
                attempt = self._attempts.pop(token, None)
                if attempt is None:
                    continue  # ended in time
                attempt.deadline_hit = True
                sockets = [getattr(conn, "sock", None) for conn in attempt.connections] + attempt.sockets
                for sock in sockets:
                    if sock is not None:
                        try:
                            sock.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass  # already closed
            self._heap.clear()
            self._attempts.clear()
            self._thread = None


@dataclass(frozen=True)
class RequestPolicy:
    """What applies to one URL after `[domains]` rules: timeouts, retries, agent, TLS."""

    timeout: float
    deadline: float
    retries: int
    user_agent: str
    verify: bool | str
    accept_status: tuple[int, ...] = ()


def policy_for(settings: Settings, host: str) -> RequestPolicy:
    check = settings.check
    rule: DomainRule | None = settings.domain_rule(host)
    verify: bool | str = True
    if rule is not None and rule.ca_bundle:
        verify = rule.ca_bundle
    elif rule is not None and rule.verify is not None:
        verify = rule.verify
    timeout = rule.timeout if rule and rule.timeout is not None else check.timeout
    return RequestPolicy(
        timeout=timeout,
        deadline=max(check.deadline, timeout),
        retries=rule.retries if rule and rule.retries is not None else check.retries,
        user_agent=rule.user_agent if rule and rule.user_agent else check.user_agent,
        verify=verify,
        accept_status=rule.accept_status if rule else (),
    )


class Fetcher:
    """Fetches URLs: one GET per call, redirects followed by hand, retried with backoff.

    Thread-safe: each thread has its own requests.Session, all sharing one connection pool, so a
    kept-alive connection to a host serves whichever worker asks next. The proxy and CA-bundle
    variables are read once (requests would scan the whole environment on every request).
    `clock`, `sleep` and `now` are injectable so tests never wait on real time.
    """

    def __init__(
        self,
        settings: Settings,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        jitter: Callable[[], float] = random.random,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.check: CheckSettings = settings.check
        self._sleep = sleep
        self._clock = clock
        self._now = now
        self._jitter = jitter
        self._watchdog = Watchdog()  # real time always: it waits on real sockets
        self._sessions = threading.local()
        self._all_sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        environ = os.environ if environ is None else environ
        self._env_proxies = environment_proxies(environ)
        self._ca_bundle = environ.get("REQUESTS_CA_BUNDLE") or environ.get("CURL_CA_BUNDLE") or None
        self._adapter = _Adapter(
            pool_connections=max(64, 2 * self.check.concurrency),
            pool_maxsize=max(2, self.check.per_host_concurrency),
            max_retries=0,
        )

    def close(self) -> None:
        with self._lock:
            self._all_sessions.clear()
        self._adapter.close()
        self._watchdog.close()

    def _session(self) -> requests.Session:
        session = getattr(self._sessions, "session", None)
        if session is None:
            session = _Session()
            session.trust_env = False  # proxies and CA bundle come from __init__, read once
            session.mount("http://", self._adapter)
            session.mount("https://", self._adapter)
            self._sessions.session = session
            with self._lock:
                self._all_sessions.append(session)
        return session

    def fetch(self, url: str) -> FetchResult:
        """GET a URL with retries; the result of the last attempt, with `attempts` counted."""
        try:
            host = urlsplit(url).hostname or ""
        except ValueError as exc:
            return FetchResult(
                url, url, failure=FetchFailure(FailureKind.INVALID_URL, f"not a usable URL: {exc}"), attempts=0
            )
        policy = policy_for(self.settings, host)
        started = self._now()
        begin = self._clock()
        deadline_hit = False

        def should_retry(result: FetchResult) -> bool:
            # A server that answers but too slowly to finish within the deadline would only
            # hold the worker for another whole deadline: that timeout is not retried.
            return not deadline_hit and self._should_retry(result)

        retrying = Retrying(
            stop=stop_after_attempt(policy.retries + 1),
            retry=retry_if_result(should_retry),
            wait=self._wait,
            sleep=self._sleep,
            reraise=True,
            # Out of attempts: the last result is the answer (a 503 is data, not an exception).
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )
        attempts = 0

        def attempt() -> FetchResult:
            nonlocal attempts, deadline_hit
            attempts += 1
            result, deadline_hit = self._attempt(url, policy)
            return result

        result: FetchResult = retrying(attempt)
        return replace(
            result,
            attempts=attempts,
            started_at=started,
            elapsed_ms=int((self._clock() - begin) * 1000),
        )

    def _should_retry(self, result: FetchResult) -> bool:
        if result.failure is not None:
            return result.failure.kind in RETRY_FAILURES
        if result.status in RETRY_STATUSES:
            return result.retry_after_s is None or result.retry_after_s <= self.check.max_retry_after
        return False

    def _wait(self, state: RetryCallState) -> float:
        result = state.outcome.result() if state.outcome and not state.outcome.failed else None
        if result is not None and result.retry_after_s is not None:
            return result.retry_after_s
        base = self.check.backoff * (2 ** (state.attempt_number - 1))
        return float(min(_MAX_BACKOFF, base + self._jitter() * self.check.backoff))

    # --- one attempt: the redirect chain, bounded by the deadline ---

    def _attempt(self, url: str, policy: RequestPolicy) -> tuple[FetchResult, bool]:
        """One attempt at the whole redirect chain; (result, whether the deadline cut it short)."""
        proxied = self._uses_proxy(url)
        attempt = _Attempt(guard_peer=not self.check.allow_private_networks and not proxied)
        _local.attempt = attempt
        token = self._watchdog.watch(attempt, policy.deadline)
        try:
            result = self._follow(url, policy, attempt)
        finally:
            self._watchdog.cancel(token)
            _local.attempt = None
        return result, attempt.deadline_hit

    def _follow(self, url: str, policy: RequestPolicy, attempt: _Attempt) -> FetchResult:
        session = self._session()
        hops: list[Hop] = []
        current = url
        visits: dict[str, int] = {}
        tls_verified = policy.verify is not False
        for _ in range(self.check.max_redirects + 1):
            refusal = self._literal_host_refusal(current)
            if refusal:
                return FetchResult(url, current, redirects=tuple(hops), failure=refusal)
            key = _key(current)
            visits[key] = visits.get(key, 0) + 1
            if visits[key] > 2:  # once more is allowed: a cookie-setting redirect back to itself
                chain = " -> ".join([hop.url for hop in hops] + [current])
                return FetchResult(
                    url,
                    current,
                    status=hops[-1].status if hops else None,
                    redirects=tuple(hops),
                    failure=FetchFailure(FailureKind.REDIRECT_LOOP, f"redirect loop: {chain}"),
                )
            attempt.target = request_target(current)
            verify = self._ca_bundle if policy.verify is True and self._ca_bundle else policy.verify
            try:
                response = session.get(
                    current,
                    headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
                    allow_redirects=False,
                    stream=True,
                    timeout=(policy.timeout, policy.timeout),
                    verify=verify,
                    proxies=self.proxies_for(current),
                )
            except Exception as exc:  # noqa: BLE001 - every client failure becomes data
                failure = _failure_from(exc, attempt, policy)
                return FetchResult(url, current, redirects=tuple(hops), failure=failure, tls_verified=tls_verified)
            finally:
                attempt.target = None
            try:
                location = response.headers.get("Location")
                if response.status_code in _REDIRECT_STATUSES and location:
                    raw, _ = _read_raw(response, _MAX_REDIRECT_BODY)
                    if attempt.deadline_hit:
                        raise TimeoutError("deadline")  # the watchdog shut the socket: EOF is no answer
                    hops.append(_hop(current, response, raw))
                    target, refused = _redirect_target(current, location)
                    if refused is not None:
                        return FetchResult(
                            url,
                            target or current,
                            status=response.status_code,
                            redirects=tuple(hops),
                            failure=refused,
                            tls_verified=tls_verified,
                        )
                    current = target
                    continue
                raw, truncated = _read_raw(response, self.check.max_bytes)
                if attempt.deadline_hit:
                    raise TimeoutError("deadline")  # a body cut by the watchdog ends in a clean EOF
                encoding = response.headers.get("Content-Encoding", "")
                body, decode_truncated = decode_body(raw, encoding, self.check.max_bytes)
                return FetchResult(
                    url=url,
                    final_url=current,
                    status=response.status_code,
                    reason=response.reason or "",
                    http_version=_http_version(response),
                    headers=_header_items(response),
                    request_headers=tuple(response.request.headers.items()),
                    raw_body=raw,
                    body=body,
                    truncated=truncated or decode_truncated,
                    redirects=tuple(hops),
                    tls_verified=tls_verified,
                    retry_after_s=parse_retry_after(response.headers.get("Retry-After"), self._now()),
                )
            except Exception as exc:  # noqa: BLE001 - a body that breaks off is data too
                failure = _failure_from(exc, attempt, policy)
                return FetchResult(
                    url,
                    current,
                    status=response.status_code,
                    redirects=tuple(hops),
                    failure=failure,
                    tls_verified=tls_verified,
                )
            finally:
                response.close()
        return FetchResult(
            url,
            current,
            status=hops[-1].status if hops else None,
            redirects=tuple(hops),
            failure=FetchFailure(FailureKind.TOO_MANY_REDIRECTS, f"more than {self.check.max_redirects} redirects"),
        )

    def proxies_for(self, url: str) -> dict[str, str]:
        """The proxies for one URL: `[check] proxies`, else the environment's unless NO_PROXY matches."""
        if self.check.proxies:
            return dict(self.check.proxies)
        if not self._env_proxies:
            return {}
        host = urlsplit(url).hostname or ""
        if urllib.request.proxy_bypass_environment(host, self._env_proxies):  # type: ignore[attr-defined]
            return {}
        return {scheme: value for scheme, value in self._env_proxies.items() if scheme != "no"}

    def _uses_proxy(self, url: str) -> bool:
        return bool(self.proxies_for(url))

    def _literal_host_refusal(self, url: str) -> FetchFailure | None:
        if self.check.allow_private_networks:
            return None
        host = (urlsplit(url).hostname or "").lower()
        if host == "localhost" or host.endswith(".localhost") or is_private_address(host):
            return FetchFailure(
                FailureKind.PRIVATE_NETWORK,
                f"refused: {host} is a private or local address (allow_private_networks is off)",
            )
        return None


def _redirect_target(current: str, location: str) -> tuple[str, FetchFailure | None]:
    """Where a Location header points, or why it is not followed (another scheme, no usable URL)."""
    location = location.strip()
    try:
        target = urljoin(current, location)
        parts = urlsplit(target)
        scheme = parts.scheme.lower()
        if scheme in ("http", "https"):
            host, _ = parts.hostname, parts.port  # both raise ValueError on a malformed authority
    except ValueError as exc:
        return "", FetchFailure(FailureKind.BAD_REDIRECT, f"redirect to an unusable URL {location[:200]!r}: {exc}")
    if scheme not in ("http", "https"):
        return target, FetchFailure(
            FailureKind.UNSUPPORTED_SCHEME, f"redirects to {scheme}: URL {target}, not followed"
        )
    if not host:
        return target, FetchFailure(FailureKind.BAD_REDIRECT, f"redirect to a URL without a host: {location[:200]!r}")
    return target, None


# Browsers percent-encode these in a request target; everything else printable goes as written.
_UNSENDABLE = frozenset(' "<>`{}|\\^')


def request_target(url: str) -> str:
    """The path and query to send, as the URL writes them: `%7e` stays `%7e`, `@` stays `@`.

    Only what cannot go on the wire is percent-encoded (UTF-8): controls, spaces, non-ASCII.
    """
    parts = urlsplit(url)
    target = parts.path or "/"
    if "?" in url.split("#", 1)[0]:
        target += "?" + parts.query
    return "".join(
        ch if " " < ch < "\x7f" and ch not in _UNSENDABLE else "".join(f"%{b:02X}" for b in ch.encode("utf-8"))
        for ch in target
    )


def _key(url: str) -> str:
    try:
        return normalize_url(url)
    except InvalidURL:
        return url


def _read_raw(response: requests.Response, limit: int) -> tuple[bytes, bool]:
    """The body as sent (content-encoding intact), at most `limit` bytes; True if cut."""
    chunks: list[bytes] = []
    size = 0
    raw: urllib3.HTTPResponse = response.raw
    while True:
        chunk = raw.read1(_CHUNK, decode_content=False)
        if not chunk:
            return b"".join(chunks), False
        if size + len(chunk) > limit:
            chunks.append(chunk[: limit - size])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)


def decode_body(raw: bytes, content_encoding: str, limit: int) -> tuple[bytes, bool]:
    """Undo gzip/deflate with output capped at `limit` (a gzip bomb costs nothing); True if cut."""
    data = raw
    truncated = False
    for coding in reversed([c.strip().lower() for c in content_encoding.split(",") if c.strip()]):
        if coding in ("gzip", "x-gzip", "deflate"):
            wbits = 47 if coding != "deflate" else (zlib.MAX_WBITS if data[:1] == b"\x78" else -zlib.MAX_WBITS)
            decompressor = zlib.decompressobj(wbits)
            try:
                out = decompressor.decompress(data, limit)
            except zlib.error:
                return data, truncated
            if decompressor.unconsumed_tail or (len(out) >= limit and not decompressor.eof):
                truncated = True
            data = out
        elif coding != "identity":
            return data, truncated  # an encoding we do not decode (br, zstd): keep as received
    return data, truncated


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def _hop(url: str, response: requests.Response, raw: bytes) -> Hop:
    return Hop(
        url=url,
        status=response.status_code,
        reason=response.reason or "",
        http_version=_http_version(response),
        headers=_header_items(response),
        request_headers=tuple(response.request.headers.items()),
        raw_body=raw,
    )


def _header_items(response: requests.Response) -> tuple[tuple[str, str], ...]:
    headers = response.raw.headers
    items: Iterator[tuple[str, str]] = headers.iteritems() if hasattr(headers, "iteritems") else iter(headers.items())
    return tuple(items)


def _http_version(response: requests.Response) -> str:
    return {10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}.get(getattr(response.raw, "version", 11), "HTTP/1.1")


def _failure_from(exc: BaseException, attempt: _Attempt, policy: RequestPolicy) -> FetchFailure:
    """Name what went wrong, from the exception and its causes."""
    if attempt.deadline_hit:
        return FetchFailure(FailureKind.TIMEOUT, f"no complete response within the {policy.deadline:g}s deadline")
    chain = list(_causes(exc))
    for cause in chain:
        if isinstance(cause, PrivateAddressRefused):
            return FetchFailure(FailureKind.PRIVATE_NETWORK, f"refused: {cause} (allow_private_networks is off)")
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchFailure(FailureKind.TLS, tls_reason(exc))
    if isinstance(exc, requests.exceptions.ProxyError):
        return FetchFailure(FailureKind.PROXY, f"proxy error: {_last_message(chain)}")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return FetchFailure(FailureKind.TIMEOUT, f"connection not established within {policy.timeout:g}s")
    if isinstance(exc, requests.exceptions.ReadTimeout) or any(
        isinstance(c, TimeoutError | socket.timeout) for c in chain
    ):
        return FetchFailure(FailureKind.TIMEOUT, f"no data from the server for {policy.timeout:g}s")
    if isinstance(
        exc, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema | requests.exceptions.MissingSchema
    ):
        return FetchFailure(FailureKind.INVALID_URL, f"not a usable URL: {exc}")
    for cause in chain:
        if isinstance(cause, socket.gaierror):
            temporary = cause.errno == socket.EAI_AGAIN
            kind = FailureKind.DNS_TEMPORARY if temporary else FailureKind.DNS
            return FetchFailure(kind, f"host name not resolved: {cause.strerror or cause}")
        if type(cause).__name__ == "NameResolutionError":
            return FetchFailure(FailureKind.DNS, "host name not resolved")
        if isinstance(cause, ConnectionRefusedError):
            return FetchFailure(FailureKind.REFUSED, "connection refused")
        if isinstance(cause, ConnectionResetError | BrokenPipeError):
            return FetchFailure(FailureKind.RESET, "connection reset by the server")
    text = _last_message(chain)
    if "RemoteDisconnected" in text or "closed connection" in text or "IncompleteRead" in text:
        return FetchFailure(FailureKind.RESET, f"server closed the connection: {text}")
    return FetchFailure(FailureKind.CONNECTION, f"connection failed: {text}")


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
        for linked in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(linked, BaseException):
                stack.append(linked)


def _last_message(chain: list[BaseException]) -> str:
    return str(chain[-1]) if chain else "unknown error"


def tls_reason(exc: BaseException) -> str:
    """A short reason for a TLS failure: expired, unknown issuer, hostname mismatch, other."""
    text = str(exc)
    lowered = text.lower()
    if "expired" in lowered:
        return "TLS certificate has expired"
    if "hostname mismatch" in lowered or "doesn't match" in lowered or "not valid for" in lowered:
        return "TLS certificate does not match the host name"
    if (
        "self-signed" in lowered
        or "self signed" in lowered
        or "unable to get local issuer" in lowered
        or "unknown ca" in lowered
    ):
        return "TLS certificate issued by an unknown authority (not in the trust store)"
    return f"TLS handshake failed: {text[-200:]}"


def environment_proxies(environ: Mapping[str, str]) -> dict[str, str]:
    """{scheme: proxy URL, "no": NO_PROXY} from HTTP_PROXY-style variables (lowercase wins, as in curl)."""
    found: dict[str, str] = {}
    for name in sorted(environ, key=lambda key: key.islower()):  # upper case first, lower case overrides
        if name.lower().endswith("_proxy") and environ[name]:
            scheme = name.lower()[: -len("_proxy")]
            if scheme in ("http", "https", "all", "no"):
                found[scheme] = environ[name]
    if "all" in found:
        for scheme in ("http", "https"):
            found.setdefault(scheme, found["all"])
        del found["all"]
    if name_is_cgi(environ):
        found.pop("http", None)  # httpoxy: in a CGI script HTTP_PROXY is a request header
    return found


def name_is_cgi(environ: Mapping[str, str]) -> bool:
    return "REQUEST_METHOD" in environ
