"""--help for every command (config keys as written, types in words, an example each), shell completion,
and the README's usage and lychee/LinkChecker table kept true to the commands and flags."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperGroup

from linkcheck.cli import app
from tests.cli.conftest import ROOT, Cli


def command_paths(group: TyperGroup | None = None, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and group of the app, as the words that name it."""
    group = group or typer.main.get_command(app)  # type: ignore[assignment]
    assert group is not None
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, TyperGroup):
            yield from command_paths(command, (*prefix, name))


COMMANDS = sorted(command_paths())


def help_of(lc: Cli, capsys: pytest.CaptureFixture[str], *words: str) -> str:
    """`linkcheck WORDS --help` (click writes help to the process's stdout, not the Environment's)."""
    capsys.readouterr()
    done = lc(*words, "--help")
    assert done.code == 0, done.err
    return capsys.readouterr().out


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_commands_help_is_readable(lc: Cli, capsys: pytest.CaptureFixture[str], words: tuple[str, ...]) -> None:
    text = help_of(lc, capsys, *words)
    assert "Example" in text, f"linkcheck {' '.join(words)} --help shows no example"
    # Types in words (SECONDS, FILE, URL), never a Python type such as <list[str]> or <float>.
    assert not re.search(r"<(str|int|float|bool|path|list\[[a-z]+\])>", text), text
    assert not re.search(r"\b(TEXT|FLOAT|INTEGER|PATH)\b", text), text


def test_run_help_names_the_keys_as_config_toml_writes_them(lc: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    text = " ".join(help_of(lc, capsys, "run").split())
    for key in ("[report] dir", "[report] fail_on", "[check] timeout", "[check] exclude", "[check] accept_status"):
        assert key in text, key
    assert "--files-from FILE" in text and "--offline" in text and '-H, --header "NAME: VALUE"' in text


def test_shell_completion_completes_commands_and_flags() -> None:
    def complete(words: str) -> list[str]:
        environ = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "_LINKCHECK_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        }
        code = "import sys; from linkcheck.cli import main; sys.exit(main())"
        done = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("linkcheck ch") == ["check"]
    assert complete("linkcheck run --per") == ["--per-host-concurrency", "--per-host-delay"]
    root_options = {opt for param in typer.main.get_command(app).params for opt in param.opts}
    assert {"--install-completion", "--show-completion"} <= root_options


# --- the README ------------------------------------------------------------------------------------


README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(title)
    end = README.find("\n#", start + len(title))
    return README[start:end]


def test_readme_usage_lists_every_command() -> None:
    lines = [line for line in section("## Usage").splitlines() if line.startswith("linkcheck ")]
    for words in COMMANDS:
        assert any(
            re.match(rf"linkcheck {words[0]}\b", line) and all(re.search(rf"\b{word}\b", line) for word in words)
            for line in lines
        ), f"linkcheck {' '.join(words)} is not in the README's usage"


def table_column(text: str, column: int) -> list[str]:
    """The cells of one column of the first Markdown table in `text` (header row left out)."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [row.strip("|").split("|")[column] for row in rows[2:]]


def test_readme_flag_tables_name_only_flags_that_exist(lc: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    helps = " ".join(help_of(lc, capsys, name) for name in ("run", "check", "harvest", "config"))
    cells = table_column(section("`CHECK FLAGS` are the same"), 0)
    cells += table_column(section("### Coming from lychee or LinkChecker"), 2)
    ours = {flag for cell in cells for flag in re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]+|-[a-zA-Z])\b", cell)}
    assert {"--exclude", "--include", "--accept", "--header", "--files-from", "--offline", "--cookie-jar"} <= ours
    missing = {flag for flag in ours if not re.search(rf"(?<![\w-]){re.escape(flag)}\b", helps)}
    assert not missing, f"the README names flags linkcheck does not have: {sorted(missing)}"


def test_readme_lychee_table_maps_each_invocation_to_ours() -> None:
    table = section("### Coming from lychee or LinkChecker")
    lychee, linkchecker, ours = (" ".join(table_column(table, column)) for column in range(3))
    assert all(cell.strip() for cell in table_column(table, 2))
    for flag in ("--exclude", "--include", "-a 200..=299,403", "-H", "--cookie-jar", "-u", "-t", "--max-retries"):
        assert flag in lychee, flag
    for flag in ("--max-concurrency", "--host-concurrency", "--host-request-interval", "--files-from", "--offline"):
        assert flag in lychee, flag
    for flag in ("--ignore-url", "--no-follow-url", "--cookiefile", "--user-agent", "--timeout", "--threads"):
        assert flag in linkchecker, flag
    assert "linkcheck check URL..." in ours


def test_config_toml_names_the_precedence() -> None:
    shipped = (Path(ROOT) / "config.toml").read_text(encoding="utf-8")
    assert "defaults < this file < environment" in shipped and "< command-line flags" in shipped
