from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("stations/<int:pk>/", views.station_detail, name="station-detail"),
    path("stations/<int:pk>/poster/", views.station_poster, name="station-poster"),
    path("delegates/", views.delegate_list, name="delegate-list"),
    path("delegates/<int:pk>/", views.delegate_detail, name="delegate-detail"),
    path("delegates/<int:pk>/appointment/", views.appointment_new, name="appointment-new"),
    path("appointments/<str:code>/", views.appointment_status, name="appointment-status"),
    path("appointments/<str:code>/done/", views.appointment_done, name="appointment-done"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/duty/", views.workspace_duty, name="workspace-duty"),
    path("workspace/reception-log/", views.workspace_reception_log, name="workspace-reception-log"),
    path("workspace/appointments/", views.workspace_appointments, name="workspace-appointments"),
    path(
        "workspace/appointments/<int:pk>/<str:action>/",
        views.workspace_appointment_action,
        name="workspace-appointment-action",
    ),
]
