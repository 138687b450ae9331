"""Public URLs under the language prefix (/az/, /en/, /ru/): search and feeds. The pages
themselves are served by Wagtail."""

from django.urls import path

from publications import views
from publications.feeds import ArticleFeed

app_name = "publications"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("feed/", ArticleFeed(), name="feed"),
    path("feed/<str:programme>/", ArticleFeed(), name="programme_feed"),
]
