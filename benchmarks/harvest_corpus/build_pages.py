"""Write the HTML page corpus (pages/*.html and pages.json) for `benchmarks/harvest_eval.py`.

Every page is made here from a CMS's page shape (the markup WordPress, Elementor, Blogger, Drupal,
ASP.NET WebForms, Ghost, Hugo, Joomla, Substack and several news sites put around an article), a
language pack (languages.py) and a date placement, and the generator records the truth as it
writes: the page's original publication date (or none), which links belong to the article's body
(its text, lists, footnotes and source lists) and which do not (navigation, related stories,
impressum, language switches, previous/next, share, tags, comments, sidebars, pop-ups).

The shapes and the failure kinds were written down before the harvester was changed for issue 12.
Templates marked `held_out` were not looked at while tuning: the benchmark reports them apart.

    python benchmarks/harvest_corpus/build_pages.py      # rewrites pages/ and pages.json
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from languages import LANGUAGES, Language

HERE = Path(__file__).resolve().parent
NOFOLLOW = ' rel="nofollow"'
PAGES = HERE / "pages"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass
class Spec:
    name: str
    template: str
    lang: str
    published: dt.date | None
    head: tuple[str, ...] = ()  # where the head states the date: jsonld, graph, meta:<key>, script, jsonld-utc
    visible: str = "none"  # how the byline shows it: time, text, text-cue, text-num, text-2digit, text-weekday, abbr, late, utc-text
    distractors: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    url_date: bool = False  # the page's URL holds the date
    canonical_date: bool = False  # only <link rel=canonical> holds the date (the page URL does not)
    held_out: bool = False
    seed: int = 0


@dataclass
class Page:
    """One page being written: its spec, its URL, and every link with its role."""

    spec: Spec
    lang: Language
    url: str
    rng: random.Random
    links: list[tuple[str, bool]] = field(default_factory=list)

    # --- links ---------------------------------------------------------------------------------------
    def a(self, href: str, text: str, body: bool = False, attrs: str = "") -> str:
        self.links.append((href, body))
        return f'<a href="{esc(href)}"{attrs}>{text}</a>'

    def body_url(self, index: int) -> str:
        hosts = [
            "www.dockworkers-union.example.org",
            "www.energy-regulator.example.gov",
            "www.citypress.example.com",
            "www.centralbank.example.int",
            "www.courts.example.gov",
            "data.statistics.example.org",
            "www.shipping-weekly.example.com",
            "www.transport-ministry.example.gov",
        ]
        host = hosts[index % len(hosts)]
        slug = [
            "statement-on-strike",
            "wholesale-prices-report.pdf",
            "2020/11/03/court-ruling-shifts",
            "inflation-report",
            "judgments/2020/1187",
            "tables/energy-prices?year=2021",
            "containers-pile-up",
            "press/meeting",
        ][index % 8]
        return f"https://{host}/{self.spec.name}/{slug}"

    # --- dates ---------------------------------------------------------------------------------------
    @property
    def date(self) -> dt.date:
        return self.spec.published or dt.date(2019, 5, 17)  # undated pages still need a date for teasers

    def iso(self, day: dt.date, hour: int = 9, minute: int = 30, tz: str = "+02:00") -> str:
        return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00{tz}"

    @property
    def modified(self) -> dt.date:
        return self.date + dt.timedelta(days=37 + self.spec.seed % 300)

    def long(self, day: dt.date) -> str:
        return self.lang.long(day, self.lang)

    def head_dates(self) -> str:
        """meta tags, JSON-LD and scripts that carry the date, as the spec asks."""
        out: list[str] = []
        spec, day = self.spec, self.spec.published
        modified = "modified" in spec.distractors
        if day is None:
            if modified:
                out.append(f'<meta property="article:modified_time" content="{self.iso(self.modified)}">')
            return "\n".join(out)
        for item in spec.head:
            if item == "jsonld":
                node = {
                    "@context": "https://schema.org",
                    "@type": "NewsArticle",
                    "headline": self.lang.title,
                    "datePublished": self.iso(day),
                }
                if modified:
                    node["dateModified"] = self.iso(self.modified, 12, 0)
                out.append(f'<script type="application/ld+json">{json.dumps(node, ensure_ascii=False)}</script>')
            elif item == "jsonld-utc":
                # Published at 22:40 local time (UTC-4): UTC has already moved on to the next day.
                node = {
                    "@context": "https://schema.org",
                    "@type": "Article",
                    "headline": self.lang.title,
                    "datePublished": f"{(day + dt.timedelta(days=1)).isoformat()}T02:40:00.000Z",
                }
                if modified:
                    node["dateModified"] = f"{self.modified.isoformat()}T15:00:00.000Z"
                out.append(f'<script type="application/ld+json">{json.dumps(node, ensure_ascii=False)}</script>')
            elif item == "graph":
                # Yoast-style @graph with the WebPage node first: its dates are the page record's (a
                # migration re-created it later), the article's own date is on the NewsArticle.
                migrated = day + dt.timedelta(days=400 + spec.seed % 200)
                graph = {
                    "@context": "https://schema.org",
                    "@graph": [
                        {
                            "@type": "WebPage",
                            "@id": self.url,
                            "url": self.url,
                            "name": self.lang.title,
                            "datePublished": self.iso(migrated),
                            "dateModified": self.iso(migrated, 10),
                        },
                        {
                            "@type": "NewsArticle",
                            "@id": self.url + "#article",
                            "headline": self.lang.title,
                            "datePublished": self.iso(day),
                            "isPartOf": {"@id": self.url},
                        },
                        {"@type": "Organization", "@id": "#org", "name": "Example News"},
                    ],
                }
                out.append(f'<script type="application/ld+json">{json.dumps(graph, ensure_ascii=False)}</script>')
            elif item.startswith("meta:"):
                key = item[5:]
                attr = "property" if key.startswith(("article:", "og:")) else "name"
                if modified:
                    out.append(f'<meta property="article:modified_time" content="{self.iso(self.modified)}">')
                value = self.iso(day)
                if key in ("pubdate", "publishdate", "date"):
                    value = day.isoformat()
                if key == "utc-meta":
                    key, value = "article:published_time", f"{(day + dt.timedelta(days=1)).isoformat()}T01:15:00+00:00"
                    attr = "property"
                out.append(f'<meta {attr}="{key}" content="{value}">')
            elif item == "script":
                data = {
                    "page": {
                        "type": "article",
                        "section": "economy",
                        "publishDate": f"{day.isoformat()}T07:30:00Z",
                        "wordCount": 612,
                    }
                }
                out.append(
                    f"<script>window.dataLayer = window.dataLayer || []; dataLayer.push({json.dumps(data)});</script>"
                )
            elif item == "script-state":
                state = {
                    "article": {
                        "id": 4521,
                        "title": self.lang.title,
                        "firstPublishedAt": f"{day.isoformat()}T06:00:00+00:00",
                        "lastUpdatedAt": f"{self.modified.isoformat()}T06:00:00+00:00",
                    }
                }
                out.append(f"<script>window.__INITIAL_STATE__ = {json.dumps(state, ensure_ascii=False)};</script>")
        return "\n".join(out)

    def byline_date(self, cls: str = "entry-date published") -> str:
        """The visible date in the byline, as the spec asks ('' when the byline shows none)."""
        spec, day, lang = self.spec, self.spec.published, self.lang
        modified = "modified" in spec.distractors
        update = ""
        if modified and spec.visible in ("time", "text-cue"):
            update = f' <span class="updated-label">{lang.updated} {self.long(self.modified)}</span>'
        if day is None:
            return update
        if spec.visible == "time":
            shown = f'<time class="{cls}" datetime="{self.iso(day)}">{self.long(day)}</time>'
            if modified:
                shown = (
                    f'<time class="updated" datetime="{self.iso(self.modified)}">{self.long(self.modified)}</time> '
                    + shown
                )
            return shown
        if spec.visible == "text":
            return f'<span class="date">{self.long(day)}</span>'
        if spec.visible == "text-cue":
            return f'<span class="date">{lang.published} {self.long(day)}, {lang.clock(9, 30)}</span>{update}'
        if spec.visible == "text-num":
            return f'<span class="date">{lang.numeric(day)} {lang.clock(18, 5)}</span>'
        if spec.visible == "text-2digit":
            short = f"{day.day:02d}.{day.month:02d}.{day.year % 100:02d}"
            return f'<span class="date">{lang.published} {short}</span>'
        if spec.visible == "text-weekday":
            return f'<span class="date">{lang.weekdays[day.weekday()]}, {self.long(day)}</span>'
        if spec.visible == "abbr":
            return f'<abbr class="published" title="{self.iso(day, tz="-07:00")}">9:30</abbr>'
        if spec.visible == "utc-text":
            return f'<span class="date">{self.long(day)}, 10:40 PM ET</span>'
        if spec.visible == "time-offset":
            # The meta tag gives the time in UTC (the next day); the byline's <time> keeps the local offset.
            return f'<time class="published" datetime="{day.isoformat()}T21:15:00-04:00">{self.long(day)}</time>'
        return ""

    def late_date(self) -> str:
        """A date line at the end of the article, below a long body (the 'late' placement)."""
        if self.spec.visible == "late" and self.spec.published:
            return f'<p class="article-date">{self.lang.published} {self.lang.numeric(self.spec.published)}</p>'
        return ""

    # --- article text --------------------------------------------------------------------------------
    def paragraphs(self, count: int = 6, links: int = 3, start: int = 0, tag: str = "p", cls: str = "") -> str:
        """`count` paragraphs of the language's prose; the first `links` link markers become body links."""
        sentences = self.lang.sentences
        out = []
        made = sum(1 for _, body in self.links if body)
        event = "event" in self.spec.distractors
        for index in range(count):
            parts = []
            for offset in (0, 1):
                sentence = sentences[(start + 2 * index + offset) % len(sentences)]
                if "{a}" in sentence:
                    before, rest = sentence.split("{a}", 1)
                    anchor, after = rest.split("{/a}", 1)
                    if links > 0:
                        sentence = before + self.a(self.body_url(made), anchor, body=True) + after
                        links -= 1
                        made += 1
                    else:
                        sentence = before + anchor + after
                if event and index == 2 and offset == 0 and ("," in sentence or "，" in sentence):
                    # A date in the prose, set in bold: an event, not the article's date.
                    event_day = self.date - dt.timedelta(days=281)
                    comma = "," if "," in sentence else "，"
                    head, tail = sentence.split(comma, 1)
                    sentence = f"{head} (<strong>{self.long(event_day)}</strong>){comma}{tail}"
                    event = False
                parts.append(sentence)
            klass = f' class="{cls}"' if cls else ""
            out.append(f"<{tag}{klass}>{' '.join(parts)}</{tag}>")
        return "\n".join(out)

    def body_extras(self) -> str:
        """Lists, quotes and bare URLs inside the body, as the spec's features ask."""
        out = []
        features = self.spec.features
        if "body-list" in features:
            items = "".join(
                f"<li>{self.a(self.body_url(10 + i) + '.pdf', f'{self.lang.sources} {i + 1}', body=True)}</li>"
                for i in range(2)
            )
            out.append(f"<ul>{items}</ul>")
        if "bare-url" in features:
            url = self.body_url(20)
            self.links.append(("text:" + url, True))  # text, which an archive does not rewrite
            out.append(f"<p>{self.lang.sources}: {url}</p>")
        if "internal" in features:
            earlier = self.date - dt.timedelta(days=12)
            out.append(
                f"<p>{self.lang.more}: "
                + self.a(
                    f"/{earlier.year}/{earlier.month:02d}/{earlier.day:02d}/port-talks-collapse/",
                    self.lang.sentences[5],
                    body=True,
                )
                + "</p>"
            )
        if "related-inline" in features:
            out.append(
                '<p class="related">Related article: '
                + self.a(
                    "https://www.themoscowtimes.example/2021/05/04/port-strike-spreads",
                    "Port Strike Spreads to Second City",
                    body=True,
                )
                + "</p>"
            )
        if "furniture-inside" in features:
            out.append(self.inside_furniture())
        return "\n".join(out)

    def inside_furniture(self) -> str:
        """What themes and plugins inject at the end of the article's own container, with no telling class:
        Jetpack's related posts, a bare "Related" heading and list, previous/next as rel links, a language line."""
        lang = self.lang
        jetpack = "".join(
            f'<div class="jp-relatedposts-post jp-relatedposts-post{i}"><h4 class="jp-relatedposts-post-title">'
            + self.a(self.teaser_url(130 + i), self.teaser_titles()[i], attrs=' class="jp-relatedposts-post-a"')
            + f'</h4><p class="jp-relatedposts-post-date">{self.long(self.date + dt.timedelta(days=4 + i))}</p></div>'
            for i in range(3)
        )
        plain = "".join(f"<li>{self.a(self.teaser_url(140 + i), self.teaser_titles()[i + 1])}</li>" for i in range(3))
        codes = [code for code in ("en", "de", "fr") if code != lang.code][:2]
        langs = " | ".join(
            self.a(f"/{code}/dock-strike/", LANGUAGES[code].name, attrs=f' hreflang="{code}"') for code in codes
        )
        choice = self.spec.seed % 3
        if choice == 0:
            return (
                f'<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>{lang.related}</em></h3>'
                f'<div class="jp-relatedposts-items jp-relatedposts-items-visual">{jetpack}</div></div>'
            )
        if choice == 1:
            return (
                f"<h3>{lang.related}</h3><ul>{plain}</ul><p>"
                + self.a(self.teaser_url(150), f"« {lang.previous}", attrs=' rel="prev"')
                + " | "
                + self.a(self.teaser_url(151), f"{lang.next} »", attrs=' rel="next"')
                + "</p>"
            )
        return f"<p>{langs}</p><h4>{lang.more}</h4><ul>{plain}</ul>"

    def footnotes(self, style: str) -> str:
        if "footnotes" not in self.spec.features:
            return ""
        items = []
        for i in range(3):
            url = self.body_url(30 + i)
            items.append((i + 1, url))
        if style == "hugo":
            lis = "".join(
                f'<li id="fn:{n}"><p>{self.a(u, u, body=True)}&#160;<a href="#fnref:{n}" class="footnote-backref" role="doc-backlink">&#8617;&#xfe0e;</a></p></li>'
                for n, u in items
            )
            return f'<div class="footnotes" role="doc-endnotes"><hr><ol>{lis}</ol></div>'
        if style == "substack":
            return "".join(
                f'<div class="footnote" data-component-name="FootnoteToDOM"><a id="footnote-{n}" href="#footnote-anchor-{n}" class="footnote-number" contenteditable="false" target="_self">{n}</a><div class="footnote-content"><p>{self.a(u, self.lang.sources, body=True)}</p></div></div>'
                for n, u in items
            )
        lis = "".join(
            f'<li id="note-{n}">{self.a(u, self.lang.sources + " " + str(n), body=True)}</li>' for n, u in items
        )
        return f'<aside class="footnotes"><h2>{self.lang.sources}</h2><ol>{lis}</ol></aside>'

    def sources_footer(self) -> str:
        if "sources-footer" not in self.spec.features:
            return ""
        links = ", ".join(self.a(self.body_url(40 + i), f"{self.lang.sources} {i + 1}", body=True) for i in range(2))
        return f"<p><strong>{self.lang.sources}:</strong> {links}</p>"

    # --- furniture -----------------------------------------------------------------------------------
    def menu_items(self, count: int, base: str = "/") -> list[str]:
        names = [
            "Politics",
            "Economy",
            "World",
            "Science",
            "Culture",
            "Sport",
            "Opinion",
            "Video",
            "Podcasts",
            "Weather",
            "Travel",
            "Tech",
            "Health",
            "Education",
            "Cars",
            "Jobs",
        ]
        return [self.a(f"{base}{name.lower()}/", name) for name in names[:count]]

    def nav(self, count: int = 8, cls: str = "main-navigation", tag: str = "nav") -> str:
        items = "".join(f'<li class="menu-item">{item}</li>' for item in self.menu_items(count))
        return f'<{tag} class="{cls}"><ul class="menu">{items}</ul></{tag}>'

    def teaser_titles(self) -> list[str]:
        return [
            "Rail unions announce weekend walkout",
            "Fuel bills to rise again in October",
            "Harbour authority names new chief",
            "Exporters count the cost of delays",
            "Ferry services cut as crews strike",
        ]

    def teaser_url(self, i: int) -> str:
        day = self.date - dt.timedelta(days=3 + i)
        return f"/{day.year}/{day.month:02d}/{day.day:02d}/teaser-story-{i}/"

    def teasers(self, count: int = 3, cls: str = "teaser", with_dates: bool = True, with_excerpt: bool = True) -> str:
        out = []
        for i in range(count):
            day = self.date + dt.timedelta(days=2 + i)  # later stories: a date after the article's
            date = f'<time datetime="{self.iso(day)}">{self.long(day)}</time>' if with_dates else ""
            excerpt = (
                f"<p>{self.lang.sentences[(i + 2) % 8].replace('{a}', '').replace('{/a}', '')}</p>"
                if with_excerpt
                else ""
            )
            out.append(
                f'<article class="{cls}">{self.a(self.teaser_url(i), f"<h3>{self.teaser_titles()[i]}</h3>")}{excerpt}{date}</article>'
            )
        return "\n".join(out)

    def related(self, heading_class: bool = True) -> str:
        if "related" not in self.spec.features:
            return ""
        items = "".join(f"<li>{self.a(self.teaser_url(10 + i), self.teaser_titles()[i])}</li>" for i in range(4))
        if heading_class:
            return f'<section class="related-posts"><h3>{self.lang.related}</h3><ul>{items}</ul></section>'
        return f'<div class="box box--list"><h3>{self.lang.related}</h3><ul>{items}</ul></div>'

    def prevnext(self, wrapper: str = "nav") -> str:
        if "prevnext" not in self.spec.features:
            return ""
        prev_link = self.a(self.teaser_url(20), f"« {self.lang.previous}", attrs=' rel="prev"')
        next_link = self.a(self.teaser_url(21), f"{self.lang.next} »", attrs=' rel="next"')
        if wrapper == "nav":
            return f'<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links"><div class="nav-previous">{prev_link}</div><div class="nav-next">{next_link}</div></div></nav>'
        return (
            f'<div class="post-links"><span class="prev">{prev_link}</span> <span class="next">{next_link}</span></div>'
        )

    def share(self, cls: str = "sharedaddy sd-sharing-enabled") -> str:
        if "share" not in self.spec.features:
            return ""
        links = "".join(
            self.a(f"https://{host}/share?url={esc(self.url)}", name, attrs=' class="share-icon"')
            for host, name in (
                ("www.facebook.com", "Facebook"),
                ("twitter.com", "Twitter"),
                ("www.linkedin.com", "LinkedIn"),
            )
        )
        return f'<div class="{cls}"><h3 class="sd-title">Share this:</h3><div class="sd-content">{links}</div></div>'

    def tags(self, cls: str = "tags-links") -> str:
        if "tags" not in self.spec.features:
            return ""
        links = ", ".join(self.a(f"/tag/{t}/", t, attrs=' rel="tag"') for t in ("strikes", "ports", "energy"))
        return f'<span class="{cls}">Tags: {links}</span>'

    def author_bio(self) -> str:
        if "author-bio" not in self.spec.features:
            return ""
        return (
            '<div class="author-box"><h4>About the author</h4>'
            + self.a("/author/jane-doe/", "Jane Doe")
            + " covers labour and transport. "
            + self.a("https://twitter.com/janedoe_example", "Follow on Twitter")
            + "</div>"
        )

    def comments(self, cls: str = "comments-area") -> str:
        if "comments" not in self.spec.features:
            return ""
        items = []
        for i in range(3):
            day = self.date + dt.timedelta(days=1 + i)
            items.append(
                '<li class="comment"><article class="comment-body"><footer class="comment-meta"><div class="comment-author vcard"><b class="fn">'
                + self.a(
                    f"https://commenter{i}.example.net/",
                    f"Reader {i}",
                    attrs=' class="url" rel="ugc external nofollow"',
                )
                + f'</b></div><div class="comment-metadata"><time datetime="{self.iso(day)}">{self.long(day)}</time></div></footer>'
                + f'<div class="comment-content"><p>{self.lang.comment} '
                + self.a(f"https://spam{i}.example.net/offer", "see this")
                + "</p></div></article></li>"
            )
        return f'<div id="comments" class="{cls}"><h2 class="comments-title">3 comments</h2><ol class="comment-list">{"".join(items)}</ol></div>'

    def sidebar_widgets(self) -> str:
        recent = "".join(
            f'<li>{self.a(self.teaser_url(30 + i), self.teaser_titles()[i])} <span class="post-date">{self.long(self.date + dt.timedelta(days=5 + i))}</span></li>'
            for i in range(4)
        )
        archives = "".join(f"<li>{self.a(f'/{2021 - i}/', str(2021 - i))}</li>" for i in range(3))
        return (
            f'<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section>'
            f'<section class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul>{archives}</ul></section>'
        )

    def lang_switch(self, cls: str = "lang-switch") -> str:
        if "lang-switch" not in self.spec.features:
            return ""
        codes = [code for code in ("en", "de", "fr", "es", "uk") if code != self.lang.code][:4]
        links = " | ".join(
            self.a(f"/{code}/", LANGUAGES[code].name, attrs=f' hreflang="{code}" lang="{code}"') for code in codes
        )
        if cls:
            return f'<div class="{cls}">{links}</div>'
        return f"<div>{links}</div>"

    def legal(self) -> str:
        return " ".join(self.a(f"/{name.lower().replace(' ', '-')}/", name) for name in self.lang.legal)

    def header_today(self) -> str:
        if "header-today" not in self.spec.distractors:
            return ""
        crawl = dt.date(2024, 1, 18)
        return f'<div class="top-bar"><span>{self.lang.today}: {self.long(crawl)}</span></div>'

    def popup(self) -> str:
        if "popup" not in self.spec.distractors:
            return ""
        return (
            '<div class="modal fade" id="loginModal" tabindex="-1" role="dialog" aria-hidden="true"><div class="modal-dialog">'
            '<article class="login-card"><h2>Sign in</h2><p>Sign in to comment and to save articles.</p>'
            + self.a("/account/register/", "Create an account")
            + " "
            + self.a("/account/reset/", "Forgot your password?")
            + f' <time datetime="{dt.date(2024, 1, 18).isoformat()}">{self.long(dt.date(2024, 1, 18))}</time></article></div></div>'
        )

    def cookie(self) -> str:
        return '<div class="cookie-notice">We use cookies. ' + self.a("/privacy/", "Learn more") + "</div>"


