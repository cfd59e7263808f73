from django.urls import path

from . import views

urlpatterns = [
    # `?delegate=ID`, `?station=ID` or `?area=CODE` pre-address the form (links from delegate and station pages).
    path("suggest/", views.suggestion_new, name="suggestion-new"),
]
