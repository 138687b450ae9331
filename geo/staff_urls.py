"""Staff pages for geography (station list, details, editing, import), under
/<lang>/staff/geography/."""

from django.urls import path

from geo import staff_views as views

app_name = "geo_staff"
urlpatterns = [
    path("", views.station_list, name="station_list"),
    path("export.csv", views.station_export, name="station_export"),
    path("new/", views.station_create, name="station_create"),
    path("import/", views.station_import, name="station_import"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("stations/<str:code>/", views.station_detail, name="station_detail"),
    path("stations/<str:code>/edit/", views.station_edit, name="station_edit"),
]
