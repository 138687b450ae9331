"""URLs of the double-entry pages (included by results.staff_urls, namespace results_staff)."""

from django.urls import path

from results import entry_views as views

urlpatterns: list = [
    path("entry/", views.entry_queue, name="entry_queue"),
    path("entry/next/", views.entry_next, name="entry_next"),
    path("entry/tasks/<int:pk>/", views.entry_form, name="entry_form"),
    path("entry/tasks/<int:pk>/photo/", views.task_photo, name="task_photo"),
    path("entry/arbitration/", views.arbitration_list, name="arbitration_list"),
    path("entry/arbitration/<int:pk>/", views.arbitrate, name="arbitrate"),
    path("entry/upload/", views.task_upload, name="task_upload"),
    path("entry/progress/", views.entry_progress, name="entry_progress"),
    path("entry/from-observers/", views.tasks_from_observers, name="entry_from_observers"),
]
