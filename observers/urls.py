"""Public observer pages, under /<lang>/observe/: applying, and checking a badge."""

from django.urls import path

from observers import views

app_name = "observers"
urlpatterns = [
    path("", views.election_list, name="election_list"),
    path("<int:election_id>/apply/", views.apply, name="apply"),
    path("<int:election_id>/applied/", views.applied, name="applied"),
    path("verify/<str:code>/", views.verify_badge, name="verify"),
]
