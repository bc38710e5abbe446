"""`linkcheck snapshot` and `linkcheck archive list|show|reindex`: the local archive of captured pages."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from linkcheck.cli.app import ConfigOpt, app, archive_root, env_of, fail, settings_of
from linkcheck.exitcodes import ExitCode
from linkcheck.urls import InvalidURL, normalize_url

archive_app = typer.Typer(
    help="Look into the local archive of captured pages ([snapshot] dir).\n\n"
    "Example:\n\n\b\n  linkcheck archive list\n  linkcheck archive show https://example.org/2021/08/story",
    no_args_is_help=True,
)
app.add_typer(archive_app, name="archive")


@app.command()
def snapshot(
    ctx: typer.Context,
    urls: Annotated[list[str], typer.Argument(help="URLs to capture now.", show_default=False, metavar="URL")],
    config: ConfigOpt = None,
) -> None:
    """Capture pages into the archive now (WARC and a readable copy), without an article.

    Example:

    \b
      linkcheck snapshot https://example.org/2021/08/story
    """
    from linkcheck.check import Fetcher  # the network and archive code: loaded when used
    from linkcheck.pipeline import open_archive

    env = env_of(ctx)
    settings = settings_of(config, env)
    if not settings.snapshot.enabled:
        raise fail(env, "snapshots are off ([snapshot] enabled = false)")
    fetcher = Fetcher(settings, now=env.now, environ=env.environ)
    failed = False
    try:
        archive = open_archive(settings, env, fetcher)  # with the fetcher: pages' requisites too
        assert archive is not None  # snapshots are on
        with archive:
            for url in urls:
                try:
                    key = normalize_url(url)
                except InvalidURL as exc:
                    env.warn(f"linkcheck: {url}: {exc}")
                    failed = True
                    continue
                capture = archive.capture(fetcher.fetch(key))
                if capture.snapshot is None:
                    env.say(f"{key}: not captured: {capture.skipped_reason}")
                    continue
                kept = capture.snapshot
                env.say(f"{key}: {kept.page} ({kept.warc} @ {kept.offset})")
                if capture.drift:
                    env.say(
                        f"  text changed since {capture.drift.previous_captured_at}:"
                        f" {capture.drift.similarity:.0%} alike"
                    )
    finally:
        fetcher.close()
    raise typer.Exit(ExitCode.ERROR if failed else ExitCode.OK)


@archive_app.command("list")
def archive_list(
    ctx: typer.Context,
    url: Annotated[Optional[str], typer.Argument(help="Only this URL's captures.", metavar="URL")] = None,  # noqa: UP045
    config: ConfigOpt = None,
) -> None:
    """List captures (all, or one URL's), oldest first.

    Example:

    \b
      linkcheck archive list https://example.org/2021/08/story
    """
    from linkcheck.archive import list_captures

    env = env_of(ctx)
    for entry in list_captures(archive_root(settings_of(config, env), env), url):
        status = entry.status if entry.status is not None else "-"
        env.say(
            f"{entry.timestamp}  {status!s:>3}  {entry.mime or '-':<24}  {entry.url}  {entry.filename}:{entry.offset}"
        )


@archive_app.command("show")
def archive_show(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="A captured URL.", show_default=False, metavar="URL")],
    at: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--at", metavar="TIME", help="A capture time or its prefix (2025, 2025-03-14, 20250314120000)."),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Where a capture is: its readable copy and its WARC record (latest, or the one at --at).

    Example:

    \b
      linkcheck archive show https://example.org/2021/08/story --at 2025-03
    """
    from linkcheck.archive import show_capture

    env = env_of(ctx)
    root = archive_root(settings_of(config, env), env)
    entry = show_capture(root, url, at)
    if entry is None:
        raise fail(env, f"no capture of {url}" + (f" at {at}" if at else ""))
    page = entry.page_path(root)
    env.say(f"url: {entry.url}")
    env.say(f"captured: {entry.timestamp}")
    env.say(f"readable copy: {page if page else '-'}")
    env.say(f"warc: {entry.warc_path(root)} offset {entry.offset} length {entry.length}")


@archive_app.command("reindex")
def archive_reindex(ctx: typer.Context, config: ConfigOpt = None) -> None:
    """Rebuild the archive's index from its WARC files ([snapshot] dir).

    Example:

    \b
      linkcheck archive reindex
    """
    from linkcheck.archive import reindex

    env = env_of(ctx)
    count = reindex(archive_root(settings_of(config, env), env))
    env.say(f"indexed {count} records")
