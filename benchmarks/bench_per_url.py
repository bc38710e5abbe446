"""Where the checker's CPU per URL goes, piece by piece, on one thread (prints figures).

1. Page facts: parsing a page (lxml since issue 17's third round, BeautifulSoup over lxml before) and
   computing its facts (check_result from the parsed tree: title, heading, date cascade, main text,
   soft-404 words), on the loopback server's small page and on the harvest corpus's real article
   pages, and both together ("parse + facts"); and a snapshot of each (Archive.capture of the page
   judged already: WARC records, readable copy, files). With `--baseline REF`, linkcheck as committed
   at REF is measured the same way in the same run, alternating.
2. The HTTP stack at latency 0 against the loopback server: one GET through Fetcher.fetch (which sends
   through urllib3's pools directly, check/transport.py), through the requests adapter (which the Fetcher
   keeps for proxies and unusual host names), and through a bare urllib3 connection pool.

Each figure is the best of several rounds of process CPU time (the least disturbed by other work on
a shared machine). See benchmarks/README.md for the figures measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from http.cookiejar import CookieJar
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_checker import Server, export_linkcheck  # noqa: E402

SMALL_PAGE = (
    b"<!doctype html><html><head><meta charset=utf-8><title>A benchmark page</title></head>"
    b"<body><h1>A benchmark page</h1><p>Page 12. "
    + b"A small page that a checker can parse. " * 8
    + b"</p></body></html>"
)
CORPUS = HERE / "harvest_corpus" / "pages"


def best_ms(action: Callable[[], object], count: int, rounds: int) -> float:
    """The least process CPU one call of `action` took, in ms, over `rounds` rounds of `count` calls."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(count):
            action()
        best = min(best, (time.process_time() - started) / count * 1000)
    return best


def page_figures(rounds: int) -> dict[str, float]:
    """Parse and facts CPU per page, for the small page and the corpus pages (in this process's linkcheck)."""
    from linkcheck.check.verdict import check_result, parsed_page
    from linkcheck.models import FetchResult

    def fetch_of(body: bytes) -> FetchResult:
        url = "http://127.0.0.2:8000/ok/12"
        return FetchResult(url, url, 200, "OK", headers=(("Content-Type", "text/html; charset=utf-8"),), body=body)

    small = fetch_of(SMALL_PAGE)
    tree = parsed_page(small)
    corpus = [fetch_of(path.read_bytes()) for path in sorted(CORPUS.glob("*.html"))[:60]]
    trees = [parsed_page(fetch) for fetch in corpus]

    def corpus_facts() -> None:
        for fetch, parsed in zip(corpus, trees, strict=True):
            check_result(fetch, parsed=parsed)

    def corpus_parse() -> None:
        for fetch in corpus:
            parsed_page(fetch)

    def corpus_both() -> None:
        for fetch in corpus:
            check_result(fetch, parsed=parsed_page(fetch))

    return {
        "small page: snapshot": capture_ms(rounds),
        f"{len(corpus)} corpus pages: snapshot": capture_ms(rounds, len(corpus), [fetch.body for fetch in corpus]),
        "small page: parse": best_ms(lambda: parsed_page(small), 300, rounds),
        "small page: facts": best_ms(lambda: check_result(small, parsed=tree), 300, rounds),
        f"{len(corpus)} corpus pages: parse": best_ms(corpus_parse, 1, rounds) / len(corpus),
        f"{len(corpus)} corpus pages: facts": best_ms(corpus_facts, 1, rounds) / len(corpus),
        "small page: parse + facts": best_ms(lambda: check_result(small, parsed=parsed_page(small)), 300, rounds),
        f"{len(corpus)} corpus pages: parse + facts": best_ms(corpus_both, 1, rounds) / len(corpus),
    }


