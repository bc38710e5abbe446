"""`linkcheck check URL...`: URLs checked directly, as the citations of one article made of them."""

from __future__ import annotations

from typing import Annotated

import typer

from linkcheck.cli.app import ConfigOpt, OfflineOpt, app, env_of, fail, settings_of
from linkcheck.cli.flags import CHECK_FLAGS, SettingFlags, setting_flags
from linkcheck.cli.run import BaselineOpt, QuietOpt, RunOptions, VerboseOpt, WaitOpt, check_and_report


@app.command()
@setting_flags(*CHECK_FLAGS)
def check(
    ctx: typer.Context,
    urls: Annotated[
        list[str],
        typer.Argument(
            help="URLs to check (https:// is assumed when none is written), or - to read them from standard "
            "input, one a line.",
            show_default=False,
            metavar="URL",
        ),
    ],
    config: ConfigOpt = None,
    offline: OfflineOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    wait: WaitOpt = 0.0,
    baseline: BaselineOpt = None,
    *,
    flags: SettingFlags,
) -> None:
    """Check URLs given directly, without an article: the same verdicts, the anomalies that need no
    article (future-dated URL, tracking parameters, redirect to a home page, ...), snapshots, archived
    copies and reports as `run`, with the same exit codes. The URLs are reported as one article,
    "(command line)", and are always fetched now (the state store still records them).

    Examples:

    \b
      linkcheck check https://example.org/2021/08/story
      linkcheck check -a 200..=299,403 -H "Accept-Language: en" https://a.example/ https://b.example/x
      grep -o 'https://[^ ]*' notes.txt | linkcheck check - --format md
    """
    from linkcheck.harvest.given import command_line_article  # the harvesters: loaded when used

    env = env_of(ctx)
    settings = settings_of(config, env, flags)
    given = [url for url in urls if url != "-"]
    if "-" in urls:
        from linkcheck.sources import read_source_list  # it reads pages: lxml, loaded when used

        given += read_source_list(env.stdin.read().decode("utf-8-sig", errors="replace"))
    if not given:
        raise fail(env, "no URL given")
    options = RunOptions(quiet=quiet, verbose=verbose, force=True, wait=wait, baseline=baseline, offline=offline)
    check_and_report(env, settings, [], [command_line_article(given)], options)
