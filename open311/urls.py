from django.urls import path, re_path

from . import views

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("", views.not_found, name="open311-root"),
    re_path(r"^discovery" + FMT, views.discovery, name="open311-discovery"),
    re_path(r"^services" + FMT, views.services_list, name="open311-services"),
    re_path(
        r"^services/(?P<code>[A-Za-z0-9_-]{1,40})" + FMT, views.service_definition, name="open311-service"
    ),
    re_path(r"^requests" + FMT, views.requests, name="open311-requests"),
    re_path(r"^requests/(?P<code>[A-Za-z0-9_-]{1,40})" + FMT, views.request_detail, name="open311-request"),
    re_path(r"^tokens/(?P<token>[A-Za-z0-9_-]{1,64})" + FMT, views.token, name="open311-token"),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
