"""Public and staff pages of the suggestions app (owned by the suggestions work)."""

from django.http import HttpResponse


def suggestion_new(request):
    return HttpResponse(status=501)
