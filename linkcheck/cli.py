"""The `linkcheck` command: options -> Settings -> pipeline -> exit code. No logic of its own."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from linkcheck import __version__
from linkcheck.archive import Archive, list_captures, reindex, show_capture
from linkcheck.check import Fetcher
from linkcheck.environment import Environment
from linkcheck.errors import LinkcheckError
from linkcheck.exitcodes import ExitCode
from linkcheck.gate import exit_code, known_findings, new_findings
from linkcheck.models import RunResult
from linkcheck.pipeline import harvest_sources, open_archive, publish, report_options
from linkcheck.pipeline import run as run_pipeline
from linkcheck.reports import json_report
from linkcheck.reports.annotations import annotation_lines
from linkcheck.reports.markdown import append_job_summary
from linkcheck.reports.markdown import render as render_markdown
from linkcheck.serialize import article_to_dict
from linkcheck.settings import Settings, load_settings, with_overrides
from linkcheck.state.history import DeathPolicy
from linkcheck.state.lock import RunLock
from linkcheck.state.store import Store
from linkcheck.summary import paint, summary_lines
from linkcheck.urls import InvalidURL, normalize_url

app = typer.Typer(
    name="linkcheck",
    help=(
        "Keep the citations in published articles honest.\n\n"
        "linkcheck reads articles (text, HTML, Markdown, PDF, or an article's URL), finds the links "
        "they cite, checks that each still answers, and writes a report. "
        "Start with:  linkcheck run examples/"
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Tests replace this to run the CLI in-process with their own stdin, stdout and clock.
ENVIRONMENT: Environment | None = None

SourcesArg = Annotated[
    list[str],
    typer.Argument(
        help="Articles to read: files (.txt .html .htm .md .pdf), folders (searched recursively), "
        "http(s):// URLs of online articles, or - for text on standard input.",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer reads the annotation at runtime
    typer.Option("--config", "-c", help="Configuration file (default: $LINKCHECK_CONFIG, else ./config.toml)."),
]


def _env() -> Environment:
    return ENVIRONMENT or Environment()


def _settings(config: str | None, env: Environment) -> Settings:
    try:
        return load_settings(config, env.environ, env.cwd)
    except LinkcheckError as exc:
        env.warn(f"linkcheck: {exc}")
        raise typer.Exit(ExitCode.ERROR) from None


def _state_path(settings: Settings, env: Environment) -> Path:
    path = Path(settings.state.path)
    return path if path.is_absolute() else env.cwd / path


@contextmanager
def _state_store(settings: Settings, env: Environment, wait: float, disabled: bool = False) -> Iterator[Store | None]:
    """The state store, opened under the run lock; None when state is off."""
    if disabled or not settings.state.enabled:
        yield None
        return
    path = _state_path(settings, env)
    with RunLock(path, wait):
        store = Store.open(path)
        try:
            yield store
        finally:
            store.close()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"linkcheck {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Keep the citations in published articles honest."""


