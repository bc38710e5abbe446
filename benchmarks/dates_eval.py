"""Accuracy and speed of publication-date extraction: linkcheck's own against htmldate.

Every method reads the pages in benchmarks/date_pages/ (true original publication dates in truth.json,
null where the page states none) and the script prints correct / wrong / missing per method, the
median time per page, and the pages each method got wrong. See benchmarks/DATES.md for the figures.
htmldate is needed only here: `pip install htmldate`; without it those rows are skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkcheck.dates import date_from_html
from linkcheck.harvest.html import harvest_html
from linkcheck.pages import parse_html

PAGES = Path(__file__).resolve().parent / "date_pages"

Extract = Callable[[bytes, str], dt.date | None]


@dataclass(frozen=True)
class Page:
    """One test page: its file name, raw bytes, the URL it pretends to live at and its true date."""

    name: str
    content: bytes
    url: str
    published: dt.date | None


@dataclass(frozen=True)
class Method:
    """A way to find a page's date; `prepare` runs untimed, `reset` clears caches before each pass."""

    label: str
    extract: Callable[[Any, str], dt.date | None]
    prepare: Callable[[bytes], Any] = lambda content: content
    reset: Callable[[], None] = lambda: None


def load_pages(folder: Path) -> list[Page]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    pages = []
    for name, entry in sorted(truth.items()):
        published = dt.date.fromisoformat(entry["published"]) if entry["published"] else None
        pages.append(Page(name, (folder / name).read_bytes(), entry["url"], published))
    return pages


def ours_markup(content: bytes, url: str) -> dt.date | None:
    # Parsing is timed too: htmldate parses the page itself, so both sides pay for it.
    return date_from_html(parse_html(content))[0]


def ours_markup_parsed(soup: Any, url: str) -> dt.date | None:
    # The harvester parses the page anyway for its links, so this is what the date costs on top.
    return date_from_html(soup)[0]


def ours_harvest(content: bytes, url: str) -> dt.date | None:
    return harvest_html(content, source=url, page_url=url).published


def htmldate_method(original_date: bool = False, extensive_search: bool = True) -> Extract:
    from htmldate import find_date

    def extract(content: bytes, url: str) -> dt.date | None:
        found = find_date(
            content,
            url=url,
            original_date=original_date,
            extensive_search=extensive_search,
            outputformat="%Y-%m-%d",
        )
        return dt.date.fromisoformat(found) if found else None

    return extract


def methods() -> list[Method]:
    chosen = [
        Method("ours: date_from_html", ours_markup),
        Method("ours: full harvest", ours_harvest),
        Method("ours: date_from_html, page already parsed", ours_markup_parsed, prepare=parse_html),
    ]
    try:
        import htmldate
        from htmldate.meta import reset_caches
    except ImportError:
        print("htmldate is not installed; its rows are skipped (pip install htmldate)", file=sys.stderr)
        return chosen
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    version = getattr(htmldate, "__version__", "?")
    # Its caches are cleared before each pass: in a real run every page is new to it.
    chosen += [
        Method(f"htmldate {version} original_date=True", htmldate_method(original_date=True), reset=reset_caches),
        Method(
            f"htmldate {version} original_date=True extensive_search=False",
            htmldate_method(original_date=True, extensive_search=False),
            reset=reset_caches,
        ),
        Method(f"htmldate {version} default", htmldate_method(), reset=reset_caches),
    ]
    return chosen


def verdict(found: dt.date | None, truth: dt.date | None) -> str:
    """correct (including no date on a page that has none), missing, or wrong."""
    if found == truth:
        return "correct"
    return "missing" if found is None else "wrong"


