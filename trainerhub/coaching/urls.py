from django.urls import path

from trainerhub.coaching import client_views, views

app_name = "coaching"

urlpatterns = [
    path("", views.home, name="home"),
    path("attention/", views.attention_card, name="attention"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/measurements/", views.custom_measure_add, name="custom_measure_add"),
    path("exercises/", views.exercise_list, name="exercises"),
    path("exercises/new/", views.exercise_new, name="exercise_new"),
    path("exercises/<int:pk>/", views.exercise_detail, name="exercise"),
    path("exercises/<int:pk>/edit/", views.exercise_edit, name="exercise_edit"),
    path("exercises/<int:pk>/hide/", views.exercise_hide, name="exercise_hide"),
    path("exercises/<int:pk>/delete/", views.exercise_delete, name="exercise_delete"),
    path("programs/new/", views.program_new, name="program_new"),
    path("programs/starter/", views.starter_add, name="starter_add"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("programs/<int:pk>/clone/", views.program_clone, name="program_clone"),
    path("programs/<int:pk>/archive/", views.program_archive, name="program_archive"),
    path("programs/<int:pk>/delete/", views.program_delete, name="program_delete"),
    path("programs/<int:pk>/assign/", views.program_assign, name="program_assign"),
    path("programs/<int:pk>/schedule/", views.program_schedule, name="program_schedule"),
    path("programs/<int:pk>/reorder/", views.program_reorder, name="program_reorder"),
    path("programs/<int:pk>/days/", views.day_add, name="day_add"),
    path("programs/<int:pk>/days/<int:day_pk>/", views.day_edit, name="day_edit"),
    path("programs/<int:pk>/days/<int:day_pk>/exercises/", views.item_add, name="item_add"),
    path("programs/<int:pk>/exercises/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("clients/<int:client_pk>/", views.client_page, name="client"),
    path("clients/<int:client_pk>/measurements/", views.measurement_add, name="measurement_add"),
    path(
        "clients/<int:client_pk>/measurements/<int:pk>/delete/",
        views.measurement_delete,
        name="measurement_delete",
    ),
    path("clients/<int:client_pk>/photos/", views.photo_add, name="photo_add"),
    path("clients/<int:client_pk>/photos/compare/", views.photo_compare, name="photo_compare"),
    path("clients/<int:client_pk>/photos/<int:pk>/", views.photo_file, name="photo"),
    path(
        "clients/<int:client_pk>/photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"
    ),
    path("clients/<int:client_pk>/log/", views.trainer_workout, name="trainer_workout"),
    path("clients/<int:client_pk>/log/set", views.trainer_log_set, name="trainer_log_set"),
    path("clients/<int:client_pk>/log/done", views.trainer_log_done, name="trainer_log_done"),
    # The client's own pages.
    path("my/", client_views.my_coaching, name="my"),
    path("c/<str:token>/", client_views.client_home, name="client_home"),
    path("c/<str:token>/workout/", client_views.client_workout, name="client_workout"),
    path("c/<str:token>/log/set", client_views.client_log_set, name="client_log_set"),
    path("c/<str:token>/log/done", client_views.client_log_done, name="client_log_done"),
    path("c/<str:token>/progress/", client_views.client_progress, name="client_progress"),
    path("c/<str:token>/photos/compare/", client_views.client_compare, name="client_compare"),
    path("c/<str:token>/photos/<int:pk>/", client_views.client_photo, name="client_photo"),
]
