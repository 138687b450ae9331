"""The sitemap lists every public page in every language, each with its translations."""

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class AllLanguagesSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True)
        paths = [root.path for root in roots]
        pages = Page.objects.none()
        for root_path in paths:
            pages |= Page.objects.filter(path__startswith=root_path)
        return pages.live().public().order_by("path").defer_streamfields().specific()
