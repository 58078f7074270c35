"""One structured log line per request: method, path, status and duration."""

import json
import logging
import logging.config
from types import SimpleNamespace

import pytest
from django.conf import settings

from trainerhub.core import logging as request_logging


def request_records(caplog):
    return [r for r in caplog.records if r.name == "trainerhub.request"]


@pytest.mark.django_db
def test_each_request_logs_one_record_with_its_facts(client, caplog):
    with caplog.at_level(logging.INFO, logger="trainerhub.request"):
        response = client.get("/accounts/login/?secret=search-term")
    records = request_records(caplog)
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status) == ("GET", "/accounts/login/", 200)
    assert isinstance(record.duration_ms, float)
    assert record.request_id == response["X-Request-ID"]


@pytest.mark.django_db
def test_the_record_is_one_json_line(client, caplog, monkeypatch):
    # The middleware's own clock, stopped: the request takes exactly 12.3 ms.
    ticks = iter([100.0, 100.0123])
    monkeypatch.setattr(request_logging, "time", SimpleNamespace(perf_counter=lambda: next(ticks)))
    with caplog.at_level(logging.INFO, logger="trainerhub.request"):
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="abc123")
    (record,) = request_records(caplog)
    formatter = logging.config.DictConfigurator(settings.LOGGING).configure_formatter(
        settings.LOGGING["formatters"]["json"]
    )
    line = formatter.format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["method"] == "GET"
    assert data["path"] == "/no-such-page/"
    assert data["status"] == 404
    assert data["duration_ms"] == 12.3
    assert data["request_id"] == "abc123"
    assert data["level"] == "INFO"


@pytest.mark.django_db
def test_the_signed_in_user_is_logged_but_not_the_query_string(client, alice, caplog):
    client.force_login(alice)
    with caplog.at_level(logging.INFO, logger="trainerhub.request"):
        client.get("/accounts/profile/?q=private")
    (record,) = request_records(caplog)
    assert record.user_id == alice.pk
    assert "private" not in record.path
