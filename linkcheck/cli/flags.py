"""The flags that set configuration keys, shared by `run`, `check`, `harvest` and `config`.

`@setting_flags(...)` adds the named flags to a command's options and hands them to it as one
SettingFlags; `SettingFlags.overrides()` turns them into the top layer of the configuration
(defaults < config.toml < environment < flags, in configuration.py). Each flag's help names the key
it sets as config.toml writes it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from linkcheck.configuration import Override
from linkcheck.errors import ConfigError
from linkcheck.settings import parse_header, parse_statuses


@dataclass(frozen=True)
class SettingFlags:
    """The values of the setting flags a command was given (None or empty: not given)."""

    exclude: list[str] | None = None
    include: list[str] | None = None
    accept: str | None = None
    header: list[str] | None = None
    cookie_jar: str | None = None
    user_agent: str | None = None
    timeout: float | None = None
    retries: int | None = None
    concurrency: int | None = None
    per_host_concurrency: int | None = None
    per_host_delay: float | None = None
    processes: int | None = None
    out: Path | None = None
    fail_on: str | None = None
    formats: list[str] | None = None
    no_fallback: bool = False
    no_state: bool = False
    broker: str | None = None

    def overrides(self) -> list[Override]:
        """The flags given, as configuration overrides named by flag; ConfigError for a value that
        cannot be read (a header without a colon, a status range that is not one)."""
        found: list[Override] = []

        def put(section: str, key: str, value: Any, flag: str, add: bool = False) -> None:
            if value is not None and value != ():
                found.append(Override(section, key, value, flag, add))

        put("check", "exclude", tuple(self.exclude or ()), "--exclude", add=True)
        put("check", "include", tuple(self.include or ()), "--include", add=True)
        if self.accept is not None:
            try:
                put("check", "accept_status", parse_statuses(self.accept), "--accept")
            except ValueError as exc:
                raise ConfigError(f"--accept: {exc}") from None
        headers = {}
        for text in self.header or ():
            try:
                name, value = parse_header(text)
            except ValueError as exc:
                raise ConfigError(f"--header: {exc}") from None
            headers[name] = value
        put("check", "headers", headers or None, "--header", add=True)
        put("check", "cookie_jar", self.cookie_jar, "--cookie-jar")
        put("check", "user_agent", self.user_agent, "--user-agent")
        put("check", "timeout", self.timeout, "--timeout")
        put("check", "retries", self.retries, "--retries")
        put("check", "concurrency", self.concurrency, "--concurrency")
        put("check", "per_host_concurrency", self.per_host_concurrency, "--per-host-concurrency")
        put("check", "per_host_delay", self.per_host_delay, "--per-host-delay")
        put("check", "processes", self.processes, "--processes")
        put("report", "dir", str(self.out) if self.out is not None else None, "--out")
        put("report", "fail_on", self.fail_on, "--fail-on")
        put("report", "formats", tuple(self.formats) if self.formats else None, "--format")
        put("fallback", "enabled", False if self.no_fallback else None, "--no-fallback")
        put("state", "enabled", False if self.no_state else None, "--no-state")
        put("distributed", "broker", self.broker, "--broker")
        return found


BROKER_OPTION = typer.Option(
    "--broker",
    metavar="URL",
    help="Check on `linkcheck worker` processes that share this Redis server, redis://HOST:PORT/DB "
    "([distributed] broker; docs/distributed.md).",
    show_default=False,
)

# Each flag: its annotation (with typer's Option: names, metavar, help) and its default.
# Metavars say what to write in words; helps name the key each flag sets.
_OPTIONS: dict[str, tuple[Any, Any]] = {
    "exclude": (
        Annotated[
            Optional[list[str]],  # noqa: UP045 - typer reads the annotation at runtime
            typer.Option(
                "--exclude",
                "--ignore-url",
                metavar="REGEX",
                help="Report URLs that match this regular expression as skipped, not fetched. Repeatable; "
                "added to [check] exclude and the patterns of ./.linkcheckignore.",
                show_default=False,
            ),
        ],
        None,
    ),
    "include": (
        Annotated[
            Optional[list[str]],  # noqa: UP045
            typer.Option(
                "--include",
                metavar="REGEX",
                help="Check URLs that match this regular expression even when an exclude pattern matches; "
                "with no exclude pattern at all, check only these. Repeatable; added to [check] include.",
                show_default=False,
            ),
        ],
        None,
    ),
    "accept": (
        Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--accept",
                "-a",
                metavar="CODES",
                help="Status codes that count as ok besides 2xx: codes and ranges, e.g. 200..=299,403 "
                "([check] accept_status). A 2xx page is still judged (soft-404).",
                show_default=False,
            ),
        ],
        None,
    ),
    "header": (
        Annotated[
            Optional[list[str]],  # noqa: UP045
            typer.Option(
                "--header",
                "-H",
                metavar='"NAME: VALUE"',
                help="Send this header with every request. Repeatable; added to [check] headers. A cookie "
                'for one site belongs in [domains."site"] headers, which goes to that site only.',
                show_default=False,
            ),
        ],
        None,
    ),
    "cookie_jar": (
        Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--cookie-jar",
                metavar="FILE",
                help="A Netscape cookies.txt: its cookies are sent, and the cookies sites set are written "
                "back to it ([check] cookie_jar). Made when missing.",
                show_default=False,
            ),
        ],
        None,
    ),
    "user_agent": (
        Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--user-agent",
                "-u",
                metavar="AGENT",
                help="The User-Agent header ([check] user_agent).",
                show_default=False,
            ),
        ],
        None,
    ),
    "timeout": (
        Annotated[
            Optional[float],  # noqa: UP045
            typer.Option(
                "--timeout",
                "-t",
                metavar="SECONDS",
                help="Seconds to connect, and to wait for each read ([check] timeout).",
                show_default=False,
            ),
        ],
        None,
    ),
    "retries": (
        Annotated[
            Optional[int],  # noqa: UP045
            typer.Option(
                "--retries",
                "--max-retries",
                metavar="NUMBER",
                help="Extra attempts after a timeout, a connection error, 429 or 5xx ([check] retries).",
                show_default=False,
            ),
        ],
        None,
    ),
    "concurrency": (
        Annotated[
            Optional[int],  # noqa: UP045
            typer.Option(
                "--concurrency",
                "--max-concurrency",
                metavar="NUMBER",
                help="Requests in flight over all hosts ([check] concurrency).",
                show_default=False,
            ),
        ],
        None,
    ),
    "per_host_concurrency": (
        Annotated[
            Optional[int],  # noqa: UP045
            typer.Option(
                "--per-host-concurrency",
                "--host-concurrency",
                metavar="NUMBER",
                help="Requests in flight to one host ([check] per_host_concurrency).",
                show_default=False,
            ),
        ],
        None,
    ),
    "per_host_delay": (
        Annotated[
            Optional[float],  # noqa: UP045
            typer.Option(
                "--per-host-delay",
                metavar="SECONDS",
                help="Seconds between the starts of two requests to one host ([check] per_host_delay).",
                show_default=False,
            ),
        ],
        None,
    ),
    "processes": (
        Annotated[
            Optional[int],  # noqa: UP045
            typer.Option(
                "--processes",
                metavar="NUMBER",
                help="Processes that check hosts side by side; 0: one per CPU, up to 4 ([check] processes).",
                show_default=False,
            ),
        ],
        None,
    ),
    "out": (
        Annotated[
            Optional[Path],  # noqa: UP045
            typer.Option(
                "--out", "-o", metavar="DIR", help="Folder for the reports ([report] dir).", show_default=False
            ),
        ],
        None,
    ),
    "fail_on": (
        Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--fail-on",
                metavar="LEVEL",
                help="Exit 1 when a finding is at or above this level: error, warning, info or never "
                "([report] fail_on).",
                show_default=False,
            ),
        ],
        None,
    ),
    "formats": (
        Annotated[
            Optional[list[str]],  # noqa: UP045
            typer.Option(
                "--format",
                "-f",
                metavar="FORMAT",
                help="Report format to write, repeatable: json, md, html, junit, sarif, csv ([report] formats; "
                "report.json is always written).",
                show_default=False,
            ),
        ],
        None,
    ),
    "no_fallback": (
        Annotated[
            bool,
            typer.Option(
                "--no-fallback",
                help="Look up no archived copies for citations that lost their page ([fallback] enabled = false).",
            ),
        ],
        False,
    ),
    "no_state": (
        Annotated[
            bool,
            typer.Option(
                "--no-state",
                help="Neither read nor write the state store: a one-off check ([state] enabled = false).",
            ),
        ],
        False,
    ),
}
_OPTIONS["broker"] = (Annotated[Optional[str], BROKER_OPTION], None)  # noqa: UP045
REQUEST_FLAGS = ("header", "cookie_jar", "user_agent", "timeout", "retries")
CHECK_FLAGS = (
    "exclude",
    "include",
    "accept",
    *REQUEST_FLAGS,
    "concurrency",
    "per_host_concurrency",
    "per_host_delay",
    "processes",
    "out",
    "fail_on",
    "formats",
    "no_fallback",
    "no_state",
    "broker",
)
assert set(CHECK_FLAGS) == {f.name for f in fields(SettingFlags)} == set(_OPTIONS)

Command = TypeVar("Command", bound=Callable[..., Any])


def setting_flags(*names: str) -> Callable[[Command], Command]:
    """Add the named setting flags to a command's options (after its own); the command receives their
    values as one SettingFlags in its `flags` parameter."""

    def decorate(command: Command) -> Command:
        signature = inspect.signature(command, eval_str=True)
        own = [parameter for parameter in signature.parameters.values() if parameter.name != "flags"]
        added = [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=_OPTIONS[name][1], annotation=_OPTIONS[name][0]
            )
            for name in names
        ]

        @functools.wraps(command)
        def with_flags(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in names}
            return command(*args, flags=SettingFlags(**given), **kwargs)

        parameters = [*own, *added]
        with_flags.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        with_flags.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
        return with_flags  # type: ignore[return-value]

    return decorate
