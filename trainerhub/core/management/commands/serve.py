"""`manage.py serve`: gunicorn (deploy/gunicorn.conf.py) and the background worker, supervised.

This is the command `make run` ends with and the as-shipped browser test starts. gunicorn reads
HOST, PORT and WEB_CONCURRENCY itself (see deploy/gunicorn.conf.py); static files are served by
WhiteNoise from STATIC_ROOT, so run `collectstatic` first (`make run` does).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trainerhub.core.serving import Supervisor

GUNICORN_CONF = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"


class Command(BaseCommand):
    help = "Serve TrainerHub with gunicorn and run the background worker beside it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Only the web server (the worker runs elsewhere, e.g. its own systemd unit).",
        )

    def handle(self, *args: Any, no_worker: bool = False, **opts: Any) -> None:
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if not settings.DEBUG and not manifest.exists():
            raise CommandError(
                f"No collected static files in {settings.STATIC_ROOT}: run "
                "`manage.py collectstatic --noinput` first (`make run` does), or every page "
                "would be served without its CSS and JavaScript."
            )
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(GUNICORN_CONF),
            "config.wsgi:application",
        ]
        worker = None if no_worker else self._worker_command()
        code = Supervisor(web=web, worker=worker).run()
        if code:
            sys.exit(code)

    def _worker_command(self) -> list[str] | None:
        if settings.TASK_BACKEND == "celery":
            # Several machines: Celery's worker and beat run as their own services.
            self.stderr.write(
                "TASK_BACKEND=celery: not starting the built-in worker; run "
                "`celery -A config.celery worker` and `celery -A config.celery beat`."
            )
            return None
        manage = Path(settings.BASE_DIR) / "manage.py"
        return [sys.executable, str(manage), "run_worker"]
