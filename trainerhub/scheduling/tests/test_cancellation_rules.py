"""The two cancellation rules every surface uses: what a reason must be, and what is late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trainerhub.core.errors import InvalidInput
from trainerhub.scheduling.services.cancellation import (
    REASON_MAX_LENGTH,
    REASON_REQUIRED,
    REASON_TOO_LONG,
    cancellation_is_late,
    cancellation_reason_clean,
)

START = datetime(2030, 3, 8, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("before_start", "late"),
    [
        (timedelta(hours=24, seconds=1), False),
        (timedelta(hours=24), False),  # exactly the window: still free
        (timedelta(hours=23, minutes=59, seconds=59), True),
        (timedelta(0), True),
        (-timedelta(minutes=5), True),  # already started
    ],
)
def test_late_is_less_than_the_window_before_the_start(before_start, late):
    now = START - before_start
    assert cancellation_is_late(start=START, window_hours=24, now=now) is late


def test_a_zero_window_makes_only_started_sessions_late():
    assert cancellation_is_late(start=START, window_hours=0, now=START - timedelta(seconds=1)) is (
        False
    )
    assert cancellation_is_late(start=START, window_hours=0, now=START) is True


def test_reason_is_trimmed_and_required_of_the_client_only():
    assert cancellation_reason_clean("  Ill  ", actor="client") == "Ill"
    assert cancellation_reason_clean("", actor="trainer") == ""
    with pytest.raises(InvalidInput) as exc:
        cancellation_reason_clean("   ", actor="client")
    assert exc.value.errors == {"reason": [REASON_REQUIRED]}


def test_reason_longer_than_the_limit_is_refused_for_everyone():
    assert cancellation_reason_clean("x" * REASON_MAX_LENGTH, actor="trainer")
    for actor in ("client", "trainer"):
        with pytest.raises(InvalidInput) as exc:
            cancellation_reason_clean("x" * (REASON_MAX_LENGTH + 1), actor=actor)
        assert exc.value.errors == {"reason": [REASON_TOO_LONG]}
