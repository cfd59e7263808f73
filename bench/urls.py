"""The portal's URLs plus `bench/trivial/`, the baseline every measured page is compared with."""

from django.http import HttpResponse
from django.urls import include, path

from liaison.urls import handler400, handler403, handler404, handler500  # noqa: F401


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("liaison.urls")),
]
