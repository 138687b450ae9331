"""Language-neutral publication URLs (sitemap)."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

urlpatterns = [
    path("sitemap.xml", sitemap, name="sitemap"),
]
