"""What every scheduling API view shares: pagination, validation, list/detail bases."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.core.errors import InvalidInput
from trainerhub.core.permissions import Pagination
from trainerhub.scheduling import selectors


def paginated(view: APIView, request: Request, queryset: Any, serializer: Any) -> Response:
    paginator = Pagination()  # the API's DEFAULT_PAGINATION_CLASS
    page: list[Any] | None = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def valid(serializer_class: Any, request: Request, data: Any, **kwargs: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput({"non_field_errors": ["Send a JSON object."]})
    serializer = serializer_class(data=data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CrudListView(APIView):
    """List and create one kind of trainer-owned row."""

    model: Any = None
    serializer_class: Any = None

    def queryset(self, request: TrainerRequest) -> Any:
        return selectors.owned_rows(self.model, trainer=request.user)

    def create(self, request: TrainerRequest, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def get(self, request: TrainerRequest) -> Response:
        return paginated(self, request, self.queryset(request), self.serializer_class)

    def post(self, request: TrainerRequest) -> Response:
        obj = self.create(request, valid(self.serializer_class, request, request.data))
        return Response(self.serializer_class(obj).data, status=status.HTTP_201_CREATED)


class CrudDetailView(APIView):
    """Get, patch and delete one trainer-owned row (404 for anyone else's)."""

    model: Any = None
    serializer_class: Any = None

    def update(self, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def delete_obj(self, obj: Any) -> None:
        raise NotImplementedError

    def get(self, request: TrainerRequest, pk: int) -> Response:
        obj = selectors.get_owned(self.model, trainer=request.user, pk=pk)
        return Response(self.serializer_class(obj).data)

    def patch(self, request: TrainerRequest, pk: int) -> Response:
        obj = selectors.get_owned(self.model, trainer=request.user, pk=pk)
        data = valid(self.serializer_class, request, request.data, partial=True)
        obj = self.update(obj, data)
        return Response(self.serializer_class(obj).data)

    def delete(self, request: TrainerRequest, pk: int) -> Response:
        obj = selectors.get_owned(self.model, trainer=request.user, pk=pk)
        self.delete_obj(obj)
        return Response(status=status.HTTP_204_NO_CONTENT)


def crud_schema(tag: str, serializer: Any) -> Any:
    """Tags the endpoints and tells the schema the list answers many rows, and that a
    create answers 201 (unless the view documents its own POST)."""

    def decorate(view: Any) -> Any:
        if issubclass(view, CrudListView):
            methods = {"get": extend_schema(responses=serializer(many=True))}
            if "post" not in view.__dict__:
                methods["post"] = extend_schema(responses={201: serializer})
            view = extend_schema_view(**methods)(view)
        return extend_schema(tags=[tag])(view)

    return decorate
