"""Soft-404 by comparison: what does this host answer for a page that cannot exist?"""

from __future__ import annotations

import difflib
import random
import re
import string
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from linkcheck.models import FetchResult
from linkcheck.pages import main_text_tokens

# Query parameters that never pick the page (randomising them proves nothing).
_NOT_KEYS = frozenset({"ref", "referrer", "source", "from", "lang", "hl", "fbclid", "gclid", "yclid", "share"})
_ID_LIKE = re.compile(r"\d{3,}")
_WORD = re.compile(r"\w+")
_MIN_TOKENS = 3  # a page with less visible text (an app shell drawn by script) cannot be judged


@dataclass(frozen=True)
class ProbeShape:
    """Which pages of a host one probe speaks for: all its paths, or one path keyed by a parameter."""

    origin: str  # scheme://host:port
    path: str | None = None  # set for query-keyed pages (`/more.htm`)
    parameter: str | None = None  # the parameter that picks the page (`id`)
    extension: str = ""  # for path probes: `.html` pages may be served by another handler


def probe_for(url: str, rng: random.Random) -> tuple[ProbeShape, str] | None:
    """The shape a URL belongs to and a URL of that shape that cannot exist; None for a site root.

    mil.ru keys its pages by a query value (`more.htm?id=12376355@egNews`): the digits of that
    value are randomised, not the path. Otherwise the probe is a random path on the host.
    """
    parts = urlsplit(url)
    origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    key = _key_parameter(parts.query)
    if key is not None:
        index, name, value = key
        pairs = parts.query.split("&")
        pairs[index] = f"{name}={_randomise_digits(value, rng)}"
        probe = urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(pairs), ""))
        return ProbeShape(origin, parts.path or "/", name), probe
    if parts.path.strip("/") == "" and not parts.query:
        return None  # the home page exists by definition
    extension = _extension(parts.path)
    token = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(20))
    probe = urlunsplit((parts.scheme, parts.netloc, f"/{token}{extension}", "", ""))
    return ProbeShape(origin, extension=extension.lower()), probe


def probe_shape(url: str) -> ProbeShape | None:
    """The shape probe_for would give the URL, without making a probe URL (no random draws)."""
    parts = urlsplit(url)
    origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    key = _key_parameter(parts.query)
    if key is not None:
        return ProbeShape(origin, parts.path or "/", key[1])
    if parts.path.strip("/") == "" and not parts.query:
        return None
    return ProbeShape(origin, extension=_extension(parts.path).lower())


def _extension(path: str) -> str:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if "." not in last:
        return ""
    extension = "." + last.rsplit(".", 1)[1]
    return extension if extension[1:].isalnum() and len(extension) <= 6 else ""


def _key_parameter(query: str) -> tuple[int, str, str] | None:
    """(position, name, value) of the parameter that looks like it picks the page: the one whose
    value holds the longest run of digits (an id), tracking and presentation parameters aside."""
    best: tuple[int, str, str] | None = None
    best_digits = 0
    for index, pair in enumerate(query.split("&") if query else []):
        name, _, value = pair.partition("=")
        lowered = name.lower()
        if lowered.startswith("utm_") or lowered in _NOT_KEYS:
            continue
        runs = _ID_LIKE.findall(value)
        digits = max((len(run) for run in runs), default=0)
        if digits > best_digits:
            best, best_digits = (index, name, value), digits
    return best


def _randomise_digits(value: str, rng: random.Random) -> str:
    """The same value with every digit replaced at random (never the value itself)."""
    while True:
        changed = "".join(rng.choice(string.digits) if ch.isdigit() else ch for ch in value)
        if changed != value:
            return changed


def text_similarity(a: list[str], b: list[str]) -> float:
    """How alike two token sequences are, 0..1 (difflib's ratio, with its cheap upper bounds first)."""
    if not a and not b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return matcher.quick_ratio()
    return matcher.ratio()


@dataclass(frozen=True)
class _ProbeAnswer:
    url: str
    tokens: tuple[str, ...]


class SoftNotFoundProbe:
    """Finds sites that answer 200 for pages that do not exist, by asking for one that cannot.

    For a 2xx page, the host is asked once (per ProbeShape, cached, thread-safe) for a random
    page of the same shape; if that also answers 2xx and the two pages' main text is nearly the
    same, the cited page is the site's not-found page: a soft 404. `fetch` and `rng` are passed
    in (tests give a fixed seed); the probe goes through the same fetcher, so the same guards,
    retries and deadlines apply.
    """

    def __init__(
        self,
        fetch: Callable[[str], FetchResult],
        rng: random.Random | None = None,
        threshold: float = 0.9,
    ) -> None:
        self._fetch = fetch
        self._rng = rng or random.Random()
        self._threshold = threshold
        self._lock = threading.Lock()
        self._answers: dict[ProbeShape, Future[_ProbeAnswer | None]] = {}
        self.probes_sent = 0

    def soft_404_reason(self, fetch: FetchResult, tokens: tuple[str, ...] | None = None) -> str | None:
        """Why this 2xx page is the host's answer for a nonexistent page, or None.

        `tokens` are the page's main-text words when the caller has parsed it already.
        """
        if fetch.failure is not None or not fetch.status or not 200 <= fetch.status < 300:
            return None
        page = list(tokens) if tokens is not None else main_text_tokens(fetch)
        if len(page) < _MIN_TOKENS:
            return None
        answer = self._answer_for(fetch.final_url or fetch.url)  # the host that served the page
        if answer is None or len(answer.tokens) < _MIN_TOKENS:
            return None
        similarity = text_similarity(page, list(answer.tokens))
        if similarity < self._threshold:
            return None
        return (
            f"page reads the same as the site's answer for a page that does not exist"
            f" ({answer.url}, {similarity:.0%} alike)"
        )

    def _answer_for(self, url: str) -> _ProbeAnswer | None:
        with self._lock:
            shape = probe_shape(url)
            if shape is None:
                return None
            future = self._answers.get(shape)
            owner = future is None
            if future is None:
                made = probe_for(url, self._rng)  # the random URL only for a shape not probed yet
                assert made is not None and made[0] == shape
                probe_url = made[1]
                future = self._answers[shape] = Future()
                self.probes_sent += 1
        if not owner:
            return future.result()
        try:
            probed = self._fetch(probe_url)
            answer = None
            if probed.failure is None and probed.status and 200 <= probed.status < 300:
                answer = _ProbeAnswer(probe_url, tuple(main_text_tokens(probed)))
        except BaseException as exc:
            future.set_exception(exc)
            raise
        future.set_result(answer)
        return answer
