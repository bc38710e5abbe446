"""Starting worker processes: Dramatiq's own command-line machinery, run in this process."""

from __future__ import annotations

from linkcheck.distributed.worker import QUEUE


def run_workers(processes: int, threads: int) -> int:
    """Dramatiq's own worker machinery on this module's broker: `processes` processes of `threads` threads, each
    loading linkcheck.distributed.entry (which reads the broker from the configuration). Its exit code."""
    import dramatiq.worker
    from dramatiq.cli import main, make_argument_parser

    # A worker takes no more shards than it has threads (Dramatiq's default is twice as many): a shard
    # waiting in a busy worker's prefetch is a shard an idle worker cannot have. Forked processes inherit it.
    dramatiq.worker.QUEUE_PREFETCH = threads
    args = make_argument_parser().parse_args(
        ["linkcheck.distributed.entry", "--processes", str(processes), "--threads", str(threads), "--queues", QUEUE]
    )
    return int(main(args) or 0)
