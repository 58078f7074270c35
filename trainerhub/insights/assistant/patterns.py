"""The questions the assistant answers without any model: plain rules over the trainer's data.

A question is lowered and stripped of its period ("last month", "in October", see
periods.py), of one of the trainer's client names and of one of their service names; what
is left is matched against the patterns below, in order. Each pattern answers with the
same ORM reads the insights use, always filtered by the trainer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncMonth
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.core.timezones import zone
from trainerhub.insights import risk, selectors
from trainerhub.insights.assistant.periods import describe, named, parse_period
from trainerhub.insights.periods import Period
from trainerhub.scheduling.models import Booking, Service

Status = Booking.Status
HELD = (Status.PENDING, Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW)
BOOKED = (Status.PENDING, Status.CONFIRMED, Status.COMPLETED)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class Answer:
    understood: str
    columns: list[str]
    rows: list[list[Any]]
    chart: dict[str, Any] | None = None
    sql: str | None = None

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "understood": self.understood,
            "columns": self.columns,
            "rows": [[_json(c) for c in row] for row in self.rows],
        }
        if self.sql is not None:
            body["sql"] = self.sql
        if self.chart is not None:
            body["chart"] = self.chart
        return body


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


@dataclass
class Ask:
    trainer: User
    text: str
    period: Period
    period_words: str
    now: datetime
    client: Client | None = None
    service: Service | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def when(self) -> str:
        return self.period_words or describe(self.period)

    def bookings(self) -> QuerySet[Booking]:
        qs = Booking.objects.filter(trainer_id=self.trainer.pk)
        if self.client is not None:
            qs = qs.filter(client_id=self.client.pk)
        if self.service is not None:
            qs = qs.filter(service_id=self.service.pk)
        return qs

    def in_period(self) -> QuerySet[Booking]:
        start, end = self.period.bounds
        return self.bookings().filter(start__gte=start, start__lt=end)

    @property
    def about(self) -> str:
        parts = []
        if self.service is not None:
            parts.append(f"of {self.service.name}")
        if self.client is not None:
            parts.append(f"for {self.client.full_name}")
        return (" " + " ".join(parts)) if parts else ""


def _name(row: Any) -> str:
    return f"{row['client__first_name']} {row['client__last_name']}".strip()


def _count(ask: Ask, what: str, q: Q) -> Answer:
    n = ask.in_period().filter(q).count()
    return Answer(f"Number of {what}{ask.about}, {ask.when}", [what.capitalize()], [[n]])


def _ranking(ask: Ask, what: str, q: Q, label: str) -> Answer:
    rows = (
        ask.in_period()
        .filter(q)
        .values("client_id", "client__first_name", "client__last_name")
        .annotate(n=Count("id"))
        .order_by("-n", "client__first_name", "client_id")[:10]
    )
    table = [[_name(r), r["n"]] for r in rows]
    return Answer(
        f"Clients by number of {what}{ask.about}, {ask.when}",
        ["Client", label],
        table,
        _bar(table, label),
    )


def _bar(table: list[list[Any]], label: str) -> dict[str, Any] | None:
    if len(table) < 2:
        return None
    return {
        "type": "bar",
        "label": label,
        "labels": [str(r[0]) for r in table],
        "values": [float(r[-1]) if isinstance(r[-1], Decimal) else r[-1] for r in table],
    }


def who_booked_most(ask: Ask) -> Answer:
    return _ranking(ask, "bookings", Q(status__in=HELD), "Bookings")


def who_cancels_most(ask: Ask) -> Answer:
    return _ranking(ask, "cancellations", Q(status=Status.CANCELLED), "Cancellations")


def who_no_shows_most(ask: Ask) -> Answer:
    return _ranking(ask, "no-shows", Q(status=Status.NO_SHOW), "No-shows")


def count_no_shows(ask: Ask) -> Answer:
    return _count(ask, "no-shows", Q(status=Status.NO_SHOW))


def count_late(ask: Ask) -> Answer:
    return _count(ask, "late cancellations", Q(status=Status.CANCELLED, late_cancellation=True))


def count_cancellations(ask: Ask) -> Answer:
    return _count(ask, "cancellations", Q(status=Status.CANCELLED))


def count_sessions(ask: Ask) -> Answer:
    return _count(ask, "sessions attended", selectors.visit_q(ask.now))


def count_bookings(ask: Ask) -> Answer:
    return _count(ask, "bookings", Q(status__in=HELD))


def count_upcoming(ask: Ask) -> Answer:
    return _count(
        ask, "upcoming bookings", Q(status__in=Booking.ACTIVE_STATUSES, start__gte=ask.now)
    )


def _first_visits(ask: Ask) -> list[Any]:
    start, end = ask.period.bounds
    return list(
        ask.bookings()
        .filter(selectors.visit_q(ask.now))
        .values("client_id", "client__first_name", "client__last_name")
        .annotate(first=Min("start"))
        .filter(first__gte=start, first__lt=end)
        .order_by("first", "client_id")
    )


def count_new_clients(ask: Ask) -> Answer:
    n = len(_first_visits(ask))
    return Answer(
        f"Number of new clients (first session){ask.about}, {ask.when}", ["New clients"], [[n]]
    )


def list_new_clients(ask: Ask) -> Answer:
    tz = zone(ask.trainer.timezone)
    rows = [[_name(r), r["first"].astimezone(tz).date()] for r in _first_visits(ask)]
    return Answer(
        f"New clients (first session){ask.about}, {ask.when}", ["Client", "First session"], rows
    )


def count_clients(ask: Ask) -> Answer:
    n = ask.in_period().filter(selectors.visit_q(ask.now)).values("client_id").distinct().count()
    return Answer(f"Number of clients who came{ask.about}, {ask.when}", ["Clients"], [[n]])


def not_since(ask: Ask) -> Answer:
    start, _ = ask.period.bounds
    rows = (
        Booking.objects.filter(selectors.visit_q(ask.now), trainer_id=ask.trainer.pk)
        .values("client_id", "client__first_name", "client__last_name")
        .annotate(last=Max("start"))
        .filter(last__lt=start)
        .order_by("last", "client_id")
    )
    tz = zone(ask.trainer.timezone)
    table = [[_name(r), r["last"].astimezone(tz).date()] for r in rows]
    return Answer(
        f"Clients whose last session was before {ask.period.first_day:%d %B %Y}",
        ["Client", "Last session"],
        table,
    )


def _money(ask: Ask, group: str | None) -> Answer:
    qs = ask.in_period().filter(status__in=HELD)
    tz = zone(ask.trainer.timezone)
    rows: Any
    if group == "service":
        rows = (
            qs.values("service__name", "currency")
            .annotate(total=Sum("price"))
            .order_by("-total", "service__name")
        )
        table = [[r["service__name"], r["currency"], r["total"]] for r in rows]
        return Answer(
            f"Booked revenue by service{ask.about}, {ask.when}",
            ["Service", "Currency", "Revenue"],
            table,
            _bar(table, "Revenue"),
        )
    if group == "month":
        rows = (
            qs.annotate(month=TruncMonth("start", tzinfo=tz))
            .values("month", "currency")
            .annotate(total=Sum("price"))
            .order_by("month", "currency")
        )
        table = [[f"{r['month']:%Y-%m}", r["currency"], r["total"]] for r in rows]
        chart = _bar(table, "Revenue")
        if chart:
            chart["type"] = "line"
        return Answer(
            f"Booked revenue by month{ask.about}, {ask.when}",
            ["Month", "Currency", "Revenue"],
            table,
            chart,
        )
    rows = qs.values("currency").annotate(total=Sum("price")).order_by("currency")
    table = [[r["currency"], r["total"]] for r in rows] or [["", Decimal("0.00")]]
    return Answer(f"Booked revenue{ask.about}, {ask.when}", ["Currency", "Revenue"], table)


def revenue(ask: Ask) -> Answer:
    return _money(ask, None)


def revenue_by_service(ask: Ask) -> Answer:
    return _money(ask, "service")


def revenue_by_month(ask: Ask) -> Answer:
    return _money(ask, "month")


def average_value(ask: Ask) -> Answer:
    rows = (
        ask.in_period()
        .filter(status__in=HELD)
        .values("currency")
        .annotate(avg=Avg("price"))
        .order_by("currency")
    )
    table = [[r["currency"], Decimal(r["avg"]).quantize(Decimal("0.01"))] for r in rows]
    return Answer(f"Average booking value{ask.about}, {ask.when}", ["Currency", "Average"], table)


def by_service(ask: Ask) -> Answer:
    rows = (
        ask.in_period()
        .filter(status__in=HELD)
        .values("service__name")
        .annotate(n=Count("id"))
        .order_by("-n", "service__name")
    )
    table = [[r["service__name"], r["n"]] for r in rows]
    return Answer(
        f"Bookings by service{ask.about}, {ask.when}",
        ["Service", "Bookings"],
        table,
        _bar(table, "Bookings"),
    )


def _by(ask: Ask, expr: Any, label: str) -> list[tuple[int, int]]:
    rows = (
        ask.in_period()
        .filter(status__in=HELD)
        .annotate(k=expr)
        .values("k")
        .annotate(n=Count("id"))
        .order_by("-n", "k")
    )
    return [(r["k"], r["n"]) for r in rows]


def by_weekday(ask: Ask) -> Answer:
    tz = zone(ask.trainer.timezone)
    counts = dict(_by(ask, ExtractIsoWeekDay("start", tzinfo=tz), "weekday"))
    table = [[WEEKDAYS[d - 1], counts.get(d, 0)] for d in range(1, 8)]
    return Answer(
        f"Bookings by weekday{ask.about}, {ask.when}",
        ["Weekday", "Bookings"],
        table,
        _bar(table, "Bookings"),
    )


def busiest_day(ask: Ask) -> Answer:
    tz = zone(ask.trainer.timezone)
    ranked = _by(ask, ExtractIsoWeekDay("start", tzinfo=tz), "weekday")
    table = [[WEEKDAYS[ranked[0][0] - 1], ranked[0][1]]] if ranked else []
    return Answer(
        f"The weekday with the most bookings{ask.about}, {ask.when}", ["Weekday", "Bookings"], table
    )


def busiest_hour(ask: Ask) -> Answer:
    tz = zone(ask.trainer.timezone)
    ranked = _by(ask, ExtractHour("start", tzinfo=tz), "hour")
    table = [[f"{ranked[0][0]:02d}:00", ranked[0][1]]] if ranked else []
    return Answer(
        f"The hour with the most bookings{ask.about}, {ask.when}", ["Hour", "Bookings"], table
    )


def _rate_counts(ask: Ask) -> dict[str, int]:
    return (
        ask.in_period()
        .exclude(status=Status.DECLINED)
        .aggregate(
            total=Count("id"),
            cancelled=Count("id", filter=Q(status=Status.CANCELLED)),
            no_show=Count("id", filter=Q(status=Status.NO_SHOW)),
            completed=Count("id", filter=Q(status=Status.COMPLETED)),
        )
    )


def no_show_rate(ask: Ask) -> Answer:
    c = _rate_counts(ask)
    seen = c["completed"] + c["no_show"]
    rate = round(100 * c["no_show"] / seen, 1) if seen else None
    return Answer(
        f"No-show rate (no-shows of sessions held){ask.about}, {ask.when}",
        ["No-show rate %", "No-shows", "Sessions held"],
        [[rate, c["no_show"], seen]],
    )


def cancellation_rate(ask: Ask) -> Answer:
    c = _rate_counts(ask)
    rate = round(100 * c["cancelled"] / c["total"], 1) if c["total"] else None
    return Answer(
        f"Cancellation rate{ask.about}, {ask.when}",
        ["Cancellation rate %", "Cancellations", "Bookings"],
        [[rate, c["cancelled"], c["total"]]],
    )


def repeat_rate(ask: Ask) -> Answer:
    data = selectors.clients(
        trainer=ask.trainer, period=ask.period, service=ask.service, now=ask.now
    )
    return Answer(
        f"Repeat clients (two sessions or more){ask.about}, {ask.when}",
        ["Repeat clients %", "Clients"],
        [[data["repeat_pct"], data["clients"]]],
    )


def _flagged(ask: Ask, level: str, title: str) -> Answer:
    flags = risk.flags(trainer=ask.trainer, now=ask.now)
    rows = [[f.name, f.why] for f in flags if f.level == level]
    return Answer(title, ["Client", "Why"], rows)


def at_risk(ask: Ask) -> Answer:
    return _flagged(ask, risk.AT_RISK, "Clients at risk now, and why")


def lapsed(ask: Ask) -> Answer:
    return _flagged(ask, risk.LAPSED, "Lapsed clients now, and why")


def client_last_visit(ask: Ask) -> Answer:
    client = _need_client(ask)
    last = ask.bookings().filter(selectors.visit_q(ask.now)).aggregate(last=Max("start"))["last"]
    tz = zone(ask.trainer.timezone)
    value = last.astimezone(tz).strftime("%a %d %b %Y %H:%M") if last else "never"
    return Answer(
        f"{client.full_name}'s last session",
        ["Client", "Last session"],
        [[client.full_name, value]],
    )


def client_next(ask: Ask) -> Answer:
    client = _need_client(ask)
    nxt = (
        ask.bookings()
        .filter(status__in=Booking.ACTIVE_STATUSES, start__gte=ask.now)
        .order_by("start")
        .values_list("start", "service__name")
        .first()
    )
    tz = zone(ask.trainer.timezone)
    row = (
        [client.full_name, f"{nxt[0].astimezone(tz):%a %d %b %Y %H:%M}", nxt[1]]
        if nxt
        else [client.full_name, "none booked", ""]
    )
    return Answer(
        f"{client.full_name}'s next booking", ["Client", "Next booking", "Service"], [row]
    )


def list_bookings(ask: Ask) -> Answer:
    tz = zone(ask.trainer.timezone)
    rows = (
        ask.in_period()
        .exclude(status=Status.DECLINED)
        .order_by("start", "id")
        .values_list("start", "client__first_name", "client__last_name", "service__name", "status")[
            :200
        ]
    )
    table = [
        [f"{s.astimezone(tz):%a %d %b %H:%M}", f"{f} {last}".strip(), svc, st]
        for s, f, last, svc, st in rows
    ]
    return Answer(
        f"Bookings{ask.about}, {ask.when}", ["When", "Client", "Service", "Status"], table
    )


def utilisation(ask: Ask) -> Answer:
    data = selectors.utilisation(trainer=ask.trainer, last_day=ask.period.last_day)
    table = [[w["week"], w["utilisation"]] for w in data["weeks"]]
    chart = _bar(table, "Utilisation %")
    return Answer(
        f"Utilisation per week, 12 weeks to {ask.period.last_day:%d %b %Y}",
        ["Week of", "Utilisation %"],
        table,
        chart,
    )


def _need_client(ask: Ask) -> Client:
    assert ask.client is not None  # the pattern requires one (see Pattern.needs)
    return ask.client


@dataclass(frozen=True)
class Pattern:
    key: str
    regex: str
    answer: Callable[[Ask], Answer]
    example: str
    default: str = "this_month"  # the period when the question names none
    needs: str = ""  # "client": only when a client name was found


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "who_cancels_most",
        r"\bwho\b.*\bcancel\w*\b.*\bmost\b|\bmost cancellations\b",
        who_cancels_most,
        "Who cancels most this year?",
        "this_year",
    ),
    Pattern(
        "who_no_shows_most",
        r"\bwho\b.*\b(no.?show\w*|miss\w*)\b.*\bmost\b",
        who_no_shows_most,
        "Who misses most sessions this year?",
        "this_year",
    ),
    Pattern(
        "who_booked_most",
        r"\bwho\b.*\b(booked|books|came|come)\b.*\bmost\b"
        r"|\bmost (bookings|sessions)\b|\btop clients?\b",
        who_booked_most,
        "Who booked most last month?",
    ),
    Pattern(
        "no_show_rate",
        r"\bno.?show rate\b",
        no_show_rate,
        "What is my no-show rate this year?",
        "this_year",
    ),
    Pattern(
        "cancellation_rate",
        r"\bcancel\w* rate\b",
        cancellation_rate,
        "What is my cancellation rate last month?",
    ),
    Pattern(
        "count_late",
        r"\bhow many\b.*\blate cancel\w*\b",
        count_late,
        "How many late cancellations this month?",
    ),
    Pattern(
        "count_no_shows",
        r"\bhow many\b.*\bno.?shows?\b",
        count_no_shows,
        "How many no-shows in October?",
    ),
    Pattern(
        "count_cancellations",
        r"\bhow many\b.*\bcancel\w*\b",
        count_cancellations,
        "How many cancellations last month?",
    ),
    Pattern(
        "count_new_clients",
        r"\bhow many\b.*\bnew clients?\b",
        count_new_clients,
        "How many new clients this year?",
        "this_year",
    ),
    Pattern(
        "list_new_clients",
        r"\b(which|who|list|show)\b.*\bnew clients?\b|\bnew clients?\b",
        list_new_clients,
        "Who are my new clients this month?",
    ),
    Pattern(
        "not_since",
        r"\b(haven.?t|have not|hasn.?t|not)\b.*\b(been|come|booked|visited)\b",
        not_since,
        "Which clients haven't been in since September?",
        "this_month",
    ),
    Pattern(
        "client_last_visit",
        r"\bwhen\b.*\blast\b|\blast (session|visit)\b",
        client_last_visit,
        "When did {client} last come?",
        needs="client",
    ),
    Pattern(
        "client_next",
        r"\bnext (booking|session)\b|\bwhen\b.*\bnext\b",
        client_next,
        "When is {client}'s next session?",
        needs="client",
    ),
    Pattern(
        "revenue_by_service",
        r"\b(revenue|income|earn\w*|money)\b.*\bby service\b|\bby service\b.*\b(revenue|income)\b",
        revenue_by_service,
        "Revenue by service this year",
        "this_year",
    ),
    Pattern(
        "revenue_by_month",
        r"\b(revenue|income|earn\w*|money)\b.*\b(by|per|each) month\b|\bmonthly (revenue|income)\b",
        revenue_by_month,
        "Revenue by month this year",
        "this_year",
    ),
    Pattern(
        "average_value",
        r"\baverage\b.*\b(booking|session)?\s*(value|price)\b",
        average_value,
        "Average booking value this year",
        "this_year",
    ),
    Pattern(
        "revenue",
        r"\b(revenue|income|earn\w*|how much money|made)\b",
        revenue,
        "How much revenue last month?",
    ),
    Pattern(
        "by_service",
        r"\b(bookings|sessions)\b.*\bby service\b"
        r"|\bpopular (services?|programs?)\b|\bwhich services?\b",
        by_service,
        "Bookings by service this year",
        "this_year",
    ),
    Pattern(
        "by_weekday",
        r"\bby (week)?day\b|\bper (week)?day\b",
        by_weekday,
        "Bookings by weekday this year",
        "this_year",
    ),
    Pattern(
        "busiest_day",
        r"\bbusiest day\b|\bwhich day\b",
        busiest_day,
        "What is my busiest day this year?",
        "this_year",
    ),
    Pattern(
        "busiest_hour",
        r"\bbusiest (hour|time)\b|\bwhich (hour|time)\b",
        busiest_hour,
        "What is my busiest hour this year?",
        "this_year",
    ),
    Pattern(
        "repeat_rate",
        r"\brepeat\b|\breturning\b|\bretention\b|\b(came|come|coming) back\b",
        repeat_rate,
        "What share of clients came back this year?",
        "this_year",
    ),
    Pattern(
        "at_risk",
        r"\bat risk\b|\bchurn\w*\b|\bneeds? attention\b|\bdrifting\b",
        at_risk,
        "Which clients are at risk?",
    ),
    Pattern(
        "lapsed",
        r"\blapsed\b|\bstopped coming\b|\blost clients?\b",
        lapsed,
        "Which clients have lapsed?",
    ),
    Pattern(
        "utilisation",
        r"\butili[sz]ation\b|\bhow full\b|\bcapacity\b",
        utilisation,
        "How full were my hours lately?",
    ),
    Pattern(
        "count_upcoming",
        r"\bhow many\b.*\b(upcoming|booked ahead|ahead)\b",
        count_upcoming,
        "How many bookings next week?",
        "next_week",
    ),
    Pattern(
        "count_clients",
        r"\bhow many\b.*\bclients?\b",
        count_clients,
        "How many clients came last month?",
    ),
    Pattern(
        "count_sessions",
        r"\bhow many\b.*\b(sessions|classes|visits)\b",
        count_sessions,
        "How many sessions did {client} have this year?",
        "this_year",
    ),
    Pattern(
        "count_bookings",
        r"\bhow many\b.*\bbookings?\b",
        count_bookings,
        "How many bookings this week?",
        "this_week",
    ),
    Pattern(
        "list_bookings",
        r"\b(bookings|sessions|schedule|booked|appointments)\b",
        list_bookings,
        "What is booked next week?",
        "next_week",
    ),
)


def _find_client(text: str, clients: list[tuple[int, str, str]]) -> tuple[int | None, str]:
    """The trainer's client named in the text (full name first, then a unique first
    name), and the text without it."""
    # The plain substring test first: a trainer has thousands of clients, and a regex per
    # name would be compiled per question (re's cache holds 512), 60 ms at 1,500 clients.
    for pk, first, last in sorted(clients, key=lambda c: -len(f"{c[1]} {c[2]}")):
        full = f"{first} {last}".strip().lower()
        if len(full) > 2 and full in text and re.search(rf"\b{re.escape(full)}(?:'s)?\b", text):
            return pk, re.sub(rf"\b{re.escape(full)}(?:'s)?\b", " them ", text, count=1)
    by_first: dict[str, list[int]] = {}
    for pk, first, _ in clients:
        by_first.setdefault(first.lower(), []).append(pk)
    for first, pks in by_first.items():
        if (
            len(first) > 2
            and len(pks) == 1
            and first in text
            and re.search(rf"\b{re.escape(first)}(?:'s)?\b", text)
        ):
            return pks[0], re.sub(rf"\b{re.escape(first)}(?:'s)?\b", " them ", text, count=1)
    return None, text


def _find_service(text: str, services: list[Service]) -> tuple[Service | None, str]:
    for service in sorted(services, key=lambda s: -len(s.name)):
        name = service.name.lower()
        if re.search(rf"\b{re.escape(name)}\b", text):
            return service, re.sub(rf"\b{re.escape(name)}\b", " it ", text, count=1)
    return None, text


def understand(trainer: User, question: str, *, now: datetime | None = None) -> Answer | None:
    """The answer of the first pattern the question matches, or None (a free question)."""
    now = now or timezone.now()
    tz = trainer.timezone
    today = now.astimezone(zone(tz)).date()
    text = " ".join(re.sub(r"[^\w'\s-]", " ", question.lower().replace("\u2019", "'")).split())
    period, words, text = parse_period(text, today=today, tz=tz)
    clients = list(
        Client.objects.filter(trainer_id=trainer.pk, erased_at__isnull=True).values_list(
            "pk", "first_name", "last_name"
        )
    )
    client_pk, text = _find_client(text, clients)
    services = list(Service.objects.filter(trainer_id=trainer.pk))
    service, text = _find_service(text, services)
    for pattern in PATTERNS:
        if pattern.needs == "client" and client_pk is None:
            continue
        if not re.search(pattern.regex, text):
            continue
        chosen = period or named(pattern.default, today, tz)
        ask = Ask(
            trainer=trainer,
            text=text,
            period=chosen,
            period_words=words,
            now=now,
            client=Client.objects.get(pk=client_pk) if client_pk else None,
            service=service,
        )
        return pattern.answer(ask)
    return None


def suggestions(trainer: User) -> list[str]:
    """Example questions, with one of the trainer's own clients where a pattern needs one."""
    name = (
        Client.objects.filter(trainer_id=trainer.pk, erased_at__isnull=True)
        .exclude(status=Client.Status.ARCHIVED)
        .values_list("first_name", "last_name")
        # The client seen most recently: a name the trainer recognises at once.
        .order_by(F("last_visit_at").desc(nulls_last=True), "-pk")
        .first()
    )
    found = []
    for pattern in PATTERNS:
        if "{client}" in pattern.example:
            if name is None:
                continue
            found.append(pattern.example.replace("{client}", f"{name[0]} {name[1]}".strip()))
        else:
            found.append(pattern.example)
    return found