# --- templates -------------------------------------------------------------------------------------


def wordpress(p: Page) -> str:
    spec = p.spec
    tag2 = "media_social" if "social-tag" in spec.features else "ports"
    teasers = ""
    if "teasers-before" in spec.distractors:
        teasers = f'<div class="featured-posts">{p.teasers(3, cls="post type-post featured")}</div>'
    return f"""
<body class="post-template-default single single-post postid-4521 single-format-standard has-sidebar">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
{p.header_today()}
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title">{p.a("/", "Harbour Daily", attrs=' rel="home"')}</p></div>
{p.nav(9)}</header>
{p.popup()}
<div id="content" class="site-content">
{teasers}
<div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-4521" class="post-4521 post type-post status-publish format-standard hentry category-economy tag-strikes tag-{tag2}">
<header class="entry-header"><h1 class="entry-title">{p.lang.title}</h1>
<div class="entry-meta"><span class="posted-on">{p.byline_date()}</span> <span class="byline">by <span class="author vcard">{p.a("/author/jane-doe/", "Jane Doe", attrs=' class="url fn n"')}</span></span></div></header>
<div class="entry-content">
{p.paragraphs(7, 4)}
{p.body_extras()}
{p.footnotes("aside")}
{p.late_date()}
{p.share()}
</div>
<footer class="entry-footer"><span class="cat-links">Posted in {p.a("/category/economy/", "Economy", attrs=' rel="category tag"')}</span> {p.tags()}
{p.sources_footer()}</footer>
</article>
{p.author_bio()}
{p.prevnext("nav")}
{p.related()}
{p.comments()}
</main></div>
<aside id="secondary" class="widget-area">{p.sidebar_widgets()}</aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">{p.legal()} {p.a("https://wordpress.org/", "Proudly powered by WordPress")}</div>{p.lang_switch()}</footer>
</div>
{p.cookie()}
</body>"""


