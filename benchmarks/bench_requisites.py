"""What page requisites cost a capture (prints figures; not a test).

Over a loopback server (no latency), N pages each naming R requisites (a stylesheet with a font and
a background, and images) are captured by Archive.capture() three ways in one run: without
requisites, with them (first run: every requisite stored), and again (second run: revisits). Per
page: median and p90 milliseconds, WARC bytes, readable-copy bytes. Then the pure part alone on a
big page (5,000 images, ~1 MB): finding the requisites and writing the self-contained copy.

    PYTHONPATH=$PWD python benchmarks/bench_requisites.py [--pages 40] [--images 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linkcheck.archive import Archive, RequisiteLimits  # noqa: E402
from linkcheck.archive.page_tree import page_tree  # noqa: E402
from linkcheck.archive.readable_copy import readable_page  # noqa: E402
from linkcheck.archive.requisites import page_requisites  # noqa: E402
from linkcheck.check.client import Fetcher  # noqa: E402
from linkcheck.settings import settings_from_mapping  # noqa: E402

IMAGE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40  # ~10 KB, served as image/png
CSS = b"@font-face{font-family:F;src:url(/f.woff2)} body{background:url(/bg.png)}"


def serve(images: int) -> tuple[ThreadingHTTPServer, str]:
    tags = "".join(f'<img src="/img/{n}.png">' for n in range(images))
    page = (
        f'<html><head><title>p</title><link rel="stylesheet" href="/s.css"></head><body><p>text</p>{tags}</body></html>'
    )

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms delayed-ACK stall

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path.startswith("/page/"):
                body, kind = page.encode(), "text/html; charset=utf-8"
            elif self.path == "/s.css":
                body, kind = CSS, "text/css"
            elif self.path == "/f.woff2":
                body, kind = IMAGE, "font/woff2"
            else:
                body, kind = IMAGE, "image/png"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def capture_all(root: Path, fetcher: Fetcher, urls: list[str], requisites: bool) -> tuple[list[float], int]:
    times = []
    fetch = fetcher.fetch if requisites else None
    with Archive(root, fetch_requisite=fetch, requisite_limits=RequisiteLimits()) as archive:
        for url in urls:
            download = fetcher.fetch(url)
            start = time.perf_counter()
            archive.capture(download)
            times.append((time.perf_counter() - start) * 1000)
    return times, sum(path.stat().st_size for path in (root / "warc").glob("*.warc.gz"))


def folder_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in (root / "pages").rglob("*") if path.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--images", type=int, default=20)
    args = parser.parse_args()
    server, base = serve(args.images)
    fetcher = Fetcher(settings_from_mapping({"check": {"allow_private_networks": True, "retries": 0}}))
    urls = [f"{base}/page/{n}" for n in range(args.pages)]
    rows = []
    try:
        with tempfile.TemporaryDirectory() as plain, tempfile.TemporaryDirectory() as full:
            for label, root, requisites in (
                ("page only", Path(plain), False),
                ("with requisites, first run", Path(full), True),
                ("with requisites, second run", Path(full), True),
            ):
                before = (
                    sum(p.stat().st_size for p in (root / "warc").glob("*.warc.gz")) if (root / "warc").exists() else 0
                )
                copies_before = folder_bytes(root) if (root / "pages").exists() else 0
                times, warc = capture_all(root, fetcher, urls, requisites)
                times.sort()
                rows.append(
                    (
                        label,
                        statistics.median(times),
                        times[int(len(times) * 0.9) - 1],
                        (warc - before) / len(urls),
                        (folder_bytes(root) - copies_before) / len(urls),
                    )
                )
    finally:
        fetcher.close()
        server.shutdown()
    print(f"{args.pages} pages, each with a stylesheet (a font, a background) and {args.images} images of 10 KB")
    print(f"{'capture':32} {'median ms':>10} {'p90 ms':>8} {'WARC B/page':>12} {'copy B/page':>12}")
    for label, median, p90, warc_bytes, copy_bytes in rows:
        print(f"{label:32} {median:10.1f} {p90:8.1f} {warc_bytes:12.0f} {copy_bytes:12.0f}")

    big = "".join(f'<p>para {n}</p><img src="/i/{n}.png" srcset="/i/{n}-2x.png 2x">' for n in range(5000))
    markup = f"<html><head><title>big</title></head><body>{big}</body></html>"
    tree = page_tree(markup)
    local = {f"http://example.org/i/{n}.png": f"page_files/{n}.png" for n in range(60)}
    runs: dict[str, list[float]] = {
        "find all 10,000": [],
        "find the first 61": [],
        "copy, no rewriting map": [],
        "copy, 60 saved": [],
    }
    for _ in range(5):
        start = time.perf_counter()
        page_requisites(tree, "http://example.org/")
        runs["find all 10,000"].append(time.perf_counter() - start)
        start = time.perf_counter()
        page_requisites(tree, "http://example.org/", RequisiteLimits().max_count + 1)  # as capture() asks
        runs["find the first 61"].append(time.perf_counter() - start)
        start = time.perf_counter()
        readable_page(markup, "http://example.org/", "http://example.org/", "http://example.org/", "now")
        runs["copy, no rewriting map"].append(time.perf_counter() - start)
        start = time.perf_counter()
        readable_page(markup, "http://example.org/", "http://example.org/", "http://example.org/", "now", local)
        runs["copy, 60 saved"].append(time.perf_counter() - start)
    print(f"\na {len(markup) // 1000} KB page with 5,000 images (srcset each), median of 5:")
    for label, seconds in runs.items():
        print(f"  {label:24} {statistics.median(seconds) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
