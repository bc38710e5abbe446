"""The article's own part of an HTML page: found by its text mass, with the page's furniture left out.

A page is read once into a map of its elements with how much prose each holds (text outside links
counts in full, link text a tenth). The article is the element reached by going down from <body>
into the child that holds most of the prose, for as long as one child holds most of it: a teaser
or pop-up <article> holds little, and the container holding the text wins whatever its class says.
Inside it, navigation, share bars, tags, bylines, related-story lists, previous/next, language
switches and impressum links are left out; footnote, endnote and "Sources" sections are the
article's wherever they stand.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from linkcheck.html_tags import (
    STRING_CONTAINERS,
    Element,
    Text,
    TextStates,
    children,
    enter,
    first_named,
    get_text,
    other_string,
    string_state,
)

# Never part of any text a reader sees.
_PRUNED = frozenset(
    "script style noscript template svg iframe select button textarea input option canvas object embed"
    " video audio map head title meta link".split()
)
# Never the article, whatever their size: comment threads, pop-ups and dialogs, cookie banners, the
# Wayback Machine's toolbar.
_HARD_ROLES = frozenset({"dialog", "alertdialog"})
_HARD_WORDS = frozenset(
    "comment comments commentlist comment-list comments-area disqus respond modal popup pop-up lightbox"
    " overlay dialog cookie cookies consent gdpr wm-ipp wm-ipp-base donato".split()
)
# Furniture when small next to the article: the tags, roles and class words of menus, headers,
# footers, sidebars, share bars, bylines, tags, related stories and the like.
_SOFT_TAGS = frozenset({"nav", "header", "footer", "aside"})
_SOFT_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"})
_SOFT_WORDS = frozenset(
    "nav navbar navigation menu menubar header footer sidebar side-bar sidenav share sharing sharedaddy social"
    " breadcrumb breadcrumbs crumbs banner advert advertisement ads ad promo sponsored newsletter subscribe"
    " subscription signup login masthead toolbar pagination pager paginav pagenav tags taglist widgets"
    " widget-area author byline meta utility print rating donate".split()
)
# Class tokens that describe the post, not a part of the page: WordPress's post_class() and
# layout states ("tag-media_social", "category-news", "has-sidebar", "no-comments").
_DESCRIPTIVE_TOKEN = re.compile(r"^(?:tag|category|format|status|type|post|has|no|with|without|is)[-_]", re.I)
_WORD_SPLIT = re.compile(r"[\s_-]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Never gone into when looking for the article: it is a container of blocks, not a block.
_NOT_A_CONTAINER = frozenset(
    "p li ul ol dl dt dd blockquote pre code h1 h2 h3 h4 h5 h6 a span em strong b i u small sup sub figure"
    " figcaption label abbr time cite q br img".split()
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose text is a line of its own (a date in bold inside a sentence is not).
_BLOCKS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 tr td th dd dt dl section article header footer aside nav main blockquote pre br"
    " table ul ol form figure figcaption address hr center".split()
)
_REGION_EXTRA_LINKS = 12
_SIBLING_LABEL_TAGS = frozenset({"strong", "b", "p", "dt"})
_LABEL_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "span", "p", "div", "dt", "header"})

# A share of the mass: one child holding this much of its parent's prose is where the article is.
_DESCEND_SHARE = 0.6
# ... unless the other children still hold this much prose (at least _REST_PROSE characters).
_REST_SHARE = 0.3
_REST_PROSE = 200
# Furniture holding this much of the article's (or the page's) prose is the article's text after all.
_TEXT_SHARE = 0.5
_LINK_WEIGHT = 0.1
# Below this much prose a page has no mass to go by: its structure (articleBody, <main>) decides.
_LITTLE_PROSE = 200

_SOURCES_HEADING = re.compile(
    r"^\W*(?:sources?|references|notes|footnotes|endnotes|bibliography|works cited|citations|further reading"
    r"|quellen(?:angaben)?|quelle|einzelnachweise|anmerkungen|literatur|fuentes?|referencias|notas|fonti|fonte|note"
    r"|bronnen|bron|źródła|źródło|przypisy|джерела|джерело|примітки|источники|источник|примечания|ссылки"
    r"|fontes|referências|kaynaklar|kaynak|dipnotlar|参考资料|参考文献|来源|资料来源|出典|脚注|参考|출처|참고문헌|각주)"
    r"\s*[:：.]?\W*",
    re.I,
)
# "Sources: <a>…</a>, <a>…</a>": a paragraph that lists the article's sources after a label.
_SOURCES_LEAD = re.compile(
    r"^\W*(?:sources?|references|quellen|quelle|fuentes?|fonti|fonte|fontes|bronnen|bron|źródła|źródło|джерела"
    r"|джерело|источники|источник|kaynaklar|kaynak|来源|资料来源|出典|출처)\s*[:：]",
    re.I,
)
_RELATED_HEADING = re.compile(
    r"^\W*(?:related|read (?:more|also|next)|more (?:from|on|stories|news|in)|most (?:read|popular|viewed)|popular"
    r"|recommended|you (?:may|might) also|also read|see also|trending|top stories|latest|recent posts"
    r"|mehr zum thema|lesen sie auch|weitere artikel|auch interessant|meistgelesen|das könnte sie"
    r"|à lire aussi|lire aussi|sur le même sujet|les plus lus|voir aussi"
    r"|te puede interesar|noticias relacionadas|leer más|lo más leído|también te puede"
    r"|leggi anche|articoli correlati|potrebbe interessarti|i più letti|lees ook|gerelateerd|meest gelezen"
    r"|czytaj (?:także|też|więcej)|zobacz (?:też|także)|polecane|najpopularniejsze"
    r"|читайте (?:також|также)|по темі|по теме|популярне|популярное|новости по теме|схожі|похожие"
    r"|leia (?:também|mais)|veja também|relacionad|mais lidas|ilgili haberler|ilgili|en çok okunan|benzer"
    r"|weiterlesen|lire la suite|continua a leggere|lees meer|читать далее|читати далі|devamını oku"
    r"|相关|推荐|热点|热门|阅读全文|関連|おすすめ|人気|続きを読む|관련|추천|많이 본|더보기)",
    re.I,
)
_PREV_NEXT = re.compile(
    r"^\W*(?:previous|next|older|newer|prev|vorherige[rs]?|nächste[rs]?|précédent|suivant|anterior|siguiente"
    r"|precedente|successivo|vorige|volgende|poprzedni|następny|попередн|наступн|предыдущ|следующ"
    r"|próximo|önceki|sonraki|上一|下一|前の|次の|이전|다음)\b",
    re.I,
)
_LANGUAGE_NAMES = frozenset(
    "english deutsch français francais español espanol italiano nederlands polski українська русский português"
    " portugues türkçe turkce 中文 简体中文 繁體中文 日本語 한국어 العربية svenska dansk norsk suomi čeština magyar"
    " română ελληνικά עברית हिन्दी bahasa indonesia tiếng việt ไทย català eesti latviešu lietuvių slovenčina"
    " slovenščina hrvatski српски български беларуская қазақша".split()
)
_LEGAL_TEXT = re.compile(
    r"^(?:impressum|imprint|datenschutz(?:erklärung)?|privacy(?: policy| notice| settings)?"
    r"|terms(?: of (?:use|service))?|cookies?(?: policy| settings)?|contact(?: us)?|about(?: us)?|sitemap|agb|kontakt"
    r"|mentions légales|confidentialité"
    r"|aviso legal|política de (?:privacidad|cookies|privacidade)|note legali|colofon|privacyverklaring"
    r"|polityka prywatności|regulamin|künye|gizlilik(?: politikası)?|关于我们|隐私政策|運営会社|プライバシーポリシー"
    r"|회사소개|개인정보처리방침|о проекте|политика конфиденциальности|про нас|політика конфіденційності"
    r"|termos de uso|accessibility|barrierefreiheit)$",
    re.I,
)
_SHARE_HREF = re.compile(
    r"facebook\.com/shar|twitter\.com/(?:intent|share)|x\.com/intent|linkedin\.com/(?:share|cws/share)|"
    r"reddit\.com/submit|pinterest\.[a-z.]+/pin/create|wa\.me/|whatsapp://|api\.whatsapp\.com/send|t\.me/share|"
    r"telegram\.me/share|vk\.com/share|xing\.com/spi/shares|tumblr\.com/share|getpocket\.com/save|"
    r"blogger\.com/share-post|addtoany\.com|sharethis\.com|[?&](?:share|shareurl|u)=https?",
    re.I,
)
# Every match of _SHARE_HREF holds one of these (in lower case): an ASCII href holding none is no share
# link, told without the search (a case-blind search of many alternatives at every position is slow).
_SHARE_MARKERS = (
    "/shar",
    "/intent",
    "/submit",
    "/pin/create",
    "wa.me/",
    "whatsapp",
    "/save",
    "addtoany.com",
    "sharethis.com",
    "=http",
)
# _SHARE_HREF for an ASCII href in lower case: the same matches (re.IGNORECASE folds nothing else in ASCII).
_SHARE_HREF_LOWER = re.compile(_SHARE_HREF.pattern)
_SITE_SECTIONS = frozenset(
    "author authors autor autoren auteur auteurs tag tags category categories kategorie label labels user users"
    " profile profil search suche login signin register account subscribe newsletter feed rss print cart"
    " privacy impressum imprint datenschutz terms cookies contact kontakt topics themen".split()
)
_LINK_RELS = frozenset({"author", "tag", "category", "prev", "next", "home", "bookmark", "me"})


@dataclass(slots=True)
class _Element:
    node: Element
    parent: int
    tag: str  # node.tag, read once (lxml makes a new string each time it is asked)
    children: list[int] = field(default_factory=list)
    text: float = 0.0  # prose held directly (not in child elements); link text at a tenth
    links: int = 0
    mass: float = 0.0  # prose in the whole subtree
    clean: float = 0.0  # prose in the subtree, small furniture left out
    soft: bool = False  # looks like furniture by its tag, role or class
    sources: bool = False  # a footnote, endnote or sources section
    related: bool = False  # headed as related stories, most read, read also...


class ArticleBody:
    """The parts of a parsed page that are the article's: one read of the page, then walked on demand."""

    def __init__(self, soup: Element, page_url: str | None = None) -> None:
        body = first_named(soup, "body")
        top = body if body is not None else soup
        self._elements: list[_Element] = []
        self._index: dict[Element, int] = {}  # keyed by the element: lxml's proxies live while a key holds them
        self._headed: dict[Element, str] = {}  # element -> the section a heading before it names
        self._host = _site(page_url)
        self.text_states = TextStates()  # for the texts of its links and paragraphs, asked by the harvest too
        self._link_texts: dict[Element, str] = {}
        self._map(top)
        self._weigh()
        self.top = top
        self.root = self._elements[self._find_root()].node if self._elements else top
        self._root_index = self._index.get(self.root, 0)

    # --- reading the page ------------------------------------------------------------------------

    def _map(self, top: Element) -> None:
        """Every element that can hold the article's text, with the prose it holds directly."""
        stack: list[tuple[Element, int, bool, str]] = [(top, -1, False, _container_above(top))]
        while stack:
            node, parent, in_link, container = stack.pop()
            name = node.tag
            words = _words(node)
            role = node.get("role")
            role = role.lower() if role else ""
            if node is not top and (name in _PRUNED or _is_hard(role, words)):
                continue
            index = len(self._elements)
            element = _Element(node, parent, name)
            self._elements.append(element)
            self._index[node] = index
            if parent >= 0:
                self._elements[parent].children.append(index)
            headed = self._headed.pop(node, None)
            inner = name if name in STRING_CONTAINERS else container
            label = _label(node, inner)
            lead = _leading_text(node, inner, 40, budget=12) if name in _LEAD_TAGS else ""
            element.soft = _is_soft(name, role, words)
            element.sources = headed == "sources" or _is_sources(role, words, label, lead)
            element.related = headed == "related" or _is_related(node, words, label, lead, inner)
            is_link = name == "a" and node.get("href") is not None
            link = in_link or is_link
            if is_link:
                element.links = 1
            # The element's own text (its text and its children's tails, in order): link text at a tenth.
            kids: list[Element] = []
            own = 0.0
            plain = not inner
            if plain and (text := node.text):
                size = len(text.strip())
                own += size * _LINK_WEIGHT if link else size
            for child in node:
                if isinstance(child.tag, str):
                    kids.append(child)
                if plain and (text := child.tail):
                    size = len(text.strip())
                    own += size * _LINK_WEIGHT if link else size
            element.text = own
            if kids:
                self._headed.update(_headed_siblings(kids, inner))
            stack.extend((child, index, link, inner) for child in reversed(kids))

    def _weigh(self) -> None:
        """Mass and clean mass of every element, children before parents (the map is in document order)."""
        elements = self._elements
        for element in reversed(elements):
            element.mass += element.text
            if element.parent >= 0:
                parent = elements[element.parent]
                parent.mass += element.mass
                parent.links += element.links
        page = elements[0].mass if elements else 0.0
        for element in reversed(elements):
            element.clean += element.text
            if element.parent >= 0:
                small_furniture = (element.soft or element.related) and element.mass < _TEXT_SHARE * page
                if not small_furniture:
                    elements[element.parent].clean += element.clean

    def _find_root(self) -> int:
        """The element holding the article: down from <body> into the child with most of the prose."""
        elements = self._elements
        if not elements:
            return 0
        if elements[0].mass < _LITTLE_PROSE:
            return self._root_by_structure()
        current = 0
        while True:
            candidates = [c for c in elements[current].children if elements[c].node.tag not in _NOT_A_CONTAINER]
            if not candidates or elements[current].clean <= 0:
                return current
            best = max(candidates, key=lambda c: elements[c].clean)
            rest = elements[current].clean - elements[best].clean
            if elements[best].clean < _DESCEND_SHARE * elements[current].clean:
                return current
            if rest > max(_REST_PROSE, _REST_SHARE * elements[best].clean):
                return current  # the text goes on outside the child: sections of one article
            current = best

    def _root_by_structure(self) -> int:
        """With too little prose to weigh: articleBody, else <main>, else the largest <article>, else <body>."""
        elements = self._elements
        for test in (
            lambda tag: tag.get("itemprop") == "articleBody",
            lambda tag: tag.tag == "main" or str(tag.get("role", "")).lower() == "main",
        ):
            for index, element in enumerate(elements):
                if index and test(element.node):
                    return index
        articles = [index for index, element in enumerate(elements) if index and element.node.tag == "article"]
        if articles:
            return max(articles, key=lambda index: elements[index].mass)
        return 0

    # --- walking the article ---------------------------------------------------------------------

    def parts(self) -> Iterator[Element | Text]:
        """Links (<a href>) and loose text of the article in document order, furniture left out.

        The article's root and every footnote or sources section anywhere on the page are read.
        """
        if not self._elements:
            return
        top = self._elements[0].node
        stack: list[tuple[Element | Text, bool, str]] = [(top, False, _container_above(top))]
        root_mass = self._elements[self._root_index].mass
        while stack:
            node, inside, container = stack.pop()
            if isinstance(node, Text):
                yield node  # plain text inside the article with "http" or "www." in it
                continue
            index = self._index.get(node)
            if index is None:
                continue  # pruned: scripts, comments, pop-ups...
            element = self._elements[index]
            if index == self._root_index or element.sources:
                inside = True
            elif inside and self._is_furniture(element, root_mass):
                continue
            tag = element.tag
            if inside and tag == "a" and node.get("href") is not None:
                if not self._is_furniture_link(node):
                    yield node
                continue
            inner = tag if tag in STRING_CONTAINERS else container  # html_tags.enter
            if not (inside and not inner):
                # No text of it is read: its children only (comments too, which are not in the map).
                stack.extend([(child, inside, inner) for child in reversed(node)])
                continue
            # Its children, and the texts that may hold a bare URL, in order (pushed last to first).
            entries: list[tuple[Element | Text, bool, str]] = []
            text = node.text
            if text and ("http" in text or "www." in text):
                entries.append((Text(text, node), inside, inner))
            for child in node:
                entries.append((child, inside, inner))  # a comment among them is not in the map: skipped
                text = child.tail
                if text and ("http" in text or "www." in text):
                    entries.append((Text(text, node), inside, inner))
            entries.reverse()
            stack.extend(entries)

    def _is_furniture(self, element: _Element, root_mass: float) -> bool:
        if element.related and element.links >= 2:
            return True
        return element.soft and element.mass < _TEXT_SHARE * root_mass

    def _is_furniture_link(self, link: Element) -> bool:
        """A link that is the site's, not the article's: author, tags, share, language, legal, previous/next."""
        rel = link.get("rel")
        if rel and any(token.lower() in _LINK_RELS for token in rel.split()) or link.get("hreflang") is not None:
            return True
        href = str(link.get("href", "")).strip()
        if _is_share_href(href):
            return True
        text = self.link_text(link)
        same_site = self._same_site(href)
        if len(text) <= 40:
            lowered = text.lower()
            if lowered in _LANGUAGE_NAMES or _PREV_NEXT.match(text) and len(text.split()) <= 4:
                return True
            if _LEGAL_TEXT.match(lowered) and same_site:
                return True
        if same_site:
            segments = _path_segments(href)
            if segments and segments[0] in _SITE_SECTIONS:
                return True
        return False

    def link_text(self, link: Element) -> str:
        """A link's text, stripped pieces joined by spaces (read once: the furniture test and the harvest ask)."""
        text = self._link_texts.get(link)
        if text is None:
            text = self._link_texts[link] = get_text(link, " ", strip=True, state_of=self.text_states)
        return text

    def _same_site(self, href: str) -> bool:
        host = _site(href)
        return host is None or host == self._host

    def date_lines(self) -> tuple[list[str], list[str]]:
        """Lines where the article's byline is, for the date-line fallback: (head, tail).

        The head is up to 25 lines before the article's text that are still in its region (its title,
        byline and dateline, as Blogger's date header above the post) and its first lines, 40 in all;
        the tail is its last 10 lines and 5 after it (a "Published:" line below the text). A line is a
        block of the page, so a date set in bold inside a sentence stays in its sentence. Menus,
        sidebars, related stories and share bars are skipped; inside the article's region its header,
        footer and meta lines stay, because they hold the byline.
        """
        before: deque[str] = deque(maxlen=25)
        first: list[str] = []
        last: deque[str] = deque(maxlen=10)
        after: list[str] = []
        for line, where in self._lines():
            if where == "before":
                before.append(line)
            elif where == "in":
                if len(first) < 40:
                    first.append(line)
                last.append(line)
            elif len(after) < 5:
                after.append(line)
            else:
                break
        return [*before, *first][:40], [*last, *after]

    def date_text(self) -> str:
        """The head and tail lines of date_lines() as one text, one line each."""
        head, tail = self.date_lines()
        return "\n".join([*head, *([""] * (40 - len(head))), *tail])

    def _lines(self) -> Iterator[tuple[str, str]]:
        """(line, where) for the page's text in its article region: where is before, in or after the root."""
        if not self._elements:
            return
        top = self._elements[0].node
        region = self.date_region()
        root = self.root
        whole_page = root is top
        holds_region = set(region.iterancestors())
        where = "in" if whole_page else "before"
        buffer: list[str] = []
        stack: list[tuple[Any, bool, str]] = [(top, whole_page, _container_above(top))]
        while stack:
            node, in_region, container = stack.pop()
            if isinstance(node, str):  # a text of the region, stripped
                buffer.append(node)
                continue
            if isinstance(node, tuple):  # leaving a block: its text is a line
                if buffer:
                    yield " ".join(buffer), where
                    buffer.clear()
                if node[0] is root:
                    where = "after"
                continue
            index = self._index.get(node)
            if index is None:
                continue
            element = self._elements[index]
            in_region = in_region or node is region
            if (
                node is not root
                and node is not region
                and node not in holds_region
                and self._not_for_dates(element, in_region, whole_page)
            ):
                continue
            tag = element.tag
            if node is root or tag in _BLOCKS:
                if buffer:
                    yield " ".join(buffer), where
                    buffer.clear()
                if node is root:
                    where = "in"
                stack.append(((node,), in_region, container))
            inner = tag if tag in STRING_CONTAINERS else container  # html_tags.enter
            if not (in_region and not inner):
                # No text of it is kept: its children only (comments too, which are not in the map).
                stack.extend([(child, in_region, inner) for child in reversed(node)])
                continue
            # Its child elements and its plain texts, in order (pushed last to first).
            entries: list[tuple[Any, bool, str]] = []
            text = node.text
            if text and (text := text.strip()):
                entries.append((text, in_region, inner))
            for child in node:
                entries.append((child, in_region, inner))  # a comment among them is not in the map: skipped
                text = child.tail
                if text and (text := text.strip()):
                    entries.append((text, in_region, inner))
            entries.reverse()
            stack.extend(entries)
        if buffer:
            yield " ".join(buffer), where

    @property
    def prose(self) -> float:
        """How much prose the article holds (characters outside links, link text at a tenth)."""
        return self._elements[self._root_index].mass if self._elements else 0.0

    def furniture_text(self, limit: int = 50_000) -> tuple[list[str], list[str]]:
        """(texts, link addresses) of the page's furniture (pop-ups, comments, headers, sidebars, other
        stories), at most `limit` characters: where dates that are not the article's stand."""
        out: list[str] = []
        links: list[str] = []
        size = 0
        stack: list[tuple[Element | Text, bool, str]] = [(self.top, False, _container_above(self.top))]
        while stack and size < limit:
            node, furniture, container = stack.pop()
            if isinstance(node, Text):
                if furniture and node.plain and (text := node.text.strip()):
                    out.append(text)
                    size += len(text)
                continue
            name = node.tag
            if not isinstance(name, str) or name in _PRUNED:
                continue
            index = self._index.get(node)
            if index is None:
                furniture = True  # a pop-up, a comment thread, a cookie banner
            elif not furniture and index != self._root_index:
                element = self._elements[index]
                furniture = element.related or element.soft and not _holds_byline(node)
            if furniture and name == "time" and isinstance(node.get("datetime"), str):
                out.append(str(node.get("datetime")))
            if furniture and name == "a" and isinstance(node.get("href"), str):
                links.append(str(node.get("href")))
            inner = enter(node, container, False)[0]
            stack.extend((child, furniture, inner) for child in reversed(children(node, inner, False)))
        return out, links

    def short_lines(self, limit: int = 100_000) -> Iterator[str]:
        """Every short text of the page (at most 100 characters each, `limit` in all), furniture included."""
        size = 0
        for text in _plain_strings(self.top):
            if (text := text.strip()) and len(text) <= 100:
                size += len(text)
                if size > limit:
                    return
                yield text

    def dates_elsewhere(self, tag: Element) -> bool:
        """Whether a date element (a <time>) stands in furniture between it and the article's region:
        another story's teaser, a related box, a sidebar, a menu."""
        region = self.date_region()
        whole_page = self.root is self._elements[0].node
        for parent in tag.iterancestors():
            if parent is region:
                return False
            index = self._index.get(parent)
            if index is None:
                return True  # pruned: a pop-up, comments
            if index != self._root_index and self._not_for_dates(self._elements[index], True, whole_page):
                return True
        return False

    def _not_for_dates(self, element: _Element, in_region: bool, whole_page: bool) -> bool:
        """Furniture whose dates are not the article's: other stories, sidebars, menus (bylines stay)."""
        if element.related and element.links >= 2:
            return True
        if not element.soft:
            return False
        return whole_page or not in_region or not _holds_byline(element.node)

    def date_region(self) -> Element:
        """Where the article's byline is: the root and its parents up to an <article>, while they add
        few links to it (a parent that adds a sidebar, a menu or other stories is no longer the article's)."""
        if not self._elements:
            return self.root
        index = self._root_index
        root_links = self._elements[index].links
        for _ in range(4):
            if self._elements[index].node.tag == "article":
                break
            parent = self._elements[index].parent
            if parent <= 0 or self._elements[parent].links - root_links > _REGION_EXTRA_LINKS:
                break
            index = parent
        return self._elements[index].node


