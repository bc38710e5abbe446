"""Benchmark: harvest speed in MB/s on ~10 MB generated text, Markdown and HTML articles, base against this tree.

Generates one article per format (seeded, so every run reads the same bytes): paragraphs of prose
with a link every ~1.2 KB (under the 10,000-citation cap, so the whole input is harvested), footnote
lists, headings, navigation and a footer for HTML. A fourth input, `md-docs`, is real Markdown: this
project's own documents joined and repeated to a fifth of that size (their links, code, tables and
emphasis cost the parser several times more per byte than the generated article). Each tree
harvests them in its own subprocess, base and new interleaved; the script prints, per format, the
median seconds and MB/s of the harvest alone and of the harvest with its JSON output (as `linkcheck
harvest --json` writes it), and new / base.
Times are the CPU seconds of the harvesting process (`time.process_time`), not wall time: the
machine these figures come from is shared, and wall time there measures the neighbours as much.
The two trees' harvests must be identical (every field of every citation), or the script says where
they differ and exits 1.

    python benchmarks/bench_harvest_speed.py [--megabytes 10] [--repeat 3] [--base /tmp/base-data]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TREE = HERE.parent
FORMATS = {"text": "article.txt", "markdown": "article.md", "html": "article.html", "md-docs": "docs.md"}

_WORDS = (
    "the council said on Tuesday that its report on water quality in the region had found levels of nitrate"
    " above the limit in three of the twelve wells tested since March while the ministry disputed the method"
    " used by researchers at the university who first raised the alarm in a paper published last year"
    " according to documents seen by reporters officials knew of the problem but delayed a response"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.1:
        words.insert(rng.randint(1, len(words) - 1), '"' + " ".join(rng.choice(_WORDS) for _ in range(9)) + '"')
    return words[0].capitalize() + " " + " ".join(words[1:]) + rng.choice(".....?!")


def _url(rng: random.Random, number: int) -> str:
    host = f"www.site{rng.randint(0, 400)}.example"
    path = rng.choice(("/news/{y}/{m:02d}/{n}-story", "/reports/r{n}.pdf", "/wiki/Item_{n}", "/a?id={n}&ref=x"))
    return f"https://{host}" + path.format(y=rng.randint(2005, 2025), m=rng.randint(1, 12), n=number)


def generate(megabytes: float) -> dict[str, str]:
    """One article per format, each about `megabytes` MB."""
    target = int(megabytes * 1_000_000)
    texts = {}
    for kind in ("text", "markdown", "html"):
        rng = random.Random(17)
        parts: list[str] = []
        size = 0
        number = 0
        if kind == "text":
            parts.append("Water in the valley: what the wells say\nBy the data desk\n12 March 2024\n\n")
        elif kind == "markdown":
            parts.append("---\ntitle: Water in the valley\ndate: 2024-03-12\n---\n\n# Water in the valley\n\n")
        else:
            parts.append(
                "<!doctype html><html><head><meta charset=utf-8><title>Water in the valley</title>"
                '<meta property="article:published_time" content="2024-03-12T08:00:00Z"></head><body>'
                '<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About</a></nav></header>'
                "<main><article><h1>Water in the valley</h1>"
            )
        while size < target:
            sentences = [_sentence(rng) for _ in range(rng.randint(10, 16))]
            number += 1
            url = _url(rng, number)
            at = rng.randint(0, len(sentences) - 1)
            if kind == "text":
                sentences[at] = sentences[at][:-1] + f" (see {url})."
                block = " ".join(sentences)
                # Wrapped like a PDF's text, now and then with a URL cut at the line's end.
                lines, line = [], ""
                for word in block.split(" "):
                    if len(line) + len(word) > 78:
                        lines.append(line)
                        line = ""
                    line += (" " if line else "") + word
                lines.append(line)
                block = "\n".join(lines)
                if number % 25 == 0:
                    block += "\n\nNotes\n" + "\n".join(f"{k}. {_url(rng, number * 10 + k)}" for k in range(1, 4))
            elif kind == "markdown":
                anchor = " ".join(rng.choice(_WORDS) for _ in range(3))
                sentences[at] = sentences[at][:-1] + f" [{anchor}]({url})."
                block = " ".join(sentences)
                if number % 20 == 0:
                    block = (
                        f"## Section {number}\n\n" + block + f"\n\n- item with <{_url(rng, number + 1)}>\n- plain item"
                    )
            else:
                anchor = " ".join(rng.choice(_WORDS) for _ in range(3))
                sentences[at] = sentences[at][:-1] + f' <a href="{url.replace("&", "&amp;")}">{anchor}</a>.'
                block = "<p>" + " ".join(sentences) + "</p>"
                if number % 20 == 0:
                    block = f"<h2>Section {number}</h2>" + block
            parts.append(block + "\n\n")
            size += len(block) + 2
        if kind == "html":
            parts.append('</article></main><footer><a href="/privacy">Privacy</a></footer></body></html>\n')
        texts[kind] = "".join(parts)
    texts["md-docs"] = project_markdown(megabytes / 5)
    return texts


def project_markdown(megabytes: float) -> str:
    """This project's own Markdown documents (README, docs/, benchmarks/), joined and repeated to about
    `megabytes` MB: real Markdown, far denser in links, code, tables and emphasis than the generated article."""
    paths = sorted(TREE.glob("*.md")) + sorted(TREE.glob("docs/*.md")) + sorted(TREE.glob("benchmarks/*.md"))
    documents = "\n\n".join(path.read_text(encoding="utf-8") for path in paths)
    return "\n\n".join([documents] * max(1, round(megabytes * 1_000_000 / len(documents.encode("utf-8")))))


# --- the worker: one tree, in its own process --------------------------------------------------------


def _harvest_json(articles: list[Any]) -> str:
    """The JSON `linkcheck harvest --json` prints, by this tree's own code."""
    try:
        from linkcheck.serialize import harvest_json  # this tree's (added with issue 17)
    except ImportError:
        from linkcheck.serialize import article_to_dict  # the base's, as its CLI did it

        data = {"articles": [article_to_dict(a) for a in articles], "errors": []}
        return json.dumps(data, ensure_ascii=False, indent=2)
    return harvest_json(articles, [])


