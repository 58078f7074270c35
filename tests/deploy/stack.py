"""The production recipe started for real: Debian's nginx with deploy/nginx/trainerhub.conf in
front of gunicorn (deploy/gunicorn.conf.py) and the background worker, on loopback.

Everything lives in one temporary folder: the data folder (SQLite, or a PostgreSQL database of
its own when DATABASE_URL names PostgreSQL), STATIC_ROOT, a self-signed certificate, nginx's
pid, logs and temp files. Nothing needs root, and nothing outside the folder is touched.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "trainerhub.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
BIN = Path(sys.executable).parent
NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")
MIME_TYPES = Path(os.environ.get("NGINX_MIME_TYPES", "/etc/nginx/mime.types"))
HOSTNAME = "trainerhub.example.com"  # the site's server_name, sent as Host like a browser would
PORTS = range(8200, 8300)  # this suite's loopback range
TRAINER_EMAIL = "nginx-trainer@example.com"

# The site file is used as shipped; only these directives change (ports and paths). Each must
# appear exactly once as a directive, so an edit of the site cannot silently escape the test.
SITE_DIRECTIVES = {
    "server 127.0.0.1:8000;": "server 127.0.0.1:{app_port};",
    "listen 80;": "listen 127.0.0.1:{http_port};",
    "listen 443 ssl http2;": "listen 127.0.0.1:{https_port} ssl http2;",
    "alias /opt/trainerhub/staticfiles/;": "alias {static_root}/;",
    "ssl_certificate /etc/letsencrypt/live/trainerhub.example.com/fullchain.pem;": (
        "ssl_certificate {cert};"
    ),
    "ssl_certificate_key /etc/letsencrypt/live/trainerhub.example.com/privkey.pem;": (
        "ssl_certificate_key {key};"
    ),
}


@dataclass
class Stack:
    tmp: Path
    env: dict[str, str]
    app_port: int
    http_port: int
    https_port: int
    cert: Path
    client_pk: int = 0
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def static_root(self) -> Path:
        return Path(self.env["STATIC_ROOT"])

    @property
    def media_root(self) -> Path:
        return Path(self.env["DATA_DIR"]) / "media"

    def logs(self) -> str:
        """Every log of the stack, for a failing assertion's message."""
        parts = []
        for path in sorted(self.tmp.glob("*.log")):
            parts.append(f"--- {path.name} ---\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)


def require_nginx() -> None:
    # A missing nginx is a failure that says how to get it, never a skip.
    if not os.access(NGINX, os.X_OK):
        pytest.fail(
            f"The deploy tests need Debian's nginx at {NGINX}. Install it with "
            "`sudo apt-get install nginx` (or set NGINX_PATH); `make test` installs it where "
            "it may.",
            pytrace=False,
        )
    if not MIME_TYPES.is_file():
        pytest.fail(f"nginx's mime.types is missing at {MIME_TYPES}", pytrace=False)
    if shutil.which("openssl") is None:
        pytest.fail("The deploy tests need the openssl command (apt-get install openssl).")


def free_ports(count: int) -> list[int]:
    found: list[int] = []
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    pytest.fail(f"no {count} free loopback ports in {PORTS.start}-{PORTS.stop - 1}")


def render_site(site: str, **values: object) -> str:
    for directive, replacement in SITE_DIRECTIVES.items():
        pattern = re.compile(rf"^(\s*){re.escape(directive)}", re.MULTILINE)
        site, count = pattern.subn(lambda m, r=replacement: m.group(1) + r.format(**values), site)
        assert count == 1, f"{SITE.name}: `{directive}` appears {count} times, expected once"
    return site


def nginx_main_conf(tmp: Path) -> str:
    """The outer nginx.conf a distribution provides, pointed at the temporary folder."""
    # As root, nginx's workers would switch to "nobody", who may not read pytest's 0700 folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(
        f"    {kind}_temp_path {tmp}/nginx-{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/nginx-error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
        f"    sendfile on;\n    access_log {tmp}/nginx-access.log;\n{temp_paths}"
        f"    include {tmp}/trainerhub.conf;\n"
        "}\n"
    )


