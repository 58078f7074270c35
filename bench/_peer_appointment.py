"""The peer's side of bench/slots_peer.py: runs inside django-appointment's own virtualenv
(never imported by TrainerHub). Builds the peer's workload in a temporary SQLite database,
then answers each "run" line on stdin with the milliseconds 60 days of slots took through
HTTP (Django's test client, one GET of the peer's available-slots view per day, as its
booking page asks)."""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

SEED = 20261122
DAYS = 60
BOOKINGS = 2000

here = Path(tempfile.mkdtemp(prefix="peer_"))
(here / "peer_urls.py").write_text(
    "from django.urls import include, path\n"
    "urlpatterns = [path('appointment/', include('appointment.urls'))]\n"
)
sys.path.insert(0, str(here))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DEBUG=False,
    SECRET_KEY="peer-bench",
    ALLOWED_HOSTS=["testserver"],
    USE_TZ=True,
    TIME_ZONE="UTC",
    ROOT_URLCONF="peer_urls",
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(here / "db")}},
    INSTALLED_APPS=[
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
        "phonenumber_field",
        "appointment",
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ]
            },
        }
    ],
    STATIC_URL="/static/",
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    LOGGING_CONFIG=None,
)
django.setup()

from appointment.models import (  # noqa: E402
    Appointment,
    AppointmentRequest,
    Service,
    StaffMember,
    Unavailability,
    WorkingHours,
)
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

call_command("migrate", run_syncdb=True, verbosity=0)  # the wheel ships no migrations
rng = random.Random(SEED)
User = get_user_model()
staff_user = User.objects.create_user("staff", "staff@example.com", "pw")
service = Service.objects.create(name="Quarter", duration=timedelta(minutes=15), price=0)
staff = StaffMember.objects.create(
    user=staff_user,
    slot_duration=15,
    lead_time=clock(7),
    finish_time=clock(21),
    work_on_saturday=True,
    work_on_sunday=True,
)
staff.services_offered.add(service)
for weekday in range(7):
    WorkingHours.objects.create(
        staff_member=staff, day_of_week=weekday, start_time=clock(7), end_time=clock(21)
    )
first = timezone.localdate() + timedelta(days=1)
for _ in range(20):
    day = first + timedelta(days=rng.randrange(DAYS))
    hour = rng.randrange(7, 20)
    Unavailability.objects.create(
        staff_member=staff, date=day, start_time=clock(hour), end_time=clock(hour, 45)
    )
client_user = User.objects.create_user("client", "client@example.com", "pw")
quarters = [(d, q) for d in range(DAYS) for q in range(56)]
for day, quarter in sorted(rng.sample(quarters, BOOKINGS)):
    start = datetime.combine(first + timedelta(days=day), clock(7)) + timedelta(
        minutes=15 * quarter
    )
    request = AppointmentRequest.objects.create(
        date=start.date(),
        start_time=start.time(),
        end_time=(start + timedelta(minutes=15)).time(),
        service=service,
        staff_member=staff,
    )
    Appointment.objects.create(
        client=client_user, appointment_request=request, phone="+12025550123"
    )

http = Client(HTTP_X_REQUESTED_WITH="XMLHttpRequest")
url = "/appointment/ajax/available_slots/"


def run() -> tuple[float, int]:
    free = 0
    t0 = time.perf_counter()
    for offset in range(DAYS):
        day = first + timedelta(days=offset)
        response = http.get(url, {"selected_date": day.isoformat(), "staff_member": staff.pk})
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            raise SystemExit(f"peer answered {response.status_code}: {response.content[:300]!r}")
        free += len(response.json().get("available_slots", []))
    return (time.perf_counter() - t0) * 1000, free


run()  # warm
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() != "run":
        break
    ms, free = run()
    print(f"{ms:.1f} {free}", flush=True)
os._exit(0)
