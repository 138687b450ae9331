"""Article, programme and index pages; drafts stay private; page types stay in their place."""

import pytest

from core.programmes import Programme
from publications.models import (
    ArticleIndexPage,
    ArticleKind,
    ArticlePage,
    HomePage,
    ProgrammePage,
)
from publications.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_article_page_shows_its_kind_programme_summary_and_body(client):
    article = make_article(
        "Seçki günü",
        kind=ArticleKind.STATEMENT,
        programme=Programme.HUMAN_RIGHTS,
        summary="Qısa xülasə.",
        body=[("heading", "Əsas nəticələr"), ("quote", {"quote": "Sitat", "attribution": "X"})],
        tags=["bəyanat"],
    )

    response = client.get(article.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Seçki günü</h1>" in html
    assert "Qısa xülasə." in html
    assert "<h2>Əsas nəticələr</h2>" in html
    assert "<blockquote><p>Sitat</p></blockquote>" in html
    programme_page = ProgrammePage.objects.get(
        locale__language_code="az", programme=Programme.HUMAN_RIGHTS
    )
    assert f'href="{programme_page.url}"' in html
    assert "?tag=b%C9%99yanat" in html


def test_programme_page_lists_only_its_own_articles_in_its_language(client):
    mine = make_article("Elections article", programme=Programme.ELECTIONS, language="en")
    other = make_article("Rights article", programme=Programme.HUMAN_RIGHTS, language="en")
    azerbaijani = make_article("Seçki xəbəri", programme=Programme.ELECTIONS, language="az")

    html = client.get("/en/elections/").content.decode()

    assert mine.title in html
    assert other.title not in html
    assert azerbaijani.title not in html


def test_programme_page_without_articles_shows_an_empty_state(client):
    html = client.get("/en/civil-society/").content.decode()

    assert 'class="empty-state"' in html


def test_index_filters_by_programme_and_kind(client):
    wanted = make_article("Wanted", language="en", programme=Programme.PARTICIPATION)
    wrong_kind = make_article(
        "Wrong kind", language="en", programme=Programme.PARTICIPATION, kind=ArticleKind.REPORT
    )
    wrong_programme = make_article("Wrong programme", language="en")

    html = client.get(
        "/en/publications/", {"programme": "participation", "kind": "news"}
    ).content.decode()

    assert wanted.title in html
    assert wrong_kind.title not in html
    assert wrong_programme.title not in html


def test_index_filters_by_tag(client):
    tagged = make_article("Tagged", language="en", tags=["observers"])
    untagged = make_article("Untagged", language="en")

    html = client.get("/en/publications/", {"tag": "Observers"}).content.decode()

    assert tagged.title in html
    assert untagged.title not in html


def test_index_reports_an_unknown_filter_value_and_shows_everything(client):
    article = make_article("Anything", language="en")

    response = client.get("/en/publications/", {"programme": "astrology"})

    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert response.context["filter_form"].errors["programme"]


def test_index_is_paginated_ten_to_a_page(client):
    for number in range(12):
        make_article(f"Article number {number:02d}", language="en")

    first = client.get("/en/publications/")
    second = client.get("/en/publications/", {"page": 2})

    assert len(first.context["page_obj"].object_list) == 10
    assert len(second.context["page_obj"].object_list) == 2
    assert 'rel="next" href="?page=2"' in first.content.decode()


def test_index_lists_only_its_own_language(client):
    english = make_article("English only", language="en")

    html = client.get("/az/xeberler/").content.decode()

    assert english.title not in html


def test_a_draft_article_is_not_public(client):
    draft = make_article("Unpublished draft", language="en", live=False)

    assert client.get(f"/en/publications/{draft.slug}/").status_code == 404
    assert draft.title not in client.get("/en/publications/").content.decode()
    assert draft.title not in client.get("/en/").content.decode()
    assert draft.title not in client.get("/en/feed/").content.decode()


def test_page_types_can_only_be_created_where_they_belong():
    home = HomePage.objects.get(locale__language_code="az")
    index = ArticleIndexPage.objects.get(locale__language_code="az")
    programme = ProgrammePage.objects.filter(locale__language_code="az").first()

    assert ArticlePage.can_create_at(index)
    assert not ArticlePage.can_create_at(home)
    assert not ArticlePage.can_create_at(programme)
    assert ProgrammePage.can_create_at(home)
    assert not ProgrammePage.can_create_at(index)
    assert not HomePage.can_create_at(home)
    # One publications index per home page.
    assert not ArticleIndexPage.can_create_at(home)


def test_a_language_cannot_have_two_pages_for_one_programme():
    from django.core.exceptions import ValidationError

    home = HomePage.objects.get(locale__language_code="en")
    duplicate = ProgrammePage(
        title="Elections again", slug="elections-again", programme=Programme.ELECTIONS
    )

    with pytest.raises(ValidationError):
        home.add_child(instance=duplicate)


def test_public_pages_carry_no_inline_script_style_or_event_handler(client, demo):
    article = ArticlePage.objects.filter(locale__language_code="az").first()
    for url in ["/az/", "/az/xeberler/", article.url, "/az/search/?q=se%C3%A7ki"]:
        html = client.get(url).content.decode()
        assert "style=" not in html
        assert "<style" not in html
        assert "<script>" not in html
        assert " onclick=" not in html and " onload=" not in html
