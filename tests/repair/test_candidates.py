"""Candidate URLs: the cited URL under earlier dates, written the site's way; slugs and ids."""

from __future__ import annotations

import datetime as dt

from linkcheck.repair.candidates import candidate_days, same_story_path, slug_ids, url_date_candidates

SEED = "https://www.themoscowtimes.com/2026/04/03/russia-holds-drills-a74712"


def test_the_article_date_comes_first_then_the_days_before_it() -> None:
    found = url_date_candidates(SEED, dt.date(2021, 8, 7), 3)
    assert found == [
        ("https://www.themoscowtimes.com/2021/08/07/russia-holds-drills-a74712", "2021/08/07"),
        ("https://www.themoscowtimes.com/2021/08/06/russia-holds-drills-a74712", "2021/08/06"),
        ("https://www.themoscowtimes.com/2021/08/05/russia-holds-drills-a74712", "2021/08/05"),
    ]


def test_the_sites_own_way_of_writing_a_date_is_kept() -> None:
    assert url_date_candidates("https://x.ru/news/2026_04_03/a-b-c", dt.date(2021, 8, 5), 1) == [
        ("https://x.ru/news/2021_08_05/a-b-c", "2021_08_05")
    ]
    assert url_date_candidates("https://x.ru/doc/20260403-a.pdf", dt.date(2021, 8, 5), 1) == [
        ("https://x.ru/doc/20210805-a.pdf", "20210805")
    ]
    assert url_date_candidates("https://x.ru/2026/04/slug-here-now", dt.date(2021, 8, 5), 2) == [
        ("https://x.ru/2021/08/slug-here-now", "2021/08"),
        ("https://x.ru/2021/07/slug-here-now", "2021/07"),
    ]


def test_the_cited_date_itself_is_not_a_candidate() -> None:
    found = url_date_candidates("https://x.ru/2021/08/05/slug", dt.date(2021, 8, 5), 2)
    assert [text for _, text in found] == ["2021/08/04", "2021/08/03"]


def test_a_url_without_a_date_in_its_path_has_no_candidates() -> None:
    assert url_date_candidates("https://x.ru/news?date=2026-04-03", dt.date(2021, 8, 5), 3) == []
    assert url_date_candidates("https://x.ru/doc/4936744", dt.date(2021, 8, 5), 3) == []


def test_ids_and_slugs_tie_a_listed_page_to_the_cited_one() -> None:
    assert slug_ids(SEED) == {"a74712"}
    assert same_story_path("https://www.themoscowtimes.com/news/russia-drills-a74712", SEED)
    assert same_story_path("https://www.themoscowtimes.com/archive/russia-holds-drills-a74712", SEED)
    assert not same_story_path("https://www.themoscowtimes.com/news/other-story-a74713", SEED)
    assert not same_story_path(SEED, SEED)


def test_after_the_nearest_days_the_cited_date_suggests_days_by_turns() -> None:
    found = url_date_candidates(SEED, dt.date(2021, 8, 10), 10)
    assert [text for _, text in found] == [
        "2021/08/10",  # the article's date and the two days before it
        "2021/08/09",
        "2021/08/08",
        "2021/04/03",  # the cited month and day in the article's year (a wrong year)
        "2021/08/07",  # the next day back
        "2021/08/03",  # the cited day of the month in the article's month...
        "2021/08/06",
        "2021/07/03",  # ...and in the months before it (a wrong month)
        "2021/08/05",
        "2021/06/03",
    ]


def test_days_the_cited_date_suggests_are_never_after_the_article_nor_impossible() -> None:
    days = candidate_days(dt.date(2021, 3, 2), dt.date(2026, 1, 31), 12)
    assert len(days) == len(set(days)) == 12
    assert all(day <= dt.date(2021, 3, 2) for day in days)
    assert dt.date(2021, 1, 31) in days and dt.date(2020, 12, 31) in days  # 31 February is skipped
    assert dt.date(2026, 1, 31) not in candidate_days(dt.date(2026, 2, 2), dt.date(2026, 1, 31), 12)
