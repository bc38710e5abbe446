"""A readable copy from a run, opened in headless Chromium: banner shown, relative links resolved,
the page's own scripts kept from running."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from linkcheck import cli
from tests.reports.test_html_browser import CHROMIUM, CHROMIUM_ARGS, sync_api
from tests.server import LocalServer, send

ARTICLE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Joint exercises</title></head><body>"
    b"<h1>Joint exercises</h1><p>Ten thousand troops took part. <a href='/related/1'>Related</a></p>"
    b"<script>document.title = 'script ran'</script></body></html>"
)


def test_a_readable_copy_opens_in_a_browser(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKCHECK_CONFIG", raising=False)
    server.routes["/news/story"] = lambda h: send(h, 200, ARTICLE_PAGE)
    (tmp_path / "config.toml").write_text("[check]\nallow_private_networks = true\nretries = 0\n")
    (tmp_path / "a.txt").write_text(f"10 August 2021\nSource: {server.url('/news/story')}\n")
    result = CliRunner().invoke(cli.app, ["run", "a.txt", "--out", "out"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    snapshot = json.loads((tmp_path / "out" / "report.json").read_text())["articles"][0]["citations"][0]["snapshot"]
    copy = Path(snapshot["page"]) / "page.html"

    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page: Any = browser.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(copy.resolve().as_uri())
            text = page.inner_text("body")
            link = page.eval_on_selector("a[href='/related/1']", "a => a.href")
            title = page.title()
        finally:
            browser.close()
    assert server.url("/news/story") in text  # the banner names the original URL
    assert snapshot["captured_at"][:10] in text  # and the capture time
    assert "Ten thousand troops took part." in text
    assert link == server.url("/related/1")  # <base href> resolves the page's relative links
    assert title != "script ran"  # the archived page's script did not run
    assert errors == []
