"""Host shards checked in forked processes: past one interpreter's CPU, on the machine's other cores.

One Python process spends 1.5-1.9 ms of CPU per URL, so a run against fast servers is CPU-bound in one
process while the other cores idle (2,000 URLs at 0 ms: 3.18 s in one process, 2.24 s in two). With
`[check] processes` above 1 the URLs are split by host into shards of about equal size, and each shard
is checked by a forked child with the thread scheduler and its share of `concurrency`. A host's URLs
all go to one shard, so its per-host limits, delay, failure limit and soft-404 probe hold as in one
process. The children send their outcomes back through a pipe; the caller's `on_outcome` runs in this
process, as it does without shards.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from linkcheck.errors import LinkcheckError, describe
from linkcheck.models import Capture, FetchResult, Outcome
from linkcheck.pacing import HostStarts
from linkcheck.settings import Settings

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from linkcheck.check.client import Fetcher
    from linkcheck.html_tags import Element

# Below this many URLs per process a second process saves less than it costs (a fork, a pipe, pickling).
MIN_URLS_PER_PROCESS = 100
# `[check] processes = 0` means one per usable CPU, up to this many.
MAX_AUTO_PROCESSES = 4
# After Ctrl-C, how long the children's last outcomes are still waited for (a second Ctrl-C: not at all).
STOP_GRACE = 5.0
_HELD = {signal.SIGINT, signal.SIGTERM}
_PR_SET_PDEATHSIG = 1


class CaptureSink(Protocol):
    """A child's own archive writer (the pipeline's Archive): capture() per download, close() at the end."""

    def capture(self, fetch: FetchResult, parsed: Element | None = None) -> Capture: ...

    def close(self) -> None: ...


# (the child's fetcher, its host starts, how many processes share the run) -> the child's archive writer
OpenCapture = Callable[["Fetcher", HostStarts, int], CaptureSink]
CheckShard = Callable[..., tuple[dict[str, Outcome], bool]]


class ShardFailed(LinkcheckError):
    """A check process failed or died; what the others and it sent before is kept."""


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def process_count(settings: Settings, urls: int, hosts: int, capturing: bool, can_open_capture: bool) -> int:
    """How many processes check this run: 1 unless sharding is allowed, worth it and keeps every limit.

    One process when: fork is not what this platform starts processes with (only Linux here); a cookie
    jar file is shared by all requests (its cookies and its save at the end belong to one process); pages
    are captured but no child can open its own archive; requisites are captured with a per-host delay
    (a requisite host may be any shard's, and the delay cannot be kept across processes). With requisites
    captured, no more processes than the smallest per-host limit, so the processes' shares of a requisite
    host (RequisiteLimits.of) add up to no more than its limit.
    """
    check = settings.check
    wanted = check.processes or min(usable_cpus(), MAX_AUTO_PROCESSES)
    if wanted <= 1 or not sys.platform.startswith("linux") or check.cookie_jar:
        return 1
    if capturing and not can_open_capture:
        return 1
    count = min(wanted, hosts, check.concurrency, urls // MIN_URLS_PER_PROCESS)
    if capturing and settings.snapshot.requisites:
        if check.per_host_delay > 0:
            return 1
        # Each process gets a share of a requisite host's per-host limit, at least one request each.
        limits = [check.per_host_concurrency, *(rule.per_host_concurrency or count for rule in settings.domains)]
        count = min(count, *limits)
    return max(1, count)


def split_by_host(urls: list[str], host_of: Callable[[str], str], shards: int) -> list[list[str]]:
    """The URLs in `shards` groups with no host in two, the largest hosts placed first, each on the group
    with the fewest URLs so far; within a group the URLs keep their order."""
    hosts: dict[str, list[str]] = {}
    for url in urls:
        hosts.setdefault(host_of(url), []).append(url)
    sizes = [0] * shards
    shard_of: dict[str, int] = {}
    for host, own in sorted(hosts.items(), key=lambda item: len(item[1]), reverse=True):
        smallest = min(range(shards), key=sizes.__getitem__)
        shard_of[host] = smallest
        sizes[smallest] += len(own)
    groups: list[list[str]] = [[] for _ in range(shards)]
    for url in urls:
        groups[shard_of[host_of(url)]].append(url)
    return [group for group in groups if group]


def concurrency_shares(
    groups: list[list[str]], host_of: Callable[[str], str], per_host_limit: Callable[[str], int], total: int
) -> list[int]:
    """Each group's share of `total` requests in flight (one each at least): slot by slot to the group that
    would take the most rounds, while more slots shorten it (its largest host, at its per-host limit, does
    not already take as long). Slots no group can use are left out, so the run never has more in flight."""
    loads = [len(group) for group in groups]
    floors: list[int] = []  # rounds the group's slowest host needs at its limit, however many slots
    for group in groups:
        per_host: dict[str, int] = {}
        for url in group:
            host = host_of(url)
            per_host[host] = per_host.get(host, 0) + 1
        floors.append(max(-(-count // max(1, per_host_limit(host))) for host, count in per_host.items()))
    given = [1] * len(groups)
    for _ in range(total - len(groups)):
        rounds = [-(-load // slots) for load, slots in zip(loads, given, strict=True)]
        shortened = [index for index, floor in enumerate(floors) if rounds[index] > floor]
        if not shortened:
            break
        given[max(shortened, key=rounds.__getitem__)] += 1
    return given


def check_in_processes(
    groups: list[list[str]],
    host_of: Callable[[str], str],
    settings: Settings,
    fetcher: Fetcher,
    check_shard: CheckShard,
    on_outcome: Callable[[Outcome], None] | None,
    open_capture: OpenCapture | None,
    keep_going: Callable[[], bool] | None,
    on_idle: Callable[[], None] | None,
) -> tuple[dict[str, Outcome], bool]:
    """Check each group in its own forked process; (outcome per URL, whether interrupted), as check_urls.

    Raises ShardFailed once every process has ended if one failed or died (the outcomes received before
    have reached `on_outcome`). On Ctrl-C the children are told to start no more URLs, and what they send
    for the next STOP_GRACE seconds is still taken (a second Ctrl-C: not even that); what is still in
    flight then, they finish on their own.
    """
    import multiprocessing  # here: a run that never forks (most small runs, every rerun) does not load it
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("fork")
    concurrency = concurrency_shares(groups, host_of, settings.per_host_limit, settings.check.concurrency)
    children: dict[Connection, tuple[int, BaseProcess]] = {}
    ctrl_c = [0]
    in_main_thread = threading.current_thread() is threading.main_thread()
    # Ctrl-C is counted, not raised: a KeyboardInterrupt inside recv() would leave half a message in a pipe.
    previous = (
        signal.signal(signal.SIGINT, lambda number, frame: ctrl_c.__setitem__(0, ctrl_c[0] + 1))
        if in_main_thread
        else None
    )
    outcomes: dict[str, Outcome] = {}
    interrupted = False
    failures: list[str] = []
    stopping = False
    stop_by = 0.0

    def stop_all() -> None:
        for _, running in children.values():
            if running.pid is not None and running.exitcode is None:
                try:
                    os.kill(running.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass

    try:
        # A child starts with SIGINT and SIGTERM held back until its own handlers are set (_child).
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:
            for index, group in enumerate(groups):
                child_settings = dataclasses.replace(
                    settings, check=dataclasses.replace(settings.check, concurrency=concurrency[index], processes=1)
                )
                receiving, sending = context.Pipe(duplex=False)
                started = context.Process(
                    target=_child,
                    args=(
                        sending,
                        [*children, receiving],
                        group,
                        child_settings,
                        fetcher,
                        check_shard,
                        open_capture,
                        len(groups),
                    ),
                    name=f"linkcheck-shard-{index}",
                )
                started.start()
                sending.close()
                children[receiving] = (index, started)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        while children:
            if ctrl_c[0] and not stop_by:
                stop_by = time.monotonic() + STOP_GRACE
                stopping = True
                stop_all()
            if ctrl_c[0] > 1 or (stop_by and time.monotonic() > stop_by):
                break
            ready = wait(list(children), timeout=0.25)
            if not ready:
                if on_idle is not None:
                    on_idle()
                continue
            for handle in ready:
                connection = cast("Connection", handle)
                index, process = children[connection]
                value: Any
                try:
                    kind, value = connection.recv()
                except EOFError:
                    process.join()
                    kind, value = "failed", f"ended without finishing (exit code {process.exitcode})"
                if kind == "outcomes":
                    _deliver(value, outcomes, on_outcome)
                    if keep_going is not None and not stopping and not keep_going():
                        stopping = True
                        stop_all()
                    continue
                if kind == "done":
                    interrupted = interrupted or bool(value)
                else:  # a tool failure in one process ends the check, as it does in one process
                    failures.append(f"check process {index + 1} of {len(groups)} ({len(groups[index])} URLs): {value}")
                    if not stopping:
                        stopping = True
                        stop_all()
                del children[connection]
                connection.close()
                process.join()
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous)
        stop_all()  # a child still running (Ctrl-C, an error here) starts nothing more, and finds the pipe closed
        for connection in children:
            connection.close()
    if ctrl_c[0]:
        return outcomes, True
    if failures:
        raise ShardFailed("; ".join(failures))
    return outcomes, interrupted


def _deliver(batch: list[Outcome], outcomes: dict[str, Outcome], on_outcome: Callable[[Outcome], None] | None) -> None:
    for outcome in batch:
        outcomes[outcome.result.url] = outcome
        if on_outcome is not None:
            on_outcome(outcome)


class _Sender:
    """A child's outcomes to the parent in batches: BATCH at a time, or whatever is held every HOLD
    seconds (a thread sends those), so the parent always has all but the last moment's (Ctrl-C keeps them)."""

    BATCH = 32
    HOLD = 0.05

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._held: list[Outcome] = []
        self._finished = threading.Event()
        self.gone = False  # the parent is (Ctrl-C, killed): nothing more is sent
        threading.Thread(target=self._send_held_often, name="linkcheck-shard-sender", daemon=True).start()

    def add(self, outcome: Outcome) -> None:
        with self._lock:
            self._held.append(outcome)
            if len(self._held) >= self.BATCH:
                self._send_held()

    def finish(self, kind: str, value: object) -> None:
        """The last message, after every outcome held."""
        self._finished.set()
        with self._lock:
            self._send_held()
            self._send(kind, value)

    def _send_held_often(self) -> None:
        while not self._finished.wait(self.HOLD):
            with self._lock:
                self._send_held()

    def _send_held(self) -> None:
        if self._held:
            held, self._held = self._held, []
            self._send("outcomes", held)

    def _send(self, kind: str, value: object) -> None:
        if self.gone:
            return
        try:
            self._connection.send((kind, value))
        except OSError:
            self.gone = True


def _child(
    sending: Connection,
    inherited: list[Connection],
    urls: list[str],
    settings: Settings,
    fetcher: Fetcher,
    check_shard: CheckShard,
    open_capture: OpenCapture | None,
    processes: int,
) -> None:
    """A shard's process: its own fetcher (connections, deadline watchdog), its own archive writer; its
    outcomes sent in batches. Ctrl-C is the parent's to handle: it sends SIGTERM, which stops new URLs, as
    does the parent's death (the kernel's SIGTERM, or a send that finds the pipe closed)."""
    stop = [False]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda number, frame: stop.__setitem__(0, True))
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    for connection in inherited:  # the parent's read ends: held here, a pipe would never report its reader gone
        connection.close()
    _stop_with_parent(stop)
    sender = _Sender(sending)
    try:
        own = fetcher.renewed(settings)
        starts = HostStarts(settings.check.per_host_delay)
        sink = open_capture(own, starts, processes) if open_capture is not None else None
        try:
            _, interrupted = check_shard(
                urls,
                settings,
                own,
                sender.add,
                sink.capture if sink is not None else None,
                keep_going=lambda: not (stop[0] or sender.gone),
                host_starts=starts,
            )
        finally:
            try:
                if sink is not None:
                    sink.close()  # this child's captures into the archive's index (under its file lock)
            finally:
                own.close()
        sender.finish("done", interrupted)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises ShardFailed
        sender.finish("failed", describe(exc))
    sending.close()


def _stop_with_parent(stop: list[bool]) -> None:
    """Ask Linux for SIGTERM when the parent dies (PR_SET_PDEATHSIG), and stop now if it already has."""
    parent = os.getppid()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux's libc: the closed pipe still stops the child
        pass
    if parent == 1 or os.getppid() != parent:
        stop[0] = True
