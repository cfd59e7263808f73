from django.urls import path

from . import views

urlpatterns = [path("figures/", views.page, name="figures-page")]
