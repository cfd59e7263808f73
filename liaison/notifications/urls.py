from django.urls import path

from . import views

urlpatterns = [
    path("workspace/inbox/", views.inbox, name="inbox"),
    path("workspace/inbox/<int:pk>/read/", views.inbox_read, name="inbox-read"),
    path("workspace/inbox/read-all/", views.inbox_read_all, name="inbox-read-all"),
    path("workspace/inbox/preferences/", views.inbox_preferences, name="inbox-preferences"),
]
