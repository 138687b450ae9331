"""Staff pages for elections, under /<lang>/staff/elections/."""

from django.urls import path

from elections import staff_views as views

app_name = "elections_staff"
urlpatterns = [
    path("", views.election_list, name="election_list"),
    path("new/", views.election_create, name="election_create"),
    path("<int:pk>/", views.election_detail, name="election_detail"),
    path("<int:pk>/edit/", views.election_edit, name="election_edit"),
    path("<int:pk>/stations/add/", views.election_add_stations, name="election_add_stations"),
    path(
        "<int:pk>/contests/per-constituency/",
        views.election_create_contests,
        name="election_create_contests",
    ),
    path("<int:pk>/contests/new/", views.contest_create, name="contest_create"),
    path("contests/<int:pk>/", views.contest_detail, name="contest_detail"),
    path("contests/<int:pk>/options/new/", views.option_create, name="option_create"),
    path("options/<int:pk>/edit/", views.option_edit, name="option_edit"),
    path("options/<int:pk>/remove/", views.option_remove, name="option_remove"),
]
