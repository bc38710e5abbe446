"""URLs given on the command line (`linkcheck check URL...`) as one article, so they are checked,
flagged and reported like the citations of any other."""

from __future__ import annotations

from linkcheck.harvest.common import cap_citations, link_scheme, make_citation
from linkcheck.models import COMMAND_LINE_SOURCE, Article


def command_line_article(urls: list[str]) -> Article:
    """An article with no title or date citing each URL, in order; its line numbers count the URLs.

    A URL written without a scheme (`example.org/page`) is taken as https, as a browser's address bar does.
    """
    citations = []
    for number, written in enumerate(urls, 1):
        written = written.strip()
        if written and link_scheme(written) is None and not written.startswith(("/", "www.")):
            written = "https://" + written
        citations.append(make_citation(written, "", line=number))
    kept, cut = cap_citations(citations)
    return Article(COMMAND_LINE_SOURCE, None, None, None, kept, cut_reason=cut)
