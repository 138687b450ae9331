"""Search over published articles in the language being read."""

import pytest

from core.programmes import Programme
from publications.tests.factories import make_article, translate_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    """One article in three languages, each with a word of its own language in the body."""
    source = make_article(
        "Seçici bələdçisi",
        summary="Bülleteni gizli kabinədə doldurun.",
        programme=Programme.ELECTIONS,
    )
    english = translate_article(
        source, "en", "Voter guide", summary="Fill in the ballot in the secret booth."
    )
    russian = translate_article(
        source, "ru", "Пособие для избирателя", summary="Заполните бюллетень в кабине."
    )
    rights = make_article(
        "Hüquq bələdçisi",
        summary="Bülleteni və hüquqlarınızı bilin.",
        programme=Programme.HUMAN_RIGHTS,
    )
    return {"az": source, "en": english, "ru": russian, "rights": rights}


@pytest.mark.parametrize(
    ("language", "word"), [("az", "bülleteni"), ("en", "ballot"), ("ru", "бюллетень")]
)
def test_search_finds_an_article_by_a_word_in_each_language(client, articles, language, word):
    response = client.get(f"/{language}/search/", {"q": word})

    assert response.status_code == 200
    found = [page.specific for page in response.context["page_obj"]]
    assert articles[language] in found
    assert articles[language].title in response.content.decode()


@pytest.mark.parametrize(
    ("language", "word"), [("az", "ballot"), ("en", "бюллетень"), ("ru", "ballot")]
)
def test_search_does_not_find_articles_of_another_language(client, articles, language, word):
    response = client.get(f"/{language}/search/", {"q": word})

    assert response.context["page_obj"].paginator.count == 0
    assert 'class="empty-state"' in response.content.decode()


def test_search_filters_by_programme(client, articles):
    everything = client.get("/az/search/", {"q": "bülleteni"})
    rights_only = client.get("/az/search/", {"q": "bülleteni", "programme": "human_rights"})

    assert everything.context["page_obj"].paginator.count == 2
    assert [page.specific for page in rights_only.context["page_obj"]] == [articles["rights"]]


def test_search_ignores_drafts(client):
    make_article("Qaralama", summary="Gizli sözlük qaralamada.", live=False)

    response = client.get("/az/search/", {"q": "sözlük"})

    assert response.context["page_obj"].paginator.count == 0


def test_search_without_a_query_invites_one_and_searches_nothing(client):
    response = client.get("/en/search/")

    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert "Search news, statements, reports and guides" in response.content.decode()
