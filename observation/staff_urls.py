"""URLs (being built)."""

from django.urls import path  # noqa: F401

app_name = "observation_staff"
urlpatterns: list = []
