"""Articles for tests, in the skeleton that migrations leave (home, programmes, index)."""

import itertools

from wagtail.models import Locale

from core.programmes import Programme
from publications.models import ArticleIndexPage, ArticleKind, ArticlePage
from publications.services import page_publish, page_translation_ensure

_numbers = itertools.count(1)


def _fields(title: str, **fields) -> dict:
    number = next(_numbers)
    return {
        "title": title,
        "slug": fields.pop("slug", f"article-{number}"),
        "summary": fields.pop("summary", f"Summary of {title}."),
        "programme": fields.pop("programme", Programme.ELECTIONS),
        "kind": fields.pop("kind", ArticleKind.NEWS),
        **fields,
    }


def make_article(title: str, *, language: str = "az", live: bool = True, tags=(), **fields):
    """An article under the publications index of `language`, published unless live=False."""
    index = ArticleIndexPage.objects.get(locale__language_code=language)
    page = ArticlePage(locale=index.locale, **_fields(title, **fields))
    if tags:
        page.tags.add(*tags)
    if live:
        index.add_child(instance=page)
        return page_publish(page=page)
    page.live = False
    index.add_child(instance=page)
    page.save_revision()
    return page


def translate_article(source: ArticlePage, language: str, title: str, **fields) -> ArticlePage:
    """The source article's published translation into `language`."""
    defaults = {"programme": source.programme, "kind": source.kind, "date": source.date}
    return page_translation_ensure(
        source=source,
        locale=Locale.objects.get(language_code=language),
        **_fields(title, **{**defaults, **fields}),
    )
