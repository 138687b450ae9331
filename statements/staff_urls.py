"""Staff pages of statements, under /<lang>/staff/statements/."""

from django.urls import path

from statements import views

app_name = "statements_staff"
urlpatterns = [
    path("", views.statement_list, name="statement_list"),
    path("new/", views.statement_create, name="statement_create"),
    path("<int:pk>/", views.statement_detail, name="statement_detail"),
    path("<int:pk>/edit/", views.statement_edit, name="statement_edit"),
    path("<int:pk>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("<int:pk>/publish/", views.statement_publish, name="statement_publish"),
    path("<int:pk>/unpublish/", views.statement_unpublish, name="statement_unpublish"),
]
