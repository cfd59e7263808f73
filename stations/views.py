from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Appointment


def home(request):
    return render(request, "stations/home.html", {})


def station_detail(request, pk):
    station = get_object_or_404(selectors.station_list(), pk=pk)
    return render(request, "stations/station_detail.html", {"station": station})


def appointment_status(request, code):
    appt = get_object_or_404(Appointment.objects.select_related("delegate"), code=code)
    return render(request, "stations/appointment_status.html", {"appointment": appt})


def workspace_appointments(request):
    return render(request, "stations/workspace_appointments.html", {})
