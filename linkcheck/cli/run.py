"""`linkcheck run`, `harvest` and `report`: the main job, a dry harvest, and reports of a past run."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Optional

import typer

from linkcheck.check import Fetcher
from linkcheck.cli.app import ConfigOpt, SourcesArg, app, env_of, existing_store, fail, settings_of, state_store
from linkcheck.cli.progress import CheckProgress
from linkcheck.cli.terminal import paint, summary_lines
from linkcheck.environment import Environment
from linkcheck.exitcodes import ExitCode
from linkcheck.gate import exit_code, known_findings, run_problem
from linkcheck.models import RunResult
from linkcheck.pipeline import harvest_sources, publish, report_options
from linkcheck.pipeline import run as run_pipeline
from linkcheck.printable import visible, visible_json
from linkcheck.reports import json_report
from linkcheck.reports.annotations import annotation_lines
from linkcheck.reports.markdown import append_job_summary
from linkcheck.reports.markdown import render as render_markdown
from linkcheck.serialize import article_to_dict
from linkcheck.settings import Settings, with_overrides
from linkcheck.urls import is_url_source


@app.command()
def run(
    ctx: typer.Context,
    sources: SourcesArg,
    config: ConfigOpt = None,
    out: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--out", "-o", metavar="DIR", help="Folder for report.json (default: [report] dir)."),
    ] = None,
    fail_on: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--fail-on", metavar="LEVEL", help="Exit 1 when a finding is at or above: error, warning, info, never."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each request.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Recheck every URL, even those checked recently ([state] recheck_after).")
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait", metavar="SECONDS", help="Seconds to wait for another run on the same state store to finish."
        ),
    ] = 0.0,
    no_state: Annotated[
        bool, typer.Option("--no-state", help="Neither read nor write the state store: a one-off check.")
    ] = False,
    baseline: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--baseline",
            metavar="REPORT.JSON",
            help="An earlier report.json: only findings it did not have make the exit code 1.",
        ),
    ] = None,
    new_only: Annotated[
        bool, typer.Option("--new-only", help="Like --baseline, against the state store's previous run.")
    ] = False,
    formats: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="Report format to write, repeatable: json, md, html, junit, sarif, csv (default: [report] formats).",
        ),
    ] = None,
    url: UrlOpt = None,
) -> None:
    """Harvest citations from SOURCES, check every cited URL, and write the report.

    Exit code 0: nothing at or above fail_on; 1: findings at or above it; 2: the tool could not do its
    job (usage, configuration or input errors, a file-system fault, an interrupted run, or no cited URL
    reachable); the report of what was gathered is still written.
    """
    env = env_of(ctx)
    _check_page_url(url, sources, env)
    report = {"fail_on": fail_on, "dir": str(out) if out else None, "formats": tuple(formats) if formats else None}
    settings = with_overrides(settings_of(config, env), report=report)
    if new_only and (no_state or not settings.state.enabled):
        raise fail(env, "--new-only compares with the state store's previous run, and the state store is off")
    known = _baseline_findings(baseline, settings, env) if baseline else None
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=env.stderr)
        logging.getLogger("urllib3").setLevel(logging.WARNING)
    with state_store(settings, env, wait, disabled=no_state) as store:
        shown = not quiet and not verbose and env.stderr_is_terminal
        with CheckProgress(env.stderr, shown) as progress:
            result = run_pipeline(sources, settings, env, progress=progress, store=store, force=force, page_url=url)
        if new_only and store is not None and result.run_id is not None:
            previous = store.previous_run_report(result.run_id)
            known = known_findings(previous, settings.report.fail_on, settings.verdicts) if previous else set()
        paths = publish(result, settings, env, store, known)
    _print_outcome(result, settings, env, paths, known, quiet)
    problem = run_problem(result)
    if problem is not None:
        raise fail(env, problem)
    # An unreadable source outranks findings: the run could not look at everything.
    code = exit_code(result, settings.report.fail_on, settings.verdicts, known)
    raise typer.Exit(ExitCode.ERROR if result.errors else code)


UrlOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer reads the annotation at runtime
    typer.Option(
        "--url",
        metavar="URL",
        help="The address the saved page SOURCE was published at: its relative links and the date in "
        "its address are read against it.",
    ),
]


def _check_page_url(url: str | None, sources: list[str], env: Environment) -> None:
    """--url names the address of one saved page: one file (or -), and an http(s) address."""
    if url is None:
        return
    if not is_url_source(url):
        raise fail(env, f"--url {url!r}: not an http(s):// address")
    if len(sources) != 1 or is_url_source(sources[0]):
        raise fail(env, "--url is the address of one saved page: give exactly one file (or -) as SOURCE")


def _print_outcome(
    result: RunResult,
    settings: Settings,
    env: Environment,
    paths: list[Path],
    known: set[tuple[str, str]] | None,
    quiet: bool,
) -> None:
    """The terminal summary, GitHub annotations (even with --quiet) and the job summary."""
    options = report_options(settings, env, known)
    for line in annotation_lines(result, options, env.environ):
        env.say(line)
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
def harvest_command(
    ctx: typer.Context,
    sources: SourcesArg,
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    url: UrlOpt = None,
) -> None:
    """List the citations found in SOURCES without checking them."""
    env = env_of(ctx)
    _check_page_url(url, sources, env)
    settings = settings_of(config, env)
    fetcher = Fetcher(settings, now=env.now, environ=env.environ)
    try:
        gathered = harvest_sources(sources, settings, env, fetcher, page_url=url)
    finally:
        fetcher.close()
    if as_json:
        data = {
            "articles": [article_to_dict(a) for a in gathered.articles],
            "errors": [{"source": e.source, "message": e.message} for e in gathered.errors],
        }
        print(visible_json(json.dumps(data, ensure_ascii=False, indent=2)), file=env.stdout)
    else:
        for article in gathered.articles:
            published = article.published.isoformat() if article.published else "date unknown"
            env.say(f"{article.source}  ({published}, from {article.published_from or '-'})")
            if article.title:
                env.say(f"  {article.title}")
            for citation in article.citations:
                where = f"{citation.line}" if citation.line else "-"
                why = citation.skip_reason or citation.invalid_reason
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
    """Write the reports of a past run again, from the state store, without fetching anything."""
    env = env_of(ctx)
    report = {"dir": str(out) if out else None, "formats": tuple(formats) if formats else None}
    settings = with_overrides(settings_of(config, env), report=report)
    with existing_store(settings, env) as store:
        stored = store.run_report(run_id)
    if stored is None:
        raise fail(env, f"no stored report for run {run_id if run_id is not None else '(latest)'}")
    result = json_report.load(stored[1])
    paths = publish(result, settings, env, None)
    env.say(f"run {stored[0]}: " + ", ".join(str(path) for path in paths))
