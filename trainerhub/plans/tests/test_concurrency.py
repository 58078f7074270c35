"""A limit holds under concurrency: 9 of 10 active clients exist, 30 creations at once give
exactly one more (SQLite and PostgreSQL: run with DATABASE_URL for the latter)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from trainerhub.clients import services as client_services
from trainerhub.clients.models import Client
from trainerhub.core.errors import Conflict
from trainerhub.plans.tests.conftest import make_plan


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_creations_give_exactly_one_more(alice, plans_on):
    make_plan("Ten", is_default=True, max_active_clients=10)
    for n in range(9):
        client_services.client_create(trainer=alice, first_name=f"C{n}")
    barrier = threading.Barrier(30)
    refused: list[Conflict] = []
    errors: list[BaseException] = []

    def create(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            client_services.client_create(trainer=alice, first_name=f"New{n}")
        except Conflict as exc:
            refused.append(exc)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(refused) == 29
    assert {exc.code for exc in refused} == {"plan_limit"}
    assert Client.objects.filter(trainer=alice).count() == 10
