"""urllib3 and requests plumbing: connections that are guarded, tracked for the watchdog, and send
the request target as written; requests' adapter on the same pools, and requests prepared without a Session's
per-call merging (for the requests transport.py sends through requests: proxies, unusual host names)."""

from __future__ import annotations

from collections.abc import Mapping
from http.cookiejar import CookieJar
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from linkcheck.check.deadline import current_attempt
from linkcheck.check.guard import PeerGuard


class GuardedHTTPConnection(PeerGuard, HTTPConnection):
    pass


class GuardedHTTPSConnection(PeerGuard, HTTPSConnection):
    pass


class ConnectionTracker:
    """Records the connections an attempt uses, so the watchdog can shut them at the deadline;
    and sends the request target as the article wrote it."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)  # type: ignore[misc]
        attempt = current_attempt()
        if attempt is not None:
            attempt.connections.append(conn)
            if getattr(conn, "sock", None) is not None:
                attempt.sockets.append(conn.sock)
        return conn

    def _make_request(self, conn: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        # urllib3 re-encodes the target (`%7e` -> `%7E`, `|` -> `%7C`); some servers key pages
        # by the exact query, so the target already made safe by `request_target` is sent as is.
        attempt = current_attempt()
        if attempt is not None and attempt.target is not None and url.startswith("/"):
            url = attempt.target
        return super()._make_request(conn, method, url, *args, **kwargs)  # type: ignore[misc]


class TrackedHTTPPool(ConnectionTracker, HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class TrackedHTTPSPool(ConnectionTracker, HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


POOL_CLASSES = {"http": TrackedHTTPPool, "https": TrackedHTTPSPool}


class GuardedAdapter(HTTPAdapter):
    """requests' adapter with our pools: peer-address guard and killable connections."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = POOL_CLASSES

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = POOL_CLASSES
        return manager


# What requests' Session adds to every request besides the agent and encodings we set: sent the same way,
# so the wire and the WARC request record are unchanged by building the request ourselves.
SESSION_HEADERS = (("Accept", "*/*"), ("Connection", "keep-alive"))


def prepared_request(
    method: str,
    url: str,
    headers: Mapping[str, str],
    form: Mapping[str, str] | None,
    cookies: CookieJar,
) -> requests.PreparedRequest:
    """The request requests' Session.prepare_request would build, without its per-call merging of
    session settings: that merging (isinstance checks against runtime Protocols) cost about 12% of the
    checker's CPU per URL. `headers` come in the order they go on the wire, after the session's own."""
    merged: CaseInsensitiveDict[str] = CaseInsensitiveDict()
    first = iter(headers.items())
    for name, value in first:  # User-Agent and Accept-Encoding lead, as in requests' defaults
        merged[name] = value
        if name.lower() == "accept-encoding":
            break
    for name, value in SESSION_HEADERS:
        merged[name] = value
    merged.update(first)
    prepared = requests.PreparedRequest()
    prepared.prepare_method(method)
    prepared.prepare_url(url, "")  # "" (no params) skips a runtime-Protocol isinstance check that None costs
    prepared.prepare_headers(merged)
    prepared.prepare_body(dict(form) if form is not None else None, None)
    if len(cookies):
        prepared.prepare_cookies(cookies)
    return prepared
