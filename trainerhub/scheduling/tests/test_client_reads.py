"""Scheduling reads the trainer's clients through what the clients app supplies at startup
(scheduling may not import the CRM, which builds on bookings)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from trainerhub.clients import selectors
from trainerhub.scheduling import client_reads as port


def test_the_clients_app_supplies_its_selectors():
    assert port.client_reads() is selectors


def test_without_a_supplier_the_reads_fail_loudly(monkeypatch):
    monkeypatch.setattr(port, "_source", [])
    with pytest.raises(ImproperlyConfigured):
        port.client_reads()
