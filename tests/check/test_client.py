"""The fetcher against a real server on loopback: statuses, redirects, retries, deadlines, caps, guards."""

from __future__ import annotations

import datetime as dt
import ipaddress
import shutil
import socket
import ssl
import subprocess
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from linkcheck.check import check_urls
from linkcheck.check import guard as guard_module
from linkcheck.check.client import Fetcher
from linkcheck.check.deadline import Attempt, Watchdog
from linkcheck.check.guard import is_private_address
from linkcheck.check.policy import policy_for
from linkcheck.check.verdict import check_result
from linkcheck.check.wire import decode_body, parse_retry_after
from linkcheck.models import Article, Capture, CheckResult, Citation, FetchResult, Verdict
from linkcheck.pipeline import result_for, urls_to_check
from linkcheck.settings import Settings, settings_from_mapping
from linkcheck.urls import host_of, normalize_url
from tests.conftest import loopback_settings
from tests.server import LocalServer, drip_body, drip_headers, hang, page, reset_connection, running, send

Route = Callable[[BaseHTTPRequestHandler], None]


# --- helpers -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, int]]]:
    """Every TCP connect a test makes, recorded; one to a non-loopback address is blocked and fails the test."""
    connects: list[tuple[str, int]] = []
    outside: list[object] = []
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple):
            if not ipaddress.ip_address(str(address[0]).split("%", 1)[0]).is_loopback:
                outside.append(address)
                raise ConnectionRefusedError(f"test guard: no connections outside loopback ({address})")
            connects.append((str(address[0]), int(address[1])))
        original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield connects
    assert not outside, f"a test tried to connect outside loopback: {outside}"


def fetch_url(settings: Settings, url: str, **options: object) -> FetchResult:
    fetcher = Fetcher(settings, **options)  # type: ignore[arg-type]
    try:
        return fetcher.fetch(url)
    finally:
        fetcher.close()


def check_url(settings: Settings, url: str, **options: object) -> CheckResult:
    fetched = fetch_url(settings, url, **options)
    return check_result(fetched, policy_for(settings, host_of(url)).accept_status)


def status_route(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        send(handler, status, body or page(f"Status {status}"), headers=headers)

    return route


def redirect_route(location: str, status: int = 302) -> Route:
    return status_route(status, b"moved", {"Location": location})


def sequence_route(*routes: Route) -> Route:
    """Answer the n-th request with the n-th route (the last one repeats)."""
    calls: list[int] = []

    def route(handler: BaseHTTPRequestHandler) -> None:
        calls.append(1)
        routes[min(len(calls), len(routes)) - 1](handler)

    return route


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- verdicts, one status at a time ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, Verdict.OK),
        (203, Verdict.OK),
        (404, Verdict.BROKEN),
        (410, Verdict.BROKEN),
        (400, Verdict.BROKEN),
        (422, Verdict.BROKEN),
        (401, Verdict.BLOCKED),
        (403, Verdict.BLOCKED),
        (407, Verdict.BLOCKED),
        (418, Verdict.BLOCKED),
        (451, Verdict.BLOCKED),
        (429, Verdict.RATE_LIMITED),
        (500, Verdict.SERVER_ERROR),
        (502, Verdict.SERVER_ERROR),
        (503, Verdict.SERVER_ERROR),
        (501, Verdict.SERVER_ERROR),
    ],
)
def test_status_maps_to_verdict(server: LocalServer, status: int, verdict: Verdict) -> None:
    server.route("/page")(status_route(status))
    result = check_url(loopback_settings(retries=0), server.url("/page"))
    assert (result.verdict, result.status) == (verdict, status)
    assert server.hits["/page"] == 1


@pytest.mark.parametrize("status", [405, 501])
def test_method_refusals_are_not_broken(server: LocalServer, status: int) -> None:
    server.route("/page")(status_route(status))
    result = check_url(loopback_settings(retries=0), server.url("/page"))
    assert result.verdict is not Verdict.BROKEN


def test_head_hostile_server_is_ok_because_only_get_is_sent(server: LocalServer) -> None:
    def route(handler: BaseHTTPRequestHandler) -> None:
        if handler.command == "HEAD":
            send(handler, 404 if "a" in handler.path else 500)
        else:
            send(handler, 200, page("Real article"))

    server.route("/a")(route)
    server.route("/b")(route)
    for path in ("/a", "/b"):
        assert check_url(loopback_settings(), server.url(path)).verdict is Verdict.OK
    assert server.seen("HEAD") == []
    assert server.seen("GET") == ["/a", "/b"]


