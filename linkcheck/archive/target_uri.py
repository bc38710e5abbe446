"""The URI a WARC record names: an IRI or a sloppy URL made a valid RFC 3986 URI, losslessly.

WARC-Target-URI must be a URI (WARC 1.1, section 5.2): non-ASCII text is percent-encoded as UTF-8
(RFC 3987, section 3.1), the host in IDNA form, and anything else a URI cannot hold (spaces,
quotes, `<>{}|\\^`) percent-encoded. Escapes already present are kept, so applying it twice, or to
a URL that was already encoded, changes nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import idna

# RFC 3986 section 2: unreserved and sub-delims, plus what each component may also hold.
_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
_SUB_DELIMS = "!$&'()*+,;="
_USERINFO = frozenset(_UNRESERVED + _SUB_DELIMS + ":")
_HOST = frozenset(_UNRESERVED + _SUB_DELIMS)
_PATH = frozenset(_UNRESERVED + _SUB_DELIMS + ":@/")
_QUERY = frozenset(_UNRESERVED + _SUB_DELIMS + ":@/?")
_ANY = frozenset(_UNRESERVED + _SUB_DELIMS + ":@/?#[]")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


@lru_cache(maxsize=4096)  # a capture names its URL in four places (folder hash, records, metadata)
def target_uri(url: str) -> str:
    """`url` as a valid URI: `https://ru.wikipedia.org/wiki/Москва` -> `.../wiki/%D0%9C%D0%BE...`."""
    try:
        parts = urlsplit(url)
        netloc = _netloc(parts.netloc)
    except ValueError:  # an unclosed IPv6 bracket, say: no parts to trust, so escape the whole text
        return _escape(url, _ANY)
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            _escape(parts.path, _PATH),
            _escape(parts.query, _QUERY),
            _escape(parts.fragment, _QUERY),
        )
    )


def _netloc(netloc: str) -> str:
    userinfo, at, hostport = netloc.rpartition("@")
    if hostport.startswith("["):  # an IPv6 literal: already ASCII
        host, _, port = hostport.partition("]")
        host += "]"
        port = port.removeprefix(":")
    else:
        host, _, port = hostport.partition(":")
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError:
            pass  # not a valid international name: percent-encoded below, still a valid URI
    if not host.startswith("["):
        host = _escape(host, _HOST)
    encoded = (_escape(userinfo, _USERINFO) + at) + host
    return encoded + (":" + _escape(port, _HOST) if port or hostport.endswith(":") else "")


def _escape(text: str, allowed: frozenset[str]) -> str:
    """Percent-encode every character outside `allowed` as UTF-8, keeping `%XX` escapes as they are."""
    if all(ch in allowed for ch in text):
        return text
    out: list[str] = []
    position = 0
    while position < len(text):
        ch = text[position]
        if ch in allowed:
            out.append(ch)
        elif ch == "%" and _ESCAPE.match(text, position):
            out.append(text[position : position + 3])
            position += 3
            continue
        else:
            out.append("".join(f"%{byte:02X}" for byte in ch.encode("utf-8", "surrogatepass")))
        position += 1
    return "".join(out)
