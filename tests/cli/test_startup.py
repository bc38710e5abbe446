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


def test_a_run_loads_the_harvesters_and_rich_only_when_it_needs_them() -> None:
    """A rerun with every article unchanged harvests nothing and, quiet or not on a terminal, shows no bar;
    with no URL due it forks no check process."""
    probe = (
        "import sys, linkcheck.pipeline, linkcheck.cli.progress, linkcheck.fallback; "
        "print(' '.join(sorted(m for m in ('linkcheck.harvest', 'rich', 'pypdf', 'multiprocessing')"
        " if m in sys.modules)))"
    )
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == ""


def test_the_progress_bar_and_the_fallback_names_still_load_when_used() -> None:
    import io

    from linkcheck.cli.progress import CheckProgress
    from linkcheck.fallback import annotate, usable_copy
    from linkcheck.models import CheckResult, Verdict

    stream = io.StringIO()
    with CheckProgress(stream, True) as progress:
        progress.start(1)
        progress.advance(CheckResult("https://example.org/", Verdict.OK, 200))
    assert progress._progress is not None and progress._progress.tasks[0].completed == 1
    assert callable(annotate) and callable(usable_copy)
