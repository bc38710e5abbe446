"""A site's own search, when its pages declare an OpenSearch description
(`<link rel="search" type="application/opensearchdescription+xml" href=...>`): the description's
text/html URL template is filled with the citation's words and the result page's links read."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urljoin, urlsplit

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from linkcheck.html_tags import get_text, tags_named
from linkcheck.models import FetchResult
from linkcheck.pages import is_html, parse_page

OPENSEARCH_TYPE = "application/opensearchdescription+xml"
MAX_DESCRIPTION_BYTES = 100_000
MAX_RESULTS = 50  # links read from one result page
_PARAMETER = re.compile(r"\{([^{}]+)\}")


def description_link(page: FetchResult) -> str | None:
    """The OpenSearch description a page declares, made absolute, or None."""
    if page.status != 200 or not is_html(page) or not page.body:
        return None
    for link in tags_named(parse_page(page), "link"):
        rel = [value.lower() for value in (link.get("rel") or "").split()]
        if "search" in rel and str(link.get("type", "")).strip().lower() == OPENSEARCH_TYPE and link.get("href"):
            return urljoin(page.final_url or page.url, str(link.get("href")).strip())
    return None


def html_template(description: bytes) -> str | None:
    """The description's URL template for an HTML result page (`...?q={searchTerms}`), or None."""
    try:
        root = ElementTree.fromstring(description[:MAX_DESCRIPTION_BYTES], forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return None
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] != "Url":
            continue
        template = element.get("template") or ""
        if element.get("type", "").split(";")[0].strip().lower() == "text/html" and "{searchTerms}" in template:
            return template
    return None


def fill(template: str, terms: str) -> str:
    """The template with the search terms in; a first page or index where one is required, and
    every other parameter left empty."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        bare = name.rstrip("?").rsplit(":", 1)[-1]
        if bare == "searchTerms":
            return quote_plus(terms)
        return "1" if bare in ("startPage", "startIndex") and not name.endswith("?") else ""

    return _PARAMETER.sub(value, template)


def result_links(page: FetchResult) -> list[tuple[str, str]]:
    """(absolute URL, link text) of the links on a result page, in order, each URL once."""
    if page.status != 200 or not is_html(page) or not page.body:
        return []
    base = page.final_url or page.url
    found: dict[str, str] = {}
    for anchor in tags_named(parse_page(page), "a"):
        if anchor.get("href") is None:
            continue
        url = urljoin(base, str(anchor.get("href")).strip()).split("#", 1)[0]
        if urlsplit(url).scheme in ("http", "https") and url not in found:
            found[url] = get_text(anchor, " ", strip=True)
            if len(found) >= MAX_RESULTS:
                break
    return list(found.items())


@dataclass
class SiteSearch:
    """Each host's search template, found at most once per run (its home page, then the description
    it declares), which counts once against the asking citation's budget."""

    fetch: Callable[[str], FetchResult]
    _templates: dict[str, str | None] = field(default_factory=dict)

    def template(self, origin: str, spend: Callable[[], bool]) -> str | None:
        if origin in self._templates:
            return self._templates[origin]
        if not spend():
            return None
        link = description_link(self.fetch(urljoin(origin, "/")))
        template = None
        if link and urlsplit(link).hostname == urlsplit(origin).hostname:
            answer = self.fetch(link)
            template = html_template(answer.body) if answer.status == 200 else None
        self._templates[origin] = template
        return template
