"""The state store: SQLite in WAL mode, versioned schema, every query. The only importer of sqlite3.

Kept behind this one module so a server database could replace SQLite without touching the rest;
that is also why it is over 400 lines: every query, and nothing else, lives here.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from linkcheck import __version__
from linkcheck.builders import positional
from linkcheck.errors import LinkcheckError
from linkcheck.models import FAILING, ArchivedCopy, Article, CheckResult, Hop, Requisites, Snapshot, Verdict
from linkcheck.serialize import (
    archived_copy_from_dict,
    archived_copy_to_dict,
    article_from_dict,
    article_to_dict,
    check_from_dict,
    check_to_dict,
)
from linkcheck.state.history import DeathPolicy, UrlState, is_confirmed_dead

# Each entry upgrades the schema by one version; never edit a released one, append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: runs, articles, citations, checks, per-URL state
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        interrupted INTEGER NOT NULL DEFAULT 0,
        tool_version TEXT NOT NULL,
        sources TEXT NOT NULL
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        title TEXT,
        published TEXT,
        harvested TEXT NOT NULL,
        first_run INTEGER,
        last_run INTEGER
    );
    CREATE TABLE citations (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        position INTEGER NOT NULL,
        url TEXT NOT NULL,
        normalized_url TEXT,
        line INTEGER,
        first_run INTEGER NOT NULL,
        retired_run INTEGER
    );
    CREATE INDEX citations_article ON citations(article_id, retired_run);
    CREATE INDEX citations_url ON citations(normalized_url);
    CREATE TABLE checks (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        url TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        verdict TEXT NOT NULL,
        status INTEGER,
        result TEXT NOT NULL
    );
    CREATE INDEX checks_url ON checks(url, checked_at);
    CREATE TABLE url_state (
        url TEXT PRIMARY KEY,
        last_checked_at TEXT,
        last_verdict TEXT,
        last_ok_at TEXT,
        first_failure_at TEXT,
        failure_streak INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX url_state_checked ON url_state(last_checked_at);
    """,
    # 2: flapping memory, stored reports for `linkcheck report --run`, snapshots
    """
    ALTER TABLE url_state ADD COLUMN recent TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN report BLOB;
    CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        url TEXT NOT NULL,
        captured_at TEXT NOT NULL,
        warc TEXT,
        warc_offset INTEGER,
        record_id TEXT,
        sha256 TEXT,
        page TEXT
    );
    CREATE INDEX snapshots_url ON snapshots(url, captured_at);
    """,
    # 3: why a run ended with an error of the tool itself (finished-with-error)
    """
    ALTER TABLE runs ADD COLUMN failure TEXT;
    """,
    # 4: archived copies found (or not) for cited URLs, and Save Page Now submissions
    """
    CREATE TABLE archived_copies (
        url TEXT NOT NULL,
        target TEXT NOT NULL,
        looked_up_at TEXT NOT NULL,
        status TEXT NOT NULL,
        copy TEXT NOT NULL,
        PRIMARY KEY (url, target)
    );
    CREATE TABLE archive_submissions (
        url TEXT PRIMARY KEY,
        submitted_at TEXT NOT NULL,
        status TEXT NOT NULL,
        job_id TEXT,
        detail TEXT
    );
    """,
    # 5: when each registrable domain was registered, as RDAP said (NULL: it gave no date)
    """
    CREATE TABLE domain_registrations (
        domain TEXT PRIMARY KEY,
        looked_up_at TEXT NOT NULL,
        registered TEXT
    );
    """,
    # 6: each URL's latest result in columns, and when it was checked in microseconds since the epoch,
    # so a rerun decides in SQL what is due and reuses the rest without decoding JSON. Filled from the
    # latest stored check of each URL (the checks table keeps the whole history as before).
    """
    ALTER TABLE url_state ADD COLUMN last_checked_us INTEGER;
    ALTER TABLE url_state ADD COLUMN result_verdict TEXT;
    ALTER TABLE url_state ADD COLUMN result_status INTEGER;
    ALTER TABLE url_state ADD COLUMN result_final_url TEXT;
    ALTER TABLE url_state ADD COLUMN result_redirects TEXT;
    ALTER TABLE url_state ADD COLUMN result_error TEXT;
    ALTER TABLE url_state ADD COLUMN result_attempts INTEGER;
    ALTER TABLE url_state ADD COLUMN result_elapsed_ms INTEGER;
    ALTER TABLE url_state ADD COLUMN result_checked_at TEXT;
    ALTER TABLE url_state ADD COLUMN result_tls_verified INTEGER;
    ALTER TABLE url_state ADD COLUMN result_page_title TEXT;
    ALTER TABLE url_state ADD COLUMN result_page_published TEXT;
    UPDATE url_state SET
        last_checked_us = CAST(round((julianday(last_checked_at) - 2440587.5) * 86400000000.0) AS INTEGER),
        result_verdict = json_extract(latest.result, '$.verdict'),
        result_status = json_extract(latest.result, '$.status'),
        result_final_url = json_extract(latest.result, '$.final_url'),
        result_redirects = nullif(json_extract(latest.result, '$.redirects'), '[]'),
        result_error = json_extract(latest.result, '$.error'),
        result_attempts = json_extract(latest.result, '$.attempts'),
        result_elapsed_ms = json_extract(latest.result, '$.elapsed_ms'),
        result_checked_at = json_extract(latest.result, '$.checked_at'),
        result_tls_verified = json_extract(latest.result, '$.tls_verified'),
        result_page_title = json_extract(latest.result, '$.page_title'),
        result_page_published = json_extract(latest.result, '$.page_published')
    FROM (
        SELECT c.url AS url, c.result AS result FROM checks c
        WHERE c.id = (SELECT c2.id FROM checks c2 WHERE c2.url = c.url ORDER BY c2.checked_at DESC, c2.id DESC LIMIT 1)
    ) AS latest
    WHERE latest.url = url_state.url
    """,
    # 7: what a capture kept of its page's requisites, "captured,refused,cut" (NULL: none looked for, or a
    # capture made before requisites were captured), so a reused result reports them without a file read
    """
    ALTER TABLE snapshots ADD COLUMN requisites TEXT
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(LinkcheckError):
    """The state store cannot be used (newer schema, corrupt file, unwritable folder)."""


@dataclass(frozen=True)
class StoredArticle:
    content_hash: str
    article: Article


@dataclass(frozen=True)
class TimelineEntry:
    at: str
    kind: str  # check | capture
    verdict: str | None
    status: int | None
    detail: str | None


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


_STATE_COLUMNS = (
    "s.url, s.last_checked_at, s.last_verdict, s.last_ok_at, s.first_failure_at, s.failure_streak, s.recent"
)


_VERDICTS = {verdict.value: verdict for verdict in Verdict}  # a dict lookup: Verdict(text) costs ten times more


def _state_from_row(row: tuple[Any, ...]) -> UrlState:
    return UrlState(
        url=row[0],
        last_checked_at=_moment(row[1]),
        last_verdict=_VERDICTS[row[2]] if row[2] else None,
        last_ok_at=_moment(row[3]),
        first_failure_at=_moment(row[4]),
        failure_streak=int(row[5]),
        recent=row[6] or "",
    )


_RESULT_NAMES = (
    "result_verdict, result_status, result_final_url, result_redirects, result_error, result_attempts,"
    " result_elapsed_ms, result_checked_at, result_tls_verified, result_page_title, result_page_published"
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def _microseconds(moment: dt.datetime | None) -> int | None:
    """A moment as whole microseconds since the epoch: exact, so SQL compares ages as Python does."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - _EPOCH) // _MICROSECOND


