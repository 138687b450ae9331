"""The staff statement pages: who may open them, drafting, editing, publishing, the PDF."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import make_staff
from statements import services
from statements.models import Recommendation, Statement

pytestmark = pytest.mark.django_db


def _url(name: str, *args, lang: str = "en") -> str:
    with_lang = reverse(f"statements_staff:{name}", args=args)
    return with_lang.replace("/en/", f"/{lang}/", 1) if lang != "en" else with_lang


@pytest.fixture
def statement(built, election, analyst):
    return services.draft_statement(actor=analyst, election=election)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.DATA_CLERK])
def test_coordinators_and_clerks_may_not_open_statements(client, statement, role):
    client.force_login(make_staff(role))
    for name, args in [
        ("statement_list", ()),
        ("statement_create", ()),
        ("statement_detail", (statement.pk,)),
        ("statement_edit", (statement.pk,)),
        ("statement_pdf", (statement.pk,)),
    ]:
        assert client.get(_url(name, *args)).status_code == 403
    assert client.post(_url("statement_publish", statement.pk)).status_code == 403
    statement.refresh_from_db()
    assert statement.status == "draft"


def test_anonymous_visitors_are_sent_to_sign_in(client, statement):
    response = client.get(_url("statement_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_analyst_drafts_a_statement_from_the_figures(client, built, election, analyst):
    client.force_login(analyst)
    assert client.get(_url("statement_create")).status_code == 200
    response = client.post(
        _url("statement_create"), {"election": election.pk, "kind": "preliminary"}
    )
    statement = Statement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("statement_edit", statement.pk)
    assert statement.recommendations.count() >= 3


def test_a_bad_choice_when_drafting_writes_nothing(client, election, analyst):
    client.force_login(analyst)
    response = client.post(_url("statement_create"), {"election": election.pk, "kind": "poem"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Statement.objects.exists()


def _post_data(statement: Statement, **changes) -> dict:
    recs = list(statement.recommendations.all())
    data = {
        "title_az": statement.title_az,
        "title_en": statement.title_en,
        "title_ru": statement.title_ru,
        "body_az": statement.body_az,
        "body_en": statement.body_en,
        "body_ru": statement.body_ru,
        "slug": statement.slug,
        "rec-TOTAL_FORMS": str(len(recs) + 1),
        "rec-INITIAL_FORMS": str(len(recs)),
        "rec-MIN_NUM_FORMS": "0",
        "rec-MAX_NUM_FORMS": "1000",
    }
    for i, rec in enumerate(recs):
        data[f"rec-{i}-id"] = rec.pk
        for field in services.RECOMMENDATION_FIELDS:
            data[f"rec-{i}-{field}"] = getattr(rec, field)
    last = len(recs)
    data[f"rec-{last}-status"] = "open"
    data[f"rec-{last}-position"] = "0"
    data.update(changes)
    return data


def test_analyst_edits_texts_and_recommendations(client, statement, analyst):
    client.force_login(analyst)
    page = client.get(_url("statement_edit", statement.pk))
    assert page.status_code == 200
    assert statement.recommendations.first().text_en in page.content.decode()
    first = statement.recommendations.first()
    last = statement.recommendations.count()
    data = _post_data(
        statement,
        title_en="Preliminary statement (edited)",
        **{
            "rec-0-DELETE": "on",
            f"rec-{last}-addressee_az": "Mərkəzi Seçki Komissiyası",
            f"rec-{last}-text_az": "Yeni tövsiyə",
            f"rec-{last}-position": "7",
        },
    )
    response = client.post(_url("statement_edit", statement.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    statement.refresh_from_db()
    assert statement.title_en == "Preliminary statement (edited)"
    assert not Recommendation.objects.filter(pk=first.pk).exists()
    assert statement.recommendations.filter(text_az="Yeni tövsiyə", position=7).exists()


def test_validation_errors_are_shown_and_nothing_is_saved(client, statement, analyst):
    client.force_login(analyst)
    before = statement.recommendations.count()
    data = _post_data(statement, title_az="", title_en="Changed", **{"rec-0-text_az": ""})
    response = client.post(_url("statement_edit", statement.pk), data)
    assert response.status_code == 400
    assert "field__error" in response.content.decode()
    statement.refresh_from_db()
    assert statement.title_en != "Changed" and statement.title_az
    assert statement.recommendations.count() == before


def test_service_rules_show_on_the_form(client, statement, analyst, election):
    other = services.draft_statement(actor=analyst, election=election)
    client.force_login(analyst)
    response = client.post(
        _url("statement_edit", statement.pk), _post_data(statement, slug=other.slug, title_en="X")
    )
    assert response.status_code == 400
    assert "Another statement already has this address." in response.content.decode()
    statement.refresh_from_db()
    assert statement.title_en != "X"


def test_detail_previews_in_a_language_with_the_figures(client, statement, analyst):
    client.force_login(analyst)
    response = client.get(_url("statement_detail", statement.pk) + "?lang=ru")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Кандидат А" in body  # the Russian text
    assert "Polling stations taking part" in body  # the figures table, in the page language
    az = client.get(_url("statement_detail", statement.pk, lang="az"))
    assert az.status_code == 200


def test_pdf_downloads_in_the_language_asked(client, statement, analyst):
    client.force_login(analyst)
    response = client.get(_url("statement_pdf", statement.pk) + "?lang=az")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_analyst_publishes_and_unpublishes(client, statement, analyst):
    client.force_login(analyst)
    assert client.get(_url("statement_publish", statement.pk)).status_code == 405
    response = client.post(_url("statement_publish", statement.pk))
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == "published" and statement.published_at
    client.post(_url("statement_unpublish", statement.pk))
    statement.refresh_from_db()
    assert statement.status == "draft"


def test_publishing_without_the_azerbaijani_text_is_refused(client, statement, analyst):
    Statement.objects.filter(pk=statement.pk).update(body_az="")
    client.force_login(analyst)
    response = client.post(_url("statement_publish", statement.pk), follow=True)
    assert "Write the text in Azerbaijani before publishing." in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == "draft"


def test_the_list_shows_statements(client, statement, analyst):
    client.force_login(analyst)
    response = client.get(_url("statement_list", lang="az"))
    assert response.status_code == 200
    assert statement.title_az in response.content.decode()
