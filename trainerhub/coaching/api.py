"""The coaching API: the exercise library, programs (nested days and exercises), assigning,
clients' programs, workouts (idempotent), and a client's measurements, photos, records and
adherence; `/client/...` for a signed-in client account, who sees only their own data.

Thin like every API module: fetch through the access functions (404 for anything not the
caller's), let the services check the input (400 by field), answer with a serializer. Each
body holds only the fields its operation takes (api_input: an unknown one is a 400 naming it).
"""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.models import User
from trainerhub.accounts.requests import TrainerRequest
from trainerhub.clients.models import Client
from trainerhub.coaching import selectors, services
from trainerhub.coaching.api_input import (
    ClientProgramPatchSerializer,
    ExerciseInSerializer,
    MeasurementInSerializer,
    MyWorkoutInSerializer,
    PhotoInSerializer,
    ProgramAssignSerializer,
    ProgramInSerializer,
    ProgramPatchSerializer,
    WorkoutInSerializer,
    body,
    strictly,
)
from trainerhub.coaching.serializers import (
    AdherenceSerializer,
    ExerciseSerializer,
    MeasurementSerializer,
    PhotoSerializer,
    ProgramSerializer,
    RecordSerializer,
    WorkoutSerializer,
)
from trainerhub.core.errors import InvalidInput
from trainerhub.scheduling.api.common import paginated

FILTERS = ("search", "category", "muscle", "equipment", "difficulty")
PROGRAM_FIELDS = ("name", "description", "goal", "weeks")


def _program_facts(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in PROGRAM_FIELDS if k in data}


def _flag(data: dict[str, Any], name: str, default: bool) -> bool:
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise InvalidInput({name: ["Send true or false."]})
    return value


# --- Exercises -----------------------------------------------------------------------------


@extend_schema(tags=["coaching"])
class ExerciseListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter(name, str, required=False) for name in FILTERS],
        responses=ExerciseSerializer(many=True),
    )
    def get(self, request: TrainerRequest) -> Response:
        q = {k: str(request.query_params.get(k, ""))[:100] for k in FILTERS}
        rows = selectors.exercises_for_trainer(
            trainer=request.user,
            search=q["search"],
            category=q["category"],
            muscle=q["muscle"],
            equipment=q["equipment"],
            difficulty=q["difficulty"],
        )
        return paginated(self, request, rows, ExerciseSerializer)

    @extend_schema(request=ExerciseInSerializer, responses={201: ExerciseSerializer})
    def post(self, request: TrainerRequest) -> Response:
        row = strictly(
            ExerciseInSerializer,
            body(request),
            lambda data: services.exercise_create(trainer=request.user, **data),
        )
        return Response(ExerciseSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["coaching"])
