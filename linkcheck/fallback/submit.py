"""Save Page Now (opt-in, `[fallback] submit`): ask the Wayback Machine to capture ok citations it has
no recent capture of, and follow each job to its end.

The API: POST `{wayback}/save` with `url=`, `Accept: application/json` and `Authorization: LOW
access:secret` answers a job id; GET `{wayback}/save/status/{job_id}` answers `pending`, `success`
(with the capture's timestamp) or `error` (with a `status_ext` code). Transient failures (429, 5xx,
connection trouble, and job errors that say the service was busy) are retried; others are reported.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from linkcheck.fallback.cdx import parse_rows, recent_query_url
from linkcheck.fallback.politeness import PoliteClient

# Job errors that say "try again later" rather than "this page cannot be saved".
TRANSIENT_JOB_ERRORS = frozenset(
    {
        "error:bad-gateway",
        "error:browsing-timeout",
        "error:celery",
        "error:gateway-timeout",
        "error:internal-server-error",
        "error:job-failed",
        "error:no-browsers-available",
        "error:proxy-error",
        "error:read-timeout",
        "error:service-unavailable",
        "error:soft-time-limit-exceeded",
        "error:too-many-requests",
        "error:user-session-limit",
    }
)


@dataclass(frozen=True)
class Submission:
    """How submitting one URL ended: saved, skipped (captured recently), pending (still running when
    we stopped polling) or error (with the reason)."""

    url: str
    status: str
    detail: str | None = None
    job_id: str | None = None


@dataclass(frozen=True)
class SpnKeys:
    access: str
    secret: str


class SavePageNow:
    """Submits URLs one at a time through the polite client; stops for the run when the keys are refused."""

    def __init__(
        self,
        wayback: str,
        client: PoliteClient,
        keys: SpnKeys,
        retries: int,
        recent_s: float,
        now: Callable[[], dt.datetime],
        sleep: Callable[[float], None] = time.sleep,
        poll_interval: float = 5.0,
        max_polls: int = 60,
    ) -> None:
        self.wayback = wayback.rstrip("/")
        self._client = client
        self._headers = {"Accept": "application/json", "Authorization": f"LOW {keys.access}:{keys.secret}"}
        self._retries = retries
        self._recent_s = recent_s
        self._now = now
        self._sleep = sleep
        self._poll_interval = poll_interval
        self._max_polls = max_polls
        self.refused: str | None = None  # why no more URLs are submitted in this run

    def submit(self, url: str) -> Submission:
        """Submit one URL unless the Wayback Machine captured it within recheck_after; follow the job."""
        if self.refused is not None:
            return Submission(url, "error", self.refused)
        recent = self._recent_capture(url)
        if recent is not None:
            return Submission(url, "skipped", recent)
        last = Submission(url, "error", "not submitted")
        for _ in range(self._retries + 1):
            last = self._submit_once(url)
            if last.status != "retry":
                return last
        return Submission(url, "error", last.detail, last.job_id)

    def _recent_capture(self, url: str) -> str | None:
        since = self._now() - dt.timedelta(seconds=self._recent_s)
        reply = self._client.request(recent_query_url(self.wayback, url, since))
        if reply.fetch is None or reply.fetch.status != 200:
            return None  # not known: submitting costs the archive little more than asking again
        try:
            rows = parse_rows(reply.fetch.body)
        except ValueError:
            return None
        return f"captured at {rows[-1].timestamp}, within recheck_after" if rows else None

    def _submit_once(self, url: str) -> Submission:
        reply = self._client.request(f"{self.wayback}/save", method="POST", headers=self._headers, form={"url": url})
        if reply.fetch is None:
            return Submission(url, "error", reply.failure)
        answer = reply.fetch
        if answer.status in (401, 403):
            self.refused = f"Save Page Now refused the keys (HTTP {answer.status}); nothing more is submitted this run"
            return Submission(url, "error", self.refused)
        data = _json(answer.body)
        job_id = str(data.get("job_id") or "")
        if answer.status != 200 or not job_id:
            return self._job_error(url, data, f"HTTP {answer.status} {answer.reason}".strip(), None)
        return self._follow(url, job_id)

    def _follow(self, url: str, job_id: str) -> Submission:
        status_url = f"{self.wayback}/save/status/{quote(job_id, safe='')}"
        for _ in range(self._max_polls):
            self._sleep(self._poll_interval)
            reply = self._client.request(status_url, headers=self._headers)
            if reply.fetch is None:
                return Submission(url, "error", reply.failure, job_id)
            data = _json(reply.fetch.body)
            state = str(data.get("status") or "")
            if reply.fetch.status != 200 or state == "error":
                return self._job_error(url, data, f"HTTP {reply.fetch.status}", job_id)
            if state == "success":
                stamp = str(data.get("timestamp") or "")
                return Submission(url, "saved", f"captured at {stamp}" if stamp else "captured", job_id)
        return Submission(url, "pending", f"still running after {self._max_polls} polls", job_id)

    def _job_error(self, url: str, data: dict[str, Any], fallback: str, job_id: str | None) -> Submission:
        code = str(data.get("status_ext") or "")
        message = str(data.get("message") or "") or fallback
        detail = f"{code}: {message}" if code else message
        return Submission(url, "retry" if code in TRANSIENT_JOB_ERRORS else "error", detail, job_id)


def _json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