def test_ok_result_carries_the_exchange(server: LocalServer) -> None:
    server.route("/page")(status_route(200, page("Hello"), {"X-Extra": "1"}))
    fetched = fetch_url(loopback_settings(), server.url("/page"))
    assert fetched.failure is None
    assert fetched.status == 200 and fetched.reason == "OK"
    assert fetched.body == page("Hello") and not fetched.truncated
    assert fetched.header("x-extra") == "1"
    assert dict(fetched.request_headers)["User-Agent"].startswith("linkcheck/")
    assert fetched.attempts == 1 and fetched.redirects == ()


# --- soft-404 by what the page says, and deep links sent home ------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        page("Page not found"),
        page("Страница не найдена"),
        b"<html><head><title>Example News</title></head><body><h1>404 - Not Found</h1></body></html>",
        "<html><head><title>Минобороны</title></head><body><h1>Не найдено</h1></body></html>".encode(),
    ],
)
def test_ok_page_that_says_not_found_is_soft_404(server: LocalServer, body: bytes) -> None:
    server.route("/article/1")(status_route(200, body))
    result = check_url(loopback_settings(), server.url("/article/1"))
    assert result.verdict is Verdict.SOFT_404
    assert result.error and "not found" in result.error


def test_deep_link_redirected_to_site_root_is_soft_404(server: LocalServer) -> None:
    server.route("/news/2021/08/story.html")(redirect_route("/", 301))
    server.route("/")(status_route(200, page("Example News home")))
    result = check_url(loopback_settings(), server.url("/news/2021/08/story.html"))
    assert result.verdict is Verdict.SOFT_404
    assert "site root" in (result.error or "")
    assert [hop.status for hop in result.redirects] == [301]


# --- failures without a response ------------------------------------------------------------------


def test_closed_port_is_unreachable() -> None:
    result = check_url(loopback_settings(retries=0), f"http://127.0.0.1:{closed_port()}/")
    assert result.verdict is Verdict.UNREACHABLE
    assert "refused" in (result.error or "")


def test_reset_connection_is_unreachable(server: LocalServer) -> None:
    server.route("/reset")(reset_connection)
    fetched = fetch_url(loopback_settings(retries=1), server.url("/reset"))
    assert fetched.failure is not None and fetched.failure.kind == "reset"
    assert fetched.attempts == 2 and server.hits["/reset"] == 2
    assert check_result(fetched).verdict is Verdict.UNREACHABLE


def test_unresolvable_name_is_unreachable() -> None:
    fetched = fetch_url(loopback_settings(retries=0), "http://no-such-host.invalid/page")
    assert fetched.failure is not None and fetched.failure.kind in ("dns", "dns-temporary")
    result = check_result(fetched)
    assert result.verdict is Verdict.UNREACHABLE
    assert "not resolved" in (result.error or "")


@pytest.mark.parametrize("url", ["http://", "http:///path", "http://exa mple.com/"])
def test_unusable_url_is_invalid_not_an_exception(url: str) -> None:
    result = check_url(loopback_settings(retries=0), url)
    assert result.verdict is Verdict.INVALID, result


def test_redirect_to_non_http_scheme_is_skipped(server: LocalServer) -> None:
    server.route("/contact")(redirect_route("mailto:press@example.org"))
    result = check_url(loopback_settings(), server.url("/contact"))
    assert result.verdict is Verdict.SKIPPED
    assert "mailto" in (result.error or "")
    assert [hop.url for hop in result.redirects] == [server.url("/contact")]


def test_unusable_redirect_location_is_broken(server: LocalServer) -> None:
    server.route("/bad")(redirect_route("http://[not-an-address/"))
    result = check_url(loopback_settings(), server.url("/bad"))
    assert result.verdict is Verdict.BROKEN
    assert "redirect" in (result.error or "")


# --- redirects -----------------------------------------------------------------------------------


def test_redirect_chain_is_recorded_in_order(server: LocalServer) -> None:
    server.route("/one")(redirect_route("/two", 301))
    server.route("/two")(redirect_route(server.url("/three"), 302))
    server.route("/three")(redirect_route("four", 307))
    server.route("/four")(redirect_route("/five?x=1", 308))
    server.route("/five")(status_route(200, page("Arrived")))
    result = check_url(loopback_settings(), server.url("/one"))
    assert result.verdict is Verdict.OK
    assert [(hop.url, hop.status) for hop in result.redirects] == [
        (server.url("/one"), 301),
        (server.url("/two"), 302),
        (server.url("/three"), 307),
        (server.url("/four"), 308),
    ]
    assert result.final_url == server.url("/five?x=1")


