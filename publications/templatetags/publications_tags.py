"""Template tags for the public site: language alternates and the publications link."""

from django import template
from django.conf import settings
from wagtail.models import Locale, Page

from publications import selectors

register = template.Library()


def _alternates(context) -> dict[str, str]:
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    cache = request.__dict__.setdefault("_publications_alternates", {})
    key = page.pk if page is not None else None
    if key not in cache:
        cache[key] = selectors.alternate_urls(request, page)
    return cache[key]


@register.simple_tag(takes_context=True)
def alternate_url(context, language_code: str) -> str:
    """The address of this page in another language (for the language switcher)."""
    request = context.get("request")
    fallback = request.get_full_path() if request is not None else f"/{language_code}/"
    return _alternates(context).get(language_code, fallback)


@register.simple_tag(takes_context=True)
def hreflang_links(context) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) for each language this page exists in, plus x-default."""
    request = context.get("request")
    page = context.get("page")
    if request is None:
        return []
    if isinstance(page, Page):
        urls = selectors.page_urls_by_language(page, request)
        query = request.META.get("QUERY_STRING", "")
        if query:
            urls = {code: f"{url}?{query}" for code, url in urls.items()}
    else:
        urls = _alternates(context)
    links = [
        (code, request.build_absolute_uri(urls[code]))
        for code, _name in settings.LANGUAGES
        if code in urls
    ]
    if settings.LANGUAGE_CODE in urls:
        links.append(("x-default", request.build_absolute_uri(urls[settings.LANGUAGE_CODE])))
    return links


@register.simple_tag
def articles_index_url() -> str:
    """The publications index in the active language, or "" before it exists."""
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return ""
    index = selectors.articles_index_for(locale)
    return index.url if index is not None else ""
