"""One request on the wire: straight through urllib3's pools, or through requests' adapter for what
requests does well (proxies, internationalised host names, host names it must refuse in its own words).

urllib3 directly costs about half the CPU of requests' adapter per GET at latency 0 (benchmarks/README.md,
"issue 17, third round"); both paths use the same guarded, tracked connection pools and send the same
headers, so the wire and the WARC request record do not depend on which one carried a request.
"""

from __future__ import annotations

import os.path
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import urlencode, urlsplit

import urllib3
from requests.cookies import extract_cookies_to_jar, get_cookie_header
from requests.structures import CaseInsensitiveDict
from requests.utils import DEFAULT_CA_BUNDLE_PATH

from linkcheck.check.connections import POOL_CLASSES, SESSION_HEADERS, GuardedAdapter, prepared_request

_NO_RETRIES = urllib3.Retry(total=False, redirect=False)
# Host names sent straight through urllib3: ASCII labels of 1-63 characters, or an IPv6 literal. Any
# other (`*.example.org`, `a..b`, an IDN) goes through requests, which refuses or encodes it as before.
_PLAIN_HOST = re.compile(r"(?:[a-z0-9_-]{1,63}\.)*[a-z0-9_-]{1,63}\.?|[0-9a-f:.]*:[0-9a-f:.]*")


@dataclass(frozen=True)
class Exchange:
    """A response whose headers have come (the body not read yet) and the headers its request carried."""

    response: urllib3.BaseHTTPResponse
    request_headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        value = self.response.headers.get(name)
        return None if value is None else str(value)

    def close(self) -> None:
        """Done with the answer: a fully read body has given its connection back to the pool already."""
        self.response.close()
        self.response.release_conn()


class _CookieRequest:
    """What http.cookiejar asks of a request, for requests' cookie helpers: its URL and headers
    (looked up whatever their case)."""

    def __init__(self, url: str, headers: Mapping[str, str]) -> None:
        self.url = url
        self.headers = CaseInsensitiveDict(headers)


class Transport:
    """Sends one request and returns its Exchange; raises urllib3's, requests' or socket errors
    (check/failures.py names them). Thread-safe: the pools hand a kept-alive connection to whichever
    worker asks next."""

    def __init__(self, num_pools: int, per_host: int) -> None:
        self._pools = urllib3.PoolManager(num_pools=num_pools, maxsize=per_host)
        self._pools.pool_classes_by_scheme = POOL_CLASSES  # type: ignore[assignment]
        self._adapter = GuardedAdapter(pool_connections=num_pools, pool_maxsize=per_host, max_retries=0)
        self._timeouts: dict[float, urllib3.Timeout] = {}

    def close(self) -> None:
        self._pools.clear()
        self._adapter.close()

    def send(
        self,
        method: str,
        url: str,
        headers: Iterable[tuple[str, str]],
        form: Mapping[str, str] | None,
        cookies: CookieJar,
        *,
        target: str,
        timeout: float,
        verify: bool | str,
        proxies: Mapping[str, str],
    ) -> Exchange:
        """Send `method url` with `headers` (in wire order, Accept and Connection added after the
        agent and encodings as requests does) and the jar's cookies; `target` is the path and query
        exactly as they go on the wire. Set-Cookie answers are stored in the jar."""
        wire = wire_headers(headers)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname or ""
        try:
            port = parts.port
        except ValueError:
            port, host = None, ""  # requests words the refusal
        if proxies or scheme not in ("http", "https") or len(host) > 253 or not _PLAIN_HOST.fullmatch(host):
            return self._via_requests(method, url, wire, form, cookies, timeout, verify, proxies)
        body: bytes | None = None
        if form is not None:
            body = urlencode(list(form.items())).encode("ascii")
            wire = _with_header(wire, "Content-Length", str(len(body)))
            if not _has_header(wire, "Content-Type"):
                wire["Content-Type"] = "application/x-www-form-urlencoded"
        elif method not in ("GET", "HEAD") and not _has_header(wire, "Content-Length"):
            wire["Content-Length"] = "0"
        if len(cookies):
            cookie = get_cookie_header(cookies, _CookieRequest(url, wire))  # type: ignore[arg-type]
            if cookie:
                wire["Cookie"] = cookie
        pool = self._pools.connection_from_host(host, port, scheme, pool_kwargs=tls_options(scheme, verify))
        response = pool.urlopen(
            method,
            target,
            body=body,
            headers=wire,
            retries=_NO_RETRIES,
            redirect=False,
            assert_same_host=False,
            timeout=self._timeout(timeout),
            preload_content=False,
            decode_content=False,
        )
        exchange = Exchange(response, tuple(wire.items()))
        if "set-cookie" in response.headers:
            keep_cookies(cookies, url, wire, response)
        return exchange

    def _via_requests(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        form: Mapping[str, str] | None,
        cookies: CookieJar,
        timeout: float,
        verify: bool | str,
        proxies: Mapping[str, str],
    ) -> Exchange:
        prepared = prepared_request(method, url, headers, form, cookies)
        response = self._adapter.send(
            prepared, stream=True, timeout=(timeout, timeout), verify=verify, proxies=dict(proxies)
        )
        raw: urllib3.BaseHTTPResponse = response.raw
        sent = tuple((str(name), _text(value)) for name, value in prepared.headers.items())
        exchange = Exchange(raw, sent)
        if "set-cookie" in raw.headers:
            keep_cookies(cookies, prepared.url or url, prepared.headers, raw)
        return exchange

    def _timeout(self, seconds: float) -> urllib3.Timeout:
        timeout = self._timeouts.get(seconds)
        if timeout is None:
            timeout = self._timeouts[seconds] = urllib3.Timeout(connect=seconds, read=seconds)
        return timeout


