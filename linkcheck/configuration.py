"""The configuration in effect, in one order: defaults < config.toml < environment (LINKCHECK_*) < flags,
with where each value came from (for `linkcheck config`).

Lists and tables given by repeatable flags (`--exclude`, `--include`, `-H`) and the patterns of a
`.linkcheckignore` file are added to the value below them; every other layer replaces it.
"""

from __future__ import annotations

import re
import tomllib
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from linkcheck.errors import ConfigError
from linkcheck.models import ANOMALY_CODES, Verdict
from linkcheck.settings import (
    SECTIONS,
    AnomalySettings,
    Settings,
    find_config,
    parse_statuses,
    read_config,
    settings_from_mapping,
    with_value,
)

DEFAULT = "default"
IGNORE_FILE = ".linkcheckignore"
ENV_PREFIX = "LINKCHECK_"
# Sections an environment variable can set, in the order `linkcheck config` shows them.
ENV_SECTIONS = (*SECTIONS, "anomalies", "verdicts")
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


@dataclass(frozen=True)
class Override:
    """One value set above the config file, by an environment variable, the ignore file or a flag."""

    section: str
    key: str
    value: Any
    origin: str  # "LINKCHECK_CHECK_TIMEOUT", "--timeout", "/work/.linkcheckignore"
    add: bool = False  # added to the list or table below it instead of replacing it


@dataclass(frozen=True)
class Configuration:
    """Settings and where each value came from: "section.key" -> "default", a file, a variable or a flag."""

    settings: Settings
    origins: Mapping[str, str]
    file: Path | None = None

    def origin(self, section: str, key: str) -> str:
        return self.origins.get(f"{section}.{key}", DEFAULT)


def configure(
    explicit: str | None,
    environ: Mapping[str, str],
    cwd: Path,
    flags: Sequence[Override] = (),
) -> Configuration:
    """The configuration in effect; ConfigError naming the file, variable, line or flag of a bad value."""
    path = find_config(explicit, environ, cwd)
    if path is not None:
        path = cwd / path  # --config and LINKCHECK_CONFIG name a file from the working folder
    raw = read_config(path) if path is not None else {}
    settings = settings_from_mapping(raw, str(path)) if path is not None else Settings()
    origins = dict(_file_origins(raw, str(path)))
    for override in [*environment_overrides(environ), *ignore_file_overrides(cwd), *flags]:
        settings = apply(settings, override)
        name = f"{override.section}.{override.key}"
        origins[name] = f"{origins[name]} + {override.origin}" if override.add and name in origins else override.origin
    jar = settings.check.cookie_jar
    if jar and not Path(jar).is_absolute():  # relative to the working folder, like every other path
        settings = with_value(settings, "check", "cookie_jar", str(cwd / jar), origins.get("check.cookie_jar", ""))
    return Configuration(settings, origins, path)


def apply(settings: Settings, override: Override) -> Settings:
    """Settings with one override applied and validated; errors name where the value came from."""
    value = override.value
    if override.add:
        current = getattr(getattr(settings, override.section), override.key)
        value = {**current, **value} if isinstance(current, Mapping) else (*current, *value)
    return with_value(settings, override.section, override.key, value, override.origin)


def _file_origins(raw: Mapping[str, Any], path: str) -> Iterator[tuple[str, str]]:
    for section, table in raw.items():
        if section == "domains":
            for domain in table:
                yield f"domains.{domain.lower().strip('.')}", path
        else:
            for key in table:
                yield f"{section}.{key}", path


# --- the environment ---------------------------------------------------------------------------


def variable_name(section: str, key: str) -> str:
    """The environment variable of a key: LINKCHECK_CHECK_TIMEOUT, LINKCHECK_VERDICTS_SOFT_404."""
    return f"{ENV_PREFIX}{section}_{key}".upper().replace("-", "_")


