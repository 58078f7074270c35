"""Reads of coaching: the library a trainer sees, programs, logs, adherence, progress.

Every read names the trainer (or the client, whose trainer it implies); another trainer's or
client's id is a 404 through core.access.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from trainerhub.clients.models import Client
from trainerhub.clients.search import query_terms
from trainerhub.coaching.models import (
    ClientLink,
    CoachingSettings,
    CustomMeasure,
    Exercise,
    HiddenExercise,
    MeasureKind,
    Measurement,
    PersonalRecord,
    Program,
    ProgramDay,
    ProgramExercise,
    ProgressPhoto,
    SetLog,
    Workout,
    codes,
)
from trainerhub.coaching.schedule import scheduled_days
from trainerhub.core.access import get_owned_or_404, pk_or_404, row_or_404
from trainerhub.core.tenancy import TrainerRef, trainer_id_of

ATTENTION_DROP = 20  # points the 7-day figure may fall below the 30-day one


# --- Settings ------------------------------------------------------------------------------


def settings_for(*, trainer: TrainerRef) -> CoachingSettings:
    row = CoachingSettings.objects.filter(trainer_id=trainer_id_of(trainer)).first()
    return row or CoachingSettings(trainer_id=trainer_id_of(trainer))


# --- Exercises -----------------------------------------------------------------------------


def _visible(trainer: TrainerRef) -> Q:
    return Q(trainer__isnull=True) | Q(trainer_id=trainer_id_of(trainer))


def hidden_ids(*, trainer: TrainerRef) -> set[int]:
    return set(
        HiddenExercise.objects.filter(trainer_id=trainer_id_of(trainer)).values_list(
            "exercise_id", flat=True
        )
    )


def exercises_for_trainer(
    *,
    trainer: TrainerRef,
    search: str = "",
    category: str = "",
    muscle: str = "",
    equipment: str = "",
    difficulty: str = "",
    mine: bool = False,
    show_hidden: bool = False,
) -> QuerySet[Exercise]:
    """The built-in library plus the trainer's own, minus the ones they hid (unless asked);
    search is case- and accent-insensitive on the name, like client search."""
    qs = Exercise.objects.filter(_visible(trainer))
    if mine:
        qs = qs.filter(trainer_id=trainer_id_of(trainer))
    if not show_hidden:
        qs = qs.exclude(
            pk__in=HiddenExercise.objects.filter(trainer_id=trainer_id_of(trainer)).values(
                "exercise_id"
            )
        )
    for term in query_terms(search):
        qs = qs.filter(search_text__contains=term)
    if category:
        qs = qs.filter(category=category)
    if muscle:
        qs = qs.filter(
            Q(primary_muscles__contains=codes([muscle]))
            | Q(secondary_muscles__contains=codes([muscle]))
        )
    if equipment:
        qs = qs.filter(equipment__contains=codes([equipment]))
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    return qs.order_by("name", "id")


def exercise_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Exercise:
    """A built-in or the trainer's own exercise (hidden ones too: old programs name them)."""
    return row_or_404(Exercise.objects.filter(_visible(trainer)), pk)


def own_exercise_get(*, trainer: TrainerRef, pk: Any) -> Exercise:
    return get_owned_or_404(Exercise, trainer=trainer, pk=pk)


# --- Programs ------------------------------------------------------------------------------


def _items() -> Prefetch[Any]:
    return Prefetch(
        "items",
        queryset=ProgramExercise.objects.select_related("exercise").order_by("position", "id"),
    )


def program_tree() -> Prefetch[Any]:
    return Prefetch("days", queryset=ProgramDay.objects.prefetch_related(_items()))


def templates_for_trainer(*, trainer: TrainerRef, archived: bool = False) -> QuerySet[Program]:
    qs = Program.objects.filter(trainer_id=trainer_id_of(trainer), client__isnull=True)
    qs = qs.filter(archived_at__isnull=not archived)
    return qs.annotate(day_count=Count("days", distinct=True), copy_count=Count("copies")).order_by(
        "name", "id"
    )


def client_programs_for_trainer(
    *, trainer: TrainerRef, client: Client | None = None, archived: bool | None = False
) -> QuerySet[Program]:
    qs = Program.objects.filter(
        trainer_id=trainer_id_of(trainer), client__isnull=False
    ).select_related("client")
    if client is not None:
        qs = qs.filter(client=client)
    if archived is not None:
        qs = qs.filter(archived_at__isnull=not archived)
    return qs.order_by("-start_date", "-id")


def program_get_for_trainer(*, trainer: TrainerRef, pk: Any, tree: bool = True) -> Program:
    qs = Program.objects.select_related("client")
    if tree:
        qs = qs.prefetch_related(program_tree())
    return get_owned_or_404(qs, trainer=trainer, pk=pk)


