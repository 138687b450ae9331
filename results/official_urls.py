"""URLs of the official-results pages (included by results.staff_urls, namespace
results_staff): the imports, the upload and mapping steps, an import's report, and the
comparison with the observers' protocol copies."""

from django.urls import path

from results import official_views as views

urlpatterns: list = [
    path("official/", views.official_list, name="official_list"),
    path("official/upload/", views.official_upload, name="official_upload"),
    path("official/upload/<str:token>/", views.official_mapping, name="official_mapping"),
    path("official/<int:pk>/", views.official_detail, name="official_detail"),
    path(
        "official/<int:pk>/failures.csv",
        views.official_failures_csv,
        name="official_failures_csv",
    ),
    path("comparison/<int:contest_id>/", views.comparison, name="comparison"),
    path(
        "comparison/<int:contest_id>/station/<int:station_id>/",
        views.comparison_station,
        name="comparison_station",
    ),
    path("comparison/<int:contest_id>/export.csv", views.comparison_csv, name="comparison_csv"),
]
