"""API of a service's add-ons and the trainer's discount codes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.api.common import CrudDetailView, CrudListView, crud_schema, paginated
from trainerhub.scheduling.api.common import valid as valid_input
from trainerhub.scheduling.models import DiscountCode, Service, ServiceAddon
from trainerhub.scheduling.pricing_serializers import (
    DiscountCodeSerializer,
    ServiceAddonSerializer,
)

# --- Add-ons ---------------------------------------------------------------------------------


class ServiceAddonListApi(APIView):
    """services/{id}/addons/: the service's add-ons (404 for another trainer's service)."""

    serializer_class = ServiceAddonSerializer

    @extend_schema(tags=["services"], responses=ServiceAddonSerializer(many=True))
    def get(self, request: TrainerRequest, pk: int) -> Response:
        service = selectors.get_owned(Service, trainer=request.user, pk=pk)
        addons = selectors.addons_of_service(service=service)
        return paginated(self, request, addons, ServiceAddonSerializer)

    @extend_schema(
        tags=["services"], request=ServiceAddonSerializer, responses={201: ServiceAddonSerializer}
    )
    def post(self, request: TrainerRequest, pk: int) -> Response:
        service = selectors.get_owned(Service, trainer=request.user, pk=pk)
        data = valid_input(ServiceAddonSerializer, request, request.data)
        addon = services.addon_create(service=service, **data)
        return Response(ServiceAddonSerializer(addon).data, status=status.HTTP_201_CREATED)


@crud_schema("services", ServiceAddonSerializer)
class AddonDetailApi(CrudDetailView):
    """DELETE removes the add-on; bookings that took it keep it in their price."""

    model = ServiceAddon
    serializer_class = ServiceAddonSerializer

    def update(self, obj: ServiceAddon, data: dict[str, Any]) -> ServiceAddon:
        return services.addon_update(addon=obj, **data)

    def delete_obj(self, obj: ServiceAddon) -> None:
        services.addon_delete(addon=obj)


# --- Discount codes --------------------------------------------------------------------------


@crud_schema("discounts", DiscountCodeSerializer)
class DiscountListApi(CrudListView):
    model = DiscountCode
    serializer_class = DiscountCodeSerializer

    def queryset(self, request: TrainerRequest) -> Any:
        return selectors.discounts_for_trainer(trainer=request.user)

    def create(self, request: TrainerRequest, data: dict[str, Any]) -> DiscountCode:
        return services.discount_create(trainer=request.user, **data)


@crud_schema("discounts", DiscountCodeSerializer)
class DiscountDetailApi(CrudDetailView):
    """DELETE deactivates the code: bookings made with it keep their discount."""

    model = DiscountCode
    serializer_class = DiscountCodeSerializer

    def update(self, obj: DiscountCode, data: dict[str, Any]) -> DiscountCode:
        return services.discount_update(discount=obj, **data)

    def delete_obj(self, obj: DiscountCode) -> None:
        services.discount_deactivate(discount=obj)
