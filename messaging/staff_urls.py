"""Staff pages for messages, under /<lang>/staff/messages/."""

from django.urls import path

from messaging import staff_views as views

app_name = "messaging_staff"
urlpatterns = [
    path("", views.bulk_list, name="bulk_list"),
    path("new/", views.bulk_compose, name="bulk_compose"),
    path("new/recipients/", views.recipient_count, name="recipient_count"),
    path("<int:pk>/", views.bulk_detail, name="bulk_detail"),
    path("inbound/", views.inbound_list, name="inbound_list"),
]
