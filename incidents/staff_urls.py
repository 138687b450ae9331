"""Staff pages for incidents, under /<lang>/staff/incidents/."""

from django.urls import path

from incidents import staff_views as views

app_name = "incidents_staff"
urlpatterns = [
    path("", views.incident_list, name="incident_list"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/new/", views.category_create, name="category_create"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("<int:pk>/", views.incident_detail, name="incident_detail"),
    path("<int:pk>/move/", views.incident_transition, name="incident_transition"),
    path("<int:pk>/notes/", views.incident_note, name="incident_note"),
    path("<int:pk>/classify/", views.incident_classify, name="incident_classify"),
    path("<int:pk>/media/<uuid:media_id>/", views.incident_media, name="incident_media"),
]
