"""How well the harvest holds on real shapes of material: URLs in text, body links, dates, contexts.

Runs, side by side in one sitting, the harvest at a baseline commit (by default the start of issue 12),
the harvest of this tree, and htmldate alone (dates only), on the corpora in benchmarks/harvest_corpus/
(and the older date set in benchmarks/date_pages/), and prints:

- URL-in-text: precision, recall and F1 over the URLs found in plain text, and cases wholly right, per
  kind of case (a plain regex extractor is shown for reference);
- footnote lists: how many listed URLs get the sentence that refers to them;
- body links: the share of the article's own links kept and of the page's other links reported
  (navigation, related stories, impressum, language switches, previous/next, comments...);
- dates: right / wrong / none for the article's date (the full harvest), for a cited page's date (what
  the checker reads from a fetched page) and for htmldate alone, split into the pages used while
  tuning and the held-out page shapes.

    PYTHONPATH=. python benchmarks/harvest_eval.py [--baseline REV] [--details]

The baseline is checked out with `git archive` into a temporary folder and run in a subprocess;
htmldate must be installed (it is a dependency of linkcheck from issue 12 on).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "harvest_corpus"
OLD_DATES = HERE / "date_pages"
DEFAULT_BASELINE = "744059b"  # the start of branch i12-harvest (issue 12)

sys.path.insert(0, str(CORPUS))

from footnote_lists import TEXTS  # noqa: E402
from urls_in_text import CASES  # noqa: E402

# --- running one implementation (this process's linkcheck) ---------------------------------------


def date_pages() -> list[tuple[str, str, bytes, str | None, str, bool]]:
    """(set, name, content, true date, url, held out) of every page with a known date."""
    pages = []
    truth = json.loads((CORPUS / "pages.json").read_text(encoding="utf-8"))
    for name, entry in truth.items():
        content = (CORPUS / "pages" / name).read_bytes()
        pages.append(("corpus", name, content, entry["published"], entry["url"], entry["held_out"]))
    old = json.loads((OLD_DATES / "truth.json").read_text(encoding="utf-8"))
    for name, entry in old.items():
        pages.append(("date_pages", name, (OLD_DATES / name).read_bytes(), entry["published"], entry["url"], False))
    stress = json.loads((CORPUS / "stress.json").read_text(encoding="utf-8"))
    for name, entry in stress.items():
        content = (CORPUS / "stress" / name).read_bytes()
        pages.append(("stress", name, content, entry["published"], entry["url"], False))
    return pages


def run_implementation() -> dict[str, Any]:
    """Everything the linkcheck on sys.path finds in the corpora, as plain data."""
    from linkcheck.harvest.html import harvest_html
    from linkcheck.harvest.text import harvest_text
    from linkcheck.models import FetchResult
    from linkcheck.pages import page_facts

    out: dict[str, Any] = {"urls": [], "footnotes": {}, "pages": {}, "stress_links": {}}
    for name, entry in json.loads((CORPUS / "stress_links.json").read_text(encoding="utf-8")).items():
        article = harvest_html((CORPUS / "stress_links" / name).read_bytes(), name, page_url=entry["url"])
        out["stress_links"][name] = [c.normalized_url or c.url for c in article.citations]
    for case in CASES:
        out["urls"].append([c.url for c in harvest_text(case.text, "case.txt").citations])
    for text in TEXTS:
        out["footnotes"][text.name] = {c.url: c.context for c in harvest_text(text.text, f"{text.name}.txt").citations}
    try:
        from linkcheck.dates import date_by_htmldate  # this tree's: the combination rows
    except ImportError:
        date_by_htmldate = None
    for group, name, content, _, url, _ in date_pages():
        started = time.perf_counter()
        article = harvest_html(content, name, page_url=url)
        harvest_ms = 1000 * (time.perf_counter() - started)
        fetch = FetchResult(url, url, 200, headers=(("Content-Type", "text/html; charset=utf-8"),), body=content)
        facts = page_facts(fetch)
        entry: dict[str, Any] = {
            "date": article.published.isoformat() if article.published else None,
            "from": article.published_from,
            "cited": facts.published.isoformat() if facts.published else None,
            "links": [c.normalized_url or c.url for c in article.citations],
            "ms": harvest_ms,
        }
        if date_by_htmldate is not None:
            for label, extensive in (("fallback-markup", False), ("fallback-extensive", True)):
                found = article.published if article.published_from != "htmldate" else None
                if found is None:
                    found = date_by_htmldate(content, url, extensive=extensive)
                entry[label] = found.isoformat() if found else None
        out["pages"][f"{group}/{name}"] = entry
    return out


def run_htmldate() -> dict[str, Any]:
    from htmldate import find_date
    from htmldate.meta import reset_caches

    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    out: dict[str, Any] = {}
    for group, name, content, _, url, _ in date_pages():
        reset_caches()
        found = find_date(content, url=url, original_date=True, outputformat="%Y-%m-%d")
        out[f"{group}/{name}"] = found
    return out


def run_baseline(revision: str) -> dict[str, Any]:
    """The harvest at `revision`, run in a subprocess on a `git archive` copy of that tree."""
    root = HERE.parent
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", revision, "linkcheck"], check=True, capture_output=True
        )
        tar_path = Path(folder) / "tree.tar"
        tar_path.write_bytes(archive.stdout)
        with tarfile.open(tar_path) as tar:
            tar.extractall(folder, filter="data")
        env = {**os.environ, "PYTHONPATH": folder}
        done = subprocess.run(
            [sys.executable, __file__, "--implementation"], check=True, capture_output=True, env=env, cwd=folder
        )
    return json.loads(done.stdout)


# --- scoring ---------------------------------------------------------------------------------------


def score_urls(found_lists: list[list[str]]) -> dict[str, Any]:
    tp = fp = fn = 0
    per_kind: dict[str, list[int]] = {}
    failures = []
    for case, found in zip(CASES, found_lists, strict=True):
        expected, got = Counter(case.urls), Counter(found)
        hit = sum((expected & got).values())
        tp += hit
        fp += sum(got.values()) - hit
        fn += sum(expected.values()) - hit
        ok = list(found) == list(case.urls)
        per_kind.setdefault(case.kind, [0, 0])
        per_kind[case.kind][0] += ok
        per_kind[case.kind][1] += 1
        if not ok:
            failures.append((case.kind, case.text, case.urls, found))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    passed = sum(kind[0] for kind in per_kind.values())
    return {"p": precision, "r": recall, "f1": f1, "passed": passed, "kinds": per_kind, "failures": failures}


def plain_regex(text: str) -> list[str]:
    """A plain regex extractor, for reference: scheme to whitespace, trailing punctuation dropped."""
    found = []
    for match in re.finditer(r"(?:https?|ftp)://[^\s<>\"'`]+|www\.[^\s<>\"'`]+", text):
        url = match.group(0).rstrip(".,;:!?)]}»”’…")
        if len(url) > len("https://"):
            found.append(url)
    return found


def score_footnotes(contexts: dict[str, dict[str, str]]) -> tuple[int, int, list[str]]:
    """(right, total, notes): a URL is right when its context holds the expected phrase, or, with
    no expected phrase, when its context is neither a bare list of URLs nor another URL's phrase."""
    right = total = 0
    notes = []
    for text in TEXTS:
        got = contexts.get(text.name, {})
        phrases = [phrase for phrase in text.expected.values() if phrase]
        for url, phrase in text.expected.items():
            total += 1
            context = got.get(url, "<not found>")
            if phrase:
                ok = phrase.lower() in context.lower()
            else:
                ok = "http" not in context and not any(other.lower() in context.lower() for other in phrases)
            right += ok
            if not ok:
                notes.append(f"{text.name}: {url} -> {context!r} (want {phrase!r})")
    return right, total, notes