def elementor(p: Page) -> str:
    spec = p.spec
    date = p.byline_date()
    date_item = ""
    if date:
        date_item = (
            '<li class="elementor-icon-list-item elementor-repeater-item-1 elementor-inline-item" itemprop="datePublished">'
            f'<span class="elementor-icon-list-icon"><i aria-hidden="true" class="fas fa-calendar"></i></span>'
            f'<span class="elementor-icon-list-text elementor-post-info__item elementor-post-info__item--type-date">{date}</span></li>'
        )

    def widget(kind: str, inner: str) -> str:
        return (
            f'<div class="elementor-element elementor-element-{zlib.crc32(kind.encode()) % 9999:04x} elementor-widget elementor-widget-{kind}" data-widget_type="{kind}.default">'
            f'<div class="elementor-widget-container">{inner}</div></div>'
        )

    scattered = "scattered" in spec.features
    if scattered:
        # A post built in the Elementor editor: the text sits in many text-editor widgets, each in a section.
        sections = []
        for i in range(4):
            sections.append(
                '<section class="elementor-section elementor-inner-section elementor-element elementor-section-boxed">'
                '<div class="elementor-container elementor-column-gap-default"><div class="elementor-column elementor-col-100 elementor-inner-column elementor-element">'
                '<div class="elementor-widget-wrap elementor-element-populated">'
                + widget("text-editor", p.paragraphs(2, 1, start=2 * i))
                + "</div></div></div></section>"
            )
        content = "\n".join(sections) + widget("text-editor", p.body_extras() + p.sources_footer() + p.late_date())
    else:
        content = widget(
            "theme-post-content",
            p.paragraphs(7, 4) + p.body_extras() + p.footnotes("aside") + p.sources_footer() + p.late_date(),
        )
    share = widget("share-buttons", p.share("elementor-grid")) if "share" in spec.features else ""
    navigation = ""
    if "prevnext" in spec.features:
        navigation = widget(
            "post-navigation",
            '<div class="elementor-post-navigation"><div class="elementor-post-navigation__prev elementor-post-navigation__link">'
            + p.a(
                p.teaser_url(20),
                f'<span class="post-navigation__prev--label">{p.lang.previous}</span>',
                attrs=' rel="prev"',
            )
            + '</div><div class="elementor-post-navigation__next elementor-post-navigation__link">'
            + p.a(
                p.teaser_url(21),
                f'<span class="post-navigation__next--label">{p.lang.next}</span>',
                attrs=' rel="next"',
            )
            + "</div></div>",
        )
    related = ""
    if "related" in spec.features:
        related = widget(
            "posts",
            f'<h4>{p.lang.related}</h4><div class="elementor-posts-container elementor-posts elementor-grid">'
            + p.teasers(3, cls="elementor-post elementor-grid-item", with_excerpt=False)
            + "</div>",
        )
    header_menu = widget(
        "nav-menu",
        f'<nav class="elementor-nav-menu--main elementor-nav-menu__container">{p.nav(7, cls="elementor-nav-menu", tag="div")}</nav>',
    )
    return f"""
<body class="post-template-default single single-post postid-4521 single-format-standard elementor-default elementor-kit-5 elementor-page-77">
{p.header_today()}
<div data-elementor-type="header" data-elementor-id="12" class="elementor elementor-12 elementor-location-header">
<section class="elementor-section elementor-top-section elementor-element elementor-section-full_width"><div class="elementor-container">
<div class="elementor-column elementor-col-100 elementor-top-column elementor-element"><div class="elementor-widget-wrap elementor-element-populated">
{widget("theme-site-logo", p.a("/", "Harbour Daily"))}
{header_menu}
</div></div></div></section></div>
{p.popup()}
<div data-elementor-type="single-post" data-elementor-id="77" class="elementor elementor-77 elementor-location-single post-4521 post type-post status-publish format-standard has-post-thumbnail hentry category-economy">
<section class="elementor-section elementor-top-section elementor-element elementor-section-boxed"><div class="elementor-container elementor-column-gap-default">
<div class="elementor-column elementor-col-66 elementor-top-column elementor-element"><div class="elementor-widget-wrap elementor-element-populated">
{widget("theme-post-title elementor-page-title elementor-widget-heading", f'<h1 class="elementor-heading-title elementor-size-default">{p.lang.title}</h1>')}
{widget("post-info", f'<ul class="elementor-inline-items elementor-icon-list-items elementor-post-info">{date_item}<li class="elementor-icon-list-item elementor-inline-item" itemprop="author">{p.a("/author/jane-doe/", "Jane Doe")}</li></ul>')}
{content}
{share}
{navigation}
{p.comments()}
</div></div>
<div class="elementor-column elementor-col-33 elementor-top-column elementor-element"><div class="elementor-widget-wrap elementor-element-populated">
{related}
{widget("wp-widget-recent-posts", p.sidebar_widgets())}
</div></div>
</div></section></div>
<div data-elementor-type="footer" data-elementor-id="15" class="elementor elementor-15 elementor-location-footer">
<section class="elementor-section elementor-top-section elementor-element"><div class="elementor-container"><div class="elementor-column elementor-col-100"><div class="elementor-widget-wrap">
{widget("text-editor", "<p>© Harbour Daily " + p.legal() + "</p>")}
{widget("text-editor", p.lang_switch(""))}
</div></div></div></section></div>
{p.cookie()}
</body>"""


