"""Slots against the main Python peer, django-appointment, on its own workload, same machine.

Installs django-appointment 3.12.0 in a virtualenv of its own (PEER_VENV, default
/tmp/th_peer_venv; from the configured package index, i.e. the local mirror) and starts
bench/_peer_appointment.py in it: 07:00-21:00 every day, a 15-minute service on a 15-minute
grid, 20 unavailabilities, 2,000 appointments in the 60 days (1,339 free slots), in SQLite.
TrainerHub gets the same workload in a temporary SQLite database (bench/slots_api.py's
build) with the slot cache off. Then the two run alternating, ROUNDS times each (default 5):
60 days of slots through HTTP (Django's test client; the peer answers one date per request,
so 60 requests; ours answers the range in one, and is also timed as 60 one-day requests).
Prints every run, the medians and the ratios.

  .venv/bin/python bench/slots_peer.py [rounds]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import slots_api  # noqa: E402

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
PEER = "django-appointment==3.12.0"
VENV = Path(os.environ.get("PEER_VENV", "/tmp/th_peer_venv"))


def peer_python() -> Path:
    python = VENV / "bin" / "python"
    ready = python.exists() and (
        subprocess.run([python, "-c", "import appointment"], capture_output=True).returncode == 0
    )
    if not ready:
        print(f"installing {PEER} in {VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", PEER], check=True)
    return python


def main() -> None:
    python = peer_python()
    peer = subprocess.Popen(
        [python, str(ROOT / "bench" / "_peer_appointment.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tempfile.gettempdir(),
    )
    path = Path(tempfile.mkdtemp()) / "ours.sqlite3"
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{path}",
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "WARNING",
            "SLOTS_CACHE_SECONDS": "0",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from rest_framework_simplejwt.tokens import RefreshToken

    call_command("migrate", verbosity=0)
    trainer, service, first = slots_api.build(2000, "peer-bench@example.com")
    token = RefreshToken.for_user(trainer).access_token
    http = Client(headers={"Authorization": f"Bearer {token}"})
    last = first + timedelta(days=slots_api.DAYS - 1)

    def ours_range() -> tuple[float, int]:
        t0 = time.perf_counter()
        response = http.get(
            "/api/v1/slots/",
            {"service": service.pk, "from": first.isoformat(), "to": last.isoformat()},
        )
        return (time.perf_counter() - t0) * 1000, len(response.json()["slots"])

    def ours_daily() -> tuple[float, int]:
        free, t0 = 0, time.perf_counter()
        for offset in range(slots_api.DAYS):
            day = (first + timedelta(days=offset)).isoformat()
            response = http.get("/api/v1/slots/", {"service": service.pk, "from": day, "to": day})
            free += len(response.json()["slots"])
        return (time.perf_counter() - t0) * 1000, free

    ours_range(), ours_daily()  # warm
    assert peer.stdout is not None and peer.stdin is not None
    for line in peer.stdout:  # the peer logs a warning or two on stdout before it is ready
        if line.strip() == "ready":
            break
    else:
        raise SystemExit("the peer did not start (run bench/_peer_appointment.py in its venv)")
    print(
        f"60 days of slots, the peer's workload, SQLite, {ROUNDS} alternating rounds; "
        f"load average {os.getloadavg()[0]:.1f} (figures under load when others run)"
    )
    runs: dict[str, list[float]] = {"peer": [], "ours (one request)": [], "ours (60 requests)": []}
    for round_ in range(1, ROUNDS + 1):
        peer.stdin.write("run\n")
        peer.stdin.flush()
        ms, peer_free = next(line for line in peer.stdout if line[:1].isdigit()).split()
        runs["peer"].append(float(ms))
        one, free = ours_range()
        daily, daily_free = ours_daily()
        runs["ours (one request)"].append(one)
        runs["ours (60 requests)"].append(daily)
        print(
            f"  round {round_}: peer {float(ms):8.1f} ms ({peer_free} free)   ours {one:6.1f} ms "
            f"({free} free)   ours by day {daily:7.1f} ms ({daily_free} free)"
        )
    peer.stdin.write("stop\n")
    peer.stdin.flush()
    peer.wait(timeout=30)
    medians = {name: statistics.median(values) for name, values in runs.items()}
    for name, value in medians.items():
        print(f"  median {name:<20} {value:9.1f} ms")
    print(
        f"  ratio: {medians['peer'] / medians['ours (one request)']:.0f}x faster (one request), "
        f"{medians['peer'] / medians['ours (60 requests)']:.1f}x (60 one-day requests)"
    )


if __name__ == "__main__":
    main()
