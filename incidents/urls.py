"""Public incident pages, under /<lang>/incidents/."""

from django.urls import path

from incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_map, name="incident_map"),
    path("report/", views.report, name="report"),
    path("report/thanks/", views.thanks, name="thanks"),
]