def blogger(p: Page) -> str:
    spec, lang = p.spec, p.lang
    day = spec.published
    date_header = ""
    if day and spec.visible in ("text-weekday", "text"):
        shown = f"{lang.weekdays[day.weekday()]}, {p.long(day)}" if spec.visible == "text-weekday" else p.long(day)
        date_header = f'<h2 class="date-header"><span>{shown}</span></h2>'
    stamp = p.byline_date() if spec.visible == "abbr" else ""
    blog = "https://harbour-notes.blogspot.com"
    share = ""
    if "share" in spec.features:
        share = (
            '<div class="post-share-buttons goog-inline-block">'
            + "".join(
                p.a(
                    f"https://www.blogger.com/share-post.g?blogID=1234&postID=5678&target={t}",
                    t,
                    attrs=' class="goog-inline-block share-button"',
                )
                for t in ("email", "blog", "twitter", "facebook")
            )
            + "</div>"
        )
    comments = ""
    if "comments" in spec.features:
        entries = "".join(
            '<li class="comment"><div class="comment-block"><div class="comment-header"><cite class="user">'
            + p.a(f"https://www.blogger.com/profile/0{i}998877", f"Reader {i}")
            + '</cite><span class="datetime secondary-text">'
            + p.a(
                f"{blog}/2021/08/post.html?showComment=16{i}#c{i}",
                p.long(p.date + dt.timedelta(days=i + 1)),
                attrs=NOFOLLOW,
            )
            + "</span></div>"
            + f'<p class="comment-content">{lang.comment}</p></div></li>'
            for i in range(3)
        )
        comments = f'<div class="comments" id="comments"><h4>3 comments:</h4><div class="comments-content"><ol>{entries}</ol></div></div>'
    archive = "".join(
        "<li>" + p.a(f"{blog}/{2021 - i}/", str(2021 - i), attrs=' class="post-count-link"') + "</li>" for i in range(4)
    )
    popular = "".join(f"<li>{p.a(p.teaser_url(40 + i), p.teaser_titles()[i])}</li>" for i in range(4))
    return f"""
<body class="variant-indie">
<div class="navbar section" id="navbar" name="Navbar"><div class="widget Navbar" data-version="1" id="Navbar1"></div></div>
<div class="header-outer"><div class="header section" id="header"><div class="widget Header" data-version="1" id="Header1">
<h1 class="title">{p.a(blog + "/", "Harbour Notes")}</h1><p class="description">Notes from the docks</p></div></div></div>
{p.header_today()}
<div class="tabs-outer"><div class="tabs section" id="crosscol"><div class="widget PageList" id="PageList1"><ul>{"".join(f"<li>{item}</li>" for item in p.menu_items(5, blog + "/p/"))}</ul></div></div></div>
<div class="main-outer"><div class="columns fauxcolumns"><div class="columns-inner">
<div class="column-center-outer"><div class="column-center-inner"><div class="main section" id="main" name="Main">
<div class="widget Blog" data-version="1" id="Blog1"><div class="blog-posts hfeed">
<div class="date-outer">{date_header}
<div class="date-posts"><div class="post-outer"><div class="post hentry uncustomized-post-template" itemprop="blogPost" itemscope itemtype="http://schema.org/BlogPosting">
<a name="5678"></a><h3 class="post-title entry-title" itemprop="name">{lang.title}</h3>
<div class="post-header"><div class="post-header-line-1"></div></div>
<div class="post-body entry-content" id="post-body-5678" itemprop="description articleBody">
{p.paragraphs(6, 4, tag="div")}
{p.body_extras()}
{p.sources_footer()}
{p.late_date()}
<div style="clear: both;"></div></div>
<div class="post-footer"><div class="post-footer-line post-footer-line-1">
<span class="post-author vcard">Posted by <span class="fn" itemprop="author">{p.a("https://www.blogger.com/profile/01234567890", "Jane Doe", attrs=' class="g-profile"')}</span></span>
<span class="post-timestamp">at {p.a(p.url, stamp or "09:30", attrs=' class="timestamp-link" rel="bookmark" title="permanent link"')}</span>
{share}</div>
<div class="post-footer-line post-footer-line-2"><span class="post-labels">Labels: {p.a(blog + "/search/label/Ports", "Ports", attrs=' rel="tag"')}</span></div></div>
</div>{comments}</div></div></div></div>
<div class="blog-pager" id="blog-pager"><span id="blog-pager-newer-link">{p.a(p.teaser_url(21), "Newer Post", attrs=' class="blog-pager-newer-link"')}</span>
<span id="blog-pager-older-link">{p.a(p.teaser_url(20), "Older Post", attrs=' class="blog-pager-older-link"')}</span>
{p.a(blog + "/", "Home", attrs=' class="home-link"')}</div>
<div class="post-feeds"><div class="feed-links">Subscribe to: {p.a(blog + "/feeds/5678/comments/default", "Post Comments (Atom)", attrs=' class="feed-link"')}</div></div>
</div></div></div></div>
<div class="column-right-outer"><div class="column-right-inner"><aside><div class="sidebar section" id="sidebar-right-1">
<div class="widget BlogArchive" data-version="1" id="BlogArchive1"><h2>Blog Archive</h2><div class="widget-content"><ul class="hierarchy">{archive}</ul></div></div>
<div class="widget PopularPosts" data-version="1" id="PopularPosts1"><h2>Popular Posts</h2><div class="widget-content popular-posts"><ul>{popular}</ul></div></div>
</div></aside></div></div>
</div></div></div>
<div class="footer-outer"><div class="footer section" id="footer-1"><div class="widget Attribution" data-version="1" id="Attribution1"><div class="widget-content">Powered by {p.a("https://www.blogger.com", "Blogger")}.</div></div></div></div>
</body>"""


