"""The slot answer cache: one trainer's listing for a service, dates, zone and add-ons, kept
until something that can change availability is written.

Every write that can change what is offered (bookings and sessions, weekly hours, date
overrides, time off, services and add-ons, busy times from the trainer's calendars, the
scheduling settings, the trainer's zone) bumps the trainer's version after it commits
(`bump`, wired to the models' save/delete signals below; a writer that uses bulk_create
or update() on these calls it itself). A listing is read and stored under the version read
before its inputs were loaded, so an answer computed from data older than a commit is
never stored under the version that commit made.

The cache is Django's default cache: in-process memory unless REDIS_URL is set (then the
version and the answers are shared by every web process and the worker, and a bump is seen
at once). With in-process memory each web process keeps its own, and another process's
bump is not seen there, so the cache is off by default without Redis (SLOTS_CACHE_SECONDS
= 0); an operator who runs one web process may turn it on. Either way a cached slot is
only an offer: booking creation always re-checks the start
under the write guard with fresh inputs (services.bookings._check_place), so a stale slot is
refused, never double-booked.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from trainerhub.core.tenancy import TrainerRef, trainer_id_of

VERSION_SECONDS = 7 * 24 * 3600


def _ttl() -> int:
    return int(getattr(settings, "SLOTS_CACHE_SECONDS", 15))


def enabled() -> bool:
    """Whether answers are kept (SLOTS_CACHE_SECONDS > 0): a caller that stores a costly
    form of its answer (the gzipped bytes) makes it only when it will be reused."""
    return _ttl() > 0


def _version_key(trainer_id: int) -> str:
    return f"slots:v:{trainer_id}"


def version(trainer_id: int) -> int:
    """The trainer's current availability version (0 until the first bump seen here)."""
    found = cache.get(_version_key(trainer_id))
    return int(found) if found is not None else 0


def bump(trainer: TrainerRef) -> None:
    """Mark every cached listing of the trainer stale: now, and again once the current
    transaction commits. The first makes this process's own next read fresh (also inside a
    transaction that is never committed, as in tests); the second retires any answer another
    request computed from the data before the commit under the version of the first."""
    trainer_id = trainer_id_of(trainer)
    _bump_now(trainer_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(trainer_id))


def _bump_now(trainer_id: int) -> None:
    key = _version_key(trainer_id)
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or evicted): any new value differs from the old
        cache.set(key, version(trainer_id) + 1 + _entropy(), VERSION_SECONDS)


def _entropy() -> int:
    # After an eviction the counter restarts; a time-based jump keeps it from reusing a
    # number whose answers might still be cached.
    return int(time.time() * 1000) % 1_000_000_000


def cached(trainer_id: int, parts: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """compute()'s answer for (trainer, parts), from the cache while the trainer's version
    holds; SLOTS_CACHE_SECONDS = 0 turns caching off."""
    ttl = _ttl()
    if ttl <= 0:
        return compute()
    current = version(trainer_id)  # read before the inputs are loaded (see the docstring)
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    key = f"slots:a:{trainer_id}:{current}:{digest}"
    found = cache.get(key)
    if found is not None:
        return found
    answer = compute()
    cache.set(key, answer, ttl)
    return answer


def _on_write(sender: Any, instance: Any, **kwargs: Any) -> None:
    trainer_id = getattr(instance, "trainer_id", None)
    if trainer_id is None and sender._meta.label == "accounts.User":
        trainer_id = instance.pk
    if trainer_id is not None:
        bump(trainer_id)


WATCHED = (
    "scheduling.Session",
    "scheduling.Booking",
    "scheduling.Service",
    "scheduling.ServiceAddon",
    "scheduling.WeeklyInterval",
    "scheduling.DateOverride",
    "scheduling.TimeOff",
    # Busy times are replaced in bulk (no per-row signals); every such write also saves or
    # deletes their calendar subscription in the same transaction, so that is watched.
    "calendars.CalendarSubscription",
    "scheduling.SchedulingSettings",
    "accounts.User",  # the trainer's zone
)


def connect() -> None:
    """Wire the bump to every watched model's save and delete (SchedulingConfig.ready)."""
    from django.apps import apps

    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_on_write, sender=model, dispatch_uid=f"slots-cache-save-{label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"slots-cache-delete-{label}")