def score_links(pages_out: dict[str, Any], truth: dict[str, Any], held_out: bool | None) -> dict[str, float]:
    body = kept = other = leaked = 0
    for name, entry in truth.items():
        if held_out is not None and entry["held_out"] != held_out:
            continue
        found = set(_normalize_all(pages_out[f"corpus/{name}"]["links"]))
        body_set, other_set = set(_normalize_all(entry["body"])), set(_normalize_all(entry["other"]))
        body += len(body_set)
        kept += len(body_set & found)
        other += len(other_set)
        leaked += len(other_set & found)
    return {
        "kept": kept / body if body else 1.0,
        "leaked": leaked / other if other else 0.0,
        "body": body,
        "other": other,
    }


def score_stress_links(found: dict[str, list[str]], truth: dict[str, Any]) -> dict[str, float]:
    """Kept and leaked shares on the hand-written pages: every other <a href> on a page is not a citation."""
    from urllib.parse import urljoin

    from bs4 import BeautifulSoup

    body = kept = other = leaked = 0
    for name, entry in truth.items():
        soup = BeautifulSoup((CORPUS / "stress_links" / name).read_bytes(), "lxml")
        hrefs = {urljoin(entry["url"], str(a["href"])) for a in soup.find_all("a", href=True)}
        body_set = set(_normalize_all(entry["body"]))
        other_set = set(_normalize_all(sorted(hrefs))) - body_set
        got = set(_normalize_all(found.get(name, [])))
        body, kept = body + len(body_set), kept + len(body_set & got)
        other, leaked = other + len(other_set), leaked + len(other_set & got)
    return {"kept": kept / body, "leaked": leaked / other, "body": body, "other": other}


