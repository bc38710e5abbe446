"""Benchmark: the HTML harvest of real pages (every HTML page of harvest_corpus/), base against this tree.

bench_harvest_speed.py times one generated 10 MB article; real pages are small and deep, with far
more elements per link, so the article finder weighs more in them. Each tree harvests every page
of benchmarks/harvest_corpus (harvest_eval's inputs) in its own subprocess, base and new interleaved,
twice in a row: the first pass ("cold") pays for htmldate's and dateparser's first use (they compile
their patterns then), the second ("warm") is what a long run pays per page. Times are CPU seconds of
the harvesting process; the script prints medians, MB/s and new / base, and exits 1 if the two
trees' harvests differ in any field of any page.

    python benchmarks/bench_html_pages.py [--repeat 3] [--base /tmp/base-data]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREE = HERE.parent
PAGES = sorted((HERE / "harvest_corpus").rglob("*.html"))


def worker(out: Path) -> None:
    from linkcheck.harvest import harvest
    from linkcheck.models import Document, SourceKind
    from linkcheck.serialize import article_to_dict

    documents = [Document(str(path), SourceKind.HTML, path.read_bytes()) for path in PAGES]
    times = []
    for _ in range(2):
        began = time.process_time()  # CPU seconds: on a shared machine wall time measures the neighbours too
        articles = [harvest(document) for document in documents]
        times.append(time.process_time() - began)
    harvested = [article_to_dict(article) for article in articles]
    out.write_text(json.dumps(harvested, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(json.dumps({"cold": times[0], "warm": times[1]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--base", type=Path, default=Path("/tmp/base-data"), help="checkout of the base commit")
    parser.add_argument("--tree", type=Path, default=TREE, help="the tree timed as new (default: this one)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    trees = {"base": args.base, "new": args.tree} if (args.base / "linkcheck").is_dir() else {"new": args.tree}
    megabytes = sum(path.stat().st_size for path in PAGES) / 1_000_000
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            for name, tree in trees.items():  # interleaved, so both see the same machine
                environment = {**os.environ, "PYTHONPATH": str(tree)}
                completed = subprocess.run(
                    [sys.executable, __file__, "--worker", str(Path(tmp) / f"{name}.json")],
                    env=environment,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs[name].append(json.loads(completed.stdout))
        print(f"HTML harvest of {len(PAGES)} corpus pages ({megabytes:.2f} MB), CPU seconds, median of {args.repeat}")
        print(f"{'tree':4} {'cold s':>7} {'MB/s':>6}  {'warm s':>7} {'MB/s':>6}")
        medians = {}
        for name in trees:
            cold = statistics.median(run["cold"] for run in runs[name])
            warm = statistics.median(run["warm"] for run in runs[name])
            medians[name] = (cold, warm)
            print(f"{name:4} {cold:7.3f} {megabytes / cold:6.2f}  {warm:7.3f} {megabytes / warm:6.2f}")
        if "base" in medians:
            (base_cold, base_warm), (new_cold, new_warm) = medians["base"], medians["new"]
            print(f"new / base: cold {new_cold / base_cold:.2f}, warm {new_warm / base_warm:.2f}")
            base, new = (json.loads((Path(tmp) / f"{name}.json").read_text(encoding="utf-8")) for name in trees)
            differ = [PAGES[index].name for index, (a, b) in enumerate(zip(base, new, strict=True)) if a != b]
            if differ:
                print(f"the harvests DIFFER on {len(differ)} pages: {', '.join(differ[:10])}")
                raise SystemExit(1)
            print(f"the two trees' harvests are identical ({sum(len(a['citations']) for a in new)} citations)")


if __name__ == "__main__":
    main()
