"""Benchmark: a scheduled run with nothing due over a large state store, base commit against this tree.

Builds N articles with M citations each in a temporary folder and fills a state store as if every URL
had just been checked (through the real Store API of the *base* commit, so both versions can open it;
this tree migrates its copy on a first, untimed run). Then times `linkcheck run` over the folder in
subprocesses, base and this tree interleaved, and prints the median wall time of each, their ratio and
the runs' peak RSS. No request is made: nothing is due. The two reports must agree citation by
citation (run-specific fields aside), or the script says so and exits 1.

    python benchmarks/bench_state.py [--articles 5000] [--per-article 20] [--repeat 3] [--base /tmp/base-data]

First, the same script times how long the main thread takes to record 2,000 checks with their captures
while eight threads keep the interpreter busy (as the checker's do): the base commits each check in
its own transaction, this tree in batches.

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


def record_under_load(folder: Path, results: int, busy_threads: int) -> float:
    """Seconds the main thread takes to record `results` checks with captures through RunState while
    `busy_threads` threads keep the interpreter busy, as the checker's threads do during a run."""
    import inspect
    import threading

    from linkcheck.models import CheckResult, Snapshot, Verdict
    from linkcheck.settings import Settings
    from linkcheck.state.run import RunState
    from linkcheck.state.store import Store

    store = Store.open(folder / "record.sqlite")
    now = dt.datetime.now(dt.UTC)
    state = RunState(store, Settings().state, lambda: now)
    state.begin(now, ["bench"])
    batched = "snapshot" in inspect.signature(state.record).parameters
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            sum(range(2000))

    threads = [threading.Thread(target=busy) for _ in range(busy_threads)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    for number in range(results):
        result = CheckResult(f"https://h{number % 20}.example/p/{number}", Verdict.OK, 200, checked_at=now)
        snapshot = Snapshot("a.warc.gz", "0" * 64, now.isoformat(), None, f"<urn:uuid:{number}>", number)
        if batched:
            state.record(result, snapshot)  # type: ignore[call-arg]
        else:  # the base commit: one transaction per check, another for its capture
            state.record(result)
            state.record_snapshot(result.url, snapshot)  # type: ignore[attr-defined]
    state.finish(now, False)
    elapsed = time.perf_counter() - began
    stop.set()
    for thread in threads:
        thread.join()
    store.close()
    return elapsed


def timed_run(folder: Path, tree: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one `linkcheck run` with nothing due, with `tree` on
    the path."""
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
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


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
    parser.add_argument("--record", type=int, default=2000, help="checks recorded under load (0: skip)")
    parser.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--record-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.build_only, args.articles, args.per_article)
        return
    if args.record_only:
        print(record_under_load(args.record_only, args.record, busy_threads=8))
        return
    trees = {"base": args.base, "new": args.tree} if (args.base / "linkcheck").is_dir() else {"new": args.tree}
    if "base" not in trees:
        print(f"no base checkout at {args.base}: timing this tree only")
    with tempfile.TemporaryDirectory() as tmp:
        if args.record:
            record_times: dict[str, list[float]] = {name: [] for name in trees}
            for attempt in range(args.repeat):
                for name, tree in trees.items():
                    folder = Path(tmp) / f"record-{name}-{attempt}"
                    folder.mkdir()
                    command = [sys.executable, __file__, "--record-only", str(folder), "--record", str(args.record)]
                    completed = subprocess.run(
                        command, check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(tree)}
                    )
                    record_times[name].append(float(completed.stdout))
            print(f"recording {args.record} checks with their captures, 8 busy threads, median of {args.repeat}:")
            for name in trees:
                print(f"  {name:4} {statistics.median(record_times[name]):6.2f}s")
            if "base" in trees:
                ratio = statistics.median(record_times["new"]) / statistics.median(record_times["base"])
                print(f"  new / base: {ratio:.2f}")
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
        cpus: dict[str, list[float]] = {name: [] for name in trees}
        peaks: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(args.repeat):
            for name, tree in trees.items():  # interleaved, so both see the same machine
                wall, cpu, peak = timed_run(folders[name], tree)
                walls[name].append(wall)
                cpus[name].append(cpu)
                peaks[name].append(peak)
        print(f"nothing-due rerun of {total} citations, median of {args.repeat} interleaved runs:")
        for name, tree in trees.items():
            print(
                f"  {name:4} wall {statistics.median(walls[name]):6.2f}s (min {min(walls[name]):.2f}s,"
                f" max {max(walls[name]):.2f}s)  CPU {statistics.median(cpus[name]):6.2f}s"
                f"  peak RSS {max(peaks[name]):.0f} MB  [{tree}]"
            )
        if "base" in trees:
            ratio = statistics.median(walls["new"]) / statistics.median(walls["base"])
            cpu_ratio = statistics.median(cpus["new"]) / statistics.median(cpus["base"])
            print(f"  new / base: wall {ratio:.2f}, CPU {cpu_ratio:.2f}")
            if citations(folders["base"]) != citations(folders["new"]):
                print("the two reports DIFFER: see out/report.json of each")
                raise SystemExit(1)
            print("  the two reports agree on every citation")


if __name__ == "__main__":
    main()
