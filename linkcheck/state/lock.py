"""One run at a time per state store: a file lock, with the holder named when it is busy."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from linkcheck.errors import LinkcheckError


class LockBusy(LinkcheckError):
    """Another run holds the store's lock."""


class RunLock:
    """Held for a whole run; the OS releases it if the process dies (even on kill -9)."""

    def __init__(self, store_path: Path, wait: float) -> None:
        self.path = store_path.with_name(store_path.name + ".lock")
        self._holder = store_path.with_name(store_path.name + ".lock.holder")
        self._wait = wait
        self._lock = FileLock(str(self.path))

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=max(self._wait, 0))
        except Timeout:
            raise LockBusy(
                f"another linkcheck run is using {self.path.with_suffix('')}: {self._describe_holder()};"
                f" waited {self._wait:g}s (--wait)"
            ) from None
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        self._holder.write_text(json.dumps(info))
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self._holder.unlink(missing_ok=True)
        self._lock.release()

    def _describe_holder(self) -> str:
        try:
            info = json.loads(self._holder.read_text())
            return f"held by process {info['pid']} on {info['host']} since {info['since']}"
        except (OSError, ValueError, KeyError):
            return "held by another process"
