"""Configuration: defaults, the shipped config.toml, refusal of unknown keys and wrong types."""

from __future__ import annotations

import io
from dataclasses import fields
from pathlib import Path

import pytest

from linkcheck import cli
from linkcheck.environment import Environment
from linkcheck.errors import ConfigError
from linkcheck.settings import Settings, find_config, load_settings, settings_from_mapping, with_overrides
from tests.server import LocalServer, page, send

ROOT = Path(__file__).resolve().parent.parent

# The settings sections whose every key has its own README row and config.toml line ([anomalies] and
# [verdicts] are tables of codes, documented as a whole).
SECTIONS = ("check", "harvest", "snapshot", "report", "state", "fallback", "repair", "distributed")


def test_shipped_config_equals_the_defaults() -> None:
    shipped = load_settings(str(ROOT / "config.toml"), environ={}, cwd=ROOT)
    defaults = Settings()
    for section in SECTIONS:
        assert getattr(shipped, section) == getattr(defaults, section), section


def test_required_keys_exist() -> None:
    settings = Settings()
    for key in ("timeout", "retries", "concurrency", "per_host_concurrency", "user_agent", "allow_private_networks"):
        assert hasattr(settings.check, key)
    assert settings.snapshot.enabled is True and settings.snapshot.dir
    assert settings.report.dir and settings.report.formats == ("json",) and settings.report.fail_on == "error"
    assert settings.state.path


