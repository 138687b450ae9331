"""The coordinators' election-day pages, under /<lang>/staff/observation/."""

from django.urls import path

from observation import staff_views as views

app_name = "observation_staff"
urlpatterns = [
    path("", views.election_list, name="election_list"),
    path("coordinators/", views.coordinator_list, name="coordinator_list"),
    path("coordinators/<int:user_id>/", views.coordinator_edit, name="coordinator_edit"),
    path("<int:election_id>/", views.live, name="live"),
    path("<int:election_id>/alerts/", views.alert_list, name="alert_list"),
    path("<int:election_id>/alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path(
        "<int:election_id>/alerts/<int:pk>/handle/",
        views.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path("<int:election_id>/stations/", views.station_list, name="station_list"),
    path("<int:election_id>/stations/<str:code>/", views.station_detail, name="station_detail"),
    path(
        "<int:election_id>/stations/<str:code>/forms/<int:form_id>/resolve/",
        views.station_resolve,
        name="station_resolve",
    ),
    path("<int:election_id>/results/", views.results, name="results"),
    path("<int:election_id>/map/", views.station_map, name="map"),
    path("<int:election_id>/map/stations.geojson", views.station_map_data, name="map_data"),
    path(
        "<int:election_id>/export/<slug:dataset>.<slug:file_format>",
        views.export,
        name="export",
    ),
]