def capture_ms(rounds: int, count: int = 300, bodies: list[bytes] | None = None) -> float:
    """CPU of archiving one page (WARC records, readable copy, files) that the checker has parsed and
    judged already: the best round of `count` captures, cycling through `bodies` (the small page by
    default), each of a new URL (no revisits, no drift comparisons); the parse and check of each
    round's pages are done before its clock starts."""
    from linkcheck.archive import Archive
    from linkcheck.check.verdict import check_result, parsed_page
    from linkcheck.models import FetchResult

    pages = bodies or [SMALL_PAGE]

    def fetch_of(number: int) -> FetchResult:
        url = f"http://127.0.0.2:8000/ok/{number}"
        headers = (("Content-Type", "text/html; charset=utf-8"),)
        when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        body = pages[number % len(pages)]
        return FetchResult(url, url, 200, "OK", headers=headers, body=body, raw_body=body, started_at=when)

    best = float("inf")
    with tempfile.TemporaryDirectory(prefix="bench-per-url-") as scratch:
        archive = Archive(Path(scratch) / "archive")
        numbers = iter(range(10**9))
        for _ in range(rounds):
            judged = []
            for _ in range(count):
                fetch = fetch_of(next(numbers))
                parsed = parsed_page(fetch)
                check_result(fetch, parsed=parsed)
                judged.append((fetch, parsed))
            started = time.process_time()
            for fetch, parsed in judged:
                archive.capture(fetch, parsed)
            best = min(best, (time.process_time() - started) / count * 1000)
        archive.close()
    return best


def snapshot_sections(count: int = 2000) -> dict[str, float]:
    """Where one small page's capture goes: `count` captures (new URLs), each of the archive's own
    steps timed (thread CPU) by wrapping it, ms per capture; "(rest)" is what no wrapper covered.
    Steps a version of the archive does not have are left out."""
    import collections
    import functools

    from linkcheck.archive import archive as archive_module
    from linkcheck.check.verdict import parsed_page
    from linkcheck.models import FetchResult

    spent: collections.Counter[str] = collections.Counter()

    def timed(name: str, action: Callable[..., object]) -> Callable[..., object]:
        @functools.wraps(action)
        def wrapper(*args: object, **kwargs: object) -> object:
            started = time.thread_time_ns()
            try:
                return action(*args, **kwargs)
            finally:
                spent[name] += time.thread_time_ns() - started

        return wrapper

    steps = {
        "WARC records (revisit lookup included)": "_records",
        "  of which the revisit lookup": "_original",
        "URL folder (made, checked)": "_url_folder",
        "earlier copy listed": "_previous_copy",
        "capture folder reserved": "_copy_folder",
        "capture folder reserved ": "_reserve_folder",
    }
    for label, name in steps.items():
        if hasattr(archive_module.Archive, name):
            setattr(archive_module.Archive, name, timed(label.strip(), getattr(archive_module.Archive, name)))
    for label, name in {"page.html, text.txt": "write_new_file", "meta.json": "write_meta"}.items():
        if hasattr(archive_module, name):
            setattr(archive_module, name, timed(label, getattr(archive_module, name)))
    archive_module.ReadableCopy.of = timed("readable copy", archive_module.ReadableCopy.of)  # type: ignore[method-assign]
    for name in ("pages_folder", "url_folder"):  # the URL folder's name, as each version calls it
        if hasattr(archive_module, name):
            setattr(archive_module, name, timed("URL folder name", getattr(archive_module, name)))
    if hasattr(archive_module, "indented_json"):
        archive_module.indented_json = timed("meta.json text", archive_module.indented_json)  # type: ignore[assignment]
    # Parts of the steps above ("of which": not added to the covered time).
    from linkcheck.archive import cdxj_index, readable_copy, warc_writer

    parts = [
        (readable_copy, "inert_document", "of which the inert page.html"),
        (readable_copy, "main_text", "of which the main text"),
        (warc_writer.WarcWriter, "_write", "of which framing + gzip of the records"),
        (warc_writer, "block_digest", "of which block digests"),
        (cdxj_index, "url_key", "of which SURT keys"),
        (archive_module, "url_key", "of which SURT keys"),
    ]
    for owner, name, label in parts:
        if hasattr(owner, name):
            setattr(owner, name, timed(label, getattr(owner, name)))

    def fetch_of(number: int) -> FetchResult:
        url = f"http://127.0.0.2:8000/ok/{number}"
        headers = (("Content-Type", "text/html; charset=utf-8"),)
        when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        return FetchResult(url, url, 200, "OK", headers=headers, body=SMALL_PAGE, raw_body=SMALL_PAGE, started_at=when)

    with tempfile.TemporaryDirectory(prefix="bench-per-url-") as scratch:
        archive = archive_module.Archive(Path(scratch) / "archive")
        parsed = parsed_page(fetch_of(0))
        fetches = [fetch_of(number) for number in range(1, count + 1)]
        started = time.thread_time_ns()
        for fetch in fetches:
            archive.capture(fetch, parsed)
        total = time.thread_time_ns() - started
        started = time.thread_time_ns()
        archive.close()
        closing = time.thread_time_ns() - started
        figures_alone = file_system_alone(Path(scratch) / "alone", count)
    covered = sum(value for name, value in spent.items() if not name.startswith("of which"))
    figures = {"whole capture": total / count / 1e6}
    figures.update(
        {
            name: value / count / 1e6
            for name, value in sorted(spent.items(), key=lambda item: item[0].startswith("of which"))
        }
    )
    figures["(rest)"] = (total - covered) / count / 1e6
    figures["close (index, index.html, sync), per capture"] = closing / count / 1e6
    figures.update(figures_alone)
    return figures


