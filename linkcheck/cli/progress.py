"""A progress bar on stderr when it is a terminal; nothing at all otherwise (CI, cron, --quiet)."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from linkcheck.models import CheckResult
from linkcheck.urls import host_of

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class CheckProgress:
    """Counts checked URLs, shows the rate and the host last answered."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self._progress: Progress | None = None
        if enabled:  # rich is loaded only for a bar that is shown (not under CI, cron or --quiet)
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("checking"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:>6.1f} URLs/s"),
                TimeElapsedColumn(),
                TextColumn("{task.fields[host]}"),
                console=Console(file=stream),
                transient=True,
            )
        self._task: TaskID | None = None

    def __enter__(self) -> CheckProgress:
        if self._progress:
            self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if self._progress:
            self._progress.stop()

    def start(self, total: int) -> None:
        if self._progress:
            self._task = self._progress.add_task("check", total=total, rate=0.0, host="")

    def advance(self, result: CheckResult) -> None:
        if self._progress and self._task is not None:
            task = self._progress.tasks[0]
            elapsed = task.elapsed or 0.0
            rate = (task.completed + 1) / elapsed if elapsed > 0 else 0.0
            self._progress.update(self._task, advance=1, rate=rate, host=host_of(result.url)[:40])
