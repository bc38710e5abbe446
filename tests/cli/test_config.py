"""One precedence, defaults < config.toml < environment (LINKCHECK_*) < flags: a test per layer, each
value's origin as `linkcheck config` shows it, and every key settable from the environment."""

from __future__ import annotations

import json
import tomllib
from dataclasses import fields
from typing import Any

import pytest

from linkcheck.configuration import configure, variable_name
from linkcheck.settings import SECTIONS, Settings
from tests.cli.conftest import Cli
from tests.server import LocalServer, page, send


def shown(lc: Cli, *args: str, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """`linkcheck config --json`'s settings."""
    done = lc("config", "--json", *args, environ=environ)
    assert done.code == 0, done.err
    data: dict[str, Any] = json.loads(done.out)
    return data


def timeout_of(data: dict[str, Any]) -> tuple[float, str]:
    entry = data["settings"]["check"]["timeout"]
    return entry["value"], entry["from"]


# --- a test per layer: the value wins over the layer below, and says where it came from --------------


def test_layer_defaults(lc: Cli) -> None:
    (lc.cwd / "config.toml").unlink()
    data = shown(lc)
    assert data["file"] is None and timeout_of(data) == (10.0, "default")


def test_layer_config_file_over_defaults(lc: Cli) -> None:
    (lc.cwd / "config.toml").write_text("[check]\ntimeout = 3.0\n")
    assert timeout_of(shown(lc)) == (3.0, str(lc.cwd / "config.toml"))
    assert timeout_of(shown(lc))[0] == 3.0
    (lc.cwd / "other.toml").write_text("[check]\ntimeout = 4.0\n")
    assert timeout_of(shown(lc, "--config", "other.toml")) == (4.0, str(lc.cwd / "other.toml"))
    assert timeout_of(shown(lc, environ={"LINKCHECK_CONFIG": str(lc.cwd / "other.toml")}))[0] == 4.0


def test_layer_environment_over_the_file(lc: Cli) -> None:
    (lc.cwd / "config.toml").write_text("[check]\ntimeout = 3.0\n")
    data = shown(lc, environ={"LINKCHECK_CHECK_TIMEOUT": "4.5"})
    assert timeout_of(data) == (4.5, "LINKCHECK_CHECK_TIMEOUT")


def test_layer_flags_over_the_environment(lc: Cli) -> None:
    (lc.cwd / "config.toml").write_text("[check]\ntimeout = 3.0\n")
    data = shown(lc, "--timeout", "6", environ={"LINKCHECK_CHECK_TIMEOUT": "4.5"})
    assert timeout_of(data) == (6.0, "--timeout")


def test_the_layers_decide_a_runs_exit_code(lc: Cli, server: LocalServer) -> None:
    server.routes["/gone"] = lambda h: send(h, 404, page("Not Found"))
    (lc.cwd / "a.md").write_text(f"[gone]({server.url('/gone')})\n")
    assert lc("run", "a.md").code == 1  # default fail_on: error
    config = lc.cwd / "config.toml"
    config.write_text(config.read_text() + '\n[report]\nfail_on = "never"\n')
    assert lc("run", "a.md", "--force").code == 0  # the file
    assert lc("run", "a.md", "--force", environ={"LINKCHECK_REPORT_FAIL_ON": "error"}).code == 1  # the environment
    flag = lc("run", "a.md", "--force", "--fail-on", "never", environ={"LINKCHECK_REPORT_FAIL_ON": "error"})
    assert flag.code == 0  # the flag


# --- the environment layer ------------------------------------------------------------------------


def test_every_key_of_every_section_has_an_environment_variable(tmp_path: Any) -> None:
    defaults = Settings()
    for section in SECTIONS:
        for item in fields(getattr(defaults, section)):
            name = variable_name(section, item.name)
            value = getattr(getattr(defaults, section), item.name)
            text = _as_text(value)
            configuration = configure(None, {name: text}, tmp_path)
            assert configuration.origin(section, item.name) == name, name
            assert getattr(getattr(configuration.settings, section), item.name) == value, name


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    if isinstance(value, dict):
        return "{" + ", ".join(f'{key} = "{item}"' for key, item in value.items()) + "}"
    return str(value)


def test_lists_tables_statuses_and_severities_from_the_environment(lc: Cli) -> None:
    environ = {
        "LINKCHECK_REPORT_FORMATS": "json, html",
        "LINKCHECK_CHECK_EXCLUDE": r'["^https://a\\.example/", "x{1,3}"]',  # a TOML array when a comma is in a pattern
        "LINKCHECK_CHECK_HEADERS": '{X-Desk = "checks", "Accept-Language" = "en"}',
        "LINKCHECK_CHECK_ACCEPT_STATUS": "200..=299,403",
        "LINKCHECK_CHECK_SOFT_404_PROBE": "false",
        "LINKCHECK_VERDICTS_SOFT_404": "off",
        "LINKCHECK_ANOMALIES_TRACKING_PARAMS": "warning",
        "LINKCHECK_ANOMALIES_FUTURE_GRACE_DAYS": "2",
        "LINKCHECK_CONFIG": "",  # not a setting: which file to read
        "LINKCHECK_SPN_ACCESS_KEY": "k",  # not a setting either
    }
    settings = shown(lc, environ=environ)["settings"]
    assert settings["report"]["formats"] == {"value": ["json", "html"], "from": "LINKCHECK_REPORT_FORMATS"}
    assert settings["check"]["exclude"]["value"] == ["^https://a\\.example/", "x{1,3}"]
    assert settings["check"]["headers"]["value"] == {"X-Desk": "checks", "Accept-Language": "en"}
    assert settings["check"]["accept_status"]["value"] == ["200..=299", 403]
    assert settings["check"]["soft_404_probe"]["value"] is False
    assert settings["verdicts"]["soft-404"] == {"value": "off", "from": "LINKCHECK_VERDICTS_SOFT_404"}
    assert settings["anomalies"]["tracking-params"]["value"] == "warning"
    assert settings["anomalies"]["future_grace_days"] == {"value": 2, "from": "LINKCHECK_ANOMALIES_FUTURE_GRACE_DAYS"}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LINKCHECK_CHECK_TIMEOUT", "fast", "LINKCHECK_CHECK_TIMEOUT: [check] timeout must be a number, not 'fast'"),
        ("LINKCHECK_CHECK_TIMEOUT", "nan", "LINKCHECK_CHECK_TIMEOUT: [check] timeout must be a finite number"),
        ("LINKCHECK_CHECK_TIMEOUT", "0", "LINKCHECK_CHECK_TIMEOUT: [check] timeout must be greater than 0"),
        ("LINKCHECK_CHECK_RETRIES", "2.5", "LINKCHECK_CHECK_RETRIES: [check] retries must be an integer, not '2.5'"),
        ("LINKCHECK_REPORT_FAIL_ON", "loud", "LINKCHECK_REPORT_FAIL_ON: [report] fail_on must be one of"),
        ("LINKCHECK_SNAPSHOT_ENABLED", "maybe", "LINKCHECK_SNAPSHOT_ENABLED: [snapshot] enabled must be true or false"),
        ("LINKCHECK_CHECK_TIMOUT", "5", "LINKCHECK_CHECK_TIMOUT: [check] has no key 'timout'"),
        ("LINKCHECK_CHECK_USER_AGENT", "a\r\nb", "LINKCHECK_CHECK_USER_AGENT: [check] user_agent must not contain"),
        (
            "LINKCHECK_CHECK_HEADERS",
            "Cookie: a",
            "LINKCHECK_CHECK_HEADERS: [check] headers must be a TOML inline table",
        ),
        ("LINKCHECK_CHECK_ACCEPT_STATUS", "2xx", "LINKCHECK_CHECK_ACCEPT_STATUS: [check] accept_status: '2xx' is not"),
        ("LINKCHECK_VERDICTS_DEAD", "off", "LINKCHECK_VERDICTS_DEAD: [verdicts] has no key 'dead'"),
    ],
)
def test_a_bad_environment_value_is_named_with_its_variable(lc: Cli, name: str, value: str, message: str) -> None:
    done = lc("run", "a.md", environ={name: value})
    assert done.code == 2
    assert done.err.startswith(f"linkcheck: {message}"), done.err
    assert len(done.err.strip().splitlines()) == 1


