"""The command line's distributed parts that need no Redis: --broker and [distributed] validated and shown,
`linkcheck worker` refusing to start without a broker, and a single-process run not loading Dramatiq."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from linkcheck import cli
from linkcheck.environment import Environment


def linkcheck(cwd: Path, *args: str, environ: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.BytesIO(), stdout=out, stderr=err, cwd=cwd, environ=environ or {})
    return cli.main(list(args), env), out.getvalue(), err.getvalue()


def test_worker_without_a_broker_exits_2_saying_what_is_missing(tmp_path: Path) -> None:
    code, _, err = linkcheck(tmp_path, "worker")
    assert code == 2
    assert "no broker" in err and "--broker" in err


def test_a_broker_that_is_not_redis_is_refused_naming_the_flag(tmp_path: Path) -> None:
    code, _, err = linkcheck(tmp_path, "run", "article.md", "--broker", "amqp://rabbit/")
    assert code == 2
    assert "--broker" in err and "redis://" in err


def test_config_shows_the_distributed_keys_and_where_they_came_from(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[distributed]\nshards = 8\n")
    environ = {"LINKCHECK_DISTRIBUTED_SLICE_SECONDS": "30"}
    code, out, err = linkcheck(tmp_path, "config", "--json", "--broker", "redis://q:6379/1", environ=environ)
    assert code == 0, err
    shown = json.loads(out)
    text = json.dumps(shown)
    for expected in ("redis://q:6379/1", "--broker", "LINKCHECK_DISTRIBUTED_SLICE_SECONDS", "config.toml"):
        assert expected in text, expected


def test_a_single_process_run_does_not_load_dramatiq(tmp_path: Path) -> None:
    (tmp_path / "article.md").write_text("No links here.\n")
    code = (
        "import sys; from linkcheck.cli import main; "
        "code = main(['run', 'article.md', '--no-state', '--offline']); "
        "print(code, 'dramatiq' in sys.modules, 'redis' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert done.stdout.split()[-2:] == ["False", "False"], done.stdout + done.stderr
