"""The supervisor behind `manage.py serve` (`make run`), driven with tiny stand-in programs:
it restarts a dying worker and says so, gives up after repeated quick deaths, stops when the
web server dies and passes SIGINT/SIGTERM on. The real gunicorn and worker run in
tests/e2e/test_as_shipped.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SUPERVISE = """
import json, sys
from trainerhub.core.serving import Supervisor
sys.exit(Supervisor(**json.loads(sys.argv[1])).run())
"""

# A long-running child: writes `ready`, and on SIGINT/SIGTERM writes which signal and exits.
RUNS = """
import signal, sys, time
from pathlib import Path
out = Path(sys.argv[1])
def stop(sig, _):
    out.with_suffix(".stopped").write_text(str(sig))
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
out.with_suffix(".ready").write_text("1")
time.sleep(120)
"""

# Is killed (SIGKILL, as the kernel's out-of-memory killer would) on its first start, then
# runs like RUNS.
DIES_ONCE = (
    """
import os, signal, sys
from pathlib import Path
first = Path(sys.argv[1]).with_suffix(".started")
if not first.exists():
    first.write_text("1")
    os.kill(os.getpid(), signal.SIGKILL)
"""
    + RUNS
)

# Exits with {code} once the other child (named by argv[1]) is ready for signals.
AFTER_READY = """
import sys, time
from pathlib import Path
ready = Path(sys.argv[1]).with_suffix(".ready")
while not ready.exists():
    time.sleep(0.05)
sys.exit({code})
"""


def child(script: str, marker: Path) -> list[str]:
    return [sys.executable, "-c", script, str(marker)]


def supervise(tmp_path: Path, **config: object) -> subprocess.Popen[str]:
    config.setdefault("backoff_max", 0.1)
    return subprocess.Popen(
        [sys.executable, "-c", SUPERVISE, json.dumps(config)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(path: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


def test_a_worker_that_keeps_dying_quickly_stops_everything_with_exit_code_1(tmp_path):
    web = tmp_path / "web"
    proc = supervise(
        tmp_path,
        web=child(RUNS, web),
        worker=child(AFTER_READY.format(code=3), web),
        max_quick_deaths=3,
    )
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.count("the worker died (exit code 3)") == 2
    assert "the worker died 3 times in a row within 30 s of starting (last: exit code 3)" in err
    assert "stopping TrainerHub" in err
    assert web.with_suffix(".stopped").read_text() == str(int(signal.SIGTERM))


def test_a_worker_that_dies_once_is_restarted_and_a_sigterm_stops_both(tmp_path):
    web, worker = tmp_path / "web", tmp_path / "worker"
    proc = supervise(tmp_path, web=child(RUNS, web), worker=child(DIES_ONCE, worker))
    wait_for(worker.with_suffix(".ready"))  # the second start
    wait_for(web.with_suffix(".ready"))
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "the worker died (killed by SIGKILL); reminders and emails are paused." in err
    assert "the worker was restarted." in err
    assert web.with_suffix(".stopped").read_text() == str(int(signal.SIGTERM))
    assert worker.with_suffix(".stopped").read_text() == str(int(signal.SIGTERM))


def test_sigint_is_passed_on_as_sigint(tmp_path):
    web, worker = tmp_path / "web", tmp_path / "worker"
    proc = supervise(tmp_path, web=child(RUNS, web), worker=child(RUNS, worker))
    wait_for(web.with_suffix(".ready"))
    wait_for(worker.with_suffix(".ready"))
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (0, "")
    assert web.with_suffix(".stopped").read_text() == str(int(signal.SIGINT))
    assert worker.with_suffix(".stopped").read_text() == str(int(signal.SIGINT))


def test_when_the_web_server_dies_the_worker_is_stopped_and_the_exit_code_kept(tmp_path):
    worker = tmp_path / "worker"
    web = child(AFTER_READY.format(code=4), worker)
    proc = supervise(tmp_path, web=web, worker=child(RUNS, worker))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 4
    assert "the web server stopped (exit code 4); stopping TrainerHub." in err
    assert worker.with_suffix(".stopped").read_text() == str(int(signal.SIGTERM))


def test_serve_refuses_to_start_without_collected_static_files(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "DATA_DIR": str(tmp_path / "data"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"No collected static files in {tmp_path / 'static'}" in result.stderr


GUNICORN_ENV = ("HOST", "PORT", "WEB_CONCURRENCY", "BEHIND_PROXY", "FORWARDED_ALLOW_IPS")


def gunicorn_config(**env: str) -> dict[str, str]:
    """deploy/gunicorn.conf.py as gunicorn reads it under `env` (its --print-config)."""
    base = {k: v for k, v in os.environ.items() if k not in GUNICORN_ENV}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    pairs = (line.split("=", 1) for line in result.stdout.splitlines() if " = " in line)
    return {key.strip(): value.strip() for key, value in pairs}


def test_gunicorn_defaults_listen_on_loopback_and_trust_no_forwarded_headers():
    config = gunicorn_config()
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["workers"] == "2"
    assert config["forwarded_allow_ips"] == "[]"
    assert config["secure_scheme_headers"] == "{}"
    assert config["accesslog"] == "None"  # RequestLogMiddleware writes one JSON line instead
    assert config["control_socket_disable"] == "True"
    assert config["wsgi_app"] == "config.wsgi:application"


def test_gunicorn_reads_host_port_concurrency_and_behind_proxy_from_the_environment():
    config = gunicorn_config(HOST="::1", PORT="8177", WEB_CONCURRENCY="3", BEHIND_PROXY="true")
    assert config["bind"] == "['[::1]:8177']"
    assert config["workers"] == "3"
    assert config["forwarded_allow_ips"] == "['127.0.0.1', '::1']"
    assert "'X-FORWARDED-PROTO': 'https'" in config["secure_scheme_headers"]