def drupal(p: Page) -> str:
    spec = p.spec
    day = spec.published
    submitted = ""
    if day and spec.visible == "text-num":
        # Drupal's default "medium" date: D, m/d/Y - H:i (US order).
        submitted = f'<span class="field field--name-created field--type-created">{p.lang.weekdays[day.weekday()][:3]}, {day.month:02d}/{day.day:02d}/{day.year} - 09:30</span>'
    elif day and spec.visible == "rdfa":
        submitted = (
            f'<span property="dc:date dc:created" content="{p.iso(day)}" datatype="xsd:dateTime">{p.long(day)}</span>'
        )
    elif spec.visible not in ("none", "late"):
        submitted = p.byline_date()
    breadcrumb = f'<nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb"><ol><li>{p.a("/", "Home")}</li><li>{p.a("/news", "News")}</li></ol></nav>'
    tags = ""
    if "tags" in spec.features:
        tags = (
            '<section class="field field--name-field-tags field--type-entity-reference field--label-above clearfix"><h3 class="field__label">Tags</h3><ul class="links field__items">'
            + "".join(
                "<li>" + p.a(f"/taxonomy/term/{i}", t, attrs=' hreflang="en"') + "</li>"
                for i, t in enumerate(("Ports", "Strikes"), 3)
            )
            + "</ul></section>"
        )
    return f"""
<body class="path-node page-node-type-article">
<a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<div id="page-wrapper"><div id="page">
<header id="header" class="header" role="banner"><div class="section layout-container clearfix">
<div class="region region-header"><div id="block-bartik-branding" class="site-branding block block-system">{p.a("/", "Harbour Council News", attrs=' rel="home"')}</div></div>
<div class="region region-primary-menu"><nav role="navigation" aria-labelledby="block-bartik-main-menu-menu" id="block-bartik-main-menu" class="block block-menu navigation menu--main">{p.nav(6, cls="clearfix menu", tag="div")}</nav></div>
</div></header>
{p.header_today()}
<div id="main-wrapper" class="layout-main-wrapper layout-container clearfix"><div id="main" class="layout-main clearfix">
<div class="region region-breadcrumb">{breadcrumb}</div>
<main id="content" class="column main-content" role="main"><section class="section"><a id="main-content" tabindex="-1"></a>
<div class="region region-content">
<div id="block-bartik-page-title" class="block block-core block-page-title-block"><h1 class="title page-title"><span class="field field--name-title">{p.lang.title}</span></h1></div>
<div id="block-bartik-content" class="block block-system block-system-main-block"><div class="content">
<article data-history-node-id="4521" role="article" about="/node/4521" class="node node--type-article node--promoted node--view-mode-full">
<header><div class="node__meta"><span>Submitted by <span class="field field--name-uid"><span>editor</span></span> on {submitted}</span></div></header>
<div class="node__content clearfix">
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
{p.paragraphs(6, 3)}
{p.body_extras()}
{p.footnotes("aside")}
{p.sources_footer()}
{p.late_date()}
</div>
{tags}
{p.comments("field field--name-comment field--type-comment comment-wrapper")}
</div></article></div></div></div>
</section></main>
<div id="sidebar-second" class="column sidebar"><aside class="section" role="complementary"><div class="views-element-container block block-views" id="block-views-block-content-recent-block-1"><h2>Recent content</h2>{p.sidebar_widgets()}</div></aside></div>
</div></div>
<footer class="site-footer"><div class="layout-container"><div class="region region-footer-fifth"><nav role="navigation" id="block-bartik-footer" class="block block-menu navigation menu--footer">{p.legal()}</nav></div>{p.lang_switch("language-switcher-language-url")}</div></footer>
</div></div></div>
</body>"""


def aspnet(p: Page) -> str:
    date = p.byline_date()
    left = "".join(f'<tr><td class="leftmenu">{item}</td></tr>' for item in p.menu_items(14, "/Pages/"))
    top = " | ".join(p.menu_items(6, "/Top/"))
    return f"""
<body>
<form method="post" action="./NewsDetail.aspx?id=4521" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk"></div>
<table width="100%" cellpadding="0" cellspacing="0" id="tblMain"><tr><td id="tdHeader">
<img src="/images/logo.gif" alt="Ministry of Transport"> {top}
{p.header_today()}
</td></tr>
<tr><td><table width="100%"><tr>
<td id="tdLeftMenu" valign="top" width="200"><table>{left}</table></td>
<td valign="top">
<div id="ctl00_ContentPlaceHolder1_pnlNews">
<h1><span id="ctl00_ContentPlaceHolder1_lblTitle">{p.lang.title}</span></h1>
<span id="ctl00_ContentPlaceHolder1_lblDate" class="newsdate">{date}</span>
<div id="ctl00_ContentPlaceHolder1_divBody">
{p.paragraphs(5, 3)}
{p.body_extras()}
{p.sources_footer()}
{p.late_date()}
</div>
{p.a("NewsList.aspx", "« Back to news list", attrs=' id="ctl00_ContentPlaceHolder1_hlBack"')}
</div></td></tr></table></td></tr>
<tr><td id="tdFooter">© 2024 Ministry of Transport | {p.a("Contact.aspx", "Contact")} | {p.a("Sitemap.aspx", "Sitemap")} | {p.legal()} {p.lang_switch("")}</td></tr></table>
<script type="text/javascript">//<![CDATA[
var theForm = document.forms['aspnetForm'];
//]]></script>
</form>
</body>"""


def newsgraph(p: Page) -> str:
    spec = p.spec
    top = ""
    if "teasers-before" in spec.distractors:
        top = f'<section class="top-stories"><h2>Top stories</h2>{p.teasers(3)}</section>'
    wrapper = "l-container l-sidebar-fixed" if "sidebar-wrapper" in spec.features else "l-container"
    related = ""
    if "related" in spec.features:
        related = f'<section class="related-content"><h2>{p.lang.related}</h2>{p.teasers(4, cls="teaser teaser--small", with_dates=True)}</section>'
    most_read = "".join(f"<li>{p.a(p.teaser_url(50 + i), p.teaser_titles()[i])}</li>" for i in range(5))
    header_class = "article-header" if "article-header-wrapper" not in spec.features else "article-header"
    body = p.paragraphs(8, 4) + p.body_extras() + p.footnotes("aside") + p.sources_footer() + p.late_date()
    if "article-header-wrapper" in spec.features:
        # The whole article sits in a container whose class says "header" (a real theme's quirk).
        article = f"""<div class="{header_class}"><h1 class="article-header__title">{p.lang.title}</h1>
<div class="byline">{p.a("/authors/jane-doe", "Jane Doe", attrs=' rel="author"')} {p.byline_date("byline__date")}</div>
<div class="article-body">{body}</div></div>"""
    else:
        article = f"""<header class="{header_class}"><h1 class="article-header__title">{p.lang.title}</h1>
<p class="article-header__standfirst">{p.lang.sentences[2].replace("{a}", "").replace("{/a}", "")}</p>
<div class="byline">{p.a("/authors/jane-doe", "Jane Doe", attrs=' rel="author"')} {p.byline_date("byline__date")}</div></header>
<div class="l-article-body article-body">{body}</div>"""
    return f"""
<body class="article-page">
<div id="app">
{p.popup()}
<header class="site-header"><div class="header__top">{p.header_today()}</div>{p.nav(10, cls="header__nav")}</header>
{top}
<main class="l-main"><div class="{wrapper}">
<article class="article" itemscope itemtype="https://schema.org/NewsArticle">
{article}
<div class="article-tags">{p.tags("article-tags__list")}</div>
{p.share("article-share")}
</article>
<aside class="l-sidebar"><div class="most-read"><h2>Most read</h2><ol>{most_read}</ol></div></aside>
</div>
{related}
{p.prevnext("div")}
</main>
<footer class="site-footer">{p.legal()} {p.lang_switch()}</footer>
</div>
</body>"""


def ghost(p: Page) -> str:
    spec = p.spec
    read_more = ""
    if "related" in spec.features:
        read_more = f'<aside class="read-more-wrap outer"><div class="read-more inner">{p.teasers(3, cls="post-card post", with_dates=True)}</div></aside>'
    return f"""
<body class="post-template tag-labour tag-news">
<div class="viewport"><div class="site-content">
<header id="gh-head" class="gh-head outer"><nav class="gh-head-inner inner"><div class="gh-head-brand">{p.a("/", "The Quay")}</div>{p.nav(5, cls="gh-head-menu", tag="div")}</nav></header>
{p.header_today()}
<main id="site-main" class="site-main">
<article class="article post tag-labour tag-news featured">
<header class="article-header gh-canvas">
<div class="article-tag post-card-tags"><span class="post-card-primary-tag">{p.a("/tag/labour/", "Labour")}</span></div>
<h1 class="article-title">{p.lang.title}</h1>
<div class="article-byline"><div class="article-byline-content"><div class="article-byline-meta"><h4 class="author-name">{p.a("/author/jane/", "Jane Doe")}</h4>
<div class="byline-meta-content">{p.byline_date("byline-meta-date")}<span class="byline-reading-time"><span class="bull">&bull;</span> 4 min read</span></div></div></div></div>
</header>
<section class="gh-content gh-canvas">
{p.paragraphs(7, 4)}
{p.body_extras()}
{p.footnotes("aside")}
{p.sources_footer()}
{p.late_date()}
</section>
</article>
{p.comments("article-comments gh-canvas")}
</main>
{read_more}
<footer class="site-footer outer"><div class="inner"><section class="copyright">{p.a("/", "The Quay")} &copy; 2024</section>
<nav class="site-footer-nav">{p.legal()}</nav><div class="gh-powered-by">{p.a("https://ghost.org/", "Powered by Ghost")}</div></div></footer>
</div></div>
</body>"""


