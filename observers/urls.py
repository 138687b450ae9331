"""Public observer pages, under /<lang>/observe/."""

from django.urls import path

from observers import views

app_name = "observers"
urlpatterns = [
    path("", views.election_list, name="election_list"),
    path("<int:election_id>/apply/", views.apply, name="apply"),
    path("<int:election_id>/applied/", views.applied, name="applied"),
]
