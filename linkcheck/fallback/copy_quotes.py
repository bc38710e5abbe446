"""Quotes of a citation whose live page was lost, compared with the archived copy found for it.

The check stage compares quotes with the live page when it is ok; for any other verdict they stay
uncompared (null) until this stage has verified a copy. The findings are then worked out again for
the articles whose quotes changed, so quote-not-found names the copy that was compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

from linkcheck.anomalies import article_anomalies
from linkcheck.models import CheckedArticle, CheckedCitation, CopyStatus, Verdict
from linkcheck.quotes import check_quotes
from linkcheck.settings import Settings


def quotes_against_copies(
    articles: Sequence[CheckedArticle],
    checked_at: dt.datetime,
    settings: Settings,
    registrations: Mapping[str, dt.date] | None = None,
) -> list[CheckedArticle]:
    """Each article, with the quotes of its lost citations compared with their verified archived copy
    (when its text was read this run) and its anomalies worked out again if any quote was compared."""
    updated = []
    for checked_article in articles:
        citations = tuple(_against_copy(checked) for checked in checked_article.citations)
        if citations == checked_article.citations:
            updated.append(checked_article)
            continue
        found = article_anomalies(checked_article.article, list(citations), checked_at, settings, registrations)
        citations = tuple(
            replace(checked, anomalies=anomalies) for checked, anomalies in zip(citations, found, strict=True)
        )
        updated.append(replace(checked_article, citations=citations))
    return updated


def _against_copy(checked: CheckedCitation) -> CheckedCitation:
    copy = checked.archived_copy
    if (
        not checked.citation.quotes
        or checked.result.verdict is Verdict.OK  # its live page was compared
        or copy is None
        or copy.status is not CopyStatus.FOUND
        or not copy.verified
        or copy.page is None  # a copy reused from the state store: its text was not read this run
        or not copy.url
    ):
        return checked
    return replace(checked, quotes=check_quotes(checked.citation.quotes, copy.page), quotes_from=copy.url)
