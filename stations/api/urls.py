from django.urls import path

from . import views

urlpatterns = [
    path("areas/", views.AreaListView.as_view(), name="api-areas"),
    path("stations/", views.StationListView.as_view(), name="api-stations"),
    path("stations/nearest/", views.NearestStationsView.as_view(), name="api-stations-nearest"),
    path("stations/<int:pk>/", views.StationDetailView.as_view(), name="api-station"),
    path("delegates/", views.DelegateListView.as_view(), name="api-delegates"),
    path("delegates/<int:pk>/", views.DelegateDetailView.as_view(), name="api-delegate"),
    path("handling-units/", views.HandlingUnitListView.as_view(), name="api-handling-units"),
    path("appointments/", views.AppointmentListCreateView.as_view(), name="api-appointments"),
    path(
        "appointments/<int:pk>/accept/", views.AppointmentAcceptView.as_view(), name="api-appointment-accept"
    ),
    path(
        "appointments/<int:pk>/decline/",
        views.AppointmentDeclineView.as_view(),
        name="api-appointment-decline",
    ),
    path("appointments/<int:pk>/held/", views.AppointmentHeldView.as_view(), name="api-appointment-held"),
]