@app.command()
def run(
    sources: SourcesArg,
    config: ConfigOpt = None,
    out: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--out", "-o", help="Folder for report.json (default: [report] dir)."),
    ] = None,
    fail_on: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--fail-on", help="Exit 1 when a finding is at or above: error, warning, info, never."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each request.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Recheck every URL, even those checked recently ([state] recheck_after).")
    ] = False,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to wait for another run on the same state store to finish.")
    ] = 0.0,
    no_state: Annotated[
        bool, typer.Option("--no-state", help="Neither read nor write the state store: a one-off check.")
    ] = False,
    baseline: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--baseline", help="An earlier report.json: only findings it did not have make the exit code 1."),
    ] = None,
    new_only: Annotated[
        bool, typer.Option("--new-only", help="Like --baseline, against the state store's previous run.")
    ] = False,
    formats: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            help="Report format to write, repeatable: json, md, html, junit, sarif, csv (default: [report] formats).",
        ),
    ] = None,
) -> None:
    """Harvest citations from SOURCES, check every cited URL, and write the report.

    Exit code 0: nothing at or above fail_on; 1: findings at or above it; 2: usage,
    configuration or input errors (the report is still written for the readable sources).
    """
    env = _env()
    settings = _settings(config, env)
    try:
        report = {"fail_on": fail_on, "dir": str(out) if out else None, "formats": tuple(formats) if formats else None}
        settings = with_overrides(settings, report=report)
    except LinkcheckError as exc:
        env.warn(f"linkcheck: {exc}")
        raise typer.Exit(ExitCode.ERROR) from None
    if new_only and (no_state or not settings.state.enabled):
        env.warn("linkcheck: --new-only compares with the state store's previous run, and the state store is off")
        raise typer.Exit(ExitCode.ERROR)
    known = _baseline_findings(baseline, settings, env) if baseline else None
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=env.stderr)
        logging.getLogger("urllib3").setLevel(logging.WARNING)
    try:
        with _state_store(settings, env, wait, disabled=no_state) as store:
            progress = not quiet and not verbose
            result = run_pipeline(sources, settings, env, show_progress=progress, store=store, force=force)
            paths = publish(result, settings, env, store)
            if new_only and store is not None and result.run_id is not None:
                previous = store.previous_run_report(result.run_id)
                known = known_findings(previous, settings.report.fail_on, settings.verdicts) if previous else set()
    except LinkcheckError as exc:
        env.warn(f"linkcheck: {exc}")
        raise typer.Exit(ExitCode.ERROR) from None
    _print_outcome(result, settings, env, paths, known, quiet)
    # An unreadable source outranks findings: the run could not look at everything.
    code = exit_code(result, settings.report.fail_on, settings.verdicts, known)
    raise typer.Exit(ExitCode.ERROR if result.errors else code)


def _print_outcome(
    result: RunResult,
    settings: Settings,
    env: Environment,
    paths: list[Path],
    known: set[tuple[str, str]] | None,
    quiet: bool,
) -> None:
    """The terminal summary, GitHub annotations (even with --quiet) and the job summary."""
    options = report_options(settings, env)
    for line in annotation_lines(result, options, env.environ):
        print(line, file=env.stdout)
    append_job_summary(render_markdown(result, options), env.environ)
    if quiet:
        return
    colour = env.stdout_is_terminal
    for line in summary_lines(result, settings.report.fail_on, settings.verdicts, settings.state.dead_after_failures):
        print(paint(line) if colour else line, file=env.stdout)
    if known is not None:
        fresh = new_findings(result, settings.report.fail_on, settings.verdicts, known)
        print(f"{len(fresh)} new findings since the baseline (only these set the exit code)", file=env.stdout)
    print("reports: " + ", ".join(str(path) for path in paths), file=env.stdout)


def _baseline_findings(path: Path, settings: Settings, env: Environment) -> set[tuple[str, str]]:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        return known_findings(report, settings.report.fail_on, settings.verdicts)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        env.warn(f"linkcheck: {path}: not a usable baseline report.json: {exc}")
        raise typer.Exit(ExitCode.ERROR) from None


