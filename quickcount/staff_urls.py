"""Staff pages of the quick count."""

from django.urls import path

from quickcount import views

app_name = "quickcount_staff"

urlpatterns = [
    path("", views.design_list, name="design_list"),
    path("new/", views.design_create, name="design_create"),
    path("calculator/", views.calculator, name="calculator"),
    path("<int:pk>/", views.design_detail, name="design_detail"),
    path("<int:pk>/draw/", views.design_draw, name="design_draw"),
    path("<int:pk>/reset/", views.design_reset, name="design_reset"),
    path("<int:pk>/stations/", views.sample_stations, name="sample_stations"),
    path("<int:pk>/stations.csv", views.sample_csv, name="sample_csv"),
    path("<int:pk>/estimates/", views.estimates, name="estimates"),
    path("<int:pk>/estimates/snapshot/", views.snapshot_create, name="snapshot_create"),
    path(
        "<int:pk>/estimates/snapshot/<int:snapshot_pk>/publish/",
        views.snapshot_publish,
        name="snapshot_publish",
    ),
]
