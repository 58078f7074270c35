"""One rule for timezones: real IANA zones and links, never a file of the server's zone
directory that is not one ("localtime" is the machine's own zone, "Factory" a placeholder)."""

from __future__ import annotations

import pytest

from trainerhub.core.timezones import is_valid_timezone

ME = "/api/v1/me"


@pytest.mark.parametrize(
    "name", ["Europe/London", "America/Argentina/Buenos_Aires", "UTC", "US/Eastern", "Etc/GMT+2"]
)
def test_real_iana_zones_and_links_are_accepted(name):
    assert is_valid_timezone(name) is True


@pytest.mark.parametrize(
    "name", ["localtime", "Factory", "posixrules", "Mars/Olympus", "europe/london", "", None, 3]
)
def test_what_is_not_an_iana_zone_is_refused(name):
    assert is_valid_timezone(name) is False


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["localtime", "Factory"])
def test_profile_refuses_them_with_a_field_message(alice_api, name):
    response = alice_api.patch(ME, {"timezone": name}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["timezone"]


@pytest.mark.parametrize("name", ["localtime", "Factory"])
def test_the_visitors_zone_falls_back_to_the_trainers_and_says_so(name):
    from trainerhub.portal.selectors import resolve_tz

    assert resolve_tz(name, "Europe/London") == ("Europe/London", True)