def measure(methods_: list[Method], pages: list[Page], reps: int) -> dict[str, dict[str, Any]]:
    """Results and times per page: one cold pass (first use in the process), then `reps` timed passes.

    Methods are interleaved within each pass so that drift in the machine's speed hits them alike.
    """
    results: dict[str, list[dt.date | None]] = {m.label: [] for m in methods_}
    page_times: dict[str, list[list[float]]] = {m.label: [[] for _ in pages] for m in methods_}
    cold_ms: dict[str, float] = {}
    for rep in range(reps + 1):
        for method in methods_:
            method.reset()
            prepared = [method.prepare(page.content) for page in pages]
            pass_seconds = 0.0
            for index, page in enumerate(pages):
                started = time.perf_counter()
                found = method.extract(prepared[index], page.url)
                elapsed = time.perf_counter() - started
                pass_seconds += elapsed
                if rep == 0:
                    results[method.label].append(found)
                else:
                    page_times[method.label][index].append(elapsed)
                    if found != results[method.label][index]:
                        raise SystemExit(f"{method.label} gave two answers for {page.name}")
            if rep == 0:
                cold_ms[method.label] = 1000 * pass_seconds / len(pages)
    out: dict[str, dict[str, Any]] = {}
    for method in methods_:
        times = page_times[method.label]
        per_page_medians = [statistics.median(t) for t in times]
        per_pass_means = [sum(t[rep] for t in times) / len(pages) for rep in range(reps)]
        out[method.label] = {
            "results": results[method.label],
            "median_ms_per_page": 1000 * statistics.median(per_page_medians),
            "mean_ms_per_page": 1000 * statistics.median(per_pass_means),
            "slowest_page": max(zip(per_page_medians, (p.name for p in pages), strict=True)),
            "cold_ms_per_page": cold_ms[method.label],
        }
    return out


def show(value: dt.date | None) -> str:
    return value.isoformat() if value else "-"


def report(methods_: list[Method], pages: list[Page], measured: dict[str, dict[str, Any]], reps: int) -> None:
    width = max(len(m.label) for m in methods_)
    undated = sum(page.published is None for page in pages)
    print(f"{len(pages)} pages ({undated} with no date); times: median of {reps} passes after a cold first pass\n")
    print(
        f"{'method':<{width}}  correct  wrong  missing  median ms/page  mean ms/page  cold pass ms/page  slowest page"
    )
    for method in methods_:
        figures = measured[method.label]
        verdicts = [verdict(got, page.published) for got, page in zip(figures["results"], pages, strict=True)]
        slowest_ms, slowest_name = figures["slowest_page"]
        print(
            f"{method.label:<{width}}  {verdicts.count('correct'):>4}/{len(pages)}"
            f"  {verdicts.count('wrong'):>5}  {verdicts.count('missing'):>7}"
            f"  {figures['median_ms_per_page']:>14.2f}  {figures['mean_ms_per_page']:>12.2f}"
            f"  {figures['cold_ms_per_page']:>17.2f}  {1000 * slowest_ms:.1f} ms {slowest_name}"
        )
    print()
    for method in methods_:
        found = measured[method.label]["results"]
        misses = [(page, got) for page, got in zip(pages, found, strict=True) if got != page.published]
        print(f"{method.label}: {len(misses)} not correct")
        for page, got in misses:
            outcome = verdict(got, page.published)
            print(f"  {page.name:<40} true {show(page.published):<10}  got {show(got):<10}  {outcome}")
    print()
    print("every page: true date | each method in the order of the table (* = not correct)")
    for index, page in enumerate(pages):
        cells = []
        for method in methods_:
            got = measured[method.label]["results"][index]
            cells.append(f"{show(got):<10}{'*' if got != page.published else ' '}")
        print(f"  {page.name:<40} {show(page.published):<10} | " + " ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20, help="passes over the whole set for the timings")
    parser.add_argument("--pages", type=Path, default=PAGES, help="folder with the pages and truth.json")
    args = parser.parse_args()
    pages = load_pages(args.pages)
    chosen = methods()
    report(chosen, pages, measure(chosen, pages, args.reps), args.reps)


if __name__ == "__main__":
    main()
