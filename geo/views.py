"""Public geography pages."""

from django.shortcuts import render


def find_station(request):
    return render(request, "geo/find_station.html", {})