def day_get(*, program: Program, pk: Any) -> ProgramDay:
    return row_or_404(ProgramDay.objects.filter(program=program), pk)


def item_get(*, program: Program, pk: Any) -> ProgramExercise:
    return row_or_404(
        ProgramExercise.objects.filter(day__program=program).select_related("exercise", "day"),
        pk,
    )


# --- Clients' coaching -----------------------------------------------------------------------


def client_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Client:
    return get_owned_or_404(Client.objects.filter(erased_at__isnull=True), trainer=trainer, pk=pk)


def link_for_token(token: str) -> ClientLink:
    if not token or len(token) < 16 or len(token) > 64:
        raise Http404
    link = (
        ClientLink.objects.select_related("client", "client__trainer")
        .filter(token=token, client__erased_at__isnull=True)
        .exclude(client__status=Client.Status.ARCHIVED)
        .first()
    )
    if link is None:
        raise Http404
    return link


def links_for_account(*, user: Any) -> list[ClientLink]:
    return list(
        ClientLink.objects.select_related("client", "client__trainer").filter(
            client__account=user, client__erased_at__isnull=True
        )
    )


def clients_for_account(*, user: Any) -> QuerySet[Client]:
    return Client.objects.filter(account=user, erased_at__isnull=True)


def active_programs(*, client: Client) -> list[Program]:
    return list(
        Program.objects.filter(client=client, archived_at__isnull=True)
        .prefetch_related(program_tree())
        .order_by("-start_date", "-id")
    )


def client_program_get(*, client: Client, pk: Any) -> Program:
    return row_or_404(Program.objects.filter(client=client).prefetch_related(program_tree()), pk)


def workouts_for_client(*, client: Client, limit: int = 30) -> list[Workout]:
    rows = list(
        Workout.objects.filter(client=client)
        .select_related("day", "program")
        .order_by("-date", "-id")[:limit]
    )
    sets = (
        SetLog.objects.filter(workout__in=[w.pk for w in rows])
        .select_related("exercise")
        .order_by("exercise__name", "set_number", "id")
    )
    by_workout: dict[int, list[SetLog]] = defaultdict(list)
    for s in sets:
        by_workout[s.workout_id].append(s)
    for w in rows:
        w.set_rows = by_workout[w.pk]  # type: ignore[attr-defined]
    return rows


def workouts_for_trainer(*, trainer: TrainerRef, client: Client | None = None) -> QuerySet[Workout]:
    qs = Workout.objects.filter(trainer_id=trainer_id_of(trainer)).select_related("client")
    if client is not None:
        qs = qs.filter(client=client)
    return qs.prefetch_related(
        Prefetch("sets", queryset=SetLog.objects.order_by("set_number", "id"))
    ).order_by("-date", "-id")


def workout_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Workout:
    return get_owned_or_404(
        Workout.objects.prefetch_related("sets").select_related("client"), trainer=trainer, pk=pk
    )


def workout_sets_by_item(*, workout_key: str, client: Client) -> dict[int, list[SetLog]]:
    out: dict[int, list[SetLog]] = defaultdict(list)
    for s in SetLog.objects.filter(client=client, workout__idempotency_key=workout_key).order_by(
        "set_number"
    ):
        if s.item_id:
            out[s.item_id].append(s)
    return out


def open_workout(*, client: Client, program: Program, day: ProgramDay, on: date) -> Workout | None:
    return (
        Workout.objects.filter(client=client, program=program, day=day, date=on)
        .order_by("-id")
        .first()
    )


# --- Adherence -----------------------------------------------------------------------------


@dataclass
class Adherence:
    prescribed: dict[int, int] = field(default_factory=dict)  # window days -> sets
    done: dict[int, int] = field(default_factory=dict)

    def percent(self, days: int) -> int | None:
        prescribed = self.prescribed.get(days, 0)
        if not prescribed:
            return None
        return round(100 * min(self.done.get(days, 0), prescribed) / prescribed)

    @property
    def d7(self) -> int | None:
        return self.percent(7)

    @property
    def d30(self) -> int | None:
        return self.percent(30)

    @property
    def d90(self) -> int | None:
        return self.percent(90)

    @property
    def needs_attention(self) -> bool:
        a7, a30 = self.d7, self.d30
        return a7 is not None and a30 is not None and a7 <= a30 - ATTENTION_DROP


WINDOWS = (7, 30, 90)


