"""The language switcher lands on the translated page; pages name their translations."""

import html
import re

import pytest

from publications.tests.factories import make_article, translate_article

pytestmark = pytest.mark.django_db


def _switch(client, url: str, language: str):
    """Press the switcher's button for `language` on the page at `url`."""
    page = client.get(url).content.decode()
    match = re.search(rf'value="{language}" lang="{language}" formaction="([^"]+)"', page)
    assert match, f"no {language} button on {url}"
    return client.post(html.unescape(match.group(1)), {"language": language})


def test_switching_language_on_the_index_lands_on_its_translation(client):
    response = _switch(client, "/az/xeberler/", "en")

    assert response.status_code == 302
    assert response["Location"] == "/en/publications/"
    assert client.get(response["Location"]).status_code == 200
    assert response.cookies["django_language"].value == "en"


def test_switching_language_on_an_article_lands_on_its_translation(client):
    source = make_article("Seçki xəbəri", slug="secki-xeberi")
    russian = translate_article(source, "ru", "Новости выборов", slug="novosti-vyborov")

    response = _switch(client, source.url, "ru")

    assert response["Location"] == russian.url == "/ru/publikacii/novosti-vyborov/"


def test_switching_keeps_the_index_filters(client):
    response = _switch(client, "/en/publications/?programme=elections", "ru")

    assert response["Location"] == "/ru/publikacii/?programme=elections"


def test_an_untranslated_article_switches_to_that_languages_home_page(client):
    article = make_article("Yalnız azərbaycanca")

    response = _switch(client, article.url, "en")

    assert response["Location"] == "/en/"


def test_switching_on_the_search_page_keeps_the_query(client):
    response = _switch(client, "/az/search/?q=se%C3%A7ki", "en")

    assert response["Location"] == "/en/search/?q=se%C3%A7ki"


def test_pages_name_their_translations_with_hreflang(client):
    source = make_article("Seçki xəbəri", slug="secki-xeberi")
    translate_article(source, "en", "Election news", slug="election-news")

    page = client.get("/en/publications/election-news/").content.decode()

    links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
    assert links == {
        "az": "http://testserver/az/xeberler/secki-xeberi/",
        "en": "http://testserver/en/publications/election-news/",
        "x-default": "http://testserver/az/xeberler/secki-xeberi/",
    }


def test_the_home_page_names_all_three_languages_with_hreflang(client):
    page = client.get("/ru/").content.decode()

    for language in ("az", "en", "ru"):
        assert f'hreflang="{language}" href="http://testserver/{language}/"' in page


def test_switching_on_a_page_outside_the_cms_keeps_its_path(client):
    response = _switch(client, "/az/accounts/login/", "ru")

    assert response["Location"] == "/ru/accounts/login/"