# --- linkcheck config -----------------------------------------------------------------------------


def test_config_text_is_toml_naming_each_values_origin(lc: Cli) -> None:
    (lc.cwd / ".linkcheckignore").write_text("^https://twitter\\.com/\n")
    done = lc("config", "--exclude", "/ads/", "--no-state", environ={"LINKCHECK_CHECK_RETRIES": "4"})
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert (
        lines[0] == f"# linkcheck's configuration in effect: defaults < {lc.cwd / 'config.toml'} < environment < flags"
    )
    assert "retries = 4  # LINKCHECK_CHECK_RETRIES" in lines
    assert f"allow_private_networks = true  # {lc.cwd / 'config.toml'}" in lines
    assert "deadline = 30.0  # default" in lines
    assert f'exclude = ["^https://twitter\\\\.com/", "/ads/"]  # {lc.cwd / ".linkcheckignore"} + --exclude' in lines
    assert "enabled = false  # --no-state" in lines
    parsed = tomllib.loads(done.out)  # the text is a config file that gives the same settings
    assert parsed["check"]["retries"] == 4 and parsed["state"]["enabled"] is False
    assert parsed["check"]["exclude"] == ["^https://twitter\\.com/", "/ads/"]


def test_config_json_names_the_file_and_every_section(lc: Cli) -> None:
    data = shown(lc)
    assert data["file"] == str(lc.cwd / "config.toml")
    assert set(data["settings"]) == {*SECTIONS, "anomalies"}
    assert data["settings"]["fallback"]["enabled"] == {"value": False, "from": str(lc.cwd / "config.toml")}
