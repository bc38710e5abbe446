"""A captured HTML page rebuilt from its parse tree so that, opened in a browser, nothing in it runs.

Safe by construction rather than by patching the server's markup: the document is written anew
from its parse tree, leaving out every element and attribute that can run script, load a nested
document or navigate; all text and attribute values are escaped, so the only `<` in the output
opens a tag the writer chose; and the caller's head (the Content-Security-Policy first) comes
before every byte of the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Protocol

from lxml import etree

from linkcheck.archive.page_tree import Element, child_named

# Elements dropped with everything in them: script, nested documents and plugins, and <base>
# (the copy sets its own). <meta http-equiv> (refresh, set-cookie) and <meta charset> go too.
DROPPED = frozenset(["script", "iframe", "frame", "object", "embed", "applet", "portal", "base", "template"])
# Strings found nowhere after cleaning (case-folded, whitespace and controls removed): URLs that
# run script, wherever they hide (href, action, formaction, xlink:href, an SVG <set to=...>).
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:")
DROPPED_ATTRIBUTES = frozenset(["srcdoc", "http-equiv", "manifest"])
VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)
# Attributes that hold a list of words: written with single spaces between the words, as they were
# when the copy was written from bs4's tree (which splits them).
WORD_LISTS = {
    "*": frozenset(["class", "accesskey", "dropzone"]),
    "a": frozenset(["rel", "rev"]),
    "link": frozenset(["rel", "rev"]),
    "td": frozenset(["headers"]),
    "th": frozenset(["headers"]),
    "form": frozenset(["accept-charset"]),
    "object": frozenset(["archive"]),
    "area": frozenset(["rel"]),
    "icon": frozenset(["sizes"]),
    "iframe": frozenset(["sandbox"]),
    "output": frozenset(["for"]),
}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9:._-]*$")
_ATTRIBUTE_NAME = re.compile(r"^[^\s\"'<>/=\x00-\x1f\x7f]+$")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")
_WORDS = re.compile(r"\S+")
_ASCII_SPACES = " \n\t\f\r"
_PRESERVING = frozenset(["pre", "textarea"])


class UrlRewriter(Protocol):
    """What a copy does with URLs that would load something (local_copy.LocalResources)."""

    def keeps(self, element: Element) -> bool: ...

    def attribute(self, element: Element, name: str, value: str) -> str | None: ...

    def style(self, css: str) -> str: ...


def inert_document(root: Element, head_first: str, body_first: str, urls: UrlRewriter | None = None) -> str:
    """The page (its lxml root element, page_tree) as an inert HTML document: `head_first` opens <head>,
    `body_first` opens <body>.

    Both are trusted markup from the caller; everything else comes from the tree, cleaned as it
    is written (the tree itself is left as it is), its URLs rewritten by `urls` when given.
    """
    html_element = root if root.tag == "html" else next(root.iter("html"), None)
    top = html_element if html_element is not None else root
    head = child_named(top, "head")
    body = child_named(top, "body")
    # What stands beside <head> and <body> goes at the end of the body, in document order.
    rest: list[Element | str] = [top.text] if top.text else []
    for child in top:
        if child is not head and child is not body:
            rest.append(child)
        if child.tail:
            rest.append(child.tail)
    head_nodes = _content(head) if head is not None else []
    body_nodes = [*(_content(body) if body is not None else []), *rest]
    html_attributes = _attributes(top, urls) if html_element is not None else ""
    head_attributes = _attributes(head, urls) if head is not None else ""
    return "".join(
        [
            "<!DOCTYPE html>\n",
            f"<html{html_attributes}><head{head_attributes}>",
            head_first,
            *serialize(head_nodes, urls, "head"),
            "</head>\n",
            f"<body{_attributes(body, urls) if body is not None else ''}>",
            body_first,
            *serialize(body_nodes, urls, "body"),
            "</body></html>\n",
        ]
    )


def _content(element: Element) -> list[Element | str]:
    """An element's content in document order: its text, then each child and the text after it."""
    content: list[Element | str] = [element.text] if element.text else []
    for child in element:
        content.append(child)
        if child.tail:
            content.append(child.tail)
    return content


