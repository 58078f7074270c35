from django.urls import path

from trainerhub.clients import views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("export/", views.client_export, name="export"),
    path("import/", views.client_import, name="import"),
    path("import/confirm/", views.client_import_confirm, name="import_confirm"),
    path("import/<int:pk>/", views.client_import_status, name="import_status"),
    path("tags/", views.tags, name="tags"),
    path("tags/<int:pk>/delete/", views.tag_delete, name="tag_delete"),
    path("intake-fields/", views.intake_fields, name="intake_fields"),
    path("intake-fields/<int:pk>/", views.intake_field_edit, name="intake_field_edit"),
    path("intake-fields/<int:pk>/toggle/", views.intake_field_toggle, name="intake_field_toggle"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/archive/", views.client_archive, name="archive"),
    path("<int:pk>/restore/", views.client_restore, name="restore"),
    path("<int:pk>/erase/", views.client_erase, name="erase"),
    path("<int:pk>/data-export/", views.client_data_export, name="data_export"),
    path("<int:pk>/notes/add/", views.note_add, name="note_add"),
    path("<int:pk>/notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
    path("<int:pk>/notes/<int:note_id>/delete/", views.note_delete, name="note_delete"),
    path("<int:pk>/files/", views.file_upload, name="file_upload"),
    path("<int:pk>/files/<int:file_id>/", views.file_download, name="file_download"),
    path("<int:pk>/files/<int:file_id>/delete/", views.file_delete, name="file_delete"),
]