def environment_overrides(environ: Mapping[str, str]) -> list[Override]:
    """A value for each LINKCHECK_<SECTION>_<KEY> variable, typed like the file's; ConfigError naming a
    variable whose key does not exist or whose value does not fit. Other LINKCHECK_ variables
    (LINKCHECK_CONFIG, the Save Page Now keys) are not settings and are left alone."""
    found = []
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX):
            continue
        rest = name[len(ENV_PREFIX) :]
        if rest.startswith("DOMAINS_"):
            raise ConfigError(f'{name}: [domains."site"] tables are set in the config file only')
        section = next((s for s in ENV_SECTIONS if rest.startswith(s.upper() + "_")), None)
        if section is None:
            continue
        key, hint = _key_of(section, rest[len(section) + 1 :], name)
        value = parse_text(environ[name], hint, f"{name}: [{section}] {key}")
        found.append(Override(section, key, value, name))
    return found


def _key_of(section: str, written: str, name: str) -> tuple[str, Any]:
    """The key a variable names in its section, and the key's type."""
    if section == "verdicts":
        known = {variable_name(section, v.value): v.value for v in Verdict}
        hints: dict[str, Any] = {}
    elif section == "anomalies":
        known = {variable_name(section, code): code for code in ANOMALY_CODES}
        hints = _hints(AnomalySettings, exclude={"severities"})
        known.update({variable_name(section, key): key for key in hints})
    else:
        hints = _hints(SECTIONS[section])
        known = {variable_name(section, key): key for key in hints}
    if name not in known:
        keys = ", ".join(sorted(known.values()))
        raise ConfigError(f"{name}: [{section}] has no key {written.lower()!r} (keys: {keys})")
    key = known[name]
    return key, hints.get(key, str)


def _hints(cls: type, exclude: set[str] | None = None) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in fields(cls) if f.name not in (exclude or set())}


def parse_text(text: str, hint: Any, where: str) -> Any:
    """A key's value from the text of an environment variable, by the key's type: numbers and
    true/false as written; lists as comma-separated items or a TOML array (`["a,b", "c"]`); status
    lists as `200..=299,403`; tables as a TOML inline table (`{Cookie = "a=b"}`)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        (hint,) = [arg for arg in args if arg is not type(None)]
        origin, args = typing.get_origin(hint), typing.get_args(hint)
    stripped = text.strip()
    if hint is bool:
        if stripped.lower() in _TRUE + _FALSE:
            return stripped.lower() in _TRUE
        raise ConfigError(f"{where} must be true or false, not {text!r}")
    if hint is int:
        if re.fullmatch(r"[+-]?\d+", stripped):
            return int(stripped)
        raise ConfigError(f"{where} must be an integer, not {text!r}")
    if hint is float:
        try:
            return float(stripped)
        except ValueError:
            raise ConfigError(f"{where} must be a number, not {text!r}") from None
    if origin is tuple and args[0] is int:
        try:
            return parse_statuses(stripped)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    if origin is tuple:
        if stripped.startswith("["):
            return _toml_value(stripped, where, "a TOML array")
        return tuple(item.strip() for item in stripped.split(",") if item.strip())
    if hint is Mapping or origin is Mapping:
        return _toml_value(stripped, where, 'a TOML inline table ({Name = "value"})')
    return text


def _toml_value(text: str, where: str, what: str) -> Any:
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} must be {what}: {exc}") from None


# --- the ignore file ---------------------------------------------------------------------------


def ignore_file_overrides(cwd: Path) -> list[Override]:
    """The patterns of `.linkcheckignore` in the working folder (one regular expression a line, `#`
    comments, blank lines skipped), added to `[check] exclude`; ConfigError naming the line of a bad one."""
    path = cwd / IGNORE_FILE
    if not path.is_file():
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    patterns = []
    for number, line in enumerate(lines, 1):
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{path}:{number}: {pattern!r} is not a regular expression: {exc}") from None
        patterns.append(pattern)
    return [Override("check", "exclude", tuple(patterns), str(path), add=True)] if patterns else []
