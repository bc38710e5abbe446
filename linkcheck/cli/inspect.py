"""`linkcheck history` and `linkcheck status`: what the state store remembers."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from linkcheck.cli.app import ConfigOpt, app, env_of, existing_store, fail, settings_of
from linkcheck.exitcodes import ExitCode
from linkcheck.printable import visible_json
from linkcheck.state.history import DeathPolicy
from linkcheck.urls import InvalidURL, normalize_url


@app.command()
def history(
    ctx: typer.Context,
    url: Annotated[
        str, typer.Argument(help="A cited URL (normalized the same way as in runs).", show_default=False, metavar="URL")
    ],
    config: ConfigOpt = None,
) -> None:
    """Print the timeline of checks and captures of one URL from the state store ([state] path).

    Example:

    \b
      linkcheck history https://example.org/2021/08/story
    """
    env = env_of(ctx)
    settings = settings_of(config, env)
    try:
        key = normalize_url(url)
    except InvalidURL as exc:
        raise fail(env, f"{url}: {exc}") from None
    with existing_store(settings, env) as store:
        entries = store.timeline(key)
    if not entries:
        env.say(f"{key}: never checked")
        raise typer.Exit(ExitCode.OK)
    env.say(key)
    for entry in entries:
        if entry.kind == "check":
            status = entry.status if entry.status is not None else "-"
            detail = f"  {entry.detail}" if entry.detail else ""
            env.say(f"  {entry.at}  check    {entry.verdict:<13} {status}{detail}")
        else:
            env.say(f"  {entry.at}  capture  {entry.detail}")


@app.command()
def status(
    ctx: typer.Context,
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Summarise the state store: articles, URLs, verdicts, confirmed dead, oldest check.

    Example:

    \b
      linkcheck status --json
    """
    env = env_of(ctx)
    settings = settings_of(config, env)
    with existing_store(settings, env) as store:
        summary = store.summary(DeathPolicy(settings.state.dead_after_failures, settings.state.dead_after_days))
    if as_json:
        print(visible_json(json.dumps(summary, indent=2)), file=env.stdout)
        return
    env.say(f"state store: {env.resolve(settings.state.path)} (schema {summary['schema_version']})")
    env.say(f"runs: {summary['runs']} (last started {summary['last_run'] or 'never'})")
    env.say(
        f"articles: {summary['articles']}, citations: {summary['citations']}"
        f" (+{summary['retired_citations']} retired), URLs: {summary['urls']}"
    )
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in summary["verdicts"].items()) or "none"
    env.say(f"latest verdicts: {verdicts}")
    env.say(f"confirmed dead: {summary['confirmed_dead']}")
    env.say(f"oldest check: {summary['oldest_check'] or '-'}; never checked: {summary['unchecked_urls']}")
