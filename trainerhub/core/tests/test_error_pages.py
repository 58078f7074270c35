"""The 404 and 500 pages wear the product's look; the 500 page renders without the database
(it may be what failed) and without any context processor."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_styled_and_says_what_to_do(client, alice):
    client.force_login(alice)
    response = client.get("/clients/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "We can\u2019t find that page" in page and "css/app" in page
    assert 'href="/scheduling/calendar/"' in page  # a way back for the trainer


def test_a_missing_page_for_a_visitor(client):
    page = client.get("/book/nobody-here/").content.decode()
    assert "We can\u2019t find that page" in page and "Go to the start page" in page


def test_the_server_error_page_needs_no_database(settings):
    settings.DEBUG = False
    with CaptureQueriesContext(connection) as queries:
        response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and len(queries) == 0
    assert "Something went wrong on our side" in page and "css/app" in page
