"""Clients at risk, each with the sentence that says why.

The rule (issue 16): a client with no booking ahead is **at risk** once the days since their
last visit exceed the larger of twice their own usual gap (the median of the gaps between
their visits) and 14 days, and **lapsed** once they exceed the larger of three times that
gap and 90 days. With a single visit there is no gap yet: 14 and 90 days. Other sources
(package credits about to expire unused, adherence that dropped) add flags through
`signal_add`, registered by the apps that know them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby, pairwise
from operator import itemgetter
from statistics import median
from typing import Any

from django.db import connection
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.core.tenancy import trainer_id_of
from trainerhub.insights.localtime import EpochSeconds
from trainerhub.insights.selectors import visit_q
from trainerhub.scheduling.models import Booking

AT_RISK, LAPSED = "at_risk", "lapsed"
LEVELS = {AT_RISK: "At risk", LAPSED: "Lapsed"}
MIN_RISK_DAYS = 14
MIN_LAPSED_DAYS = 90
DAY = 86400.0

# Another source of flags: (trainer, now) -> {client id: sentence}. Each flag it returns
# makes the client at risk (unless lapsed already) with that sentence.
Signal = Callable[[User, datetime], dict[int, str]]
_signals: list[Signal] = []


def signal_add(signal: Signal) -> None:
    if signal not in _signals:
        _signals.append(signal)


@dataclass
class Flag:
    client: int
    name: str
    level: str
    reasons: list[str] = field(default_factory=list)
    days_since: int | None = None
    usual_gap: int | None = None
    visits: int = 0
    last_visit: datetime | None = None

    @property
    def why(self) -> str:
        return "; ".join(self.reasons) + "."

    def as_dict(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "name": self.name,
            "level": self.level,
            "why": self.why,
            "days_since": self.days_since,
            "usual_gap_days": self.usual_gap,
            "visits": self.visits,
            "last_visit": self.last_visit.isoformat() if self.last_visit else None,
        }


def _days(n: float) -> str:
    whole = round(n)
    return "1 day" if whole == 1 else f"{whole} days"


def judge(
    visits: list[datetime], now: datetime, *, has_upcoming: bool
) -> tuple[str | None, list[str], int | None, int | None]:
    """(level or None, reasons, days since the last visit, usual gap in days) of one
    client's visit times (sorted): the rule of the module's docstring."""
    return judge_seconds(
        [v.timestamp() for v in visits], now.timestamp(), has_upcoming=has_upcoming
    )


def judge_seconds(
    visits: list[float], now: float, *, has_upcoming: bool
) -> tuple[str | None, list[str], int | None, int | None]:
    """`judge` on times as seconds since 1970 (as `flags` reads them from the database)."""
    if not visits or has_upcoming:
        return None, [], None, None
    gaps = [(b - a) / DAY for a, b in pairwise(visits)]
    gaps = [g for g in gaps if g >= 0.5]  # two sessions on one day are one visit
    usual = median(gaps) if gaps else None
    since = (now - visits[-1]) / DAY
    risk_after = max(2 * usual, MIN_RISK_DAYS) if usual else MIN_RISK_DAYS
    lapsed_after = max(3 * usual, MIN_LAPSED_DAYS) if usual else MIN_LAPSED_DAYS
    if since <= risk_after:
        return None, [], int(since), round(usual) if usual else None
    habit = f"usually every {_days(usual)}" if usual else "came once"
    reasons = [habit, f"last session {_days(since)} ago", "no booking ahead"]
    level = LAPSED if since > lapsed_after else AT_RISK
    return level, reasons, int(since), round(usual) if usual else None


def flags(*, trainer: User, now: datetime | None = None) -> list[Flag]:
    """Every flagged client of the trainer (not archived or erased), lapsed and at risk,
    longest away first. Three queries, plus one per registered signal."""
    now = now or timezone.now()
    trainer_id = trainer_id_of(trainer)
    people = {
        pk: f"{first} {last}".strip()
        for pk, first, last in Client.objects.filter(trainer_id=trainer_id, erased_at__isnull=True)
        .exclude(status=Client.Status.ARCHIVED)
        .values_list("pk", "first_name", "last_name")
    }
    upcoming = set(
        Booking.objects.filter(
            trainer_id=trainer_id, status__in=Booking.ACTIVE_STATUSES, start__gte=now
        )
        .values_list("client_id", flat=True)
        .distinct()
    )
    visits = _visit_seconds(trainer_id, now)
    now_s = now.timestamp()
    found: dict[int, Flag] = {}
    for client_id, times in visits.items():
        if client_id not in people:
            continue
        level, reasons, since, usual = judge_seconds(
            times, now_s, has_upcoming=client_id in upcoming
        )
        if level is not None:
            found[client_id] = Flag(
                client_id, people[client_id], level, reasons, since, usual, len(times), _at(times)
            )
    for signal in _signals:
        for client_id, sentence in signal(trainer, now).items():
            if client_id not in people:
                continue
            flag = found.get(client_id)
            if flag is None:
                times = visits.get(client_id, [])
                flag = found[client_id] = Flag(
                    client_id,
                    people[client_id],
                    AT_RISK,
                    [],
                    visits=len(times),
                    last_visit=_at(times),
                )
            flag.reasons.append(sentence)
    order = {LAPSED: 1, AT_RISK: 0}
    return sorted(
        found.values(), key=lambda f: (order[f.level], -(f.days_since or 0), f.name, f.client)
    )


def _visit_seconds(trainer_id: int, now: datetime) -> dict[int, list[float]]:
    """Each client's visit times (seconds since 1970, in order). ~20,000 rows at three
    years of data: times as seconds computed by the database, not datetimes, and the rows
    read straight from the cursor (the SQL is still the ORM's, from `visit_q`): through the
    queryset, Django's value converters ran twice per row, a third of the rule's time."""
    query = (
        Booking.objects.filter(visit_q(now), trainer_id=trainer_id)
        .order_by("client_id", "start")
        .values_list("client_id", EpochSeconds("start"))
        .query
    )
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        client_id: [start for _, start in group]
        for client_id, group in groupby(rows, key=itemgetter(0))
    }


def _at(times: list[float]) -> datetime | None:
    """The last of a client's visit times as a datetime (UTC), or None."""
    return datetime.fromtimestamp(times[-1], UTC) if times else None


def flagged_ids(trainer: User | int, level: str) -> Iterable[int]:
    """The ids of the clients with that level ("at_risk", "lapsed", or "any")."""
    user = trainer if isinstance(trainer, User) else User.objects.get(pk=trainer)
    return [f.client for f in flags(trainer=user) if level in ("any", f.level)]
