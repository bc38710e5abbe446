"""Each anomaly rule with literal inputs: hits and near misses."""

from __future__ import annotations

import datetime as dt

import pytest

from linkcheck.anomalies import (
    PAGE_RULES,
    RULES,
    Facts,
    article_anomalies,
    cited_headline,
    find_anomalies,
    is_plain,
    registrable_domain,
    title_similarity,
)
from linkcheck.models import Article, CheckedCitation, CheckResult, Citation, History, Hop, Severity, Verdict
from linkcheck.settings import Settings, settings_from_mapping
from linkcheck.urls import host_of, normalize_url

CHECKED_AT = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
ARTICLE_DATE = dt.date(2021, 8, 10)


def facts(
    url: str,
    *,
    published: dt.date | None = ARTICLE_DATE,
    result: CheckResult | None = None,
    context: str = "",
    anchor: bool = False,
    settings: Settings | None = None,
    invalid: str | None = None,
) -> Facts:
    normalized = None if invalid else normalize_url(url)
    citation = Citation(url, normalized, context, line=3, invalid_reason=invalid, context_is_anchor=anchor)
    article = Article("a.txt", "Title", published, "text" if published else None, (citation,))
    return Facts(
        citation,
        article,
        result or CheckResult(url=normalized or url, verdict=Verdict.OK, status=200, final_url=normalized),
        CHECKED_AT,
        settings or Settings(),
        (3,),
    )


def codes(f: Facts) -> list[str]:
    return [anomaly.code for anomaly in find_anomalies(f)]


def only(f: Facts, code: str) -> list[str]:
    return [a.message for a in find_anomalies(f) if a.code == code]


# --- future-dated-url ---


def test_the_moscow_times_link_is_future_dated_with_its_evidence() -> None:
    url = "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills-in-tajikistan-amid-taliban-offensive"
    anomalies = find_anomalies(facts(url))
    future = [a for a in anomalies if a.code == "future-dated-url"]
    assert len(future) == 1 and future[0].severity is Severity.ERROR
    assert "URL is dated 2026-04-03, 1697 days after the article (2021-08-10)" in future[0].message


@pytest.mark.parametrize(
    "url",
    [
        "https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews",
        "https://www.kommersant.ru/doc/4936744?from=four_mir",
        "https://www.kommersant.ru/doc/4936744",
        "https://example.com/2021/08/10/same-day",
        "https://example.com/2021/08/",
        "https://example.com/2019/01/05/older",
    ],
)
def test_not_future_dated(url: str) -> None:
    assert only(facts(url), "future-dated-url") == []


def test_two_days_after_the_article_is_future_dated() -> None:
    assert "2 days after the article" in only(facts("https://example.com/2021/08/12/story"), "future-dated-url")[0]


def test_grace_days_allow_a_little_slack() -> None:
    settings = settings_from_mapping({"anomalies": {"future_grace_days": 3}})
    assert only(facts("https://example.com/2021/08/12/story", settings=settings), "future-dated-url") == []
    assert only(facts("https://example.com/2021/08/14/story", settings=settings), "future-dated-url")


def test_month_precision_compares_months() -> None:
    assert only(facts("https://example.com/2021/09/story"), "future-dated-url")
    assert only(facts("https://example.com/archive/2021/08"), "future-dated-url") == []


def test_dates_in_segments_and_queries() -> None:
    assert only(facts("https://example.com/files/report-2022-01-31.pdf"), "future-dated-url")
    assert only(facts("https://example.com/news/20230105/item"), "future-dated-url")
    assert only(facts("https://example.com/search?date=2024-02-02"), "future-dated-url")


def test_no_article_date_compares_with_the_check_time() -> None:
    messages = only(facts("https://example.com/2031/01/01/later", published=None), "future-dated-url")
    assert messages and "after this check (2026-11-25)" in messages[0] and "date is unknown" in messages[0]
    assert only(facts("https://example.com/2021/08/12/story", published=None), "future-dated-url") == []


