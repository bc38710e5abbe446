"""configuration.py: the environment layer's typing, the ignore file, and additions to lists and tables."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from linkcheck.configuration import Override, apply, configure, ignore_file_overrides, parse_text, variable_name
from linkcheck.errors import ConfigError
from linkcheck.settings import Settings


@pytest.mark.parametrize(
    ("text", "hint", "value"),
    [
        ("7", int, 7),
        (" -1 ", int, -1),
        ("2.5", float, 2.5),
        ("1e3", float, 1000.0),
        ("TRUE", bool, True),
        ("off", bool, False),
        ("a, b,,c", tuple[str, ...], ("a", "b", "c")),
        ('["x{1,3}", "y"]', tuple[str, ...], ["x{1,3}", "y"]),
        ("200..=202,404", tuple[int, ...], (200, 201, 202, 404)),
        ('{Cookie = "a=b"}', Mapping[str, str], {"Cookie": "a=b"}),
        ("  spaced  ", str, "  spaced  "),
        ("", str | None, ""),
    ],
)
def test_environment_text_is_typed_like_the_key(text: str, hint: object, value: object) -> None:
    assert parse_text(text, hint, "VAR") == value


@pytest.mark.parametrize(
    ("text", "hint", "message"),
    [
        ("7.0", int, "VAR must be an integer, not '7.0'"),
        ("soon", float, "VAR must be a number, not 'soon'"),
        ("y", bool, "VAR must be true or false, not 'y'"),
        ("Cookie=a", Mapping[str, str], "VAR must be a TOML inline table"),
        ('["open', tuple[str, ...], "VAR must be a TOML array"),
        ("1xx", tuple[int, ...], "VAR: '1xx' is not a status code or range"),
    ],
)
def test_environment_text_that_does_not_fit_is_refused(text: str, hint: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        parse_text(text, hint, "VAR")


def test_variable_names() -> None:
    assert variable_name("check", "per_host_delay") == "LINKCHECK_CHECK_PER_HOST_DELAY"
    assert variable_name("verdicts", "soft-404") == "LINKCHECK_VERDICTS_SOFT_404"


def test_additions_extend_lists_and_tables_and_replacements_replace() -> None:
    settings = Settings()
    settings = apply(settings, Override("check", "exclude", ("a",), "file"))
    settings = apply(settings, Override("check", "exclude", ("b",), "--exclude", add=True))
    settings = apply(settings, Override("check", "headers", {"X-A": "1"}, "--header", add=True))
    settings = apply(settings, Override("check", "headers", {"X-B": "2"}, "--header", add=True))
    assert settings.check.exclude == ("a", "b")
    assert settings.check.headers == {"X-A": "1", "X-B": "2"}
    with pytest.raises(ConfigError, match=r"--exclude: \[check\] exclude: '\(' is not a regular expression"):
        apply(settings, Override("check", "exclude", ("(",), "--exclude", add=True))


def test_ignore_file(tmp_path: Path) -> None:
    assert ignore_file_overrides(tmp_path) == []
    (tmp_path / ".linkcheckignore").write_text("# nothing but comments\n\n   \n")
    assert ignore_file_overrides(tmp_path) == []
    (tmp_path / ".linkcheckignore").write_text("  ^https://a\\.example/  \n# b\nexample\\.org/private\n")
    [override] = ignore_file_overrides(tmp_path)
    assert override.value == ("^https://a\\.example/", "example\\.org/private") and override.add


def test_a_relative_cookie_jar_is_taken_from_the_working_folder(tmp_path: Path) -> None:
    configuration = configure(None, {"LINKCHECK_CHECK_COOKIE_JAR": "jar.txt"}, tmp_path)
    assert configuration.settings.check.cookie_jar == str(tmp_path / "jar.txt")
    assert configuration.origin("check", "cookie_jar") == "LINKCHECK_CHECK_COOKIE_JAR"


def test_domains_come_from_the_file_only(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[domains."Mil.RU."]\ntimeout = 30\n')
    configuration = configure(None, {}, tmp_path)
    assert configuration.origin("domains", "mil.ru") == str(tmp_path / "config.toml")
    with pytest.raises(ConfigError, match="LINKCHECK_DOMAINS_X: .* config file only"):
        configure(None, {"LINKCHECK_DOMAINS_X": "1"}, tmp_path)
