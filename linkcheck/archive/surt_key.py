"""The SURT key of a plain URL, computed directly: the text the surt library gives, without its work.

surt (the Internet Archive's canonicaliser, which pywb's index keys follow) parses each URL into an
object, unescapes and re-escapes every part, runs session-id patterns, and hands a host made of
digits and dots to the system resolver (a stat of /etc/resolv.conf a URL, the interpreter lock let
go). Most cited URLs need none of that: an http(s) URL with a host of letters, digits, hyphens and
dots, a path of unreserved characters, and a plain query. For those, `plain_url_key` gives the key
surt would, from the rules surt applies:

- the host lowercased, a leading `www`, `www2.`... dropped, its labels reversed and joined by commas
  (an IPv4 address in dotted-decimal form too); the default port dropped, another kept as `:port`;
- the path lowercased, a trailing slash dropped (but `/` kept), `/` for an empty path;
- the query lowercased and its `name=value` pairs sorted (a pair without `=` sorts as its name).

Anything else (no scheme or another one, user info, a fragment, `%` escapes, `.` or `..` or empty path
segments, a host surt would resolve or decode, a query that may hold a session id, an empty query) is
None here, and the caller asks surt. tests/archive/test_surt_key.py compares both on every URL the tests
and benchmarks use and on thousands of generated ones.
"""

from __future__ import annotations

import re

_PLAIN = re.compile(
    r"(https?)://"
    r"([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)"  # host: labels, no empty one
    r"(?::([1-9][0-9]{0,4}))?"  # port, without leading zeros
    r"((?:/[A-Za-z0-9_~!$'*+,;=:@.-]*)*)"  # path: unreserved characters, sub-delims but ( ) and &
    r"(?:\?([A-Za-z0-9_~!$'()*+,;=:@./?&-]+))?",  # query, not empty
    re.ASCII,
)
_NUMERIC_HOST = re.compile(r"[0-9.]+|0[0-7.]*", re.ASCII)  # what surt hands to the resolver (or masks)
_WWW = re.compile(r"www\d*\.", re.ASCII)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SESSION_MARKS = ("sid=", "sessionid", "cfid=")  # surt strips jsessionid, phpsessid, sid, ASP and CF ids


def plain_url_key(url: str) -> str | None:
    """surt.surt(url) for a plain http(s) URL (see the module's notes), else None."""
    match = _PLAIN.fullmatch(url)
    if match is None:
        return None
    scheme, host, port, path, query = match.groups()
    host = _host(host.lower())
    if host is None:
        return None
    if "//" in path or "/./" in path or "/../" in path or path.endswith(("/.", "/..")):
        return None  # surt rewrites these segments
    if query is not None:
        query = _query(query.lower())
        if query is None:
            return None
    path = path.lower()
    if not path:
        path = "/"
    elif len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    if port is not None:
        number = int(port)
        if number > 65535:
            return None  # surt's parser refuses it
        if number != _DEFAULT_PORTS[scheme.lower()]:
            host += f":{number}"
    return f"{host}){path}" + (f"?{query}" if query is not None else "")


def _host(host: str) -> str | None:
    """The host's SURT form, or None when surt would resolve it or read it as a number."""
    if _NUMERIC_HOST.fullmatch(host):
        parts = host.split(".")
        dotted_quad = len(parts) == 4 and all(
            part.isdigit() and str(int(part)) == part and int(part) <= 255 for part in parts
        )
        if not dotted_quad or host.startswith("0"):
            return None  # octal, short or masked forms: surt rewrites them
    elif (www := _WWW.match(host)) is not None:
        host = host[www.end() :]
    return ",".join(reversed(host.split(".")))


def _query(query: str) -> str | None:
    """The query as surt keys it (pairs sorted), or None when surt could strip a session id from it."""
    if any(mark in query for mark in _SESSION_MARKS):
        return None
    pairs = sorted(tuple(pair.split("=", 1)) for pair in query.split("&"))
    return "&".join("=".join(pair) for pair in pairs)
