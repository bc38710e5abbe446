"""pywb as a real Memento archive over WARCs linkcheck wrote itself: the TimeMap lists three captures
of one page, and the lookup picks the right one by date and by verification."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from linkcheck.archive import Archive
from linkcheck.check import Fetcher
from linkcheck.environment import Environment
from linkcheck.fallback import find_archived_copies
from linkcheck.models import CopyStatus, Verdict
from linkcheck.state.run import RunState
from tests.archive.test_pywb import pytestmark as pywb_marks
from tests.archive.test_pywb import wayback, wb_collection
from tests.conftest import loopback_settings
from tests.fallback.helpers import article, cited, fallback_settings, page
from tests.server import LocalServer, send

pytestmark = pywb_marks

UTC = dt.UTC
RIGHT = page("Troops gather for drills in Tajikistan", "More than ten thousand troops took part.")
CAPTURES = (
    (dt.datetime(2019, 5, 14, 10, 0, 0, tzinfo=UTC), "right"),
    (dt.datetime(2021, 8, 1, 6, 30, 0, tzinfo=UTC), "home"),
    (dt.datetime(2022, 3, 2, 18, 15, 0, tzinfo=UTC), "right"),
)


def capture_history(server: LocalServer, root: Path) -> list[Path]:
    """Three runs of linkcheck's own archive at three dates, each capturing /story as served then."""
    served = {"now": "right"}
    home = page("Example Daily: news from everywhere", head=f'<link rel="canonical" href="{server.url("/")}">')
    server.route("/story")(lambda h: send(h, 200, RIGHT if served["now"] == "right" else home))
    for moment, kind in CAPTURES:
        served["now"] = kind
        fetcher = Fetcher(loopback_settings(), now=lambda moment=moment: moment)
        try:
            download = fetcher.fetch(server.url("/story"))
        finally:
            fetcher.close()
        with Archive(root, clock=lambda moment=moment: moment) as archive:
            assert archive.capture(download).snapshot is not None
    return sorted((root / "warc").glob("*.warc.gz"))


def test_pywb_timemap_gives_the_verified_capture_before_the_article(server: LocalServer, tmp_path: Path) -> None:
    warcs = capture_history(server, tmp_path / "captured")
    assert len(warcs) == 3
    replay = tmp_path / "replay"
    wb_collection(replay, warcs)
    cited_url = server.url("/story")
    with wayback(replay, tmp_path / "wayback.log") as port:
        settings = fallback_settings("", memento=[f"http://127.0.0.1:{port}/coll/timemap/link/"])
        env = Environment(now=lambda: dt.datetime(2026, 11, 25, tzinfo=UTC), cwd=tmp_path)
        state = RunState(None, settings.state, env.now)
        headline = "Troops gather for drills in Tajikistan, the ministry says"
        articles = [article(dt.date(2021, 8, 10), cited(cited_url, Verdict.BROKEN, headline))]
        hits_before = dict(server.hits)
        done, _ = find_archived_copies(articles, settings, env, state, None)
        # An article of late 2022 gets the 2022 capture, with nothing to reject on the way.
        later = [article(dt.date(2022, 12, 31), cited(cited_url, Verdict.BROKEN, headline))]
        later_done, _ = find_archived_copies(later, settings, env, RunState(None, settings.state, env.now), None)
    copy = done[0].citations[0].archived_copy
    assert copy is not None and copy.status is CopyStatus.FOUND, copy
    assert copy.archive == f"127.0.0.1:{port}"
    assert copy.archived_at == CAPTURES[0][0] and copy.before_target is True and copy.verified is True
    assert copy.url is not None and "/coll/20190514100000" in copy.url and copy.url.endswith(cited_url)
    [rejected] = copy.rejected
    assert rejected.archived_at == CAPTURES[1][0]
    assert "/coll/20210801063000" in rejected.url
    assert "home page" in rejected.reason and server.url("/") in rejected.reason
    assert dict(server.hits) == hits_before, "everything came from the archive"
    latest = later_done[0].citations[0].archived_copy
    assert latest is not None and latest.archived_at == CAPTURES[2][0] and latest.rejected == ()