def _container_above(node: Element) -> str:
    """The <script>, <style>, <template>, <rt> or <rp> an element stands in ("" for none)."""
    parent = node.getparent()
    return string_state(parent)[0] if parent is not None else ""


def _plain_strings(top: Element) -> Iterator[str]:
    """Every run of plain text under `top` (not in scripts, styles, templates or ruby notes), in document order."""
    stack: list[tuple[Element | Text, str]] = [(top, _container_above(top))]
    while stack:
        node, container = stack.pop()
        if isinstance(node, Text):
            if node.plain:
                yield node.text
            continue
        if isinstance(node.tag, str):
            inner = enter(node, container, False)[0]
            stack.extend((child, inner) for child in reversed(children(node, inner, False)))


_SITE_PARTS = frozenset({"=site-header", "=site-footer", "masthead", "=page-header", "=global-header", "topbar"})
_BYLINE_WORDS = frozenset("header footer meta byline author date time info dateline".split())


def _holds_byline(tag: Element) -> bool:
    """An article's own header, footer or meta line: furniture by its class, but where the byline is."""
    if tag.tag in ("nav", "aside"):
        return False
    words = _words(tag)
    if words & _SITE_PARTS:
        return False
    return (
        tag.tag in ("header", "footer")
        and not words & {"=site-header", "=site-footer"}
        or bool(words & _BYLINE_WORDS and not words & (_SOFT_WORDS - _BYLINE_WORDS))
    )


