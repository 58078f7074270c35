from django.urls import path

from trainerhub.packages import api

urlpatterns = [
    path("packages/", api.PackageListApi.as_view(), name="api-packages"),
    path("packages/<int:pk>/", api.PackageDetailApi.as_view(), name="api-package"),
    path("packages/<int:pk>/sell", api.PackageSellApi.as_view(), name="api-package-sell"),
    path("client-packages/", api.ClientPackageListApi.as_view(), name="api-client-packages"),
    path(
        "client-packages/<int:pk>/",
        api.ClientPackageDetailApi.as_view(),
        name="api-client-package",
    ),
    path(
        "client-packages/<int:pk>/ledger",
        api.ClientPackageLedgerApi.as_view(),
        name="api-client-package-ledger",
    ),
    path(
        "client-packages/<int:pk>/adjust",
        api.ClientPackageAdjustApi.as_view(),
        name="api-client-package-adjust",
    ),
    path(
        "clients/<int:pk>/packages/",
        api.ClientPackagesOfClientApi.as_view(),
        name="api-client-client-packages",
    ),
]
