"""URLs of the protocol pages (included by results.staff_urls, namespace results_staff)."""

from django.urls import path

from results import protocol_views as views

urlpatterns: list = [
    path("", views.home, name="home"),
    path("protocols/", views.protocol_list, name="protocol_list"),
    path("protocols/<int:pk>/", views.protocol_detail, name="protocol_detail"),
    path("protocols/<int:pk>/photo/", views.protocol_photo, name="protocol_photo"),
    path("protocols/<int:pk>/accept/", views.protocol_accept, name="protocol_accept"),
    path("protocols/<int:pk>/correct/", views.protocol_correct, name="protocol_correct"),
    path("protocols/<int:pk>/reject/", views.protocol_reject, name="protocol_reject"),
    path("quarantine/", views.quarantine_list, name="quarantine"),
    path("checks/", views.check_list, name="check_list"),
    path("checks/new/", views.check_form, name="check_form"),
    path("checks/<int:pk>/", views.check_form, name="check_form"),
    path("checks/<int:pk>/toggle/", views.check_toggle, name="check_toggle"),
    path("forms/create/", views.protocol_form_create, name="protocol_form_create"),
]