def self_signed_certificate(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", f"/CN={HOSTNAME}"]
    command += ["-addext", f"subjectAltName=DNS:{HOSTNAME},IP:127.0.0.1"]
    subprocess.run(command, check=True, capture_output=True)
    return cert, key


def app_env(tmp: Path, app_port: int, database_url: str | None) -> dict[str, str]:
    """Only what the recipe's env file would hold: nothing leaks in from the test's shell."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    env = {
        **keep,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATA_DIR": str(tmp / "data"),
        "STATIC_ROOT": str(tmp / "static"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "HTTPS": "true",
        "BEHIND_PROXY": "true",
        "ALLOWED_HOSTS": HOSTNAME,
        "SITE_URL": f"https://{HOSTNAME}",
        "HOST": "127.0.0.1",
        "PORT": str(app_port),
        # One worker process: rate limits live in a per-process cache without REDIS_URL.
        "WEB_CONCURRENCY": "1",
        "EMAIL_URL": "console:",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr[-4000:]}"
    return done.stdout


SEED = f"""
from trainerhub.accounts.tests.factories import TrainerFactory
from trainerhub.clients.tests.factories import ClientFactory
trainer = TrainerFactory(email={TRAINER_EMAIL!r}, slug="nginx-trainer")
print(ClientFactory(trainer=trainer).pk)
"""


def start(stack: Stack, name: str, command: list[str]) -> subprocess.Popen[bytes]:
    log = (stack.tmp / f"{name}.log").open("wb")
    process = subprocess.Popen(
        command, cwd=ROOT, env=stack.env, stdout=log, stderr=subprocess.STDOUT
    )
    stack.processes.append(process)
    return process


def wait_for_port(stack: Stack, process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited with {process.returncode}\n{stack.logs()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"nothing listened on 127.0.0.1:{port} within 30 s\n{stack.logs()}")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def own_postgres_database() -> Iterator[str | None]:
    """On a PostgreSQL run, a database of the stack's own beside the test database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'trainerhub'}_nginx_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write_nginx_config(stack: Stack, key: Path) -> Path:
    site = render_site(
        SITE.read_text(),
        app_port=stack.app_port,
        http_port=stack.http_port,
        https_port=stack.https_port,
        static_root=stack.static_root,
        cert=stack.cert,
        key=key,
    )
    (stack.tmp / "trainerhub.conf").write_text(site)
    main = stack.tmp / "nginx.conf"
    main.write_text(nginx_main_conf(stack.tmp))
    return main


def prepare(stack: Stack) -> None:
    """What an operator does before starting the services (see deploy/README.md)."""
    manage(stack.env, "migrate", "--noinput")
    manage(stack.env, "collectstatic", "--noinput", "--verbosity", "0")
    stack.client_pk = int(manage(stack.env, "shell", "-c", SEED).split()[-1])


def start_services(stack: Stack, nginx_conf: Path) -> None:
    # deploy/systemd's command lines: gunicorn with the shipped config; the worker (more often).
    web = [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONF), "config.wsgi"]
    gunicorn = start(stack, "gunicorn", web)
    start(stack, "worker", [sys.executable, "manage.py", "run_worker", "--interval", "5"])
    nginx_command = [NGINX, "-e", "stderr", "-p", str(stack.tmp), "-c", str(nginx_conf)]
    nginx = start(stack, "nginx", [*nginx_command, "-g", "daemon off;"])
    wait_for_port(stack, gunicorn, stack.app_port)
    wait_for_port(stack, nginx, stack.https_port)


@contextmanager
def running_stack(tmp: Path) -> Iterator[Stack]:
    require_nginx()
    app_port, http_port, https_port = free_ports(3)
    cert, key = self_signed_certificate(tmp)
    with own_postgres_database() as database_url:
        env = app_env(tmp, app_port, database_url)
        stack = Stack(tmp, env, app_port, http_port, https_port, cert)
        prepare(stack)
        nginx_conf = write_nginx_config(stack, key)
        try:
            start_services(stack, nginx_conf)
            yield stack
        finally:
            stop(stack.processes)
