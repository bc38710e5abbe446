"""Benchmark: a scheduled run with nothing due over a large state store, base commit against this tree.

Builds N articles with M citations each in a temporary folder and fills a state store as if every URL
had just been checked (through the real Store API of the *base* commit, so both versions can open it;
this tree migrates its copy on a first, untimed run). Then times `linkcheck run` over the folder in
subprocesses, base and this tree interleaved, and prints the median wall time of each, their ratio and
the runs' peak RSS. No request is made: nothing is due. The two reports must agree citation by
citation (run-specific fields aside), or the script says so and exits 1.

    python benchmarks/bench_state.py [--articles 5000] [--per-article 20] [--repeat 3] [--base /tmp/base-data]

The base is a checkout of another commit (`git worktree add /tmp/base-data c67d988`); without one,
only this tree is timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREE = HERE.parent


def build(folder: Path, articles: int, per_article: int) -> Path:
    """Articles and a state store in which every citation's URL was checked just now (ok)."""
    from linkcheck.harvest import harvest
    from linkcheck.models import CheckResult, Document, SourceKind, Verdict
    from linkcheck.state.history import DeathPolicy, advance
    from linkcheck.state.run import content_hash
    from linkcheck.state.store import Store

    store_path = folder / "archive" / "state.sqlite"
    store = Store.open(store_path)
    now = dt.datetime.now(dt.UTC)
    run_id = store.begin_run(now, [str(folder / "articles")])
    policy = DeathPolicy()
    (folder / "articles").mkdir()
    for number in range(articles):
        host = f"site{number % 500}.example"
        lines = [f"Article {number}", "10 August 2021", ""]
        lines += [f"Source {n}: https://{host}/news/{number}/{n}.html" for n in range(per_article)]
        path = folder / "articles" / f"a{number:05d}.txt"
        path.write_text("\n".join(lines) + "\n")
        document = Document(str(path), SourceKind.TEXT, path.read_bytes())
        article = harvest(document)
        store.save_article(article, content_hash(document), run_id)
        for citation in article.citations:
            assert citation.normalized_url
            result = CheckResult(url=citation.normalized_url, verdict=Verdict.OK, status=200, checked_at=now)
            state, _ = advance(None, result, now, policy)
            store.record_check(run_id, result, state)
    store.finish_run(run_id, now, False)
    store.close()
    return store_path


def timed_run(folder: Path, tree: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one `linkcheck run` with nothing due, with `tree` on the path."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "linkcheck", "run", "articles", "--out", "out", "--quiet", "--fail-on", "never"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "LINKCHECK_CONFIG": "", "PYTHONPATH": str(tree)},
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"run with {tree} failed: {stderr[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def citations(folder: Path) -> list[dict[str, object]]:
    """The report's citations (what a run adds of its own, its id and times, is in the head)."""
    report = json.loads((folder / "out" / "report.json").read_text(encoding="utf-8"))
    return [citation for article in report["articles"] for citation in article["citations"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--per-article", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--base", type=Path, default=Path("/tmp/base-data"), help="checkout of the base commit")
    parser.add_argument("--tree", type=Path, default=TREE, help="the tree timed as new (default: this one)")
    parser.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.build_only, args.articles, args.per_article)
        return
    trees = {"base": args.base, "new": args.tree} if (args.base / "linkcheck").is_dir() else {"new": args.tree}
    if "base" not in trees:
        print(f"no base checkout at {args.base}: timing this tree only")
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "built"
        built.mkdir()
        began = time.perf_counter()
        builder = trees.get("base", args.tree)
        command = [sys.executable, __file__, "--build-only", str(built), "--articles", str(args.articles)]
        command += ["--per-article", str(args.per_article)]
        subprocess.run(command, check=True, env={**os.environ, "PYTHONPATH": str(builder)})
        total = args.articles * args.per_article
        print(f"built store: {args.articles} articles x {args.per_article} = {total} citations")
        print(f"  (with {builder}) in {time.perf_counter() - began:.1f}s")
        folders = {}
        for name, tree in trees.items():
            folders[name] = Path(tmp) / name
            shutil.copytree(built, folders[name])
            timed_run(folders[name], tree)  # untimed: this tree migrates the base's store here
        walls: dict[str, list[float]] = {name: [] for name in trees}
        peaks: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(args.repeat):
            for name, tree in trees.items():  # interleaved, so both see the same machine
                wall, peak = timed_run(folders[name], tree)
                walls[name].append(wall)
                peaks[name].append(peak)
        print(f"nothing-due rerun of {total} citations, median of {args.repeat} interleaved runs:")
        for name, tree in trees.items():
            print(
                f"  {name:4} {statistics.median(walls[name]):6.2f}s  (min {min(walls[name]):.2f}s,"
                f" max {max(walls[name]):.2f}s)  peak RSS {max(peaks[name]):.0f} MB  [{tree}]"
            )
        if "base" in trees:
            ratio = statistics.median(walls["new"]) / statistics.median(walls["base"])
            print(f"  new / base: {ratio:.2f}")
            if citations(folders["base"]) != citations(folders["new"]):
                print("the two reports DIFFER: see out/report.json of each")
                raise SystemExit(1)
            print("  the two reports agree on every citation")


if __name__ == "__main__":
    main()
