"""gunicorn settings for TrainerHub, used by `manage.py serve` (`make run`), the systemd unit
and the Docker image alike: `gunicorn -c deploy/gunicorn.conf.py config.wsgi:application`.

Everything comes from the environment:
  HOST, PORT        where to listen (default 127.0.0.1:8000; behind nginx keep loopback)
  WEB_CONCURRENCY   worker processes (default 2: two cores shared with the worker and the
                    database is typical for one practice; raise it for more traffic)
  BEHIND_PROXY      true when nginx (or another proxy) in front sets X-Forwarded-Proto;
                    only then are forwarded headers trusted, from FORWARDED_ALLOW_IPS
                    (default loopback, where nginx connects from)
  GUNICORN_TIMEOUT  seconds a request may take before its worker is replaced (default 30)
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _bind(host: str, port: str) -> str:
    # A bare IPv6 address needs brackets ("::1" -> "[::1]:8000").
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


wsgi_app = "config.wsgi:application"
chdir = str(ROOT)  # so `config` imports whichever directory the command was started from
bind = [_bind(os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000"))]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# A slow page (an export, a big import) gets 30 s; a stop lets requests in flight finish.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5

# Each request is already logged as one JSON line by RequestLogMiddleware (to stderr), so
# gunicorn's own access log stays off; its error log (start, stop, worker timeouts) goes to
# stderr beside it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Trust X-Forwarded-* only behind a proxy we were told about: directly on the internet anyone
# could claim to have come over HTTPS.
if _truthy("BEHIND_PROXY"):
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
else:
    forwarded_allow_ips = ""
    secure_scheme_headers: dict[str, str] = {}

# gunicorn >= 25 opens a control socket at one fixed path per user ($HOME/.gunicorn): two
# servers on one machine (a test beside `make run`) would fight over it, and we never use it.
control_socket_disable = True

proc_name = "trainerhub"