def adherence_for_clients(
    *, client_ids: list[int], today: date, windows: tuple[int, ...] = WINDOWS
) -> dict[int, Adherence]:
    """Sets done ÷ sets prescribed over the last N days (today included) of each client's
    assigned, not archived programs; four queries whatever the number of clients."""
    out = {pk: Adherence() for pk in client_ids}
    if not client_ids:
        return out
    longest = max(windows)
    first = today - timedelta(days=longest - 1)
    programs = Program.objects.filter(
        client_id__in=client_ids, archived_at__isnull=True, start_date__lte=today
    ).prefetch_related(
        Prefetch(
            "days",
            queryset=ProgramDay.objects.prefetch_related(
                Prefetch("items", queryset=ProgramExercise.objects.only("id", "day_id", "sets"))
            ),
        )
    )
    program_ids: dict[int, list[int]] = defaultdict(list)
    for program in programs:
        assert program.client_id is not None
        program_ids[program.client_id].append(program.pk)
        days = list(program.days.all())
        sets_of = {d.pk: sum(i.sets for i in d.items.all()) for d in days}
        for s in scheduled_days(
            start=program.start_date,
            weekdays=program.weekday_list,
            weeks=program.weeks,
            days=days,
        ):
            if s.date > today:
                break
            if s.date < first:
                continue
            age = (today - s.date).days
            for w in windows:
                if age < w:
                    a = out[program.client_id]
                    a.prescribed[w] = a.prescribed.get(w, 0) + sets_of[s.day.pk]
    counts = (
        SetLog.objects.filter(
            client_id__in=client_ids,
            date__gte=first,
            date__lte=today,
            workout__program__isnull=False,
        )
        .values("client_id", "date")
        .annotate(n=Count("id"))
    )
    for row in counts:
        age = (today - row["date"]).days
        for w in windows:
            if age < w:
                a = out[row["client_id"]]
                a.done[w] = a.done.get(w, 0) + row["n"]
    return out


def adherence_for_client(*, client: Client, today: date) -> Adherence:
    return adherence_for_clients(client_ids=[client.pk], today=today)[client.pk]


def needs_attention_ids(*, client_ids: list[int], today: date) -> set[int]:
    figures = adherence_for_clients(client_ids=client_ids, today=today, windows=(7, 30))
    return {pk for pk, a in figures.items() if a.needs_attention}


def attention_clients(*, trainer: TrainerRef, today: date) -> list[tuple[Client, Adherence]]:
    """The trainer's active clients with a program whose 7-day adherence fell 20 points or
    more below their 30-day figure, worst first."""
    ids = list(
        Program.objects.filter(
            trainer_id=trainer_id_of(trainer),
            client__isnull=False,
            archived_at__isnull=True,
            client__status=Client.Status.ACTIVE,
        )
        .values_list("client_id", flat=True)
        .distinct()
    )
    figures = adherence_for_clients(client_ids=ids, today=today, windows=(7, 30))
    flagged = {pk: a for pk, a in figures.items() if a.needs_attention}
    clients = Client.objects.filter(pk__in=list(flagged))
    rows = [(c, flagged[c.pk]) for c in clients]
    rows.sort(key=lambda r: ((r[1].d7 or 0) - (r[1].d30 or 0), r[0].full_name))
    return rows


# --- Progress ------------------------------------------------------------------------------


def measurements_for_client(*, client: Client) -> QuerySet[Measurement]:
    return Measurement.objects.filter(client=client).select_related("custom").order_by("date", "id")


def custom_measures(*, trainer: TrainerRef) -> QuerySet[CustomMeasure]:
    return CustomMeasure.objects.filter(trainer_id=trainer_id_of(trainer))


def measurement_get(*, client: Client, pk: Any) -> Measurement:
    return row_or_404(Measurement.objects.filter(client=client), pk)


def photos_for_client(*, client: Client) -> QuerySet[ProgressPhoto]:
    return ProgressPhoto.objects.filter(client=client).order_by("-date", "pose", "-id")


def photo_get(*, client: Client, pk: Any) -> ProgressPhoto:
    return row_or_404(ProgressPhoto.objects.filter(client=client), pk)


def photo_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> ProgressPhoto:
    return get_owned_or_404(ProgressPhoto, trainer=trainer, pk=pk)


def records_for_client(*, client: Client) -> QuerySet[PersonalRecord]:
    return (
        PersonalRecord.objects.filter(client=client)
        .select_related("exercise")
        .order_by("exercise__name", "kind", "key")
    )


def headline_records(*, client: Client) -> list[PersonalRecord]:
    """One line per exercise and rule that reads as a record: e1RM, the heaviest single,
    fastest time, longest distance, and most reps without weight."""
    return list(
        records_for_client(client=client).filter(
            Q(kind__in=("e1rm", "longest", "fastest"))
            | Q(kind="reps_at_weight", key="0")
            | Q(kind="weight_for_reps", key__in=("1", "3", "5", "10"))
        )
    )


