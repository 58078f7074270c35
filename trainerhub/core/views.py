from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from trainerhub.core import heartbeat


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, the background worker has passed recently and (when
    REDIS_URL is set) Redis answers; otherwise 503 with the reasons. For load balancers,
    uptime checks and the Docker HEALTHCHECK."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        last_pass = heartbeat.heartbeat_last()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    worker = heartbeat.worker_health(
        last_pass=last_pass,
        now=timezone.now(),
        started_at=heartbeat.PROCESS_STARTED_AT,
        stale_after=timedelta(seconds=settings.WORKER_STALE_SECONDS),
    )
    body: dict[str, object] = {
        "status": "ok",
        "database": "ok",
        "worker": {"backend": settings.TASK_BACKEND, **worker.as_json()},
    }
    reasons = [] if worker.ok else [worker.reason]
    if settings.REDIS_URL:
        redis_error = _redis_error(settings.REDIS_URL)
        body["redis"] = redis_error or "ok"
        if redis_error:
            reasons.append(f"redis: {redis_error}")
    if reasons:
        body.update(status="error", reasons=reasons)
        return JsonResponse(body, status=503)
    return JsonResponse(body)


def _redis_error(url: str) -> str:
    """'' when Redis answers a PING within a second, else the error (never the URL, which may
    hold a password)."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except redis.RedisError as exc:
        return str(exc)[:200] or type(exc).__name__
    return ""


def ratelimited(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse(
        {"detail": "Too many requests from your address. Please wait a minute and try again."},
        status=429,
    )