def file_system_alone(scratch: Path, count: int) -> dict[str, float]:
    """A copy's file-system work alone, ms a page (thread CPU, the kernel's included): the two folders,
    three files of the small page's sizes and a rename a copy makes, then with one folder fewer, then
    one file per page: what the layout costs on this machine, whatever the archive's code does."""

    def create(path: str, size: int) -> None:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.write(handle, b"x" * size)
        os.close(handle)

    def copy_as_today(folder: str) -> None:
        os.mkdir(folder)
        os.mkdir(f"{folder}/20260101000000")
        create(f"{folder}/20260101000000/page.html", 1500)
        create(f"{folder}/20260101000000/text.txt", 200)
        create(f"{folder}/20260101000000/.meta.json.tmp", 1100)
        os.rename(f"{folder}/20260101000000/.meta.json.tmp", f"{folder}/20260101000000/meta.json")

    def one_folder(folder: str) -> None:
        os.mkdir(folder)
        create(f"{folder}/page.html", 1500)
        create(f"{folder}/text.txt", 200)
        create(f"{folder}/meta.json", 1100)

    def one_file(folder: str) -> None:
        create(folder, 2800)

    ways = {
        "file system alone: 2 folders, 3 files, a rename": copy_as_today,
        "file system alone: 1 folder, 3 files": one_folder,
        "file system alone: 1 file": one_file,
    }
    figures = {}
    for label, way in ways.items():
        place = scratch / label.rsplit(": ", 1)[1].replace(" ", "-").replace(",", "")
        place.mkdir(parents=True)
        started = time.thread_time_ns()
        for number in range(count):
            way(f"{place}/{number:016x}")
        figures[label] = (time.thread_time_ns() - started) / count / 1e6
    return figures


def http_figures(count: int, rounds: int) -> dict[str, float]:
    """CPU per GET at latency 0, one thread, three ways (this process only; the server runs apart)."""
    import urllib3
    from requests.structures import CaseInsensitiveDict

    from linkcheck.check import Fetcher
    from linkcheck.check.connections import GuardedAdapter, prepared_request
    from linkcheck.settings import settings_from_mapping

    work = Path(tempfile.mkdtemp(prefix="bench-per-url-"))
    server = Server(1, 0.0, work / "index.html", 600)
    try:
        host, port = server.addresses[0], server.port
        urls = [f"http://{host}:{port}/ok/{i}" for i in range(count)]
        check = {"allow_private_networks": True, "retries": 0, "timeout": 10, "soft_404_probe": False}
        fetcher = Fetcher(settings_from_mapping({"check": check}, "bench"))
        adapter = GuardedAdapter(pool_connections=64, pool_maxsize=2, max_retries=0)
        pool = urllib3.HTTPConnectionPool(host, port, maxsize=2)
        jar = CookieJar()
        agent = {"User-Agent": "linkcheck-bench", "Accept-Encoding": "gzip, deflate"}
        wire = {**agent, "Accept": "*/*", "Connection": "keep-alive"}  # what the adapter path sends
        timeout = urllib3.Timeout(connect=10, read=10)

        def via_adapter(url: str) -> None:
            prepared = prepared_request("GET", url, CaseInsensitiveDict(agent), None, jar)
            response = adapter.send(prepared, stream=True, timeout=(10, 10), verify=True, proxies={})
            response.raw.read(decode_content=False)
            response.close()

        def via_pool(url: str) -> None:
            path = url.split(str(port), 1)[1]
            response = pool.urlopen(
                "GET", path, headers=wire, preload_content=False, retries=False, redirect=False, timeout=timeout
            )
            response.read(decode_content=False)
            response.release_conn()

        ways: dict[str, Callable[[str], object]] = {
            "GET through Fetcher.fetch": fetcher.fetch,
            "GET through the requests adapter": via_adapter,  # the Fetcher's proxy path
            "GET through urllib3's pool": via_pool,
        }
        figures = {}
        for name, way in ways.items():
            way(urls[0])  # the connection is open before timing
            figures[name] = best_ms(lambda way=way: [way(url) for url in urls], 1, rounds) / len(urls)
        fetcher.close()
        return figures
    finally:
        server.close()