class ExerciseDetailApi(APIView):
    @extend_schema(responses=ExerciseSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.exercise_get_for_trainer(trainer=request.user, pk=pk)
        return Response(ExerciseSerializer(row).data)

    @extend_schema(request=ExerciseInSerializer, responses=ExerciseSerializer)
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        exercise = selectors.own_exercise_get(trainer=request.user, pk=pk)
        row = strictly(
            ExerciseInSerializer,
            body(request),
            lambda data: services.exercise_update(exercise=exercise, **data),
        )
        return Response(ExerciseSerializer(row).data)

    @extend_schema(responses={204: None})
    def delete(self, request: TrainerRequest, pk: int) -> Response:
        services.exercise_delete(exercise=selectors.own_exercise_get(trainer=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Programs ------------------------------------------------------------------------------


def _program_out(trainer: Any, pk: int) -> dict[str, Any]:
    return cast(
        dict[str, Any],
        ProgramSerializer(selectors.program_get_for_trainer(trainer=trainer, pk=pk)).data,
    )


@extend_schema(tags=["coaching"])
class ProgramListApi(APIView):
    copies = False

    @extend_schema(responses=ProgramSerializer(many=True))
    def get(self, request: TrainerRequest) -> Response:
        client = None
        if self.copies and request.query_params.get("client"):
            client = selectors.client_get_for_trainer(
                trainer=request.user, pk=request.query_params["client"]
            )
        rows = selectors.programs_with_tree(trainer=request.user, copies=self.copies, client=client)
        return paginated(self, request, rows, ProgramSerializer)

    @extend_schema(request=ProgramInSerializer, responses={201: ProgramSerializer})
    def post(self, request: TrainerRequest) -> Response:
        program = strictly(
            ProgramInSerializer,
            body(request),
            lambda data: services.program_create(
                trainer=request.user, days=data.get("days"), **_program_facts(data)
            ),
        )
        return Response(_program_out(request.user, program.pk), status=status.HTTP_201_CREATED)


class ClientProgramListApi(ProgramListApi):
    """Clients' copies: made by assigning a template (POST /programs/{id}/assign), so a POST
    here is a 405."""

    copies = True
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        parameters=[OpenApiParameter("client", int, required=False, description="Only hers.")],
        responses=ProgramSerializer(many=True),
    )
    def get(self, request: TrainerRequest) -> Response:
        return super().get(request)


@extend_schema(tags=["coaching"])
class ProgramDetailApi(APIView):
    copies = False

    def _get(self, request: TrainerRequest, pk: int) -> Any:
        program = selectors.program_get_for_trainer(trainer=request.user, pk=pk)
        if program.is_template == self.copies:
            from django.http import Http404

            raise Http404
        return program

    @extend_schema(responses=ProgramSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        return Response(ProgramSerializer(self._get(request, pk)).data)

    taken: type[ProgramInSerializer] = ProgramPatchSerializer

    @extend_schema(request=ProgramPatchSerializer, responses=ProgramSerializer)
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        program = self._get(request, pk)
        strictly(self.taken, body(request), lambda data: self._change(program, data))
        return Response(_program_out(request.user, program.pk))

    @transaction.atomic
    def _change(self, program: Any, data: dict[str, Any]) -> None:
        if "archived" in data:
            services.program_archive(program=program, archived=_flag(data, "archived", True))
        if self.copies and ("start_date" in data or "weekdays" in data):
            services.program_schedule_update(
                program=program,
                start_date=data.get("start_date", program.start_date),
                weekdays=data.get("weekdays", program.weekday_list),
            )
        services.program_update(program=program, days=data.get("days"), **_program_facts(data))

    @extend_schema(responses={204: None})
    def delete(self, request: TrainerRequest, pk: int) -> Response:
        services.program_delete(program=self._get(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClientProgramDetailApi(ProgramDetailApi):
    copies = True
    taken = ClientProgramPatchSerializer

    @extend_schema(request=ClientProgramPatchSerializer, responses=ProgramSerializer)
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        return super().patch(request, pk)


@extend_schema(tags=["coaching"])
class ProgramAssignApi(APIView):
    """{client, start_date, weekdays: [0..6]}: the client's own copy (201)."""

    @extend_schema(request=ProgramAssignSerializer, responses={201: ProgramSerializer})
    def post(self, request: TrainerRequest, pk: int) -> Response:
        program = selectors.program_get_for_trainer(trainer=request.user, pk=pk)
        copy = strictly(
            ProgramAssignSerializer,
            body(request),
            lambda data: services.program_assign(
                program=program,
                trainer=request.user,
                client=data.get("client"),
                start_date=data.get("start_date"),
                weekdays=data.get("weekdays"),
            ),
        )
        return Response(_program_out(request.user, copy.pk), status=status.HTTP_201_CREATED)


# --- Workouts ------------------------------------------------------------------------------


def _log(client: Client, data: dict[str, Any], by: str, booking: Any = None) -> Response:
    taken = WorkoutInSerializer if by == "trainer" else MyWorkoutInSerializer
    workout, stored = strictly(
        taken,
        data,
        lambda data: services.workout_log(
            client=client,
            sets=data.get("sets", []),
            idempotency_key=data.get("idempotency_key", ""),
            program=data.get("program"),
            day=data.get("day"),
            on=data.get("date"),
            feel=data.get("feel"),
            notes=data.get("notes", ""),
            completed=_flag(data, "completed", True),
            by=by,
            booking=booking,
            unit="kg",  # the API speaks SI
        ),
    )
    out = WorkoutSerializer(selectors.client_workout(client=client, pk=workout.pk))
    return Response(out.data, status=status.HTTP_201_CREATED if stored else status.HTTP_200_OK)


@extend_schema(tags=["coaching"])
class WorkoutListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("client", int, required=False)],
        responses=WorkoutSerializer(many=True),
    )
    def get(self, request: TrainerRequest) -> Response:
        rows = selectors.workouts_with_sets(
            trainer=request.user, client=request.query_params.get("client")
        )
        return paginated(self, request, rows, WorkoutSerializer)

    @extend_schema(
        request=WorkoutInSerializer,
        responses={201: WorkoutSerializer, 200: WorkoutSerializer},
        description="A set names its exercise by `item` (of the program's day) or `exercise`; "
        "weights in kg. The same idempotency keys store nothing twice (200).",
    )
    def post(self, request: TrainerRequest) -> Response:
        data = body(request)
        client = selectors.client_get_for_trainer(trainer=request.user, pk=data.get("client"))
        booking = None
        if data.get("booking"):
            from trainerhub.scheduling.selectors import booking_get_for_trainer

            booking = booking_get_for_trainer(trainer=request.user, pk=data["booking"])
        return _log(client, data, "trainer", booking)


@extend_schema(tags=["coaching"])
class WorkoutDetailApi(APIView):
    @extend_schema(responses=WorkoutSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        return Response(
            WorkoutSerializer(selectors.workout_get_for_trainer(trainer=request.user, pk=pk)).data
        )


# --- A client's progress (trainer) ----------------------------------------------------------


def _measurement_in(client: Client, request: Request, by: str) -> Response:
    from trainerhub.coaching.models import CoachingSettings

    row = strictly(
        MeasurementInSerializer,
        body(request),
        lambda data: services.measurement_add(
            client=client,
            kind=data.get("kind"),
            value=data.get("value"),
            on=data.get("date"),
            custom=data.get("custom"),
            by=by,
            units=CoachingSettings(weight_unit="kg", length_unit="cm"),
        ),
    )
    return Response(MeasurementSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["coaching"])
class MeasurementListApi(APIView):
    @extend_schema(responses=MeasurementSerializer(many=True), description="Answered in SI.")
    def get(self, request: TrainerRequest, client_pk: int) -> Response:
        client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
        rows = selectors.measurements_for_client(client=client)
        return paginated(self, request, rows, MeasurementSerializer)

    @extend_schema(request=MeasurementInSerializer, responses={201: MeasurementSerializer})
    def post(self, request: TrainerRequest, client_pk: int) -> Response:
        client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
        return _measurement_in(client, request, "trainer")


def _photos(view: APIView, request: Request, client: Client, base: str) -> Response:
    paginator_rows = selectors.photos_for_client(client=client)
    from trainerhub.core.permissions import Pagination

    paginator = Pagination()
    page = paginator.paginate_queryset(paginator_rows, request, view=view)
    data = PhotoSerializer(page, many=True, context={"photo_base": base}).data
    return paginator.get_paginated_response(data)


def _photo_in(client: Client, request: Request, by: str, base: str) -> Response:
    row = strictly(
        PhotoInSerializer,
        body(request),
        lambda data: services.photo_add(
            client=client,
            upload=request.FILES.get("file"),
            pose=data.get("pose"),
            on=data.get("date"),
            by=by,
        ),
        undo=lambda row: row.file.delete(save=False),
    )
    return Response(
        PhotoSerializer(row, context={"photo_base": base}).data, status=status.HTTP_201_CREATED
    )


@extend_schema(tags=["coaching"])
class PhotoListApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(responses=PhotoSerializer(many=True))
    def get(self, request: TrainerRequest, client_pk: int) -> Response:
        client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
        return _photos(self, request, client, f"/coaching/clients/{client.pk}")

    @extend_schema(
        request={"multipart/form-data": PhotoInSerializer}, responses={201: PhotoSerializer}
    )
    def post(self, request: TrainerRequest, client_pk: int) -> Response:
        client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
        return _photo_in(client, request, "trainer", f"/coaching/clients/{client.pk}")


@extend_schema(tags=["coaching"])
class RecordListApi(APIView):
    @extend_schema(responses=RecordSerializer(many=True))
    def get(self, request: TrainerRequest, client_pk: int) -> Response:
        client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
        return paginated(
            self, request, selectors.records_for_client(client=client), RecordSerializer
        )


@extend_schema(tags=["coaching"])
class AdherenceApi(APIView):
    @extend_schema(responses=AdherenceSerializer)
    def get(self, request: TrainerRequest, client_pk: int) -> Response:
        client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
        figures = selectors.adherence_for_client(client=client, today=timezone.localdate())
        return Response(AdherenceSerializer(figures).data)


# --- The client's own ----------------------------------------------------------------------


class IsClientAccount(permissions.BasePermission):
    message = "Sign in with a client account to use this endpoint."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "role", "") == "client")


@extend_schema(
    parameters=[
        OpenApiParameter(
            "client",
            int,
            required=False,
            description="Which of the account's client records (one per trainer); default the "
            "first.",
        )
    ]
)
class ClientApi(APIView):
    permission_classes = [IsClientAccount]

    def me(self, request: Request) -> Client:
        return selectors.account_client(
            user=cast(User, request.user), pk=request.query_params.get("client")
        )


@extend_schema(tags=["client"])
class MyProgramsApi(ClientApi):
    @extend_schema(
        operation_id="v1_client_my_programs_list", responses=ProgramSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        client = self.me(request)
        rows = selectors.active_programs(client=client)
        return Response(ProgramSerializer(rows, many=True).data)


@extend_schema(tags=["client"])
class MyWorkoutsApi(ClientApi):
    @extend_schema(responses=WorkoutSerializer(many=True))
    def get(self, request: Request) -> Response:
        client = self.me(request)
        return paginated(
            self, request, selectors.client_workouts_with_sets(client=client), WorkoutSerializer
        )

    @extend_schema(
        request=MyWorkoutInSerializer, responses={201: WorkoutSerializer, 200: WorkoutSerializer}
    )
    def post(self, request: Request) -> Response:
        return _log(self.me(request), body(request), "client")


@extend_schema(tags=["client"])
class MyMeasurementsApi(ClientApi):
    @extend_schema(responses=MeasurementSerializer(many=True))
    def get(self, request: Request) -> Response:
        client = self.me(request)
        return paginated(
            self, request, selectors.measurements_for_client(client=client), MeasurementSerializer
        )

    @extend_schema(request=MeasurementInSerializer, responses={201: MeasurementSerializer})
    def post(self, request: Request) -> Response:
        return _measurement_in(self.me(request), request, "client")


@extend_schema(tags=["client"])
class MyRecordsApi(ClientApi):
    @extend_schema(responses=RecordSerializer(many=True))
    def get(self, request: Request) -> Response:
        client = self.me(request)
        return paginated(
            self, request, selectors.records_for_client(client=client), RecordSerializer
        )


@extend_schema(tags=["client"])
class MyAdherenceApi(ClientApi):
    @extend_schema(responses=AdherenceSerializer)
    def get(self, request: Request) -> Response:
        figures = selectors.adherence_for_client(
            client=self.me(request), today=timezone.localdate()
        )
        return Response(AdherenceSerializer(figures).data)
