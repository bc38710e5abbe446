"""A fake Wayback Machine on 127.0.0.x: a CDX API answering JSON arrays, raw captures under /web/."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.server import LocalServer, send

HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]


@dataclass
class FakeCapture:
    stamp: str  # 14 digits
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"


class FakeWayback:
    """Serves the CDX API (to, from, negative and positive limit, filter=statuscode:N; `fl` ignored,
    so answers keep the default header) and `/web/<stamp>id_/<url>`. `cdx_script` answers CDX requests
    first, one entry per request, before the real answer; `cdx_times` records when each CDX request came.
    """

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.captures: dict[str, list[FakeCapture]] = {}
        self.cdx_script: list[Callable[[BaseHTTPRequestHandler], None]] = []
        self.cdx_times: list[float] = []
        self.capture_hits: list[str] = []
        self._lock = threading.Lock()
        server.routes["/cdx/search/cdx"] = self._cdx
        server.fallback = self._web

    @property
    def url(self) -> str:
        return self.server.url("").rstrip("/")

    def add(self, url: str, stamp: str, body: bytes, status: int = 200, content_type: str = "text/html") -> None:
        self.captures.setdefault(url, []).append(FakeCapture(stamp, body, status, content_type))

    def _cdx(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.cdx_times.append(time.monotonic())
            scripted = self.cdx_script.pop(0) if self.cdx_script else None
        if scripted is not None:
            scripted(handler)
            return
        query = {key: values[0] for key, values in parse_qs(urlsplit(handler.path).query).items()}
        rows = sorted(self.captures.get(query["url"], []), key=lambda capture: capture.stamp)
        if "to" in query:
            rows = [row for row in rows if row.stamp <= query["to"].ljust(14, "9")]
        if "from" in query:
            rows = [row for row in rows if row.stamp >= query["from"].ljust(14, "0")]
        wanted = re.fullmatch(r"statuscode:(\d+)", query.get("filter", ""))
        if wanted:
            rows = [row for row in rows if row.status == int(wanted.group(1))]
        limit = int(query.get("limit", "0") or 0)
        if limit < 0:
            rows = rows[limit:]
        elif limit > 0:
            rows = rows[:limit]
        table = [HEADER] + [
            ["key", row.stamp, query["url"], row.content_type.split(";")[0], str(row.status), "DIGEST", "100"]
            for row in rows
        ]
        send(handler, 200, json.dumps(table).encode(), "application/json")

    def _web(self, handler: BaseHTTPRequestHandler) -> None:
        match = re.fullmatch(r"/web/(\d{14})id_/(.+)", handler.path)
        if match is None:
            send(handler, 404, b"not found", "text/plain")
            return
        with self._lock:
            self.capture_hits.append(handler.path)
        for capture in self.captures.get(match.group(2), []):
            if capture.stamp == match.group(1):
                headers = {"Memento-Datetime": "Mon, 09 Aug 2021 12:00:05 GMT"}
                send(handler, capture.status, capture.body, capture.content_type, headers)
                return
        send(handler, 404, b"no such capture", "text/plain")


def too_many(retry_after: str | None = None) -> Callable[[BaseHTTPRequestHandler], None]:
    """A scripted CDX answer: 429, with Retry-After when given."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        send(handler, 429, b"slow down", "text/plain", headers)

    return answer
