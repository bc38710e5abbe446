"""Walking a parsed page (an lxml tree): elements by name, and its text as a reader gets it.

The page facts were first computed on BeautifulSoup trees; these helpers keep their meaning on lxml
trees, so every fact stays the same: the document (the root element) includes itself in its walks;
text inside <script>, <style>, <template>, <rt> and <rp> is not the text of the elements around it;
comments are never text; a run of ASCII whitespace between elements reads as one newline (or one
space when it has no newline), except inside <pre> and <textarea>.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple, TypeAlias

from lxml import etree

# lxml ships no type information: to mypy an element is Any, named for the reader.
Element: TypeAlias = etree._Element

# Text inside these is their own (a script's code, a stylesheet), never the text of an element around them.
STRING_CONTAINERS = frozenset({"rt", "rp", "style", "script", "template"})
_PRESERVE = frozenset({"pre", "textarea"})
_ASCII_SPACES = " \n\t\x0c\r"


class Text(NamedTuple):
    """A run of text of the page and the element it stands in (a walk's answer where bs4 gave a string)."""

    text: str
    parent: Element
    plain: bool = True  # False inside a <script>, <style>, <template>, <rt> or <rp>


def is_tag(node: Element) -> bool:
    """An element, not a comment or processing instruction."""
    return isinstance(node.tag, str)


def blank(text: str, preserve: bool) -> str:
    """A run of ASCII whitespace read as one newline (one space without a newline), outside <pre>."""
    if preserve or text.strip(_ASCII_SPACES):
        return text
    return "\n" if "\n" in text else " "


def _is_document(scope: Element) -> bool:
    return scope.getparent() is None


def tags_in(scope: Element) -> Iterator[Element]:
    """Every element under `scope`, in document order (the document's root included when `scope` is it)."""
    if _is_document(scope):
        return scope.iter(etree.Element)
    return scope.iterdescendants(etree.Element)


def tags_named(scope: Element, name: str) -> Iterator[Element]:
    """Every element under `scope` called `name`, in document order."""
    if _is_document(scope):
        return scope.iter(name)
    return scope.iterdescendants(name)


def first_named(scope: Element, name: str) -> Element | None:
    """The first element under `scope` called `name`."""
    return next(tags_named(scope, name), None)


def child_named(parent: Element, name: str) -> Element | None:
    """The first child element of `parent` called `name`."""
    return next(parent.iterchildren(name), None)


def parents(node: Element) -> Iterator[Element]:
    """The ancestors of an element, nearest first."""
    return node.iterancestors()


def string_state(element: Element) -> tuple[str, bool]:
    """(container, preserve) for text directly inside `element`: the nearest <script>, <style>,
    <template>, <rt> or <rp> around it ("" for none), and whether a <pre> or <textarea> is."""
    tag = element.tag
    if tag in _STRUCTURE:
        return "", False  # libxml2 keeps <html>, <head> and <body> at the top, never inside another element
    if tag in STRING_CONTAINERS:
        container = str(tag)
    else:
        # lxml filters the ancestors by name in C: no Python object for the others.
        around = next(element.iterancestors(*_CONTAINER_NAMES), None)
        container = str(around.tag) if around is not None else ""
    preserve = tag in _PRESERVE or next(element.iterancestors(*_PRESERVE_NAMES), None) is not None
    return container, preserve


_STRUCTURE = frozenset({"html", "head", "body"})
_CONTAINER_NAMES = tuple(sorted(STRING_CONTAINERS))
_PRESERVE_NAMES = tuple(sorted(_PRESERVE))


StateOf: TypeAlias = Callable[[Element], tuple[str, bool]]


def strings(element: Element, state_of: StateOf = string_state) -> list[str]:
    """The texts of an element in document order, as its get_text() reads them: the text of the
    element's own kind (plain text; a script's code for a <script>), comments and other kinds left out.
    `state_of` is string_state, or a TextStates that remembers the answers for one tree."""
    tag = element.tag
    want = str(tag) if tag in STRING_CONTAINERS else ""
    if len(element) == 0 and tag not in _PRESERVE:  # a lone text (a link's, a title's): no walk
        text = element.text
        if not text:
            return []
        container, preserve = state_of(element)
        return [blank(text, preserve)] if container == want else []
    parent = element.getparent()
    container, preserve = state_of(parent) if parent is not None else ("", False)
    out: list[str] = []
    # Without recursion (pages nest deeply): an element to enter, or the tail to add after one.
    stack: list[tuple[Element, str, bool, bool]] = [(element, container, preserve, False)]
    while stack:
        node, container, preserve, tail = stack.pop()
        if tail:
            if container == want and (text := node.tail):
                out.append(text if preserve or text.strip(_ASCII_SPACES) else blank(text, preserve))
            continue
        tag = node.tag
        if tag in STRING_CONTAINERS:
            container = str(tag)
        if tag in _PRESERVE:
            preserve = True
        if container == want and (text := node.text):
            out.append(text if preserve or text.strip(_ASCII_SPACES) else blank(text, preserve))
        for child in reversed(node):
            stack.append((child, container, preserve, True))
            if isinstance(child.tag, str):
                stack.append((child, container, preserve, False))
    return out


def get_text(element: Element, separator: str = "", strip: bool = False, state_of: StateOf = string_state) -> str:
    """The element's text: its strings joined by `separator`, each stripped (and empty ones dropped) with `strip`."""
    texts = strings(element, state_of)
    if strip:
        return separator.join(stripped for text in texts if (stripped := text.strip()))
    return separator.join(texts)


class TextStates:
    """string_state for many elements of one tree, each element's worked out once from its parent's.

    A harvest asks it of every link and paragraph: walking all the ancestors each time (what
    string_state does) costs more than the rest of reading a link's text.
    """

    def __init__(self) -> None:
        # Keyed by the element: lxml's proxies live while a key holds them.
        self._within: dict[Element, tuple[str, bool]] = {}

    def __call__(self, element: Element) -> tuple[str, bool]:
        if element.tag in _STRUCTURE:
            return "", False  # as string_state answers for <html>, <head> and <body>
        return self._within_of(element)

    def _within_of(self, element: Element) -> tuple[str, bool]:
        """The state inside `element` from all of its ancestors (what string_state's walk finds)."""
        known = self._within
        state = known.get(element)
        if state is not None:
            return state
        chain = [element]
        node = element.getparent()
        state = ("", False)
        while node is not None:
            found = known.get(node)
            if found is not None:
                state = found
                break
            chain.append(node)
            node = node.getparent()
        for node in reversed(chain):
            state = enter(node, *state)
            known[node] = state
        return state


def enter(element: Element, container: str, preserve: bool) -> tuple[str, bool]:
    """string_state of `element` from its parent's."""
    tag = element.tag
    if tag in STRING_CONTAINERS:
        container = str(tag)
    return container, preserve or tag in _PRESERVE


def children(element: Element, container: str, preserve: bool) -> list[Element | Text]:
    """An element's children in order: elements, comments and processing instructions as they are,
    runs of text as Text. `container` and `preserve` are string_state(element)."""
    out: list[Element | Text] = []
    plain = not container
    if element.text:
        out.append(Text(blank(element.text, preserve), element, plain))
    for child in element:
        out.append(child)
        if child.tail:
            out.append(Text(blank(child.tail, preserve), element, plain))
    return out


def other_string(node: Element) -> str:
    """What a comment or processing instruction holds, as text (a processing instruction is never empty)."""
    if node.tag is etree.PI:
        return f"{node.target} {node.text or ''}"
    return node.text or ""


def class_tokens(element: Element) -> list[str]:
    """The tokens of an element's class attribute."""
    value = element.get("class")
    return value.split() if value else []
