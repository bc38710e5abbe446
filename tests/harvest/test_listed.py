"""URLs listed after the text: each gets the sentence that refers to it when the text says so clearly."""

from __future__ import annotations

import time

import pytest

from linkcheck.anomalies import cited_headline
from linkcheck.harvest.markdown import harvest_markdown
from linkcheck.harvest.text import harvest_text

MIL = "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews"
KOMMERSANT = "https://www.kommersant.ru/doc/4936744?from=four_mir"
MOSCOW_TIMES = (
    "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-amid-taliban-offensive"
)
SEED = f"""Joint Exercises in Central Asia
10 August 2021

Russian and Chinese units began a joint exercise this week on a training range in north-western
China, the Russian Defense Ministry announced on Monday. According to the Kommersant business daily,
the drills were a rehearsal for a crisis on the Tajik border.

Related article: Russia Holds Military Drills in Tajikistan Amid Taliban Offensive

{MIL}
{KOMMERSANT}
{MOSCOW_TIMES}
"""


def contexts(text: str) -> dict[str, str]:
    return {c.url: c.context for c in harvest_text(text, "a.txt").citations}


def test_each_listed_url_gets_the_sentence_that_cites_it() -> None:
    got = contexts(SEED)
    assert "Russian Defense Ministry announced" in got[MIL]
    assert got[KOMMERSANT].startswith("According to the Kommersant business daily")
    assert got[MOSCOW_TIMES] == "Related article: Russia Holds Military Drills in Tajikistan Amid Taliban Offensive"


def test_the_related_article_title_is_the_cited_headline() -> None:
    [*_, moscow_times] = harvest_text(SEED, "a.txt").citations
    assert cited_headline(moscow_times) == "Russia Holds Military Drills in Tajikistan Amid Taliban Offensive"


@pytest.mark.parametrize(
    ("sentence", "url"),
    [
        ("The World Health Organization warned of a winter wave.", "https://www.who.int/news/item/1"),
        ("The New York Times spoke to doctors.", "https://www.nytimes.com/2021/08/10/health/x.html"),
        ("The Moscow Times reported the drills.", "https://www.themoscowtimes.com/2021/08/10/a"),
        ("The Associated Press reported that talks resume.", "https://apnews.com/article/0a1b2c3d"),
        ("По данным газеты «Коммерсантъ», учения отрабатывают кризис.", "https://www.kommersant.ru/doc/1"),
        ("Как сообщило Минобороны России, учения начались.", "https://function.mil.ru/news_page/1"),
    ],
)
def test_site_names_acronyms_and_publishers(sentence: str, url: str) -> None:
    text = f"Title\n\nA first sentence about nothing in particular. {sentence}\n\n{url}\nhttps://other.example/x\n"
    assert contexts(text)[url] == sentence


def test_a_heading_whose_words_are_the_slug() -> None:
    text = """Reading list

Port strikes
Dock workers in Rotterdam stopped work for a second day.

Grain prices
Wheat futures rose to a nine-year high.

https://www.example-news.nl/2021/08/10/port-strikes-rotterdam
https://www.example-markets.com/grain-prices-wheat-futures-high
"""
    got = contexts(text)
    assert got["https://www.example-news.nl/2021/08/10/port-strikes-rotterdam"].startswith("Port strikes")
    assert got["https://www.example-markets.com/grain-prices-wheat-futures-high"].startswith("Grain prices")


def test_without_clear_evidence_a_listed_url_gets_the_text_before_the_list_never_a_neighbouring_url() -> None:
    text = "Notes\n\nIt was a busy week. Several reports came out.\n\nhttps://a.example/x\nhttps://b.example/y\n"
    assert set(contexts(text).values()) == {"Several reports came out."}


def test_two_sites_named_in_one_sentence_both_get_it() -> None:
    text = (
        "Talks\n\nBoth Reuters and the Associated Press reported that talks would resume.\n\n"
        "https://www.reuters.com/world/talks/\nhttps://apnews.com/article/talks\n"
    )
    assert set(contexts(text).values()) == {"Both Reuters and the Associated Press reported that talks would resume."}


def test_numbered_footnote_lines_are_a_list_too() -> None:
    text = (
        "Energy\n\nGas prices doubled, Reuters reported. Bloomberg said traders expect more.\n\n"
        "[1] https://www.reuters.com/business/gas/\n[2] https://www.bloomberg.com/news/articles/gas\n"
    )
    got = contexts(text)
    assert got["https://www.reuters.com/business/gas/"] == "Gas prices doubled, Reuters reported."
    assert got["https://www.bloomberg.com/news/articles/gas"] == "Bloomberg said traders expect more."


def test_a_url_inside_a_sentence_keeps_its_sentence() -> None:
    text = "The ministry published its figures (https://www.example.gov/figures) on Monday. Reuters said so.\n"
    assert contexts(text)["https://www.example.gov/figures"] == "The ministry published its figures on Monday."


def test_a_markdown_list_of_bare_urls() -> None:
    markdown = "# Drills\n\nThe Kommersant business daily called it a rehearsal. Others disagreed.\n\n"
    markdown += "- https://www.kommersant.ru/doc/1\n- https://other.example/x\n"
    got = {c.url: c.context for c in harvest_markdown(markdown, "a.md").citations}
    assert got["https://www.kommersant.ru/doc/1"] == "The Kommersant business daily called it a rehearsal."


@pytest.mark.timeout(60)
def test_thousands_of_lists_are_read_in_bounded_time() -> None:
    block = (
        "A sentence about Reuters and nothing else at all here. " * 40
        + "\n\nhttps://a.example/1\nhttps://b.example/2\n\n"
    )
    started = time.monotonic()
    assert len(harvest_text(block * 2_000, "big.txt").citations) == 4_000
    assert time.monotonic() - started < 60
