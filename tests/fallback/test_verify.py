"""Judging a captured page with the rules that judge live pages, from literal pages."""

from __future__ import annotations

import pytest

from linkcheck.fallback.verify import Reference, capture_text, rejection
from linkcheck.models import FetchResult, Hop
from linkcheck.urls import slug_words

CITED = "https://news.example/2021/08/10/troops-gather-for-drills-in-tajikistan"
HEADLINE = "Troops gather for drills in Tajikistan, ministry says"


def captured(body: str, url: str = CITED, status: int = 200, content_type: str = "text/html") -> FetchResult:
    return FetchResult(url, url, status, headers=(("Content-Type", content_type),), body=body.encode())


def html(title: str, head: str = "", body: str = "<p>Ten thousand troops took part.</p>") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body><h1>{title}</h1>{body}</body></html>"


def test_the_right_page_passes() -> None:
    assert rejection(captured(html("Troops gather for drills in Tajikistan")), Reference(HEADLINE)) is None


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (html("Page not found"), "soft-404: page title says not found"),
        (html("Ошибка 404"), "soft-404"),
        (html("News", head='<meta http-equiv="refresh" content="0; url=/">'), "by <meta http-equiv=refresh>"),
        (html("News", head="<meta http-equiv=Refresh content='5;URL=\"https://news.example/\"'>"), "refresh"),
        (html("News", body='<script>window.location.href = "/";</script>'), "by a script"),
        (html("News", body="<script>location.replace('https://news.example/en/')</script>"), "by a script"),
        (html("News", head='<link rel="canonical" href="https://news.example/">'), "site's home page served"),
        (html("News", head='<meta property="og:url" content="https://news.example/index.html">'), "home page"),
    ],
)
def test_not_found_pages_and_home_pages_are_rejected(page: str, expected: str) -> None:
    reason = rejection(captured(page), Reference())
    assert reason is not None and expected in reason


def test_a_capture_of_a_redirect_to_the_root_is_rejected() -> None:
    moved = FetchResult(
        CITED,
        "https://news.example/",
        200,
        headers=(("Content-Type", "text/html"),),
        body=html("News").encode(),
        redirects=(Hop(CITED, 301),),
    )
    assert "deep link redirected to the site root" in (rejection(moved, Reference()) or "")


def test_redirects_to_other_pages_and_canonical_deep_links_pass() -> None:
    same = html("Troops gather", head=f'<link rel="canonical" href="{CITED}">', body="<script>location='#top'</script>")
    assert rejection(captured(same), Reference()) is None


def test_an_unrelated_title_is_rejected_against_the_headline_or_the_slug() -> None:
    other = captured(html("Weather: a sunny weekend ahead"))
    by_headline = rejection(other, Reference(HEADLINE))
    assert by_headline is not None and "unrelated" in by_headline and "Troops gather" in by_headline
    assert rejection(other, Reference(None, slug_words(CITED))) is not None
    assert rejection(other, Reference(None, None)) is None, "nothing to compare: not judged on its title"


def test_the_slug_alone_can_vouch_for_a_title() -> None:
    page = captured(html("Troops Gather for Drills in Tajikistan | News Example"))
    assert rejection(page, Reference("Read the ministry's statement here in full please", slug_words(CITED))) is None


def test_a_captured_error_status_is_never_the_copy() -> None:
    assert rejection(captured(html("Gone"), status=404), Reference()) == "archived status 404"


def test_a_pdf_is_judged_by_where_it_ended_only() -> None:
    assert rejection(captured("%PDF-1.7 ...", content_type="application/pdf"), Reference(HEADLINE)) is None


def test_slug_words_need_three_words() -> None:
    assert slug_words(CITED) == "troops gather for drills in tajikistan"
    assert slug_words("https://news.example/doc/4936744") is None
    assert slug_words("https://function.mil.ru/news_page/country/more.htm?id=1") is None
    assert slug_words("https://news.example/") is None
    assert slug_words("https://news.example/a/what-the-drills-mean.html") == "what the drills mean"


def test_the_text_of_a_capture_is_its_main_text_or_its_plain_text() -> None:
    text = capture_text(captured(html("Drills", body="<nav>Menu</nav><p>Ten   thousand troops.</p>")))
    assert text is not None and "Ten thousand troops." in text.text and "Menu" not in text.text
    plain = capture_text(captured("Ten\n thousand troops.", content_type="text/plain; charset=x-unknown"))
    assert plain is not None and plain.text == "Ten thousand troops."
    assert capture_text(captured("%PDF-1.7 ...", content_type="application/pdf")) is None
