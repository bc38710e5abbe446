"""The plain-text fast path of the Markdown harvester gives exactly what markdown-it's own inline parser gives.

Blocks of prose with only inline links, autolinks and code spans are read without markdown-it's inline
step (`_plain_pieces`, `_read_plain`); these tests compare that reading, and whole harvests, with
markdown-it's stock rules on seeded random text full of the constructs the fast path must leave to
the parser.
"""

from __future__ import annotations

import random

import pytest
from markdown_it import MarkdownIt
from markdown_it.rules_core.inline import inline as stock_inline
from markdown_it.rules_core.normalize import normalize as stock_normalize
from markdown_it.token import Token

from linkcheck.harvest import markdown
from linkcheck.harvest.markdown import _plain_pieces, _read_inline, _read_plain, _Reading, harvest_markdown
from linkcheck.serialize import article_to_dict

# Pieces of inline text: words and spaces, line breaks (hard and soft, with tabs), every character
# that starts an inline rule, links simple and not, entities, escapes, code, emphasis, raw HTML, footnotes.
INLINE_PIECES = [
    "word",
    "the council",
    " ",
    "  ",
    "\t",
    "\n",
    "  \n",
    " \n  ",
    "\n\t ",
    "é",
    "\u00a0",
    "\u3000",
    "Ünïcødé ",
    "[",
    "]",
    "(",
    ")",
    "!",
    "![",
    "&",
    ";",
    "&amp;",
    "&copy;",
    "&#65;",
    "<",
    ">",
    "*",
    "_",
    "**",
    "`",
    "``",
    "~~",
    "^",
    "\\",
    "\\[",
    "#",
    "|",
    '"',
    "'",
    ":",
    "https://bare.example/a_b?x=1&y=2",
    "www.example.org/p",
    "[a link](https://a.example/x)",
    "[two words](https://b.example/p?id=3&ref=x)",
    "[](https://empty.example/)",
    "[x](https://u.example/a_b*c~d)",
    "[x](https://u.example/a&amp;b)",
    "[x](<https://angle.example/>)",
    '[x](https://t.example/ "title")',
    "[x]( https://space.example/)",
    "[x](https://p.example/(paren))",
    "[x](https://q.example/\\))",
    "[line\nbreak](https://n.example/)",
    "[trail  \n  lead](https://n2.example/)",
    "[ref]",
    "[ref][]",
    "[r][ref]",
    "[^1]",
    "^[inline note]",
    "![alt](https://img.example/i.png)",
    "<https://auto.example/>",
    "<mailto:me@mail.example>",
    "<me@mail.example>",
    "<http:x\n>",
    "<not a link>",
    "<https://a.example/<b>",
    "<x:y>",
    "<ftp://files.example/a b>",
    '<a href="https://html.example/">h</a>',
    "`[code](https://code.example/)`",
    "*[em](https://em.example/)*",
    "[a [nested](https://nest.example/) link](https://outer.example/)",
    "[x](https://d.example/)!",
    "`code`",
    "`a [b](https://in-code.example/) d`",
    "`` ` ``",
    "`x``y`",
    "` `",
    "`a\nb`",
    "`  spaced  `",
    "`*em* _u_ <b> \\ &amp; ^[n]`",
    "`https://code-url.example/`",
    "`",
    "``",
    "!\n[x](https://img2.example/)",
]


PLAIN_PIECES = [piece for piece in INLINE_PIECES if _plain_pieces(piece) is not None]


def random_inline(rng: random.Random) -> str:
    """Half the time from pieces that are plain on their own (which may still make markup together)."""
    pieces = PLAIN_PIECES if rng.random() < 0.5 else INLINE_PIECES
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))).strip()


def stock_parser() -> MarkdownIt:
    """The harvester's parser with markdown-it's own normalize and inline steps back in place."""
    parser = markdown._parser()
    parser.core.ruler.at("normalize", stock_normalize)
    parser.core.ruler.at("inline", stock_inline)
    return parser


def reading_of(read: object) -> tuple[object, ...]:
    assert isinstance(read, _Reading)
    links = [(link.destination, link.text, link.line, link.offset, link.anchor) for link in read.links]
    return ("".join(read.readable), "".join(read.searchable), read.size, links, read.footnote_refs)