def _normalize_all(urls: list[str]) -> list[str]:
    from linkcheck.urls import InvalidURL, normalize_url

    out = []
    for url in urls:
        try:
            out.append(normalize_url(url))
        except (InvalidURL, ValueError):
            out.append(url)
    return out


def score_dates(
    found: dict[str, str | None], pages: list[tuple[str, str, bytes, str | None, str, bool]], which: str
) -> Counter[str]:
    counts: Counter[str] = Counter()
    for group, name, _, truth, _, held_out in pages:
        if which == "corpus-dev" and (group != "corpus" or held_out):
            continue
        if which == "corpus-held-out" and (group != "corpus" or not held_out):
            continue
        if which in ("date_pages", "stress") and group != which:
            continue
        got = found.get(f"{group}/{name}")
        if got == truth:
            counts["right"] += 1
        elif got is None:
            counts["none"] += 1
        else:
            counts["wrong"] += 1
    return counts


# --- report ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline", default=DEFAULT_BASELINE, help="git revision to compare with (default: %(default)s)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="only this tree and htmldate")
    parser.add_argument("--details", action="store_true", help="list every case each implementation gets wrong")
    parser.add_argument("--implementation", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.implementation:
        json.dump(run_implementation(), sys.stdout)
        return

    runs: dict[str, dict[str, Any]] = {}
    if not args.no_baseline:
        runs[f"baseline {args.baseline}"] = run_baseline(args.baseline)
    runs["this tree"] = run_implementation()
    htmldate_found = run_htmldate()
    import htmldate

    truth = json.loads((CORPUS / "pages.json").read_text(encoding="utf-8"))
    pages = date_pages()
    print(f"URL-in-text: {len(CASES)} cases, {sum(len(c.urls) for c in CASES)} URLs")
    print(f"{'':<22}{'precision':>10}{'recall':>8}{'F1':>7}{'cases right':>13}")
    regex = score_urls([plain_regex(case.text) for case in CASES])
    scored = {label: score_urls(run["urls"]) for label, run in runs.items()}
    for label, figures in [("plain regex", regex), *scored.items()]:
        print(
            f"{label:<22}{figures['p']:>10.3f}{figures['r']:>8.3f}{figures['f1']:>7.3f}{figures['passed']:>9}/{len(CASES)}"
        )
    kinds = list(dict.fromkeys(case.kind for case in CASES))
    print(f"\n{'cases right by kind':<22}" + "".join(f"{kind:>12}" for kind in kinds))
    for label, figures in [("plain regex", regex), *scored.items()]:
        print(f"{label:<22}" + "".join(f"{figures['kinds'][k][0]:>8}/{figures['kinds'][k][1]:<3}" for k in kinds))

    print(f"\nFootnote lists: {sum(len(t.expected) for t in TEXTS)} listed URLs in {len(TEXTS)} texts")
    footnote_scores = {label: score_footnotes(run["footnotes"]) for label, run in runs.items()}
    for label, (right, total, _) in footnote_scores.items():
        print(f"{label:<22}{right:>4}/{total} given the sentence that refers to them")

    held = sum(entry["held_out"] for entry in truth.values())
    print(f"\nBody links: {len(truth)} pages ({held} of held-out shapes)")
    print(f"{'':<22}{'kept':>8}{'leaked':>8}   {'dev kept':>9}{'leaked':>8}   {'held-out kept':>14}{'leaked':>8}")
    for label, run in runs.items():
        all_, dev, out = (score_links(run["pages"], truth, flag) for flag in (None, False, True))
        print(
            f"{label:<22}{all_['kept']:>8.1%}{all_['leaked']:>8.1%}   {dev['kept']:>9.1%}{dev['leaked']:>8.1%}"
            f"   {out['kept']:>14.1%}{out['leaked']:>8.1%}"
        )

    stress_truth = json.loads((CORPUS / "stress_links.json").read_text(encoding="utf-8"))
    print(f"Body links, {len(stress_truth)} messy pages written by hand after the code (stress_links/):")
    for label, run in runs.items():
        figures = score_stress_links(run["stress_links"], stress_truth)
        counts = f"({figures['body']} body, {figures['other']} other links)"
        print(f"{label:<22}{figures['kept']:>8.1%}{figures['leaked']:>8.1%}   {counts}")

    sets = ("corpus-dev", "corpus-held-out", "date_pages", "stress")
    sizes = {which: sum(score_dates({}, pages, which).values()) for which in sets}
    print(
        f"\nDates (right / wrong / none): corpus {sizes['corpus-dev']} dev + {sizes['corpus-held-out']} held-out pages,"
        f" older date_pages {sizes['date_pages']}, long-tail stress set {sizes['stress']} (written after the code)"
    )
    print(f"{'':<54}" + "".join(f"{which:>20}" for which in sets))
    rows: list[tuple[str, dict[str, str | None]]] = []
    for label, run in runs.items():
        rows.append((f"{label}: article", {k: v["date"] for k, v in run["pages"].items()}))
        rows.append((f"{label}: cited page", {k: v["cited"] for k, v in run["pages"].items()}))
        for variant in ("fallback-markup", "fallback-extensive"):
            if any(variant in v for v in run["pages"].values()):
                rows.append(
                    (
                        f"{label}: cues, else htmldate as is ({variant[9:]})",
                        {k: v.get(variant) for k, v in run["pages"].items()},
                    )
                )
    rows.append((f"htmldate {htmldate.__version__} original_date", htmldate_found))
    for label, found in rows:
        cells = []
        for which in sets:
            c = score_dates(found, pages, which)
            cells.append(f"{c['right']:>6} / {c['wrong']:>3} / {c['none']:>3}")
        print(f"{label:<54}" + "".join(f"{cell:>20}" for cell in cells))
    truths = {f"{group}/{name}": truth for group, name, _, truth, _, _ in pages}
    for label, run in runs.items():
        right = Counter(v["from"] or "none" for k, v in run["pages"].items() if v["date"] == truths[k])
        wrong = Counter(v["from"] or "none" for k, v in run["pages"].items() if v["date"] != truths[k])
        print(f"{label}: right dates by source {dict(right.most_common())}; wrong {dict(wrong.most_common())}")
    for label, run in runs.items():
        times = sorted(v["ms"] for v in run["pages"].values())
        print(f"{label}: harvest_html median {times[len(times) // 2]:.2f} ms/page")

    if args.details:
        for label, figures in scored.items():
            print(f"\n--- {label}: URL-in-text cases not right")
            for kind, text, want, got in figures["failures"]:
                print(f"  [{kind}] {text!r}\n      want {want}\n      got  {got}")
        for label, (_, _, notes) in footnote_scores.items():
            print(f"\n--- {label}: footnote contexts not right")
            for note in notes:
                print("  " + note)
        for label, found in rows:
            print(f"\n--- {label}: dates not right")
            for group, name, _, want, _, held_out in pages:
                got = found.get(f"{group}/{name}")
                if got != want:
                    kind = truth[name]["date_kind"] if group == "corpus" else ""
                    print(f"  {group}/{name:<40} {'(held out) ' if held_out else ''}want {want} got {got}  {kind}")
        for label, run in runs.items():
            print(f"\n--- {label}: body links missed / leaked per page")
            for name, entry in truth.items():
                found = set(_normalize_all(run["pages"][f"corpus/{name}"]["links"]))
                missed = set(_normalize_all(entry["body"])) - found
                leaked = set(_normalize_all(entry["other"])) & found
                if missed or leaked:
                    print(f"  {name}: missed {len(missed)} leaked {len(leaked)}")
                    for url in sorted(missed):
                        print(f"      missed {url}")
                    for url in sorted(leaked):
                        print(f"      leaked {url}")


if __name__ == "__main__":
    main()
