"""Readable copies opened in headless Chromium: banner shown, relative links resolved, and whatever
the captured page tries (script before <head>, event handlers, SVG or XHTML script, a meta refresh)
neither runs nor takes the reviewer anywhere."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from linkcheck import cli
from linkcheck.archive import Archive
from tests.archive.test_archive import fetch
from tests.archive.test_hardening import HOSTILE_PAGES, SCRIPT
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
            link = page.eval_on_selector("p a", "a => a.href")
            title = page.title()
        finally:
            browser.close()
    assert server.url("/news/story") in text  # the banner names the original URL
    assert snapshot["captured_at"][:10] in text  # and the capture time
    assert "Ten thousand troops took part." in text
    assert link == server.url("/related/1")  # the page's relative links are made absolute
    assert title != "script ran"  # the archived page's script did not run
    assert errors == []


# --- pages that try to run script or leave: opened as a reviewer would, nothing happens ---------

SVG_WITH_SCRIPT = (
    "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='40' onload=\"{script}\"><title>Safe</title>"
    "<script>{script}</script><circle cx='20' cy='20' r='10'/></svg>"
)
XHTML_WITH_SCRIPT = (
    "<?xml version='1.0' encoding='utf-8'?><!-- made without <head> tools -->"
    "<html xmlns='http://www.w3.org/1999/xhtml'><head><title>Safe</title><script>{script}</script></head>"
    '<body onload="{script}"><p>Readable</p></body></html>'
)
XML_WITH_XHTML_SCRIPT = (
    "<?xml version='1.0'?><feed><title>Safe</title><html:script xmlns:html='http://www.w3.org/1999/xhtml'>"
    "{script}</html:script></feed>"
)
PAYLOADS: dict[str, tuple[str, str]] = {
    **{name: ("text/html; charset=utf-8", markup) for name, markup in HOSTILE_PAGES.items()},
    "svg with script": ("image/svg+xml", SVG_WITH_SCRIPT),
    "xhtml with script": ("application/xhtml+xml", XHTML_WITH_SCRIPT),
    "xml with xhtml script": ("application/xml", XML_WITH_XHTML_SCRIPT),
}
# What ran or navigated in copies made by inserting the policy after the first `<head` found.
ESCAPED_THE_OLD_COPY = (
    "script before head",
    "head in a comment",
    "head in the title",
    "svg with script",
    "xhtml with script",
    "xml with xhtml script",
    "meta refresh",
    "meta refresh in the body",
    "nested documents",
)
# Paths only script, a nested document or a navigation would request.
FORBIDDEN = ("/beacon", "/away", "/frame", "/object", "/embed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def opened_copy(folder: Path) -> Path:
    """The file a reviewer opens: page.html, else the payload as written."""
    if (folder / "page.html").is_file():
        return folder / "page.html"
    [payload] = folder.glob("payload.*")
    return payload


@pytest.mark.parametrize("name", ESCAPED_THE_OLD_COPY)
def test_a_hostile_capture_neither_runs_script_nor_navigates(
    name: str, browser: Any, server: LocalServer, tmp_path: Path
) -> None:
    assert_stays_inert(PAYLOADS[name], browser, server, tmp_path)


@pytest.mark.parametrize("name", sorted(set(PAYLOADS) - set(ESCAPED_THE_OLD_COPY)))
def test_what_the_policy_already_stopped_stays_stopped(
    name: str, browser: Any, server: LocalServer, tmp_path: Path
) -> None:
    """Handlers, javascript: URLs, parser tricks: the copy drops them, and the policy is a second wall."""
    assert_stays_inert(PAYLOADS[name], browser, server, tmp_path)


def assert_stays_inert(payload: tuple[str, str], browser: Any, server: LocalServer, tmp_path: Path) -> None:
    content_type, template = payload
    script = SCRIPT.replace("/beacon", server.url("/beacon"))
    body = template.replace("{script}", script).replace(SCRIPT, script).replace("/away", server.url("/away"))
    server.routes["/hostile"] = lambda h: send(h, 200, body.encode(), content_type)
    for path in FORBIDDEN:
        server.routes[path] = lambda h: send(h, 200, b"<title>pwned</title>")
    with Archive(tmp_path) as archive:
        snapshot = archive.capture(fetch(server, "/hostile")).snapshot
    assert snapshot is not None and snapshot.page is not None
    copy = opened_copy(Path(snapshot.page))

    dialogs: list[str] = []
    page: Any = browser.new_page()
    try:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(copy.resolve().as_uri())
        page.wait_for_timeout(600)  # a refresh of 0 s, a load handler or an image error would be done by now
        title, location = page.title(), page.url
    finally:
        page.close()
    assert "pwned" not in title
    assert location == copy.resolve().as_uri()
    assert {path: server.hits[path] for path in FORBIDDEN} == dict.fromkeys(FORBIDDEN, 0)
    assert dialogs == []
