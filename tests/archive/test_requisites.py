"""Finding a page's requisites in markup and CSS, fetching them within a budget, and the self-contained
copy's URL rewriting (all pure: literal inputs, a fake fetch and clock)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup

from linkcheck.archive.local_copy import LocalResources, saved_requisites
from linkcheck.archive.page_tree import page_tree
from linkcheck.archive.readable_copy import ReadableCopy, readable_page
from linkcheck.archive.requisite_fetch import Gathered, RequisiteHosts, RequisiteLimits, gather_requisites
from linkcheck.archive.requisites import (
    Requisite,
    css_references,
    page_requisites,
    rewrite_css,
    srcset_candidates,
)
from linkcheck.errors import ConfigError
from linkcheck.models import FailureKind, FetchFailure, FetchResult, Hop, Requisites
from linkcheck.settings import settings_from_mapping

BASE = "http://example.org/news/story"

PAGE = """<html><head>
<link rel="stylesheet" href="/css/site.css"><link rel="icon" href="/favicon.ico">
<link rel="preload" href="/font.woff2"><script src="app.js"></script>
<style>.hero { background: url('hero.jpg') }</style></head><body>
<img src="a.png" srcset="a-1x.png 1x, /img/a-2x.png 2x">
<picture><source srcset="b.webp 480w, data:image/png;base64,AAAA 100w"><img src="b.png"></picture>
<video poster="poster.jpg"></video><div style="background-image: url(&quot;bg.gif&quot;)">x</div>
<img src="javascript:alert(1)"><img src="#frag"><img src="a.png#dup">
</body></html>"""


def test_page_requisites_are_found_each_once_stylesheets_first() -> None:
    found = page_requisites(page_tree(PAGE), BASE)
    assert [(r.url, r.kind) for r in found] == [
        ("http://example.org/css/site.css", "stylesheet"),
        ("http://example.org/news/hero.jpg", "css-resource"),
        ("http://example.org/news/bg.gif", "css-resource"),
        ("http://example.org/news/a.png", "image"),
        ("http://example.org/news/a-1x.png", "image"),
        ("http://example.org/img/a-2x.png", "image"),
        ("http://example.org/news/b.webp", "image"),
        ("http://example.org/news/b.png", "image"),
        ("http://example.org/news/poster.jpg", "image"),
        ("http://example.org/favicon.ico", "icon"),
        ("http://example.org/news/app.js", "script"),
    ]


@pytest.mark.parametrize(
    ("srcset", "expected"),
    [
        ("a.png 1x, b.png 2x", [("a.png", "1x"), ("b.png", "2x")]),
        ("a.png, b.png 2x", [("a.png", ""), ("b.png", "2x")]),
        ("a.png,b.png 2x", [("a.png,b.png", "2x")]),  # a URL runs to the next whitespace, commas and all
        ("  a.png  ", [("a.png", "")]),
        ("data:image/png;base64,AA== 1x, c.png 3x", [("data:image/png;base64,AA==", "1x"), ("c.png", "3x")]),
        ("", []),
    ],
)
def test_srcset_candidates(srcset: str, expected: list[tuple[str, str]]) -> None:
    assert srcset_candidates(srcset) == expected


CSS = """@charset "utf-8";
@import url("print.css") print; @import 'reset.css';
@font-face { font-family: F; src: url(/fonts/f.woff2) format("woff2"), url('f.ttf') }
body { background: URL( "bg.png" ) } .x { background: url(data:image/gif;base64,R0lG) }
.e { background: url(esc\\28 aped\\29.png) }"""


def test_css_references_find_imports_and_urls() -> None:
    found = css_references(CSS, "http://cdn.example/css/site.css")
    assert [(r.url, r.kind) for r in found] == [
        ("http://cdn.example/css/print.css", "stylesheet"),
        ("http://cdn.example/css/reset.css", "stylesheet"),
        ("http://cdn.example/fonts/f.woff2", "css-resource"),
        ("http://cdn.example/css/f.ttf", "css-resource"),
        ("http://cdn.example/css/bg.png", "css-resource"),
        ("http://cdn.example/css/esc(aped).png", "css-resource"),
    ]
    assert all(r.depth == 1 for r in found)


def test_rewrite_css_points_at_local_files_or_at_nothing() -> None:
    local = {"http://cdn.example/fonts/f.woff2": "f1.woff2", "http://cdn.example/css/reset.css": "r.css"}
    css = rewrite_css(CSS, "http://cdn.example/css/site.css", local.get)
    assert "@charset" not in css
    assert 'url("f1.woff2")' in css and '@import url("r.css");' in css
    assert "print.css" not in css  # an import with no local copy is gone
    assert "http" not in css and "bg.png" not in css and "f.ttf" not in css
    assert css.count('url("data:,")') == 3  # f.ttf, bg.png, esc(aped).png
    assert "url(data:image/gif;base64,R0lG)" in css  # inline data stays


def test_rewritten_css_cannot_close_a_style_element() -> None:
    css = rewrite_css("a{background:url(x.png)}", BASE, lambda url: '</style><script>x</script>"')
    assert "<" not in css and '"' not in css.split('url("', 1)[1].split('")', 1)[0]


# --- the copy's URLs ------------------------------------------------------------------------------


def test_copy_points_requisites_at_local_files_and_drops_the_rest() -> None:
    local = {
        "http://example.org/css/site.css": "page_files/s.css",
        "http://example.org/news/a.png": "page_files/a.png",
        "http://example.org/img/a-2x.png": "page_files/a2.png",
        "http://example.org/favicon.ico": "page_files/i.ico",
        "http://example.org/news/hero.jpg": "page_files/h.jpg",
    }
    page = PAGE.replace("</body>", '<a href="../other" ping="/p">o</a></body>')
    html = readable_page(page, BASE, BASE, BASE, "now", local)
    soup = BeautifulSoup(html, "lxml")
    assert [link.get("href") for link in soup.find_all("link")] == ["page_files/s.css", "page_files/i.ico"]
    first = soup.find_all("img")[0]
    assert first["src"] == "page_files/a.png" and first["srcset"] == "page_files/a2.png 2x"  # a-1x.png: not saved
    assert soup.find("source")["srcset"] == "data:image/png;base64,AAAA 100w"  # type: ignore[index]
    assert [img.get("src") for img in soup.find_all("img")[1:]] == [None, None, "#frag", "page_files/a.png"]
    assert soup.find("video").get("poster") is None  # type: ignore[union-attr]
    assert 'url("page_files/h.jpg")' in html and "url(&quot;data:,&quot;)" in html  # <style> and style=""
    assert soup.find("a", string="o")["href"] == "http://example.org/other"  # type: ignore[index]
    assert soup.find("a", string="o").get("ping") is None  # type: ignore[union-attr]
    loading = ("src", "srcset", "poster", "background", "data")
    for tag in soup.find_all(True):
        for name in loading:
            assert "example.org" not in str(tag.get(name) or ""), (tag.name, name)
        if tag.name == "link":
            assert "example.org" not in str(tag.get("href"))


def test_links_that_would_load_are_dropped_and_others_made_absolute() -> None:
    page = (
        '<link rel="preconnect" href="https://cdn.example"><link rel="dns-prefetch" href="//t.example">'
        '<link rel="canonical" href="/c"><link rel="stylesheet" href="/missing.css" integrity="sha384-x"'
        ' crossorigin><svg><image href="/i.png"/><use href="#sym"/></svg><body background="/bg.png">'
    )
    soup = BeautifulSoup(readable_page(page, BASE, BASE, BASE, "now"), "lxml")
    assert [(link["rel"], link.get("href")) for link in soup.find_all("link")] == [
        (["canonical"], "http://example.org/c")
    ]
    assert soup.find("image").get("href") is None  # type: ignore[union-attr]
    assert soup.find("use")["href"] == "#sym"  # type: ignore[index]
    assert soup.find("body").get("background") is None  # type: ignore[union-attr]


def test_a_saved_stylesheet_loses_integrity_and_crossorigin() -> None:
    local = LocalResources(BASE, {"http://example.org/s.css": "page_files/s.css"})
    tree = page_tree('<link rel="stylesheet" href="/s.css" integrity="sha384-x" crossorigin="anonymous">')
    link = next(tree.iter("link"))
    assert local.attribute(link, "integrity", "sha384-x") is None
    assert local.attribute(link, "crossorigin", "anonymous") is None
    assert local.attribute(link, "href", "/s.css") == "page_files/s.css"


# --- fetching within the budget ---------------------------------------------------------------------


def answer(url: str, body: bytes = b"x", content_type: str = "image/png", status: int = 200) -> FetchResult:
    headers = (("Content-Type", content_type),)
    return FetchResult.answered(url, Hop(url, status, "OK", headers=headers, raw_body=body), body=body)


def fake_fetch(pages: dict[str, FetchResult], asked: list[str]) -> Callable[[str], FetchResult]:
    def fetch(url: str) -> FetchResult:
        asked.append(url)
        return pages.get(url) or answer(url)

    return fetch


def images(count: int) -> list[Requisite]:
    return [Requisite(f"http://example.org/{n}.png", "image") for n in range(count)]


def test_the_count_cap_cuts_the_page() -> None:
    asked: list[str] = []
    gathered = gather_requisites(images(120), fake_fetch({}, asked), RequisiteLimits(max_count=60))
    assert len(asked) == 60 and gathered.counts == Requisites(60, 0, True)


def test_all_within_the_cap_is_not_cut() -> None:
    gathered = gather_requisites(images(5), fake_fetch({}, []), RequisiteLimits(max_count=5))
    assert gathered.counts == Requisites(5, 0, False)


def test_the_byte_cap_cuts_the_page_before_the_file_that_would_pass_it() -> None:
    pages = {f"http://example.org/{n}.png": answer(f"http://example.org/{n}.png", b"y" * 400) for n in range(5)}
    gathered = gather_requisites(images(5), fake_fetch(pages, []), RequisiteLimits(max_bytes=1000))
    assert gathered.counts == Requisites(2, 0, True)


def test_the_time_budget_cuts_the_page() -> None:
    now = [0.0]

    def slow(url: str) -> FetchResult:
        now[0] += 4.0
        return answer(url)

    gathered = gather_requisites(images(10), slow, RequisiteLimits(max_seconds=10.0), clock=lambda: now[0])
    assert gathered.counts == Requisites(3, 0, True)


def test_failures_and_error_statuses_are_refused() -> None:
    refused = FetchResult(
        "http://example.org/0.png",
        "http://example.org/0.png",
        failure=FetchFailure(FailureKind.PRIVATE_NETWORK, "refused: private address"),
    )
    pages = {
        "http://example.org/0.png": refused,
        "http://example.org/1.png": answer("http://example.org/1.png", status=404),
    }
    gathered = gather_requisites(images(3), fake_fetch(pages, []), RequisiteLimits())
    assert gathered.counts == Requisites(1, 2, False)


def test_a_stylesheets_own_requisites_come_right_after_it_one_level_deep() -> None:
    css = answer("http://example.org/s.css", b"@import 'more.css'; body{background:url(bg.png)}", "text/css")
    more = answer("http://example.org/more.css", b"p{background:url(deeper.png)}", "text/css")
    asked: list[str] = []
    found = [Requisite("http://example.org/s.css", "stylesheet"), *images(1)]
    fetch = fake_fetch({css.url: css, more.url: more}, asked)
    gather_requisites(found, fetch, RequisiteLimits())
    assert asked == [
        "http://example.org/s.css",
        "http://example.org/more.css",
        "http://example.org/bg.png",
        "http://example.org/0.png",
    ]  # deeper.png (named by an imported sheet) is two levels down: not fetched


def test_host_spacing_keeps_starts_apart_per_host() -> None:
    now, slept = [0.0], []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    spacing = RequisiteHosts(2.0, clock=lambda: now[0], sleep=sleep)
    spacing.wait("a.example")
    spacing.wait("b.example")
    spacing.wait("a.example")
    assert slept == [2.0]


def test_a_host_that_stops_answering_is_given_up_for_the_run() -> None:
    asked: list[str] = []

    def fetch(url: str) -> FetchResult:
        asked.append(url)
        if url.startswith("http://down.example/"):
            return FetchResult(url, url, failure=FetchFailure(FailureKind.TIMEOUT, "timed out"))
        return answer(url)

    hosts = RequisiteHosts(failure_limit=3)
    down = [Requisite(f"http://down.example/{n}.png", "image") for n in range(5)]
    first = gather_requisites([*down, *images(1)], fetch, RequisiteLimits(), hosts)
    assert first.counts == Requisites(1, 5, False) and len(asked) == 4  # 3 timeouts, then not asked
    second = gather_requisites(down[:2], fetch, RequisiteLimits(), hosts)  # the next page: still given up
    assert second.counts == Requisites(0, 2, False) and len(asked) == 4


def test_saved_files_are_named_by_content_and_stylesheets_rewritten() -> None:
    css = answer("http://example.org/s.css", b"body{background:url(bg.png)} i{background:url(gone.png)}", "text/css")
    png = answer("http://example.org/bg.png", b"PNGDATA")
    svg = answer("http://example.org/logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")
    script = answer("http://example.org/app.js", b"alert(1)", "text/javascript")
    saved = saved_requisites(Gathered([css, png, svg, script]))
    png_name = saved.local["http://example.org/bg.png"]
    assert png_name.startswith("page_files/") and png_name.endswith(".png")
    assert saved.files[png_name] == b"PNGDATA"
    assert saved.local["http://example.org/logo.svg"].startswith("data:image/svg+xml;base64,")
    assert "http://example.org/app.js" not in saved.local  # a script is kept in the WARC only
    stylesheet = saved.files[saved.local["http://example.org/s.css"]].decode()
    assert f'url("{png_name.removeprefix("page_files/")}")' in stylesheet and 'url("data:,")' in stylesheet
    assert not any(name.endswith((".svg", ".js", ".html")) for name in saved.files)


def test_noarchive_page_asks_for_no_requisites() -> None:
    body = b'<html><head><meta name="robots" content="noarchive"></head><body><img src="/a.png"></body></html>'
    calls: list[str] = []

    def saver(soup: object, base: str) -> object:
        calls.append(base)
        raise AssertionError("must not be called")

    page = answer(BASE, body, "text/html")
    copy = ReadableCopy.of(page, "now", saver, respect_noarchive=True)  # type: ignore[arg-type]
    assert copy.noarchive and copy.requisites is None and calls == []


@pytest.mark.parametrize("key", ["max_requisites", "max_requisite_bytes", "max_requisite_seconds"])
def test_a_negative_requisite_budget_is_a_configuration_error(key: str) -> None:
    with pytest.raises(ConfigError, match=rf"\[snapshot\].*{key}"):
        settings_from_mapping({"snapshot": {key: -1}}, "config.toml")


def test_the_limits_come_from_the_snapshot_and_check_settings() -> None:
    settings = settings_from_mapping(
        {"snapshot": {"max_requisites": 7, "max_requisite_bytes": 99}, "check": {"per_host_delay": 0.5}}
    )
    assert RequisiteLimits.of(settings) == RequisiteLimits(7, 99, 30.0, 0.5, 3)
