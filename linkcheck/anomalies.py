"""Anomalies: problems a status code cannot show. Small pure rules, one registry.

Each rule takes a Facts record (the citation, its article, its check result, the check time and
settings) and returns zero or more (code, message) findings; the engine applies severities and
`[anomalies]` overrides. Every message carries its evidence. Codes are documented in docs/anomalies.md.
Over 400 lines on purpose: eighteen rules of a dozen lines each read best beside the one registry.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from linkcheck.models import (
    FAILING,
    Anomaly,
    AnomalyCode,
    Article,
    CheckedCitation,
    CheckResult,
    Citation,
    Drift,
    History,
    QuoteCheck,
    Severity,
    Verdict,
)
from linkcheck.settings import AnomalySettings, Settings
from linkcheck.urls import UrlDate, dates_in_url, host_of, is_deep_link, is_home_page


@dataclass(frozen=True, slots=True)
class Finding:
    """What one rule found: its code, the evidence, and a severity when it differs from the rule's."""

    code: AnomalyCode
    message: str
    severity: Severity | None = None


# A rule gives its findings, in order. The rules asked about every citation return a tuple (most often
# empty): a rerun asks each of them 100,000 times, and making a generator cost more than the rule's test.
Rule = Callable[["Facts"], Iterable[Finding]]

