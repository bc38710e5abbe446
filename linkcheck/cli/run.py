"""`linkcheck run`, `harvest` and `report`: the main job, a dry harvest, and reports of a past run."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from linkcheck.cli.app import (
    ConfigOpt,
    FilesFromOpt,
    OfflineOpt,
    SourcesArg,
    app,
    env_of,
    existing_store,
    fail,
    settings_of,
    state_store,
)
from linkcheck.cli.flags import CHECK_FLAGS, REQUEST_FLAGS, SettingFlags, setting_flags
from linkcheck.cli.terminal import paint, summary_lines
from linkcheck.environment import Environment
from linkcheck.exitcodes import ExitCode
from linkcheck.gate import exit_code, known_findings, run_problem
from linkcheck.models import Article, RunResult
from linkcheck.printable import visible, visible_json
from linkcheck.settings import Settings
from linkcheck.urls import is_url_source

QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log each request.")]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Recheck every URL, even those checked recently ([state] recheck_after).")
]
WaitOpt = Annotated[
    float,
    typer.Option(
        "--wait", metavar="SECONDS", help="Seconds to wait for another run on the same state store to finish."
    ),
]
BaselineOpt = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads the annotation at runtime
    typer.Option(
        "--baseline",
        metavar="REPORT.JSON",
        help="An earlier report.json: only findings it did not have make the exit code 1.",
    ),
]
NewOnlyOpt = Annotated[
    bool, typer.Option("--new-only", help="Like --baseline, against the state store's previous run.")
]


UrlOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer reads the annotation at runtime
    typer.Option(
        "--url",
        metavar="URL",
        help="The address the saved page SOURCE was published at: its relative links and the date in "
        "its address are read against it.",
    ),
]


@app.command()
@setting_flags(*CHECK_FLAGS)
def run(
    ctx: typer.Context,
    sources: SourcesArg = None,
    config: ConfigOpt = None,
    files_from: FilesFromOpt = None,
    url: UrlOpt = None,
    offline: OfflineOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    force: ForceOpt = False,
    wait: WaitOpt = 0.0,
    baseline: BaselineOpt = None,
    new_only: NewOnlyOpt = False,
    *,
    flags: SettingFlags,
) -> None:
    """Harvest citations from SOURCES, check every cited URL, and write the report.

    Exit code 0: nothing at or above fail_on; 1: findings at or above it; 2: the tool could not do its
    job (usage, configuration or input errors, a file-system fault, an interrupted run, or no cited URL
    reachable); the report of what was gathered is still written.

    Examples:

    \b
      linkcheck run articles/ --format html
      linkcheck run 'articles/**/*.md' --exclude 'twitter\\.com' --accept 200..=299,403
      find . -name '*.md' | linkcheck run --files-from -
      linkcheck run articles/ --offline --fail-on warning
    """
    env = env_of(ctx)
    settings = settings_of(config, env, flags)
    chosen = _sources(sources, files_from, env)
    _check_page_url(url, chosen, env)
    options = RunOptions(quiet, verbose, force, wait, baseline, new_only, offline, page_url=url)
    check_and_report(env, settings, chosen, (), options)


def _check_page_url(url: str | None, sources: list[str], env: Environment) -> None:
    """--url names the address of one saved page: one file (or -), and an http(s) address."""
    if url is None:
        return
    if not is_url_source(url):
        raise fail(env, f"--url {url!r}: not an http(s):// address")
    if len(sources) != 1 or is_url_source(sources[0]):
        raise fail(env, "--url is the address of one saved page: give exactly one file (or -) as SOURCE")


@dataclass(frozen=True)
class RunOptions:
    """How `run` and `check` go about their job, beside the configuration."""

    quiet: bool = False
    verbose: bool = False
    force: bool = False
    wait: float = 0.0
    baseline: Path | None = None
    new_only: bool = False
    offline: bool = False
    page_url: str | None = None  # --url: where the one saved SOURCE was published


def check_and_report(
    env: Environment, settings: Settings, sources: list[str], given: Sequence[Article], options: RunOptions
) -> NoReturn:
    """The job of `run` and `check`: harvest, check, report, print, and exit with the run's code."""
    from linkcheck.cli.progress import CheckProgress  # rich, and the whole pipeline: loaded when a run starts
    from linkcheck.pipeline import publish
    from linkcheck.pipeline import run as run_pipeline

    state_off = options.offline or not settings.state.enabled
    if options.new_only and state_off:
        why = "this run is offline" if options.offline else "the state store is off"
        raise fail(env, f"--new-only compares with the state store's previous run, and {why}")
    known = _baseline_findings(options.baseline, settings, env) if options.baseline else None
    if options.verbose:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=env.stderr)
        logging.getLogger("urllib3").setLevel(logging.WARNING)
    with state_store(settings, env, options.wait, disabled=state_off) as store:
        shown = not options.quiet and not options.verbose and env.stderr_is_terminal and not options.offline
        with CheckProgress(env.stderr, shown) as progress:
            result = run_pipeline(
                sources,
                settings,
                env,
                progress=progress,
                store=store,
                force=options.force,
                given=given,
                offline=options.offline,
                page_url=options.page_url,
            )
        if options.new_only and store is not None and result.run_id is not None:
            previous = store.previous_run_report(result.run_id)
            known = known_findings(previous, settings.report.fail_on, settings.verdicts) if previous else set()
        paths = publish(result, settings, env, store, known)
    _print_outcome(result, settings, env, paths, known, options.quiet)
    problem = run_problem(result)
    if problem is not None:
        raise fail(env, problem)
    # An unreadable source outranks findings: the run could not look at everything.
    code = exit_code(result, settings.report.fail_on, settings.verdicts, known)
    raise typer.Exit(ExitCode.ERROR if result.errors else code)


