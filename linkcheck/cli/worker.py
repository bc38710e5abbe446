"""`linkcheck worker`: check the shards a distributed run sends (docs/distributed.md)."""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from linkcheck.cli.app import ConfigOpt, app, env_of, fail, settings_of
from linkcheck.cli.flags import SettingFlags

BrokerOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer reads the annotation at runtime
    typer.Option(
        "--broker",
        metavar="URL",
        help="The Redis server the runs send their shards through, redis://HOST:PORT/DB ([distributed] broker).",
        show_default=False,
    ),
]


@app.command()
def worker(
    ctx: typer.Context,
    broker: BrokerOpt = None,
    config: ConfigOpt = None,
    processes: Annotated[int, typer.Option("--processes", "-p", metavar="N", min=1, help="Worker processes.")] = 2,
    threads: Annotated[
        int, typer.Option("--threads", "-t", metavar="N", min=1, help="Shards each process checks at once.")
    ] = 4,
) -> None:
    """Check the URLs that `linkcheck run --broker` sends, until stopped (Ctrl-C or SIGTERM).

    Each shard is checked with this machine's linkcheck and the run's [check] settings, politely: one
    worker at a time per shard of hosts. Results go back to the run through the same Redis server.

    Example:

    \b
      linkcheck worker --broker redis://queue.internal:6379/0 --processes 4 --threads 8
    """
    env = env_of(ctx)
    settings = settings_of(config, env, SettingFlags(broker=broker))
    if not settings.distributed.broker:
        raise fail(env, "no broker: give --broker redis://HOST:PORT/DB or set [distributed] broker")
    # The worker processes read the configuration again (linkcheck.distributed.entry): the same file, this broker.
    os.environ["LINKCHECK_DISTRIBUTED_BROKER"] = settings.distributed.broker
    if config is not None:
        os.environ["LINKCHECK_CONFIG"] = str(env.resolve(config))
    from linkcheck.distributed.processes import run_workers  # dramatiq loads only for this command

    raise typer.Exit(run_workers(processes, threads))