# An http(s) URL whose host is plain lowercase letters, digits, dots and hyphens, ended by a path, query,
# fragment or the end: its host is exactly what urlsplit would give, read without parsing the rest.
_PLAIN_HOST = re.compile(r"https?://([a-z0-9.-]+)(?:[/?#]|\Z)")


@functools.lru_cache(maxsize=4096)  # asked for every link of a page; many share their href
def _site(url: str | None) -> str | None:
    """The host of an absolute URL without "www." (None for a relative one)."""
    if not url:
        return None
    url = url.strip()
    plain = _PLAIN_HOST.match(url)
    if plain:
        host: str | None = plain.group(1)
    else:
        try:
            host = urlsplit(url).hostname
        except ValueError:
            return None
    return host.removeprefix("www.") if host else None


def _is_share_href(href: str) -> bool:
    """Whether _SHARE_HREF finds a share button's address in `href`."""
    if not href.isascii():
        return _SHARE_HREF.search(href) is not None
    lowered = href.lower()
    for marker in _SHARE_MARKERS:
        if marker in lowered:
            return _SHARE_HREF_LOWER.search(lowered) is not None
    return False


def _path_segments(href: str) -> list[str]:
    """The lowercase segments of a link's path, relative or not ([] when it cannot be parsed)."""
    try:
        path = urlsplit(urljoin("http://x.invalid/", href)).path
    except ValueError:
        return []
    return [segment.lower() for segment in path.split("/") if segment]


