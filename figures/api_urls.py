from django.urls import path

from . import api

urlpatterns = [path("figures/", api.FiguresView.as_view(), name="api-figures")]
