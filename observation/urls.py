"""The observer's phone page, under /<lang>/observer/."""

from django.urls import path

from observation import views

app_name = "observation"
urlpatterns = [
    path("", views.phone, name="phone"),
    path("sw.js", views.service_worker, name="service_worker"),
]
