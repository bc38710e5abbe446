"""The lxml tree of a page is the tree BeautifulSoup built (same elements, attributes, texts and comments),
and the walks and texts of html_tags give what bs4's find_all, find and get_text gave on it, over every
HTML page the project keeps (benchmark corpora and fixtures) and pages made to break the rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from lxml import etree

from linkcheck.html_tags import (
    Element,
    TextStates,
    child_named,
    first_named,
    get_text,
    string_state,
    tags_in,
    tags_named,
)
from linkcheck.pages import parse_html, parse_html_in
from tests.bs4_oracle import pages as old_pages

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(
    path
    for folder in ("benchmarks/harvest_corpus", "benchmarks/date_pages", "tests")
    for pattern in ("*.html", "*.htm")
    for path in (ROOT / folder).rglob(pattern)
)
# Pages whose parse has a trap: charsets, byte-order marks, comments, scripts, ruby notes, <pre>, depth.
TRICKY: dict[str, bytes] = {
    "utf-8 bom": b"\xef\xbb\xbf<title>caf\xc3\xa9</title><p>ol\xc3\xa1</p>",
    "utf-16 bom": "\ufeff<title>Čas</title><p>Život</p>".encode("utf-16-le").join([b"\xff\xfe", b""]),
    "meta cp1251": '<meta charset="windows-1251"><title>Москва</title><p>Новости</p>'.encode("cp1251"),
    "http-equiv koi8-r": (
        '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><h1>Привет</h1>'.encode("koi8-r")
    ),
    "undeclared latin-1": "<p>Le café était fermé à Noël, déjà.</p>".encode("latin-1"),
    "undeclared shift_jis": "<p>日本語のページです。東京で会議が開かれた。</p>".encode("shift_jis"),
    "xml declaration": b'<?xml version="1.0" encoding="iso-8859-2"?><html><body><p>\xb1\xea</p></body></html>',
    "meta charset control": b'<meta charset="utf\x01-8"><a href="https://a.example/x">caf\xc3\xa9</a>',
    "meta charset nul": b'<meta charset="\x00"><p>x</p>',
    "comments and pi": b"<!-- top --><html><body><!-- a --><p>one<!-- b -->two</p><?php echo 1; ?>three</body></html>",
    "ruby and template": b"<p>\xe6\xbc\xa2<rt>kan</rt><rp>(</rp>x</p><template><p>hidden</p></template><h1>T</h1>",
    "pre whitespace": b"<pre>  \n  </pre><p> </p><div>\t</div><textarea>\r\n</textarea><span>\r</span>",
    "empty": b"",
    "only whitespace": b"  \n ",
    "only a comment": b"<!-- nothing -->",
    "only head": b"<title>Not found</title>",
    "cdata": b"<p><![CDATA[x < y]]> after</p>",
    "deep": b"<body>" + b"<div>x" * 600 + b'<a href="https://ok.example/">ok</a>',
}


def _old_events(node: Tag, out: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    for child in node.children:
        if isinstance(child, Tag):
            attrs = tuple(sorted((k, " ".join(v) if isinstance(v, list) else v) for k, v in child.attrs.items()))
            out.append(("start", child.name, attrs))
            _old_events(child, out)
            out.append(("end",))
        elif isinstance(child, Comment):
            out.append(("comment", str(child)))
        elif type(child) is NavigableString or not isinstance(child, Doctype):
            out.append(("text", str(child)) if isinstance(child, NavigableString) else ("?",))
    return out


_MULTI_VALUED = {"class", "rel", "rev", "accept-charset", "headers", "accesskey", "dropzone"}


def _new_events(element: Element, out: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """The events _old_events gives, read from an lxml tree (texts as get_text reads them)."""
    from linkcheck.html_tags import blank, string_state

    preserve = string_state(element)[1]
    if element.text:
        out.append(("text", blank(element.text, preserve)))
    for child in element:
        if child.tag is etree.Comment:
            out.append(("comment", child.text or ""))
        elif isinstance(child.tag, str):
            attrs = tuple(
                sorted((k, " ".join(v.split()) if k in _MULTI_VALUED else v) for k, v in child.attrib.items())
            )
            out.append(("start", child.tag, attrs))
            _new_events(child, out)
            out.append(("end",))
        else:
            out.append(("text", f"{child.target} {child.text or ''}"))
        if child.tail:
            out.append(("text", blank(child.tail, preserve)))
    return out


def _trees(content: bytes, charset: str | None) -> tuple[BeautifulSoup, Element]:
    return old_pages.parse_html(content, charset), parse_html(content, charset)


def _same_tree(old: BeautifulSoup, new: Element) -> None:
    top = [node for node in old.children if not isinstance(node, Comment | Doctype)]  # lxml keeps these outside
    expected: list[tuple[object, ...]] = []
    for node in top:
        if isinstance(node, Tag):
            expected.append(("start", node.name, tuple(sorted(node.attrs.items()))))
            _old_events(node, expected)
            expected.append(("end",))
        elif str(node).strip():
            expected.append(("text", str(node)))  # whitespace after </html> stays at BeautifulSoup's top only
    if not expected:  # nothing parsed: lxml's tree is an empty <html>
        assert new.tag == "html" and len(new) == 0 and not new.text
        return
    assert [("start", new.tag, tuple(sorted(new.attrib.items()))), *_new_events(new, []), ("end",)] == expected


def _same_lookups(old: BeautifulSoup, new: Element) -> None:
    old_all = old.find_all(True)
    new_all = list(tags_in(new))
    if not old_all:  # nothing parsed: lxml's tree is a lone empty <html>, holding nothing either
        assert new_all == [new] and get_text(new) == ""
        return
    assert [tag.name for tag in old_all] == [element.tag for element in new_all]
    pairs = list(zip(old_all, new_all, strict=True))
    for name in ("a", "meta", "script", "time", "h1", "title", "body", "html", "article", "p"):
        assert [tag.name for tag in old.find_all(name)] == [element.tag for element in tags_named(new, name)]
        first = first_named(new, name)
        assert (old.find(name) is None) == (first is None)
    for old_tag, element in pairs[:400]:
        if old_tag.name in ("html", "body", "head"):
            for name in ("head", "body", "p", "div"):
                assert (old_tag.find(name, recursive=False) is None) == (child_named(element, name) is None)
        assert get_text(element, " ", strip=True) == old_tag.get_text(" ", strip=True), old_tag.name
        assert get_text(element, " ") == old_tag.get_text(" "), old_tag.name
        assert get_text(element) == old_tag.get_text(), old_tag.name


def test_the_corpus_is_there() -> None:
    assert len(PAGES) >= 200  # benchmarks/harvest_corpus and benchmarks/date_pages are in the repository


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(ROOT)))
def test_corpus_pages_parse_to_the_same_tree(path: Path) -> None:
    content = path.read_bytes()
    for charset in (None, "utf-8"):
        old, new = _trees(content, charset)
        _same_tree(old, new)
        _same_lookups(old, new)


@pytest.mark.parametrize("name", sorted(TRICKY))
@pytest.mark.parametrize("charset", [None, "utf-8", "iso-8859-1", "no-such-codec"])
def test_tricky_pages_parse_to_the_same_tree(name: str, charset: str | None) -> None:
    old, new = _trees(TRICKY[name], charset)
    _same_tree(old, new)
    _same_lookups(old, new)


def test_the_charset_used_is_the_one_bs4_used() -> None:
    for content in TRICKY.values():
        for charset in (None, "utf-8", "iso-8859-1"):
            old = old_pages.parse_html(content, charset)
            assert parse_html_in(content, charset)[1] == old.original_encoding


def test_text_given_as_str_parses_like_bs4() -> None:
    text = "\ufeff<title>Čas</title><body><p>Život <b>je</b> krásný</p><!-- c --></body>"
    old, new = old_pages.parse_html(text), parse_html(text)
    _same_tree(old, new)
    _same_lookups(old, new)


_NESTED_STATES = (
    b"<body><pre><b>a <i>b</i></b><script>x<b>y</b></script></pre><template><rt><a href=x>t</a></rt></template>"
    b"<textarea><p>q</p></textarea><ruby>k<rp><span>(</span></rp><rt>n<b>m</b></rt></ruby><style><p>s</p></style></body>"
)


@pytest.mark.parametrize(
    "content",
    [*(path.read_bytes() for path in PAGES), *TRICKY.values(), _NESTED_STATES],
    ids=[*(str(path.relative_to(ROOT)) for path in PAGES), *TRICKY, "nested states"],
)
def test_text_states_answer_as_string_state(content: bytes) -> None:
    root = parse_html(content)
    elements = list(tags_in(root))
    # Asked top down, bottom up, and again: each answer the walk over all ancestors gives.
    for order in (elements, elements[::-1]):
        states = TextStates()
        for element in order + order:
            assert states(element) == string_state(element)
    states = TextStates()
    for element in elements[::-1]:
        assert get_text(element, " ", state_of=states) == get_text(element, " ")
        assert get_text(element, "|", strip=True, state_of=states) == get_text(element, "|", strip=True)
