from django.urls import path

from . import views

app_name = "motions"

urlpatterns = [
    path("motions/", views.public_list, name="public"),
    path("workspace/motions/", views.delegate_list, name="delegate-list"),
    path("workspace/motions/new/", views.delegate_new, name="delegate-new"),
    path("workspace/motions/<int:pk>/", views.delegate_detail, name="delegate-detail"),
    path("workspace/motions/unit/", views.unit_list, name="unit-list"),
    path("workspace/motions/unit/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("workspace/motions/staff/", views.staff_list, name="staff-list"),
    path("workspace/motions/staff/stats/", views.staff_stats, name="staff-stats"),
    path("workspace/motions/staff/export/", views.staff_export, name="staff-export"),
    path("workspace/motions/staff/<int:pk>/", views.staff_detail, name="staff-detail"),
]
