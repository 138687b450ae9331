from django.urls import path

from geo import views

app_name = "geo"
urlpatterns = [
    path("", views.find_station, name="find_station"),
]
