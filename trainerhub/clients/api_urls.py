from django.urls import path

from trainerhub.clients import api

urlpatterns = [
    path("clients/", api.ClientListCreate.as_view(), name="api-clients"),
    path("clients/import", api.ClientImport.as_view(), name="api-clients-import"),
    path(
        "clients/import/<int:pk>", api.ClientImportStatus.as_view(), name="api-clients-import-job"
    ),
    path("clients/export", api.ClientExport.as_view(), name="api-clients-export"),
    path("clients/<int:pk>/", api.ClientDetail.as_view(), name="api-client"),
    path("clients/<int:pk>/export", api.ClientDataExport.as_view(), name="api-client-export"),
    path("clients/<int:pk>/erase", api.ClientErase.as_view(), name="api-client-erase"),
    path("clients/<int:pk>/notes/", api.NoteList.as_view(), name="api-client-notes"),
    path("clients/<int:pk>/notes/<int:note_id>/", api.NoteDetail.as_view(), name="api-client-note"),
    path("clients/<int:pk>/bookings/", api.ClientBookings.as_view(), name="api-client-bookings"),
    path("clients/<int:pk>/files/", api.FileList.as_view(), name="api-client-files"),
    path("clients/<int:pk>/files/<int:file_id>/", api.FileDetail.as_view(), name="api-client-file"),
    path("tags/", api.TagList.as_view(), name="api-tags"),
    path("tags/<int:pk>/", api.TagDetail.as_view(), name="api-tag"),
    path("intake-fields/", api.IntakeFieldList.as_view(), name="api-intake-fields"),
    path("intake-fields/<int:pk>/", api.IntakeFieldDetail.as_view(), name="api-intake-field"),
]