def test_plain_blocks_read_as_markdown_its_tokens() -> None:
    rng = random.Random(1917)
    parser = stock_parser()
    plain = 0
    for _ in range(20_000):
        content = random_inline(rng)
        pieces = _plain_pieces(content)
        if pieces is None:
            continue
        plain += 1
        env = {"references": {"REF": {"href": "https://ref.example/", "title": ""}}}
        token = Token("inline", "", 0, content=content, children=[])
        parser.inline.parse(content, parser, env, token.children)
        by_tokens, by_plain = _Reading(), _Reading()
        _read_inline(by_tokens, token, 7)
        _read_plain(by_plain, content, pieces, 7)
        assert reading_of(by_plain) == reading_of(by_tokens), repr(content)
    assert plain > 2_000  # the generator reaches the fast path often enough to test it


@pytest.mark.parametrize(
    "content",
    [
        "[ref]",
        "[^1]",
        "![alt](https://img.example/i.png)",
        "a\\[b](https://e.example/)",
        "Tom &amp; Jerry; [x](https://e.example/)",
        "x_y_z",
        "<me@mail.example>",
        "<https://a.example/<b>",
        "``double`` code",
        "`unclosed code",
        "[`code` in a link](https://e.example/)",
        '[x](https://t.example/ "title")',
        "[x](https://p.example/(paren))",
        "[x](<https://angle.example/>)",
        "[a](b) ]",
        "^[note]",
    ],
)
def test_markup_is_left_to_the_parser(content: str) -> None:
    assert _plain_pieces(content) is None


@pytest.mark.parametrize(
    "content",
    [
        "Prose, figures (12%) and quotes \"like this\" #1 {x} = y @ z: 'ok'!",
        "See [the report](https://a.example/r?id=1&ref=x) and [more](https://b.example/a_b*c).",
        "Two lines  \nand a [link\nover lines](https://c.example/)",
        "Code `x_y <z> [a](b)` and `*` then [a link](https://d.example/).",
        "An autolink <https://auto.example/a_b*c> and <mailto:me@mail.example>.",
    ],
)
def test_prose_with_inline_links_is_plain(content: str) -> None:
    assert _plain_pieces(content) is not None


BLOCKS = [
    "# Heading with [a link](https://h.example/)",
    "Setext heading\n===",
    "Setext two\n---",
    "- item [one](https://l1.example/)\n- item two https://l2.example/\n  continued",
    "1. first\n2. second [x](https://l3.example/)",
    "> quoted [link](https://q.example/)\n> more https://q2.example/",
    "| a | b |\n| --- | --- |\n| [c](https://t.example/) | d https://t2.example/ |",
    "```\n[code](https://fence.example/)\n```",
    "    indented https://indented.example/",
    '<div>\n<a href="https://block.example/">block</a> https://block2.example/\n</div>',
    "<!-- https://comment.example/ -->",
    "[ref]: https://ref.example/defined",
    "[unused]: https://unused.example/",
    "Uses [ref] and [ref][] here.",
    "A note.[^1]\n\n[^1]: The source https://note.example/",
    "Inline note^[see https://inline-note.example/].",
    "***",
    "Tabs\tand\ttabs [t](https://tab.example/)\t",
    "CRLF line\r\nnext [c](https://crlf.example/)\r\n",
    "NUL \0 char [n](https://nul.example/)",
]


def random_document(rng: random.Random) -> str:
    blocks = [rng.choice(BLOCKS) if rng.random() < 0.5 else random_inline(rng) for _ in range(rng.randint(1, 12))]
    return rng.choice(["\n\n", "\n", "\r\n\r\n"]).join(blocks)


def test_harvests_equal_markdown_its_stock_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(2026)
    documents = [random_document(rng) for _ in range(600)]
    fast = [article_to_dict(harvest_markdown(document, "a.md", "https://news.example/a")) for document in documents]
    monkeypatch.setattr(markdown, "_PARSER", stock_parser())
    stock = [article_to_dict(harvest_markdown(document, "a.md", "https://news.example/a")) for document in documents]
    for document, by_fast, by_stock in zip(documents, fast, stock, strict=True):
        assert by_fast == by_stock, repr(document)
    assert sum(len(article["citations"]) for article in stock) > 1_000
