"""Is a candidate the cited story? Same site, a real page (not a soft-404, not the home page), a title
close to the citation's headline or slug words, and not published after the article."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from linkcheck.anomalies import registrable_domain, title_similarity
from linkcheck.check.verdict import soft_404_reason
from linkcheck.models import FetchResult
from linkcheck.pages import page_facts
from linkcheck.urls import host_of, is_home_page


@dataclass(frozen=True)
class Expected:
    """What the cited story should look like: its site, its headline or slug words, its latest date."""

    url: str
    headline: str | None
    slug: str | None
    published_by: dt.date | None  # the article's date: the story cannot be newer
    threshold: float  # [anomalies] title_similarity


@dataclass(frozen=True)
class Judgement:
    """A candidate accepted (with evidence and a confidence) or rejected (with the reason)."""

    accepted: bool
    reason: str
    confidence: float = 0.0


def judge(page: FetchResult, expected: Expected) -> Judgement:
    """The verdict on one fetched candidate."""
    final = page.final_url or page.url
    if page.status != 200:
        return Judgement(False, f"answered HTTP {page.status}" if page.status else "did not answer")
    if registrable_domain(host_of(final)) != registrable_domain(host_of(expected.url)):
        return Judgement(False, f"leads to another site ({final})")
    if is_home_page(final):
        return Judgement(False, f"is the site's home page ({final})")
    facts = page_facts(page)
    reason = soft_404_reason(page, facts.title, facts.heading)
    if reason:
        return Judgement(False, f"is a not-found page: {reason}")
    wanted = [text for text in (expected.headline, expected.slug) if text]
    if not facts.title or not wanted:
        return Judgement(False, "has no title to compare with the citation")
    score, matched = max((title_similarity(text, facts.title), text) for text in wanted)
    if score < expected.threshold:
        return Judgement(False, f"title {facts.title[:120]!r} is unrelated to {wanted[0][:120]!r} ({score:.2f})")
    published = facts.published
    if published and expected.published_by and published > expected.published_by:
        return Judgement(
            False, f"was published on {published.isoformat()}, after the article ({expected.published_by.isoformat()})"
        )
    dated = f", published {published.isoformat()}" if published else ", undated"
    confidence = round(min(1.0, score) * (1.0 if published else 0.8), 2)
    evidence = f"title {facts.title[:160]!r} matches {matched[:160]!r} ({score:.2f}){dated}"
    return Judgement(True, evidence, confidence)
