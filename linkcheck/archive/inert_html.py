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
from typing import Protocol

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, PageElement, ProcessingInstruction, Tag

from linkcheck.archive.soup import child_named, first_named

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
# Strings that are markup, not text: none of them is shown, and a conditional comment can hold markup.
NOT_CONTENT = (Comment, Declaration, Doctype, ProcessingInstruction)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9:._-]*$")
_ATTRIBUTE_NAME = re.compile(r"^[^\s\"'<>/=\x00-\x1f\x7f]+$")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")


class UrlRewriter(Protocol):
    """What a copy does with URLs that would load something (local_copy.LocalResources)."""

    def keeps(self, tag: Tag) -> bool: ...

    def attribute(self, tag: Tag, name: str, value: str) -> str | None: ...

    def style(self, css: str) -> str: ...


def inert_document(soup: BeautifulSoup, head_first: str, body_first: str, urls: UrlRewriter | None = None) -> str:
    """The page as an inert HTML document: `head_first` opens <head>, `body_first` opens <body>.

    Both are trusted markup from the caller; everything else comes from the tree, cleaned as it
    is written (the tree itself is left as it is), its URLs rewritten by `urls` when given.
    """
    html_element = first_named(soup, "html")
    root: Tag = html_element if html_element is not None else soup
    head = child_named(root, "head")
    body = child_named(root, "body")
    rest = [node for node in root.children if node is not head and node is not body]
    head_nodes = list(head.children) if isinstance(head, Tag) else []
    body_nodes = [*(body.children if isinstance(body, Tag) else []), *rest]
    html_attributes = _attributes(root, urls) if root is not soup else ""
    head_attributes = _attributes(head, urls) if isinstance(head, Tag) else ""
    return "".join(
        [
            "<!DOCTYPE html>\n",
            f"<html{html_attributes}><head{head_attributes}>",
            head_first,
            *serialize(head_nodes, urls),
            "</head>\n",
            f"<body{_attributes(body, urls) if isinstance(body, Tag) else ''}>",
            body_first,
            *serialize(body_nodes, urls),
            "</body></html>\n",
        ]
    )


def serialize(nodes: Iterable[PageElement], urls: UrlRewriter | None = None) -> Iterator[str]:
    """HTML for nodes, cleaned as written, without recursion (pages nest deeply).

    Dropped: DROPPED elements with all they hold, <meta http-equiv> and <meta charset>, comments and
    other non-content strings, on* and DROPPED_ATTRIBUTES, any attribute holding a SCRIPT_SCHEMES
    URL. An element whose name a browser would not read as a plain element is left out, its
    contents kept. Text and attribute values are escaped; style text has `<` written as the CSS
    escape `\\3c `, so neither `</style` nor (inside SVG, where style text is parsed as markup) a
    tag can come out of it. With `urls`, elements it does not keep are left out and URLs in
    attributes and style text are rewritten.
    """
    stack: list[Iterator[PageElement] | str] = [iter(list(nodes))]
    while stack:
        top = stack[-1]
        if isinstance(top, str):
            stack.pop()
            yield top
            continue
        node = next(top, None)
        if node is None:
            stack.pop()
        elif isinstance(node, Tag):
            if dropped(node) or (urls is not None and not urls.keeps(node)):
                continue
            name = node.name
            if not _NAME.match(name):
                stack.append(iter(node.children))
                continue
            yield f"<{name}{_attributes(node, urls)}>"
            if name.lower() in VOID:
                # lxml nests what follows an unknown-to-it void element (<source> in <picture>) inside
                # it: written after it, as the browser that parsed the page saw it.
                stack.append(iter(node.children))
                continue
            stack.append(f"</{name}>")
            stack.append(iter(node.children))
        elif isinstance(node, NavigableString) and not isinstance(node, NOT_CONTENT):
            parent = node.parent.name.lower() if node.parent is not None else ""
            if parent == "style":
                text = urls.style(str(node)) if urls is not None else str(node)
                yield text.replace("<", "\\3c ")
            else:
                yield html.escape(str(node), quote=False)


def dropped(tag: Tag) -> bool:
    """Whether an element is left out of the copy, with everything in it."""
    name = tag.name.lower()
    if name.rsplit(":", 1)[-1] in DROPPED:  # `svg:script` is a script too
        return True
    return name == "meta" and any(attribute.lower() in ("http-equiv", "charset") for attribute in tag.attrs)


def _attributes(tag: Tag, urls: UrlRewriter | None = None) -> str:
    parts = []
    for name, value in tag.attrs.items():
        text: str | None = " ".join(value) if isinstance(value, list) else str(value)
        if text is not None and _kept(name, text):
            if urls is not None:
                text = urls.attribute(tag, name, text)
            if text is not None:
                parts.append(f' {name}="{html.escape(text, quote=True)}"')
    return "".join(parts)


def _kept(name: str, value: str) -> bool:
    lower = name.lower()
    if not _ATTRIBUTE_NAME.match(name) or lower.startswith("on") or lower in DROPPED_ATTRIBUTES:
        return False
    squeezed = _INVISIBLE.sub("", value).casefold()
    return not any(scheme in squeezed for scheme in SCRIPT_SCHEMES)
