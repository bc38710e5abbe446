"""Which stored captures `linkcheck export` packages: those a run made, an article's, or both."""

from __future__ import annotations

from dataclasses import dataclass

from linkcheck.errors import LinkcheckError
from linkcheck.models import Snapshot
from linkcheck.state.store import Store


class SelectionError(LinkcheckError):
    """The run or article asked for is not in the state store."""


@dataclass(frozen=True)
class StoredSelection:
    captures: list[tuple[str, Snapshot]]  # (cited URL, its capture), oldest first
    cited: list[str]  # the article's cited URLs in its order (empty without an article)


def select_captures(store: Store, run_id: int | None, source: str | None) -> StoredSelection:
    """The captures made by run `run_id` (if given) of URLs cited by article `source` (if given).

    `source` is the article as the store knows it (state.run.source_key); an unknown run or article
    raises SelectionError naming it.
    """
    if run_id is not None and not store.has_run(run_id):
        raise SelectionError(f"no run {run_id} in the state store {store.path}")
    cited: list[str] = []
    if source is not None:
        found = store.cited_urls(source, run_id)
        if found is None:
            raise SelectionError(f"no article {source} in the state store {store.path}: it was never harvested")
        cited = found
    captures = store.snapshots(run_id, cited if source is not None else None)
    return StoredSelection(captures, cited)
