"""report.json's writer: what it remembers to go faster is written exactly as before."""

from __future__ import annotations


def test_remembered_moments_are_written_as_isoformat_writes_them() -> None:
    """Equal instants in other zones, naive moments and either side of a clock change keep their own text."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from linkcheck.reports.json_report import _seconds

    utc = dt.datetime(2026, 3, 1, 12, 0, 30, 999999, tzinfo=dt.UTC)
    paris = utc.astimezone(dt.timezone(dt.timedelta(hours=1)))
    naive = utc.replace(tzinfo=None)
    london = ZoneInfo("Europe/London")
    before = dt.datetime(2026, 10, 25, 1, 30, tzinfo=london)  # the hour that happens twice
    after = before.replace(fold=1)
    for moment in (utc, paris, naive, before, after, utc, paris, before, after):
        assert _seconds(moment, moment.tzinfo, moment.fold) == moment.isoformat(timespec="seconds")
    assert utc == paris and _seconds(utc, utc.tzinfo, 0) != _seconds(paris, paris.tzinfo, 0)
    assert _seconds(before, london, 0) != _seconds(after, london, 1)
