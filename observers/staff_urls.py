"""Staff pages for observers, under /<lang>/staff/observers/."""

from django.urls import path

from observers import staff_views as views

app_name = "observers_staff"
urlpatterns = [
    path("", views.observer_list, name="observer_list"),
    path("move/", views.observer_bulk_transition, name="observer_bulk_transition"),
    path("badges/", views.observer_badges, name="observer_badges"),
    path("import/", views.observer_import, name="observer_import"),
    path("deploy/", views.deployment_import, name="deployment_import"),
    path(
        "import/template.csv",
        views.import_template,
        {"kind": "observers"},
        name="import_template",
    ),
    path(
        "deploy/template.csv",
        views.import_template,
        {"kind": "deployments"},
        name="deployment_template",
    ),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_edit, name="team_edit"),
    path("<int:pk>/", views.observer_detail, name="observer_detail"),
    path("<int:pk>/move/", views.observer_transition, name="observer_transition"),
    path("<int:pk>/deploy/", views.observer_deploy, name="observer_deploy"),
    path("<int:pk>/badge.pdf", views.observer_badge, name="observer_badge"),
    path("<int:pk>/access-code/", views.observer_access_code, name="observer_access_code"),
]