def wire_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The headers in the order requests sends them: User-Agent and Accept-Encoding lead, the Session's
    Accept and Connection follow, then the rest; one entry per name whatever its case (the last wins,
    in the place of the first)."""
    merged: dict[str, tuple[str, str]] = {}
    items = iter(headers)
    for name, value in items:
        merged[name.lower()] = (name, value)
        if name.lower() == "accept-encoding":
            break
    for name, value in (*SESSION_HEADERS, *items):
        merged[name.lower()] = (name, value)
    return dict(merged.values())


def _has_header(headers: Mapping[str, str], name: str) -> bool:
    lowered = name.lower()
    return any(key.lower() == lowered for key in headers)


def _with_header(headers: dict[str, str], name: str, value: str) -> dict[str, str]:
    """The headers with `name` set as requests sets it: in the place of a header of that name in any
    case, else last."""
    lowered = name.lower()
    if not _has_header(headers, name):
        return {**headers, name: value}
    return {
        name if key.lower() == lowered else key: value if key.lower() == lowered else old
        for key, old in headers.items()
    }


def tls_options(scheme: str, verify: bool | str) -> dict[str, Any] | None:
    """The pool settings requests' adapter gives for `verify`: certifi's bundle by default, none when
    off, a configured bundle file or folder."""
    if scheme != "https":
        return None
    if verify is False:
        return {"cert_reqs": "CERT_NONE"}
    if verify is True:
        return {"cert_reqs": "CERT_REQUIRED", "ca_certs": DEFAULT_CA_BUNDLE_PATH}
    if not os.path.exists(verify):  # worded as requests words it: the same failure either way
        raise OSError(f"Could not find a suitable TLS CA certificate bundle, invalid path: {verify}")
    key = "ca_cert_dir" if os.path.isdir(verify) else "ca_certs"
    return {"cert_reqs": "CERT_REQUIRED", key: verify}


def keep_cookies(cookies: CookieJar, url: str, headers: Mapping[str, str], response: Any) -> None:
    """Store what the answer's Set-Cookie headers set, as requests' Session.send does."""
    extract_cookies_to_jar(cookies, _CookieRequest(url, headers), response)  # type: ignore[arg-type]


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value
