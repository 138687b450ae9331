"""Staff pages for observers, under /<lang>/staff/observers/."""

from django.urls import path

from observers import staff_views as views

app_name = "observers_staff"
urlpatterns = [
    path("", views.observer_list, name="observer_list"),
    path("move/", views.observer_bulk_transition, name="observer_bulk_transition"),
    path("<int:pk>/", views.observer_detail, name="observer_detail"),
    path("<int:pk>/move/", views.observer_transition, name="observer_transition"),
]
