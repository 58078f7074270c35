from django.urls import path

from trainerhub.coaching import api

urlpatterns = [
    path("exercises/", api.ExerciseListApi.as_view(), name="api-exercises"),
    path("exercises/<int:pk>/", api.ExerciseDetailApi.as_view(), name="api-exercise"),
    path("programs/", api.ProgramListApi.as_view(), name="api-programs"),
    path("programs/<int:pk>/", api.ProgramDetailApi.as_view(), name="api-program"),
    path("programs/<int:pk>/assign", api.ProgramAssignApi.as_view(), name="api-program-assign"),
    path("client-programs/", api.ClientProgramListApi.as_view(), name="api-client-programs"),
    path(
        "client-programs/<int:pk>/",
        api.ClientProgramDetailApi.as_view(),
        name="api-client-program",
    ),
    path("workouts/", api.WorkoutListApi.as_view(), name="api-workouts"),
    path("workouts/<int:pk>/", api.WorkoutDetailApi.as_view(), name="api-workout"),
    path(
        "clients/<int:client_pk>/measurements/",
        api.MeasurementListApi.as_view(),
        name="api-client-measurements",
    ),
    path("clients/<int:client_pk>/photos/", api.PhotoListApi.as_view(), name="api-client-photos"),
    path(
        "clients/<int:client_pk>/records/", api.RecordListApi.as_view(), name="api-client-records"
    ),
    path(
        "clients/<int:client_pk>/adherence",
        api.AdherenceApi.as_view(),
        name="api-client-adherence",
    ),
    path("client/programs/", api.MyProgramsApi.as_view(), name="api-my-programs"),
    path("client/workouts/", api.MyWorkoutsApi.as_view(), name="api-my-workouts"),
    path("client/measurements/", api.MyMeasurementsApi.as_view(), name="api-my-measurements"),
    path("client/records/", api.MyRecordsApi.as_view(), name="api-my-records"),
    path("client/adherence", api.MyAdherenceApi.as_view(), name="api-my-adherence"),
]
