"""report.html in headless Chromium: filters, sorting and search work from file://, with no console errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linkcheck.reports import html
from linkcheck.reports.formats import WRITERS, ReportOptions
from tests.reports.test_quotes import HOSTILE
from tests.reports.test_quotes import a_run as quotes_run
from tests.reports.test_reports import MIL_RU, MOSCOW_TIMES, OPTIONS, example_run, hostile_run, sample_run

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "report-screenshot.png"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


class Report:
    """An open report page, with the console errors and page errors it produced."""

    def __init__(self, browser: Any, path: Path, width: int = 1400) -> None:
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("#citations tbody tr[data-verdict]", state="attached")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        """An alert() would mean injected script ran: record it and dismiss it."""
        self.errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def column(self, index: int) -> list[str]:
        return self.page.eval_on_selector_all(
            "#citations tbody tr[data-verdict]", f"rows => rows.map(r => r.cells[{index}].textContent)"
        )

    def visible(self, attribute: str = "data-verdict") -> list[str]:
        return self.page.eval_on_selector_all(
            "#citations tbody tr[data-verdict]",
            f"rows => rows.filter(r => !r.hidden && r.offsetParent !== null).map(r => r.getAttribute('{attribute}'))",
        )

    def visible_urls(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#citations tbody tr[data-verdict]",
            "rows => rows.filter(r => !r.hidden).map(r => r.cells[2].firstChild.textContent)",
        )


def _write(tmp_path: Path, run: Any, options: ReportOptions = OPTIONS) -> Path:
    return WRITERS["html"](run, tmp_path, options)


def test_filters_sorting_and_search(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, _write(tmp_path, sample_run()))
    page = report.page
    assert len(report.visible()) == 8
    assert page.text_content("#shown") == "Showing 8 of 8 citations"

    page.select_option("#filter-verdict", "ok")
    assert report.visible() == ["ok", "ok", "ok", "ok"]
    page.select_option("#filter-verdict", "")

    page.select_option("#filter-domain", "function.mil.ru")
    assert report.visible() == ["blocked"]
    page.select_option("#filter-domain", "")

    page.select_option("#filter-article", "docs/notes | draft.md")
    assert report.visible() == ["broken", "skipped", "ok"]
    page.select_option("#filter-article", "")

    # One click on the headline badge leaves exactly the future-dated citation.
    page.select_option("#filter-verdict", "broken")
    page.click('button.badge[data-anomaly="future-dated-url"]')
    assert report.visible_urls() == [MOSCOW_TIMES]
    assert page.input_value("#filter-anomaly") == "future-dated-url"
    assert page.input_value("#filter-verdict") == ""

    page.click("#reset")
    page.click('th[data-key="status"] button')
    statuses = report.column(4)
    assert statuses == ["200", "200", "200", "200", "403", "404", "", ""], "ascending, blanks last"
    assert page.get_attribute('th[data-key="status"]', "aria-sort") == "ascending"
    page.click('th[data-key="status"] button')
    statuses = report.column(4)
    assert statuses == ["404", "403", "200", "200", "200", "200", "", ""]
    page.click('th[data-key="streak"] button')
    streaks = report.column(8)
    assert streaks[:4] == ["0", "1", "3", "4dead"]

    page.fill("#search", "kommersant")
    assert report.visible() == ["ok"]
    page.fill("#search", "TAJIK border")
    assert report.visible() == ["ok"], "search is case-insensitive and covers the context"
    page.fill("#search", "no such text anywhere")
    assert report.visible() == []
    assert page.is_visible("tr.empty")
    page.fill("#search", "")
    assert len(report.visible()) == 8
    assert report.errors == []


def test_archived_copy_beside_the_verdict_and_its_filter(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, _write(tmp_path, sample_run()))
    page = report.page
    page.select_option("#filter-archived", "found")
    assert report.visible() == ["blocked", "ok"]
    links = page.eval_on_selector_all(
        "#citations tbody tr:not([hidden]) td:nth-child(4) a", "links => links.map(a => [a.textContent, a.href])"
    )
    assert links == [
        ["archived copy 2021-08-09", f"https://web.archive.org/web/20210809120005/{MIL_RU}"],
        [
            "archived copy 2021-09-01",
            "file:///srv/linkcheck/archive/pages/short.example/5d1e0c/20210901080000/page.html",
        ],
    ]
    shown_verdict = "#citations tbody tr:not([hidden]) td:nth-child(4)"
    page.select_option("#filter-archived", "none")
    assert report.visible() == ["broken"]
    assert "no archived copy (1 capture rejected)" in page.text_content(shown_verdict)
    page.select_option("#filter-archived", "lookup-failed")
    assert report.visible() == ["timeout"]
    assert "HTTP 429 3 times in a row" in page.text_content(shown_verdict)
    page.click("#reset")
    assert len(report.visible()) == 8
    assert report.errors == []


def test_verdict_bar_filters_in_one_click(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, _write(tmp_path, sample_run()))
    report.page.click('button[data-verdict-filter="blocked"]')
    assert report.visible() == ["blocked"]
    assert report.errors == []


def test_links_and_capture(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, _write(tmp_path, sample_run()))
    hrefs = report.page.eval_on_selector_all("#citations tbody a", "links => links.map(a => a.getAttribute('href'))")
    assert MOSCOW_TIMES in hrefs
    assert "mailto:desk@example.org" not in hrefs
    assert any(h.startswith("file:///srv/linkcheck/archive/pages/www.kommersant.ru/") for h in hrefs)
    assert report.errors == []


def test_hostile_text_stays_text(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, _write(tmp_path, hostile_run()))
    page = report.page
    assert page.evaluate("document.scripts.length") == 2, "no script element came from the data"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith(("https://", "http://", "file://")) for h in hrefs)
    assert page.locator("td", has_text="javascript:alert(1)").count() >= 1, "shown as text"
    assert "<script>alert(1)</script>" in page.text_content("#citations tbody")
    assert report.errors == [], "no alert dialog, no error"


def test_screenshot_of_the_example_run(browser: Any, tmp_path: Path) -> None:
    """A screenshot of the three example citations; UPDATE_GOLDEN=1 (or a missing file) refreshes docs/."""
    path = _write(tmp_path, example_run(), ReportOptions(archive_dir=Path("/srv/linkcheck/archive")))
    report = Report(browser, path, width=1400)
    shot = tmp_path / "report-screenshot.png"
    report.page.screenshot(path=str(shot), full_page=True)
    assert report.errors == []
    assert shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_GOLDEN") == "1" or not SCREENSHOT.exists():
        SCREENSHOT.parent.mkdir(exist_ok=True)
        SCREENSHOT.write_bytes(shot.read_bytes())


def test_render_matches_writer(tmp_path: Path) -> None:
    assert _write(tmp_path, example_run()).read_text(encoding="utf-8") == html.render(example_run(), OPTIONS)


def test_quotes_show_found_not_found_and_not_compared_as_text(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, _write(tmp_path, quotes_run()))
    page = report.page
    states = page.eval_on_selector_all(
        "#citations tbody .quote", "quotes => quotes.map(q => [q.className, q.textContent])"
    )
    assert [state for state, _ in states] == [
        "small quote quote-found",
        "small quote quote-missing",
        "small quote quote-unknown",
    ]
    assert states[0][1].startswith("\u2713 quote found in the archived copy: We will hold")
    assert states[1][1].startswith("\u2717 quote not found: The troops will stay | *in place*")
    assert states[2][1] == "quote not compared: " + HOSTILE
    color = "q => getComputedStyle(q).color"
    assert page.eval_on_selector(".quote-missing", color) != page.eval_on_selector(".quote-found", color)
    assert page.evaluate("document.scripts.length") == 2, "the quoted <script> stays text"
    page.fill("#search", "snow")
    assert report.visible() == ["ok"]
    assert report.errors == []
