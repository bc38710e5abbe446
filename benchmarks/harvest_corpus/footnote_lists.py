"""Articles that list their sources as bare URLs after the text, and the sentence each URL belongs to.

Written for `benchmarks/harvest_eval.py` (issue 12, item 5). For every listed URL, `expected` gives a
phrase the URL's context should contain when the text says clearly which sentence cites it (the
site's name, the publisher, a "Related article" title or a heading that matches the URL's slug),
or None when nothing in the text points at the URL: then any context is acceptable except another
URL's sentence or a bare list of URLs.
"""

from __future__ import annotations

from typing import NamedTuple


class FootnoteText(NamedTuple):
    name: str
    text: str
    expected: dict[str, str | None]


MIL = "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews"
KOMMERSANT = "https://www.kommersant.ru/doc/4936744?from=four_mir"
MOSCOW_TIMES = (
    "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-amid-taliban-offensive"
)

TEXTS: list[FootnoteText] = [
    FootnoteText(
        "seed-list",
        f"""Joint Exercises in Central Asia
10 August 2021

Russian and Chinese units began a joint exercise this week on a training range in north-western
China, the Russian Defense Ministry announced on Monday. According to the Kommersant business daily,
the drills were a rehearsal for a crisis on the Tajik border.

Related article: Russia Holds Military Drills in Tajikistan Amid Taliban Offensive

{MIL}
{KOMMERSANT}
{MOSCOW_TIMES}
""",
        {
            MIL: "Defense Ministry announced",
            KOMMERSANT: "Kommersant business daily",
            MOSCOW_TIMES: "Russia Holds Military Drills in Tajikistan",
        },
    ),
    FootnoteText(
        "sources-heading",
        """Flood defences fail in the north

Rivers rose faster than forecast, the Environment Agency said in a statement on Tuesday. The BBC
reported that two villages were evacuated overnight. Local councils asked for more sandbags.

Sources:
https://www.gov.uk/government/news/flood-warning-north-2021
https://www.bbc.co.uk/news/uk-england-58150432
https://www.example-council.gov.uk/sandbags
""",
        {
            "https://www.gov.uk/government/news/flood-warning-north-2021": "Environment Agency said",
            "https://www.bbc.co.uk/news/uk-england-58150432": "The BBC reported",
            "https://www.example-council.gov.uk/sandbags": None,
        },
    ),
    FootnoteText(
        "acronyms",
        """Vaccines and the winter wave

The World Health Organization warned that cases would rise again in the autumn. Figures from the
European Centre for Disease Prevention and Control show the same trend. The New York Times spoke to
doctors in three countries.

https://www.who.int/news/item/10-08-2021-winter-wave-warning
https://www.ecdc.europa.eu/en/covid-19/situation-updates
https://www.nytimes.com/2021/08/10/health/winter-wave-doctors.html
""",
        {
            "https://www.who.int/news/item/10-08-2021-winter-wave-warning": "World Health Organization warned",
            "https://www.ecdc.europa.eu/en/covid-19/situation-updates": "European Centre for Disease Prevention",
            "https://www.nytimes.com/2021/08/10/health/winter-wave-doctors.html": "New York Times spoke",
        },
    ),
    FootnoteText(
        "headings",
        """Reading list

Port strikes
Dock workers in Rotterdam stopped work for a second day.

Grain prices
Wheat futures rose to a nine-year high.

https://www.example-news.nl/2021/08/10/port-strikes-rotterdam
https://www.example-markets.com/grain-prices-wheat-futures-high
""",
        {
            "https://www.example-news.nl/2021/08/10/port-strikes-rotterdam": "Port strikes",
            "https://www.example-markets.com/grain-prices-wheat-futures-high": "Grain prices",
        },
    ),
    FootnoteText(
        "no-evidence",
        """Notes on the week

It was a busy week for everyone involved. Several reports came out and more are expected.

https://www.example.com/a/b/c
https://www.example.org/report
""",
        {
            "https://www.example.com/a/b/c": None,
            "https://www.example.org/report": None,
        },
    ),
    FootnoteText(
        "russian",
        """Учения в Центральной Азии

Как сообщило Минобороны России, в учениях участвуют более десяти тысяч военнослужащих. По данным
газеты «Коммерсантъ», учения отрабатывают кризис на таджикской границе.

Источники:
https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews
https://www.kommersant.ru/doc/4936744
""",
        {
            "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews": "Минобороны России",
            "https://www.kommersant.ru/doc/4936744": "Коммерсантъ",
        },
    ),
    FootnoteText(
        "numbered",
        """Energy prices

Gas prices in Europe doubled over the summer, Reuters reported. Bloomberg said traders expect more.

[1] https://www.reuters.com/business/energy/gas-prices-europe-double-2021-08-10/
[2] https://www.bloomberg.com/news/articles/2021-08-10/traders-expect-more-gas-rises
""",
        {
            "https://www.reuters.com/business/energy/gas-prices-europe-double-2021-08-10/": "Reuters reported",
            "https://www.bloomberg.com/news/articles/2021-08-10/traders-expect-more-gas-rises": "Bloomberg said",
        },
    ),
    FootnoteText(
        "two-names-one-sentence",
        """Talks resume

Both Reuters and the Associated Press reported that talks would resume on Friday.

https://www.reuters.com/world/talks-resume-friday-2021-08-10/
https://apnews.com/article/talks-resume-friday-0a1b2c3d
""",
        {
            "https://www.reuters.com/world/talks-resume-friday-2021-08-10/": "Reuters",
            "https://apnews.com/article/talks-resume-friday-0a1b2c3d": "Associated Press",
        },
    ),
    FootnoteText(
        "inline-stays",
        """Inline citations keep their own sentence

The ministry published its figures (https://www.example.gov/figures-2021) on Monday. Analysts
disagreed with them.
""",
        {"https://www.example.gov/figures-2021": "The ministry published its figures"},
    ),
]