def test_future_dated_even_when_the_link_answers() -> None:
    url = "https://example.com/2030/01/01/x"
    ok = CheckResult(url=url, verdict=Verdict.OK, status=200, final_url=url)
    assert "future-dated-url" in codes(facts(url, result=ok))


# --- published-after-article ---


def test_page_published_after_the_article() -> None:
    url = "https://example.com/story"
    later = CheckResult(url=url, verdict=Verdict.OK, status=200, final_url=url, page_published=dt.date(2022, 3, 1))
    message = only(facts(url, result=later), "published-after-article")[0]
    assert "2022-03-01" in message and "203 days after the article (2021-08-10)" in message
    next_day = CheckResult(url=url, verdict=Verdict.OK, status=200, final_url=url, page_published=dt.date(2021, 8, 11))
    assert only(facts(url, result=next_day), "published-after-article") == []  # time zones


# --- redirects ---


def redirected(url: str, final: str, verdict: Verdict = Verdict.OK) -> CheckResult:
    return CheckResult(url=url, verdict=verdict, status=200, final_url=final, redirects=(Hop(url, 301),))


@pytest.mark.parametrize("final", ["https://example.com/", "https://example.com/en/", "https://example.com"])
def test_redirect_to_homepage(final: str) -> None:
    url = "https://example.com/news/2021/story"
    assert only(facts(url, result=redirected(url, final)), "redirect-to-homepage")


def test_redirect_to_another_deep_page_is_not_homepage() -> None:
    url = "https://example.com/news/story"
    assert only(facts(url, result=redirected(url, "https://example.com/news/story-2")), "redirect-to-homepage") == []
    assert only(facts(url, result=redirected(url, "https://example.com/ok")), "redirect-to-homepage") == []


def test_cross_domain_redirect() -> None:
    url = "https://www.kommersant.ru/doc/4936744"
    message = only(facts(url, result=redirected(url, "https://parked.example.net/")), "cross-domain-redirect")[0]
    assert "kommersant.ru" in message and "example.net" in message


@pytest.mark.parametrize(
    ("url", "final"),
    [
        ("http://kommersant.ru/doc/1", "https://www.kommersant.ru/doc/1"),
        ("https://www.bbc.co.uk/news/1", "https://news.bbc.co.uk/1"),
    ],
)
def test_same_registrable_domain_is_not_cross_domain(url: str, final: str) -> None:
    assert only(facts(url, result=redirected(url, final)), "cross-domain-redirect") == []


def test_registrable_domain_uses_the_public_suffix_list() -> None:
    assert registrable_domain("www.bbc.co.uk") == "bbc.co.uk"
    assert registrable_domain("www.kommersant.ru") == "kommersant.ru"
    assert registrable_domain("127.0.0.1") == "127.0.0.1"


# --- tracking-params ---


def test_kommersant_from_is_tracking_and_the_clean_url_is_given() -> None:
    messages = only(facts("https://www.kommersant.ru/doc/4936744?from=four_mir"), "tracking-params")
    assert messages == ["tracking parameter from=four_mir; the clean URL is https://www.kommersant.ru/doc/4936744"]


def test_utm_parameters_and_byte_for_byte_kept_query() -> None:
    url = "https://example.com/a?id=12376355@egNews&utm_source=x&utm_medium=y&fbclid=Z"
    message = only(facts(url), "tracking-params")[0]
    assert "utm_source=x, utm_medium=y, fbclid=Z" in message
    assert message.endswith("https://example.com/a?id=12376355@egNews")


def test_from_is_not_tracking_elsewhere_unless_configured() -> None:
    assert only(facts("https://example.com/doc?from=2020"), "tracking-params") == []
    settings = settings_from_mapping({"domains": {"example.com": {"tracking_params": ["from"]}}})
    assert only(facts("https://example.com/doc?from=2020", settings=settings), "tracking-params")


# --- insecure, duplicate, malformed, shortened, ip, credentials ---


