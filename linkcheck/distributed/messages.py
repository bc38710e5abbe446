"""What travels between coordinator and workers, as JSON: a shard's work, and one URL's outcome."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkcheck.models import Capture, CarriedCapture, Drift, Outcome, PageText, Requisites, Snapshot
from linkcheck.serialize import check_from_dict, check_to_dict
from linkcheck.settings import Settings, settings_from_mapping

# The sections a worker needs: how to fetch and judge (check, domains), and snapshots (settings_snapshot).
# State, reports and lookups stay with the coordinator.
_SHIPPED = ("check",)


@dataclass(frozen=True)
class ShardWork:
    """One message: the due URLs of one shard of one run, with the settings to check them by."""

    run: str  # the coordinator's run key (random, unique per run)
    shard: int
    urls: tuple[str, ...]
    settings: dict[str, Any]  # settings_snapshot(); the digest names it in logs and caches
    digest: str
    slice_seconds: float
    lease_seconds: float
    shards: int = 1  # how many shards the run cut its URLs into

    @property
    def shard_key(self) -> str:
        """This shard of this run, in logs and `linkcheck status`."""
        return f"{self.run}:{self.shard}"

    @property
    def lock_key(self) -> str:
        """The lock's name: the shard whatever the run, so two runs on one broker (or a killed coordinator's
        leftovers and its rerun) never check the same hosts at once."""
        return f"{self.shards}:{self.shard}"

    def rest(self, urls: list[str]) -> ShardWork:
        return dataclasses.replace(self, urls=tuple(urls))


def run_marker(root: Path, run: str) -> Path:
    """The file the coordinator keeps in its archive folder while its run lasts: a worker that sees it sees the
    coordinator's folder itself, not a folder of its own at the same path."""
    return root / "indexes" / "runs" / run


def settings_snapshot(settings: Settings, archive_root: str | None = None) -> tuple[dict[str, Any], str]:
    """(the settings a worker checks by, as config-file data; a digest of them). With `archive_root` (the
    coordinator's archive folder, absolute, which workers share) workers capture into it."""
    data: dict[str, Any] = {name: _plain(dataclasses.asdict(getattr(settings, name))) for name in _SHIPPED}
    data["check"]["cookie_jar"] = ""  # a file on the coordinator's machine: workers keep cookies in memory
    if archive_root is not None and settings.snapshot.enabled:
        data["snapshot"] = {**_plain(dataclasses.asdict(settings.snapshot)), "dir": archive_root}
    else:
        data["snapshot"] = {"enabled": False}
    data["distributed"] = {"max_capture_bytes": settings.distributed.max_capture_bytes}
    data["domains"] = {
        rule.domain: {key: value for key, value in _plain(dataclasses.asdict(rule)).items() if key != "domain"}
        for rule in settings.domains
    }
    for table in data["domains"].values():
        for key in [key for key, value in table.items() if value is None]:
            del table[key]  # unset in a rule: the [check] value applies
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return data, hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def settings_from_snapshot(data: dict[str, Any]) -> Settings:
    """Settings rebuilt from a snapshot, validated as a config file would be."""
    return settings_from_mapping(data, "coordinator's settings")


def work_to_json(work: ShardWork) -> dict[str, Any]:
    return {**dataclasses.asdict(work), "urls": list(work.urls)}


def work_from_json(data: dict[str, Any]) -> ShardWork:
    return ShardWork(**{**data, "urls": tuple(data["urls"])})


def outcome_to_json(outcome: Outcome, worker: str, carried: str | None = None) -> str:
    """One result as the worker sends it: the check (as the store keeps it) and the page's text, which the
    quote and parked-page rules read on the coordinator; and, from a worker without the archive folder, the
    key of the attachment that holds its capture (carried_to_bytes)."""
    result = outcome.result
    page = dataclasses.asdict(result.page) if result.page is not None else None
    capture = dataclasses.asdict(outcome.capture) if outcome.capture is not None else None
    data: dict[str, Any] = {"result": check_to_dict(result), "page": page, "capture": capture, "worker": worker}
    if carried is not None:
        data["carried"] = carried
    return json.dumps(data, ensure_ascii=False)


def outcome_from_json(text: str | bytes) -> tuple[Outcome, str]:
    """(the outcome, the worker that sent it); ValueError/KeyError on a malformed one."""
    outcome, worker, _ = result_from_json(text)
    return outcome, worker


def result_from_json(text: str | bytes) -> tuple[Outcome, str, str | None]:
    """(the outcome, the worker that sent it, the key of the capture it sent back if any); ValueError/KeyError
    on a malformed one."""
    data = json.loads(text)
    outcome, worker = _outcome(data)
    carried = data.get("carried")
    if not carried or outcome.capture is None or outcome.capture.snapshot is None:
        return outcome, worker, None
    return outcome, worker, str(carried)


def carried_to_bytes(carried: CarriedCapture) -> bytes:
    """A capture sent back, as its attachment: the records, where the page's record starts, the copy's files."""
    data = {
        "records": _b64(carried.records),
        "offset": carried.offset,
        "files": [[name, _b64(content)] for name, content in carried.files],
    }
    return json.dumps(data).encode()


def carried_from_bytes(content: bytes, snapshot: Snapshot) -> CarriedCapture:
    """The capture an attachment holds, of the result whose `snapshot` it is; ValueError/KeyError if malformed."""
    data = json.loads(content)
    files = tuple((str(name), base64.b64decode(item, validate=True)) for name, item in data["files"])
    records = base64.b64decode(data["records"], validate=True)
    return CarriedCapture(snapshot, records, int(data["offset"]), files)


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def _outcome(data: dict[str, Any]) -> tuple[Outcome, str]:
    result = check_from_dict(data["result"])
    if data.get("page") is not None:
        result = dataclasses.replace(result, page=PageText(**data["page"]))
    capture = None
    if data.get("capture") is not None:
        kept = data["capture"]
        capture = Capture(
            _snapshot(kept["snapshot"]) if kept.get("snapshot") else None,
            kept.get("skipped_reason"),
            Drift(**kept["drift"]) if kept.get("drift") else None,
        )
    return Outcome(result, capture), str(data.get("worker") or "?")


def _snapshot(kept: dict[str, Any]) -> Snapshot:
    fields = dict(kept)
    requisites = fields.pop("requisites", None)
    return Snapshot(**fields, requisites=Requisites(**requisites) if requisites is not None else None)


def _plain(value: Any) -> Any:
    """Tuples as lists and mappings as dicts, so the data reads back like a TOML file."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
