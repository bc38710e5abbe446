"""Benchmark: `linkcheck export --wacz` over a large archive.

Builds an archive of N captured HTML pages (of B bytes each, hand-built downloads: no request is
made) through the real Archive API, then times write_wacz() for the whole archive (WARC files copied
whole) and for one article's K captures (the shared WARC file cut down to them), R times each, and
prints the medians side by side with the package sizes. Run:
python benchmarks/bench_wacz.py [--pages 2000] [--bytes 50000] [--article 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from linkcheck.archive import Archive
from linkcheck.archive.wacz import CaptureRef, Selection, write_wacz
from linkcheck.models import FetchResult

T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
WORDS = "ministry troops exercise border statement report harvest grain minister capital weather".split()


def download(number: int, size: int, rng: random.Random) -> FetchResult:
    text = " ".join(rng.choice(WORDS) for _ in range(size // 8))
    body = f"<!DOCTYPE html><html><head><title>Page {number}</title></head><body><p>{text}</p></body></html>"
    payload = body.encode()[:size]
    url = f"http://site{number % 50}.example/news/{number}.html"
    return FetchResult(
        url=url,
        final_url=url,
        status=200,
        reason="OK",
        headers=(("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(payload)))),
        request_headers=(("User-Agent", "linkcheck-bench"),),
        raw_body=payload,
        body=payload,
        started_at=T0 + dt.timedelta(seconds=number),
    )


def build(root: Path, pages: int, size: int) -> list[CaptureRef]:
    rng = random.Random(15)
    refs = []
    with Archive(root, clock=lambda: T0) as archive:
        for number in range(pages):
            fetch = download(number, size, rng)
            snapshot = archive.capture(fetch).snapshot
            assert snapshot is not None and snapshot.offset is not None
            refs.append(CaptureRef(fetch.url, snapshot.warc, snapshot.offset, snapshot.captured_at))
    return refs


def timed(root: Path, out: Path, selection: Selection, repeat: int) -> tuple[float, int, int]:
    """(median seconds, package bytes, pages listed)."""
    times = []
    pages = 0
    for _ in range(repeat):
        start = time.perf_counter()
        summary = write_wacz(root, out, selection, T0)
        times.append(time.perf_counter() - start)
        pages = len(summary.pages)
    return statistics.median(times), out.stat().st_size, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--bytes", type=int, default=50_000)
    parser.add_argument("--article", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "archive"
        start = time.perf_counter()
        refs = build(root, args.pages, args.bytes)
        built = time.perf_counter() - start
        warc_bytes = sum(path.stat().st_size for path in (root / "warc").glob("*.warc.gz"))
        megabytes = warc_bytes / 1e6
        print(f"archive: {args.pages} captures of {args.bytes} B, {megabytes:.1f} MB of WARC, built in {built:.1f} s")
        step = max(1, len(refs) // args.article)
        article = Selection(tuple(refs[::step][: args.article]), "one article")
        rows = [
            ("whole archive (files copied whole)", Selection()),
            (f"one article, {args.article} captures (file cut down)", article),
        ]
        print(f"{'export':<44} {'median':>9} {'package':>10} {'pages':>6}  (repeat {args.repeat})")
        for label, selection in rows:
            seconds, size, pages = timed(root, Path(folder) / "out.wacz", selection, args.repeat)
            print(f"{label:<44} {seconds:>8.2f}s {size / 1e6:>8.1f}MB {pages:>6}")


if __name__ == "__main__":
    main()