def worker(folder: Path) -> None:
    from linkcheck.harvest import harvest
    from linkcheck.models import Document, SourceKind
    from linkcheck.serialize import article_to_dict

    kinds = {
        "text": SourceKind.TEXT,
        "markdown": SourceKind.MARKDOWN,
        "html": SourceKind.HTML,
        "md-docs": SourceKind.MARKDOWN,
    }
    times: dict[str, dict[str, float]] = {}
    for kind, name in FORMATS.items():
        path = folder / name
        document = Document(str(path), kinds[kind], path.read_bytes())
        # CPU seconds of this process: on a shared machine, wall time measures the neighbours too.
        began = time.process_time()
        article = harvest(document)
        harvested = time.process_time() - began
        _harvest_json([article])
        times[kind] = {"harvest": harvested, "with_json": time.process_time() - began}
        out = folder / f"{kind}.{os.environ['BENCH_TREE_NAME']}.json"
        out.write_text(json.dumps(article_to_dict(article), ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(json.dumps(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--base", type=Path, default=Path("/tmp/base-data"), help="checkout of the base commit")
    parser.add_argument("--tree", type=Path, default=TREE, help="the tree timed as new (default: this one)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    trees = {"base": args.base, "new": args.tree} if (args.base / "linkcheck").is_dir() else {"new": args.tree}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sizes = {}
        for kind, text in generate(args.megabytes).items():
            data = text.encode("utf-8")
            (folder / FORMATS[kind]).write_bytes(data)
            sizes[kind] = len(data) / 1_000_000
        runs: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in trees}
        for _ in range(args.repeat):
            for name, tree in trees.items():  # interleaved, so both see the same machine
                environment = {**os.environ, "PYTHONPATH": str(tree), "BENCH_TREE_NAME": name}
                completed = subprocess.run(
                    [sys.executable, __file__, "--worker", str(folder)],
                    env=environment,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs[name].append(json.loads(completed.stdout))
        print(f"harvest of one generated article per format, CPU seconds, median of {args.repeat} interleaved runs")
        print(f"{'format':9} {'MB':>5}  {'tree':4} {'harvest s':>9} {'MB/s':>6}  {'+JSON s':>8} {'MB/s':>6}")
        for kind in FORMATS:
            medians = {}
            for name in trees:
                harvest = statistics.median(run[kind]["harvest"] for run in runs[name])
                both = statistics.median(run[kind]["with_json"] for run in runs[name])
                medians[name] = (harvest, both)
                print(
                    f"{kind:9} {sizes[kind]:5.1f}  {name:4} {harvest:9.2f} {sizes[kind] / harvest:6.2f}"
                    f"  {both:8.2f} {sizes[kind] / both:6.2f}"
                )
            if "base" in medians:
                (bh, bb), (nh, nb) = medians["base"], medians["new"]
                print(f"{kind:9} {'':5}  new / base: harvest {nh / bh:.2f}, with JSON {nb / bb:.2f}")
        differ = []
        if "base" in trees:
            for kind in FORMATS:
                base = (folder / f"{kind}.base.json").read_text(encoding="utf-8")
                new = (folder / f"{kind}.new.json").read_text(encoding="utf-8")
                if base != new:
                    differ.append(kind)
                    base_c, new_c = json.loads(base)["citations"], json.loads(new)["citations"]
                    first = next((i for i, (a, b) in enumerate(zip(base_c, new_c, strict=False)) if a != b), None)
                    print(f"{kind}: the harvests DIFFER ({len(base_c)} vs {len(new_c)} citations; first at {first})")
                    if first is not None:
                        print(f"  base: {base_c[first]}\n  new:  {new_c[first]}")
            if not differ:
                count = {
                    kind: len(json.loads((folder / f"{kind}.new.json").read_text())["citations"]) for kind in FORMATS
                }
                print(f"the two trees' harvests are identical ({count} citations)")
        if differ:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
