"""Slots under load: the server as `make run` starts it, 16 connections, a bounded time.

Builds a database of its own (th_bench_<pid> next to DATABASE_URL's, or a temporary SQLite
file without it) holding the peer's workload (bench/slots_api.py: 07:00-21:00 daily, a
15-minute service, 20 time off, 2,000 bookings), collects static files if needed, starts
`manage.py serve --no-worker` with DEBUG off (gunicorn, deploy/gunicorn.conf.py,
WEB_CONCURRENCY workers, default 2) on a free port, and then runs GET /api/v1/slots/ (60
days) from a small asyncio client (bench/_http.py) at CONNECTIONS connections for SECONDS
seconds, with the slot cache on (SLOTS_CACHE_SECONDS=15; the default only with Redis) and
then off (0, a second server). Prints requests/s, p50, p99, the status counts and the
client's own CPU, and the web workers' RSS.

  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/load.py
  .venv/bin/python bench/load.py [seconds] [connections]
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import slots_api  # noqa: E402  (the workload and the database helpers)
from _http import Connection, Run, path_with_query, run  # noqa: E402

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 20
CONNECTIONS = int(sys.argv[2]) if len(sys.argv) > 2 else 16


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    """`manage.py serve` as `make run` runs it (DEBUG off), without the worker."""
    server_env = {**env, "DEBUG": "false", "HOST": "127.0.0.1", "PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--no-worker"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("the server did not start within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def workers_rss_mb(process: subprocess.Popen) -> list[float]:
    """RSS of every process in the server's session (supervisor, gunicorn and its workers)."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            if os.getsid(int(status.parent.name)) != process.pid:
                continue
        except (OSError, ValueError):
            continue
        for line in text.splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sorted(sizes)


async def hammer(url: str, params: dict, token: str) -> Run:
    """GET url?params from CONNECTIONS keep-alive connections for SECONDS seconds
    (bench/_http.py: a client light enough not to take the server's CPU)."""
    import httpx

    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
    # The answer checked once, decoded, with a full client: the load runs then count statuses.
    answer = httpx.get(url, params=params, headers=headers, timeout=30)
    assert answer.status_code == 200 and answer.json()["slots"], answer.status_code
    connections = [Connection(url, headers) for _ in range(CONNECTIONS)]
    request = connections[0].request_bytes("GET", path_with_query(url, params))
    for connection in connections:  # warm every connection and worker
        status, body = await connection.send(request)
    # ...and this client reads the same answer: the gzipped bytes of the same slots.
    assert status == 200 and json.loads(gzip.decompress(body)) == answer.json()
    stop = time.monotonic() + SECONDS
    return await run(connections, lambda: request if time.monotonic() < stop else None)


def report(title: str, done: Run) -> None:
    ordered = sorted(done.latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    rate, p50 = len(ordered) / done.elapsed, statistics.median(ordered)
    print(
        f"  {title:<12} {rate:7.1f} requests/s   p50 {p50:6.1f} ms"
        f"   p99 {p99:6.1f} ms   statuses {done.statuses}   client CPU {done.client_cpu:.2f} cores"
    )


def prepare(bench_url: str) -> dict[str, str]:
    """Point this process and the server it will start at the bench database: Django set up,
    migrated, static files collected as `make run` serves them. Answers the server's env."""
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "EMAIL_VERIFICATION": "off",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env={**env, "DEBUG": "false"},
            check=True,
        )
    return env


def main() -> None:
    admin_url, bench_url, name = slots_api.database_urls()
    if admin_url:
        slots_api.admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    try:
        env = prepare(bench_url)
        from django.db import connection, connections
        from rest_framework_simplejwt.tokens import RefreshToken

        trainer, service, first = slots_api.build(2000, "load@example.com")
        vendor = connection.vendor
        connections.close_all()
        token = str(RefreshToken.for_user(trainer).access_token)
        last = first + timedelta(days=slots_api.DAYS - 1)
        params = {"service": service.pk, "from": first.isoformat(), "to": last.isoformat()}
        workers = env.get("WEB_CONCURRENCY", "2")
        print(
            f"slots under load on {vendor}: {CONNECTIONS} connections, {SECONDS:.0f} s each, "
            f"gunicorn with {workers} workers (manage.py serve, DEBUG off), 60 days of the "
            f"peer's workload; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
        )
        for title, cache_seconds in (("cache on", "15"), ("cache off", "0")):
            port = free_port()
            server = start_server({**env, "SLOTS_CACHE_SECONDS": cache_seconds}, port)
            try:
                url = f"http://127.0.0.1:{port}/api/v1/slots/"
                report(title, asyncio.run(hammer(url, params, token)))
                rss = ", ".join(f"{mb:.0f}" for mb in workers_rss_mb(server))
                print(f"  {'':<12} server processes RSS MB: {rss}")
            finally:
                stop_server(server)
    finally:
        if admin_url:
            slots_api.admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
