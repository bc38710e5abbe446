"""When a domain was registered, from RDAP (RFC 9083): the `registration` event of a domain object.

Asked through the check stage's Fetcher (rdap.org answers with a redirect to the registry's own RDAP
server). A registry that does not answer at all is not asked again in the run, so an offline run
waits one timeout at most; an answer without a registration date is an answer, a failure is none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from linkcheck.models import FetchResult
from linkcheck.pacing import RequestLimiter

MAX_RDAP_BYTES = 1_000_000


def registration_date(body: bytes) -> dt.date | None:
    """The date of the `registration` event in an RDAP domain object, or None."""
    try:
        data = json.loads(body[:MAX_RDAP_BYTES])
    except (ValueError, UnicodeDecodeError):
        return None
    events = data.get("events") if isinstance(data, dict) else None
    for event in events if isinstance(events, list) else ():
        if isinstance(event, dict) and str(event.get("eventAction", "")).lower() == "registration":
            try:
                return dt.date.fromisoformat(str(event.get("eventDate", ""))[:10])
            except ValueError:
                return None
    return None


@dataclass
class Rdap:
    """Looks domains up at one RDAP service; gives up on it for the run when it does not answer."""

    base: str
    fetch: Callable[[str], FetchResult]
    limiter: RequestLimiter | None = None  # paces the lookups (the service: the base's host)
    down: str | None = None  # why the service is not asked again this run
    asked: list[str] = field(default_factory=list)

    @property
    def service(self) -> str:
        """What the lookups are counted against: the RDAP service's host."""
        return "rdap:" + urlsplit(self.base).netloc.lower()

    def look_up(self, domain: str) -> tuple[bool, dt.date | None]:
        """(answered, registration date). Not answered: the service failed, or was given up on."""
        if self.down is not None:
            return False, None
        if self.limiter is not None:
            self.limiter.take(self.service)
        self.asked.append(domain)
        answer = self.fetch(self.base + quote(domain, safe=""))
        if answer.failure is not None:
            self.down = answer.failure.message
            return False, None
        if answer.status == 404:
            return True, None  # the registry has no such domain object: nothing to compare
        if answer.status != 200:
            if answer.status in (429,) or (answer.status or 0) >= 500:
                self.down = f"HTTP {answer.status}"
            return False, None
        return True, registration_date(answer.body)