@app.command("harvest")
def harvest_command(
    sources: SourcesArg,
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the citations found in SOURCES without checking them."""
    env = _env()
    settings = _settings(config, env)
    fetcher = Fetcher(settings, now=env.now)
    try:
        gathered = harvest_sources(sources, settings, env, fetcher)
    finally:
        fetcher.close()
    if as_json:
        data = {
            "articles": [article_to_dict(a) for a in gathered.articles],
            "errors": [{"source": e.source, "message": e.message} for e in gathered.errors],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2), file=env.stdout)
    else:
        for article in gathered.articles:
            published = article.published.isoformat() if article.published else "date unknown"
            print(f"{article.source}  ({published}, from {article.published_from or '-'})", file=env.stdout)
            if article.title:
                print(f"  {article.title}", file=env.stdout)
            for citation in article.citations:
                where = f"{citation.line}" if citation.line else "-"
                note = (
                    f"  [{citation.skip_reason or citation.invalid_reason}]"
                    if citation.skip_reason or citation.invalid_reason
                    else ""
                )
                print(f"  {where:>5}  {citation.url}{note}", file=env.stdout)
    raise typer.Exit(ExitCode.ERROR if gathered.errors else ExitCode.OK)


@app.command("report")
def report_command(
    config: ConfigOpt = None,
    run_id: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--run", help="The run's number (default: the latest finished run)."),
    ] = None,
    formats: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--format", "-f", help="Format to write, repeatable (default: [report] formats)."),
    ] = None,
    out: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--out", "-o", help="Folder for the reports (default: [report] dir)."),
    ] = None,
) -> None:
    """Write the reports of a past run again, from the state store, without fetching anything."""
    env = _env()
    settings = _settings(config, env)
    try:
        report = {"dir": str(out) if out else None, "formats": tuple(formats) if formats else None}
        settings = with_overrides(settings, report=report)
    except LinkcheckError as exc:
        env.warn(f"linkcheck: {exc}")
        raise typer.Exit(ExitCode.ERROR) from None
    with _open_existing_store(settings, env) as store:
        stored = store.run_report(run_id)
    if stored is None:
        env.warn(f"linkcheck: no stored report for run {run_id if run_id is not None else '(latest)'}")
        raise typer.Exit(ExitCode.ERROR)
    result = json_report.load(stored[1])
    paths = publish(result, settings, env, None)
    print(f"run {stored[0]}: " + ", ".join(str(path) for path in paths), file=env.stdout)


archive_app = typer.Typer(help="Look into the local archive of captured pages.", no_args_is_help=True)
app.add_typer(archive_app, name="archive")


def _archive_root(settings: Settings, env: Environment) -> Path:
    root = Path(settings.snapshot.dir)
    return root if root.is_absolute() else env.cwd / root


@app.command()
def snapshot(
    urls: Annotated[list[str], typer.Argument(help="URLs to capture now.", show_default=False)],
    config: ConfigOpt = None,
) -> None:
    """Capture pages into the archive now (WARC and a readable copy), without an article."""
    env = _env()
    settings = _settings(config, env)
    fetcher = Fetcher(settings, now=env.now)
    failed = False
    try:
        with open_archive(settings, env) or _no_archive(env) as archive:
            for url in urls:
                try:
                    key = normalize_url(url)
                except InvalidURL as exc:
                    env.warn(f"linkcheck: {url}: {exc}")
                    failed = True
                    continue
                capture = archive.capture(fetcher.fetch(key))
                if capture.snapshot is None:
                    print(f"{key}: not captured: {capture.skipped_reason}", file=env.stdout)
                    continue
                kept = capture.snapshot
                print(f"{key}: {kept.page} ({kept.warc} @ {kept.offset})", file=env.stdout)
                if capture.drift:
                    print(
                        f"  text changed since {capture.drift.previous_captured_at}:"
                        f" {capture.drift.similarity:.0%} alike",
                        file=env.stdout,
                    )
    except LinkcheckError as exc:
        env.warn(f"linkcheck: {exc}")
        raise typer.Exit(ExitCode.ERROR) from None
    finally:
        fetcher.close()
    raise typer.Exit(ExitCode.ERROR if failed else ExitCode.OK)


def _no_archive(env: Environment) -> Archive:
    env.warn("linkcheck: snapshots are off ([snapshot] enabled = false)")
    raise typer.Exit(ExitCode.ERROR)


@archive_app.command("list")
def archive_list(
    url: Annotated[Optional[str], typer.Argument(help="Only this URL's captures.")] = None,  # noqa: UP045
    config: ConfigOpt = None,
) -> None:
    """List captures (all, or one URL's), oldest first."""
    env = _env()
    settings = _settings(config, env)
    for entry in list_captures(_archive_root(settings, env), url):
        status = entry.status if entry.status is not None else "-"
        print(
            f"{entry.timestamp}  {status!s:>3}  {entry.mime or '-':<24}  {entry.url}  {entry.filename}:{entry.offset}",
            file=env.stdout,
        )


@archive_app.command("show")
def archive_show(
    url: Annotated[str, typer.Argument(help="A captured URL.")],
    at: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--at", help="A capture time or its prefix (2025, 2025-03-14, 20250314120000)."),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Where a capture is: its readable copy and its WARC record (latest, or the one at --at)."""
    env = _env()
    settings = _settings(config, env)
    root = _archive_root(settings, env)
    entry = show_capture(root, url, at)
    if entry is None:
        env.warn(f"linkcheck: no capture of {url}" + (f" at {at}" if at else ""))
        raise typer.Exit(ExitCode.ERROR)
    page = entry.page_path(root)
    print(f"url: {entry.url}", file=env.stdout)
    print(f"captured: {entry.timestamp}", file=env.stdout)
    print(f"readable copy: {page if page else '-'}", file=env.stdout)
    print(f"warc: {entry.warc_path(root)} offset {entry.offset} length {entry.length}", file=env.stdout)


@archive_app.command("reindex")
def archive_reindex(config: ConfigOpt = None) -> None:
    """Rebuild the archive's index from its WARC files."""
    env = _env()
    settings = _settings(config, env)
    count = reindex(_archive_root(settings, env))
    print(f"indexed {count} records", file=env.stdout)


@app.command()
def history(
    url: Annotated[str, typer.Argument(help="A cited URL (normalized the same way as in runs).")],
    config: ConfigOpt = None,
) -> None:
    """Print the timeline of checks and captures of one URL from the state store."""
    env = _env()
    settings = _settings(config, env)
    try:
        key = normalize_url(url)
    except InvalidURL as exc:
        env.warn(f"linkcheck: {url}: {exc}")
        raise typer.Exit(ExitCode.ERROR) from None
    with _open_existing_store(settings, env) as store:
        entries = store.timeline(key)
    if not entries:
        print(f"{key}: never checked", file=env.stdout)
        raise typer.Exit(ExitCode.OK)
    print(key, file=env.stdout)
    for entry in entries:
        if entry.kind == "check":
            status = entry.status if entry.status is not None else "-"
            detail = f"  {entry.detail}" if entry.detail else ""
            print(f"  {entry.at}  check    {entry.verdict:<13} {status}{detail}", file=env.stdout)
        else:
            print(f"  {entry.at}  capture  {entry.detail}", file=env.stdout)


@app.command()
def status(
    config: ConfigOpt = None, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Summarise the state store: articles, URLs, verdicts, confirmed dead, oldest check."""
    env = _env()
    settings = _settings(config, env)
    with _open_existing_store(settings, env) as store:
        summary = store.summary(DeathPolicy(settings.state.dead_after_failures, settings.state.dead_after_days))
    if as_json:
        print(json.dumps(summary, indent=2), file=env.stdout)
        return
    print(f"state store: {_state_path(settings, env)} (schema {summary['schema_version']})", file=env.stdout)
    print(f"runs: {summary['runs']} (last started {summary['last_run'] or 'never'})", file=env.stdout)
    print(
        f"articles: {summary['articles']}, citations: {summary['citations']}"
        f" (+{summary['retired_citations']} retired), URLs: {summary['urls']}",
        file=env.stdout,
    )
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in summary["verdicts"].items()) or "none"
    print(f"latest verdicts: {verdicts}", file=env.stdout)
    print(f"confirmed dead: {summary['confirmed_dead']}", file=env.stdout)
    print(
        f"oldest check: {summary['oldest_check'] or '-'}; never checked: {summary['unchecked_urls']}", file=env.stdout
    )


@contextmanager
def _open_existing_store(settings: Settings, env: Environment) -> Iterator[Store]:
    path = _state_path(settings, env)
    if not path.exists():
        env.warn(f"linkcheck: no state store at {path} yet: run `linkcheck run` first")
        raise typer.Exit(ExitCode.ERROR)
    try:
        store = Store.open(path)
    except LinkcheckError as exc:
        env.warn(f"linkcheck: {exc}")
        raise typer.Exit(ExitCode.ERROR) from None
    try:
        yield store
    finally:
        store.close()


def main() -> None:
    app(prog_name="linkcheck")