def _words(tag: Element) -> frozenset[str]:
    """The words of an element's class and id, whole tokens prefixed with "=", descriptive tokens left out.

    `class="comments-area"` gives {"=comments-area", "comments-area", "comments", "area"}.
    """
    classes = tag.get("class")
    element_id = tag.get("id")
    if not classes and not element_id:
        return _NO_WORDS
    return _words_of(classes or "", element_id or "")


_NO_WORDS: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=8192)  # asked for every element of a page; many share their class
def _words_of(classes: str, element_id: str) -> frozenset[str]:
    tokens = classes.split()
    if element_id:
        tokens.append(element_id)
    words: set[str] = set()
    for token in tokens:
        if _DESCRIPTIVE_TOKEN.match(token):
            continue
        words.update(("=" + token.lower(), token.lower()))
        words.update(part.lower() for part in _WORD_SPLIT.split(_CAMEL.sub("-", token)) if part)
    return frozenset(words)


def _is_hard(role: str, words: frozenset[str]) -> bool:
    """Never the article: a dialog (by its role, in lower case), or a class or id that is exactly a
    comment, pop-up or cookie word."""
    return role in _HARD_ROLES or bool(words) and _has_hard_token(words)


@functools.lru_cache(maxsize=8192)  # asked for every element with a class or id; many share them
def _has_hard_token(words: frozenset[str]) -> bool:
    return any(word[1:] in _HARD_WORDS for word in words if word[0] == "=")


