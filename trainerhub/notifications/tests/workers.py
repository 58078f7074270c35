"""Run the real worker command in subprocesses against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def worker_env(smtp_port: int, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "SITE_URL": settings.SITE_URL,
        "TASK_BACKEND": "worker",
        "LOG_LEVEL": "WARNING",
        "TWILIO_ACCOUNT_SID": "",
        "TELEGRAM_BOT_TOKEN": "",
        "BACKUP_DAILY": "false",  # the loop would back the test database up into DATA_DIR
    }
    env.pop("TRAINERHUB_CRASH_AFTER_SEND", None)
    env.update(extra)
    return env


def start_worker(smtp_port: int, *args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--once", *args],
        cwd=ROOT,
        env=worker_env(smtp_port, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_worker(smtp_port: int, *args: str, **extra: str) -> subprocess.CompletedProcess:
    proc = start_worker(smtp_port, *args, **extra)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
