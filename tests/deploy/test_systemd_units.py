"""The systemd units in deploy/systemd, checked without systemd running: systemd-analyze verifies
them (paths pointed at this checkout), and every command they start exists here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from config.celery import app as celery_app
from tests.deploy.known import (
    ROOT,
    celery_apps,
    manage_py_commands,
    management_commands,
    repo_paths,
    shell_words,
)

UNITS = ROOT / "deploy" / "systemd"
INSTALLED_AT = "/opt/trainerhub"  # where the units expect the checkout (see trainerhub-web.service)
SERVICES = sorted(UNITS.glob("*.service"))
EXEC_KEYS = ("ExecStartPre", "ExecStart", "ExecReload")


def unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Sections of a unit file; a key may repeat, so every value is a list."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        else:
            key, _, value = line.partition("=")
            current.setdefault(key.strip(), []).append(value.strip())
    return sections


def service(name: str) -> dict[str, list[str]]:
    return unit(UNITS / name)["Service"]


def exec_lines(path: Path) -> list[list[str]]:
    section = unit(path)["Service"]
    return [shell_words(line) for key in EXEC_KEYS for line in section.get(key, [])]


def here(path: str) -> Path:
    """A path of the installed checkout, in this checkout."""
    return Path(path.replace(INSTALLED_AT, str(ROOT), 1))


def test_the_recipe_has_web_worker_and_celery_units() -> None:
    assert {p.name for p in SERVICES} == {
        "trainerhub-web.service",
        "trainerhub-worker.service",
        "trainerhub-celery-worker.service",
        "trainerhub-celery-beat.service",
    }


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_every_command_a_unit_starts_exists(path: Path) -> None:
    known = management_commands()
    working_dir = here(service(path.name)["WorkingDirectory"][0])
    for words in exec_lines(path):
        executable = here(words[0])
        assert os.access(executable, os.X_OK), f"{path.name}: {words[0]} is not executable here"
        missing = set(manage_py_commands(words)) - known
        assert not missing, f"{path.name}: no such management command {missing}"
        assert set(celery_apps(words)) <= {"config.celery"}
        for file in repo_paths(words):
            assert (working_dir / file).is_file(), f"{path.name}: {file} does not exist"


def test_the_web_unit_runs_gunicorn_with_the_shipped_config_after_migrating() -> None:
    web = service("trainerhub-web.service")
    assert web["ExecStart"] == [
        f"{INSTALLED_AT}/.venv/bin/gunicorn -c deploy/gunicorn.conf.py config.wsgi"
    ]
    assert web["ExecStartPre"] == [f"{INSTALLED_AT}/.venv/bin/python manage.py migrate --noinput"]
    assert web["Type"] == ["notify"]  # gunicorn reports READY=1 to systemd


def test_the_worker_units_run_the_worker_and_celery() -> None:
    assert service("trainerhub-worker.service")["ExecStart"] == [
        f"{INSTALLED_AT}/.venv/bin/python manage.py run_worker"
    ]
    worker = shell_words(service("trainerhub-celery-worker.service")["ExecStart"][0])
    beat = shell_words(service("trainerhub-celery-beat.service")["ExecStart"][0])
    assert worker[1:5] == ["-A", "config.celery", "worker", "--loglevel=INFO"]
    assert beat[1:4] == ["-A", "config.celery", "beat"]


def test_beat_schedules_only_tasks_the_celery_worker_knows() -> None:
    import trainerhub.notifications.tasks  # noqa: F401 - registers the tasks, as the worker does

    scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert scheduled == {
        "calendars.refresh_due",
        "core.periodic",
        "notifications.dispatch_due",
        "notifications.reminder_sweep",
        "notifications.telegram_poll",
    }
    assert scheduled <= set(celery_app.tasks)


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_a_unit_writes_only_inside_its_state_directory(path: Path) -> None:
    # ProtectSystem=strict makes everything else read-only: a file elsewhere would fail at start.
    section = service(path.name)
    assert section["ProtectSystem"] == ["strict"]
    state = f"/var/lib/{section['StateDirectory'][0]}"
    assert section["EnvironmentFile"] == ["/etc/trainerhub/trainerhub.env"]
    for words in exec_lines(path):
        for word in words:
            value = word.split("=", 1)[-1]
            if value.startswith("/var/"):
                assert value.startswith(f"{state}/"), f"{path.name} writes {value}"


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_every_unit_belongs_to_the_target(path: Path) -> None:
    sections = unit(path)
    assert sections["Unit"]["PartOf"] == ["trainerhub.target"]
    assert sections["Install"]["WantedBy"] == ["trainerhub.target"]
    assert unit(UNITS / "trainerhub.target")["Install"]["WantedBy"] == ["multi-user.target"]


def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail(
            "The unit check needs systemd-analyze: `sudo apt-get install systemd` "
            "(`make test` installs it where it may).",
            pytrace=False,
        )
    for path in [*SERVICES, UNITS / "trainerhub.target"]:
        (tmp_path / path.name).write_text(path.read_text().replace(INSTALLED_AT, str(ROOT)))
    done = subprocess.run(
        [analyze, "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
    )
    # Any output is a complaint (an unknown key is only a warning, with exit status 0).
    assert (done.returncode, done.stdout + done.stderr) == (0, "")