def print_sections(baseline: str | None) -> int:
    """snapshot_sections() for this tree and the baseline, alternating, twice; the smaller figure of each."""
    print(f"one small page's capture, ms of thread CPU by step (load average {os.getloadavg()[0]:.2f})")
    sources: dict[str, str | None] = {"this tree": None}
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-per-url-") as scratch:
        if baseline:
            sources[baseline] = str(export_linkcheck(baseline, Path(scratch)))
        for _ in range(2):
            for name, path in sources.items():
                env = {**os.environ, "PYTHONPATH": path or str(HERE.parent)}
                done = subprocess.run(
                    [sys.executable, __file__, "--sections-only"], capture_output=True, text=True, env=env, check=True
                )
                figures = json.loads(done.stdout.strip().splitlines()[-1])
                kept = results.setdefault(name, figures)
                for key, value in figures.items():
                    kept[key] = min(kept.get(key, value), value)
    keys = list(dict.fromkeys(key for figures in results.values() for key in figures))
    for key in keys:
        shown = "   ".join(
            f"{name} {figures[key]:.3f}" if key in figures else f"{name}   -  " for name, figures in results.items()
        )
        print(f"  {key:42s} {shown}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REF", help="also measure the page facts of linkcheck at this git ref")
    parser.add_argument("--rounds", type=int, default=7, help="rounds per figure, the best is shown (default 7)")
    parser.add_argument("--gets", type=int, default=1500, help="GETs per round for the HTTP figures (default 1500)")
    parser.add_argument("--pages-only", action="store_true", help=argparse.SUPPRESS)  # the baseline's subprocess
    parser.add_argument(
        "--snapshot-sections", action="store_true", help="only: where a small page's capture goes, step by step"
    )
    parser.add_argument("--sections-only", action="store_true", help=argparse.SUPPRESS)  # its subprocess
    args = parser.parse_args(argv)
    if args.pages_only:
        print(json.dumps(page_figures(args.rounds)))
        return 0
    if args.sections_only:
        print(json.dumps(snapshot_sections()))
        return 0
    if args.snapshot_sections:
        return print_sections(args.baseline)
    load = os.getloadavg()[0]
    print(f"linkcheck CPU per URL by piece, one thread, best of {args.rounds} rounds (load average {load:.2f})")
    sources: dict[str, str | None] = {"this tree": None}
    with tempfile.TemporaryDirectory(prefix="bench-per-url-") as scratch:
        if args.baseline:
            sources[args.baseline] = str(export_linkcheck(args.baseline, Path(scratch)))
        results: dict[str, dict[str, float]] = {}
        for _ in range(2):  # alternate, so both trees see the same machine
            for name, path in sources.items():
                env = {**os.environ, "PYTHONPATH": path or str(HERE.parent)}
                done = subprocess.run(
                    [sys.executable, __file__, "--pages-only", "--rounds", str(args.rounds)],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=True,
                )
                figures = json.loads(done.stdout.strip().splitlines()[-1])
                kept = results.setdefault(name, figures)
                for key, value in figures.items():
                    kept[key] = min(kept[key], value)
    for key in results["this tree"]:
        shown = "   ".join(f"{name} {figures[key]:.3f} ms" for name, figures in results.items())
        print(f"  {key:28s} {shown}")
    for name, value in http_figures(args.gets, max(3, args.rounds // 2)).items():
        print(f"  {name:34s} {value:.3f} ms CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
