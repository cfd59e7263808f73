from django.urls import path

from . import views

urlpatterns = [
    # `?delegate=ID`, `?station=ID` or `?area=CODE` pre-address the form (links from delegate and station pages).
    path("suggest/", views.suggestion_new, name="suggestion-new"),
    path("suggest/<str:code>/done/", views.suggestion_submitted, name="suggestion-submitted"),
    path("track/", views.track_lookup, name="suggestion-lookup"),
    path("track/<str:code>/", views.track, name="suggestion-track"),
    path("workspace/suggestions/", views.staff_queue, name="suggestions-queue"),
    path("workspace/suggestions/new/", views.staff_new, name="suggestions-staff-new"),
    path("workspace/suggestions/returned/", views.staff_returned, name="suggestions-returned"),
    path("workspace/suggestions/extensions/", views.staff_extensions, name="suggestions-extensions"),
    path("workspace/suggestions/stats/", views.staff_stats, name="suggestions-stats"),
    path("workspace/suggestions/export.<str:kind>", views.staff_export, name="suggestions-export"),
    path("workspace/suggestions/<int:pk>/", views.staff_detail, name="suggestions-staff-detail"),
    path("workspace/suggestions/<int:pk>/contact/", views.staff_contact, name="suggestions-staff-contact"),
    path("workspace/suggestions/<int:pk>/<str:action>/", views.staff_action, name="suggestions-staff-action"),
    path("workspace/referrals/", views.unit_queue, name="suggestions-unit-queue"),
    path("workspace/referrals/<int:pk>/", views.unit_detail, name="suggestions-unit-detail"),
    path("workspace/my-suggestions/", views.mine, name="suggestions-mine"),
    path("workspace/my-suggestions/new/", views.mine_new, name="suggestions-mine-new"),
]
