"""The command line run in-process through its real entry point, `linkcheck.cli.main(argv, env)`, in a
working folder of its own, with the environment variables a test gives it."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from linkcheck import cli
from linkcheck.environment import Environment

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "linkcheck" / "reports" / "schema" / "report.schema.json").read_text())
# Loopback servers allowed, no retries or backoff, no archive lookups (each test turns on what it tests).
LOOPBACK_CONFIG = (
    "[check]\nallow_private_networks = true\nretries = 0\nbackoff = 0.0\ntimeout = 5.0\n\n[fallback]\nenabled = false\n"
)


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


@dataclass
class Cli:
    """`linkcheck ARGS...` in `cwd`, with `environ` as its whole environment."""

    cwd: Path
    environ: dict[str, str] = field(default_factory=dict)

    def __call__(self, *args: str, stdin: bytes = b"", environ: dict[str, str] | None = None) -> Outcome:
        out, err = io.StringIO(), io.StringIO()
        env = Environment(
            stdin=io.BytesIO(stdin), stdout=out, stderr=err, cwd=self.cwd, environ={**self.environ, **(environ or {})}
        )
        return Outcome(cli.main(list(args), env), out.getvalue(), err.getvalue())

    def report(self, folder: str = "report") -> dict[str, Any]:
        """report.json of the last run, checked against the shipped schema."""
        data: dict[str, Any] = json.loads((self.cwd / folder / "report.json").read_text())
        jsonschema.validate(data, SCHEMA)
        return data

    def citations(self, folder: str = "report") -> dict[str, dict[str, Any]]:
        """Every citation of the last run's report, by URL."""
        return {c["url"]: c for a in self.report(folder)["articles"] for c in a["citations"]}


@pytest.fixture
def lc(tmp_path: Path) -> Cli:
    """The CLI in an empty working folder holding a config.toml that allows the loopback test servers."""
    (tmp_path / "config.toml").write_text(LOOPBACK_CONFIG)
    return Cli(tmp_path)