def hugo(p: Page) -> str:
    spec = p.spec
    base = "https://blog.example.dev"
    meta = p.byline_date()
    if spec.visible == "hugo-title" and spec.published:
        meta = f"<span title='{spec.published.isoformat()} 09:30:00 +0200 CEST'>{p.long(spec.published)}</span>"
    paginav = ""
    if "prevnext" in spec.features:
        paginav = (
            '<nav class="paginav">'
            + p.a(
                p.teaser_url(20),
                '<span class="title">« Prev</span><br><span>Rail unions announce weekend walkout</span>',
                attrs=' class="prev"',
            )
            + p.a(
                p.teaser_url(21),
                '<span class="title">Next »</span><br><span>Fuel bills to rise again</span>',
                attrs=' class="next"',
            )
            + "</nav>"
        )
    text = p.paragraphs(6, 3)
    if "footnotes" in spec.features:
        text = text.replace(
            "</p>", '<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup></p>', 1
        )
    tags = ""
    if "tags" in spec.features:
        tags = (
            '<ul class="post-tags">'
            + "".join(f"<li>{p.a(f'{base}/tags/{t}/', t)}</li>" for t in ("strikes", "ports"))
            + "</ul>"
        )
    return f"""
<body class="" id="top">
<header class="header"><nav class="nav"><div class="logo">{p.a(base + "/", "Dock Notes", attrs=' accesskey="h"')}</div>
<ul id="menu">{"".join(f"<li>{p.a(f'{base}/{x}/', x.title())}</li>" for x in ("archives", "tags", "search", "about"))}</ul></nav></header>
{p.header_today()}
<main class="main"><article class="post-single">
<header class="post-header"><div class="breadcrumbs">{p.a(base + "/", "Home")}&nbsp;»&nbsp;{p.a(base + "/posts/", "Posts")}</div>
<h1 class="post-title entry-hint-parent">{p.lang.title}</h1>
<div class="post-meta">{meta}&nbsp;·&nbsp;4 min&nbsp;·&nbsp;Jane Doe</div></header>
<div class="post-content">
{text}
{p.body_extras()}
{p.sources_footer()}
{p.late_date()}
{p.footnotes("hugo")}
</div>
<footer class="post-footer">{tags}{paginav}{p.share("share-buttons")}</footer>
</article></main>
<footer class="footer"><span>&copy; 2024 {p.a(base + "/", "Dock Notes")}</span> · <span>Powered by {p.a("https://gohugo.io/", "Hugo")}</span></footer>
</body>"""


def german_news(p: Page) -> str:
    spec = p.spec
    day = spec.published
    time_html = p.byline_date()
    if day and spec.visible == "time-spiegel":
        # Spiegel writes its datetime with dots and a space: not ISO 8601.
        time_html = (
            f'<time datetime="{day.isoformat()} 18.30.00" class="timeformat">{p.lang.numeric(day)}, 18.30 Uhr</time>'
        )
    related = ""
    if "related" in spec.features:
        related = (
            f'<div data-area="related_articles"><div class="related"><span class="font-bold">{p.lang.related}</span><ul>'
            + "".join(f"<li>{p.a(p.teaser_url(60 + i), p.teaser_titles()[i])}</li>" for i in range(3))
            + "</ul></div></div>"
        )
    return f"""
<body>
<header data-area="main_navigation"><nav aria-label="Hauptnavigation">{p.nav(10, cls="nav-main", tag="div")}</nav></header>
{p.header_today()}
{p.popup()}
<main id="Inhalt"><article aria-label="{esc(p.lang.title)}" data-area="article">
<header data-area="intro"><h2><span class="text-primary-base">Arbeitskampf</span> <span>{p.lang.title}</span></h2>
<div class="font-sansUI">{time_html}</div></header>
<section class="relative" data-area="body">
<div data-area="text_block"><div class="RichText">{p.paragraphs(3, 2)}</div></div>
{related}
<div data-area="text_block"><div class="RichText">{p.paragraphs(4, 2, start=6)}{p.body_extras()}{p.sources_footer()}{p.late_date()}</div></div>
</section>
<footer data-area="article_footer">{p.tags("tags")}{p.share("social-bar")}</footer>
</article></main>
<footer data-area="footer">{p.legal()} {p.lang_switch()}</footer>
</body>"""


def french_news(p: Page) -> str:
    spec = p.spec
    day = spec.published
    meta = p.byline_date()
    if day and spec.visible == "lemonde":
        later = p.modified
        meta = (
            f'<p class="meta meta__date meta__date--header">{p.lang.published} {p.long(day)} à 18h30, '
            f"{p.lang.updated.lower()} {p.long(later)} à 09h12</p>"
        )
    runner = "".join(f"<li>{p.a(p.teaser_url(70 + i), p.teaser_titles()[i])}</li>" for i in range(4))
    return f"""
<body class="article-page">
<header class="Header">{p.nav(9, cls="Nav", tag="nav")}</header>
{p.header_today()}
<main id="js-body"><section class="zone zone--article">
<header class="article__header"><h1 class="article__title">{p.lang.title}</h1><p class="article__desc">{p.lang.sentences[2].replace("{a}", "").replace("{/a}", "")}</p></header>
<section class="article__wrapper"><article class="article__content old__article-content-single">
{meta}
{p.paragraphs(6, 4, cls="article__paragraph")}
{p.body_extras()}
{p.footnotes("aside")}
{p.sources_footer()}
{p.late_date()}
</article>
<aside class="aside__iso old__aside"><section class="area area--runner"><h3>Les plus lus</h3><ul>{runner}</ul></section></aside>
{p.related(heading_class=False)}
</section></section></main>
<footer class="Footer">{p.legal()} {p.lang_switch()}</footer>
</body>"""


# --- held-out templates (not looked at while tuning) --------------------------------------------


def substack(p: Page) -> str:
    spec = p.spec
    day = spec.published
    date = p.byline_date()
    if day and spec.visible == "substack":
        date = f'<div class="post-date" title="{day.isoformat()}T09:30:00.000Z">{p.lang.months[day.month - 1][:3]} {day.day}, {day.year}</div>'
    more = "".join(
        f'<div class="post-preview">{p.a(p.teaser_url(80 + i), p.teaser_titles()[i])}</div>' for i in range(3)
    )
    return f"""
<body>
<div id="entry"><div id="main" class="main typography use-theme-bg">
<div class="topbar"><div class="navbar-title">{p.a("/", "Dock Letter")}</div>{p.a("/subscribe", "Subscribe")} {p.a("/account/login", "Sign in")}</div>
<div class="single-post-container"><div class="container"><div class="single-post">
<div class="post-header"><h1 class="post-title published">{p.lang.title}</h1><h3 class="subtitle">{p.lang.sentences[2].replace("{a}", "").replace("{/a}", "")}</h3>
<div class="post-meta post-meta-web"><div class="post-label"><div class="meta-author-wrap">{p.a("https://substack.com/@janedoe", "Jane Doe")}</div>{date}</div></div></div>
<div class="available-content"><div dir="auto" class="body markup">
{p.paragraphs(7, 4)}
{p.body_extras()}
{p.sources_footer()}
{p.late_date()}
{p.footnotes("substack")}
</div></div>
<div class="post-footer use-separators">{p.a("/p/dock-strike/comments", "Comments")} {p.share("post-ufi")}</div>
<div class="single-post-section comments-section">{p.comments("comments-page")}</div>
<div class="more-posts"><h4>Ready for more?</h4>{more}</div>
</div></div></div></div></div>
<div class="footer-wrap"><div class="footer">{p.a("https://substack.com/privacy", "Privacy")} {p.a("https://substack.com/tos", "Terms")}</div></div>
</body>"""


def joomla(p: Page) -> str:
    spec = p.spec
    day = spec.published
    date = ""
    if day and spec.visible == "joomla":
        date = f'<dd class="published"><span class="icon-calendar" aria-hidden="true"></span><time datetime="{p.iso(day, tz="+00:00")}" itemprop="datePublished">{p.lang.published}: {p.long(day)}</time></dd>'
    elif spec.visible != "none":
        date = f'<dd class="published">{p.byline_date()}</dd>'
    pager = ""
    if "prevnext" in spec.features:
        pager = (
            '<ul class="pager pagenav"><li class="previous">'
            + p.a(p.teaser_url(20), f"‹ {p.lang.previous}", attrs=' rel="prev"')
            + '</li><li class="next">'
            + p.a(p.teaser_url(21), f"{p.lang.next} ›", attrs=' rel="next"')
            + "</li></ul>"
        )
    return f"""
<body class="site com_content view-article no-layout no-task itemid-101">
<div class="body"><div class="container">
<header class="header" role="banner"><div class="header-inner clearfix">{p.a("/", "Comune di Porto")}</div></header>
<nav class="navigation" role="navigation"><div class="nav-collapse">{p.nav(7, cls="nav menu", tag="div")}</div></nav>
{p.header_today()}
<div class="row-fluid"><main id="content" role="main" class="span9">
<div class="item-page" itemscope itemtype="https://schema.org/Article"><meta itemprop="inLanguage" content="{p.lang.code}">
<div class="page-header"><h2 itemprop="headline">{p.lang.title}</h2></div>
<dl class="article-info muted"><dt class="article-info-term">Dettagli</dt><dd class="createdby" itemprop="author">Redazione</dd>
<dd class="category-name">{p.a("/index.php/notizie", "Notizie", attrs=' itemprop="genre"')}</dd>{date}<dd class="hits">1234</dd></dl>
<div itemprop="articleBody">
{p.paragraphs(6, 3)}
{p.body_extras()}
{p.sources_footer()}
{p.late_date()}
</div>
{pager}
</div></main>
<div id="aside" class="span3"><div class="well"><h3 class="page-header">Ultime notizie</h3><ul class="latestnews mod-list">{"".join(f"<li>{p.a(p.teaser_url(90 + i), p.teaser_titles()[i])}</li>" for i in range(4))}</ul></div></div>
</div></div></div>
<footer class="footer" role="contentinfo"><div class="container">{p.legal()} {p.lang_switch()}</div></footer>
</body>"""


