"""Atom feeds of the latest articles, one per language and one per programme and language."""

from dataclasses import dataclass
from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale

from core.programmes import Programme
from publications.models import ArticlePage, ProgrammePage
from publications.selectors import articles_index_for

FEED_LENGTH = 20


@dataclass(frozen=True)
class FeedScope:
    locale: Locale
    programme: Programme | None


class ArticleFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, programme: str | None = None) -> FeedScope:
        if programme is not None and programme not in Programme.values:
            raise Http404
        return FeedScope(
            locale=Locale.get_active(),
            programme=Programme(programme) if programme else None,
        )

    def title(self, scope: FeedScope) -> str:
        if scope.programme is not None:
            return _("Birlik: %(programme)s") % {"programme": scope.programme.label}
        return _("Birlik: news and publications")

    def subtitle(self, scope: FeedScope) -> str:
        return _("News, statements, reports and guides from Birlik.")

    def link(self, scope: FeedScope) -> str:
        if scope.programme is not None:
            page = (
                ProgrammePage.objects.published_in(scope.locale)
                .filter(programme=scope.programme)
                .first()
            )
            if page is not None:
                return page.url
        index = articles_index_for(scope.locale)
        return index.url if index is not None else f"/{scope.locale.language_code}/"

    def items(self, scope: FeedScope):
        articles = ArticlePage.objects.published_in(scope.locale)
        if scope.programme is not None:
            articles = articles.filter(programme=scope.programme)
        return articles.newest_first()[:FEED_LENGTH]

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.summary

    def item_link(self, item: ArticlePage) -> str:
        return item.url

    def item_guid(self, item: ArticlePage) -> str:
        # Stable across slug changes, and shared by nothing else.
        return f"urn:birlik:page:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: ArticlePage) -> datetime:
        # The article's own date is its publication date; the time of day is not kept.
        return datetime.combine(item.date, time(), tzinfo=timezone.get_current_timezone())

    def item_updateddate(self, item: ArticlePage) -> datetime:
        published = self.item_pubdate(item)
        return max(item.last_published_at or published, published)

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [str(item.get_kind_display()), str(item.get_programme_display())]
