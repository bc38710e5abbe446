"""Pure URL helpers: normalization, host validation and dates embedded in URLs."""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

import idna

DEFAULT_PORTS = {"http": 80, "https": 443}
FETCHABLE_SCHEMES = ("http", "https")
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_MIN_YEAR, _MAX_YEAR = 1990, 2100


class InvalidURL(ValueError):
    """The text cannot be used as an http(s) URL; the message says why."""


def normalize_url(url: str) -> str:
    """The key a URL is fetched and deduplicated by.

    Lowercase scheme and host, IDNA host, default port, fragment and dot segments dropped;
    the query is kept byte for byte (`?id=12376355@egNews` must not become `%40egNews`).
    """
    text = url.strip()
    plain = _PLAIN_URL.fullmatch(text)
    if plain and "\t" not in text and "\n" not in text and "\r" not in text:
        scheme, host, path, query = plain.groups()
        normalized = f"{scheme}://{normalize_host(host)}{remove_dot_segments(path or '') or '/'}"
        return f"{normalized}?{query}" if query else normalized
    return _normalize_split(text)


# An http(s) URL with a plain host (lowercase letters, digits, dots and hyphens: no user, port or IPv6
# brackets) and no tab or newline (which urlsplit drops): urlsplit would split it into exactly these
# groups and urlunsplit put them back as normalize_url writes them, so one match does both (a harvest
# normalizes every link).
_PLAIN_URL = re.compile(r"(https?)://([a-z0-9.-]+)(/[^?#]*)?(?:\?([^#]*))?(?:#.*)?", re.DOTALL)


