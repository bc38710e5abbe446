"""domain-parked: for-sale words, a domain marketplace, a link farm; ordinary pages left alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from linkcheck.anomalies import Facts, find_anomalies
from linkcheck.environment import Environment
from linkcheck.models import Article, CheckResult, Citation, Hop, PageText, Verdict
from linkcheck.pipeline import run
from linkcheck.settings import Settings, settings_from_mapping
from tests.server import running, send

CITED = "https://example-news.com/2021/08/05/drills"


def parked(result: CheckResult, url: str = CITED) -> list[str]:
    citation = Citation(url, url, "drills", line=1)
    article = Article("a.md", "A", dt.date(2021, 8, 10), "meta", (citation,))
    facts = Facts(citation, article, result, dt.datetime(2026, 11, 30, tzinfo=dt.UTC), Settings())
    return [a.message for a in find_anomalies(facts) if a.code == "domain-parked"]


def ok(page: PageText | None = None, title: str | None = None, final: str = CITED, hops: int = 0) -> CheckResult:
    redirects = tuple(Hop(CITED, 301) for _ in range(hops))
    return CheckResult(CITED, Verdict.OK, 200, final, redirects, page_title=title, page=page)


def test_a_for_sale_title_after_a_redirect_is_flagged_with_where_it_went() -> None:
    [message] = parked(
        ok(title="example-news.com - This domain is for sale!", final="https://example-news.com/lander", hops=1)
    )
    assert "'This domain is for sale'" in message and "https://example-news.com/lander" in message


def test_for_sale_words_in_a_short_page_in_russian() -> None:
    assert parked(ok(PageText("Домен example-news.com продаётся. Напишите нам."), title="example-news.com"))


def test_a_redirect_to_a_domain_marketplace_is_flagged() -> None:
    [message] = parked(
        ok(title="Buy now", final="https://www.hugedomains.com/domain_profile.cfm?d=example-news.com", hops=1)
    )
    assert "hugedomains.com" in message


def test_a_link_farm_with_no_article_text_is_flagged() -> None:
    links = [f"Cheap flights {n}" for n in range(20)]
    page = PageText("\n".join(["Related searches", *links]), links=20, link_chars=sum(len(t) for t in links))
    [message] = parked(ok(page, title="example-news.com"))
    assert "20 links" in message


def test_ordinary_pages_are_left_alone() -> None:
    article = " ".join(["Troops gathered near the border for the drills this week."] * 60)
    assert parked(ok(PageText(article, links=30, link_chars=400), title="Russia holds drills in Tajikistan")) == []
    # a long article about the domain trade that says the words is an article
    about = "The domain is for sale, the broker said. " + " ".join(["The market for names grew."] * 100)
    assert parked(ok(PageText(about), title="Domain sales boom")) == []
    # the marketplace's own pages are not parked
    own = "https://www.hugedomains.com/about"
    assert parked(CheckResult(own, Verdict.OK, 200, own + "/", (Hop(own, 301),), page_title="About"), own) == []
    # a page that failed is judged by its verdict only; a soft-404 (a lander at the site root) is a 2xx
    assert parked(CheckResult(CITED, Verdict.SOFT_404, 200, CITED, page_title="This domain is for sale"))
    assert parked(CheckResult(CITED, Verdict.BROKEN, 404, CITED, page_title="This domain is for sale")) == []


def settings_for(tmp_path: Path) -> Settings:
    return settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "retries": 0, "timeout": 5.0, "soft_404_probe": False},
            "snapshot": {"enabled": False},
            "fallback": {"enabled": False},
            "repair": {"enabled": False},
        },
        "test",
    )


def test_whole_runs_flag_a_for_sale_page_after_a_redirect_and_a_link_farm_not_an_article(tmp_path: Path) -> None:
    farm = "".join(f'<li><a href="/go?{n}">Insurance quotes {n}</a></li>' for n in range(25))
    with running("127.0.0.1") as cited, running("127.0.0.2") as lander:
        sale = b"<html><head><title>Welcome</title></head><body><h1>The domain news-site is for sale</h1></body></html>"
        lander.routes["/"] = lambda h: send(h, 200, sale)
        cited.routes["/sold"] = lambda h: send(h, 302, b"", headers={"Location": lander.url("/")})
        cited.routes["/farm"] = lambda h: send(
            h, 200, f"<html><head><title>Related</title></head><body><ul>{farm}</ul></body></html>".encode()
        )
        cited.routes["/story"] = lambda h: send(
            h,
            200,
            b"<html><head><title>Drills</title></head><body><article><h1>Drills</h1><p>"
            + b"Troops gathered near the border this week, officials said. " * 20
            + b'<a href="/more">More</a></p></article></body></html>',
        )
        article = tmp_path / "a.md"
        article.write_text(
            "---\ndate: 2021-08-10\n---\n"
            + "".join(f"See [link {n}]({cited.url(path)}).\n\n" for n, path in enumerate(["/sold", "/farm", "/story"]))
        )
        result = run([str(article)], settings_for(tmp_path), Environment(cwd=tmp_path))
    found = {
        c.citation.url.rsplit("/", 1)[-1]: [a for a in c.anomalies if a.code == "domain-parked"]
        for c in result.articles[0].citations
    }
    assert [a.severity.value for a in found["sold"]] == ["warning"]
    assert "is for sale" in found["sold"][0].message and lander.url("/") in found["sold"][0].message
    assert len(found["farm"]) == 1 and "25 links" in found["farm"][0].message
    assert found["story"] == []
