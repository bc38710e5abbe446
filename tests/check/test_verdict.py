"""Fetch results -> verdicts, from records built by hand; the soft-404 probe, by hand and on a real server."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from linkcheck.check.client import Fetcher
from linkcheck.check.soft404 import ProbeShape, SoftNotFoundProbe, probe_for, probe_shape, text_similarity
from linkcheck.check.verdict import check_result, soft_404_reason, verdict_for
from linkcheck.models import VERDICT_SEVERITY, FailureKind, FetchFailure, FetchResult, Hop, Verdict
from linkcheck.pages import main_text_tokens
from tests.conftest import loopback_settings
from tests.server import LocalServer, running, send

HTML = (("Content-Type", "text/html; charset=utf-8"),)


def answer(status: int, body: bytes = b"", url: str = "https://example.org/a", **fields: Any) -> FetchResult:
    """An HTML answer built by hand; `fields` are any other FetchResult fields."""
    fields.setdefault("final_url", url)
    return FetchResult(url=url, status=status, headers=HTML, body=body, **fields)


def failed(kind: str, message: str = "why") -> FetchResult:
    url = "https://example.org/a"
    return FetchResult(url, url, failure=FetchFailure(FailureKind(kind), message))


def html(title: str, *paragraphs: str, heading: str | None = None) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
        f"<nav>Home News Sport Weather Contact</nav><h1>{heading or title}</h1><main>{body}</main>"
        f"<footer>Copyright Example Media Group all rights reserved</footer></body></html>"
    ).encode()


# --- statuses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, Verdict.OK),
        (204, Verdict.OK),
        (404, Verdict.BROKEN),
        (410, Verdict.BROKEN),
        (400, Verdict.BROKEN),
        (414, Verdict.BROKEN),
        (401, Verdict.BLOCKED),
        (403, Verdict.BLOCKED),
        (407, Verdict.BLOCKED),
        (418, Verdict.BLOCKED),
        (451, Verdict.BLOCKED),
        (999, Verdict.BLOCKED),
        (405, Verdict.BLOCKED),
        (429, Verdict.RATE_LIMITED),
        (500, Verdict.SERVER_ERROR),
        (501, Verdict.SERVER_ERROR),
        (503, Verdict.SERVER_ERROR),
        (599, Verdict.SERVER_ERROR),
        (300, Verdict.BROKEN),
        (302, Verdict.BROKEN),
    ],
)
def test_status_verdicts(status: int, verdict: Verdict) -> None:
    assert verdict_for(answer(status, html("Article")))[0] is verdict


def test_method_refusals_are_never_broken() -> None:
    for status in (405, 501):
        assert verdict_for(answer(status))[0] is not Verdict.BROKEN


def test_bot_challenge_503_is_blocked() -> None:
    challenged = FetchResult("https://e.org/", "https://e.org/", 503, headers=(("cf-mitigated", "challenge"),))
    assert verdict_for(challenged)[0] is Verdict.BLOCKED


def test_accept_status_turns_a_status_into_ok() -> None:
    assert verdict_for(answer(403), accept_status=(403,)) == (Verdict.OK, None)
    assert verdict_for(answer(404), accept_status=(403,))[0] is Verdict.BROKEN


def test_rate_limited_says_how_long_it_was_asked_to_wait() -> None:
    verdict, reason = verdict_for(answer(429, retry_after_s=120.0))
    assert verdict is Verdict.RATE_LIMITED and "120s" in (reason or "")


def test_reasons_name_the_status() -> None:
    assert verdict_for(answer(404, reason="Not Found"))[1] == "HTTP 404 Not Found"
    assert verdict_for(answer(403))[1] == "HTTP 403: access denied (often bot or geo blocking)"
    assert (
        verdict_for(answer(403, reason="Forbidden"))[1]
        == "HTTP 403 Forbidden: access denied (often bot or geo blocking)"
    )


# --- failures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "verdict"),
    [
        ("timeout", Verdict.TIMEOUT),
        ("dns", Verdict.UNREACHABLE),
        ("dns-temporary", Verdict.UNREACHABLE),
        ("refused", Verdict.UNREACHABLE),
        ("reset", Verdict.UNREACHABLE),
        ("connection", Verdict.UNREACHABLE),
        ("proxy", Verdict.UNREACHABLE),
        ("tls", Verdict.TLS_ERROR),
        ("redirect-loop", Verdict.BROKEN),
        ("too-many-redirects", Verdict.BROKEN),
        ("bad-redirect", Verdict.BROKEN),
        ("invalid-url", Verdict.INVALID),
        ("private-network", Verdict.SKIPPED),
        ("unsupported-scheme", Verdict.SKIPPED),
    ],
)
def test_failure_verdicts_keep_the_message(kind: str, verdict: Verdict) -> None:
    assert verdict_for(failed(kind, "the reason")) == (verdict, "the reason")


def test_every_verdict_has_a_severity_entry() -> None:
    assert set(VERDICT_SEVERITY) == set(Verdict)


# --- soft-404 from what the page says ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("Page not found", None),
        ("404", None),
        ("Example News", "Sorry, this page no longer exists"),
        ("Страница не найдена", None),
        ("Минобороны России", "Документ не найден"),
        ("Ошибка 404", None),
    ],
)
def test_title_or_heading_saying_not_found(title: str, heading: str | None) -> None:
    assert soft_404_reason(answer(200), title, heading)
    assert verdict_for(answer(200, html(title, heading=heading)))[0] is Verdict.SOFT_404


@pytest.mark.parametrize("title", ["Found: the lost manuscripts", "Exercise Zapad-2021 begins", "Учения завершены"])
def test_ordinary_titles_are_not_soft_404(title: str) -> None:
    assert soft_404_reason(answer(200), title, title) is None


def test_non_html_is_not_parsed_for_a_title() -> None:
    pdf = FetchResult(
        "https://e.org/r.pdf",
        "https://e.org/r.pdf",
        200,
        headers=(("Content-Type", "application/pdf"),),
        body=b"%PDF-1.7 not found",
    )
    assert verdict_for(pdf)[0] is Verdict.OK


@pytest.mark.parametrize(
    ("url", "final", "soft"),
    [
        ("https://example.org/news/2021/story", "https://example.org/", True),
        ("https://example.org/news/2021/story", "https://www.example.org/en/", True),
        ("https://example.org/more.htm?id=1", "https://example.org/", True),
        ("https://example.org/news/2021/story", "https://example.org/news/", False),
        ("https://example.org/", "https://example.org/en/", False),
        # Another domain's front page (a parked or sold domain) is not the cited page either (issue 11).
        ("https://example.org/news/2021/story", "https://other.example/", True),
        ("https://example.org/news/2021/story", "https://other.example/news/", False),
    ],
)
def test_deep_link_sent_to_the_site_root(url: str, final: str, soft: bool) -> None:
    moved = answer(200, html("Home"), url=url, final_url=final, redirects=(Hop(url, 301),))
    assert (verdict_for(moved)[0] is Verdict.SOFT_404) is soft


def test_a_deep_link_sent_to_a_parked_domains_home_page_is_not_ok() -> None:
    url = "https://agency.example/reports/2021/annual.html"
    parked = answer(
        200, html("Buy this domain"), url=url, final_url="https://parking.example/", redirects=(Hop(url, 302),)
    )
    verdict, reason = verdict_for(parked)
    assert verdict is Verdict.SOFT_404 and "home page of another site" in (reason or "")


def test_check_result_carries_title_and_notes_relaxed_tls() -> None:
    result = check_result(answer(200, html("Exercise report"), tls_verified=False, attempts=2, elapsed_ms=15))
    assert result.verdict is Verdict.OK and result.page_title == "Exercise report"
    assert result.error and "relaxed" in result.error
    assert (result.attempts, result.elapsed_ms) == (2, 15)


# --- the probe: its URL ---------------------------------------------------------------------------


def test_probe_for_query_keyed_page_randomises_the_id_not_the_path() -> None:
    made = probe_for("https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews&lang=ru", random.Random(1))
    assert made is not None
    shape, probe = made
    assert shape == ProbeShape("https://function.mil.ru", "/news_page/country/more.htm", "id")
    parts = urlsplit(probe)
    assert parts.path == "/news_page/country/more.htm"
    value = parse_qs(parts.query)["id"][0]
    assert value.endswith("@egNews") and len(value) == len("12376355@egNews") and value != "12376355@egNews"
    assert value[:8].isdigit() and parse_qs(parts.query)["lang"] == ["ru"]


def test_probe_for_ignores_tracking_parameters() -> None:
    made = probe_for("https://example.org/news/story.html?utm_campaign=2021123&ref=99999", random.Random(2))
    assert made is not None
    shape, probe = made
    assert shape == ProbeShape("https://example.org", extension=".html")
    assert urlsplit(probe).query == "" and urlsplit(probe).path.endswith(".html")


def test_probe_for_a_path_is_one_random_path_per_host() -> None:
    rng = random.Random(3)
    a = probe_for("http://example.org:8080/news/2021/story", rng)
    b = probe_for("http://EXAMPLE.org:8080/about/team/", rng)
    assert a is not None and b is not None
    assert a[0] == b[0] == ProbeShape("http://example.org:8080")
    assert a[1] != b[1] and a[1].startswith("http://example.org:8080/")


def test_probe_is_deterministic_with_a_seed() -> None:
    url = "https://example.org/more.htm?id=555123"
    assert probe_for(url, random.Random(7)) == probe_for(url, random.Random(7))


def test_site_root_is_never_probed() -> None:
    assert probe_for("https://example.org/", random.Random(0)) is None
    assert probe_for("https://example.org", random.Random(0)) is None


# --- the probe: comparing text --------------------------------------------------------------------


def test_main_text_leaves_out_boilerplate_and_the_pages_own_address() -> None:
    page = answer(200, html("Doc", "Document 4936744 is missing"), url="https://example.org/doc/4936744")
    tokens = main_text_tokens(page)
    assert tokens == ["document", "is", "missing"]  # no nav, footer, title or id from the URL


def test_text_similarity() -> None:
    words = "the quick brown fox jumps over the lazy dog again and again".split()
    assert text_similarity(words, words) == 1.0
    assert text_similarity(words, words[:-1]) > 0.9
    assert text_similarity(words, "an entirely different text about naval drills in the baltic".split()) < 0.5


class FakeSite:
    """A fetch function over a dict of pages; any other URL gets `missing` (status, body)."""

    def __init__(self, pages: dict[str, bytes], missing: tuple[int, bytes]) -> None:
        self.pages = pages
        self.missing = missing
        self.requested: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, url: str) -> FetchResult:
        with self._lock:
            self.requested.append(url)
        time.sleep(0.01)
        if url in self.pages:
            return answer(200, self.pages[url], url=url)
        return answer(self.missing[0], self.missing[1], url=url)


SORRY = html("Example News", "We could not locate the material you asked for.", "Try the search box above.")


def test_probe_flags_a_page_that_reads_like_the_sites_answer_for_nothing() -> None:
    site = FakeSite({}, (200, SORRY))
    probe = SoftNotFoundProbe(site, random.Random(0))
    result = check_result(site("https://example.org/news/removed-story"), probe=probe)
    assert result.verdict is Verdict.SOFT_404
    assert "does not exist" in (result.error or "")


def test_probe_passes_real_pages_of_a_site_that_answers_200_for_everything() -> None:
    story = html("Drills", "The exercise involved two hundred ships and ran for nine days in the Baltic.")
    site = FakeSite({"https://example.org/news/drills": story}, (200, SORRY))
    probe = SoftNotFoundProbe(site, random.Random(0))
    assert check_result(site("https://example.org/news/drills"), probe=probe).verdict is Verdict.OK


def test_probe_asks_the_host_that_served_the_page() -> None:
    site = FakeSite({}, (200, SORRY))
    probe = SoftNotFoundProbe(site, random.Random(0))
    shortened = answer(200, SORRY, url="https://sho.rt/x1", final_url="https://example.org/news/gone")
    assert check_result(shortened, probe=probe).verdict is Verdict.SOFT_404
    assert [urlsplit(url).hostname for url in site.requested] == ["example.org"]


def test_probe_passes_pages_of_a_site_that_answers_404_for_nothing() -> None:
    site = FakeSite({"https://example.org/news/drills": SORRY}, (404, html("Not here")))
    probe = SoftNotFoundProbe(site, random.Random(0))
    assert check_result(site("https://example.org/news/drills"), probe=probe).verdict is Verdict.OK


def test_probe_leaves_near_empty_pages_alone() -> None:
    shell = b"<html><head><title>App</title><script>render()</script></head><body><div id=app></div></body></html>"
    site = FakeSite({}, (200, shell))
    probe = SoftNotFoundProbe(site, random.Random(0))
    assert check_result(site("https://example.org/app/route"), probe=probe).verdict is Verdict.OK


def test_probe_is_not_asked_for_failures_or_other_statuses() -> None:
    site = FakeSite({}, (200, SORRY))
    probe = SoftNotFoundProbe(site, random.Random(0))
    assert check_result(answer(404, SORRY), probe=probe).verdict is Verdict.BROKEN
    assert check_result(failed("timeout"), probe=probe).verdict is Verdict.TIMEOUT
    assert check_result(answer(200, html("Page not found")), probe=probe).verdict is Verdict.SOFT_404
    assert site.requested == []


def test_probe_is_cached_per_shape() -> None:
    site = FakeSite({}, (200, SORRY))
    probe = SoftNotFoundProbe(site, random.Random(0))
    for path in ("/a/1", "/b/2", "/c/3", "/more.htm?id=1234", "/more.htm?id=5678", "/list.htm?id=1234"):
        check_result(answer(200, SORRY, url="https://example.org" + path), probe=probe)
    check_result(answer(200, SORRY, url="https://other.example/a/1"), probe=probe)
    assert probe.probes_sent == len(site.requested) == 4  # example.org paths, two keyed paths, other host


def test_probe_is_thread_safe_one_request_per_shape() -> None:
    site = FakeSite({}, (200, SORRY))
    probe = SoftNotFoundProbe(site, random.Random(0))
    verdicts: list[Verdict] = []
    lock = threading.Lock()

    def check(n: int) -> None:
        result = check_result(answer(200, SORRY, url=f"https://example.org/story/{n}"), probe=probe)
        with lock:
            verdicts.append(result.verdict)

    threads = [threading.Thread(target=check, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert verdicts == [Verdict.SOFT_404] * 16
    assert len(site.requested) == 1


# --- the probe against a real server ----------------------------------------------------------------


ARTICLES = {
    "12376355@egNews": html("Минобороны", "Корабли Балтийского флота вышли в море для проведения учений."),
    "12377001@egNews": html("Минобороны", "Экипажи бомбардировщиков выполнили полёты над нейтральными водами."),
}
EMPTY_TEMPLATE = html("Минобороны", "Новости", "Все материалы раздела")


@pytest.fixture
def sites() -> Iterator[tuple[LocalServer, LocalServer]]:
    """127.0.0.1: mil.ru-like, pages keyed by ?id= and 200 with an empty template for unknown ids,
    200 with a sorry page for unknown paths. 127.0.0.2: an honest site with a real 404."""
    with running("127.0.0.1") as soft, running("127.0.0.2") as honest:

        def more(handler: BaseHTTPRequestHandler) -> None:
            key = parse_qs(urlsplit(handler.path).query).get("id", [""])[0]
            send(handler, 200, ARTICLES.get(key, EMPTY_TEMPLATE))

        soft.route("/news_page/more.htm")(more)
        soft.route("/about/history")(lambda h: send(h, 200, html("History", "Founded in 1802 by imperial decree.")))
        soft.fallback = lambda h: send(h, 200, SORRY)
        honest.route("/story")(lambda h: send(h, 200, SORRY))  # reads like a sorry page, but is the page
        yield soft, honest


def test_probe_on_a_real_server(sites: tuple[LocalServer, LocalServer]) -> None:
    soft, honest = sites
    fetcher = Fetcher(loopback_settings())
    probe = SoftNotFoundProbe(fetcher.fetch, random.Random(42))
    try:

        def verdict(url: str) -> Verdict:
            return check_result(fetcher.fetch(url), probe=probe).verdict

        assert verdict(soft.url("/news_page/more.htm?id=12376355@egNews")) is Verdict.OK
        assert verdict(soft.url("/news_page/more.htm?id=12377001@egNews")) is Verdict.OK
        assert verdict(soft.url("/news_page/more.htm?id=12399999@egNews")) is Verdict.SOFT_404
        assert verdict(soft.url("/about/history")) is Verdict.OK
        assert verdict(soft.url("/news/removed-story")) is Verdict.SOFT_404
        assert verdict(honest.url("/story")) is Verdict.OK
    finally:
        fetcher.close()
    probes = [path for path in soft.raw_paths if "12376355" not in path and "12377001" not in path]
    keyed = [path for path in probes if path.startswith("/news_page/more.htm?id=") and "12399999" not in path]
    assert len(keyed) == 1 and keyed[0].endswith("@egNews")  # one probe for the keyed shape, id randomised
    assert soft.hits["/news_page/more.htm"] == 4
    assert len(soft.raw_paths) == 4 + 1 + 1 + 1  # keyed pages and their probe, history, removed story, path probe
    assert len(honest.raw_paths) == 2  # the page and one probe, answered 404


def test_a_two_letter_page_is_not_a_language_root() -> None:
    from linkcheck.models import Hop

    moved = FetchResult(
        url="https://example.com/moved",
        final_url="https://example.com/ok",
        status=200,
        redirects=(Hop("https://example.com/moved", 301),),
        headers=(("Content-Type", "text/html"),),
        body=b"<html><title>A page</title></html>",
    )
    assert check_result(moved).verdict is Verdict.OK
    home = FetchResult(
        url="https://example.com/news/1",
        final_url="https://example.com/en/",
        status=200,
        redirects=(Hop("https://example.com/news/1", 301),),
        headers=(("Content-Type", "text/html"),),
        body=b"<html><title>Home</title></html>",
    )
    assert check_result(home).verdict is Verdict.SOFT_404


def test_the_page_date_is_read_for_published_after_article() -> None:
    body = (
        b'<html><head><meta property="article:published_time" content="2022-03-01T10:00:00Z">'
        b"<title>Later piece</title></head><body><h1>Later piece</h1></body></html>"
    )
    fetched = FetchResult(
        url="https://example.com/p",
        final_url="https://example.com/p",
        status=200,
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        body=body,
    )
    result = check_result(fetched)
    assert result.page_title == "Later piece"
    assert result.page_published is not None and result.page_published.isoformat() == "2022-03-01"


def test_every_failure_kind_has_a_verdict() -> None:
    for kind in FailureKind:
        verdict, reason = verdict_for(failed(kind, "the reason"))
        assert reason == "the reason" and verdict in Verdict


@pytest.mark.parametrize(
    "url",
    [
        "https://mil.ru/more.htm?id=12376355@egNews&utm_source=x",
        "https://example.org/2021/08/story.html",
        "https://example.org/a/b/",
        "https://example.org/file.tar.gzip2",
        "https://example.org/",
        "https://example.org/?",
    ],
)
def test_probe_shape_is_the_shape_probe_for_gives_without_drawing_a_random_url(url: str) -> None:
    made = probe_for(url, random.Random(1))
    assert probe_shape(url) == (made[0] if made else None)