def _sources(sources: list[str] | None, files_from: str | None, env: Environment) -> list[str]:
    """The SOURCE arguments, then those of the --files-from list; exit 2 when there are none."""
    chosen = list(sources or ())
    if files_from is not None:
        if files_from == "-" and "-" in chosen:
            raise fail(env, "standard input cannot be both the --files-from list and a SOURCE")
        try:
            raw = env.stdin.read() if files_from == "-" else env.resolve(files_from).read_bytes()
            from linkcheck.sources import read_source_list  # it reads pages: lxml, loaded when used

            chosen += read_source_list(raw.decode("utf-8-sig"))
        except OSError as exc:
            raise fail(env, f"--files-from {files_from}: cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise fail(env, f"--files-from {files_from}: not UTF-8 text") from None
    if not chosen:
        where = f" ({files_from} lists none)" if files_from is not None else ""
        raise fail(env, f"no SOURCE given{where}: name files, folders, globs or URLs, or use --files-from FILE")
    return chosen


def _print_outcome(
    result: RunResult,
    settings: Settings,
    env: Environment,
    paths: list[Path],
    known: set[tuple[str, str]] | None,
    quiet: bool,
) -> None:
    """The terminal summary, GitHub annotations (even with --quiet) and the job summary."""
    from linkcheck.pipeline import report_options
    from linkcheck.reports.annotations import annotation_lines
    from linkcheck.reports.markdown import append_job_summary
    from linkcheck.reports.markdown import render as render_markdown

    options = report_options(settings, env, known)
    for line in annotation_lines(result, options, env.environ):
        env.say(line)
    if env.environ.get("GITHUB_STEP_SUMMARY"):  # rendered only for a job summary to append it to
        append_job_summary(render_markdown(result, options), env.environ)
    if quiet:
        return
    colour = env.stdout_is_terminal
    for line in summary_lines(result, settings.report.fail_on, settings.verdicts, settings.state.dead_after_failures):
        shown = visible(line)
        print(paint(shown) if colour else shown, file=env.stdout)
    fresh = options.new_findings(result)
    if fresh is not None:
        env.say(f"{len(fresh)} new findings since the baseline (only these set the exit code)")
        for source, checked in fresh:
            env.say(f"  new  {checked.citation.url}  ({source}: {checked.result.verdict.value})")
    env.say("reports: " + ", ".join(str(path) for path in paths))


def _baseline_findings(path: Path, settings: Settings, env: Environment) -> set[tuple[str, str]]:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        return known_findings(report, settings.report.fail_on, settings.verdicts)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise fail(env, f"{path}: not a usable baseline report.json: {exc}") from None


@app.command("harvest")
@setting_flags("exclude", "include", *REQUEST_FLAGS)
def harvest_command(
    ctx: typer.Context,
    sources: SourcesArg = None,
    config: ConfigOpt = None,
    files_from: FilesFromOpt = None,
    url: UrlOpt = None,
    offline: OfflineOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    *,
    flags: SettingFlags,
) -> None:
    """List the citations found in SOURCES without checking them (what a run would check; URLs left
    out by exclude patterns are marked). Online articles are fetched unless --offline.

    Examples:

    \b
      linkcheck harvest article.html
      linkcheck harvest 'articles/**/*.md' --exclude 'twitter\\.com' --offline
      linkcheck harvest https://example.org/2021/08/story --json
    """
    from linkcheck.check import Fetcher
    from linkcheck.pipeline import exclusion, harvest_sources
    from linkcheck.serialize import harvest_json

    env = env_of(ctx)
    settings = settings_of(config, env, flags)
    chosen = _sources(sources, files_from, env)
    _check_page_url(url, chosen, env)
    fetcher = None if offline else Fetcher(settings, now=env.now, environ=env.environ)
    try:
        gathered = harvest_sources(chosen, settings, env, fetcher, page_url=url)
    finally:
        if fetcher is not None:
            fetcher.close()
    if as_json:
        print(visible_json(harvest_json(gathered.articles, gathered.errors)), file=env.stdout)
    else:
        for article in gathered.articles:
            published = article.published.isoformat() if article.published else "date unknown"
            env.say(f"{article.source}  ({published}, from {article.published_from or '-'})")
            if article.title:
                env.say(f"  {article.title}")
            for citation in article.citations:
                where = f"{citation.line}" if citation.line else "-"
                why = citation.skip_reason or citation.invalid_reason or exclusion(citation, settings)
                note = f"  [{why}]" if why else ""
                env.say(f"  {where:>5}  {citation.url}{note}")
    raise typer.Exit(ExitCode.ERROR if gathered.errors else ExitCode.OK)


@app.command("report")
def report_command(
    ctx: typer.Context,
    config: ConfigOpt = None,
    run_id: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--run", metavar="N", help="The run's number (default: the latest finished run)."),
    ] = None,
    formats: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="Format to write, repeatable (default: [report] formats)."
        ),
    ] = None,
    out: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--out", "-o", metavar="DIR", help="Folder for the reports (default: [report] dir)."),
    ] = None,
) -> None:
    """Write the reports of a past run again, from the state store, without fetching anything.

    Example:

    \b
      linkcheck report --run 12 --format html --out old-report/
    """
    from linkcheck.pipeline import publish
    from linkcheck.reports import json_report

    env = env_of(ctx)
    settings = settings_of(config, env, SettingFlags(out=out, formats=formats))
    with existing_store(settings, env) as store:
        stored = store.run_report(run_id)
    if stored is None:
        raise fail(env, f"no stored report for run {run_id if run_id is not None else '(latest)'}")
    result = json_report.load(stored[1])
    paths = publish(result, settings, env, None)
    env.say(f"run {stored[0]}: " + ", ".join(str(path) for path in paths))
