"""report.json's `snapshot.requisites`: written, valid against the schema, and read back by the loader."""

from __future__ import annotations

from dataclasses import replace

import pytest

from linkcheck.models import Requisites, RunResult
from linkcheck.reports import json_report
from tests.reports.test_reports import _json_validator, sample_run


def with_requisites(run: RunResult, requisites: Requisites | None) -> tuple[RunResult, int]:
    """The run with its first article's first snapshot given `requisites`; and that citation's index."""
    article = run.articles[0]
    at = next(i for i, checked in enumerate(article.citations) if checked.snapshot is not None)
    checked = article.citations[at]
    assert checked.snapshot is not None
    citations = list(article.citations)
    citations[at] = replace(checked, snapshot=replace(checked.snapshot, requisites=requisites))
    return replace(run, articles=(replace(article, citations=tuple(citations)), *run.articles[1:])), at


@pytest.mark.parametrize("requisites", [Requisites(12, 3, True), Requisites(0, 0, False), None])
def test_snapshot_requisites_round_trip(requisites: Requisites | None) -> None:
    run, at = with_requisites(sample_run(), requisites)
    data = json_report.render(run)
    snapshot = data["articles"][0]["citations"][at]["snapshot"]
    expected = (
        None
        if requisites is None
        else {"captured": requisites.captured, "refused": requisites.refused, "cut": requisites.cut}
    )
    assert snapshot["requisites"] == expected
    errors = list(_json_validator().iter_errors(data))  # type: ignore[attr-defined]
    assert errors == []
    loaded = json_report.load(data)
    assert loaded.articles[0].citations[at].snapshot.requisites == requisites  # type: ignore[union-attr]


def test_a_report_written_before_requisites_loads() -> None:
    data = json_report.render(sample_run())
    for article in data["articles"]:
        for citation in article["citations"]:
            if citation["snapshot"]:
                del citation["snapshot"]["requisites"]
    loaded = json_report.load(data)
    assert all(c.snapshot is None or c.snapshot.requisites is None for a in loaded.articles for c in a.citations)