def _is_soft(name: str, role: str, words: frozenset[str]) -> bool:
    """Furniture when small: by tag or role, or a class or id word (a comment, pop-up or cookie word inside
    a longer class, like Drupal's "dialog-off-canvas-main-canvas", counts only as this)."""
    if name in _SOFT_TAGS or role in _SOFT_ROLES:
        return True
    return bool(words & _SOFT_WORDS or words & _HARD_WORDS)


_SOURCES_WORDS = frozenset(
    "footnote footnotes endnote endnotes references reflist sources source-list bibliography citations".split()
)
_SOURCES_ROLES = frozenset({"doc-endnotes", "doc-footnote", "doc-footnotes", "doc-endnote", "doc-bibliography"})


_LEAD_TAGS = frozenset({"p", "li", "dd", "dt"})
# Class words of boxes of other stories: furniture when they hold two links or more.
_RELATED_WORDS = frozenset(
    "related relatedposts related-posts related-articles jp-relatedposts recommended recommendations popular"
    " mostread most-read trending teaser teasers more-stories".split()
)


def _is_sources(role: str, words: frozenset[str], label: str, lead: str) -> bool:
    """A footnote, endnote or sources section: by role (in lower case) or class, by a heading that says
    so, or a paragraph that starts "Sources:" ("Quellen:", "Источники:", "来源：")."""
    if role in _SOURCES_ROLES or words & _SOURCES_WORDS:
        return True
    return bool(_SOURCES_LEAD.match(lead)) or bool(label) and bool(_SOURCES_HEADING.fullmatch(label))


