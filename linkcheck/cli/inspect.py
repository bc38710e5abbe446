"""`linkcheck history` and `linkcheck status`: what the state store remembers."""

from __future__ import annotations

import json
from typing import Annotated, Any, Optional

import typer

from linkcheck.cli.app import ConfigOpt, app, env_of, existing_store, fail, settings_of
from linkcheck.cli.flags import SettingFlags
from linkcheck.environment import Environment
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
    broker: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotation at runtime
        typer.Option(
            "--broker",
            metavar="URL",
            help="Also show the shared queue of distributed runs on this Redis server ([distributed] broker).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Summarise the state store: articles, URLs, verdicts, confirmed dead, oldest check; with a broker,
    the shards queued and being checked, and each worker's pace.

    Example:

    \b
      linkcheck status --json
    """
    env = env_of(ctx)
    settings = settings_of(config, env, SettingFlags(broker=broker))
    if settings.distributed.broker:
        from linkcheck.distributed.status import queue_status  # dramatiq loads only with a broker

        shared = queue_status(settings.distributed)
        if not env.resolve(settings.state.path).exists():  # a machine that only runs workers has no store
            if as_json:
                print(visible_json(json.dumps({"distributed": shared}, indent=2)), file=env.stdout)
            else:
                _say_queue(env, shared)
            return
        if not as_json:
            _say_queue(env, shared)
    with existing_store(settings, env) as store:
        summary = store.summary(DeathPolicy(settings.state.dead_after_failures, settings.state.dead_after_days))
    if as_json:
        if settings.distributed.broker:
            summary["distributed"] = shared
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


def _say_queue(env: Environment, shared: dict[str, Any]) -> None:
    env.say(f"broker: {shared['broker']}")
    env.say(
        f"shards: {shared['queued_shards']} queued, {shared['delayed_shards']} delayed,"
        f" {len(shared['in_flight_shards'])} being checked, {shared['failed_shards']} failed"
    )
    for key, held in sorted(shared["in_flight_shards"].items()):
        env.say(f"  shard {key}: {held['worker']} for {held['seconds']:g} s")
    for name, pace in shared["workers"].items():
        env.say(
            f"worker {name}: {pace['checked']} checked, {pace['per_minute']:g}/min,"
            f" last result {pace['last_result_seconds_ago']:g} s ago"
        )