def test_insecure_url_is_info_and_warning_when_https_works() -> None:
    url = "http://example.com/page"
    plain = find_anomalies(facts(url))
    assert [(a.code, a.severity) for a in plain] == [("insecure-url", Severity.INFO)]
    upgraded = find_anomalies(facts(url, result=redirected(url, "https://example.com/page")))
    assert ("insecure-url", Severity.WARNING) in [(a.code, a.severity) for a in upgraded]
    assert only(facts("https://example.com/page"), "insecure-url") == []


def test_duplicate_citation_across_an_article() -> None:
    first = Citation("https://example.com/a", "https://example.com/a", "one", line=2)
    again = Citation("https://EXAMPLE.com/a#x", "https://example.com/a", "two", line=9)
    other = Citation("https://example.com/b", "https://example.com/b", "three", line=12)
    article = Article("a.md", None, ARTICLE_DATE, "text", (first, again, other))
    checked = [
        CheckedCitation(c, CheckResult(url=c.normalized_url or "", verdict=Verdict.OK)) for c in article.citations
    ]
    found = article_anomalies(article, checked, CHECKED_AT, Settings())
    assert [[a.code for a in each] for each in found] == [["duplicate-citation"], ["duplicate-citation"], []]
    assert "2 times in this article (lines 2, 9)" in found[0][0].message


def test_malformed_url() -> None:
    f = facts("http://exa mple.com:99999/", invalid="invalid port '99999'")
    assert [(a.code, a.severity) for a in find_anomalies(f)] == [("malformed-url", Severity.ERROR)]


def test_shortened_url_says_where_it_led() -> None:
    url = "https://bit.ly/3xYz"
    message = only(facts(url, result=redirected(url, "https://example.com/report")), "shortened-url")[0]
    assert "bit.ly" in message and "https://example.com/report" in message
    assert only(facts("https://bitly.example.com/x"), "shortened-url") == []


def test_ip_host_and_credentials() -> None:
    assert only(facts("http://203.0.113.9/doc"), "ip-address-host")
    assert only(facts("https://user:secret@example.com/doc"), "credentials-in-url")
    assert "secret" not in only(facts("https://user:secret@example.com/doc"), "credentials-in-url")[0]


# --- title-mismatch ---

MT_URL = "https://www.themoscowtimes.com/2021/07/05/russia-holds-military-drills"


def titled(title: str) -> CheckResult:
    return CheckResult(url=MT_URL, verdict=Verdict.OK, status=200, final_url=MT_URL, page_title=title)


def test_related_article_headline_matches_a_title_with_a_site_suffix() -> None:
    context = "Related article: Russia Holds Military Drills in Tajikistan Amid Taliban Offensive"
    title = "Russia Holds Military Drills in Tajikistan Amid Taliban Offensive - The Moscow Times"
    assert only(facts(MT_URL, context=context, result=titled(title)), "title-mismatch") == []


def test_related_article_headline_that_no_longer_matches() -> None:
    context = "Related article: Russia Holds Military Drills in Tajikistan Amid Taliban Offensive"
    message = only(facts(MT_URL, context=context, result=titled("Weather in Moscow: snow expected")), "title-mismatch")[
        0
    ]
    assert "similarity 0.20, below 0.50" in message and "Weather in Moscow" in message


def test_anchor_text_of_five_words_is_a_headline_in_any_language() -> None:
    anchor = "Минобороны России начало совместные учения"
    assert (
        only(
            facts(MT_URL, context=anchor, anchor=True, result=titled("МИНОБОРОНЫ РОССИИ НАЧАЛО совместные УЧЕНИЯ")),
            "title-mismatch",
        )
        == []
    )
    assert only(facts(MT_URL, context=anchor, anchor=True, result=titled("Страница архива")), "title-mismatch")


def test_short_anchors_and_prose_sentences_are_not_headlines() -> None:
    assert cited_headline(Citation("u", "u", "the announcement", context_is_anchor=True)) is None
    sentence = "The business daily Kommersant described the drills as a rehearsal for a crisis"
    assert cited_headline(Citation("u", "u", sentence)) is None
    assert (
        cited_headline(Citation("u", "u", "Читайте также: Учения прошли в Таджикистане"))
        == "Учения прошли в Таджикистане"
    )