def test_redirect_loop_is_broken_and_says_loop(server: LocalServer) -> None:
    server.route("/a")(redirect_route("/b"))
    server.route("/b")(redirect_route("/a"))
    result = check_url(loopback_settings(), server.url("/a"))
    assert result.verdict is Verdict.BROKEN
    assert "loop" in (result.error or "")
    assert server.hits["/a"] + server.hits["/b"] <= 6


def test_redirect_to_itself_is_a_loop(server: LocalServer) -> None:
    server.route("/self")(redirect_route("/self"))
    result = check_url(loopback_settings(), server.url("/self"))
    assert result.verdict is Verdict.BROKEN and "loop" in (result.error or "")


def test_cookie_style_redirect_back_to_itself_once_is_followed(server: LocalServer) -> None:
    server.route("/gate")(sequence_route(redirect_route("/gate"), status_route(200, page("Inside"))))
    result = check_url(loopback_settings(), server.url("/gate"))
    assert result.verdict is Verdict.OK and len(result.redirects) == 1


def test_more_redirects_than_allowed_is_broken(server: LocalServer) -> None:
    for n in range(10):
        server.route(f"/r{n}")(redirect_route(f"/r{n + 1}"))
    server.route("/r10")(status_route(200, page("End")))
    result = check_url(loopback_settings(max_redirects=3), server.url("/r0"))
    assert result.verdict is Verdict.BROKEN
    assert "more than 3 redirects" in (result.error or "")
    assert sum(server.hits.values()) == 4
    assert check_url(loopback_settings(max_redirects=10), server.url("/r0")).verdict is Verdict.OK


# --- retries and Retry-After (waits recorded, never slept) ----------------------------------------


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_retries_then_success(server: LocalServer) -> None:
    server.route("/flaky")(sequence_route(status_route(503), status_route(503), status_route(200, page("Fine"))))
    sleeps = Sleeps()
    fetched = fetch_url(
        loopback_settings(retries=2, backoff=0.5), server.url("/flaky"), sleep=sleeps, jitter=lambda: 0.0
    )
    assert (fetched.status, fetched.attempts) == (200, 3)
    assert check_result(fetched).verdict is Verdict.OK
    assert sleeps == [0.5, 1.0]
    assert server.hits["/flaky"] == 3


def test_retries_exhausted_returns_the_last_answer(server: LocalServer) -> None:
    server.route("/down")(status_route(503))
    sleeps = Sleeps()
    fetched = fetch_url(loopback_settings(retries=2), server.url("/down"), sleep=sleeps)
    assert (fetched.status, fetched.attempts) == (503, 3)
    assert check_result(fetched).verdict is Verdict.SERVER_ERROR
    assert server.hits["/down"] == 3 and len(sleeps) == 2


def test_connection_failures_exhausted_return_the_failure() -> None:
    sleeps = Sleeps()
    fetched = fetch_url(loopback_settings(retries=2), f"http://127.0.0.1:{closed_port()}/", sleep=sleeps)
    assert fetched.failure is not None and fetched.failure.kind == "refused"
    assert fetched.attempts == 3 and len(sleeps) == 2


def test_not_found_is_not_retried(server: LocalServer) -> None:
    server.route("/gone")(status_route(404))
    fetched = fetch_url(loopback_settings(retries=3), server.url("/gone"), sleep=Sleeps())
    assert fetched.attempts == 1 and server.hits["/gone"] == 1


def test_retry_after_seconds_is_honoured(server: LocalServer) -> None:
    server.route("/busy")(sequence_route(status_route(429, headers={"Retry-After": "7"}), status_route(200)))
    sleeps = Sleeps()
    fetched = fetch_url(loopback_settings(retries=2, backoff=0.5), server.url("/busy"), sleep=sleeps)
    assert (fetched.status, fetched.attempts) == (200, 2)
    assert sleeps == [7.0]


def test_retry_after_http_date_is_honoured(server: LocalServer) -> None:
    now = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
    later = "Sun, 01 Mar 2026 12:00:42 GMT"
    server.route("/busy")(sequence_route(status_route(503, headers={"Retry-After": later}), status_route(200)))
    sleeps = Sleeps()
    fetched = fetch_url(loopback_settings(retries=2), server.url("/busy"), sleep=sleeps, now=lambda: now)
    assert (fetched.status, fetched.attempts) == (200, 2)
    assert sleeps == [42.0]


def test_retry_after_beyond_the_limit_is_rate_limited_without_waiting(server: LocalServer) -> None:
    server.route("/busy")(status_route(429, headers={"Retry-After": "3600"}))
    sleeps = Sleeps()
    fetched = fetch_url(loopback_settings(retries=3, max_retry_after=60), server.url("/busy"), sleep=sleeps)
    result = check_result(fetched)
    assert result.verdict is Verdict.RATE_LIMITED
    assert "3600" in (result.error or "")
    assert sleeps == [] and server.hits["/busy"] == 1