def _rerun_from_row(row: tuple[Any, ...]) -> tuple[UrlState, CheckResult | None]:
    """A states_for_rerun row: the state, and the result when it is reused. The same moment is often written
    in three columns (last check, last ok, the result's check time): it is parsed once."""
    url, checked, verdict, ok, failed, streak, recent, reused = row[:8]
    at = dt.datetime.fromisoformat(checked) if checked else None
    state = UrlState(
        url,
        at,
        _VERDICTS[verdict] if verdict else None,
        at if ok == checked else _moment(ok),
        _moment(failed),
        int(streak),
        recent or "",
    )
    if not reused:
        return state, None
    verdict, status, final_url, redirects, error, attempts, elapsed_ms, result_at, tls, title, published = row[8:]
    return state, _new_result(
        url,
        _VERDICTS[verdict],
        status,
        final_url,
        tuple(Hop(hop["url"], hop["status"]) for hop in json.loads(redirects)) if redirects else (),
        error,
        attempts or 0,
        elapsed_ms or 0,
        at if result_at == checked else _moment(result_at),
        None if tls is None else bool(tls),
        title,
        dt.date.fromisoformat(published) if published else None,
        None,  # page: the page's text is this run's only
    )


_new_result = positional(CheckResult)


def _decoded(text: str) -> Any:
    """A stored JSON column, decoded by orjson (a rerun reads every article's harvest: json.loads took
    twice as long); anything orjson refuses that json reads (NaN, say) is read by json as before."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _batches(urls: list[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """URLs in batches for `IN (...)` queries (SQLite caps the parameters of one query), with their marks."""
    for start in range(0, len(urls), size):
        batch = urls[start : start + size]
        yield batch, ",".join("?" * len(batch))


class Store:
    """One open store. Not shared across threads: the pipeline records results in its main thread."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path, migrate_to: int = SCHEMA_VERSION) -> Store:
        """Open (creating if needed) and migrate; refuse a store from a newer version."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA busy_timeout=10000")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{path}: cannot open the state store: {exc}") from None
        if version > SCHEMA_VERSION:
            connection.close()
            raise StoreError(
                f"{path}: this state store has schema version {version}, written by a newer linkcheck;"
                f" this version ({__version__}) knows up to {SCHEMA_VERSION}. Upgrade linkcheck;"
                " the store was not changed."
            )
        store = cls(connection, path)
        store._migrate(version, migrate_to)
        return store

    def _migrate(self, current: int, target: int) -> None:
        for version in range(current + 1, target + 1):
            try:
                self._db.execute("BEGIN IMMEDIATE")
                for statement in MIGRATIONS[version - 1].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {version}")
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                self._db.close()
                raise StoreError(f"{self.path}: migration to schema {version} failed: {exc}") from None

    def close(self) -> None:
        self._db.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def integrity_check(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    # --- runs ---

    def begin_run(self, started_at: dt.datetime, sources: list[str]) -> int:
        """A new run; runs left unfinished before it are marked as ended with an error.

        Only one run holds the store's lock, so an unfinished run found here was killed part way.
        """
        self._db.execute(
            "UPDATE runs SET finished_at = ?, failure = ? WHERE finished_at IS NULL",
            (_iso(started_at), "did not finish: the process ended before the run was closed"),
        )
        cursor = self._db.execute(
            "INSERT INTO runs (started_at, tool_version, sources) VALUES (?, ?, ?)",
            (_iso(started_at), __version__, json.dumps(sources)),
        )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, finished_at: dt.datetime, interrupted: bool, failure: str | None = None) -> None:
        self._db.execute(
            "UPDATE runs SET finished_at = ?, interrupted = ?, failure = ? WHERE id = ?",
            (_iso(finished_at), int(interrupted), failure, run_id),
        )

    def save_report(self, run_id: int, gzipped_json: bytes) -> None:
        """Keep a run's report.json (gzip) so `linkcheck report --run` can render it again."""
        self._db.execute("UPDATE runs SET report = ? WHERE id = ?", (gzipped_json, run_id))

    def run_report(self, run_id: int | None = None) -> tuple[int, dict[str, Any]] | None:
        """A finished run's stored report (the latest finished one by default)."""
        if run_id is None:
            row = self._db.execute(
                "SELECT id, report FROM runs WHERE report IS NOT NULL ORDER BY id DESC LIMIT 1"
            ).fetchone()
        else:
            row = self._db.execute("SELECT id, report FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None or row[1] is None:
            return None
        return int(row[0]), json.loads(gzip.decompress(row[1]))

    def previous_run_report(self, before_run: int) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT report FROM runs WHERE id < ? AND report IS NOT NULL ORDER BY id DESC LIMIT 1", (before_run,)
        ).fetchone()
        return json.loads(gzip.decompress(row[0])) if row else None

    # --- articles and citations ---

    def stored_article(self, source: str, content_hash: str | None = None) -> StoredArticle | None:
        """The stored harvest of a source; with `content_hash`, only if it was made from that content
        (a changed article's old harvest is not decoded for nothing)."""
        row = self._db.execute("SELECT content_hash, harvested FROM articles WHERE source = ?", (source,)).fetchone()
        if row is None or (content_hash is not None and row[0] != content_hash):
            return None
        return StoredArticle(row[0], article_from_dict(_decoded(row[1])))

    def save_article(self, article: Article, content_hash: str, run_id: int) -> None:
        """Store a (re-)harvested article; citations no longer in it are retired, not deleted."""
        harvested = json.dumps(article_to_dict(article), ensure_ascii=False)
        published = article.published.isoformat() if article.published else None
        self._db.execute("BEGIN IMMEDIATE")
        try:
            row = self._db.execute("SELECT id FROM articles WHERE source = ?", (article.source,)).fetchone()
            if row is None:
                cursor = self._db.execute(
                    "INSERT INTO articles (source, content_hash, title, published, harvested, first_run, last_run)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (article.source, content_hash, article.title, published, harvested, run_id, run_id),
                )
                article_id = int(cursor.lastrowid or 0)
            else:
                article_id = int(row[0])
                self._db.execute(
                    "UPDATE articles SET content_hash = ?, title = ?, published = ?, harvested = ?, last_run = ?"
                    " WHERE id = ?",
                    (content_hash, article.title, published, harvested, run_id, article_id),
                )
            active = self._db.execute(
                "SELECT id, url FROM citations WHERE article_id = ? AND retired_run IS NULL", (article_id,)
            ).fetchall()
            remaining: dict[str, list[int]] = {}
            for citation_id, url in active:
                remaining.setdefault(url, []).append(citation_id)
            for position, citation in enumerate(article.citations):
                ids = remaining.get(citation.url)
                if ids:
                    self._db.execute(
                        "UPDATE citations SET position = ?, line = ? WHERE id = ?",
                        (position, citation.line, ids.pop(0)),
                    )
                else:
                    self._db.execute(
                        "INSERT INTO citations (article_id, position, url, normalized_url, line, first_run)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (article_id, position, citation.url, citation.normalized_url, citation.line, run_id),
                    )
            gone = [citation_id for ids in remaining.values() for citation_id in ids]
            self._db.executemany("UPDATE citations SET retired_run = ? WHERE id = ?", [(run_id, i) for i in gone])
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def retired_citations(self, source: str) -> list[str]:
        return [
            row[0]
            for row in self._db.execute(
                "SELECT c.url FROM citations c JOIN articles a ON a.id = c.article_id"
                " WHERE a.source = ? AND c.retired_run IS NOT NULL ORDER BY c.id",
                (source,),
            )
        ]

    # --- checks and per-URL state ---

    def url_state(self, url: str) -> UrlState | None:
        row = self._db.execute(f"SELECT {_STATE_COLUMNS} FROM url_state s WHERE s.url = ?", (url,)).fetchone()
        return _state_from_row(row) if row else None

    def latest_snapshots(self, urls: list[str]) -> dict[str, Snapshot]:
        """The most recent capture of each URL that has one, in batches (one query per 500 URLs)."""
        found: dict[str, Snapshot] = {}
        for batch, marks in _batches(urls):
            rows = self._db.execute(
                "SELECT url, warc, sha256, captured_at, page, record_id, warc_offset, requisites FROM snapshots"
                f" WHERE url IN ({marks}) ORDER BY captured_at, id",
                batch,
            )
            for row in rows:  # oldest first: the last one written wins
                found[row[0]] = _snapshot_from_row(row)
        return found

    def last_check(self, url: str) -> CheckResult | None:
        row = self._db.execute(
            "SELECT result FROM checks WHERE url = ? ORDER BY checked_at DESC, id DESC LIMIT 1", (url,)
        ).fetchone()
        return check_from_dict(json.loads(row[0])) if row else None

    def record_check(self, run_id: int, result: CheckResult, state: UrlState) -> None:
        """Store one check and the URL's new state, committed at once (a crash loses nothing before it)."""
        self.record_checks(run_id, [(result, state)], [])

    def record_checks(
        self,
        run_id: int,
        checks: list[tuple[CheckResult, UrlState]],
        snapshots: list[tuple[str, Snapshot]],
        touched: Sequence[str] = (),
    ) -> None:
        """Store a batch of checks, the URLs' new states and their captures in one transaction
        (and mark the `touched` articles, reused unchanged, as seen in this run).

        One transaction and three statements per batch: each call into SQLite lets the checker's threads
        take the interpreter, and getting it back costs more than the write when they are busy.
        """
        check_rows = []
        state_rows = []
        for result, state in checks:
            checked_at = _iso(state.last_checked_at)
            data = check_to_dict(result)
            check_rows.append(
                (
                    run_id,
                    result.url,
                    checked_at,
                    result.verdict.value,
                    result.status,
                    json.dumps(data, ensure_ascii=False),
                )
            )
            redirects = data["redirects"]
            state_rows.append(
                (
                    state.url,
                    checked_at,
                    state.last_verdict.value if state.last_verdict else None,
                    _iso(state.last_ok_at),
                    _iso(state.first_failure_at),
                    state.failure_streak,
                    state.recent,
                    _microseconds(state.last_checked_at),
                    data["verdict"],
                    data["status"],
                    data["final_url"],
                    json.dumps(redirects, ensure_ascii=False) if redirects else None,
                    data["error"],
                    data["attempts"],
                    data["elapsed_ms"],
                    data["checked_at"],
                    None if data["tls_verified"] is None else int(data["tls_verified"]),
                    data["page_title"],
                    data["page_published"],
                )
            )
        snapshot_rows = [
            (
                run_id,
                url,
                snapshot.captured_at,
                snapshot.warc,
                snapshot.offset,
                snapshot.record_id,
                snapshot.sha256,
                snapshot.page,
                _requisites_text(snapshot.requisites),
            )
            for url, snapshot in snapshots
        ]
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "INSERT INTO checks (run_id, url, checked_at, verdict, status, result) VALUES (?, ?, ?, ?, ?, ?)",
                check_rows,
            )
            self._db.executemany(
                f"INSERT INTO url_state (url, last_checked_at, last_verdict, last_ok_at, first_failure_at,"
                f" failure_streak, recent, last_checked_us, {_RESULT_NAMES})"
                f" VALUES ({','.join('?' * 19)})"
                " ON CONFLICT(url) DO UPDATE SET last_checked_at = excluded.last_checked_at,"
                " last_verdict = excluded.last_verdict, last_ok_at = excluded.last_ok_at,"
                " first_failure_at = excluded.first_failure_at, failure_streak = excluded.failure_streak,"
                " recent = excluded.recent, last_checked_us = excluded.last_checked_us, "
                + ", ".join(f"{name} = excluded.{name}" for name in _RESULT_NAMES.split(", ")),
                state_rows,
            )
            self._db.executemany(
                "INSERT INTO snapshots (run_id, url, captured_at, warc, warc_offset, record_id, sha256, page,"
                " requisites) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                snapshot_rows,
            )
            self._db.executemany("UPDATE articles SET last_run = ? WHERE source = ?", [(run_id, s) for s in touched])
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def record_snapshot(self, run_id: int, url: str, snapshot: Snapshot) -> None:
        self.record_checks(run_id, [], [(url, snapshot)])

    def states_for_rerun(
        self, urls: list[str], now: dt.datetime, recheck_after_s: float, recheck_failed_after_s: float
    ) -> Iterator[tuple[UrlState, CheckResult | None]]:
        """Each known URL's state, with its latest result when it is not yet due again (else None).

        Due-ness is decided in SQL from the state's columns (failures come due sooner, as in
        history.is_due); only the results reused are read, from columns rather than JSON.
        """
        failing = sorted(verdict.value for verdict in FAILING)
        head = (
            f"SELECT {_STATE_COLUMNS}, s.result_verdict IS NOT NULL AND s.last_checked_us IS NOT NULL"
            f" AND ? - s.last_checked_us < CASE WHEN s.last_verdict IN ({','.join('?' * len(failing))})"
            f" THEN ? ELSE ? END, {', '.join('s.' + name for name in _RESULT_NAMES.split(', '))}"
            " FROM url_state s WHERE s.url IN "
        )
        fixed = [_microseconds(now), *failing, round(recheck_failed_after_s * 1e6), round(recheck_after_s * 1e6)]
        for batch, marks in _batches(urls):
            for row in self._db.execute(f"{head}({marks})", [*fixed, *batch]):
                yield _rerun_from_row(row)

    def url_states(self, urls: list[str]) -> dict[str, UrlState]:
        """The stored state of each known URL (one query per 500 URLs)."""
        found: dict[str, UrlState] = {}
        for batch, marks in _batches(urls):
            for row in self._db.execute(f"SELECT {_STATE_COLUMNS} FROM url_state s WHERE s.url IN ({marks})", batch):
                found[row[0]] = _state_from_row(row)
        return found

    # --- archived copies ---

    def first_seen(self, urls: list[str]) -> dict[str, dt.datetime]:
        """When each URL was first cited in a run (the start of the run that first harvested it)."""
        found: dict[str, dt.datetime] = {}
        for batch, marks in _batches(urls):
            rows = self._db.execute(
                "SELECT c.normalized_url, MIN(r.started_at) FROM citations c JOIN runs r ON r.id = c.first_run"
                f" WHERE c.normalized_url IN ({marks}) GROUP BY c.normalized_url",
                batch,
            )
            for url, started in rows:
                if started:
                    found[url] = dt.datetime.fromisoformat(started)
        return found

    def capture_verdicts(self, url: str) -> list[tuple[str, Verdict]]:
        """(captured_at, verdict of the check made with it) for each capture of a URL."""
        rows = self._db.execute(
            "SELECT s.captured_at, c.verdict FROM snapshots s JOIN checks c ON c.run_id = s.run_id AND c.url = s.url"
            " WHERE s.url = ? ORDER BY s.captured_at",
            (url,),
        )
        return [(row[0], Verdict(row[1])) for row in rows]

    def archived_copy(self, url: str, target: str) -> tuple[dt.datetime, ArchivedCopy] | None:
        """The stored answer of the last lookup for a URL and target date, with when it was made."""
        row = self._db.execute(
            "SELECT looked_up_at, copy FROM archived_copies WHERE url = ? AND target = ?", (url, target)
        ).fetchone()
        if row is None:
            return None
        return dt.datetime.fromisoformat(row[0]), archived_copy_from_dict(json.loads(row[1]))

    def save_archived_copy(self, url: str, target: str, looked_up_at: dt.datetime, copy: ArchivedCopy) -> None:
        self._db.execute(
            "INSERT INTO archived_copies (url, target, looked_up_at, status, copy) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(url, target) DO UPDATE SET looked_up_at = excluded.looked_up_at,"
            " status = excluded.status, copy = excluded.copy",
            (
                url,
                target,
                _iso(looked_up_at),
                copy.status.value,
                json.dumps(archived_copy_to_dict(copy), ensure_ascii=False),
            ),
        )

    def domain_registration(self, domain: str) -> tuple[dt.datetime, dt.date | None] | None:
        """When a domain's registration was last looked up, and the date RDAP gave (None: none given)."""
        row = self._db.execute(
            "SELECT looked_up_at, registered FROM domain_registrations WHERE domain = ?", (domain,)
        ).fetchone()
        if row is None:
            return None
        return dt.datetime.fromisoformat(row[0]), dt.date.fromisoformat(row[1]) if row[1] else None

    def save_domain_registration(self, domain: str, looked_up_at: dt.datetime, registered: dt.date | None) -> None:
        self._db.execute(
            "INSERT INTO domain_registrations (domain, looked_up_at, registered) VALUES (?, ?, ?)"
            " ON CONFLICT(domain) DO UPDATE SET looked_up_at = excluded.looked_up_at, registered = excluded.registered",
            (domain, _iso(looked_up_at), registered.isoformat() if registered else None),
        )

    def found_copies(self, urls: list[str]) -> dict[str, ArchivedCopy]:
        """The most recently found copy of each URL that has one, whatever its target date."""
        found: dict[str, ArchivedCopy] = {}
        for batch, marks in _batches(urls):
            rows = self._db.execute(
                f"SELECT url, copy FROM archived_copies WHERE status = 'found' AND url IN ({marks})"
                " ORDER BY looked_up_at",
                batch,
            )
            for url, copy in rows:  # oldest first: the latest wins
                found[url] = archived_copy_from_dict(json.loads(copy))
        return found

    def last_submission(self, url: str) -> tuple[dt.datetime, str] | None:
        """When a URL was last submitted to Save Page Now, and how that ended."""
        row = self._db.execute("SELECT submitted_at, status FROM archive_submissions WHERE url = ?", (url,)).fetchone()
        return (dt.datetime.fromisoformat(row[0]), row[1]) if row else None

    def record_submission(
        self, url: str, submitted_at: dt.datetime, status: str, job_id: str | None, detail: str | None
    ) -> None:
        self._db.execute(
            "INSERT INTO archive_submissions (url, submitted_at, status, job_id, detail) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET submitted_at = excluded.submitted_at, status = excluded.status,"
            " job_id = excluded.job_id, detail = excluded.detail",
            (url, _iso(submitted_at), status, job_id, detail),
        )

    def timeline(self, url: str) -> list[TimelineEntry]:
        """Every check and capture of a URL, oldest first."""
        entries = [
            TimelineEntry(row[0], "check", row[1], row[2], json.loads(row[3]).get("error"))
            for row in self._db.execute(
                "SELECT checked_at, verdict, status, result FROM checks WHERE url = ? ORDER BY checked_at, id", (url,)
            )
        ]
        entries += [
            TimelineEntry(
                row[0], "capture", None, None, f"{row[1]} (sha256 {str(row[2])[:12]}…) {row[3] or ''}".strip()
            )
            for row in self._db.execute(
                "SELECT captured_at, warc, sha256, page FROM snapshots WHERE url = ? ORDER BY captured_at", (url,)
            )
        ]
        return sorted(entries, key=lambda entry: entry.at)

    def summary(self, policy: DeathPolicy) -> dict[str, Any]:
        """Counts for `linkcheck status` (confirmed dead by the one rule in history.py)."""
        one = self._db.execute
        failing = one(
            f"SELECT {_STATE_COLUMNS} FROM url_state s WHERE s.failure_streak >= ?", (policy.dead_after_failures,)
        )
        verdicts = dict(
            one("SELECT last_verdict, COUNT(*) FROM url_state GROUP BY last_verdict ORDER BY 2 DESC").fetchall()
        )
        return {
            "schema_version": self.schema_version,
            "runs": one("SELECT COUNT(*) FROM runs").fetchone()[0],
            "last_run": one("SELECT MAX(started_at) FROM runs").fetchone()[0],
            "articles": one("SELECT COUNT(*) FROM articles").fetchone()[0],
            "citations": one("SELECT COUNT(*) FROM citations WHERE retired_run IS NULL").fetchone()[0],
            "retired_citations": one("SELECT COUNT(*) FROM citations WHERE retired_run IS NOT NULL").fetchone()[0],
            "urls": one("SELECT COUNT(*) FROM url_state").fetchone()[0],
            "verdicts": verdicts,
            "confirmed_dead": sum(is_confirmed_dead(_state_from_row(row), policy) for row in failing),
            "oldest_check": one("SELECT MIN(last_checked_at) FROM url_state").fetchone()[0],
            "unchecked_urls": one(
                "SELECT COUNT(DISTINCT c.normalized_url) FROM citations c LEFT JOIN url_state s"
                " ON s.url = c.normalized_url WHERE c.retired_run IS NULL AND c.normalized_url IS NOT NULL"
                " AND c.normalized_url LIKE 'http%' AND s.url IS NULL"
            ).fetchone()[0],
        }

    def runs(self) -> Iterator[tuple[int, str, str | None, bool, str | None]]:
        """(id, started, finished, interrupted, failure) of every run, oldest first."""
        query = "SELECT id, started_at, finished_at, interrupted, failure FROM runs ORDER BY id"
        for row in self._db.execute(query):
            yield int(row[0]), row[1], row[2], bool(row[3]), row[4]

    # --- export (`linkcheck export`) ---

    def has_run(self, run_id: int) -> bool:
        return self._db.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is not None

    def cited_urls(self, source: str, run_id: int | None = None) -> list[str] | None:
        """The normalized URLs an article cites, in its order (None: no such article): its citations now,
        or with `run_id` those it had during that run."""
        row = self._db.execute("SELECT id FROM articles WHERE source = ?", (source,)).fetchone()
        if row is None:
            return None
        if run_id is None:
            query = "SELECT normalized_url FROM citations WHERE article_id = ? AND retired_run IS NULL"
            rows = self._db.execute(query + " ORDER BY position, id", (row[0],))
        else:
            query = (
                "SELECT normalized_url FROM citations WHERE article_id = ? AND first_run <= ?"
                " AND (retired_run IS NULL OR retired_run > ?)"
            )
            rows = self._db.execute(query + " ORDER BY position, id", (row[0], run_id, run_id))
        return list(dict.fromkeys(url for (url,) in rows if url))

    def snapshots(self, run_id: int | None = None, urls: list[str] | None = None) -> list[tuple[str, Snapshot]]:
        """(url, snapshot) of the captures a run made, or of these URLs, or both; oldest first."""
        where: list[str] = []
        values: list[int] = []
        if run_id is not None:
            where.append("run_id = ?")
            values.append(run_id)
        query = "SELECT url, warc, sha256, captured_at, page, record_id, warc_offset, requisites FROM snapshots"
        found: list[tuple[str, Snapshot]] = []
        batches = _batches(urls) if urls is not None else iter([([], "")])
        for batch, marks in batches:
            clauses = where + ([f"url IN ({marks})"] if urls is not None else [])
            sql = query + (" WHERE " + " AND ".join(clauses) if clauses else "")
            for row in self._db.execute(sql, [*values, *batch]):
                found.append((row[0], _snapshot_from_row(row)))
        return sorted(found, key=lambda item: (item[1].captured_at, item[0]))


def _requisites_text(requisites: Requisites | None) -> str | None:
    if requisites is None:
        return None
    return f"{requisites.captured},{requisites.refused},{int(requisites.cut)}"


def _snapshot_from_row(row: tuple[Any, ...]) -> Snapshot:
    """A snapshot from (url, warc, sha256, captured_at, page, record_id, warc_offset, requisites)."""
    requisites = None
    if row[7]:
        captured, refused, cut = (int(part) for part in row[7].split(","))
        requisites = Requisites(captured, refused, bool(cut))
    return Snapshot(row[1], row[2], row[3], row[4], row[5], row[6], requisites)
