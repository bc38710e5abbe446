"""A self-contained readable copy opened from file:// in headless Chromium: it asks nothing of any
http(s) origin (logged and intercepted in the browser, and counted by the origin server), yet shows
the page's image, stylesheet (and its @import) as captured."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from linkcheck.archive import Archive
from linkcheck.check.client import Fetcher
from tests.archive.png import pixel
from tests.archive.test_requisite_capture import PAGE, serve_site
from tests.conftest import loopback_settings
from tests.reports.test_html_browser import CHROMIUM, CHROMIUM_ARGS, sync_api
from tests.server import LocalServer

# The red image placed where the screenshot can look for it; a live-site image and a stylesheet
# that was never captured would be the only ways for the copy to reach the server.
POSITIONED = PAGE.replace(b'width="40"', b'style="position:absolute;left:300px;top:200px" width="40"').replace(
    b"</body>", b'<img src="/never-captured.png"><link rel="stylesheet" href="/gone.css"></body>'
)


def test_readable_copy_opens_offline_and_shows_its_image(server: LocalServer, tmp_path: Path) -> None:
    serve_site(server, POSITIONED)
    server.fallback = None  # /never-captured.png and /gone.css answer 404: not captured
    fetcher = Fetcher(loopback_settings(retries=0))
    try:
        with Archive(tmp_path / "archive", fetch_requisite=fetcher.fetch) as archive:
            snapshot = archive.capture(fetcher.fetch(server.url("/story"))).snapshot
    finally:
        fetcher.close()
    assert snapshot is not None and snapshot.requisites is not None and snapshot.requisites.refused == 2
    copy = Path(snapshot.page or "") / "page.html"
    hits_after_capture = sum(server.hits.values())

    requested: list[str] = []
    intercepted: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page: Any = browser.new_page(viewport={"width": 800, "height": 600})
            page.on("request", lambda request: requested.append(request.url))

            def refuse(route: Any) -> None:
                intercepted.append(route.request.url)
                route.abort()

            page.route(re.compile(r"^(https?|wss?)://"), refuse)
            page.goto(copy.resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(300)  # late loads (fonts, background images) get their chance
            shot = page.screenshot()
            heading_colour = page.eval_on_selector("h1", "h => getComputedStyle(h).color")
            loaded = page.eval_on_selector("#red", "img => img.complete && img.naturalWidth")
            title = page.title()
            # The archive's index.html, opened from disk too, links to the same copy.
            page.goto((tmp_path / "archive" / "index.html").resolve().as_uri(), wait_until="load")
            listed = page.inner_text("tbody")
            with page.expect_navigation():
                page.click("tbody td a >> nth=0")
            reached = page.url
        finally:
            browser.close()

    assert intercepted == []
    assert [url for url in requested if not url.startswith("file:")] == []
    assert sum(server.hits.values()) == hits_after_capture  # the origin heard nothing from the copy
    assert loaded == 40 and pixel(shot, 320, 220) == (255, 0, 0)  # the captured image, rendered
    assert pixel(shot, 700, 500) != (255, 0, 0)  # and not everywhere: the screenshot is of the page
    assert heading_colour == "rgb(0, 0, 128)"  # extra.css, @imported by the saved site.css
    assert title == "With requisites"  # the page's script did not run
    assert server.url("/story") in listed and "With requisites" in listed
    assert reached == copy.resolve().as_uri()
