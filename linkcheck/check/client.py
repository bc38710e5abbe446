"""The HTTP client: one GET per URL with redirects followed by hand, retries, size caps and deadlines.

Every outcome, including a dead link, comes back as a FetchResult; nothing here raises for a
URL that fails. Which failure means which verdict is decided in check/verdict.py.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import threading
import time
import urllib.request
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http.cookiejar import CookieJar
from urllib.parse import urlsplit

import urllib3
from requests.cookies import RequestsCookieJar
from tenacity import RetryCallState, Retrying, retry_if_result, stop_after_attempt

from linkcheck.check.cookies import SharedCookieJar, open_jar, save_jar
from linkcheck.check.deadline import Attempt, Watchdog, set_current_attempt
from linkcheck.check.failures import failure_from
from linkcheck.check.guard import literal_host_refusal
from linkcheck.check.policy import RequestPolicy, configured_headers, policy_for
from linkcheck.check.transport import Transport
from linkcheck.check.wire import (
    MAX_REDIRECT_BODY,
    REDIRECT_STATUSES,
    decode_body,
    hop_of,
    loop_key,
    parse_retry_after,
    read_raw,
    redirect_target,
    request_target,
    without_userinfo,
)
from linkcheck.models import FailureKind, FetchFailure, FetchResult, Hop
from linkcheck.settings import CheckSettings, Settings

# `verify = false` for a domain is the user's choice and every such result says so
# (tls_verified, and a note in the report): urllib3's warning on each request is noise.
warnings.filterwarnings("ignore", category=urllib3.exceptions.InsecureRequestWarning)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_FAILURES = frozenset(
    {FailureKind.TIMEOUT, FailureKind.REFUSED, FailureKind.RESET, FailureKind.CONNECTION, FailureKind.DNS_TEMPORARY}
)
_MAX_BACKOFF = 30.0


class Fetcher:
    """Fetches URLs: one GET per call, redirects followed by hand, retried with backoff.

    Thread-safe: every thread sends through one Transport (check/transport.py), whose connection pools
    let a kept-alive connection to a host serve whichever worker asks next; each thread keeps its own
    cookies unless a cookie jar is shared. The proxy and CA-bundle
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
        self._local = threading.local()
        environ = os.environ if environ is None else environ
        self._environ = environ
        self._env_proxies = environment_proxies(environ)
        self._ca_bundle = environ.get("REQUESTS_CA_BUNDLE") or environ.get("CURL_CA_BUNDLE") or None
        self._transport = Transport(
            num_pools=max(64, 2 * self.check.concurrency), per_host=max(2, self.check.per_host_concurrency)
        )
        # `[check] cookie_jar`: one jar for all workers, so a cookie one answer sets goes with the next
        # request to that site, whichever worker makes it; without it each worker keeps its own.
        self._cookies: SharedCookieJar | None = open_jar(self.check.cookie_jar) if self.check.cookie_jar else None

    def renewed(self, settings: Settings) -> Fetcher:
        """A Fetcher with `settings` and this one's clocks and environment, sharing no connection, thread
        or cookie with it: a forked check process's own (check/shards.py)."""
        return Fetcher(settings, self._sleep, self._clock, self._now, self._jitter, self._environ)

    def close(self) -> None:
        self._transport.close()
        self._watchdog.close()
        if self._cookies is not None:
            save_jar(self._cookies)

    def _jar(self) -> CookieJar:
        """The cookies this worker's requests carry: the shared jar, else the thread's own."""
        if self._cookies is not None:
            return self._cookies
        jar: CookieJar | None = getattr(self._local, "jar", None)
        if jar is None:
            jar = self._local.jar = RequestsCookieJar()
        return jar

    def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        form: Mapping[str, str] | None = None,
    ) -> FetchResult:
        """GET a URL with retries; the result of the last attempt, with `attempts` counted.

        `method`, `headers` and `form` (a urlencoded body) are for APIs such as an archive's: they
        go to the URL asked for only; a redirect is followed with a bare GET, as browsers do after
        a POST, and extra headers never follow it to another origin.
        """
        request = _Request(method.upper(), dict(headers or {}), dict(form) if form is not None else None)
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

        attempts = 1
        result, deadline_hit = self._attempt(url, policy, request)
        if policy.retries and should_retry(result):
            # Retrying is built only when an answer asks for another attempt (0.02 ms of CPU a URL,
            # a twentieth of a GET, spent for the few URLs that are retried).
            first: FetchResult | None = result

            def attempt() -> FetchResult:
                nonlocal attempts, deadline_hit, first
                if first is not None:  # the attempt made already is the first Retrying sees
                    made, first = first, None
                    return made
                attempts += 1
                result, deadline_hit = self._attempt(url, policy, request)
                return result

            retrying = Retrying(
                stop=stop_after_attempt(policy.retries + 1),
                retry=retry_if_result(should_retry),
                wait=self._wait,
                sleep=self._sleep,
                reraise=True,
                # Out of attempts: the last result is the answer (a 503 is data, not an exception).
                retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
            )
            result = retrying(attempt)
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

    def _attempt(self, url: str, policy: RequestPolicy, request: _Request) -> tuple[FetchResult, bool]:
        """One attempt at the whole redirect chain; (result, whether the deadline cut it short)."""
        attempt = Attempt(guard_peer=not self.check.allow_private_networks)
        set_current_attempt(attempt)
        token = self._watchdog.watch(attempt, policy.deadline)
        try:
            result = self._follow(url, policy, attempt, request)
        finally:
            self._watchdog.cancel(token)
            set_current_attempt(None)
        return result, attempt.deadline_hit

    def _follow(self, url: str, policy: RequestPolicy, attempt: Attempt, request: _Request) -> FetchResult:
        jar = self._jar()
        hops: list[Hop] = []
        current = url
        visits: dict[str, int] = {}
        for _ in range(self.check.max_redirects + 1):
            refusal = None if self.check.allow_private_networks else literal_host_refusal(current)
            if refusal:
                return FetchResult(url, current, redirects=tuple(hops), failure=refusal)
            if hops:  # a loop needs a redirect: the URL asked for is counted once the first one comes
                if not visits:
                    visits[loop_key(url)] = 1
                key = loop_key(current)
                visits[key] = visits.get(key, 0) + 1
                if visits[key] > 2:  # once more is allowed: a cookie-setting redirect back to itself
                    chain = " -> ".join([hop.url for hop in hops] + [current])
                    return _chain_failed(url, current, hops, FailureKind.REDIRECT_LOOP, f"redirect loop: {chain}")
            proxies = self.proxies_for(current)
            # Decided per hop: a redirect to a NO_PROXY host connects directly and must be guarded.
            # Through a proxy the socket reaches the proxy the user configured, not the URL's host.
            attempt.guard_peer = not self.check.allow_private_networks and not proxies
            target = attempt.target = request_target(current)
            https = current[:6].lower() == "https:"
            verify = self._ca_bundle if policy.verify is True and self._ca_bundle else policy.verify
            if not https and isinstance(verify, str):
                verify = True  # nothing to verify over http://; a path would cost requests a stat() per request
            first = not hops
            extra = request.headers if first or _same_origin(url, current) else {}
            headers = [("User-Agent", policy.user_agent), ("Accept-Encoding", "gzip, deflate")]
            headers += configured_headers(self.settings, urlsplit(current).hostname or "").items()
            headers += extra.items()
            try:
                exchange = self._transport.send(
                    request.method if first else "GET",
                    without_userinfo(current),  # `user:secret@` is the article's text, never our credentials
                    headers,
                    request.form if first else None,
                    jar,
                    target=target,
                    timeout=policy.timeout,
                    verify=verify,
                    proxies=proxies,
                )
            except Exception as exc:  # noqa: BLE001 - every client failure becomes data
                failure = failure_from(exc, attempt, policy)
                refused_tls = False if failure.kind is FailureKind.TLS else None  # else nothing was verified
                return FetchResult(url, current, redirects=tuple(hops), failure=failure, tls_verified=refused_tls)
            finally:
                attempt.target = None
            # What TLS proved about the answer: nothing over http://, less where `verify = false`.
            tls_verified = (policy.verify is not False) if https else None
            response = exchange.response
            try:
                location = exchange.header("Location")
                if response.status in REDIRECT_STATUSES and location:
                    raw, _ = read_raw(response, MAX_REDIRECT_BODY, attempt.count_received)
                    if attempt.deadline_hit:
                        raise TimeoutError("deadline")  # the watchdog shut the socket: EOF is no answer
                    hops.append(hop_of(current, exchange, raw))
                    target, refused = redirect_target(current, location)
                    if refused is not None:
                        return FetchResult(
                            url,
                            target or current,
                            status=response.status,
                            redirects=tuple(hops),
                            failure=refused,
                            tls_verified=tls_verified,
                        )
                    current = target
                    continue
                raw, truncated = read_raw(response, self.check.max_bytes, attempt.count_received)
                if attempt.deadline_hit:
                    raise TimeoutError("deadline")  # a body cut by the watchdog ends in a clean EOF
                encoding = exchange.header("Content-Encoding") or ""
                body, decode_truncated = decode_body(raw, encoding, self.check.max_bytes)
                return FetchResult.answered(
                    url,
                    hop_of(current, exchange, raw),
                    body=body,
                    truncated=truncated or decode_truncated,
                    redirects=tuple(hops),
                    tls_verified=tls_verified,
                    retry_after_s=parse_retry_after(exchange.header("Retry-After"), self._now()),
                )
            except Exception as exc:  # noqa: BLE001 - a body that breaks off is data too
                failure = failure_from(exc, attempt, policy)
                return FetchResult(
                    url,
                    current,
                    status=response.status,
                    redirects=tuple(hops),
                    failure=failure,
                    tls_verified=tls_verified,
                )
            finally:
                exchange.close()
        message = f"more than {self.check.max_redirects} redirects"
        return _chain_failed(url, current, hops, FailureKind.TOO_MANY_REDIRECTS, message)

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


@dataclass(frozen=True)
class _Request:
    """What to send besides a plain GET: the method, extra headers and a form body (first hop only)."""

    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] | None = None


def _same_origin(a: str, b: str) -> bool:
    one, two = urlsplit(a), urlsplit(b)
    return (one.scheme.lower(), one.netloc.lower()) == (two.scheme.lower(), two.netloc.lower())


def _chain_failed(url: str, current: str, hops: list[Hop], kind: FailureKind, message: str) -> FetchResult:
    """A redirect chain that went wrong: the last status seen, every hop, and why."""
    last = hops[-1].status if hops else None
    return FetchResult(url, current, status=last, redirects=tuple(hops), failure=FetchFailure(kind, message))


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
