"""Quotations beside citations: extracted from paragraphs, folded, matched with small edits;
quote-not-found for an edited page; translated quotes and pages without text left alone."""

from __future__ import annotations

from pathlib import Path

from linkcheck.environment import Environment
from linkcheck.harvest.html import harvest_html
from linkcheck.harvest.markdown import harvest_markdown
from linkcheck.harvest.text import harvest_text
from linkcheck.models import PageText, QuoteCheck
from linkcheck.pipeline import run
from linkcheck.quotes import check_quotes, fold, quotes_in
from linkcheck.settings import Settings, settings_from_mapping
from tests.server import running, send

QUOTE = "We will hold the exercises near the border until the end of the month"
PAGE = PageText(
    "Drills in Tajikistan\nThe minister said: \u2018We will hold the exercises — near the border —\n"
    "until the end of the month.\u2019 Troops arrived on Monday.",
    "en",
)


def test_quotes_of_eight_words_or_more_in_any_quotation_marks() -> None:
    paragraph = (
        f"The minister said \u201c{QUOTE}\u201d and added \u00abмы не будем отступать от своих планов ни на шаг\u00bb,"
        ' then "a short one" and "it was an ordinary exercise for the troops of the district".'
    )
    assert quotes_in(paragraph) == (
        QUOTE,
        "мы не будем отступать от своих планов ни на шаг",
        "it was an ordinary exercise for the troops of the district",
    )


def test_folding_leaves_words_only() -> None:
    assert fold("«Всё — Хорошо»,  “OK”!") == "все хорошо ok"


def test_a_quote_present_with_other_quote_marks_dashes_and_whitespace_is_found() -> None:
    assert check_quotes((QUOTE,), PAGE) == (QuoteCheck(QUOTE, True),)


def test_a_quote_with_a_small_edit_is_found_and_an_edited_page_is_not() -> None:
    typo = QUOTE.replace("exercises", "exercices")
    assert check_quotes((typo,), PAGE) == (QuoteCheck(typo, True),)
    edited = PageText("Drills in Tajikistan\nThe minister said the troops would go home soon. Troops arrived.", "en")
    assert check_quotes((QUOTE,), edited) == (QuoteCheck(QUOTE, False),)


def test_a_translated_quote_or_a_page_without_text_is_not_compared() -> None:
    russian = PageText("Учения в Таджикистане. Министр сказал, что учения продлятся до конца месяца.", "ru")
    assert check_quotes((QUOTE,), russian) == (QuoteCheck(QUOTE, None),)
    assert check_quotes((QUOTE,), None) == (QuoteCheck(QUOTE, None),)
    assert check_quotes((QUOTE,), PageText("", None)) == (QuoteCheck(QUOTE, None),)


def test_each_harvester_ties_the_quotes_of_the_paragraph_to_its_citations() -> None:
    html = (
        f"<html><body><p>The minister said \u201c{QUOTE}\u201d, as "
        '<a href="https://a.example/x">the agency reported</a>.</p>'
        '<p>Another paragraph, <a href="https://b.example/y">another link</a>.</p></body></html>'
    )
    first, second = harvest_html(html.encode(), "a.html").citations
    assert first.quotes == (QUOTE,) and second.quotes == ()
    markdown = f"The minister said \u201c{QUOTE}\u201d, as [the agency](https://a.example/x) reported.\n\nNext [one](https://b.example/y).\n"
    first, second = harvest_markdown(markdown, "a.md").citations
    assert first.quotes == (QUOTE,) and second.quotes == ()
    text = f'The minister said "{QUOTE}" (https://a.example/x).\n\nMore at https://b.example/y\n'
    first, second = harvest_text(text, "a.txt").citations
    assert first.quotes == (QUOTE,) and second.quotes == ()


def settings_for() -> Settings:
    return settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "retries": 0, "timeout": 5.0, "soft_404_probe": False},
            "snapshot": {"enabled": False},
            "fallback": {"enabled": False},
            "repair": {"enabled": False},
        },
        "test",
    )


def page_html(body: str, lang: str = "en") -> bytes:
    return (
        f'<html lang="{lang}"><head><title>Drills</title></head><body><article>{body}</article></body></html>'.encode()
    )


def test_whole_runs_flag_only_the_quote_the_page_no_longer_holds(tmp_path: Path) -> None:
    with running("127.0.0.1") as site:
        site.routes["/same"] = lambda h: send(
            h,
            200,
            page_html(
                "<p>The minister said: \u2018We will hold the exercises near\n the border"
                " until the end of the month.\u2019</p>"
            ),
        )
        site.routes["/edited"] = lambda h: send(
            h, 200, page_html("<p>The minister said the troops would go home soon.</p>")
        )
        site.routes["/russian"] = lambda h: send(
            h, 200, page_html("<p>Министр сказал, что учения продлятся до конца месяца.</p>", "ru")
        )
        article = tmp_path / "a.md"
        article.write_text(
            "".join(
                f"The minister said \u201c{QUOTE}\u201d ([source]({site.url(path)})).\n\n"
                for path in ("/same", "/edited", "/russian")
            )
        )
        result = run([str(article)], settings_for(), Environment(cwd=tmp_path))
    same, edited, russian = result.articles[0].citations
    assert same.quotes == (QuoteCheck(QUOTE, True),)
    assert [a.code for a in same.anomalies if a.code == "quote-not-found"] == []
    assert edited.quotes == (QuoteCheck(QUOTE, False),)
    [finding] = [a for a in edited.anomalies if a.code == "quote-not-found"]
    assert finding.severity.value == "warning" and QUOTE in finding.message and site.url("/edited") in finding.message
    assert russian.quotes == (QuoteCheck(QUOTE, None),)
    assert [a.code for a in russian.anomalies if a.code == "quote-not-found"] == []


def test_a_quote_in_a_paragraph_that_refers_to_a_markdown_footnote_is_tied_to_its_source() -> None:
    markdown = (
        f"The minister said \u201c{QUOTE}\u201d.[^1]\n\nAn unrelated paragraph.[^2]\n\n"
        "[^1]: Ministry of Defence, https://mil.example/news/1\n\n[^2]: Other, https://other.example/2\n"
    )
    first, second = harvest_markdown(markdown, "a.md").citations
    assert first.quotes == (QUOTE,)
    assert second.quotes == ()


def test_a_quote_in_a_paragraph_that_refers_to_an_html_footnote_is_tied_to_its_source() -> None:
    html = (
        f'<html><body><p>The minister said \u201c{QUOTE}\u201d.<sup><a href="#fn1">1</a></sup></p>'
        "<p>An unrelated paragraph.</p><ol>"
        '<li id="fn1"><p>Ministry of Defence, <a href="https://mil.example/news/1">news</a></p></li>'
        '<li id="fn2"><p>Other, <a href="https://other.example/2">other</a></p></li></ol></body></html>'
    )
    first, second = harvest_html(html.encode(), "a.html").citations
    assert first.quotes == (QUOTE,)
    assert second.quotes == ()
