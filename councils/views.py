"""Public council pages (phone first): the street councils, and one council — its members by sector (name and
sector only, never a contact), its meetings with minutes and the opinions' tracking codes and status, the
projects it voted and their delivery, and its evaluation results. A fixed number of queries each."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string

from . import selectors


def index(request):
    page = Paginator(selectors.public_councils(), 50).get_page(request.GET.get("page"))
    return render(request, "councils/index.html", {"page_obj": page})


def detail(request, pk):
    body = selectors.public_council(pk)
    groups = selectors.public_member_groups(body)
    ctx = {
        "body": body,
        "groups": groups,
        "member_total": sum(len(ms) for _label, ms in groups),
        "meetings": list(selectors.meetings_of(body)[:30]),
        "ballots": selectors.council_ballots(body),
        "projects": selectors.council_projects(body),
        "assessments": selectors.council_assessments(body),
    }
    return render(request, "councils/detail.html", ctx)


def station_section(request, station) -> str:
    """On a station page: the street council of the station's street (one query), and the list of councils."""
    body = selectors.council_over(station.area)
    if body is None:
        return ""
    return render_to_string("councils/_station_council.html", {"council": body}, request=request)
