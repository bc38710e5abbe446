"""Client exceptions -> FetchFailure: name what went wrong from the exception and its causes."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import requests
import urllib3

from linkcheck.check.deadline import Attempt
from linkcheck.check.guard import PrivateAddressRefused
from linkcheck.check.policy import RequestPolicy
from linkcheck.models import FailureKind, FetchFailure


def failure_from(exc: BaseException, attempt: Attempt, policy: RequestPolicy) -> FetchFailure:
    """Name what went wrong, from the exception and its causes."""
    if attempt.deadline_hit:
        message = f"no complete response within the {policy.deadline:g}s deadline"
        if attempt.received:
            # A drip: the server answers, too slowly to finish. Not retried (client.py), and said so.
            rate = attempt.received / policy.deadline
            message += f" ({attempt.received} bytes of the body came, {rate:.3g} bytes/s: too slow, not retried)"
        return FetchFailure(FailureKind.TIMEOUT, message)
    chain = list(_causes(exc))
    for cause in chain:
        if isinstance(cause, PrivateAddressRefused):
            return FetchFailure(FailureKind.PRIVATE_NETWORK, f"refused: {cause} (allow_private_networks is off)")
    # urllib3's own exceptions come from requests sent through its pools directly (check/transport.py),
    # requests' from those sent through its adapter (proxies); a body that breaks off raises urllib3's.
    if isinstance(exc, requests.exceptions.SSLError | urllib3.exceptions.SSLError):
        return FetchFailure(FailureKind.TLS, tls_reason(exc))
    if isinstance(exc, requests.exceptions.ProxyError | urllib3.exceptions.ProxyError):
        return FetchFailure(FailureKind.PROXY, f"proxy error: {_last_message(chain)}")
    if isinstance(exc, requests.exceptions.ConnectTimeout) or (
        isinstance(exc, urllib3.exceptions.ConnectTimeoutError)
        and not isinstance(exc, urllib3.exceptions.NewConnectionError)  # urllib3 files a refusal under it too
    ):
        return FetchFailure(FailureKind.TIMEOUT, f"connection not established within {policy.timeout:g}s")
    if isinstance(exc, requests.exceptions.ReadTimeout | urllib3.exceptions.ReadTimeoutError) or any(
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
