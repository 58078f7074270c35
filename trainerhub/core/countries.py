"""Countries: ISO 3166 codes and names, and the country a timezone belongs to.

Both come from the tz database's own tables (zone.tab, zone1970.tab and iso3166.tab), read
from the `tzdata` package or, failing that, from the system's /usr/share/zoneinfo: no list of
our own to keep up to date.
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path

SYSTEM_ZONEINFO = Path("/usr/share/zoneinfo")


def _table(name: str) -> list[list[str]]:
    """The rows of one tz table (tab-separated, '#' comments), [] when it is nowhere."""
    text = ""
    try:
        text = importlib.resources.files("tzdata.zoneinfo").joinpath(name).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        path = SYSTEM_ZONEINFO / name
        if path.exists():
            text = path.read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def _zone_countries() -> dict[str, str]:
    # zone.tab names one country per zone (Europe/Berlin -> DE); zone1970.tab, which merges
    # zones shared by several countries, fills in the rest with the first country it lists.
    countries: dict[str, str] = {}
    for row in _table("zone1970.tab"):
        if len(row) >= 3:
            countries.setdefault(row[2], row[0].split(",")[0])
    for row in _table("zone.tab"):
        if len(row) >= 3:
            countries[row[2]] = row[0]
    return countries


@cache
def _names() -> dict[str, str]:
    return {row[0]: row[1] for row in _table("iso3166.tab") if len(row) >= 2}


def country_for_timezone(tz_name: str) -> str:
    """The ISO code of the country of an IANA zone ('Europe/Berlin' -> 'DE'); '' for zones
    of no country (UTC, Etc/GMT+2) and unknown names."""
    return _zone_countries().get(tz_name or "", "")


def country_name(code: str) -> str:
    return _names().get((code or "").upper(), "")


def is_country(code: str) -> bool:
    return bool(code) and code in _names()


def country_choices() -> list[tuple[str, str]]:
    """(code, name) for a picker, by name."""
    return sorted(_names().items(), key=lambda item: item[1])
