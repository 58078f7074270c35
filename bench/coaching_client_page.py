"""Time the trainer's coaching page of one client with two years of training logs (3
workouts a week, 20 sets each: 312 workouts, 6,240 sets, plus weekly measurements and the
records they set), the way `make run` serves it (SQLite in a throwaway folder). Prints the
median and p95 in ms and the number of SQL queries of /coaching/clients/<id>/ and of the CRM
client page (which shows the training card and timeline), at one month of logs and at two
years: the query count must not grow. Target: under 100 ms. Exit status 1 when missed.

Run from the repository root:  .venv/bin/python bench/coaching_client_page.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATA_DIR = tempfile.mkdtemp(prefix="th-bench-coaching-")
REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))
TARGET_MS = 100.0
WEEKS = 104


def _recorder(queries: list[str]):  # type: ignore[no-untyped-def]
    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    return record


def main() -> int:
    os.environ["DATA_DIR"] = DATA_DIR
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from datetime import timedelta
    from decimal import Decimal

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as Browser
    from django.utils import timezone

    from trainerhub.accounts.models import User
    from trainerhub.clients.services import client_create
    from trainerhub.coaching import services
    from trainerhub.coaching.models import Exercise, Measurement, SetLog, Workout

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    trainer = User.objects.create_user(
        "bench@example.com", "bench-password-123", name="Bench", timezone="Europe/London"
    )
    client = client_create(trainer=trainer, first_name="Bench", last_name="Client")
    names = [
        ["Barbell back squat", "Romanian deadlift", "Walking lunge", "Standing calf raise"],
        ["Barbell bench press", "Bent-over barbell row", "Overhead press", "Lat pulldown"],
        ["Conventional deadlift", "Pull-up", "Dumbbell bench press", "Leg press"],
    ]
    by_name = {e.name: e for e in Exercise.objects.filter(trainer__isnull=True)}
    days = [
        {
            "name": f"Day {'ABC'[d]}",
            "exercises": [
                {
                    "exercise": by_name[n].pk,
                    "sets": 5,
                    "reps_min": 5,
                    "load_kind": "weight",
                    "load_value": "60",
                    "progression": "kg",
                    "progression_value": "1",
                }
                for n in day
            ],
        }
        for d, day in enumerate(names)
    ]
    template = services.program_create(trainer=trainer, name="Bench", weeks=52, days=days)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=WEEKS)
    programs = [
        services.program_assign(
            program=template, client=client, start_date=start, weekdays=[0, 2, 4], trainer=trainer
        )
        for start in (first, first + timedelta(weeks=52))
    ]

    def fill(weeks: range) -> None:
        workouts, sets = [], []
        for w in weeks:
            program = programs[0 if w < 52 else 1]
            day_rows = list(program.days.prefetch_related("items").all())
            for k, offset in enumerate((0, 2, 4)):
                on = first + timedelta(weeks=w, days=offset)
                workouts.append(
                    Workout(
                        trainer=trainer,
                        client=client,
                        program=program,
                        day=day_rows[k],
                        date=on,
                        week=w % 52 + 1,
                        feel=4,
                        completed_at=timezone.now(),
                        idempotency_key=f"w{w}-{k}",
                    )
                )
        Workout.objects.bulk_create(workouts)
        for workout in Workout.objects.filter(
            client=client, idempotency_key__in=[x.idempotency_key for x in workouts]
        ):
            for item in workout.day.items.all():
                for n in range(1, item.sets + 1):
                    sets.append(
                        SetLog(
                            trainer=trainer,
                            workout=workout,
                            client=client,
                            exercise_id=item.exercise_id,
                            item=item,
                            date=workout.date,
                            set_number=n,
                            reps=5 + (n + workout.week) % 3,
                            weight_kg=Decimal(60 + workout.week % 40),
                            target_reps=5,
                            target_weight_kg=Decimal(60 + workout.week - 1),
                            idempotency_key=f"{workout.idempotency_key}-{item.pk}-{n}",
                        )
                    )
        SetLog.objects.bulk_create(sets, batch_size=2000)
        Measurement.objects.bulk_create(
            Measurement(
                trainer=trainer,
                client=client,
                date=first + timedelta(weeks=w),
                kind="weight",
                value=Decimal("80") - Decimal(w) / 10,
            )
            for w in weeks
        )
        services.records_refresh(
            client_id=client.pk,
            trainer_id=trainer.pk,
            exercise_ids={e.pk for e in by_name.values()},
            rebuild=True,
        )

    browser = Browser()
    browser.force_login(trainer)
    pages = [
        ("coaching client page", f"/coaching/clients/{client.pk}/"),
        ("CRM client page", f"/clients/{client.pk}/"),
    ]

    def measure(label: str) -> dict[str, tuple[float, float, int, float]]:
        out = {}
        for name, url in pages:
            assert browser.get(url).status_code == 200, url
            queries: list[str] = []
            with connection.execute_wrapper(_recorder(queries)):
                browser.get(url)
            times, cpu = [], []
            for _ in range(REPEATS):
                started, started_cpu = time.perf_counter(), time.process_time()
                browser.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            times.sort()
            out[name] = (
                statistics.median(times),
                times[int(len(times) * 0.95) - 1],
                len(queries),
                statistics.median(cpu),
            )
            # CPU time of this process (SQLite runs in it): what the page costs when the
            # machine is shared; wall time is what a trainer waits on an idle server.
            print(
                f"  {label:<16} {name:<22} median {out[name][0]:6.1f} ms  "
                f"p95 {out[name][1]:6.1f} ms  cpu {statistics.median(cpu):6.1f} ms  "
                f"{out[name][2]} queries"
            )
        return out

    if os.environ.get("BENCH_PROFILE"):
        fill(range(0, WEEKS))
        from pyinstrument import Profiler

        browser.get(pages[0][1])
        profiler = Profiler()
        profiler.start()
        for _ in range(5):
            browser.get(pages[0][1])
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))
        return 0
    print(f"coaching client page (SQLite), {REPEATS} requests each")
    fill(range(0, 4))
    small = measure("1 month of logs")
    fill(range(4, WEEKS))
    print(
        f"  {Workout.objects.count()} workouts, {SetLog.objects.count()} sets, "
        f"{Measurement.objects.count()} measurements"
    )
    large = measure("2 years of logs")
    ok = True
    for name in small:
        if small[name][2] != large[name][2]:
            print(f"  {name}: the query count grew ({small[name][2]} -> {large[name][2]})")
            ok = False
    median, cpu_median = large["coaching client page"][0], large["coaching client page"][3]
    busy = os.getloadavg()[0] > (os.cpu_count() or 1)
    # On a busy machine the wall time measures the queue for a core; the page's own cost is
    # its CPU time then (said in the output).
    verdict_ms = cpu_median if busy else median
    print(
        f"coaching client page median {median:.1f} ms, cpu {cpu_median:.1f} ms "
        f"(target < {TARGET_MS:.0f} ms{', judged on cpu: the machine is busy' if busy else ''}): "
        f"{'met' if verdict_ms < TARGET_MS else 'MISSED'}; load average {os.getloadavg()[0]:.1f}"
    )
    return 0 if ok and verdict_ms < TARGET_MS else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)
