"""`linkcheck export --wacz`: the archive's captures (all, a run's, an article's) as one WACZ package."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from linkcheck.cli.app import ConfigOpt, app, archive_root, env_of, existing_store, fail, settings_of
from linkcheck.exitcodes import ExitCode


@app.command()
def export(
    ctx: typer.Context,
    wacz: Annotated[
        Optional[str],  # noqa: UP045 - checked below, so a missing one is named in words
        typer.Option(
            "--wacz",
            metavar="OUT.wacz",
            help="Write a WACZ 1.1.1 package here (replaced if it exists).",
            show_default=False,
        ),
    ] = None,
    run: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--run", metavar="ID", help="Only the captures this run made."),
    ] = None,
    source: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--source",
            metavar="ARTICLE",
            help="Only the captures of URLs this article cites (its path or URL, as given to `linkcheck run`).",
        ),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Package captures as a WACZ file for replay tools (ReplayWeb.page, pywb): every capture in the
    archive, or those of one run (--run), of one article (--source), or both.

    Example:

    \b
      linkcheck export --wacz evidence.wacz --source articles/drills-2021.md
    """
    # the archive's WARC code (warcio, bs4, requests...) is loaded by this command only: startup stays small
    from linkcheck.archive.wacz import CaptureRef, ExportError, Selection, write_wacz
    from linkcheck.state.export_selection import SelectionError, select_captures
    from linkcheck.state.run import source_key

    env = env_of(ctx)
    if wacz is None:
        raise fail(env, "export needs --wacz OUT.wacz: the file to write (WACZ is the one export format)")
    settings = settings_of(config, env)
    root = archive_root(settings, env)
    selection = Selection()
    if run is not None or source is not None:
        key = source_key(source, env.cwd) if source is not None else None
        with existing_store(settings, env) as store:
            try:
                stored = select_captures(store, run, key)
            except SelectionError as exc:
                raise fail(env, str(exc)) from None
        refs = tuple(
            CaptureRef(url, snapshot.warc, snapshot.offset, snapshot.captured_at)
            for url, snapshot in stored.captures
            if snapshot.warc and snapshot.offset is not None
        )
        if not refs:
            raise fail(env, f"nothing to export: no capture {_described(run, source)}")
        description = f"Captures {_described(run, source)}, by linkcheck."
        selection = Selection(refs, _title(run, source), description, tuple(stored.cited))
    try:
        summary = write_wacz(root, env.resolve(wacz), selection, env.now())
    except ExportError as exc:
        raise fail(env, str(exc)) from None
    for warning in (*summary.notes, *summary.warnings):
        env.warn(f"linkcheck: {warning}")
    sliced = f" ({len(summary.sliced)} cut down to the selected captures)" if summary.sliced else ""
    env.say(
        f"{summary.path}: {len(summary.pages)} pages, {summary.records} index records,"
        f" {len(summary.warcs)} WARC files{sliced}"
    )
    raise typer.Exit(ExitCode.ERROR if summary.warnings else ExitCode.OK)


def _title(run: int | None, source: str | None) -> str:
    if source is not None:
        return f"Citations of {source}" + (f" (run {run})" if run is not None else "")
    return f"linkcheck run {run}"


def _described(run: int | None, source: str | None) -> str:
    """`of the URLs cited by a.md made in run 3`, or either half."""
    parts = [f"of the URLs cited by {source}"] if source is not None else []
    return " ".join(parts + ([f"made in run {run}"] if run is not None else []))