def test_similarity_folds_case_and_punctuation() -> None:
    assert title_similarity("Drills, in Tajikistan!", "drills in tajikistan") == 1.0
    assert title_similarity("", "x") == 0.0


# --- configuration ---


def test_a_code_can_be_turned_off_or_its_severity_changed() -> None:
    url = "https://www.kommersant.ru/doc/4936744?from=four_mir"
    off = settings_from_mapping({"anomalies": {"tracking-params": "off"}})
    assert only(facts(url, settings=off), "tracking-params") == []
    louder = settings_from_mapping({"anomalies": {"tracking-params": "error"}})
    assert [a.severity for a in find_anomalies(facts(url, settings=louder))] == [Severity.ERROR]


# --- the engine: rules not called where they cannot fire --------------------------------------------


def _every_rule(facts: Facts) -> list[tuple[str, str]]:
    """The definition: every rule called on every citation (what find_anomalies did before PAGE_RULES)."""
    found = []
    for code, (_, rule) in RULES.items():
        if facts.citation.invalid_reason and code != "malformed-url":
            continue
        found += [(finding.code, finding.message) for finding in rule(facts)]
    return found


PLAIN_URLS = [
    "https://www.themoscowtimes.com/2026/04/03/russia-holds-military-drills",
    "http://example.com/page",
    "https://bit.ly/3abc",
    "http://192.0.2.7/report",
    "https://user:secret@example.com/a",
    "https://www.kommersant.ru/doc/4936744?from=four_mir&utm_source=x",
    "https://example.org/2019/05/story?id=1",
]


@pytest.mark.parametrize("url", PLAIN_URLS)
@pytest.mark.parametrize("verdict", [Verdict.OK, Verdict.SOFT_404, Verdict.BROKEN, Verdict.TIMEOUT])
@pytest.mark.parametrize("published", [ARTICLE_DATE, None])
def test_page_rules_find_nothing_on_a_plain_citation(url: str, verdict: Verdict, published: dt.date | None) -> None:
    """A stored result reused by a rerun (no redirects, no page facts) with no quotes or drift: the rules
    left out for it find nothing, and the anomalies are those of every rule run."""
    normalized = normalize_url(url)
    citation = Citation(url, normalized, "Related article: a headline of several words here", line=3)
    article = Article("a.txt", "Title", published, "text" if published else None, (citation, citation))
    result = CheckResult(url=normalized, verdict=verdict, status=200 if verdict is Verdict.OK else 404)
    histories = [None, History(cached=True, flapping=True), History(previous_verdict=Verdict.OK)]
    registrations = {registrable_domain(host_of(normalized)): dt.date(2024, 1, 1)}
    for history in histories:
        facts = Facts(citation, article, result, CHECKED_AT, Settings(), (3, 7), history, None, registrations)
        assert is_plain(facts)
        for code in PAGE_RULES:
            assert list(RULES[code][1](facts)) == [], code
        assert [(a.code, a.message) for a in find_anomalies(facts)] == _every_rule(facts)


@pytest.mark.parametrize(
    "result",
    [
        CheckResult("https://a.example/x", Verdict.OK, 200, "https://a.example/", (Hop("https://a.example/x", 301),)),
        CheckResult("https://a.example/x", Verdict.OK, 200, page_title="Domain for sale"),
        CheckResult("https://a.example/x", Verdict.OK, 200, page_published=dt.date(2030, 1, 1)),
    ],
)
def test_a_citation_with_page_facts_is_not_plain(result: CheckResult) -> None:
    citation = Citation("https://a.example/x", "https://a.example/x", "x", line=1)
    article = Article("a.txt", "T", ARTICLE_DATE, "text", (citation,))
    facts = Facts(citation, article, result, CHECKED_AT, Settings(), (1,))
    assert not is_plain(facts)
    found = [(a.code, a.message) for a in find_anomalies(facts)]
    assert found == _every_rule(facts) and found
