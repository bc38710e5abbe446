"""Wire details of one HTTP exchange: the request target, raw bodies, content decoding, Retry-After,
Location targets and the recorded form of a response."""

from __future__ import annotations

import datetime as dt
import email.utils
import zlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

import urllib3

from linkcheck.models import FailureKind, FetchFailure, Hop
from linkcheck.urls import InvalidURL, normalize_url

if TYPE_CHECKING:
    from linkcheck.check.transport import Exchange

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECT_BODY = 256 * 1024
_CHUNK = 65536


def redirect_target(current: str, location: str) -> tuple[str, FetchFailure | None]:
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


def without_userinfo(url: str) -> str:
    """The URL with any `user:password@` taken out of its authority: requests would send it as Basic
    auth, and the WARC request record would keep it."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def loop_key(url: str) -> str:
    try:
        return normalize_url(url)
    except InvalidURL:
        return url


def read_raw(
    response: urllib3.BaseHTTPResponse, limit: int, seen: Callable[[int], None] | None = None
) -> tuple[bytes, bool]:
    """The body as sent (content-encoding intact), at most `limit` bytes; True if cut. `seen` is told
    the size of each piece as it arrives (so a body cut off by the deadline still says how much came)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read1(_CHUNK, decode_content=False)
        if seen is not None:
            seen(len(chunk))
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


def hop_of(url: str, exchange: Exchange, raw: bytes) -> Hop:
    response = exchange.response
    return Hop(
        url=url,
        status=response.status,
        reason=response.reason or "",
        http_version=http_version(response),
        headers=header_items(response),
        request_headers=tuple((name, recorded_value(name, value)) for name, value in exchange.request_headers),
        raw_body=raw,
    )


# Credentials sent with a request (a configured cookie or key, the cookie jar's cookies) stay out of
# the WARC request record: an archive is kept and shared, a session cookie must not travel with it.
CREDENTIAL_HEADERS = frozenset({"cookie", "authorization", "proxy-authorization"})
WITHHELD = "(withheld by linkcheck)"


def recorded_value(name: str, value: str | bytes) -> str:
    """A request header's value as the archive records it: credentials withheld."""
    if name.lower() in CREDENTIAL_HEADERS:
        return WITHHELD
    return value.decode("latin-1") if isinstance(value, bytes) else value


def header_items(response: urllib3.BaseHTTPResponse) -> tuple[tuple[str, str], ...]:
    headers = response.headers
    items: Iterator[tuple[str, str]] = headers.iteritems() if hasattr(headers, "iteritems") else iter(headers.items())
    return tuple(items)


def http_version(response: urllib3.BaseHTTPResponse) -> str:
    return {10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}.get(getattr(response, "version", 11), "HTTP/1.1")