def test_unknown_key_is_refused_naming_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "mine.toml"
    config.write_text("[check]\ntimeout = 3\ntimout = 4\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(str(config), environ={}, cwd=tmp_path)
    assert "mine.toml" in str(caught.value) and "'timout'" in str(caught.value)


def test_unknown_section_is_refused() -> None:
    with pytest.raises(ConfigError, match="'chekc'"):
        settings_from_mapping({"chekc": {}}, "x.toml")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"check": {"timeout": "fast"}}, r"\[check\] timeout must be a number"),
        ({"check": {"retries": 1.5}}, r"\[check\] retries must be an integer"),
        ({"check": {"allow_private_networks": 1}}, r"allow_private_networks must be true or false"),
        ({"report": {"formats": "json"}}, r"\[report\] formats must be a list"),
        ({"report": {"fail_on": "sometimes"}}, r"fail_on must be one of"),
        ({"check": {"concurrency": 0}}, r"concurrency must be greater than 0"),
        ({"domains": {"mil.ru": {"retries": "x"}}}, r"\[domains.mil.ru\] retries"),
        ({"domains": {"mil.ru": {"colour": "red"}}}, r"unknown key 'colour' in \[domains.mil.ru\]"),
        ({"domains": {"mil.ru": {"per_host_concurrency": 0}}}, r"per_host_concurrency must be at least 1"),
        ({"state": {"recheck_after": "soon"}}, r"\[state\] recheck_after: not a duration"),
    ],
)
def test_wrong_types_are_refused(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings_from_mapping(table, "cfg.toml")


def test_invalid_toml_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "broken.toml"
    config.write_text("[check\n")
    with pytest.raises(ConfigError, match="broken.toml: not valid TOML"):
        load_settings(str(config), environ={}, cwd=tmp_path)


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(str(tmp_path / "nope.toml"), environ={}, cwd=tmp_path)


def test_config_lookup_order(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("")
    assert find_config(None, {}, tmp_path) == tmp_path / "config.toml"
    assert find_config(None, {"LINKCHECK_CONFIG": "/etc/lc.toml"}, tmp_path) == Path("/etc/lc.toml")
    assert find_config("flag.toml", {"LINKCHECK_CONFIG": "/etc/lc.toml"}, tmp_path) == Path("flag.toml")
    assert find_config(None, {}, tmp_path / "elsewhere") is None


def test_domain_rule_matches_subdomains_and_most_specific_wins() -> None:
    settings = settings_from_mapping(
        {"domains": {"mil.ru": {"timeout": 30}, "function.mil.ru": {"timeout": 60}}}, "cfg"
    )
    assert settings.domain_rule("function.mil.ru").timeout == 60  # type: ignore[union-attr]
    assert settings.domain_rule("eng.mil.ru").timeout == 30  # type: ignore[union-attr]
    assert settings.domain_rule("mil.ru").timeout == 30  # type: ignore[union-attr]
    assert settings.domain_rule("notmil.ru") is None


def test_flags_override_file_values() -> None:
    settings = settings_from_mapping({"report": {"fail_on": "warning"}}, "cfg")
    assert with_overrides(settings, report={"fail_on": "never"}).report.fail_on == "never"
    assert with_overrides(settings, report={"fail_on": None}).report.fail_on == "warning"
    with pytest.raises(ConfigError, match="fail_on"):
        with_overrides(settings, report={"fail_on": "loud"})


def test_verdict_severities_are_configurable() -> None:
    from linkcheck.findings import verdict_severity
    from linkcheck.models import Severity, Verdict

    settings = settings_from_mapping({"verdicts": {"blocked": "info", "soft-404": "off"}}, "cfg")
    assert verdict_severity(Verdict.BLOCKED, settings.verdicts) is Severity.INFO
    assert verdict_severity(Verdict.SOFT_404, settings.verdicts) is None
    assert verdict_severity(Verdict.BROKEN, settings.verdicts) is Severity.ERROR
    with pytest.raises(ConfigError, match="unknown verdict 'dead'"):
        settings_from_mapping({"verdicts": {"dead": "error"}}, "cfg")


def test_anomaly_overrides_are_validated() -> None:
    with pytest.raises(ConfigError, match=r"\[anomalies\] tracking-params must be"):
        settings_from_mapping({"anomalies": {"tracking-params": "quiet"}}, "cfg")
    with pytest.raises(ConfigError, match="unknown key 'grace' in \\[anomalies\\]"):
        settings_from_mapping({"anomalies": {"grace": 2}}, "cfg")


# --- config that would make CI pass wrongly, crash or hang (issue 11, item 8) -----------------------


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"check": {"timeout": float("nan")}}, r"\[check\] timeout must be a finite number"),
        ({"check": {"timeout": float("inf")}}, r"\[check\] timeout must be a finite number"),
        ({"check": {"timeout": 1e308}}, r"\[check\] timeout = 1e\+308 is over the largest allowed"),
        ({"check": {"deadline": float("nan")}}, r"\[check\] deadline must be a finite number"),
        ({"check": {"per_host_delay": 1e9}}, r"\[check\] per_host_delay = 1e\+09 is over"),
        ({"domains": {"mil.ru": {"timeout": float("nan")}}}, r'\[domains."mil.ru"\] timeout must be a finite number'),
        ({"check": {"user_agent": "bot\r\nX-Injected: 1"}}, r"\[check\] user_agent must not contain control"),
        ({"domains": {"mil.ru": {"user_agent": "a\nb"}}}, r'\[domains."mil.ru"\] user_agent must not contain'),
        ({"check": {"exclude": ["("]}}, r"\[check\] exclude: '\(' is not a regular expression"),
        ({"domains": {"x.org": {"exclude": ["[a"]}}}, r'\[domains."x.org"\] exclude: .* is not a regular expression'),
        ({"anomalies": {"future_grace_days": 99999999999}}, r"\[anomalies\] future_grace_days = .* is over"),
        ({"state": {"dead_after_days": float("inf")}}, r"\[state\] dead_after_days must be a finite number"),
        ({"fallback": {"requests_per_second": 0}}, r"\[fallback\] requests_per_second must be greater than 0"),
        ({"fallback": {"requests_per_second": -1.0}}, r"\[fallback\] requests_per_second must be greater than 0"),
        ({"fallback": {"requests_per_second": float("nan")}}, r"\[fallback\] requests_per_second must be a finite"),
        ({"fallback": {"requests_per_second": float("inf")}}, r"\[fallback\] requests_per_second must be a finite"),
        ({"fallback": {"requests_per_second": 1e6}}, r"\[fallback\] requests_per_second = 1e\+06 is over"),
        ({"fallback": {"max_candidates": 0}}, r"\[fallback\] max_candidates must be at least 1"),
        ({"fallback": {"wayback": "web.archive.org"}}, r"\[fallback\] wayback: 'web.archive.org' is not an http"),
        ({"fallback": {"memento": ["ftp://x/timemap/"]}}, r"\[fallback\] memento: 'ftp://x/timemap/' is not an"),
        ({"fallback": {"wayback": "https://a b"}}, r"\[fallback\] wayback: .* is not an http"),
        ({"fallback": {"submit": "yes"}}, r"\[fallback\] submit must be true or false"),
    ],
)
def test_config_that_would_mislead_crash_or_hang_is_refused(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings_from_mapping(table, "cfg.toml")


def test_unusable_paths_in_config_end_in_one_line_and_exit_2(tmp_path: Path, server: LocalServer) -> None:
    server.routes["/a"] = lambda h: send(h, 200, page("Fine"))
    (tmp_path / "a.txt").write_text(f"See {server.url('/a')} here.\n")
    for config in (
        '[report]\ndir = "/dev/null/x"\n',
        '[state]\npath = "/dev/null"\n',
        '[snapshot]\ndir = "/dev/null/x"\n',
    ):
        (tmp_path / "config.toml").write_text("[check]\nallow_private_networks = true\n\n" + config)
        err = io.StringIO()
        code = cli.main(
            ["run", "a.txt", "--force"], Environment(stdout=io.StringIO(), stderr=err, cwd=tmp_path, environ={})
        )
        assert code == 2, config
        assert "Traceback" not in err.getvalue(), err.getvalue()
        assert err.getvalue().count("\nlinkcheck: ") == 0, err.getvalue()  # one line
        assert "/dev/null" in err.getvalue()


def test_fallback_defaults_and_a_wayback_left_out() -> None:
    fallback = Settings().fallback
    assert (fallback.enabled, fallback.wayback, fallback.memento) == (True, "https://web.archive.org", ())
    assert (fallback.requests_per_second, fallback.max_candidates, fallback.submit) == (1.0, 5, False)
    assert settings_from_mapping({"fallback": {"wayback": ""}}, "cfg").fallback.wayback == ""


def test_every_key_has_a_row_in_the_readme_and_a_line_in_config_toml() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shipped = (ROOT / "config.toml").read_text(encoding="utf-8")
    for section in SECTIONS:
        for item in fields(getattr(Settings(), section)):
            assert f"| `[{section}] {item.name}` |" in readme, f"[{section}] {item.name} has no row in the README"
            assert f"\n{item.name} = " in shipped or f"\n# {item.name} = " in shipped, f"[{section}] {item.name}"


# --- status ranges and headers (issue 16) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "count"),
    [
        ("403", 403, 403, 1),
        ("200..=204", 200, 204, 5),
        ("200..205", 200, 204, 5),
        ("..=103", 100, 103, 4),
        ("..200", 100, 199, 100),
        ("500..", 500, 999, 500),
        (" 200..=299 , 403 ,429", 200, 429, 102),
    ],
)
def test_status_codes_and_ranges(text: str, first: int, last: int, count: int) -> None:
    from linkcheck.settings import parse_statuses

    codes = parse_statuses(text)
    assert (min(codes), max(codes), len(codes)) == (first, last, count)


