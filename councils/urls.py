from django.urls import path

from . import staff_views, views

app_name = "councils"

urlpatterns = [
    # public, phone-first
    path("councils/", views.index, name="index"),
    path("councils/<int:pk>/", views.detail, name="detail"),
    # staff and admins
    path("workspace/bodies/", staff_views.bodies, name="bodies"),
    path("workspace/bodies/new/", staff_views.body_new, name="body-new"),
    path("workspace/bodies/<int:pk>/", staff_views.body_detail, name="body"),
    path("workspace/bodies/<int:pk>/members/", staff_views.member_add, name="member-add"),
    path(
        "workspace/bodies/<int:pk>/members/<int:member_pk>/leave/",
        staff_views.member_leave,
        name="member-leave",
    ),
    path("workspace/bodies/<int:pk>/meetings/new/", staff_views.meeting_new, name="meeting-new"),
]