def uncelebrated_records(*, client: Client) -> list[PersonalRecord]:
    return [r for r in headline_records(client=client) if r.celebrated_at is None]


def measurement_series(*, client: Client) -> dict[str, list[tuple[date, Decimal]]]:
    series: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    for m in measurements_for_client(client=client):
        key = m.custom.name if m.kind == MeasureKind.CUSTOM and m.custom else m.kind
        series[key].append((m.date, m.value))
    return dict(series)


def pk_of(raw: Any) -> int:
    return pk_or_404(raw)


# --- The CRM timeline ----------------------------------------------------------------------


def client_timeline_entries(client: Client, limit: int) -> list[Any]:
    """Programs assigned, workouts logged, measurements, photos and records of the client, for
    the CRM's timeline (registered at ready(): the CRM may not import coaching). Five queries."""
    from datetime import datetime, time

    from django.utils import timezone as tz

    from trainerhub.clients.selectors import TimelineEntry

    def at(day: date) -> datetime:
        return tz.make_aware(datetime.combine(day, time(12)))

    entries: list[Any] = []
    for p in Program.objects.filter(client=client).order_by("-created_at")[:limit]:
        entries.append(
            TimelineEntry(
                p.created_at,
                "coaching",
                f"Program assigned: {p.name}",
                f"Starts {p.start_date:%d %b %Y}" if p.start_date else "",
                p,
            )
        )
    workouts = (
        Workout.objects.filter(client=client)
        .select_related("day")
        .annotate(set_count=Count("sets"))
        .order_by("-date", "-id")[:limit]
    )
    for w in workouts:
        what = w.day.name if w.day else "Free workout"
        feel = f", felt {w.feel}/5" if w.feel else ""
        entries.append(
            TimelineEntry(
                w.completed_at or w.created_at,
                "coaching",
                f"Workout logged: {what}",
                f"{w.set_count} sets{feel}",
                w,
            )
        )
    for m in (
        Measurement.objects.filter(client=client)
        .select_related("custom")
        .order_by("-date", "-id")[:limit]
    ):
        label = m.custom.name if m.custom else m.get_kind_display()
        entries.append(
            TimelineEntry(m.created_at, "coaching", f"Measurement: {label}", m.date.isoformat(), m)
        )
    for ph in ProgressPhoto.objects.filter(client=client).order_by("-date", "-id")[:limit]:
        entries.append(
            TimelineEntry(
                ph.created_at,
                "coaching",
                f"Progress photo ({ph.get_pose_display()})",
                ph.date.isoformat(),
                ph,
            )
        )
    for r in headline_records(client=client)[:limit]:
        entries.append(
            TimelineEntry(
                at(r.achieved_on),
                "coaching",
                f"Personal record: {r.exercise.name}",
                r.get_kind_display(),
                r,
            )
        )
    return entries


# --- The API's lists -----------------------------------------------------------------------


def programs_with_tree(
    *, trainer: TrainerRef, copies: bool, client: Client | None = None
) -> QuerySet[Program]:
    qs = Program.objects.filter(trainer_id=trainer_id_of(trainer), client__isnull=not copies)
    if client is not None:
        qs = qs.filter(client=client)
    return qs.prefetch_related(program_tree()).order_by("-updated_at", "-id")


def workouts_with_sets(*, trainer: TrainerRef, client: Any = None) -> QuerySet[Workout]:
    qs = Workout.objects.filter(trainer_id=trainer_id_of(trainer))
    if client not in (None, ""):
        qs = qs.filter(client_id=pk_or_404(client))
    return qs.prefetch_related(
        Prefetch("sets", queryset=SetLog.objects.order_by("set_number", "id"))
    ).order_by("-date", "-id")


def client_workouts_with_sets(*, client: Client) -> QuerySet[Workout]:
    return (
        Workout.objects.filter(client=client)
        .prefetch_related(Prefetch("sets", queryset=SetLog.objects.order_by("set_number", "id")))
        .order_by("-date", "-id")
    )


def account_client(*, user: Any, pk: Any = None) -> Client:
    """The client record of a signed-in client account (one of theirs by id when they train
    with more than one trainer); none: 404."""
    rows = clients_for_account(user=user).select_related("trainer").order_by("id")
    if pk not in (None, ""):
        return row_or_404(rows, pk)
    first = rows.first()
    if first is None:
        raise Http404
    return first


def client_workout(*, client: Client, pk: Any) -> Workout:
    return row_or_404(client_workouts_with_sets(client=client), pk)
