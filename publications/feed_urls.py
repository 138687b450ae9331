"""Language-neutral publication URLs: the sitemap, which covers all three languages."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from publications.sitemaps import AllLanguagesSitemap

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": AllLanguagesSitemap}}, name="sitemap"),
]
