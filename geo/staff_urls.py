"""Staff pages for geography (import, station list), under /<lang>/staff/geography/."""

from django.urls import path

app_name = "geo_staff"
urlpatterns: list = []
