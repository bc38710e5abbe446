"""Frozen settings: defaults defined once here, overridden by config.toml, environment, then flags."""

from __future__ import annotations

import math
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from linkcheck import __version__
from linkcheck.errors import ConfigError

DEFAULT_USER_AGENT = f"linkcheck/{__version__} (citation checker for published articles)"
FAIL_ON_LEVELS = ("error", "warning", "info", "never")
REPORT_FORMATS = ("json", "md", "html", "junit", "sarif", "csv")


@dataclass(frozen=True)
class DomainRule:
    """Overrides for one domain and its subdomains (`[domains."mil.ru"]`)."""

    domain: str
    timeout: float | None = None
    retries: int | None = None
    user_agent: str | None = None
    verify: bool | None = None
    ca_bundle: str | None = None
    per_host_concurrency: int | None = None
    accept_status: tuple[int, ...] = ()
    exclude: tuple[str, ...] = ()
    tracking_params: tuple[str, ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)  # sent to this domain only (a cookie, a key)

    def matches(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return host == self.domain or host.endswith("." + self.domain)


@dataclass(frozen=True)
class CheckSettings:
    timeout: float = 10.0
    deadline: float = 30.0
    retries: int = 2
    concurrency: int = 16
    per_host_concurrency: int = 2
    per_host_delay: float = 0.0
    processes: int = 0  # processes that check hosts side by side (0: one per usable CPU, up to 4); 1: this one only
    user_agent: str = DEFAULT_USER_AGENT
    allow_private_networks: bool = False
    max_bytes: int = 10_000_000
    max_redirects: int = 10
    max_retry_after: float = 60.0
    backoff: float = 0.5
    host_failure_limit: int = 3
    soft_404_probe: bool = True
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()  # checked even when an exclude pattern matches (and, alone, only these)
    accept_status: tuple[int, ...] = ()  # statuses that count as ok besides 2xx (e.g. 403 on a bot wall)
    headers: Mapping[str, str] = field(default_factory=dict)  # sent with every request
    cookie_jar: str = ""  # a Netscape cookies.txt read before and written after; "" keeps cookies in memory
    proxies: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AnomalySettings:
    """`[anomalies]`: thresholds, plus `code = "error" | "warning" | "info" | "off"` overrides."""

    future_grace_days: int = 0
    published_grace_days: int = 1
    title_similarity: float = 0.5
    severities: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HarvestSettings:
    max_document_bytes: int = 64_000_000


@dataclass(frozen=True)
class SnapshotSettings:
    enabled: bool = True
    dir: str = "archive"
    max_warc_bytes: int = 1_000_000_000
    respect_noarchive: bool = True
    drift_threshold: float = 0.8
    requisites: bool = True  # also capture a page's images, stylesheets (their fonts), icons and scripts
    max_requisites: int = 60  # requests per page, at most
    max_requisite_bytes: int = 10_000_000  # per page, all requisites together (each also within [check] max_bytes)
    max_requisite_seconds: float = 30.0  # per page: no new requisite is asked for after this


@dataclass(frozen=True)
class ReportSettings:
    dir: str = "report"
    formats: tuple[str, ...] = ("json",)
    fail_on: str = "error"


@dataclass(frozen=True)
class StateSettings:
    enabled: bool = True
    path: str = "archive/state.sqlite"
    recheck_after: str = "20h"
    recheck_failed_after: str = "2h"
    dead_after_failures: int = 3
    dead_after_days: float = 3.0

    @property
    def recheck_after_s(self) -> float:
        return parse_duration(self.recheck_after)

    @property
    def recheck_failed_after_s(self) -> float:
        return parse_duration(self.recheck_failed_after)


@dataclass(frozen=True)
class FallbackSettings:
    """`[fallback]`: where archived copies of lost pages are looked up, and how politely."""

    enabled: bool = True
    wayback: str = "https://web.archive.org"  # "" leaves the Wayback Machine out
    memento: tuple[str, ...] = ()  # link-format TimeMap prefixes, e.g. "http://host:8080/coll/timemap/link/"
    requests_per_second: float = 1.0  # per archive host, for the whole run (with a broker: all processes on it)
    max_candidates: int = 5  # captures fetched to verify, at most, per cited URL
    submit: bool = False  # Save Page Now for ok citations (keys from LINKCHECK_SPN_ACCESS_KEY / _SECRET_KEY)


@dataclass(frozen=True)
class RepairSettings:
    """`[repair]`: suggested URLs for citations whose page is lost or misdated."""

    enabled: bool = True
    max_requests: int = 10  # per cited URL: candidate pages; a host's robots.txt and sitemaps counted once per run
    rdap: str = "https://rdap.org/domain/"  # the domain appended; "" asks no registry (no domain-changed-hands)
    rdap_requests_per_second: float = 1.0  # RDAP lookups, for the whole run (with a broker: all processes on it)


@dataclass(frozen=True)
class DistributedSettings:
    """`[distributed]`: checking on Dramatiq workers over Redis (docs/distributed.md); no broker: one process."""

    broker: str = ""  # redis://HOST:PORT/DB; empty checks in this process
    shards: int = 64  # host shards: registrable domains hashed into this many messages
    slice_seconds: float = 120.0  # a shard starts no new URL after this long and sends its rest on
    lease_seconds: float = 30.0  # a shard's lock lives this long without renewal (a dead worker's is freed then)
    heartbeat_timeout: float = 60.0  # a worker silent this long is dead: its messages go to another
    wait: float = 0.0  # the coordinator gives up on missing results after this long; 0 waits for all
    # A worker that cannot reach the archive folder sends each capture (its WARC records and readable copy) back
    # with its result, up to this many bytes; a bigger capture is not archived, and the report says why.
    max_capture_bytes: int = 20_000_000
    shared_archive: bool = True  # a worker's own setting; false: it never writes into the folder, it sends back


@dataclass(frozen=True)
class Settings:
    check: CheckSettings = field(default_factory=CheckSettings)
    harvest: HarvestSettings = field(default_factory=HarvestSettings)
    snapshot: SnapshotSettings = field(default_factory=SnapshotSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    state: StateSettings = field(default_factory=StateSettings)
    fallback: FallbackSettings = field(default_factory=FallbackSettings)
    repair: RepairSettings = field(default_factory=RepairSettings)
    distributed: DistributedSettings = field(default_factory=DistributedSettings)
    anomalies: AnomalySettings = field(default_factory=AnomalySettings)
    verdicts: Mapping[str, str] = field(default_factory=dict)  # verdict -> severity override or "off"
    domains: tuple[DomainRule, ...] = ()
    source: str | None = None  # the config file these came from, for messages

    def domain_rule(self, host: str) -> DomainRule | None:
        """The most specific `[domains]` rule for a host, if any."""
        matching = [rule for rule in self.domains if rule.matches(host)]
        return max(matching, key=lambda rule: len(rule.domain), default=None)

    def per_host_limit(self, host: str) -> int:
        """Requests in flight to `host`: its `[domains]` rule's, else `[check] per_host_concurrency`."""
        rule = self.domain_rule(host)
        return rule.per_host_concurrency if rule and rule.per_host_concurrency else self.check.per_host_concurrency


SECTIONS: dict[str, type] = {
    "check": CheckSettings,
    "harvest": HarvestSettings,
    "snapshot": SnapshotSettings,
    "report": ReportSettings,
    "state": StateSettings,
    "fallback": FallbackSettings,
    "repair": RepairSettings,
    "distributed": DistributedSettings,
}


def find_config(explicit: str | None, environ: Mapping[str, str], cwd: Path) -> Path | None:
    """Which config file applies: --config, else $LINKCHECK_CONFIG, else ./config.toml, else none."""
    if explicit:
        return Path(explicit)
    if environ.get("LINKCHECK_CONFIG"):
        return Path(environ["LINKCHECK_CONFIG"])
    local = cwd / "config.toml"
    return local if local.is_file() else None


def load_settings(
    explicit: str | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Read and validate the configuration file (defaults < file); raise ConfigError naming the file and
    key. The environment and flags are layered on top in configuration.py."""
    environ = os.environ if environ is None else environ
    path = find_config(explicit, environ, cwd or Path.cwd())
    if path is None:
        return Settings()
    return settings_from_mapping(read_config(path), str(path))


def read_config(path: Path) -> dict[str, Any]:
    """The parsed TOML of a configuration file; ConfigError naming the file when it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def settings_from_mapping(raw: Mapping[str, Any], source: str = "<config>") -> Settings:
    """Build Settings from parsed TOML, refusing unknown keys and wrong types."""
    sections: dict[str, Any] = {}
    domains: list[DomainRule] = []
    for name, value in raw.items():
        if name == "domains":
            domains = _domain_rules(value, source)
        elif name == "anomalies":
            sections[name] = _anomaly_settings(value, source)
        elif name == "verdicts":
            sections[name] = _verdict_severities(value, source)
        elif name in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: [{name}] must be a table")
            sections[name] = _build(SECTIONS[name], value, source, name)
        else:
            raise ConfigError(f"{source}: unknown section or key '{name}'")
    settings = Settings(**sections, domains=tuple(domains), source=source)
    _check_values(settings, source)
    return settings


def with_overrides(settings: Settings, **section_values: Mapping[str, Any]) -> Settings:
    """A copy with some keys replaced (CLI flags), validated like the file."""
    changes = {}
    for section, values in section_values.items():
        current = getattr(settings, section)
        values = {key: value for key, value in values.items() if value is not None}
        checked = _build(type(current), values, "command line", section)
        changes[section] = replace(current, **{key: getattr(checked, key) for key in values})
    updated = replace(settings, **changes)
    _check_values(updated, "command line")
    return updated


def _anomaly_settings(value: Any, source: str) -> AnomalySettings:
    from linkcheck.models import ANOMALY_CODES  # settings must not depend on models at import

    if not isinstance(value, dict):
        raise ConfigError(f"{source}: [anomalies] must be a table")
    thresholds = {key: item for key, item in value.items() if key not in ANOMALY_CODES}
    severities = {}
    for code, level in value.items():
        if code in ANOMALY_CODES:
            if level not in ("error", "warning", "info", "off"):
                raise ConfigError(
                    f'{source}: [anomalies] {code} must be "error", "warning", "info" or "off", not {level!r}'
                )
            severities[code] = level
    if "severities" in thresholds:
        raise ConfigError(f"{source}: unknown key 'severities' in [anomalies]; write code = \"level\" instead")
    built: AnomalySettings = _build(AnomalySettings, thresholds, source, "anomalies")
    return replace(built, severities=severities)


def _verdict_severities(value: Any, source: str) -> dict[str, str]:
    from linkcheck.models import Verdict

    if not isinstance(value, dict):
        raise ConfigError(f"{source}: [verdicts] must be a table")
    known = {verdict.value for verdict in Verdict}
    for verdict, level in value.items():
        if verdict not in known:
            raise ConfigError(
                f"{source}: unknown verdict '{verdict}' in [verdicts] (known: {', '.join(sorted(known))})"
            )
        if level not in ("error", "warning", "info", "off"):
            raise ConfigError(f'{source}: [verdicts] {verdict} must be "error", "warning", "info" or "off"')
    return dict(value)


def _domain_rules(value: Any, source: str) -> list[DomainRule]:
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: [domains] must be a table of tables")
    rules = []
    for domain, table in value.items():
        where = f"domains.{domain}"
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [{where}] must be a table")
        rule = _build(DomainRule, {"domain": domain.lower().strip("."), **table}, source, where)
        rules.append(rule)
    return rules


def with_value(settings: Settings, section: str, key: str, value: Any, source: str) -> Settings:
    """A copy with one key of one section (`check`, `anomalies`, `verdicts`, ...) set, validated like the
    file; errors name `source` (a file, an environment variable or a flag)."""
    if section == "verdicts":
        verdicts = _verdict_severities({key: value}, source)
        updated = replace(settings, verdicts={**settings.verdicts, **verdicts})
    elif section == "anomalies":
        current = settings.anomalies
        parsed = _anomaly_settings({key: value}, source)
        if parsed.severities:
            severities = {**current.severities, **parsed.severities}
            updated = replace(settings, anomalies=replace(current, severities=severities))
        else:
            updated = replace(settings, anomalies=replace(current, **{key: getattr(parsed, key)}))
    elif section in SECTIONS:
        checked = _build(SECTIONS[section], {key: value}, source, section)
        updated = replace(settings, **{section: replace(getattr(settings, section), **{key: getattr(checked, key)})})
    else:
        raise ConfigError(f"{source}: unknown section [{section}]")
    _check_values(updated, source)
    return updated


def _build(cls: type, values: Mapping[str, Any], source: str, section: str) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{source}: unknown key '{key}' in [{section}]")
        where = f"{source}: [{section}] {key}"
        if key == "accept_status" and isinstance(value, list | tuple):
            value = _statuses_from_list(value, where)
        kwargs[key] = _coerce(value, hints[key], where)
    return cls(**kwargs)


def _statuses_from_list(items: list[Any] | tuple[Any, ...], where: str) -> tuple[int, ...]:
    """`accept_status = ["200..=299", 403]`: codes and ranges written as strings, expanded."""
    codes: list[int] = []
    for item in items:
        if isinstance(item, str):
            try:
                codes += parse_statuses(item)
            except ValueError as exc:
                raise ConfigError(f"{where}: {exc}") from None
        elif isinstance(item, int) and not isinstance(item, bool):
            codes.append(item)
        else:
            raise ConfigError(f"{where} must list status codes or ranges, not {item!r}")
    return tuple(dict.fromkeys(codes))


def _coerce(value: Any, hint: Any, where: str) -> Any:
    """Check a TOML value against a field's type; tuples come from TOML arrays."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [arg for arg in args if arg is not type(None)]
        return _coerce(value, inner, where)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{where} must be a list, not {type(value).__name__}")
        return tuple(_coerce(item, args[0], where) for item in value)
    if origin is Mapping or hint is Mapping:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError(f"{where} must be a table of strings")
        return dict(value)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where} must be a number, not {value!r}")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where} must be an integer, not {value!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, not {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string, not {value!r}")
        return value
    raise ConfigError(f"{where}: unsupported setting type {hint!r}")  # pragma: no cover


# The largest value that still makes sense: a config written in a hurry (`timeout = 1e308`,
# `per_host_delay = 1e9`, `future_grace_days = 99999999999`) must be refused, not hang or crash a run.
MAXIMUMS: dict[str, float] = {
    "timeout": 86_400,
    "deadline": 86_400,
    "per_host_delay": 3_600,
    "backoff": 3_600,
    "max_retry_after": 86_400,
    "retries": 100,
    "max_requests": 1_000,
    "max_redirects": 100,
    "concurrency": 1_024,
    "per_host_concurrency": 1_024,
    "processes": 64,
    "host_failure_limit": 1_000_000,
    "future_grace_days": 36_500,
    "published_grace_days": 36_500,
    "dead_after_days": 36_500,
    "dead_after_failures": 1_000_000,
    "requests_per_second": 1_000,
    "rdap_requests_per_second": 1_000,
    "max_candidates": 100,
    "shards": 1_000_000,
    "slice_seconds": 86_400,
    "lease_seconds": 86_400,
    "heartbeat_timeout": 86_400,
    "wait": 31_536_000,
    "max_capture_bytes": 300_000_000,
}


def _numbers_in_range(section: str, values: object, source: str) -> None:
    """Every number of a section finite and at most its maximum."""
    for item in fields(values):  # type: ignore[arg-type]
        value = getattr(values, item.name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"{source}: [{section}] {item.name} must be a finite number, not {value}")
        limit = MAXIMUMS.get(item.name)
        if limit is not None and value > limit:
            raise ConfigError(f"{source}: [{section}] {item.name} = {value:g} is over the largest allowed, {limit:g}")


def _header_safe(section: str, key: str, value: str | None, source: str) -> None:
    """A value sent as an HTTP header: no control character (a CR or LF would split the request)."""
    if value is not None and any(ch < " " or ch == "\x7f" for ch in value):
        raise ConfigError(f"{source}: [{section}] {key} must not contain control characters (CR, LF, ...)")


def _patterns_compile(section: str, patterns: tuple[str, ...], source: str, key: str = "exclude") -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{source}: [{section}] {key}: {pattern!r} is not a regular expression: {exc}") from None


# Headers that frame the message or that linkcheck sets itself: a configured one would break the
# request (Host, Content-Length) or the reading of the body (Accept-Encoding: br is not decoded).
RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection", "accept-encoding"})
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # an RFC 9110 token


def header_problem(name: str, value: str) -> str | None:
    """Why a header cannot be sent as given (a bad name, CR or LF in the value, ...), or None."""
    if not _HEADER_NAME.match(name):
        return f"{name!r} is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)"
    if name.lower() in RESERVED_HEADERS:
        return f"{name} is set by linkcheck itself and cannot be configured"
    if any(ch < " " or ch == "\x7f" for ch in value):
        return f"the value of {name} must not contain control characters (CR, LF, ...)"
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return f"the value of {name} must be ASCII or Latin-1 text (HTTP headers cannot carry other characters)"
    return None


def _headers_valid(section: str, headers: Mapping[str, str], source: str) -> None:
    for name, value in headers.items():
        problem = header_problem(name, value)
        if problem:
            raise ConfigError(f"{source}: [{section}] headers: {problem}")


def parse_header(text: str) -> tuple[str, str]:
    """("Name", "value") from "Name: value" (`-H`); ValueError naming what is wrong."""
    name, colon, value = text.partition(":")
    if not colon or not name.strip():
        raise ValueError(f'{text!r} is not a header: write "Name: value"')
    name, value = name.strip(), value.strip()
    problem = header_problem(name, value)
    if problem:
        raise ValueError(problem)
    return name, value


_STATUS_RANGE = re.compile(r"^(\d{3})?\.\.(=)?(\d{3})?$")
LOWEST_STATUS, HIGHEST_STATUS = 100, 999


def parse_statuses(text: str) -> tuple[int, ...]:
    """Status codes from "200..=299, 403" (codes, and ranges `a..=b`, `a..b` (b left out), `..=b`, `a..`);
    ValueError naming the part that is neither."""
    codes: list[int] = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        if part.isdigit() and len(part) == 3:
            codes.append(int(part))
            continue
        match = _STATUS_RANGE.match(part)
        if not match or (match.group(1) is None and match.group(3) is None):
            raise ValueError(f"{part!r} is not a status code or range (write e.g. 200..=299,403)")
        first = int(match.group(1)) if match.group(1) else LOWEST_STATUS
        if match.group(3) is None:
            last = HIGHEST_STATUS
        else:
            last = int(match.group(3)) - (0 if match.group(2) else 1)
        if last < first:
            raise ValueError(f"{part!r} is an empty range")
        codes += range(first, last + 1)
    return tuple(dict.fromkeys(codes))


def describe_statuses(codes: tuple[int, ...]) -> list[str | int]:
    """Codes as written in config.toml: runs of three or more as "a..=b" ranges, others as numbers."""
    described: list[str | int] = []
    ordered = sorted(set(codes))
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        if end - start >= 2:
            described.append(f"{ordered[start]}..={ordered[end]}")
        else:
            described += ordered[start : end + 1]
        start = end + 1
    return described


def _statuses_valid(section: str, codes: tuple[int, ...], source: str) -> None:
    for code in codes:
        if not LOWEST_STATUS <= code <= HIGHEST_STATUS:
            raise ConfigError(f"{source}: [{section}] accept_status: {code} is not an HTTP status code (100 to 999)")


def _check_values(settings: Settings, source: str) -> None:
    for section in ("check", "harvest", "snapshot", "state", "anomalies", "fallback", "repair", "distributed"):
        _numbers_in_range(section, getattr(settings, section), source)
    for rule in settings.domains:
        where = f'domains."{rule.domain}"'
        _numbers_in_range(where, rule, source)
        _header_safe(where, "user_agent", rule.user_agent, source)
        _patterns_compile(where, rule.exclude, source)
        _headers_valid(where, rule.headers, source)
        _statuses_valid(where, rule.accept_status, source)
    _header_safe("check", "user_agent", settings.check.user_agent, source)
    _patterns_compile("check", settings.check.exclude, source)
    _patterns_compile("check", settings.check.include, source, "include")
    _headers_valid("check", settings.check.headers, source)
    _statuses_valid("check", settings.check.accept_status, source)
    check = settings.check
    positive = {
        "timeout": check.timeout,
        "deadline": check.deadline,
        "concurrency": check.concurrency,
        "per_host_concurrency": check.per_host_concurrency,
        "max_bytes": check.max_bytes,
    }
    for key, value in positive.items():
        if value <= 0:
            raise ConfigError(f"{source}: [check] {key} must be greater than 0, not {value}")
    for key in (
        "processes",
        "retries",
        "max_redirects",
        "per_host_delay",
        "max_retry_after",
        "backoff",
        "host_failure_limit",
    ):
        if getattr(check, key) < 0:
            raise ConfigError(f"{source}: [check] {key} must not be negative")
    for rule in settings.domains:
        if rule.per_host_concurrency is not None and rule.per_host_concurrency < 1:
            raise ConfigError(f"{source}: [domains.{rule.domain}] per_host_concurrency must be at least 1")
        if rule.timeout is not None and rule.timeout <= 0:
            raise ConfigError(f"{source}: [domains.{rule.domain}] timeout must be greater than 0")
        if rule.retries is not None and rule.retries < 0:
            raise ConfigError(f"{source}: [domains.{rule.domain}] retries must not be negative")
    for key in ("recheck_after", "recheck_failed_after"):
        try:
            parse_duration(getattr(settings.state, key))
        except ValueError as exc:
            raise ConfigError(f"{source}: [state] {key}: {exc}") from None
    if settings.state.dead_after_failures < 1 or settings.state.dead_after_days < 0:
        raise ConfigError(f"{source}: [state] dead_after_failures must be at least 1 and dead_after_days not negative")
    if settings.snapshot.max_warc_bytes <= 0 or not 0 <= settings.snapshot.drift_threshold <= 1:
        raise ConfigError(f"{source}: [snapshot] max_warc_bytes must be > 0 and drift_threshold between 0 and 1")
    snapshot = settings.snapshot
    if snapshot.max_requisites < 0 or snapshot.max_requisite_bytes < 0 or snapshot.max_requisite_seconds < 0:
        raise ConfigError(
            f"{source}: [snapshot] max_requisites, max_requisite_bytes and max_requisite_seconds must not be negative"
        )
    if not 0 <= settings.anomalies.title_similarity <= 1:
        raise ConfigError(f"{source}: [anomalies] title_similarity must be between 0 and 1")
    if settings.report.fail_on not in FAIL_ON_LEVELS:
        raise ConfigError(
            f"{source}: [report] fail_on must be one of {', '.join(FAIL_ON_LEVELS)}, not {settings.report.fail_on!r}"
        )
    for fmt in settings.report.formats:
        if fmt not in REPORT_FORMATS:
            raise ConfigError(
                f"{source}: [report] formats: unknown format {fmt!r} (known: {', '.join(REPORT_FORMATS)})"
            )
    _check_fallback(settings.fallback, source)
    _check_distributed(settings.distributed, source)
    if settings.repair.max_requests < 0:
        raise ConfigError(f"{source}: [repair] max_requests must be 0 or more")
    if settings.repair.rdap and not settings.repair.rdap.lower().startswith(("http://", "https://")):
        raise ConfigError(f"{source}: [repair] rdap: {settings.repair.rdap!r} is not an http(s) URL")
    if settings.repair.rdap_requests_per_second <= 0:
        raise ConfigError(f"{source}: [repair] rdap_requests_per_second must be greater than 0")


def _check_distributed(distributed: DistributedSettings, source: str) -> None:
    if distributed.broker and not distributed.broker.lower().startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"{source}: [distributed] broker: {distributed.broker!r} is not a redis:// URL")
    if distributed.shards < 1:
        raise ConfigError(f"{source}: [distributed] shards must be at least 1")
    if distributed.max_capture_bytes < 0:
        raise ConfigError(f"{source}: [distributed] max_capture_bytes must be 0 or more")
    for key in ("slice_seconds", "lease_seconds", "heartbeat_timeout"):
        if getattr(distributed, key) <= 0:
            raise ConfigError(f"{source}: [distributed] {key} must be greater than 0")


_ARCHIVE_URL = re.compile(r"^https?://[^\x00-\x20\x7f/?#]+(/[^\x00-\x20\x7f]*)?$", re.I)


def _check_fallback(fallback: FallbackSettings, source: str) -> None:
    if fallback.requests_per_second <= 0:
        raise ConfigError(f"{source}: [fallback] requests_per_second must be greater than 0")
    if fallback.max_candidates < 1:
        raise ConfigError(f"{source}: [fallback] max_candidates must be at least 1")
    archives = [("memento", url) for url in fallback.memento]
    if fallback.wayback:
        archives.insert(0, ("wayback", fallback.wayback))
    for key, url in archives:
        if not _ARCHIVE_URL.match(url):
            raise ConfigError(f"{source}: [fallback] {key}: {url!r} is not an http(s) URL")


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.I)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """Seconds in "20h", "90m", "3d", "45s", "1w" or a bare number of seconds."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 45s, 30m, 20h, 3d, 1w)")
    return float(match.group(1)) * _UNITS[match.group(2).lower()]