def cn_portal(p: Page) -> str:
    spec = p.spec
    day = spec.published
    info = p.byline_date()
    if day and spec.visible == "cn-time":
        info = f'<span class="time">{day.isoformat()} 18:30:00</span> <span class="source">来源：新华网</span>'
    nav = "".join(f'<a href="/{x}/">{x}</a>' for x in ())
    del nav
    navs = "".join(f"<li>{item}</li>" for item in p.menu_items(12))
    related = "".join(
        f"<li>{p.a(p.teaser_url(100 + i), p.teaser_titles()[i])}<span>{(p.date + dt.timedelta(days=i + 1)).isoformat()}</span></li>"
        for i in range(5)
    )
    return f"""
<body>
<div class="topbar"><div class="w1200">{p.header_today()} {p.a("/login", "登录")} {p.a("/reg", "注册")}</div></div>
<div class="navbar"><ul class="nav-list">{navs}</ul></div>
<div class="w1200 main clearfix"><div class="left-main">
<div class="crumb">{p.a("/", "首页")} &gt; {p.a("/finance/", "财经")} &gt; 正文</div>
<h1 class="main-title">{p.lang.title}</h1>
<div class="info">{info}</div>
<div class="article" id="articleText"><div class="TRS_Editor">
{p.paragraphs(6, 3)}
{p.body_extras()}
{p.sources_footer()}
{p.late_date()}
</div></div>
<div class="editor">（责任编辑：王明）</div>
<div class="xgxw"><h3>{p.lang.related}</h3><ul>{related}</ul></div>
</div>
<div class="right-side"><div class="rank"><h3>热点排行</h3><ol>{"".join(f"<li>{p.a(p.teaser_url(110 + i), p.teaser_titles()[i])}</li>" for i in range(4))}</ol></div></div></div>
<div class="footer">{p.legal()} <p>Copyright © 2024 版权所有</p></div>
</body>"""


def jp_blog(p: Page) -> str:
    spec = p.spec
    day = spec.published
    date = p.byline_date()
    if day and spec.visible == "hatena":
        # Published at 08:00 JST, which is the previous day in UTC: the datetime says UTC.
        utc = day - dt.timedelta(days=1)
        date = (
            '<div class="date entry-date first">'
            + p.a(f"/archive/{day.year}/{day.month:02d}/{day.day:02d}", "", attrs=NOFOLLOW)
            + f'<time datetime="{utc.isoformat()}T23:00:00Z" title="{utc.isoformat()}T23:00:00Z"><span class="date-year">{day.year}</span><span class="hyphen">-</span>'
            f'<span class="date-month">{day.month:02d}</span><span class="hyphen">-</span><span class="date-day">{day.day:02d}</span></time></div>'
        )
    pager = ""
    if "prevnext" in spec.features:
        pager = (
            '<div class="pager pager-permalink permalink"><span class="pager-prev">'
            + p.a(p.teaser_url(20), "前の記事", attrs=' rel="prev"')
            + '</span><span class="pager-next">'
            + p.a(p.teaser_url(21), "次の記事", attrs=' rel="next"')
            + "</span></div>"
        )
    related = ""
    if "related" in spec.features:
        related = (
            '<div class="hatena-module hatena-module-related-entries"><div class="hatena-module-title">関連記事</div><ul class="related-entries hatena-urllist">'
            + "".join(
                f'<li class="urllist-item related-entries-item">{p.a(p.teaser_url(120 + i), p.teaser_titles()[i])}</li>'
                for i in range(3)
            )
            + "</ul></div>"
        )
    return f"""
<body class="page-entry header-image-enable enable-top-editarea enable-bottom-editarea">
<div id="globalheader-container"><iframe id="globalheader" src="https://blog.hatena.ne.jp/-/globalheader"></iframe></div>
<div id="container"><div id="container-inner">
<header id="blog-title"><div id="blog-title-inner"><h1 id="title">{p.a("https://dock-nikki.hatenablog.com/", "港の日記")}</h1></div></header>
{p.header_today()}
<div id="content" class="hfeed"><div id="content-inner"><div id="wrapper"><div id="main"><div id="main-inner">
<article class="entry hentry test-hentry js-entry-article date-first autopagerize_page_element chars-400 words-100 mode-html entry-odd">
<div class="entry-inner"><header class="entry-header">{date}<h1 class="entry-title">{p.a(p.url, p.lang.title, attrs=' class="entry-title-link bookmark"')}</h1></header>
<div class="entry-content hatenablog-entry">
{p.paragraphs(6, 3)}
{p.body_extras()}
{p.sources_footer()}
{p.late_date()}
</div>
<footer class="entry-footer"><div class="entry-tags-wrapper">{p.tags("entry-tags")}</div>{p.share("social-buttons")}{related}</footer>
</div></article>
{pager}
{p.comments("comment-box js-comment-box")}
</div></div></div>
<aside id="box2"><div id="box2-inner"><div class="hatena-module hatena-module-recent-entries"><div class="hatena-module-title">最新記事</div>{p.sidebar_widgets()}</div></div></aside>
</div></div></div></div>
<footer id="footer"><div class="footer-address">{p.a("https://hatenablog.com/", "Powered by Hatena Blog")}</div></footer>
</body>"""


def wayback(p: Page) -> str:
    """A WordPress post saved from the Wayback Machine: the toolbar and every link rewritten to web.archive.org."""
    inner = wordpress(p)
    capture = "20230115101503"
    toolbar = (
        '<!-- BEGIN WAYBACK TOOLBAR INSERT --><div id="wm-ipp-base" lang="en" style="display:block;direction:ltr;"><div id="wm-ipp" style="position:fixed;">'
        '<div id="wm-ipp-inside"><div id="wm-logo">'
        + p.a("https://web.archive.org/web/", "Wayback Machine")
        + '</div><table class="c"><tbody><tr><td class="u" colspan="2"><form target="_top" method="get" action="/web/submit"><input type="text" name="url" value="'
        + esc(p.url)
        + '"></form></td>'
        + '<td class="n" rowspan="2"><table><tbody><tr class="m"><td class="b">'
        + p.a(f"https://web.archive.org/web/20221201000000*/{p.url}", "DEC")
        + '</td><td class="c" id="displayMonthEl" title="You are here: 10:15:03 Jan 15, 2023">JAN</td><td class="f">'
        + p.a(f"https://web.archive.org/web/20230301000000*/{p.url}", "MAR")
        + '</td></tr><tr class="d"><td class="b">'
        + p.a(f"https://web.archive.org/web/20221204000000/{p.url}", "04")
        + '</td><td class="c" id="displayDayEl" title="You are here: 10:15:03 Jan 15, 2023">15</td><td class="f">'
        + p.a(f"https://web.archive.org/web/20230302000000/{p.url}", "02")
        + '</td></tr><tr class="y"><td class="b">2022</td><td class="c" id="displayYearEl">2023</td><td class="f">2024</td></tr></tbody></table></td></tr>'
        + '<tr><td class="s">'
        + p.a(f"https://web.archive.org/web/*/{p.url}", "12 captures")
        + '<div id="wm-nav-captures">15 Jan 2023 - 18 Jan 2024</div></td></tr></tbody></table></div></div></div><!-- END WAYBACK TOOLBAR INSERT -->'
    )
    return inner.replace('<div id="page" class="site">', toolbar + '\n<div id="page" class="site">', 1), capture  # type: ignore[return-value]


TEMPLATES: dict[str, Callable[[Page], str]] = {
    "wordpress": wordpress,
    "elementor": elementor,
    "blogger": blogger,
    "drupal": drupal,
    "aspnet": aspnet,
    "newsgraph": newsgraph,
    "ghost": ghost,
    "hugo": hugo,
    "german-news": german_news,
    "french-news": french_news,
    "substack": substack,
    "joomla": joomla,
    "cn-portal": cn_portal,
    "jp-blog": jp_blog,
    "wayback": wayback,  # type: ignore[dict-item]
}
HELD_OUT = {"substack", "joomla", "cn-portal", "jp-blog", "wayback"}

HOSTS = {
    "wordpress": "https://harbourdaily.example.com",
    "elementor": "https://www.portnews.example.eu",
    "blogger": "https://harbour-notes.blogspot.com",
    "drupal": "https://www.harbour-council.example.gov",
    "aspnet": "https://www.transport.example.gov",
    "newsgraph": "https://www.globalwire.example.com",
    "ghost": "https://thequay.example.io",
    "hugo": "https://blog.example.dev",
    "german-news": "https://www.nachrichten.example.de",
    "french-news": "https://www.quotidien.example.fr",
    "substack": "https://dockletter.substack.com",
    "joomla": "https://www.comune-porto.example.it",
    "cn-portal": "https://news.example.cn",
    "jp-blog": "https://dock-nikki.hatenablog.com",
    "wayback": "https://harbourdaily.example.com",
}