def _is_related(tag: Element, words: frozenset[str], label: str, lead: str, container: str) -> bool:
    """A box of other stories, by class, by its heading ("Related", "Read more", "Mehr zum Thema"), or
    by its shape: a list of cards, each a picture and a link and nothing else."""
    name = tag.tag
    if words & _RELATED_WORDS or name in ("ul", "ol", "div", "section") and _is_card_list(tag, container):
        return True
    if name not in ("article", "p") and len(tag) >= 2 and sum(1 for _ in tag.iterchildren("article")) >= 2:
        return True  # a row of teasers: stories side by side are other stories
    if name in _NOT_A_CONTAINER and name not in ("ul", "ol", "p"):
        return False
    label = label or (lead if name == "p" else "")
    return bool(label) and len(label) <= 60 and bool(_RELATED_HEADING.match(label))


def _string_of(node: Element | Text) -> str:
    """The text a child that is text, a comment or a processing instruction holds."""
    return node.text if isinstance(node, Text) else other_string(node)


def _strings_and_children(tag: Element) -> Iterator[Element | str]:
    """An element's children in order, text (of any kind), comments and processing instructions as str."""
    if tag.text:
        yield tag.text
    for child in tag:
        yield child if isinstance(child.tag, str) else other_string(child)
        if child.tail:
            yield child.tail


