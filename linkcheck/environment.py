"""Everything the tool takes from outside the process, in one object that tests can replace."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from linkcheck.printable import visible


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Environment:
    """stdin, stdout, stderr, environment variables, working folder and clock: all a run takes from outside."""

    stdin: BinaryIO = field(default_factory=lambda: sys.stdin.buffer)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: Path = field(default_factory=Path.cwd)
    now: Callable[[], dt.datetime] = _utc_now

    @property
    def stderr_is_terminal(self) -> bool:
        isatty = getattr(self.stderr, "isatty", None)
        return bool(isatty and isatty()) and self.environ.get("CI", "") == ""

    @property
    def stdout_is_terminal(self) -> bool:
        isatty = getattr(self.stdout, "isatty", None)
        return bool(isatty and isatty()) and not self.environ.get("CI") and not self.environ.get("NO_COLOR")

    def resolve(self, path: str | Path) -> Path:
        """A configured path as used: absolute ones as they are, relative ones from the working folder."""
        path = Path(path)
        return path if path.is_absolute() else self.cwd / path

    def warn(self, message: str) -> None:
        """A line on stderr; control characters in it are shown escaped, never obeyed."""
        print(visible(message), file=self.stderr, flush=True)

    def say(self, line: str) -> None:
        """A line of text on stdout, control characters shown escaped."""
        print(visible(line), file=self.stdout)
