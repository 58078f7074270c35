"""What a web process loads: the SDKs only the worker or a rare request needs stay out of
every gunicorn worker (issue 20's memory target: a web worker ≤ 150 MB after the load runs).
Measured with `import` in a fresh interpreter, since the test process has loaded everything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# Module -> why a web process does without it (and its cost in RSS, measured on 2026-12-03).
DEFERRED = {
    "stripe": "loaded by billing.stripe_gateway when Stripe is called (29 MB)",
    "sqlglot": "loaded when the assistant asks the model (13 MB)",
    "caldav": "loaded by the worker's CalDAV read (11 MB with requests and lxml)",
}

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from config.wsgi import application  # noqa: F401
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted(m for m in sys.modules if "." not in m)))
"""


def test_the_web_process_does_not_load_what_only_the_worker_or_a_rare_request_needs(tmp_path):
    env = {**os.environ, "DEBUG": "false", "DATA_DIR": str(tmp_path), "LOG_LEVEL": "WARNING"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert {name: why for name, why in DEFERRED.items() if name in loaded} == {}