def _is_card_list(tag: Element, container: str, most: int = 40) -> bool:
    """Two or more items, each holding one link with a picture and no text outside the link."""
    items = 0
    for child in _strings_and_children(tag):
        if isinstance(child, str):
            if child.strip():
                return False
            continue
        items += 1
        if items > most or not _is_card(child, enter(child, container, False)[0]):
            return False
    return items >= 2


def _is_card(item: Element, container: str, budget: int = 20) -> bool:
    links = images = 0
    stack: list[tuple[Element, bool, str]] = [(item, item.tag == "a", container)]
    while stack:
        node, in_link, inner = stack.pop()
        plain = not inner
        text = node.text
        if text:
            budget -= 1
            if budget < 0:
                return False
            if plain and not in_link and text.strip():
                return False
        for child in node:
            budget -= 1
            if budget < 0:
                return False
            name = child.tag
            if isinstance(name, str):
                links += name == "a"
                images += name in ("img", "picture")
                stack.append((child, in_link or name == "a", name if name in STRING_CONTAINERS else inner))
            tail = child.tail
            if tail:
                budget -= 1
                if budget < 0:
                    return False
                if plain and not in_link and tail.strip():
                    return False
    links += item.tag == "a"
    return links == 1 and images >= 1


def _label(tag: Element, container: str) -> str:
    """The text of an element's first child when that child is a short heading or label, else ''."""
    text = tag.text
    if text and text.strip():
        return ""
    for child in tag:
        name = child.tag
        if not isinstance(name, str):
            if other_string(child).strip():
                return ""  # a comment with words in it
        elif name in _LABEL_TAGS and _is_small_and_unlinked(child):
            label = _leading_text(child, enter(child, container, False)[0], 61, budget=12)
            return label if len(label) <= 60 else ""
        else:
            return ""
        if child.tail and child.tail.strip():
            return ""
    return ""