def page_url(spec: Spec) -> str:
    host = HOSTS[spec.template]
    if spec.template == "aspnet":
        return f"{host}/News/NewsDetail.aspx?id={4000 + spec.seed}"
    if spec.url_date and spec.published:
        d = spec.published
        return f"{host}/{d.year}/{d.month:02d}/{d.day:02d}/dock-strike-{spec.seed}/"
    if spec.template == "blogger" and spec.published:
        return f"{host}/{spec.published.year}/{spec.published.month:02d}/dock-strike-{spec.seed}.html"
    return f"{host}/economy/dock-strike-second-day-{spec.seed}"


def build(spec: Spec) -> tuple[str, dict[str, object]]:
    lang = LANGUAGES[spec.lang]
    url = page_url(spec)
    page = Page(spec, lang, url, random.Random(spec.seed))
    made = TEMPLATES[spec.template](page)
    body = made[0] if isinstance(made, tuple) else made
    canonical = url
    if spec.canonical_date and spec.published:
        d = spec.published
        canonical = f"{HOSTS[spec.template]}/{d.year}/{d.month:02d}/{d.day:02d}/dock-strike-{spec.seed}/"
        url = f"{HOSTS[spec.template]}/amp/story/{spec.seed}"
    head = f"""<!DOCTYPE html>
<html lang="{lang.code}">
<head>
<meta charset="utf-8">
<title>{esc(lang.title)} | Example</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{esc(lang.title)}">
<link rel="canonical" href="{esc(canonical)}">
{page.head_dates()}
</head>"""
    document = head + body + "\n</html>\n"
    body_links: list[str] = []
    other_links: list[str] = []
    for href, is_body in page.links:
        if href.startswith("text:"):
            (body_links if is_body else other_links).append(href[5:])
            continue
        absolute = urljoin(url, href)
        if spec.template == "wayback" and not absolute.startswith("https://web.archive.org/"):
            absolute = f"https://web.archive.org/web/20230115101503/{absolute}"
        (body_links if is_body else other_links).append(absolute)
    if spec.template == "wayback":
        document = _rewrite_for_wayback(document, url)
        url = f"https://web.archive.org/web/20230115101503/{url}"
    body_set = list(dict.fromkeys(body_links))
    other_set = [link for link in dict.fromkeys(other_links) if link not in set(body_set)]
    truth: dict[str, object] = {
        "url": url,
        "template": spec.template,
        "lang": spec.lang,
        "published": spec.published.isoformat() if spec.published else None,
        "date_kind": _date_kind(spec),
        "features": list(spec.features),
        "distractors": list(spec.distractors),
        "held_out": spec.template in HELD_OUT,
        "body": body_set,
        "other": other_set,
    }
    return document, truth


def _rewrite_for_wayback(document: str, url: str) -> str:
    """href values made absolute and prefixed with the capture's archive address, as the Wayback Machine serves them."""
    import re

    def rewrite(match: re.Match[str]) -> str:
        href = html.unescape(match.group(1))
        if href.startswith("#"):
            return match.group(0)
        absolute = urljoin(url, href)
        if not absolute.startswith("https://web.archive.org/"):
            absolute = f"https://web.archive.org/web/20230115101503/{absolute}"
        return f'href="{esc(absolute)}"'

    head, sep, rest = document.partition("<body")
    return head + sep + re.sub(r'href="([^"]*)"', rewrite, rest)


def _date_kind(spec: Spec) -> str:
    if spec.published is None:
        return "undated"
    if spec.canonical_date:
        return "canonical-url"
    if spec.head:
        return "+".join(spec.head)
    if spec.visible != "none":
        return f"visible:{spec.visible}"
    if spec.url_date:
        return "url"
    return "?"


# --- the specs -------------------------------------------------------------------------------------

# Which languages each shape is seen in, and which visible date forms it prints.
SHAPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "wordpress": (
        ("en", "de", "fr", "es", "it", "nl", "pl", "pt", "tr", "uk", "ru", "ja"),
        ("time", "text", "text-cue", "text-num", "text-2digit", "late"),
    ),
    "elementor": (("de", "fr", "es", "it", "nl", "pl", "pt", "en"), ("text", "text-num", "text-cue", "none")),
    "blogger": (("es", "pt", "de", "en", "it", "tr"), ("text-weekday", "abbr", "text")),
    "drupal": (("en", "nl", "de", "fr"), ("text-num", "rdfa", "time", "text")),
    "aspnet": (("en-GB", "tr", "pl", "es", "uk", "ru"), ("text-num", "text", "text-cue", "late")),
    "newsgraph": (("en", "en-GB", "de", "fr", "ko", "zh"), ("time", "text", "utc-text", "none")),
    "ghost": (("en", "de", "nl", "fr"), ("time", "text", "none")),
    "hugo": (("en", "de", "fr", "ja"), ("hugo-title", "time", "text")),
    "german-news": (("de",), ("time-spiegel", "text-num", "text-cue", "text-2digit")),
    "french-news": (("fr",), ("lemonde", "text-cue", "text")),
    "substack": (("en", "es", "de", "pt"), ("substack", "text", "none")),
    "joomla": (("it", "es", "pl", "nl"), ("joomla", "text-cue", "text-num")),
    "cn-portal": (("zh",), ("cn-time", "text", "text-cue")),
    "jp-blog": (("ja",), ("hatena", "text", "text-cue")),
    "wayback": (("en", "de", "es"), ("time", "text", "text-cue")),
}

# Where the head states the date, as a share of pages: many carry nothing there (the undated gap).
HEADS: tuple[tuple[str, ...], ...] = (
    ("jsonld",),
    ("graph",),
    ("meta:article:published_time",),
    ("meta:pubdate",),
    ("meta:publishdate",),
    ("meta:dc.date.issued",),
    ("meta:sailthru.date",),
    ("meta:parsely-pub-date",),
    ("meta:article.published",),
    ("meta:og:pubdate",),
    ("meta:dcterms.created",),
    ("meta:publication_date",),
    ("meta:cxenseparse:recs:publishtime",),
    ("meta:date",),
    ("script",),
    ("script-state",),
    ("jsonld-utc",),
    ("meta:utc-meta",),
)
FEATURES = (
    "related",
    "prevnext",
    "share",
    "tags",
    "comments",
    "lang-switch",
    "author-bio",
    "footnotes",
    "sources-footer",
    "body-list",
    "bare-url",
    "internal",
    "furniture-inside",
    "social-tag",
    "sidebar-wrapper",
    "article-header-wrapper",
    "scattered",
)
DISTRACTORS = ("modified", "teasers-before", "popup", "header-today", "event")


def specs() -> list[Spec]:
    rng = random.Random(20240612)
    out: list[Spec] = []
    seed = 0
    next_head = 0
    for template, (langs, visibles) in SHAPES.items():
        count = 12 if template not in HELD_OUT else 8
        for i in range(count):
            seed += 1
            lang = langs[i % len(langs)]
            visible = visibles[i % len(visibles)]
            day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3200))
            head: tuple[str, ...] = ()
            if rng.random() >= 0.45:
                head = HEADS[next_head % len(HEADS)]
                next_head += 1
            url_date = rng.random() < 0.2
            canonical_date = not url_date and rng.random() < 0.06
            if head == ("jsonld-utc",) or head == ("meta:utc-meta",):
                visible = "utc-text" if head == ("jsonld-utc",) else "time-offset"
            published: dt.date | None = day
            if i == count - 1 or (i == 5 and template not in HELD_OUT):
                published, head, url_date, canonical_date = None, (), False, False  # an undated page
            if visible == "none" and not head and not url_date and not canonical_date:
                head = ("jsonld",) if rng.random() < 0.5 else ("meta:article:published_time",)
            features = tuple(sorted(rng.sample(FEATURES[:14], rng.randrange(3, 8))))
            if template == "elementor" and i % 2:
                features += ("scattered",)
            if template == "newsgraph":
                features += ("sidebar-wrapper",) if i % 2 else ("article-header-wrapper",)
            if template == "wordpress" and i % 3 == 0:
                features += ("social-tag",)
            distractors = tuple(sorted(rng.sample(DISTRACTORS, rng.randrange(1, 4))))
            out.append(
                Spec(
                    f"{seed:03d}-{template}-{lang}",
                    template,
                    lang,
                    published,
                    head,
                    visible,
                    distractors,
                    features,
                    url_date,
                    canonical_date,
                    template in HELD_OUT,
                    seed,
                )
            )
    return out


def main() -> None:
    PAGES.mkdir(exist_ok=True)
    for old in PAGES.glob("*.html"):
        old.unlink()
    truth: dict[str, object] = {}
    for spec in specs():
        document, entry = build(spec)
        name = f"{spec.name}.html"
        (PAGES / name).write_text(document, encoding="utf-8")
        truth[name] = entry
    (HERE / "pages.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(truth)} pages written to {PAGES}")


if __name__ == "__main__":
    main()