TRACKING_PARAMS = ("fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "_ga", "dclid", "msclkid", "igshid")
# Parameters that are tracking on one site only (kommersant.ru marks where a reader came from).
DOMAIN_TRACKING_PARAMS = {"kommersant.ru": ("from",)}
SHORTENERS = frozenset(
    {
        "bit.ly",
        "t.co",
        "goo.gl",
        "tinyurl.com",
        "ow.ly",
        "buff.ly",
        "is.gd",
        "t.ly",
        "rb.gy",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "lnkd.in",
        "dlvr.it",
        "trib.al",
        "fb.me",
        "youtu.be",
        "clck.ru",
        "vk.cc",
        "amzn.to",
        "bitly.com",
        "rebrand.ly",
        "s.id",
        "v.gd",
    }
)
_HEADLINE_LEAD = re.compile(
    r"^\s*(related( article| story)?|read (also|more)|see also|more|also read|"
    r"читайте также|по теме|смотрите также)\s*[:：—–-]\s*",
    re.I,
)
_PSL = PublicSuffixList()
# What parking and for-sale pages say (English, Russian, German, French, Spanish).
_PARKED_WORDS = re.compile(
    r"\b(?:this|the)\s+domain(?:\s+name)?\s+(?:[\w.-]+\s+)?(?:is|may\s+be)\s+for\s+sale\b|\bbuy\s+this\s+domain\b|"
    r"\bdomain\s+(?:is\s+)?(?:parked|for\s+sale)\b|\bparked\s+(?:free\s+)?(?:by|at|courtesy\s+of)\b|"
    r"\bthis\s+domain\s+has\s+(?:expired|been\s+registered)\b|\bmake\s+an\s+offer\s+on\s+this\s+domain\b|"
    r"домен\s+(?:[\w.-]+\s+)?прода[её]тся|купить\s+(?:этот\s+)?домен|домен\s+припаркован|"
    r"\bdiese\s+domain\s+(?:steht\s+zum\s+verkauf|kaufen)\b|\bce\s+domaine\s+est\s+[àa]\s+vendre\b|"
    r"\beste\s+dominio\s+est[áa]\s+en\s+venta\b",
    re.I,
)
# Domain marketplaces and parking services a sold or parked domain sends its visitors to.
DOMAIN_MARKETS = frozenset(
    {
        "sedo.com",
        "dan.com",
        "afternic.com",
        "hugedomains.com",
        "buydomains.com",
        "bodis.com",
        "parkingcrew.net",
        "above.com",
        "uniregistry.com",
        "sav.com",
        "atom.com",
        "squadhelp.com",
        "efty.com",
        "undeveloped.com",
        "domainmarket.com",
        "parklogic.com",
        "voodoo.com",
        "reg.ru",
    }
)
_PARKED_PAGE_WORDS = 400
_LINK_FARM_LINKS = 15  # a link farm lists at least this many links...
_LINK_FARM_SHARE = 0.7  # ...which make up this share of its main text
_LINK_FARM_WORDS = 60  # ...and has fewer words than this outside its links


_NO_REGISTRATIONS: Mapping[str, dt.date] = MappingProxyType({})


class Facts(NamedTuple):
    """Everything a rule may look at for one citation (a named tuple: a rerun builds one per citation,
    100,000 of them, and a tuple is made several times faster than a frozen dataclass)."""

    citation: Citation
    article: Article
    result: CheckResult
    checked_at: dt.datetime
    settings: Settings
    same_url_lines: tuple[int | None, ...] = ()  # lines of every citation of this URL in the article
    history: History | None = None  # from the state store, when there is one
    drift: Drift | None = None  # from the archive: the page's text against its previous capture
    registrations: Mapping[str, dt.date] = _NO_REGISTRATIONS  # registrable domain -> registered (RDAP)
    quotes: tuple[QuoteCheck, ...] = ()  # the citation's quotations against its page's text
    quotes_from: str | None = None  # the archived copy they were compared with, when the live page was lost

    @property
    def config(self) -> AnomalySettings:
        return self.settings.anomalies

    @property
    def url(self) -> str:
        return self.citation.normalized_url or self.citation.url


@functools.lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """The domain a person registered (Public Suffix List): www.kommersant.ru -> kommersant.ru."""
    host = host.lower().strip("[]").rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    return _PSL.privatesuffix(host) or host


_YEARISH = re.compile(r"(?:19|20|21)\d\d")


def _url_dates(url: str) -> tuple[UrlDate, ...]:
    if not _YEARISH.search(url):
        return ()  # the common case, and cheap: no four digits that could be a year
    return tuple(dates_in_url(url))


@functools.lru_cache(maxsize=65536)
def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# --- the rules ---


def future_dated_url(facts: Facts) -> tuple[Finding, ...]:
    """A date inside the URL after the article's date (or after the check, if the article has none)."""
    dates = _url_dates(facts.url)
    if not dates:
        return ()  # most URLs
    if facts.article.published:
        reference, what = facts.article.published, f"the article ({facts.article.published.isoformat()})"
    else:
        reference = facts.checked_at.date()
        what = f"this check ({reference.isoformat()}); the article's date is unknown"
    grace = dt.timedelta(days=facts.config.future_grace_days)
    for found in dates:
        if found.precision == "month":
            late = (found.date.year, found.date.month) > (reference.year, reference.month) and (
                found.date > reference + grace
            )
            shown = found.date.strftime("%Y-%m")
        else:
            late = found.date > reference + grace
            shown = found.date.isoformat()
        if late:
            days = (found.date - reference).days
            return (
                Finding(
                    AnomalyCode.FUTURE_DATED_URL,
                    f"URL is dated {shown}, {days} days after {what}: a citation cannot point to a page"
                    f" from its future (evidence: {found.evidence!r} in the URL)",
                ),
            )
    return ()


def published_after_article(facts: Facts) -> Iterator[Finding]:
    page, article = facts.result.page_published, facts.article.published
    if page is None or article is None:
        return
    if page > article + dt.timedelta(days=facts.config.published_grace_days):
        yield Finding(
            AnomalyCode.PUBLISHED_AFTER_ARTICLE,
            f"the cited page says it was published on {page.isoformat()},"
            f" {(page - article).days} days after the article ({article.isoformat()})",
        )


def redirect_to_homepage(facts: Facts) -> Iterator[Finding]:
    result = facts.result
    if result.redirects and result.final_url and is_deep_link(facts.url) and is_home_page(result.final_url):
        yield Finding(
            AnomalyCode.REDIRECT_TO_HOMEPAGE,
            f"the deep link was redirected to the site's home page {result.final_url}"
            f" after {len(result.redirects)} redirect(s): the cited page is probably gone",
        )


def cross_domain_redirect(facts: Facts) -> Iterator[Finding]:
    result = facts.result
    if not result.redirects or not result.final_url:
        return
    cited, final = registrable_domain(host_of(facts.url)), registrable_domain(host_of(result.final_url))
    if cited and final and cited != final:
        yield Finding(
            AnomalyCode.CROSS_DOMAIN_REDIRECT,
            f"redirected from {cited} to another domain, {final} (final URL {result.final_url})",
        )


def tracking_params(facts: Facts) -> tuple[Finding, ...]:
    if "?" not in facts.url:
        return ()  # most URLs: no query, nothing to parse
    parts = urlsplit(facts.url)
    if not parts.query:
        return ()
    host = host_of(facts.url)
    per_domain: set[str] = set()
    for domain, names in DOMAIN_TRACKING_PARAMS.items():
        if host == domain or host.endswith("." + domain):
            per_domain.update(names)
    rule = facts.settings.domain_rule(host)
    if rule:
        per_domain.update(rule.tracking_params)
    kept, dropped = [], []
    for pair in parts.query.split("&"):
        name = pair.split("=", 1)[0]
        lowered = name.lower()
        if lowered.startswith("utm_") or lowered in TRACKING_PARAMS or name in per_domain:
            dropped.append(pair)
        else:
            kept.append(pair)
    if not dropped:
        return ()
    # Rebuilt by hand so the kept parameters stay byte for byte as written.
    cleaned = parts._replace(query="&".join(kept)).geturl()
    return (
        Finding(
            AnomalyCode.TRACKING_PARAMS,
            f"tracking parameter{'s' if len(dropped) > 1 else ''} {', '.join(dropped)}; the clean URL is {cleaned}",
        ),
    )


def insecure_url(facts: Facts) -> tuple[Finding, ...]:
    if not facts.citation.url.lower().startswith("http://"):
        return ()
    result = facts.result
    upgraded = bool(result.final_url and result.final_url.lower().startswith("https://")) and (
        registrable_domain(host_of(result.final_url)) == registrable_domain(host_of(facts.url))
    )
    if upgraded and result.verdict is Verdict.OK:
        return (
            Finding(
                AnomalyCode.INSECURE_URL,
                f"cited over http://, and the site serves it over https: cite {result.final_url}",
                Severity.WARNING,
            ),
        )
    return (
        Finding(AnomalyCode.INSECURE_URL, "cited over plain http://; readers' connections to it are not encrypted"),
    )


def duplicate_citation(facts: Facts) -> tuple[Finding, ...]:
    lines = facts.same_url_lines
    if len(lines) <= 1:
        return ()
    where = ", ".join(str(line) for line in lines if line is not None)
    return (
        Finding(
            AnomalyCode.DUPLICATE_CITATION,
            f"the same URL is cited {len(lines)} times in this article" + (f" (lines {where})" if where else ""),
        ),
    )


def malformed_url(facts: Facts) -> Iterator[Finding]:
    if facts.citation.invalid_reason:
        yield Finding(AnomalyCode.MALFORMED_URL, f"the URL cannot be used: {facts.citation.invalid_reason}")


def _tokens(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return {token for token in re.findall(r"\w+", folded) if len(token) > 1 or token.isdigit()}


def title_similarity(headline: str, title: str) -> float:
    """Share of the smaller token set found in the other (case, punctuation and script folded)."""
    a, b = _tokens(headline), _tokens(title)
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def cited_headline(citation: Citation) -> str | None:
    """The headline a citation's text names: a "Related article: ..." line, or long link text."""
    context = citation.context.strip()
    lead = _HEADLINE_LEAD.match(context)
    if lead and len(context[lead.end() :].split()) >= 3:
        return context[lead.end() :].strip()
    if citation.context_is_anchor and len(context.split()) >= 5:
        return context
    return None


def title_mismatch(facts: Facts) -> Iterator[Finding]:
    title = facts.result.page_title
    if not title or facts.result.verdict is not Verdict.OK:
        return
    headline = cited_headline(facts.citation)
    if not headline:
        return
    score = title_similarity(headline, title)
    if score < facts.config.title_similarity:
        yield Finding(
            AnomalyCode.TITLE_MISMATCH,
            f"the citation names {headline!r} but the page's title is {title!r}"
            f" (similarity {score:.2f}, below {facts.config.title_similarity:.2f})",
        )


def shortened_url(facts: Facts) -> tuple[Finding, ...]:
    host = host_of(facts.url).removeprefix("www.")
    if host not in SHORTENERS:
        return ()
    final = facts.result.final_url
    where = f"it led to {final}" if final and final != facts.url else "where it leads is not known"
    return (
        Finding(
            AnomalyCode.SHORTENED_URL,
            f"{host} is a URL shortener, which hides the source and may stop working; {where}",
        ),
    )


def ip_address_host(facts: Facts) -> tuple[Finding, ...]:
    host = host_of(facts.url).strip("[]")
    if not _is_ip(host):
        return ()
    return (Finding(AnomalyCode.IP_ADDRESS_HOST, f"the URL names a bare IP address ({host}) instead of a domain"),)


def credentials_in_url(facts: Facts) -> tuple[Finding, ...]:
    if "@" not in facts.url:
        return ()  # most URLs, without parsing them
    netloc = urlsplit(facts.url).netloc
    if "@" not in netloc:
        return ()
    user = netloc.rsplit("@", 1)[0].split(":", 1)[0]
    return (
        Finding(
            AnomalyCode.CREDENTIALS_IN_URL,
            f"the URL carries credentials (user {user!r}) that are published with the article",
        ),
    )


def domain_parked(facts: Facts) -> Iterator[Finding]:
    """The page answered is a parking or for-sale page: its words say so, it is on a domain marketplace,
    or it is a link farm with no article text; also after a redirect from the cited host."""
    result = facts.result
    if result.verdict not in (Verdict.OK, Verdict.SOFT_404):  # a 2xx: a lander is often a soft-404 too
        return
    final = result.final_url or facts.url
    if result.redirects:
        market = registrable_domain(host_of(final))
        if market in DOMAIN_MARKETS and registrable_domain(host_of(facts.url)) != market:
            yield Finding(
                AnomalyCode.DOMAIN_PARKED,
                f"the cited link leads to the domain marketplace {market} ({final}): the domain is for sale",
            )
            return
    page = result.page
    if page is None and not result.page_title:
        return  # nothing the page said is known (a stored result keeps no page text)
    where = f" (after a redirect to {final})" if result.redirects and final != facts.url else ""
    # A parking page is short: a long article that mentions a domain sale is an article.
    short = page is not None and len(page.text.split()) < _PARKED_PAGE_WORDS
    for label, text in (("title", result.page_title), ("text", page.text[:5000] if page and short else None)):
        said = _PARKED_WORDS.search(text or "")
        if said:
            yield Finding(
                AnomalyCode.DOMAIN_PARKED,
                f"the page's {label} says {said.group(0)!r}{where}: a parked or for-sale domain, not the source cited",
            )
            return
    if page is not None and page.links >= _LINK_FARM_LINKS and page.text:
        share = page.link_chars / len(page.text)
        outside = len(page.text.split()) * (1 - share)
        if share >= _LINK_FARM_SHARE and outside < _LINK_FARM_WORDS:
            yield Finding(
                AnomalyCode.DOMAIN_PARKED,
                f"the page is a list of {page.links} links ({share:.0%} of its text) with no article text{where}:"
                " a parked domain's link farm, not the source cited",
            )


def domain_changed_hands(facts: Facts) -> tuple[Finding, ...]:
    """The cited domain, or the one its redirects ended on, was registered after the article's date:
    whoever holds it now is not who published the page cited."""
    published = facts.article.published
    if published is None or not facts.registrations:
        return ()
    return tuple(_changed_hands(facts, published))


def _changed_hands(facts: Facts, published: dt.date) -> Iterator[Finding]:
    hosts = [("cited", facts.url)]
    final = facts.result.final_url
    if final and registrable_domain(host_of(final)) != registrable_domain(host_of(facts.url)):
        hosts.append(("redirected-to", final))
    for role, url in hosts:
        domain = registrable_domain(host_of(url))
        registered = facts.registrations.get(domain)
        if registered is not None and registered > published:
            rdap = facts.settings.repair.rdap
            yield Finding(
                AnomalyCode.DOMAIN_CHANGED_HANDS,
                f"the {role} domain {domain} was registered on {registered.isoformat()}, after the article"
                f" ({published.isoformat()}): it has changed hands since the page was cited (evidence: {rdap}{domain})",
            )


def quote_not_found(facts: Facts) -> Iterator[Finding]:
    """A quotation beside the citation that its page's text no longer holds, even with small edits."""
    for check in facts.quotes:
        if check.found is False:
            shown = check.text if len(check.text) <= 200 else check.text[:197] + "..."
            if facts.quotes_from:
                where = f"the archived copy {facts.quotes_from} (the live page is {facts.result.verdict.value})"
                why = "the page may have been edited before it was archived, or the quote may be wrong"
            else:
                where = facts.result.final_url or facts.url
                why = "the page may have been edited since it was quoted"
            yield Finding(
                AnomalyCode.QUOTE_NOT_FOUND,
                f"the quotation \u201c{shown}\u201d is not in the text of {where} (compared without case, quote marks,"
                f" dashes or punctuation, allowing small edits): {why}",
            )


def newly_broken(facts: Facts) -> tuple[Finding, ...]:
    history = facts.history
    if history is None or history.cached or facts.result.verdict not in FAILING:
        return ()
    if history.previous_verdict is not Verdict.OK:
        return ()
    since = f" (last ok {history.last_ok.isoformat(timespec='minutes')})" if history.last_ok else ""
    return (
        Finding(AnomalyCode.NEWLY_BROKEN, f"was ok at its previous check{since}, now {facts.result.verdict.value}"),
    )


def content_drift(facts: Facts) -> Iterator[Finding]:
    drift = facts.drift
    if drift is not None:
        yield Finding(
            AnomalyCode.CONTENT_DRIFT,
            f"the page's text changed since it was captured on {drift.previous_captured_at}:"
            f" {drift.similarity:.0%} alike (capture of {drift.captured_at});"
            " the page cited may no longer be the page that is there",
        )


def flapping(facts: Facts) -> tuple[Finding, ...]:
    if facts.history is None or not facts.history.flapping:
        return ()
    return (
        Finding(
            AnomalyCode.FLAPPING, "alternates between working and failing across recent checks: an unreliable source"
        ),
    )


RULES: dict[AnomalyCode, tuple[Severity, Rule]] = {
    AnomalyCode.FUTURE_DATED_URL: (Severity.ERROR, future_dated_url),
    AnomalyCode.PUBLISHED_AFTER_ARTICLE: (Severity.WARNING, published_after_article),
    AnomalyCode.REDIRECT_TO_HOMEPAGE: (Severity.WARNING, redirect_to_homepage),
    AnomalyCode.CROSS_DOMAIN_REDIRECT: (Severity.WARNING, cross_domain_redirect),
    AnomalyCode.TRACKING_PARAMS: (Severity.INFO, tracking_params),
    AnomalyCode.INSECURE_URL: (Severity.INFO, insecure_url),
    AnomalyCode.DUPLICATE_CITATION: (Severity.INFO, duplicate_citation),
    AnomalyCode.DOMAIN_PARKED: (Severity.WARNING, domain_parked),
    AnomalyCode.DOMAIN_CHANGED_HANDS: (Severity.WARNING, domain_changed_hands),
    AnomalyCode.QUOTE_NOT_FOUND: (Severity.WARNING, quote_not_found),
    AnomalyCode.MALFORMED_URL: (Severity.ERROR, malformed_url),
    AnomalyCode.TITLE_MISMATCH: (Severity.WARNING, title_mismatch),
    AnomalyCode.SHORTENED_URL: (Severity.INFO, shortened_url),
    AnomalyCode.IP_ADDRESS_HOST: (Severity.INFO, ip_address_host),
    AnomalyCode.CREDENTIALS_IN_URL: (Severity.WARNING, credentials_in_url),
    AnomalyCode.NEWLY_BROKEN: (Severity.WARNING, newly_broken),
    AnomalyCode.CONTENT_DRIFT: (Severity.WARNING, content_drift),
    AnomalyCode.FLAPPING: (Severity.WARNING, flapping),
}


# Rules that can find something only in what a fetch brought back beyond its verdict (redirects, the
# page's title, date or text), in quotations, in drift, or in a malformed URL. A stored result reused by
# a rerun has none of these for most citations, and those rules are then not called at all
# (tests/test_anomalies.py checks that each finds nothing on such a citation).
PAGE_RULES = frozenset(
    {
        AnomalyCode.PUBLISHED_AFTER_ARTICLE,
        AnomalyCode.REDIRECT_TO_HOMEPAGE,
        AnomalyCode.CROSS_DOMAIN_REDIRECT,
        AnomalyCode.DOMAIN_PARKED,
        AnomalyCode.QUOTE_NOT_FOUND,
        AnomalyCode.MALFORMED_URL,
        AnomalyCode.TITLE_MISMATCH,
        AnomalyCode.CONTENT_DRIFT,
    }
)

# (code, rule, forced severity or None, default severity) of each rule switched on.
RuleList = tuple[tuple[AnomalyCode, Rule, Severity | None, Severity], ...]


class ActiveRules(NamedTuple):
    """The rules switched on by one `[anomalies]` table: all of them, and those left for a plain citation."""

    every: RuleList
    plain: RuleList


def active_rules(overrides: Mapping[str, str]) -> ActiveRules:
    """The rules to run, in registry order, each with the severity an override forces (or None) and its
    default; worked out once per run's settings, not once per rule per citation."""
    last_table, last_rules = _last_active[0]
    if last_table is overrides:  # the same (frozen) settings' table as the article before
        return last_rules
    every = tuple(
        (code, rule, Severity(overrides[code]) if code in overrides else None, default)
        for code, (default, rule) in RULES.items()
        if overrides.get(code) != "off"
    )
    rules = ActiveRules(every, tuple(entry for entry in every if entry[0] not in PAGE_RULES))
    _last_active[0] = (overrides, rules)  # one store: a reader in another thread sees a matching pair
    return rules


_last_active: list[tuple[Any, ActiveRules]] = [(None, ActiveRules((), ()))]


def is_plain(facts: Facts) -> bool:
    """Whether none of the PAGE_RULES can find anything in these facts."""
    result = facts.result
    return (
        not result.redirects
        and result.page is None
        and not result.page_title
        and result.page_published is None
        and not facts.quotes
        and facts.drift is None
        and not facts.citation.invalid_reason
    )


def find_anomalies(facts: Facts, rules: ActiveRules | None = None) -> tuple[Anomaly, ...]:
    """Run every rule; apply `[anomalies]` severity overrides and switches (`rules`: active_rules of them,
    when the caller has it already)."""
    citation = facts.citation
    if citation.skip_reason:
        return ()
    if rules is None:
        rules = active_rules(facts.config.severities)
    found: list[Anomaly] = []
    malformed = bool(citation.invalid_reason)
    for code, rule, forced, default in rules.plain if is_plain(facts) else rules.every:
        if malformed and code != "malformed-url":
            continue  # an unusable URL has one problem, and the other rules would only guess
        for finding in rule(facts):
            found.append(Anomaly(finding.code, forced or finding.severity or default, finding.message))
    return tuple(found)


def article_anomalies(
    article: Article,
    checked: list[CheckedCitation],
    checked_at: dt.datetime,
    settings: Settings,
    registrations: Mapping[str, dt.date] | None = None,
) -> list[tuple[Anomaly, ...]]:
    """Anomalies for each checked citation of an article, in order (duplicates need the whole article);
    `registrations` are the domains' registration dates RDAP gave, if it was asked."""
    lines: dict[str, list[int | None]] = {}
    for citation in article.citations:
        if citation.normalized_url:
            lines.setdefault(citation.normalized_url, []).append(citation.line)
    rules = active_rules(settings.anomalies.severities)
    known = registrations or _NO_REGISTRATIONS
    return [
        find_anomalies(
            Facts(
                item.citation,
                article,
                item.result,
                checked_at,
                settings,
                tuple(lines.get(item.citation.normalized_url or "", ())),
                item.history,
                item.drift,
                known,
                item.quotes,
                item.quotes_from,
            ),
            rules,
        )
        for item in checked
    ]