def _is_small_and_unlinked(tag: Element, budget: int = 12) -> bool:
    """Whether an element has at most `budget` descendants and no link: what a heading or label is."""
    stack: list[Element] = [tag]
    while stack:
        node = stack.pop()
        budget -= 1 if node.text else 0
        for child in node:
            budget -= 2 if child.tail else 1
            if isinstance(child.tag, str):
                if child.tag == "a":
                    return False
                stack.append(child)
        if budget < 0:
            return False
    return True


def _leading_text(tag: Element, container: str, limit: int = 80, budget: int = 40) -> str:
    """The first words of an element's text before its first link, at most `limit` characters.

    At most `budget` nodes are looked at, so that asking it of every element costs a bounded amount each.
    `container` is the string state of `tag` (see html_tags.enter).
    """
    text = tag.text
    if text and not container and budget > 1:
        # The element's own text fills the limit: it is all the walk below would read.
        stripped = text.strip()
        if len(stripped) + 1 >= limit:
            name = tag.tag
            if isinstance(name, str) and name != "a" and name not in _PRUNED:
                return stripped[:limit]
    parts: list[str] = []
    size = 0
    stack: list[tuple[Element | Text, str]] = [(tag, container)]
    while stack and size < limit and budget > 0:
        budget -= 1
        node, inner = stack.pop()
        if isinstance(node, Text):
            if node.plain and (text := node.text.strip()):
                parts.append(text)
                size += len(text) + 1
            continue
        name = node.tag
        if not isinstance(name, str):
            continue  # a comment
        if name == "a" or name in _PRUNED:
            break
        if node is not tag:
            inner = enter(node, inner, False)[0]
        stack.extend((child, inner) for child in reversed(children(node, inner, False)))
    return " ".join(parts)[:limit]


def _headed_siblings(nodes: list[Element | Text], container: str) -> dict[Element, str]:
    """Siblings after a heading that says "Sources" (up to the next heading) or "Related" (the next one)."""
    marked: dict[Element, str] = {}
    kind: str | None = None
    for child in nodes:
        if isinstance(child, Text) or not isinstance(child.tag, str):
            continue
        is_heading = child.tag in _HEADINGS
        if is_heading or child.tag in _SIBLING_LABEL_TAGS and _is_small_and_unlinked(child):
            label = _leading_text(child, enter(child, container, False)[0], 61, budget=12)
            if len(label) <= 60 and (is_heading or len(label) <= 40):
                if _SOURCES_HEADING.fullmatch(label):
                    kind = "sources"
                    continue
                if _RELATED_HEADING.match(label):
                    kind = "related"
                    continue
            if is_heading:
                kind = None
                continue
        if kind is not None:
            marked[child] = kind
            if kind == "related":
                kind = None
    return marked
