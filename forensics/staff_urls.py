"""Staff pages of election forensics."""

from django.urls import path

from forensics import staff_views as views

app_name = "forensics_staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("imports/<int:import_id>/run/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<int:run_id>/regions/", views.run_regions, name="run_regions"),
    path("runs/<int:run_id>/outliers/", views.run_outliers, name="run_outliers"),
    path("runs/<int:run_id>/json/", views.run_json, name="run_json"),
]