def _normalize_split(text: str) -> str:
    """normalize_url of a stripped URL, by urlsplit."""
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise InvalidURL(f"cannot parse URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in FETCHABLE_SCHEMES:
        if not scheme:
            raise InvalidURL("URL has no scheme")
        return text
    userinfo, host, port = split_netloc(parts.netloc)
    host = normalize_host(host)
    netloc = host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{port}"
    if userinfo is not None:
        netloc = f"{userinfo}@{netloc}"
    path = remove_dot_segments(parts.path) or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def split_netloc(netloc: str) -> tuple[str | None, str, int | None]:
    """(userinfo, host, port) of a netloc; the port checked to be a number in range."""
    userinfo = None
    if "@" in netloc:
        userinfo, netloc = netloc.rsplit("@", 1)
    port_text = None
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            raise InvalidURL("unclosed '[' in IPv6 host")
        host, rest = netloc[: end + 1], netloc[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise InvalidURL(f"unexpected text after IPv6 host: {rest!r}")
            port_text = rest[1:]
    elif ":" in netloc:
        host, port_text = netloc.rsplit(":", 1)
    else:
        host = netloc
    port = None
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise InvalidURL(f"invalid port {port_text!r}")
        port = int(port_text)
    return userinfo, host, port


def normalize_host(host: str) -> str:
    """Lowercase ASCII (IDNA) form of a host, or InvalidURL saying what is wrong with it."""
    if not host:
        raise InvalidURL("URL has no host")
    if host.startswith("["):
        try:
            return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        except ValueError:
            raise InvalidURL(f"invalid IPv6 address {host!r}") from None
    host = host.rstrip(".").lower()
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise InvalidURL(f"invalid international host name {host!r}: {exc}") from None
    if len(host) > 253 or not all(_LABEL.match(label) for label in host.split(".")):
        raise InvalidURL(f"invalid host name {host!r}")
    if host.replace(".", "").isdigit():
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise InvalidURL(f"invalid IPv4 address {host!r}") from None
    return host


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: resolve `.` and `..` in a path."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result


# An http(s) URL whose host is plain lowercase letters, digits, dots and hyphens, ended by a path, query,
# fragment or the end: its host is exactly what urlsplit would give, read without parsing the rest.
_PLAIN_HOST = re.compile(r"https?://([a-z0-9.-]+)(?:[/?#]|\Z)")


# Sized above the URLs of a large run: the anomaly rules and RDAP ask for each URL's host again after
# the checks, and a smaller cache cycled through 100,000 URLs misses every time.
@functools.lru_cache(maxsize=1 << 18)
def host_of(url: str) -> str:
    """The lowercase host of a URL, or '' when it has none."""
    plain = _PLAIN_HOST.match(url)
    if plain:
        return plain.group(1)
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_deep_link(url: str) -> bool:
    """A link to something below a site's home page: a path or a query."""
    parts = urlsplit(url)
    return parts.path.strip("/") != "" or bool(parts.query)


def is_home_page(url: str) -> bool:
    """The site root, its index page, or a bare language root written with its slash ("/en/").

    "/ok" or "/tv" are ordinary pages: a language root needs the trailing slash.
    """
    parts = urlsplit(url)
    path = parts.path.strip("/")
    language_root = bool(re.fullmatch(r"[a-z]{2}(-[a-z]{2})?", path, re.I)) and parts.path.endswith("/")
    return not parts.query and (path == "" or language_root or path.lower() in ("index.html", "index.php"))


def is_fetchable(url: str) -> bool:
    return urlsplit(url).scheme.lower() in FETCHABLE_SCHEMES


@dataclass(frozen=True)
class UrlDate:
    """A date found inside a URL, with the text that showed it."""

    date: dt.date
    precision: str  # day | month
    evidence: str


_PATH_YMD = re.compile(r"(?<![^/])(\d{4})/(\d{1,2})/(\d{1,2})(?=/|$)")
# Not the year and month of a /YYYY/MM/DD shape whose day is impossible (/2021/02/30/ is no date).
_PATH_YM = re.compile(r"(?<![^/])(\d{4})/(\d{1,2})(?=/|$)(?!/\d{1,2}(?:/|$))")
_ISO_IN_SEGMENT = re.compile(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)")
_COMPACT_IN_SEGMENT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_QUERY_DATE = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_QUERY_DATE_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DATE_PARAM = re.compile(r"date|day|(?:^|[^a-z])(?:d|dt|from|to|since|until|pub|published)(?:$|[^a-z])", re.I)


def dates_in_url(url: str) -> list[UrlDate]:
    """Dates embedded in a URL's path or query values; numeric ids are not dates.

    `/2026/04/03/slug`, `/2021/08/`, `report-2021-08-10.pdf`, `/20210810/` and `?date=2021-08-10`
    hold dates; `more.htm?id=12376355@egNews` and `/doc/4936744` do not.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found: list[UrlDate] = []
    path = parts.path
    consumed: list[tuple[int, int]] = []
    for match in _PATH_YMD.finditer(path):
        day = _make_date(match.group(1), match.group(2), match.group(3))
        if day:
            found.append(UrlDate(day, "day", match.group(0)))
            consumed.append(match.span())
    for match in _PATH_YM.finditer(path):
        if any(start <= match.start() < end for start, end in consumed):
            continue
        day = _make_date(match.group(1), match.group(2), "1")
        if day:
            found.append(UrlDate(day, "month", match.group(0)))
            consumed.append(match.span())
    for segment in path.split("/"):
        for pattern in (_ISO_IN_SEGMENT, _COMPACT_IN_SEGMENT):
            for match in pattern.finditer(segment):
                day = _make_date(*match.groups())
                if day and not any(d.date == day and d.precision == "day" for d in found):
                    found.append(UrlDate(day, "day", match.group(0)))
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        value = value.strip()
        for pattern in _QUERY_DATE:
            whole = pattern.match(value)
            # Eight bare digits are as often an id (?id=20210810) as a date: trust the name.
            if pattern is _QUERY_DATE[1] and not _DATE_PARAM.search(name):
                continue
            if whole and (day := _make_date(*whole.groups())):
                found.append(UrlDate(day, "day", f"{name}={value}"))
        dmy = _QUERY_DATE_DMY.match(value)
        if dmy and (day := _make_date(dmy.group(3), dmy.group(2), dmy.group(1))):
            found.append(UrlDate(day, "day", f"{name}={value}"))
    return found


def _make_date(year: str, month: str, day: str) -> dt.date | None:
    y, m, d = int(year), int(month), int(day)
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def is_url_source(source: str) -> bool:
    """Whether a SOURCE argument names an online article rather than a file."""
    return bool(re.match(r"^https?://", source, re.I))


_SLUG_WORD = re.compile(r"[^\W\d_]{2,}")
_MIN_SLUG_WORDS = 3


def slug_words(url: str) -> str | None:
    """The words of the URL's last path segment (`drills-in-tajikistan.html`), if there are enough."""
    segments = [segment for segment in urlsplit(url).path.split("/") if segment]
    if not segments:
        return None
    last = unquote(segments[-1]).rsplit(".", 1)[0] if "." in segments[-1] else unquote(segments[-1])
    words = _SLUG_WORD.findall(last)
    return " ".join(words) if len(words) >= _MIN_SLUG_WORDS else None
