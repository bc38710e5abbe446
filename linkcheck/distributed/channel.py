"""How results travel back and what each side tells the other, whatever carries it (Redis, or memory in tests)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class ResultChannel(Protocol):
    """A run's results stream, which URLs already have one, and the run's and workers' signs of life."""

    def publish(self, run: str, url: str, payload: str, worker: str) -> None:
        """Append one URL's result to the run's stream and mark the URL done, at once."""

    def attach(self, run: str, content: bytes) -> str:
        """Keep a result's attachment (a capture sent back) beside the run's stream, until read; its key."""

    def attachment(self, key: str) -> bytes | None:
        """An attachment, taken away (None: gone, expired); read one at a time, so big ones never pile up."""

    def done(self, run: str, urls: Iterable[str]) -> set[str]:
        """Which of these URLs already have a result in the run (a redelivered shard skips them)."""

    def read(self, run: str, after: str, block_seconds: float) -> list[tuple[str, str]]:
        """(entry id, payload) of the results after entry `after` ("0": from the start), waiting up to
        `block_seconds` for the first."""

    def keep_alive(self, run: str, seconds: float) -> None:
        """The coordinator is still waiting for this run's results (for `seconds` more)."""

    def alive(self, run: str) -> bool:
        """Whether the run's coordinator is still waiting; a worker drops the shards of a finished run."""

    def forget(self, run: str) -> None:
        """The run is over: workers drop what is left of it; its stream expires."""

    def shard_started(self, shard_key: str, worker: str) -> None:
        """A worker holds this shard now (for `linkcheck status`)."""

    def shard_finished(self, shard_key: str) -> None:
        """The worker let go of this shard (finished, or sent its rest on)."""