@pytest.mark.parametrize("text", ["2xx", "20", "1000", "..", "300..200", "200-299", "200..=2999"])
def test_what_is_not_a_status_or_range_is_refused(text: str) -> None:
    from linkcheck.settings import parse_statuses

    with pytest.raises(ValueError, match="status code or range|empty range"):
        parse_statuses(text)


def test_statuses_are_shown_as_ranges_again() -> None:
    from linkcheck.settings import describe_statuses, parse_statuses

    assert describe_statuses(parse_statuses("200..=299,403,404,418,419,420")) == ["200..=299", 403, 404, "418..=420"]
    config = settings_from_mapping({"check": {"accept_status": ["200..=202", 403, "500.."]}}, "cfg")
    assert config.check.accept_status[:4] == (200, 201, 202, 403) and config.check.accept_status[-1] == 999


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cookie: a=b; c=d", ("Cookie", "a=b; c=d")),
        ("X-Empty:", ("X-Empty", "")),
        (" X-A :  spaced ", ("X-A", "spaced")),
    ],
)
def test_a_header_is_name_colon_value(text: str, expected: tuple[str, str]) -> None:
    from linkcheck.settings import parse_header

    assert parse_header(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no colon", "is not a header"),
        (": value", "is not a header"),
        ("Bad Name: x", "is not a header name"),
        ("X: a\r\nInjected: 1", "must not contain control characters"),
        ("X: tab\there", "must not contain control characters"),
        ("X: Москва", "must be ASCII or Latin-1"),
        ("Content-Length: 5", "set by linkcheck itself"),
        ("accept-encoding: br", "set by linkcheck itself"),
    ],
)
def test_a_header_that_cannot_be_sent_is_refused(text: str, message: str) -> None:
    from linkcheck.settings import parse_header

    with pytest.raises(ValueError, match=message):
        parse_header(text)
