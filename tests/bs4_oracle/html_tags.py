"""Fast lookups of elements in a parsed page: what bs4's find/find_all by tag name give, in one plain walk.

bs4's find_all builds a filter object and matches every node through several layers of rules; the
page facts the checker computes for every page look up a handful of tag names, so that machinery was
most of their cost. These walk `descendants` in the same document order and return the same elements.
"""

from __future__ import annotations

from collections.abc import Iterator

from bs4 import Tag


def tags_in(scope: Tag) -> Iterator[Tag]:
    """Every element under `scope` (not itself), in document order: find_all(True)."""
    for node in scope.descendants:
        if isinstance(node, Tag):
            yield node


def tags_named(scope: Tag, name: str) -> Iterator[Tag]:
    """Every element under `scope` called `name`, in document order: find_all(name)."""
    for node in scope.descendants:
        if isinstance(node, Tag) and node.name == name:
            yield node


def first_named(scope: Tag, name: str) -> Tag | None:
    """The first element under `scope` called `name`: find(name), as `soup.body` does."""
    return next(tags_named(scope, name), None)


def child_named(parent: Tag, name: str) -> Tag | None:
    """The first child element of `parent` called `name`: find(name, recursive=False)."""
    for node in parent.children:
        if isinstance(node, Tag) and node.name == name:
            return node
    return None
