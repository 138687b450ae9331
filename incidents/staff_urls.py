"""URLs (being built)."""

from django.urls import path  # noqa: F401

app_name = "incidents_staff"
urlpatterns: list = []
