"""The country of a timezone and the names of countries, from the tz database's tables."""

from __future__ import annotations

import pytest

from trainerhub.core.countries import country_choices, country_for_timezone, country_name


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("Europe/Berlin", "DE"),  # zone1970.tab lists DE,DK,NO,SE,SJ; zone.tab says DE
        ("Europe/London", "GB"),
        ("America/New_York", "US"),
        ("Australia/Sydney", "AU"),
        ("Europe/Oslo", "NO"),  # a zone of zone.tab that zone1970.tab merged into Berlin
        ("UTC", ""),
        ("Etc/GMT+2", ""),
        ("Not/AZone", ""),
        ("", ""),
    ],
)
def test_country_for_timezone(zone, country):
    assert country_for_timezone(zone) == country


def test_country_names_and_choices():
    assert country_name("DE") == "Germany" and country_name("de") == "Germany"
    assert country_name("XX") == ""
    choices = country_choices()
    assert ("GB", "Britain (UK)") in choices
    assert [name for _, name in choices] == sorted(name for _, name in choices)