def serialize(nodes: Iterable[Element | str], urls: UrlRewriter | None = None, parent: str = "") -> Iterator[str]:
    """HTML for nodes (elements, and text in `parent`), cleaned as written, without recursion (pages
    nest deeply).

    Dropped: DROPPED elements with all they hold, <meta http-equiv> and <meta charset>, comments and
    processing instructions, on* and DROPPED_ATTRIBUTES, any attribute holding a SCRIPT_SCHEMES
    URL. An element whose name a browser would not read as a plain element is left out, its
    contents kept. Text and attribute values are escaped; style text has `<` written as the CSS
    escape `\\3c `, so neither `</style` nor (inside SVG, where style text is parsed as markup) a
    tag can come out of it. With `urls`, elements it does not keep are left out and URLs in
    attributes and style text are rewritten. Whitespace alone is written as one line break or space
    (as bs4's tree held it), except inside <pre> and <textarea>.
    """
    owner = parent.lower()
    for node in list(nodes):
        if isinstance(node, str):
            yield _text(node, owner, False, urls)
        elif isinstance(node.tag, str):
            yield from _subtree(node, urls)
        # else a comment or processing instruction: markup, not content (its tail is a node of its own)


def _subtree(root: Element, urls: UrlRewriter | None) -> Iterator[str]:
    """One element and everything in it (not the text after it), walked by lxml's iterwalk."""
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    # Each open element: its closing tag ("" for none), its name, whether whitespace is kept in it;
    # None for an element left out, whose end writes only the text after it.
    stack: list[tuple[str, str, bool] | None] = []
    for event, element in walker:
        if event == "start":
            if dropped(element) or (urls is not None and not urls.keeps(element)):
                walker.skip_subtree()
                stack.append(None)
                continue
            name = element.tag
            lower = name.lower()
            preserving = (stack[-1][2] if stack and stack[-1] is not None else False) or lower in _PRESERVING
            closing = ""
            if _NAME.match(name):
                yield f"<{name}{_attributes(element, urls)}>"
                # lxml nests what follows an unknown-to-it void element (<source> in <picture>) inside
                # it: written after it, unclosed, as the browser that parsed the page saw it.
                closing = "" if lower in VOID else f"</{name}>"
            stack.append((closing, lower, preserving))
            if element.text:
                yield _text(element.text, lower, preserving, urls)
            continue
        if event == "end":
            entry = stack.pop()
            if entry is not None and entry[0]:
                yield entry[0]
        if element is not root and element.tail:
            context = stack[-1]
            if context is not None:
                yield _text(element.tail, context[1], context[2], urls)


def _text(text: str, owner: str, preserving: bool, urls: UrlRewriter | None) -> str:
    """A piece of text in element `owner`, escaped (style text: `<` as a CSS escape)."""
    if not preserving and not text.strip(_ASCII_SPACES):
        text = "\n" if "\n" in text else " "
    if owner == "style":
        return (urls.style(text) if urls is not None else text).replace("<", "\\3c ")
    return html.escape(text, quote=False)


def dropped(element: Element) -> bool:
    """Whether an element is left out of the copy, with everything in it."""
    name = element.tag.lower()
    if name.rsplit(":", 1)[-1] in DROPPED:  # `svg:script` is a script too
        return True
    return name == "meta" and any(attribute.lower() in ("http-equiv", "charset") for attribute in element.attrib)


def _attributes(element: Element, urls: UrlRewriter | None = None) -> str:
    parts = []
    name_of = element.tag.lower()
    for name, value in element.items():
        text: str | None = value
        if name in WORD_LISTS["*"] or name in WORD_LISTS.get(name_of, ()):
            text = " ".join(_WORDS.findall(value))
        if text is not None and _kept(name, text):
            if urls is not None:
                text = urls.attribute(element, name, text)
            if text is not None:
                parts.append(f' {name}="{html.escape(text, quote=True)}"')
    return "".join(parts)


def _kept(name: str, value: str) -> bool:
    if not _name_kept(name):
        return False
    if ":" not in value:  # every script scheme has one, whatever hides inside it
        return True
    squeezed = _INVISIBLE.sub("", value).casefold()
    return not any(scheme in squeezed for scheme in SCRIPT_SCHEMES)


@lru_cache(maxsize=4096)
def _name_kept(name: str) -> bool:
    """Whether an attribute of this name may stay (a page repeats a few names thousands of times)."""
    lower = name.lower()
    return bool(_ATTRIBUTE_NAME.match(name)) and not lower.startswith("on") and lower not in DROPPED_ATTRIBUTES
