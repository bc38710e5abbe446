"""Startup loads the CLI and the settings only: the network, parsing and archive libraries wait for the
commands that use them (`linkcheck --version` was 0.9 s when every command's code was imported up front)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("bs4", "lxml", "requests", "urllib3", "warcio", "pypdf", "surt", "rich", "htmldate", "markdown_it")


def test_importing_the_cli_loads_no_heavy_library() -> None:
    probe = "import sys, linkcheck.cli; print(' '.join(sorted(m for m in {heavy} if m in sys.modules)))"
    shown = subprocess.run(
        [sys.executable, "-c", probe.format(heavy=repr(set(HEAVY)))], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == ""
