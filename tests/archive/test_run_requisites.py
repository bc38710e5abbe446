"""`linkcheck run` end to end: the cited page's requisites captured through the run's fetcher, the
report's snapshot.requisites, the [snapshot] settings honoured, and archive/index.html written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from linkcheck import cli
from tests.archive.png import solid_png
from tests.archive.test_requisite_capture import REQUISITES, serve_site
from tests.server import LocalServer, send


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str) -> dict[str, object]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKCHECK_CONFIG", raising=False)
    (tmp_path / "config.toml").write_text("[check]\nallow_private_networks = true\nretries = 0\n" + config)
    result = CliRunner().invoke(cli.app, ["run", "a.txt", "--out", "out"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    citation = json.loads((tmp_path / "out" / "report.json").read_text())["articles"][0]["citations"][0]
    snapshot = citation["snapshot"]
    assert isinstance(snapshot, dict)
    return snapshot


def test_a_run_captures_requisites_and_reports_them(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_site(server)
    (tmp_path / "a.txt").write_text(f"10 August 2021\nSource: {server.url('/story')}\n")
    snapshot = run(tmp_path, monkeypatch, "")
    assert snapshot["requisites"] == {"captured": len(REQUISITES), "refused": 0, "cut": False}
    index = (tmp_path / "archive" / "index.html").read_text()
    assert server.url("/story") in index and "With requisites" in index


def test_the_snapshot_settings_cap_or_turn_off_requisites(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_site(server)
    (tmp_path / "a.txt").write_text(f"10 August 2021\nSource: {server.url('/story')}\n")
    capped = run(tmp_path, monkeypatch, "[snapshot]\nmax_requisites = 3\n")
    assert capped["requisites"] == {"captured": 3, "refused": 0, "cut": True}
    monkeypatch.setenv("LINKCHECK_SNAPSHOT_REQUISITES", "false")
    off = run(tmp_path, monkeypatch, "[state]\nenabled = false\n")
    assert off["requisites"] is None


def test_a_page_with_120_images_is_reported_cut_at_60(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    images = "".join(f'<img src="/many/{n}.png">' for n in range(120))
    server.routes["/gallery"] = lambda h: send(h, 200, f"<html><body>{images}</body></html>".encode())
    server.fallback = lambda h: send(h, 200, solid_png(2, 2, (9, 9, 9)), "image/png")
    (tmp_path / "a.txt").write_text(f"10 August 2021\nSource: {server.url('/gallery')}\n")
    snapshot = run(tmp_path, monkeypatch, "")  # the default cap: 60
    assert snapshot["requisites"] == {"captured": 60, "refused": 0, "cut": True}
    assert sum(count for path, count in server.hits.items() if path.startswith("/many/")) == 60


def test_a_reused_result_reports_the_requisites_of_its_capture(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_site(server)
    (tmp_path / "a.txt").write_text(f"10 August 2021\nSource: {server.url('/story')}\n")
    first = run(tmp_path, monkeypatch, "")
    second = run(tmp_path, monkeypatch, "")  # not due again: the stored result and capture are reused
    assert server.hits["/story"] == 1
    assert second == first and second["requisites"] == {"captured": len(REQUISITES), "refused": 0, "cut": False}


def test_per_host_delay_spaces_the_pages_and_their_requisites_alike(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checker, its soft-404 probe and the requisite fetches share each host's next start: no request to
    the host follows another sooner than per_host_delay, whichever of them sent it."""
    import time

    serve_site(server)
    serve_site(server, path="/second")
    starts: list[tuple[float, str]] = []
    for path, route in list(server.routes.items()):

        def timed(handler, route=route, path=path):  # type: ignore[no-untyped-def]
            starts.append((time.monotonic(), path))
            return route(handler)

        server.routes[path] = timed

    def not_found(handler):  # type: ignore[no-untyped-def]
        starts.append((time.monotonic(), handler.path))  # the soft-404 probe's random address
        send(handler, 404, b"<html><title>Not Found</title><p>No such page.</p></html>", "text/html")

    server.fallback = not_found
    (tmp_path / "a.txt").write_text(f"10 August 2021\nSource: {server.url('/story')}\nAlso: {server.url('/second')}\n")
    delay = 0.15
    config = f"per_host_concurrency = 1\nper_host_delay = {delay}\n"
    run(tmp_path, monkeypatch, config)
    starts.sort()
    probes = [path for _, path in starts if path not in server.routes]
    assert probes  # the soft-404 probe asked the host too
    assert len(starts) == 2 + 2 * len(REQUISITES) + len(probes)  # both pages, each page's requisites, probes
    gaps = [(later - earlier, a, b) for (earlier, a), (later, b) in zip(starts, starts[1:], strict=False)]
    assert min(gaps)[0] >= delay - 0.02, min(gaps)  # 20 ms for the server thread's own start
