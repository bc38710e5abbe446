"""The `linkcheck` command: options -> Settings -> pipeline -> exit code. No logic of its own.

app.py holds the typer app, the shared options and the one error handler; a module per command group.
"""

from __future__ import annotations

import sys

# Each module registers its commands on the app, in the order --help lists them.
from linkcheck.cli import run  # noqa: F401

# isort: split
from linkcheck.cli import check  # noqa: F401

# isort: split
from linkcheck.cli import annotate, archive, export, inspect  # noqa: F401

# isort: split
from linkcheck.cli import worker  # noqa: F401

# isort: split
from linkcheck.cli import config  # noqa: F401
from linkcheck.cli.app import app
from linkcheck.environment import Environment

__all__ = ["app", "main"]


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run the command line in-process; the exit code (0 clean, 1 findings, 2 the tool could not do its job)."""
    try:
        app(args=argv, prog_name="linkcheck", obj=env)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0 if done.code is None else 2
    return 0


def console_main() -> None:
    """The `linkcheck` executable."""
    sys.exit(main())
