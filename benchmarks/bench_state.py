"""Benchmark: a scheduled run with nothing due over a large state store.

Builds N articles with M citations each in a temporary folder, fills a state store as if every
URL had just been checked (through the real Store API), then times `linkcheck run` over the
folder in a subprocess and reports wall time and the run's peak RSS. No request is made: nothing
is due. Run: python benchmarks/bench_state.py [--articles 5000] [--per-article 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from linkcheck.harvest import harvest
from linkcheck.models import CheckResult, Document, SourceKind, Verdict
from linkcheck.state.history import DeathPolicy, advance
from linkcheck.state.run import content_hash
from linkcheck.state.store import Store


def build(folder: Path, articles: int, per_article: int) -> Path:
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
    store.finish_run(run_id, now, False, {})
    store.close()
    return store_path


def timed_run(folder: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one `linkcheck run` with nothing due."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    began = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "linkcheck", "run", "articles", "--out", "out", "--quiet", "--fail-on", "never"],
        cwd=folder,
        capture_output=True,
        env={**os.environ, "LINKCHECK_CONFIG": ""},
    )
    wall = time.perf_counter() - began
    if completed.returncode != 0:
        raise SystemExit(f"run failed ({completed.returncode}): {completed.stderr.decode()[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--per-article", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        build(folder, args.articles, args.per_article)
        print(
            f"built store: {args.articles} articles x {args.per_article} citations"
            f" in {time.perf_counter() - began:.1f}s"
        )
        walls, peaks = [], []
        for _ in range(args.repeat):
            wall, peak = timed_run(folder)
            walls.append(wall)
            peaks.append(peak)
        print(
            f"run with nothing due: median {statistics.median(walls):.2f}s over {args.repeat} runs"
            f" (min {min(walls):.2f}s, max {max(walls):.2f}s)"
        )
        print(f"peak RSS of the run (max over runs; children's high-water mark): {max(peaks):.0f} MB")


if __name__ == "__main__":
    main()