def test_rate_limited_after_retries(server: LocalServer) -> None:
    server.route("/busy")(status_route(429, headers={"Retry-After": "1"}))
    sleeps = Sleeps()
    fetched = fetch_url(loopback_settings(retries=2), server.url("/busy"), sleep=sleeps)
    assert check_result(fetched).verdict is Verdict.RATE_LIMITED
    assert sleeps == [1.0, 1.0] and fetched.attempts == 3


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("Sun, 01 Mar 2026 12:01:00 GMT", 60.0),
        ("Sun, 01 Mar 2026 11:00:00 GMT", 0.0),
        ("soon", None),
        ("-5", None),
        ("²", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    now = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert parse_retry_after(value, now) == seconds


# --- deadlines: nothing holds a worker for longer than the deadline -------------------------------


@pytest.mark.parametrize(
    "route",
    [
        pytest.param(lambda handler: drip_body(handler, {"Content-Length": "100000"}), id="drip-sized-body"),
        pytest.param(lambda handler: drip_body(handler), id="drip-body-until-close"),
        pytest.param(lambda handler: drip_body(handler, {"Transfer-Encoding": "chunked"}), id="drip-chunked"),
        pytest.param(drip_headers, id="drip-headers"),
        pytest.param(hang, id="hang"),
    ],
)
def test_slow_servers_are_bounded_by_the_deadline(server: LocalServer, route: Route) -> None:
    server.route("/slow")(route)
    settings = loopback_settings(deadline=1.5, timeout=1.0)  # retries: the default
    begin = time.monotonic()
    result = check_url(settings, server.url("/slow"))
    elapsed = time.monotonic() - begin
    assert result.verdict is Verdict.TIMEOUT, result
    assert elapsed < 6.0


def test_listener_that_never_accepts_is_a_timeout() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # the kernel completes the handshake; nobody ever reads
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        begin = time.monotonic()
        result = check_url(loopback_settings(deadline=1.5, timeout=1.0), url)
    assert result.verdict is Verdict.TIMEOUT
    assert time.monotonic() - begin < 6.0


def test_deadline_hit_is_not_retried(server: LocalServer) -> None:
    server.route("/slow")(lambda handler: drip_body(handler))
    sleeps = Sleeps()
    begin = time.monotonic()
    fetched = fetch_url(loopback_settings(deadline=1.0, timeout=0.5, retries=2), server.url("/slow"), sleep=sleeps)
    assert fetched.failure is not None and fetched.failure.kind == "timeout"
    assert "deadline" in fetched.failure.message
    assert "bytes of the body came" in fetched.failure.message and "not retried" in fetched.failure.message
    assert fetched.attempts == 1 and server.hits["/slow"] == 1
    assert time.monotonic() - begin < 4.0


def test_silent_server_is_retried_within_bounds(server: LocalServer) -> None:
    server.route("/silent")(hang)
    fetched = fetch_url(loopback_settings(deadline=2.0, timeout=0.3, retries=1), server.url("/silent"), sleep=Sleeps())
    assert fetched.failure is not None and fetched.failure.kind == "timeout"
    assert fetched.attempts == 2


def test_fetcher_keeps_working_after_a_deadline(server: LocalServer) -> None:
    server.route("/slow")(lambda handler: drip_body(handler))
    server.route("/fast")(status_route(200, page("Quick")))
    fetcher = Fetcher(loopback_settings(deadline=0.8, timeout=0.5, retries=0))
    try:
        assert fetcher.fetch(server.url("/slow")).failure is not None
        for _ in range(3):
            fast = fetcher.fetch(server.url("/fast"))
            assert (fast.status, fast.failure) == (200, None)
    finally:
        fetcher.close()


# --- size caps ------------------------------------------------------------------------------------

MAX_BYTES = 1_000_000


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """100 MB of zeros, gzip-compressed in chunks (about 100 KB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    parts = [compressor.compress(zeros) for _ in range(100)]
    parts.append(compressor.flush())
    return b"".join(parts)


def test_gzip_bomb_is_capped_and_memory_stays_small(server: LocalServer, gzip_bomb: bytes) -> None:
    assert len(gzip_bomb) < 500_000
    server.route("/bomb")(status_route(200, gzip_bomb, {"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        fetched = fetch_url(loopback_settings(max_bytes=MAX_BYTES), server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert fetched.status == 200
    assert len(fetched.body) == MAX_BYTES and fetched.truncated
    assert fetched.raw_body == gzip_bomb
    assert peak < 20 * MAX_BYTES, peak


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw-deflate"])
def test_deflate_bomb_is_capped(server: LocalServer, wbits: int) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    bomb = b"".join(compressor.compress(bytes(1 << 20)) for _ in range(8)) + compressor.flush()
    server.route("/bomb")(status_route(200, bomb, {"Content-Encoding": "deflate"}))
    fetched = fetch_url(loopback_settings(max_bytes=MAX_BYTES), server.url("/bomb"))
    assert len(fetched.body) == MAX_BYTES and fetched.truncated


def test_small_gzip_body_is_decoded_whole(server: LocalServer) -> None:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    body = page("Compressed", "x" * 5000)
    server.route("/gz")(status_route(200, compressor.compress(body) + compressor.flush(), {"Content-Encoding": "gzip"}))
    fetched = fetch_url(loopback_settings(max_bytes=MAX_BYTES), server.url("/gz"))
    assert fetched.body == body and not fetched.truncated


def test_oversized_plain_body_is_truncated(server: LocalServer) -> None:
    server.route("/big")(status_route(200, b"a" * (3 * MAX_BYTES)))
    server.route("/exact")(status_route(200, b"b" * MAX_BYTES))
    big = fetch_url(loopback_settings(max_bytes=MAX_BYTES), server.url("/big"))
    assert len(big.body) == MAX_BYTES and len(big.raw_body) == MAX_BYTES and big.truncated
    exact = fetch_url(loopback_settings(max_bytes=MAX_BYTES), server.url("/exact"))
    assert len(exact.body) == MAX_BYTES and not exact.truncated


def test_decode_body_output_that_fills_the_limit_exactly_is_flagged_only_when_more_remains() -> None:
    data = bytes(range(256)) * 40
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    raw = compressor.compress(data) + compressor.flush()
    assert decode_body(raw, "gzip", len(data)) == (data, False)
    body, truncated = decode_body(raw, "gzip", len(data) - 1)
    assert body == data[:-1] and truncated
    assert decode_body(b"plain", "br", 100) == (b"plain", False)
    assert decode_body(b"not gzip", "gzip", 100) == (b"not gzip", False)


# --- TLS ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made now with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = [
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1",
    ]  # fmt: skip
    made = subprocess.run(command, capture_output=True, timeout=30, check=False)
    if made.returncode != 0:
        pytest.skip(f"openssl could not make a certificate: {made.stderr.decode(errors='replace')[-200:]}")
    return cert, key


@pytest.fixture
def tls_server(tls_files: tuple[Path, Path]) -> Iterator[LocalServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*tls_files)
    with running(ssl_context=context) as local:
        local.route("/secure")(status_route(200, page("Secure page")))
        yield local


def test_self_signed_certificate_is_tls_error(tls_server: LocalServer) -> None:
    result = check_url(loopback_settings(retries=0), tls_server.url("/secure"))
    assert result.verdict is Verdict.TLS_ERROR
    assert "unknown authority" in (result.error or "")


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_domain_rule_verify_false_accepts_and_says_so(tls_server: LocalServer) -> None:
    settings = settings_from_mapping(
        {"check": {"allow_private_networks": True, "retries": 0}, "domains": {"127.0.0.1": {"verify": False}}}
    )
    result = check_url(settings, tls_server.url("/secure"))
    assert result.verdict is Verdict.OK
    assert result.tls_verified is False and "relaxed" in (result.error or "")


def test_domain_rule_ca_bundle_verifies(tls_server: LocalServer, tls_files: tuple[Path, Path]) -> None:
    settings = settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "retries": 0},
            "domains": {"127.0.0.1": {"ca_bundle": str(tls_files[0])}},
        }
    )
    result = check_url(settings, tls_server.url("/secure"))
    assert result.verdict is Verdict.OK and result.tls_verified


# --- private networks: refused before any connection ----------------------------------------------


def guarded() -> Settings:
    return loopback_settings(allow_private_networks=False, retries=0)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "2130706433", "127.1"])
def test_private_address_refused_without_a_request(
    server: LocalServer, loopback_only: list[tuple[str, int]], host: str
) -> None:
    server.route("/secret")(status_route(200, page("Secret")))
    result = check_url(guarded(), f"http://{host}:{server.port}/secret")
    assert result.verdict is Verdict.SKIPPED
    assert "private" in (result.error or "")
    assert server.hits["/secret"] == 0
    assert all(port != server.port for _, port in loopback_only)


@pytest.fixture
def public_looking() -> Iterator[LocalServer]:
    """A server on 127.0.0.2, which the fetcher is made to treat as a public address."""
    with running("127.0.0.2") as local:
        yield local


@pytest.fixture
def treat_127_0_0_2_as_public(monkeypatch: pytest.MonkeyPatch) -> None:
    real = guard_module.is_private_address
    monkeypatch.setattr(guard_module, "is_private_address", lambda address: address != "127.0.0.2" and real(address))


@pytest.mark.usefixtures("treat_127_0_0_2_as_public")
def test_redirect_to_loopback_is_refused_at_that_hop(
    server: LocalServer, public_looking: LocalServer, loopback_only: list[tuple[str, int]]
) -> None:
    server.route("/secret")(status_route(200, page("Secret")))
    public_looking.route("/go")(redirect_route(server.url("/secret")))
    public_looking.route("/fine")(status_route(200, page("Public page")))
    assert check_url(guarded(), public_looking.url("/fine")).verdict is Verdict.OK
    result = check_url(guarded(), public_looking.url("/go"))
    assert result.verdict is Verdict.SKIPPED and "private" in (result.error or "")
    assert [hop.url for hop in result.redirects] == [public_looking.url("/go")]
    assert server.hits["/secret"] == 0
    assert all(port != server.port for _, port in loopback_only)


@pytest.mark.usefixtures("treat_127_0_0_2_as_public")
def test_redirect_to_metadata_address_is_refused_without_connecting(public_looking: LocalServer) -> None:
    public_looking.route("/go")(redirect_route("http://169.254.169.254/latest/meta-data/"))
    result = check_url(guarded(), public_looking.url("/go"))
    assert result.verdict is Verdict.SKIPPED and "169.254.169.254" in (result.error or "")
    # the autouse loopback_only fixture fails the test had a connection to 169.254.169.254 been tried


@pytest.mark.usefixtures("treat_127_0_0_2_as_public")
def test_redirect_to_a_name_that_resolves_to_loopback_is_refused_before_connecting(
    server: LocalServer,
    public_looking: LocalServer,
    loopback_only: list[tuple[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host == "intranet.example.com":
            host = "127.0.0.1"
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    server.route("/secret")(status_route(200, page("Secret")))
    public_looking.route("/go")(redirect_route(f"http://intranet.example.com:{server.port}/secret"))
    result = check_url(guarded(), public_looking.url("/go"))
    assert result.verdict is Verdict.SKIPPED
    assert "127.0.0.1" in (result.error or "")
    assert server.hits["/secret"] == 0
    assert all(port != server.port for _, port in loopback_only)


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.100.100.200", True),  # shared address space: Alibaba Cloud's metadata service
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("::1", True),
        ("fe80::1%eth0", True),
        ("fd00::1", True),
        ("::ffff:127.0.0.1", True),
        ("93.184.216.34", False),
        ("2606:2800:220:1::1", False),
        ("example.com", False),
    ],
)
def test_is_private_address(address: str, private: bool) -> None:
    assert is_private_address(address) is private


# --- per-domain rules -----------------------------------------------------------------------------


def test_domain_rules_reach_the_server(server: LocalServer, public_looking: LocalServer) -> None:
    settings = settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "backoff": 0.0, "retries": 2, "user_agent": "General/1.0"},
            "domains": {"127.0.0.1": {"user_agent": "Special-Agent/2.0", "accept_status": [403], "retries": 0}},
        }
    )
    for local in (server, public_looking):
        local.route("/forbidden")(status_route(403))
        local.route("/down")(status_route(503))
    special = check_url(settings, server.url("/forbidden"))
    general = check_url(settings, public_looking.url("/forbidden"))
    assert server.request_headers[0]["User-Agent"] == "Special-Agent/2.0"
    assert public_looking.request_headers[0]["User-Agent"] == "General/1.0"
    assert (special.verdict, general.verdict) == (Verdict.OK, Verdict.BLOCKED)
    check_url(settings, server.url("/down"))
    check_url(settings, public_looking.url("/down"))
    assert (server.hits["/down"], public_looking.hits["/down"]) == (1, 3)


def test_domain_rule_exclude_keeps_urls_from_the_server(server: LocalServer) -> None:
    settings = settings_from_mapping(
        {"check": {"allow_private_networks": True}, "domains": {"127.0.0.1": {"exclude": ["/private/"]}}}
    )
    urls = [server.url("/private/a"), server.url("/public/b")]
    article = Article("a.md", None, None, None, tuple(Citation(url, normalize_url(url), "see") for url in urls))
    to_check = urls_to_check([article], settings)
    assert to_check == [normalize_url(server.url("/public/b"))]
    fetcher = Fetcher(settings)
    try:
        outcomes, _ = check_urls(to_check, settings, fetcher)
    finally:
        fetcher.close()
    skipped = result_for(article.citations[0], outcomes, settings, interrupted=False)
    assert skipped.verdict is Verdict.SKIPPED and "excluded" in (skipped.error or "")
    assert server.seen() == ["/public/b"]


def test_domain_rule_timeout_applies(server: LocalServer) -> None:
    settings = settings_from_mapping(
        {
            "check": {"allow_private_networks": True, "timeout": 20.0, "retries": 0},
            "domains": {"127.0.0.1": {"timeout": 0.3}},
        }
    )
    server.route("/silent")(hang)
    begin = time.monotonic()
    assert check_url(settings, server.url("/silent")).verdict is Verdict.TIMEOUT
    assert time.monotonic() - begin < 3.0
    policy = policy_for(settings, "sub.127.0.0.1")
    assert policy.timeout == 0.3


# --- the request as sent ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/more.htm?id=12376355@egNews",
        "/more.htm?id=12376355@egNews&lang=ru",
        "/search?q=a%2fb&r=%7euser&s=%41",
        "/list?a=1;b=2&c=x:y&d=(1)*!$,'",
        "/path;params/item%2Fwith%2Fslashes?x=%E2%9C%93&y=%zz",
        "/empty-query?",
    ],
)
def test_request_target_reaches_the_server_byte_for_byte(server: LocalServer, target: str) -> None:
    server.route(target.split("?", 1)[0])(status_route(200, page("Item")))
    fetched = fetch_url(loopback_settings(), server.url(target))
    assert fetched.status == 200
    assert server.raw_paths == [target]


@pytest.mark.parametrize(
    ("written", "sent"),
    [
        (
            "/статья?q=мир и труд",
            "/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F?q=%D0%BC%D0%B8%D1%80%20%D0%B8%20%D1%82%D1%80%D1%83%D0%B4",
        ),
        ('/list?c=x|y&d={"a"}', "/list?c=x%7Cy&d=%7B%22a%22%7D"),
        ("", "/"),
        ("?only=query", "/?only=query"),
    ],
)
def test_what_cannot_be_sent_as_written_is_percent_encoded(server: LocalServer, written: str, sent: str) -> None:
    fetch_url(loopback_settings(), server.url("/")[:-1] + written)
    assert server.raw_paths == [sent]


# --- HTTP semantics on the wire ------------------------------------------------------------------


def test_duplicate_headers_are_kept_in_order(server: LocalServer) -> None:
    @server.route("/cookies")
    def cookies(handler: BaseHTTPRequestHandler) -> None:
        server.answering(handler)
        handler.send_response(200)
        handler.send_header("Set-Cookie", "a=1")
        handler.send_header("Content-Length", "2")
        handler.send_header("Set-Cookie", "b=2")
        handler.end_headers()
        handler.wfile.write(b"ok")

    fetched = fetch_url(loopback_settings(), server.url("/cookies"))
    assert [value for name, value in fetched.headers if name.lower() == "set-cookie"] == ["a=1", "b=2"]


def test_retry_after_on_the_final_answer_is_reported(server: LocalServer) -> None:
    server.route("/busy")(status_route(429, headers={"Retry-After": "30"}))
    sleeps = Sleeps()
    fetched = fetch_url(loopback_settings(retries=2), server.url("/busy"), sleep=sleeps)
    assert fetched.retry_after_s == 30.0 and fetched.attempts == 3 and sleeps == [30.0, 30.0]
    assert server.hits["/busy"] == 3


# --- proxies: from the environment and from config -------------------------------------------------


@pytest.fixture
def proxy(server: LocalServer) -> LocalServer:
    """The local server acting as a forward proxy: requests send it the absolute URL."""
    server.route("http://citations.example/page")(status_route(200, page("Through the proxy")))
    return server


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names outside loopback do not resolve (and no lookup leaves the machine)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.startswith("127.") or name in ("localhost", "::1"):
            return real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.usefixtures("no_dns")
def test_http_proxy_from_the_environment_is_used(proxy: LocalServer) -> None:
    environ = {"HTTP_PROXY": proxy.url("")}
    result = check_url(guarded(), "http://citations.example/page", environ=environ)
    assert result.verdict is Verdict.OK and result.page_title == "Through the proxy"
    assert proxy.raw_paths == ["http://citations.example/page"]  # the proxy got the absolute URL


@pytest.mark.usefixtures("no_dns")
def test_no_proxy_bypasses_the_proxy(proxy: LocalServer) -> None:
    environ = {"http_proxy": proxy.url(""), "no_proxy": "example,citations.example"}
    result = check_url(guarded(), "http://citations.example/page", environ=environ)
    assert result.verdict is Verdict.UNREACHABLE and "not resolved" in (result.error or "")
    assert proxy.raw_paths == []


@pytest.mark.usefixtures("no_dns")
def test_proxy_from_config_wins_over_the_environment(proxy: LocalServer) -> None:
    settings = settings_from_mapping({"check": {"retries": 0, "proxies": {"http": proxy.url("")}}})
    result = check_url(settings, "http://citations.example/page", environ={"HTTP_PROXY": "http://127.0.0.9:9"})
    assert result.verdict is Verdict.OK
    assert proxy.raw_paths == ["http://citations.example/page"]


def test_behind_a_proxy_literal_private_addresses_are_still_refused(proxy: LocalServer) -> None:
    result = check_url(guarded(), "http://10.1.2.3/internal", environ={"HTTP_PROXY": proxy.url("")})
    assert result.verdict is Verdict.SKIPPED and "private" in (result.error or "")
    assert proxy.raw_paths == []


def test_an_unreachable_proxy_is_unreachable() -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    result = check_url(guarded(), "http://citations.example/page", environ={"HTTP_PROXY": f"http://127.0.0.1:{port}"})
    assert result.verdict is Verdict.UNREACHABLE and "proxy" in (result.error or "")


def test_requests_ca_bundle_from_the_environment_is_trusted(
    tls_server: LocalServer, tls_files: tuple[Path, Path]
) -> None:
    result = check_url(
        loopback_settings(retries=0), tls_server.url("/secure"), environ={"REQUESTS_CA_BUNDLE": str(tls_files[0])}
    )
    assert result.verdict is Verdict.OK and result.tls_verified


def test_credentials_in_a_cited_url_are_never_sent(server: LocalServer) -> None:
    """`user:secret@` is the article's text: no Basic auth goes out, none is recorded (issue 11)."""
    server.route("/private")(status_route(200, page("Members")))
    fetched = fetch_url(loopback_settings(), server.url("/private").replace("://", "://user:secret@"))
    assert fetched.status == 200
    assert all("Authorization" not in headers for headers in server.request_headers)
    assert all(name.lower() != "authorization" for name, _ in fetched.request_headers)


def test_tls_verified_is_claimed_only_for_a_tls_answer(server: LocalServer) -> None:
    server.route("/plain")(status_route(200, page("Plain")))
    assert fetch_url(loopback_settings(), server.url("/plain")).tls_verified is None  # http://: nothing to verify
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    refused = fetch_url(loopback_settings(), f"https://127.0.0.1:{port}/")
    assert refused.failure is not None and refused.tls_verified is None  # no answer, nothing verified


def test_a_deadline_sooner_than_the_watchdogs_planned_wake_up_is_still_kept() -> None:
    # The watchdog is woken only for a deadline before the one it sleeps until: a long attempt first,
    # then a short one, and the short one must still be cut at its own deadline.
    watchdog = Watchdog()
    try:
        long_attempt, short_attempt = Attempt(guard_peer=False), Attempt(guard_peer=False)
        watchdog.watch(long_attempt, 30.0)
        time.sleep(0.05)  # the thread now sleeps until the long deadline
        token = watchdog.watch(short_attempt, 0.2)
        begin = time.monotonic()
        while not short_attempt.deadline_hit and time.monotonic() - begin < 3.0:
            time.sleep(0.02)
        watchdog.cancel(token)
        assert short_attempt.deadline_hit and time.monotonic() - begin < 1.5
        assert not long_attempt.deadline_hit
    finally:
        watchdog.close()


def test_the_page_parsed_for_its_facts_goes_to_the_capture(server: LocalServer) -> None:
    # One parse per page: the archive's readable copy is made from the tree the checker parsed.
    server.routes["/page"] = lambda h: send(h, 200, page("A page"))
    server.routes["/gone"] = lambda h: send(h, 404, page("Gone"))
    handed: dict[str, object] = {}

    def capture(fetched: FetchResult, parsed: object) -> Capture:
        handed[fetched.url] = parsed
        return Capture(None, "test")

    settings = loopback_settings(retries=0)
    fetcher = Fetcher(settings)
    try:
        check_urls([server.url("/page"), server.url("/gone")], settings, fetcher, capture=capture)
    finally:
        fetcher.close()
    tree = handed[server.url("/page")]
    assert tree is not None and tree.title.get_text() == "A page"  # type: ignore[attr-defined]
    assert handed[server.url("/gone")] is None  # a 404 is not parsed for facts: the archive parses it if it must
