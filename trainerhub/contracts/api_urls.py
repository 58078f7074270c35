from django.urls import path

from trainerhub.contracts import api

urlpatterns = [
    path("contract-templates/", api.TemplateListApi.as_view(), name="api-contract-templates"),
    path(
        "contract-templates/<int:pk>/",
        api.TemplateDetailApi.as_view(),
        name="api-contract-template",
    ),
    path("contracts/", api.ContractListApi.as_view(), name="api-contracts"),
    path("contracts/<int:pk>/", api.ContractDetailApi.as_view(), name="api-contract"),
    path("contracts/<int:pk>/send", api.ContractSendApi.as_view(), name="api-contract-send"),
    path("contracts/<int:pk>/void", api.ContractVoidApi.as_view(), name="api-contract-void"),
    path("contracts/<int:pk>/pdf", api.ContractPdfApi.as_view(), name="api-contract-pdf"),
    path("contracts/<int:pk>/events", api.ContractEventsApi.as_view(), name="api-contract-events"),
    path("sign/<str:token>", api.SignApi.as_view(), name="api-sign"),
    path("sign/<str:token>/decline", api.DeclineApi.as_view(), name="api-sign-decline"),
]
