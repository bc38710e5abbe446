"""The URLs of `linkcheck check` as one article."""

from __future__ import annotations

from linkcheck.harvest.given import command_line_article
from linkcheck.models import COMMAND_LINE_SOURCE


def test_urls_given_become_one_article_in_order() -> None:
    article = command_line_article(
        ["https://a.example/x", "b.example/y?utm_source=z", "www.c.example", "mailto:desk@example.org", "http://[bad"]
    )
    assert article.source == COMMAND_LINE_SOURCE and article.published is None and article.title is None
    urls = [(c.line, c.url, c.normalized_url) for c in article.citations]
    assert urls[0] == (1, "https://a.example/x", "https://a.example/x")
    assert urls[1][1] == "https://b.example/y?utm_source=z"  # https:// assumed
    assert urls[2][2] == "http://www.c.example/"  # as a www. link in an article
    assert article.citations[3].skip_reason and article.citations[4].invalid_reason
