"""`linkcheck config`: the configuration in effect, every key with where its value came from."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Annotated, Any
from urllib.parse import urlsplit, urlunsplit

import typer

from linkcheck.cli.app import ConfigOpt, app, configuration_of, env_of
from linkcheck.cli.flags import CHECK_FLAGS, SettingFlags, setting_flags
from linkcheck.configuration import Configuration
from linkcheck.printable import visible_json
from linkcheck.settings import SECTIONS, DomainRule, describe_statuses

# Header values that are credentials: shown by length only, as the output may end up in a CI log.
_SECRET_HEADERS = frozenset({"cookie", "authorization", "proxy-authorization"})
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class Entry:
    """One key as `linkcheck config` shows it."""

    table: str  # as config.toml names it: check, anomalies, domains."mil.ru"
    key: str
    value: Any
    origin: str


@app.command("config")
@setting_flags(*CHECK_FLAGS)
def config_command(
    ctx: typer.Context,
    config: ConfigOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON: each key's value and where it came from.")
    ] = False,
    *,
    flags: SettingFlags,
) -> None:
    """Print the configuration in effect, each key with where its value came from: default, the config
    file, an environment variable (LINKCHECK_CHECK_TIMEOUT for [check] timeout) or a flag. The
    order is defaults < config.toml < environment < flags; the same flags as `run` can be given
    to see what they change. The text output is valid config.toml.

    Examples:

    \b
      linkcheck config
      LINKCHECK_REPORT_FAIL_ON=warning linkcheck config --timeout 5 --json
    """
    env = env_of(ctx)
    configuration = configuration_of(config, env, flags)
    entries = list(_entries(configuration))
    if as_json:
        tables: dict[str, dict[str, Any]] = {}
        for entry in entries:
            tables.setdefault(entry.table, {})[entry.key] = {"value": _plain(entry.value), "from": entry.origin}
        data = {"file": str(configuration.file) if configuration.file else None, "settings": tables}
        print(visible_json(json.dumps(data, ensure_ascii=False, indent=2)), file=env.stdout)
        return
    file = str(configuration.file) if configuration.file else "no config file"
    env.say(f"# linkcheck's configuration in effect: defaults < {file} < environment < flags")
    table = None
    for entry in entries:
        if entry.table != table:
            if table is not None:
                env.say("")
            env.say(f"[{entry.table}]")
            table = entry.table
        env.say(f"{_key(entry.key)} = {_toml(entry.value)}  # {entry.origin}")


def _entries(configuration: Configuration) -> Iterator[Entry]:
    settings, origin = configuration.settings, configuration.origin
    for section in SECTIONS:
        values = getattr(settings, section)
        for item in fields(values):
            yield Entry(
                section, item.name, _shown(section, item.name, getattr(values, item.name)), origin(section, item.name)
            )
    anomalies = settings.anomalies
    for item in fields(anomalies):
        if item.name != "severities":
            yield Entry("anomalies", item.name, getattr(anomalies, item.name), origin("anomalies", item.name))
    for code, level in anomalies.severities.items():
        yield Entry("anomalies", code, level, origin("anomalies", code))
    for verdict, level in settings.verdicts.items():
        yield Entry("verdicts", verdict, level, origin("verdicts", verdict))
    for rule in settings.domains:
        default = DomainRule(rule.domain)
        for item in fields(rule):
            value = getattr(rule, item.name)
            if item.name != "domain" and value != getattr(default, item.name):
                shown = _shown("domains", item.name, value)
                yield Entry(f'domains."{rule.domain}"', item.name, shown, origin("domains", rule.domain))


def _shown(section: str, key: str, value: Any) -> Any:
    """A value as it is safe and short to show: status ranges folded, credentials hidden."""
    if key == "accept_status":
        return describe_statuses(value)
    if key == "headers":
        return {
            name: f"(hidden: {len(text)} characters)" if name.lower() in _SECRET_HEADERS else text
            for name, text in value.items()
        }
    if key == "proxies":
        return {scheme: _without_password(url) for scheme, url in value.items()}
    return value


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=f"{parts.username}:(hidden)@{parts.netloc.rsplit('@', 1)[1]}"))


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name, ensure_ascii=False)


def _toml(value: Any) -> str:
    """A value written as TOML (JSON's string escapes are TOML's too)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(key)} = {_toml(item)}" for key, item in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)
