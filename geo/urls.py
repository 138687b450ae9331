"""Public geography pages, under /<lang>/stations/."""

from django.urls import path

from geo import views

app_name = "geo"
urlpatterns = [
    path("", views.find_station, name="find_station"),
    path("<str:code>/", views.station_detail, name="station_detail"),
]
