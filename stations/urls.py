from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("stations/<int:pk>/", views.station_detail, name="station-detail"),
    path("appointments/<str:code>/", views.appointment_status, name="appointment-status"),
    path("workspace/", views.workspace_appointments, name="workspace"),
    path("workspace/appointments/", views.workspace_appointments, name="workspace-appointments"),
]
