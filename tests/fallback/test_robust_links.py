"""Robust Links written into articles, from literal documents and copies; and `linkcheck annotate`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from linkcheck import cli
from linkcheck.fallback import annotate
from linkcheck.harvest import harvest
from linkcheck.models import ArchivedCopy, Article, CopyStatus, Document, SourceKind
from tests.fallback.fake_wayback import FakeWayback
from tests.fallback.helpers import page
from tests.server import LocalServer, send

AUG9 = dt.datetime(2021, 8, 9, 12, 0, 5, tzinfo=dt.UTC)


def found(url: str, archive: str = "https://web.archive.org") -> ArchivedCopy:
    playback = f"{archive}/web/20210809120005/{url}" if archive.startswith("http") else archive
    return ArchivedCopy(CopyStatus.FOUND, url=playback, archived_at=AUG9, archive="web.archive.org", verified=True)


COPIES = {
    "https://news.example/a": found("https://news.example/a"),
    "https://news.example/b": found("https://news.example/b"),
    "https://news.example/c?x=1&y=2": found("https://news.example/c?x=1&y=2"),
    "https://news.example/rel/d": found("https://news.example/rel/d"),
    "https://news.example/e/": found("https://news.example/e/"),
    "https://news.example/local": found("https://news.example/local", "/srv/archive/pages/x/page.html"),
    "https://news.example/none": ArchivedCopy(CopyStatus.NONE),
}

HTML = """<html><head><meta property="article:published_time" content="2021-08-10">
<base href="https://news.example/">
</head><body><article>
<p>As <a href="https://news.example/a" class="x">the ministry said</a>, see
<a href='https://news.example/b'/>self-closing</a>, <A HREF=https://news.example/c?x=1&amp;y=2>unquoted</A>,
<a href="/rel/d">a relative link</a>, <a href="https://news.example/none">no copy</a>,
<a href="https://news.example/local">a local copy only</a>, <a href=https://news.example/e/>a slash</a> and
<a href="https://news.example/a" data-versionurl="https://other.example/copy">annotated already</a>.</p>
<!-- <a href="https://news.example/a">in a comment</a> -->
<script>var s = '<a href="https://news.example/a">';</script>
</article></body></html>
"""


def html_document(text: str = HTML) -> Document:
    return Document("article.html", SourceKind.HTML, text.encode("utf-8"))


def test_html_anchors_get_robust_link_attributes_and_nothing_else_changes() -> None:
    document = html_document()
    out = annotate(document, harvest(document), COPIES)
    assert out is not None
    text = out.decode("utf-8")
    wb = "https://web.archive.org/web/20210809120005/"
    date = 'data-versiondate="2021-08-10"'
    assert (
        f'<a href="https://news.example/a" class="x" data-originalurl="https://news.example/a"'
        f' data-versionurl="{wb}https://news.example/a" {date}>the ministry said</a>'
    ) in text
    assert (
        f"<a href='https://news.example/b' data-originalurl=\"https://news.example/b\""
        f' data-versionurl="{wb}https://news.example/b" {date}/>'
    ) in text
    assert (
        '<A HREF=https://news.example/c?x=1&amp;y=2 data-originalurl="https://news.example/c?x=1&amp;y=2"'
        f' data-versionurl="{wb}https://news.example/c?x=1&amp;y=2" {date}>unquoted</A>'
    ) in text
    assert f'<a href="/rel/d" data-originalurl="https://news.example/rel/d" data-versionurl="{wb}' in text
    assert '<a href="https://news.example/none">no copy</a>' in text
    assert f'<a href=https://news.example/e/ data-originalurl="https://news.example/e/" data-versionurl="{wb}' in text
    assert '<a href="https://news.example/local">a local copy only</a>' in text
    assert '<a href="https://news.example/a" data-versionurl="https://other.example/copy">annotated' in text
    assert '<!-- <a href="https://news.example/a">in a comment</a> -->' in text
    assert "var s = '<a href=\"https://news.example/a\">';" in text
    # Taking the added attributes out gives the article back byte for byte.
    stripped = text
    for anchor in BeautifulSoup(text, "html.parser").find_all(attrs={"data-originalurl": True}):
        for name in ("data-originalurl", "data-versionurl", "data-versiondate"):
            stripped = stripped.replace(f' {name}="{anchor[name].replace("&", "&amp;")}"', "", 1)
    assert stripped == HTML


def test_annotating_twice_changes_nothing() -> None:
    document = html_document()
    once = annotate(document, harvest(document), COPIES)
    assert once is not None
    again_document = Document("article.html", SourceKind.HTML, once)
    assert annotate(again_document, harvest(again_document), COPIES) == once


def test_an_undated_article_gets_no_version_date() -> None:
    document = html_document('<p><a href="https://news.example/a">x</a></p>')
    out = annotate(document, harvest(document), COPIES)
    assert out is not None and b"data-versionurl" in out and b"data-versiondate" not in out


def test_other_encodings_are_kept() -> None:
    text = '<meta charset="windows-1251"><p>Заявление <a href="https://news.example/a">министерства</a></p>'
    document = Document("a.html", SourceKind.HTML, text.encode("cp1251"))
    out = annotate(document, harvest(document), COPIES)
    assert out is not None
    assert out.decode("cp1251").startswith('<meta charset="windows-1251"><p>Заявление <a href="https://news.example/a"')
    assert "министерства</a>" in out.decode("cp1251")


def test_markdown_gets_the_archived_link_after_each_citation_outside_code() -> None:
    text = (
        '---\ndate: 2021-08-10\n---\nSee [the statement](https://news.example/a "The statement") and\n'
        "<https://news.example/b>, and https://news.example/c?x=1&y=2.\n"
        "Code `https://news.example/a` stays.\n\n```\nhttps://news.example/b\n```\n"
    )
    document = Document("a.md", SourceKind.MARKDOWN, text.encode())
    out = annotate(document, harvest(document), COPIES)
    assert out is not None
    wb = "https://web.archive.org/web/20210809120005/"
    assert out.decode() == (
        '---\ndate: 2021-08-10\n---\nSee [the statement](https://news.example/a "The statement")'
        f" ([archived copy of 2021-08-09](<{wb}https://news.example/a>)) and\n"
        f"<https://news.example/b> ([archived copy of 2021-08-09](<{wb}https://news.example/b>)), and"
        f" https://news.example/c?x=1&y=2 ([archived copy of 2021-08-09](<{wb}https://news.example/c?x=1&y=2>)).\n"
        "Code `https://news.example/a` stays.\n\n```\nhttps://news.example/b\n```\n"
    )


def test_text_gets_the_archived_address_after_each_url() -> None:
    text = "10 August 2021\nThe ministry said so (https://news.example/a). Also https://news.example/none.\n"
    document = Document("a.txt", SourceKind.TEXT, text.encode())
    out = annotate(document, harvest(document), COPIES)
    wb = "https://web.archive.org/web/20210809120005/"
    assert out is not None and out.decode() == (
        "10 August 2021\nThe ministry said so (https://news.example/a"
        f" [archived copy of 2021-08-09: {wb}https://news.example/a]). Also https://news.example/none.\n"
    )


def test_a_pdf_cannot_be_annotated() -> None:
    assert (
        annotate(Document("a.pdf", SourceKind.PDF, b"%PDF-1.4"), Article("a.pdf", None, None, None, ()), COPIES) is None
    )


# --- the command ---------------------------------------------------------------------------------


def test_annotate_writes_the_same_bytes_twice_and_asks_once(
    wayback: FakeWayback, server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKCHECK_CONFIG", raising=False)
    kept, lost = server.url("/kept"), server.url("/2021/08/drills-in-central-asia")
    server.routes["/kept"] = lambda h: send(h, 200, page("Kept"))
    wayback.add(lost, "20210805000000", page("Drills in Central Asia"))
    (tmp_path / "config.toml").write_text(
        "[check]\nallow_private_networks = true\nretries = 0\n"
        f'[fallback]\nwayback = "{wayback.url}"\nrequests_per_second = 50.0\n'
    )
    article = tmp_path / "article.html"
    article.write_text(
        '<html><head><meta property="article:published_time" content="2021-08-10"></head><body><article>'
        f'<p><a href="{lost}">Drills in Central Asia</a> and <a href="{kept}">a page with no copy</a>.</p>'
        "</article></body></html>"
    )
    first = CliRunner().invoke(cli.app, ["annotate", str(article), "--out", "one.html"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "1 of 2 cited URLs have an archived copy" in first.output
    asked = len(wayback.cdx_times)
    second = CliRunner().invoke(cli.app, ["annotate", str(article), "--out", "two.html"], catch_exceptions=False)
    assert second.exit_code == 0, second.output
    one, two = (tmp_path / "one.html").read_bytes(), (tmp_path / "two.html").read_bytes()
    assert one == two
    soup = BeautifulSoup(one, "html.parser")
    [robust] = soup.find_all(attrs={"data-versionurl": True})
    assert (robust["href"], robust["data-originalurl"]) == (lost, lost)
    assert robust["data-versionurl"] == f"{wayback.url}/web/20210805000000/{lost}"
    assert robust["data-versiondate"] == "2021-08-10"
    assert len(wayback.cdx_times) == asked, "the found copy and the fresh 'none' both came from the state store"


def test_annotate_refuses_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "many").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "many" / name).write_text("https://news.example/a\n")
    outcome = CliRunner().invoke(cli.app, ["annotate", "many", "--out", "x"], catch_exceptions=False)
    assert outcome.exit_code == 2 and "annotate takes one article" in outcome.output
