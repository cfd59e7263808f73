from django.urls import path

from . import views

urlpatterns = [
    path("bodies/<int:pk>/meetings/", views.MeetingListCreateView.as_view(), name="api-body-meetings"),
]
