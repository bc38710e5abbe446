"""OpenSearch: a description's HTML template, filled; DTDs refused."""

from __future__ import annotations

from linkcheck.repair.opensearch import fill, html_template


def test_an_opensearch_template_is_filled_and_its_links_read() -> None:
    description = (
        b'<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">'
        b'<Url type="text/html" template="https://x.ru/s?q={searchTerms}&amp;p={startPage}&amp;n={count?}"/>'
        b"</OpenSearchDescription>"
    )
    template = html_template(description)
    assert template == "https://x.ru/s?q={searchTerms}&p={startPage}&n={count?}"
    assert fill(template, "drills in Tajikistan") == "https://x.ru/s?q=drills+in+Tajikistan&p=1&n="
    assert html_template(b'<!DOCTYPE x [<!ENTITY a "b">]><OpenSearchDescription/>') is None
