"""Old against new: every text, Markdown, HTML and PDF input we have, harvested by two trees, compared field by field.

A speed-up of the harvest must not change it. This script gathers every input the project holds or
can make, harvests each one with a base tree and with this tree (each in its own subprocess), and
compares every field of every article (citations, contexts, quotes, lines, dates, title, cut reason):

- the 142 plain-text cases of harvest_corpus/urls_in_text.py and the 9 articles of
  footnote_lists.py, each read as text and as Markdown;
- the project's own Markdown files (README, docs/, benchmarks/, ...), as Markdown and as text;
- examples/ (text, Markdown, PDF) and the generated articles of bench_harvest_speed.py (1.5 MB each);
- seeded articles full of note marks (`“…” [3]`, `”³`, `» (4)`, `”5`, `." (6)`) and numbered notes
  with URLs, as text and as Markdown;
- 40 seeded Markdown documents mixing every inline and block construct (nested brackets, references
  defined after use, autolinks, code spans and fences, HTML blocks with links, footnotes, tables,
  setext headings, lists, blockquotes, tabs, Unicode; every other one with CRLF line ends);
- every HTML page of harvest_corpus/ and date_pages/, as HTML, and its text (tags stripped) as text
  and as Markdown.

    python benchmarks/harvest_compare.py --base /tmp/base-tree   # a checkout of the base commit

It prints how many inputs and citations were compared and each input whose harvest differs (with
the first field that does), and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TREE = HERE.parent
_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def marked_text(seed: int, pages: int = 30) -> str:
    """Prose whose quotations carry note marks of every form, each page followed by numbered notes."""
    rng = random.Random(seed)
    words = "the council said report water wells found nitrate limit ministry method university paper".split()
    out = []
    for page in range(pages):
        body = []
        for _ in range(rng.randint(5, 12)):
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(5, 15)))
            number = rng.randint(1, 12)
            form = rng.random()
            if form < 0.2:
                sentence = f"“{sentence}” [{number}]"
            elif form < 0.35:
                sentence = f"“{sentence}”{str(number).translate(_SUPER)}"
            elif form < 0.5:
                sentence = f"«{sentence}» ({number})"
            elif form < 0.6:
                sentence = f"“{sentence}”{number} more"
            elif form < 0.7:
                sentence = f'"{sentence}." ({number})'
            elif form < 0.75:
                sentence = f"{sentence}, see https://inline{rng.randint(0, 50)}.example/p?{number}"
            body.append(sentence.capitalize() + rng.choice([".", ". ", "!\n", ".\n\n", "?"]))
        notes = [
            rng.choice(
                [
                    f"{k}. Source {k} https://s{page}-{k}.example/a/{k}",
                    f"[{k}] https://s{page}-{k}.example/b",
                    f"{str(k).translate(_SUPER)} Ministry, statement https://m{k}.example/x-y",
                    f"({k}) Report of the agency,\nhttps://r{page}-{k}.example/long/path/to/report-",
                    f"{k} https://plain{page}-{k}.example/",
                ]
            )
            for k in range(1, rng.randint(3, 13))
        ]
        out.append(" ".join(body) + "\nNotes\n" + "\n".join(notes) + "\n\n")
    return "".join(out)


# Markdown that the plain-text fast path of the Markdown harvester must read as markdown-it does, or
# leave to it: inline pieces of every kind, in the blocks of every kind, joined at random.
_MD_INLINE = [
    "The council said",
    " water ",
    "  \n",
    "\n\t",
    "«Ünïcødé» “quoted words of the report that the ministry disputed today”",
    "[the report](https://md.example/r?id=1&ref=x)",
    "[wrapped\nlink text](https://md.example/w_x*y)",
    "[a [nested](https://md.example/n) link](https://md.example/outer)",
    "[used before definition][later]",
    "[later]",
    "![an image](https://md.example/i.png)",
    "<https://md.example/auto>",
    "<mailto:desk@md.example>",
    "<desk@md.example>",
    "`code https://md.example/in-code`",
    "``double ` code``",
    "`unclosed",
    "*emphasis [x](https://md.example/em)*",
    "__strong__",
    "~~struck https://md.example/struck~~",
    "\\[escaped](https://md.example/esc)",
    "Tom &amp; Jerry; &copy;",
    "AT&T",
    "a note[^1]",
    "^[an inline note https://md.example/inline-note]",
    '<a href="https://md.example/html">html</a>',
    "see https://md.example/bare_url and www.md.example/www",
    "[x](https://md.example/p(paren))",
    '[x](https://md.example/t "title")',
    "[x](<https://md.example/angle>)",
    "!",
    "]",
    "[",
]
_MD_BLOCKS = [
    "# Heading [link](https://md.example/h)",
    "Setext heading\n===",
    "Setext two\n---",
    "- item [one](https://md.example/l1)\n- item <https://md.example/l2>\n  continued",
    "1. first\n2. second `code`",
    "> quoted [link](https://md.example/q)\n> more https://md.example/q2",
    "| a | b |\n| --- | --- |\n| [c](https://md.example/t) | `d` |",
    "```\n[code](https://md.example/fence)\n```",
    "    indented https://md.example/indented",
    '<div>\n<a href="https://md.example/block">block</a> https://md.example/block2\n</div>',
    "<!-- https://md.example/comment -->",
    "[later]: https://md.example/defined-after-use",
    "[unused]: https://md.example/unused",
    "[^1]: The source https://md.example/note",
    "***",
    "\tTabbed [t](https://md.example/tab)",
]


def hostile_markdown(seed: int, blocks: int = 400) -> str:
    """Seeded Markdown full of the inline and block constructs listed above, with LF or CRLF line ends."""
    rng = random.Random(seed)
    out = []
    for _ in range(blocks):
        if rng.random() < 0.4:
            out.append(rng.choice(_MD_BLOCKS))
        else:
            out.append("".join(rng.choice(_MD_INLINE) for _ in range(rng.randint(1, 12))).strip())
    text = "\n\n".join(out) + "\n"
    return text.replace("\n", "\r\n") if seed % 2 else text


def _page_text(page: str) -> str:
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    text = re.sub(r"<(?:p|br|div|h\d|li)[^>]*>", "\n\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def gather(folder: Path) -> list[tuple[str, str]]:
    """Every input written into `folder`, as (path, format)."""
    sys.path[:0] = [str(HERE), str(HERE / "harvest_corpus")]
    import footnote_lists
    import urls_in_text
    from bench_harvest_speed import generate

    inputs: list[tuple[str, str]] = []

    def add(name: str, kind: str, data: str | bytes) -> None:
        path = folder / f"{len(inputs):04d}-{name}"
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
        inputs.append((str(path), kind))

    for number, case in enumerate(urls_in_text.CASES):
        add(f"urls-in-text-{number}.txt", "text", case[0])
        add(f"urls-in-text-{number}.md", "markdown", case[0])
    for listed in footnote_lists.TEXTS:
        add(f"{listed.name}.txt", "text", listed.text)
        add(f"{listed.name}.md", "markdown", listed.text)
    for path in sorted(TREE.glob("**/*.md")):
        if ".git" not in path.parts and ".venv" not in path.parts:
            add(path.name, "markdown", path.read_bytes())
            add(path.name + ".txt", "text", path.read_bytes())
    for path in sorted((TREE / "examples").iterdir()):
        kind = {".txt": "text", ".md": "markdown", ".pdf": "pdf", ".html": "html"}.get(path.suffix)
        if kind:
            add(path.name, kind, path.read_bytes())
    for kind, text in generate(1.5).items():
        add(f"generated-{kind}", "markdown" if kind == "md-docs" else kind, text)
    for seed in range(6):
        add(f"marks-{seed}.txt", "text", marked_text(seed))
        add(f"marks-{seed}.md", "markdown", marked_text(seed))
    for seed in range(40):
        add(f"hostile-{seed}.md", "markdown", hostile_markdown(seed))
    for path in sorted((HERE / "harvest_corpus").glob("**/*.html")) + sorted((HERE / "date_pages").glob("**/*.html")):
        add(path.name, "html", path.read_bytes())
        text = _page_text(path.read_bytes().decode("utf-8", "replace"))
        add(path.name + ".txt", "text", text)
        add(path.name + ".md", "markdown", text)
    (folder / "inputs.json").write_text(json.dumps(inputs))
    return inputs


def worker(folder: Path, out: Path) -> None:
    from linkcheck.errors import SourceReadError
    from linkcheck.harvest import harvest
    from linkcheck.models import Document, SourceKind
    from linkcheck.serialize import article_to_dict

    kinds = {"text": SourceKind.TEXT, "markdown": SourceKind.MARKDOWN, "html": SourceKind.HTML, "pdf": SourceKind.PDF}
    results: dict[str, Any] = {}
    for path, kind in json.loads((folder / "inputs.json").read_text()):
        # Half the inputs get a page URL, so relative links and the URL's date are exercised too.
        base_url = "https://news.example/2021/08/10/story" if len(results) % 2 else None
        try:
            article = harvest(Document(path, kinds[kind], Path(path).read_bytes(), base_url=base_url))
            results[path] = article_to_dict(article)
        except SourceReadError as error:
            results[path] = {"error": str(error)}
    out.write_text(json.dumps(results, ensure_ascii=False, sort_keys=True, default=str), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path, required=True, help="checkout of the base commit")
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = gather(folder)
        harvests = {}
        for name, tree in (("base", args.base), ("new", TREE)):
            out = folder / f"{name}.json"
            environment = {**os.environ, "PYTHONPATH": str(tree)}
            subprocess.run(
                [sys.executable, __file__, "--base", str(args.base), "--worker", str(folder), str(out)],
                env=environment,
                check=True,
            )
            harvests[name] = json.loads(out.read_text(encoding="utf-8"))
    base, new = harvests["base"], harvests["new"]
    citations = sum(len(article.get("citations", [])) for article in base.values())
    differ = [path for path in base if base[path] != new.get(path)]
    print(f"{len(inputs)} inputs, {citations} citations compared; {len(differ)} harvests differ")
    for path in differ:
        old_article, new_article = base[path], new.get(path, {})
        field = next(
            key for key in sorted({*old_article, *new_article}) if old_article.get(key) != new_article.get(key)
        )
        print(f"{Path(path).name}: {field} differs")
        print(f"  base: {str(old_article.get(field))[:300]}\n  new:  {str(new_article.get(field))[:300]}")
    if differ:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
