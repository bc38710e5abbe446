"""The typer app, the options every command shares, and the one place a tool error becomes exit code 2."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperArgument, TyperGroup

from linkcheck import __version__
from linkcheck.cli.flags import SettingFlags
from linkcheck.configuration import Configuration, configure
from linkcheck.environment import Environment
from linkcheck.errors import describe
from linkcheck.exitcodes import ExitCode
from linkcheck.settings import Settings
from linkcheck.state.lock import RunLock
from linkcheck.state.store import Store


class _Commands(TyperGroup):
    """The root group: every command runs inside its error handler, and shows its arguments in words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _arguments_in_words(self)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # typer passes its own Context
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            raise fail(env_of(ctx), "interrupted") from None
        except Exception as exc:  # noqa: BLE001 - the one place a failure of the tool becomes exit 2
            # Exit 1 means findings to CI and cron: a crash must never look like one.
            logging.getLogger("linkcheck").debug("command failed", exc_info=True)
            raise fail(env_of(ctx), describe(exc)) from None


def _arguments_in_words(group: TyperGroup) -> None:
    """--help names each argument by its metavar (SOURCE..., URL...), not with a Python type (<list[str]>)."""
    for command in group.commands.values():
        if isinstance(command, TyperGroup):
            _arguments_in_words(command)
        for param in command.params:
            if isinstance(param, TyperArgument):
                param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]


app = typer.Typer(
    name="linkcheck",
    cls=_Commands,
    rich_markup_mode=None,  # config keys such as [report] are text, not markup
    help=(
        "Keep the citations in published articles honest.\n\n"
        "linkcheck reads articles (text, HTML, Markdown, PDF, or an article's URL), finds the links "
        "they cite, checks that each still answers, and writes a report. "
        "Start with:  linkcheck run examples/"
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    context_settings={"help_option_names": ["-h", "--help"]},
)

SourcesArg = Annotated[
    Optional[list[str]],  # noqa: UP045 - none when --files-from names them
    typer.Argument(
        help="Articles to read: files (.txt .html .htm .md .pdf), folders (searched recursively), "
        "globs expanded by linkcheck ('articles/**/*.md'), http(s):// URLs of online articles, "
        "or - for text on standard input.",
        show_default=False,
        metavar="SOURCE",
    ),
]
FilesFromOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--files-from",
        metavar="FILE",
        help="Read SOURCEs from FILE, one a line (blank lines and # comments skipped); - reads them "
        "from standard input. Relative paths are taken from the working folder.",
        show_default=False,
    ),
]
OfflineOpt = Annotated[
    bool,
    typer.Option(
        "--offline",
        help="Make no request at all: harvest local articles, flag what needs no answer (future-dated URLs, "
        "tracking parameters, ...) and write the reports; online articles are named as not read. "
        "An offline run leaves the state store alone.",
    ),
]
ConfigOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer reads the annotation at runtime
    typer.Option(
        "--config",
        "-c",
        metavar="FILE",
        help="Configuration file (default: $LINKCHECK_CONFIG, else ./config.toml).",
    ),
]


def env_of(ctx: typer.Context) -> Environment:
    """The Environment the command runs in: the one main() or a test passed as `obj`, else the real one."""
    root = ctx.find_root()
    if not isinstance(root.obj, Environment):
        root.obj = Environment()
    return root.obj


def configuration_of(config: str | None, env: Environment, flags: SettingFlags | None = None) -> Configuration:
    """The configuration in effect: defaults < config.toml < environment < flags, with each value's origin."""
    return configure(config, env.environ, env.cwd, flags.overrides() if flags is not None else ())


def settings_of(config: str | None, env: Environment, flags: SettingFlags | None = None) -> Settings:
    return configuration_of(config, env, flags).settings


def fail(env: Environment, message: str) -> typer.Exit:
    """Say what went wrong on stderr; the Exit (code 2) to raise."""
    env.warn(f"linkcheck: {message}")
    return typer.Exit(ExitCode.ERROR)


@contextmanager
def state_store(settings: Settings, env: Environment, wait: float, disabled: bool = False) -> Iterator[Store | None]:
    """The state store, opened under the run lock; None when state is off."""
    if disabled or not settings.state.enabled:
        yield None
        return
    path = env.resolve(settings.state.path)
    with RunLock(path, wait):
        store = Store.open(path)
        try:
            yield store
        finally:
            store.close()


@contextmanager
def existing_store(settings: Settings, env: Environment) -> Iterator[Store]:
    """The state store for reading; exit 2 when no run has made one yet."""
    path = env.resolve(settings.state.path)
    if not path.exists():
        raise fail(env, f"no state store at {path} yet: run `linkcheck run` first")
    store = Store.open(path)
    try:
        yield store
    finally:
        store.close()


def archive_root(settings: Settings, env: Environment) -> Path:
    return env.resolve(settings.snapshot.dir)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"linkcheck {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Keep the citations in published articles honest."""
