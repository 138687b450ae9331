"""Reads for the public site: article search and the URL of a page in each language."""

from django.conf import settings
from django.urls import translate_url
from wagtail.models import Locale, Page

from publications.models import ArticleIndexPage, ArticlePage, HomePage


def article_search(*, locale: Locale, query: str, programme: str = ""):
    """Published articles in one language matching the query, best match first."""
    articles = ArticlePage.objects.published_in(locale)
    if programme:
        articles = articles.filter(programme=programme)
    return articles.search(query, operator="and")


def articles_index_for(locale: Locale) -> ArticleIndexPage | None:
    return ArticleIndexPage.objects.published_in(locale).first()


def page_urls_by_language(page: Page, request=None) -> dict[str, str]:
    """{language code: URL} of the page's live, public translations (the page included)."""
    translations = page.get_translations(inclusive=True).live().public().select_related("locale")
    return {
        translation.locale.language_code: url
        for translation in translations
        if (url := translation.get_url(request))
    }


def alternate_urls(request, page: Page | None = None) -> dict[str, str]:
    """Where the language switcher sends each language.

    A CMS page goes to its translation (translations have their own slugs, which Django's
    translate_url cannot know), or to that language's home page when there is none; any
    other address keeps its path under the other language prefix.
    """
    codes = [code for code, _name in settings.LANGUAGES]
    path = request.get_full_path()
    if not isinstance(page, Page):
        return {code: translate_url(path, code) for code in codes}
    urls = page_urls_by_language(page, request)
    query = request.META.get("QUERY_STRING", "")
    if query:
        urls = {code: f"{url}?{query}" for code, url in urls.items()}
    missing = [code for code in codes if code not in urls]
    if missing:
        for home in HomePage.objects.live().filter(locale__language_code__in=missing):
            urls.setdefault(home.locale.language_code, home.get_url(request))
    return {code: urls.get(code) or f"/{code}/" for code in codes}
