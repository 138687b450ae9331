"""The public results page, under /<lang>/results/: published statements and the published
quick-count figures."""

from django.urls import path

from statements import views

app_name = "statements"
urlpatterns = [
    path("", views.results_home, name="results_home"),
    path("<slug:slug>/", views.public_statement_detail, name="statement_detail"),
    path("<slug:slug>/pdf/", views.public_statement_pdf, name="statement_pdf"),
]
